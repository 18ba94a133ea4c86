/*
 * libcapos — the capOS userspace runtime (user/rt). It owns _start, the
 * two raw system calls, the single ring client and CapSet lookup; a
 * program is plain C with
 *
 *     int main(struct capos_rt *rt);
 *
 * whose return value becomes the process's exit code.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "include/capos/capset.h"
#include "include/capos/ring.h"

struct capos_rt {
	struct cap_ring *ring;
	const void *capset;
	uint32_t pid;
	uint64_t next_user_data;
};

int main(struct capos_rt *rt);

/* Raw system calls (user/rt/syscall.c). */
int64_t capos_cap_enter(uint64_t min_complete, uint64_t timeout_ns);
__attribute__((__noreturn__)) void capos_exit(int64_t code);

/* Find a cap by name, checking its interface id (0: any). Returns 0 and
 * the CapId in *cap, or a negative CAPSET_ERR_*. */
int capos_lookup(struct capos_rt *rt, const char *name, uint64_t interface_id, uint32_t *cap);

/* Submit one SQE (user_data is assigned here) and wait for its CQE.
 * Returns the CQE result: bytes of results, or a negative CAP_ERR_*. */
int32_t capos_submit_wait(struct capos_rt *rt, struct cap_sqe *sqe);

/* CALL method of cap with a params message; results into result[len]. */
int32_t capos_call(struct capos_rt *rt, uint32_t cap, uint16_t method, const void *params,
		   uint32_t params_len, void *result, uint32_t result_len);

/* Queue an SQE (user_data assigned here) without waiting; returns the
 * user_data. capos_wait() waits for that completion, keeping any others
 * that arrive first for their own waits. */
uint64_t capos_submit(struct capos_rt *rt, struct cap_sqe *sqe);
int32_t capos_wait(struct capos_rt *rt, uint64_t user_data);

/* Submit without flushing the release queue first (the runtime's own). */
int32_t capos_submit_raw(struct capos_rt *rt, struct cap_sqe *sqe);

/* Heap (user/rt/heap.c): lib/kheap over a static arena. */
void *capos_alloc(size_t size);
void capos_free(void *p);

/* Release queue (user/rt/release.c). */
void capos_release(struct capos_rt *rt, uint32_t cap);
int capos_release_flush(struct capos_rt *rt);
unsigned capos_release_pending(void);

/* A decoded CapException (user/rt/exception.c). */
struct capos_error {
	int type; /* enum capos_CapException_Type */
	char message[96];
};
int capos_exception(const void *result, uint32_t len, struct capos_error *out);

/* Write "panic: why" to the console (if any) and exit(-1). */
__attribute__((__noreturn__)) void capos_panic(const char *why);

/* Typed Timer client (user/rt/timer.c). */
int capos_timer_now(struct capos_rt *rt, uint32_t timer, uint64_t *ns);
int capos_timer_sleep(struct capos_rt *rt, uint32_t timer, uint64_t ns);

/* Console.writeLine / write on the cap named "console". */
int32_t capos_console_line(struct capos_rt *rt, const char *text);
int capos_printf(struct capos_rt *rt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
