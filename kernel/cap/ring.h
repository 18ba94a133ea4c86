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
/* As ring_complete, for a PARK that blocked: off_cpu (the measure build's
 * TSC of the moment its thread first left the CPU; 0 in the normal kernel)
 * goes to the CQE's reserved1, where make bench reads its wait-to-block. */
void ring_complete_park(struct process *p, uint64_t user_data, int32_t result, uint64_t off_cpu);
/* A CALL that completes later (ProcessHandle.wait, ThreadHandle.join,
 * TerminalSession.readLine): the thread that waits, and where its CQE
 * goes. The CQE belongs to the waiter's process, not only to its thread:
 * if that thread exits first, the completion still posts (every SQE gets
 * its one CQE, and its reserved slot is used), as long as the process
 * lives; a process that exits takes its reserved slots with it. */
struct deferred_call {
	bool active;
	struct thread_ref waiter;
	uint64_t user_data, result_addr;
	uint32_t result_len;
};
struct call_ctx;
enum {
	DEFERRED_OK,
	DEFERRED_BUSY,
	DEFERRED_NO_ROOM
};
/* Take ctx's CALL as d's and reserve its CQ slot. DEFERRED_BUSY when d
 * holds the CALL of a thread that still lives; a CALL left by a thread
 * that exited is completed with CAP_ERR_CANCELLED first. On DEFERRED_OK
 * the caller sets ctx->deferred. */
int deferred_begin(struct deferred_call *d, struct call_ctx *ctx);
/* Whether d holds a CALL whose thread still lives. */
bool deferred_live(const struct deferred_call *d);
/* Complete d's CALL with result bytes and wake its thread; nothing when
 * there is none or its process is gone. */
void deferred_finish(struct deferred_call *d, const void *bytes, size_t len);
/* Complete d's CALL with CAP_ERR_CANCELLED (same conditions). */
void deferred_cancel(struct deferred_call *d);
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
