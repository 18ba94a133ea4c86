/*
 * ParkSpace and the compact CAP_OP_PARK / CAP_OP_UNPARK opcodes
 * (kernel/cap/park.c; spec: Park Authority Contract).
 */
#pragma once

#include <stdint.h>

#include "include/capos/ring.h"

struct process;

#define PARK_WOKEN	    0
#define PARK_VALUE_MISMATCH 1
#define PARK_TIMED_OUT	    2
#define PARK_INTERRUPTED    3

/* Both take an SQE that ring_sqe_decode accepted: the ParkSpace named,
 * the word address aligned in the user half (and mapped, for PARK), and
 * an UNPARK count above zero. */
/* A PARK: a CQE result (mismatch, zero timeout, error) or RING_PARK with
 * one CQ credit reserved; park_block then blocks the current thread. */
int32_t park_check(struct process *p, const struct cap_sqe *sqe);
void park_block(struct process *p, const struct cap_sqe *sqe);
/* An UNPARK: the number of waiters woken. */
int32_t park_wake(struct process *p, const struct cap_sqe *sqe);
