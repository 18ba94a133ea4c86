/*
 * The kernel side of the capability ring: drain a process's submissions
 * and post completions (spec: Capability Ring; DESIGN.md §5).
 */
#pragma once

#include <stdint.h>

#include "kernel/proc/proc.h"

/* Process at most CAP_SQ_ENTRIES pending SQEs of p (the current process);
 * returns how many were consumed. */
unsigned ring_dispatch(struct process *p);
/* The timer tick's share: only NOP and RELEASE at the head of the SQ,
 * stopping at the first CALL (which waits for cap_enter). */
unsigned ring_poll_tick(struct process *p);
/* Post the completions of sleepers whose deadline has passed; returns the
 * earliest deadline still pending (UINT64_MAX: none). */
uint64_t ring_complete_sleepers(struct process *p, uint64_t now);
/* Completions posted and not yet consumed by user space. */
uint32_t ring_available(struct process *p);
