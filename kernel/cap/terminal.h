/*
 * TerminalSession on the COM2 UART (kernel/cap/terminal.c).
 */
#pragma once

#include "kernel/cap/object.h"

extern struct kobj terminal_obj;

/* Take the UART's received bytes through the line discipline; from the
 * timer tick (user mode or idle, never inside the kernel's work). */
void terminal_poll(void);
/* The terminal for a new holder, or NULL while a hold exists: the source
 * is move-only with one holder at a time. */
struct kobj *terminal_mint(void);
