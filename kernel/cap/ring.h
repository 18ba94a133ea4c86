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
/* Completions posted and not yet consumed by user space. */
uint32_t ring_available(struct process *p);
