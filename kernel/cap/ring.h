/*
 * The kernel side of the capability ring: drain a process's submissions
 * and post completions (spec: Capability Ring; DESIGN.md §5).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/proc/proc.h"

/* Process at most CAP_SQ_ENTRIES pending SQEs of p (the current process);
 * returns how many were consumed, or RING_STOPPED_AT_FOREIGN when it
 * stopped at another thread's thread-owned SQE. */
#define RING_STOPPED_AT_FOREIGN (~0u)
unsigned ring_dispatch(struct process *p);
/* The timer tick's share: only NOP and RELEASE at the head of the SQ,
 * stopping at the first CALL (which waits for cap_enter). */
unsigned ring_poll_tick(struct process *p);
/* Not CQE results but what an operation asks of the dispatch loop:
 * completion later (it reserved a CQ slot), park the current thread, or
 * end the current thread. Outside both the results and the errors. */
#define RING_DEFERRED	 (INT32_MIN + 0)
#define RING_PARK	 (INT32_MIN + 1)
#define RING_EXIT_THREAD (INT32_MIN + 2)

/* Reserve one CQ slot of p for a CALL that completes later (always
 * leaving one free for ordinary completions); false when there is none. */
bool ring_reserve_cq(struct process *p);
/* Complete a deferred CALL: copy its result bytes and post the CQE into
 * the slot ring_reserve_cq reserved. */
void ring_post_deferred(struct process *p, uint64_t user_data, uint64_t result_addr,
			uint32_t result_len, const void *bytes, size_t len);
/* Complete a deferred operation whose result bytes are already written:
 * post into the reserved slot (ncaps transfer results after the bytes). */
void ring_complete(struct process *p, uint64_t user_data, int32_t result, uint32_t ncaps);
/* Write a serialized CapException into p's buffer; returns the CQE result
 * (CAP_ERR_APPLICATION_EXCEPTION, or ..._TRUNCATED with nothing written). */
int32_t ring_write_exception(struct process *p, uint64_t addr, uint32_t len, int type,
			     const char *msg);
/* Whether [addr, addr+len) of p is mapped user memory (writable if write)
 * clear of the ring and CapSet pages. */
bool ring_buffer_ok(struct process *p, uint64_t addr, uint64_t len, bool write);
/* Post the completions of sleepers whose deadline has passed; returns the
 * earliest deadline still pending (UINT64_MAX: none). */
uint64_t ring_complete_sleepers(struct process *p, uint64_t now);
/* Completions posted and not yet consumed by user space. */
uint32_t ring_available(struct process *p);
