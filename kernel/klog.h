/*
 * The kernel log on COM1: kprintf() and the two ways out of the kernel,
 * a clean halt and a failure halt (isa-debug-exit under QEMU).
 */
#pragma once

#include <stdnoreturn.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Nothing is left to run: exit QEMU with the clean status. */
noreturn void kernel_halt_clean(void);
/* Log "panic: <why>" and exit QEMU with the failure status. For hostile
 * boot input (a bad manifest) and broken invariants alike: there is no one
 * else to hand the machine to. */
noreturn void kernel_halt_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
