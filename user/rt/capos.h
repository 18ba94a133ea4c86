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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "include/capos/capset.h"
#include "include/capos/limits.h"
#include "lib/capnp/capnp.h"
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
 * that arrive first for their own waits. capos_wait_any() waits for the
 * first of n and returns its index, with the whole CQE in *out. */
uint64_t capos_submit(struct capos_rt *rt, struct cap_sqe *sqe);
int32_t capos_wait(struct capos_rt *rt, uint64_t user_data);
int capos_wait_any(struct capos_rt *rt, const uint64_t *user_data, unsigned n, struct cap_cqe *out);
/* The completion of user_data if it has arrived (1), else 0; never blocks. */
int capos_poll(struct capos_rt *rt, uint64_t user_data, struct cap_cqe *out);

/* A CALL queued without waiting (returns its user_data), and a CALL that
 * returns its whole CQE (for result caps). */
uint64_t capos_call_submit(struct capos_rt *rt, uint32_t cap, uint16_t method, const void *params,
			   uint32_t params_len, void *result, uint32_t result_len);
int32_t capos_call_cqe(struct capos_rt *rt, uint32_t cap, uint16_t method, const void *params,
		       uint32_t params_len, void *result, uint32_t result_len, struct cap_cqe *cqe);
/* Result cap i of a completion (records after the result bytes), checked
 * against the interface the caller expects; 0 and the CapId in *cap. */
int capos_adopt(const void *result, const struct cap_cqe *cqe, uint32_t i, uint64_t interface_id,
		uint32_t *cap);

/* Submit without flushing the release queue first (the runtime's own). */
int32_t capos_submit_raw(struct capos_rt *rt, struct cap_sqe *sqe);

/* Heap (user/rt/heap.c): lib/kheap over a static arena, with C's
 * semantics; NULL when out of memory, and a bad pointer panics.
 * capos_realloc: p NULL allocates, size 0 frees p and returns NULL, a
 * failed grow returns NULL and leaves p as it was; the alignment of a
 * capos_aligned_alloc object is kept. capos_aligned_alloc: align a power
 * of two up to 4096 (NULL otherwise). capos_calloc: NULL on overflow. */
void *capos_alloc(size_t size);
void *capos_calloc(size_t n, size_t size);
void *capos_aligned_alloc(size_t align, size_t size);
void *capos_realloc(void *p, size_t size);
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

/* A failed call as one value: a transport error (CAP_ERR_*, exc.type -1)
 * or an application exception with its type and message. */
struct capos_status {
	int32_t err; /* 0, or the CQE's negative result */
	struct capos_error exc;
};
/* Fill st from a completion's result; returns st->err. */
int32_t capos_status_of(int32_t result, const void *buf, uint32_t buf_len, struct capos_status *st);
/* "ok", the exception message, or the transport error's name. */
const char *capos_status_str(const struct capos_status *st);

/* BootPackage, ProcessSpawner and ProcessHandle (user/rt/process.c). */
int32_t capos_manifest_size(struct capos_rt *rt, uint32_t boot, uint64_t *size,
			    struct capos_status *st);
/* Read up to max bytes at offset into buf; *got says how many came. */
int32_t capos_manifest_read(struct capos_rt *rt, uint32_t boot, uint64_t offset, void *buf,
			    uint32_t max, uint32_t *got, struct capos_status *st);

enum capos_grant_kind {
	CAPOS_GRANT_COPY,   /* a copy of cap */
	CAPOS_GRANT_MOVE,   /* cap itself, which leaves the caller */
	CAPOS_GRANT_CLIENT, /* a client facet of the endpoint cap */
	CAPOS_GRANT_KERNEL, /* a fresh cap to kernel source `source` */
	CAPOS_GRANT_UNSET,  /* no source (always refused; for hostile tests) */
};
struct capos_grant {
	const char *name;
	uint64_t interface_id;
	enum capos_grant_kind kind;
	uint32_t cap;	 /* COPY, MOVE, CLIENT */
	uint16_t source; /* KERNEL: enum capos_KernelCapSource */
};
/* Spawn binary as name with grants; the ProcessHandle lands in *handle. */
int32_t capos_spawn(struct capos_rt *rt, uint32_t spawner, const char *name, const char *binary,
		    const struct capos_grant *grants, uint32_t n, uint32_t *handle,
		    struct capos_status *st);
/* As capos_spawn; facets[i] gets the client facet ProcessSpawner returns
 * for grant i when it is a kernel endpoint grant (else 0). */
int32_t capos_spawn_ex(struct capos_rt *rt, uint32_t spawner, const char *name, const char *binary,
		       const struct capos_grant *grants, uint32_t n, uint32_t *handle,
		       uint32_t *facets, struct capos_status *st);
/* ProcessHandle.wait, blocking, and as a submission (buf kept until the
 * completion, then decoded by capos_process_exit_code; room for an
 * exception's message too). */
#define CAPOS_WAIT_BUF_WORDS 32
int32_t capos_process_wait(struct capos_rt *rt, uint32_t handle, int64_t *code,
			   struct capos_status *st);
uint64_t capos_process_wait_submit(struct capos_rt *rt, uint32_t handle,
				   uint64_t buf[CAPOS_WAIT_BUF_WORDS]);
int32_t capos_process_exit_code(const struct cap_cqe *cqe, const uint64_t buf[CAPOS_WAIT_BUF_WORDS],
				int64_t *code, struct capos_status *st);

/* Memory capabilities (user/rt/memory.c); prot is vmProt* bits. */
#define CAPOS_PROT_NONE	 0u
#define CAPOS_PROT_READ	 1u
#define CAPOS_PROT_WRITE 2u
#define CAPOS_PROT_EXEC	 4u
int32_t capos_vm_reserve(struct capos_rt *rt, uint32_t vm, uint64_t hint, uint64_t size,
			 uint64_t *addr, struct capos_status *st);
int32_t capos_vm_map(struct capos_rt *rt, uint32_t vm, uint64_t hint, uint64_t size, uint32_t prot,
		     uint64_t *addr, struct capos_status *st);
int32_t capos_vm_commit(struct capos_rt *rt, uint32_t vm, uint64_t addr, uint64_t size,
			uint32_t prot, struct capos_status *st);
int32_t capos_vm_decommit(struct capos_rt *rt, uint32_t vm, uint64_t addr, uint64_t size,
			  struct capos_status *st);
int32_t capos_vm_protect(struct capos_rt *rt, uint32_t vm, uint64_t addr, uint64_t size,
			 uint32_t prot, struct capos_status *st);
int32_t capos_vm_unmap(struct capos_rt *rt, uint32_t vm, uint64_t addr, uint64_t size,
		       struct capos_status *st);
/* count 1: allocFrame; more: allocContiguous. The MemoryObject lands in *mo. */
int32_t capos_frame_alloc(struct capos_rt *rt, uint32_t fa, uint32_t count, uint32_t *mo,
			  struct capos_status *st);
int32_t capos_mo_info(struct capos_rt *rt, uint32_t mo, uint32_t *pages, struct capos_status *st);
int32_t capos_mo_map(struct capos_rt *rt, uint32_t mo, uint64_t hint, uint64_t offset,
		     uint64_t size, uint32_t prot, uint64_t *addr, struct capos_status *st);
int32_t capos_mo_unmap(struct capos_rt *rt, uint32_t mo, uint64_t addr, uint64_t size,
		       struct capos_status *st);
int32_t capos_mo_protect(struct capos_rt *rt, uint32_t mo, uint64_t addr, uint64_t size,
			 uint32_t prot, struct capos_status *st);

/* Threads, park and locks (user/rt/thread.c). A thread needs the caps
 * "threads" (ThreadSpawner) to be created and "thread" (ThreadControl) to
 * end; park and the locks need "park" (ParkSpace). */
struct capos_thread {
	uint32_t handle; /* its ThreadHandle */
	void *stack, *tls, *start;
};
int32_t capos_thread_create(struct capos_rt *rt, int (*fn)(void *), void *arg,
			    struct capos_thread *t, struct capos_status *st);
/* Wait for t's exit code (one-shot), then free its stack and TLS. */
int32_t capos_thread_join(struct capos_rt *rt, struct capos_thread *t, int64_t *code,
			  struct capos_status *st);
void capos_thread_detach(struct capos_rt *rt, struct capos_thread *t);
__attribute__((__noreturn__)) void capos_thread_exit(int64_t code);
uint32_t capos_thread_self(void);
/* PARK on word while it holds expected (PARK_* result, or CAP_ERR_*); and
 * UNPARK up to max waiters (how many woke). */
#define CAPOS_PARK_WOKEN	  0
#define CAPOS_PARK_VALUE_MISMATCH 1
#define CAPOS_PARK_TIMED_OUT	  2
int32_t capos_park(struct capos_rt *rt, const uint32_t *word, uint32_t expected,
		   uint64_t timeout_ns);
int32_t capos_unpark(struct capos_rt *rt, const uint32_t *word, uint32_t max);
struct capos_mutex {
	uint32_t state;
};
struct capos_cond {
	uint32_t seq;
};
struct capos_once {
	uint32_t state;
};
void capos_mutex_lock(struct capos_rt *rt, struct capos_mutex *m);
void capos_mutex_unlock(struct capos_rt *rt, struct capos_mutex *m);
void capos_cond_wait(struct capos_rt *rt, struct capos_cond *c, struct capos_mutex *m);
void capos_cond_signal(struct capos_rt *rt, struct capos_cond *c);
void capos_cond_broadcast(struct capos_rt *rt, struct capos_cond *c);
void capos_once(struct capos_rt *rt, struct capos_once *o, void (*fn)(void));
/* Whether the heap grows through VirtualMemory (the process holds "vm"). */
bool capos_heap_on_vm(void);

/* Endpoint IPC (user/rt/endpoint.c). */
#define CAPOS_MAX_PAYLOAD 16384 /* params or results of one endpoint call */

/* One received call: the header's fields, the params and transfer results
 * inside the RECV buffer. */
struct capos_request {
	uint32_t call_id;
	uint16_t method_id;
	uint64_t interface_id;
	const void *params;
	uint32_t params_len;
	uint32_t ncaps;
	const struct cap_transfer_result *caps;
};
uint64_t capos_recv_submit(struct capos_rt *rt, uint32_t ep, void *buf, uint32_t len);
/* Check a RECV completion against its buffer and fill req; 0 or CAP_ERR_*. */
int32_t capos_request_of(const struct cap_cqe *cqe, const void *buf, uint32_t len,
			 struct capos_request *req);
int32_t capos_recv(struct capos_rt *rt, uint32_t ep, void *buf, uint32_t len,
		   struct capos_request *req);
/* RETURN call_id with result bytes (a CapException when exception) and n
 * transfer descriptors; the RETURN's own result (0 or CAP_ERR_*). */
int32_t capos_return(struct capos_rt *rt, uint32_t ep, uint32_t call_id, const void *result,
		     uint32_t len, bool exception, const struct cap_transfer_descriptor *xd,
		     uint32_t n);
/* A CALL carrying n transfer descriptors, queued (its user_data, 0 if too
 * large). */
uint64_t capos_call_xfer_submit(struct capos_rt *rt, uint32_t cap, uint16_t method,
				const void *params, uint32_t len,
				const struct cap_transfer_descriptor *xd, uint32_t n, void *result,
				uint32_t result_len);
/* A server's method dispatch: a generated capos_X_dispatch wrapped with the
 * request (for its caps and interface id). */
typedef int (*capos_dispatch_fn)(void *self, const struct capos_request *req,
				 struct capnp_msg *params, struct capnp_builder *results,
				 struct capnp_exc *exc);
/* RECV one call, dispatch it and RETURN its results or its exception;
 * the RETURN's result (or the RECV's error). */
int capos_serve_one(struct capos_rt *rt, uint32_t ep, capos_dispatch_fn dispatch, void *self,
		    struct capos_request *req);

/* StdIO.readLine on the cap named "stdio" (max bytes; 0 is the terminal's
 * limit): the LineStatus (0 ok ... 3 end of input) or a CAP_ERR_*. */
int capos_stdio_read_line(struct capos_rt *rt, char *buf, uint32_t max, bool hidden, uint32_t *len);

/* writeLine on the cap named "stdio" when the process has one (a child of
 * the shell), else on "console". */
int32_t capos_console_line(struct capos_rt *rt, const char *text);
int capos_printf(struct capos_rt *rt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
