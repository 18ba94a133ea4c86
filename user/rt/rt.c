/*
 * libcapos core: process start, system calls, the ring client and CapSet
 * lookup. One ring client per process; calls are submitted and waited for
 * one at a time, matched by user_data.
 */
#include "user/rt/capos.h"
#include "user/rt/internal.h"

#include <string.h>

#include "include/capos/syscall.h"
#include "lib/capset/capset.h"
#include "lib/ring/ring.h"

void capos_start(uint64_t ring, uint64_t pid, uint64_t capset, uint64_t tid);

static struct capos_rt *the_rt; /* for capos_panic and the heap */

/* The runtime lock (user/rt/internal.h). */
static uint32_t rt_lock;

void capos_rt_lock(void)
{
	while (__atomic_exchange_n(&rt_lock, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
}

void capos_rt_unlock(void)
{
	__atomic_store_n(&rt_lock, 0, __ATOMIC_RELEASE);
}

/* Every program has a TLS block (this variable is in it), so FS is valid
 * in every thread. */
static __thread uint32_t self_tid;

uint32_t capos_self_tid(void)
{
	return self_tid;
}

struct capos_rt *capos_rt_current(void)
{
	return the_rt;
}

void capos_thread_set_tid(uint32_t tid)
{
	self_tid = tid;
}

/* cap_enter with the CQ head the caller last saw (CAPOS_CQ_HEAD_ANY: none). */
static int64_t cap_enter_seen(uint64_t min_complete, uint64_t timeout_ns, uint64_t head_seen)
{
	int64_t ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(CAPOS_SYS_CAP_ENTER), "D"(min_complete), "S"(timeout_ns),
			   "d"(head_seen)
			 : "rcx", "r11", "memory");
	return ret;
}

int64_t capos_cap_enter(uint64_t min_complete, uint64_t timeout_ns)
{
	return cap_enter_seen(min_complete, timeout_ns, CAPOS_CQ_HEAD_ANY);
}

void capos_exit(int64_t code)
{
	__asm__ volatile("syscall" : : "a"(CAPOS_SYS_EXIT), "D"(code) : "rcx", "r11", "memory");
	__builtin_unreachable();
}

void capos_start(uint64_t ring, uint64_t pid, uint64_t capset, uint64_t tid)
{
	static struct capos_rt rt; /* shared by every thread of the process */
	rt = (struct capos_rt){ (struct cap_ring *)ring, (const void *)capset, (uint32_t)pid, 1 };
	the_rt = &rt;
	capos_thread_init((uint32_t)tid);
	int code = main(&rt);
	capos_release_flush(&rt);
	capos_exit(code);
}

int capos_lookup(struct capos_rt *rt, const char *name, uint64_t interface_id, uint32_t *cap)
{
	const struct capset_entry *e;
	int err = capset_find(rt->capset, name, (uint32_t)strlen(name), interface_id, &e);
	if (err == CAPSET_OK)
		*cap = e->cap_id;
	return err;
}

int32_t capos_submit_wait(struct capos_rt *rt, struct cap_sqe *sqe)
{
	capos_release_flush(rt); /* queued releases go out at the ring boundary */
	return capos_submit_raw(rt, sqe);
}

/* Completions that arrived while waiting for another one, kept until
 * their own wait asks for them (completions may come out of order). */
#define STASH 32
static struct cap_cqe stash[STASH];
static unsigned stashed;

static int take_stashed(const uint64_t *user_data, unsigned n, struct cap_cqe *out)
{
	for (unsigned i = 0; i < stashed; i++) {
		for (unsigned j = 0; j < n; j++) {
			if (stash[i].user_data == user_data[j]) {
				*out = stash[i];
				stash[i] = stash[--stashed];
				return (int)j;
			}
		}
	}
	return -1;
}

/* Waiting with threads. A thread that finds nothing blocks in cap_enter
 * until a completion is posted, telling the kernel the CQ head it saw
 * when it looked (under the runtime lock): if a sibling took completions
 * since -- maybe this thread's, into the stash -- the head has moved and
 * the kernel returns at once instead of blocking, and it also returns a
 * thread woken by a posting once a sibling took completions while it
 * slept (docs/abi.md). Either way the thread looks again. */

/* Take the first of n completions from the stash or the CQ (stashing the
 * others), without entering the kernel; -1 when none is there yet. */
static int take(struct capos_rt *rt, const uint64_t *user_data, unsigned n, struct cap_cqe *out)
{
	struct cap_cqe cqe;
	int which;

	if ((which = take_stashed(user_data, n, out)) >= 0)
		return which;
	while (ring_cq_take(rt->ring, &cqe)) {
		for (unsigned j = 0; j < n; j++) {
			if (cqe.user_data == user_data[j]) {
				*out = cqe;
				return (int)j;
			}
		}
		if (stashed == STASH)
			capos_panic("ring: too many unclaimed completions");
		stash[stashed++] = cqe;
	}
	return -1;
}

static int take_locked(struct capos_rt *rt, const uint64_t *user_data, unsigned n,
		       struct cap_cqe *out)
{
	capos_rt_lock();
	int which = take(rt, user_data, n, out);
	capos_rt_unlock();
	return which;
}

int capos_wait_any(struct capos_rt *rt, const uint64_t *user_data, unsigned n, struct cap_cqe *out)
{
	for (;;) {
		capos_rt_lock();
		int which = take(rt, user_data, n, out);
		uint32_t seen =
			__atomic_load_n(&rt->ring->hdr.cq_head, __ATOMIC_RELAXED); /* ours */
		capos_rt_unlock();
		if (which >= 0)
			return which;
		cap_enter_seen(1, CAPOS_TIMEOUT_NONE, seen);
	}
}

int capos_poll(struct capos_rt *rt, uint64_t user_data, struct cap_cqe *out)
{
	return take_locked(rt, &user_data, 1, out) == 0;
}

int32_t capos_wait(struct capos_rt *rt, uint64_t user_data)
{
	struct cap_cqe cqe;
	capos_wait_any(rt, &user_data, 1, &cqe);
	return cqe.result;
}

uint64_t capos_submit(struct capos_rt *rt, struct cap_sqe *sqe)
{
	capos_rt_lock();
	sqe->user_data = rt->next_user_data++;
	while (ring_sq_push(rt->ring, sqe) < 0) {
		/* SQ full: let the kernel drain it, never holding the lock there */
		capos_rt_unlock();
		capos_cap_enter(0, 0);
		capos_rt_lock();
	}
	capos_rt_unlock();
	return sqe->user_data;
}

int32_t capos_submit_raw(struct capos_rt *rt, struct cap_sqe *sqe)
{
	return capos_wait(rt, capos_submit(rt, sqe));
}

uint64_t capos_call_submit(struct capos_rt *rt, uint32_t cap, uint16_t method, const void *params,
			   uint32_t params_len, void *result, uint32_t result_len)
{
	struct cap_sqe sqe = {
		.opcode = CAP_OP_CALL,
		.cap_id = cap,
		.method_id = method,
		.addr = (uint64_t)params,
		.len = params_len,
		.result_addr = (uint64_t)result,
		.result_len = result_len,
	};
	capos_release_flush(rt);
	return capos_submit(rt, &sqe);
}

int32_t capos_call_cqe(struct capos_rt *rt, uint32_t cap, uint16_t method, const void *params,
		       uint32_t params_len, void *result, uint32_t result_len, struct cap_cqe *cqe)
{
	uint64_t ud = capos_call_submit(rt, cap, method, params, params_len, result, result_len);
	capos_wait_any(rt, &ud, 1, cqe);
	return cqe->result;
}

int capos_adopt(const void *result, const struct cap_cqe *cqe, uint32_t i, uint64_t interface_id,
		uint32_t *cap)
{
	if (cqe->result < 0 || !(cqe->flags & CAP_CQE_TRANSFER_RESULT_CAPS) || i >= cqe->cap_count)
		return CAP_ERR_INVALID_REQUEST;
	uint32_t at = ((uint32_t)cqe->result + CAP_TRANSFER_DESCRIPTOR_ALIGNMENT - 1) &
		      ~(uint32_t)(CAP_TRANSFER_DESCRIPTOR_ALIGNMENT - 1);
	struct cap_transfer_result r;
	memcpy(&r, (const uint8_t *)result + at + i * sizeof(r), sizeof(r));
	if (r.interface_id != interface_id)
		return CAP_ERR_INVALID_REQUEST;
	*cap = r.cap_id;
	return 0;
}

int32_t capos_call(struct capos_rt *rt, uint32_t cap, uint16_t method, const void *params,
		   uint32_t params_len, void *result, uint32_t result_len)
{
	struct cap_sqe sqe = {
		.opcode = CAP_OP_CALL,
		.cap_id = cap,
		.method_id = method,
		.addr = (uint64_t)params,
		.len = params_len,
		.result_addr = (uint64_t)result,
		.result_len = result_len,
	};
	return capos_submit_wait(rt, &sqe);
}

void capos_panic(const char *why)
{
	if (the_rt != NULL)
		capos_printf(the_rt, "panic: %s", why);
	capos_exit(-1);
}
