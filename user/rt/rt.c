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

int64_t capos_cap_enter(uint64_t min_complete, uint64_t timeout_ns)
{
	int64_t ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(CAPOS_SYS_CAP_ENTER), "D"(min_complete), "S"(timeout_ns)
			 : "rcx", "r11", "memory");
	return ret;
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
 * until a completion is posted, and the kernel also lets it return when
 * a sibling took completions from the CQ while it slept (docs/abi.md).
 * One window is left: a sibling can move this thread's completion to the
 * stash after this thread looked and before it entered cap_enter, where
 * the kernel cannot see it. So a thread counts itself in `waiting` (under
 * the runtime lock) from its look until it is back, and a thread that
 * stashes a completion while anyone is waiting kicks the ring: a NOP whose
 * completion keeps the waiter from blocking, or wakes it, so it looks
 * again. Whoever takes a kick completion drops it, and kicks again if
 * anyone is still waiting. */
#define KICK_USER_DATA UINT64_MAX
static unsigned waiting;
static bool kick;

/* Take the first of n completions from the stash or the CQ (stashing the
 * others), without entering the kernel; -1 when none is there yet. */
static int take(struct capos_rt *rt, const uint64_t *user_data, unsigned n, struct cap_cqe *out)
{
	struct cap_cqe cqe;
	int which;

	if ((which = take_stashed(user_data, n, out)) >= 0)
		return which;
	while (ring_cq_take(rt->ring, &cqe)) {
		if (cqe.user_data == KICK_USER_DATA) {
			/* Dropped here, it may have been for a sibling still on
			 * its way into cap_enter: pass it on (the ring model,
			 * tests/model/waiters.pml, found the lost wake-up). */
			kick |= waiting > 0;
			continue;
		}
		for (unsigned j = 0; j < n; j++) {
			if (cqe.user_data == user_data[j]) {
				*out = cqe;
				return (int)j;
			}
		}
		if (stashed == STASH)
			capos_panic("ring: too many unclaimed completions");
		stash[stashed++] = cqe;
		kick |= waiting > 0;
	}
	return -1;
}

static uint64_t submit(struct capos_rt *rt, struct cap_sqe *sqe, uint64_t user_data);

/* After the lock is dropped: kick the ring if a stash asked for it. */
static void kick_if_asked(struct capos_rt *rt, bool asked)
{
	if (!asked)
		return;
	struct cap_sqe nop = { .opcode = CAP_OP_NOP };
	submit(rt, &nop, KICK_USER_DATA);
	capos_cap_enter(0, 0);
}

static int take_locked(struct capos_rt *rt, const uint64_t *user_data, unsigned n,
		       struct cap_cqe *out)
{
	capos_rt_lock();
	int which = take(rt, user_data, n, out);
	bool asked = kick;
	kick = false;
	capos_rt_unlock();
	kick_if_asked(rt, asked);
	return which;
}

int capos_wait_any(struct capos_rt *rt, const uint64_t *user_data, unsigned n, struct cap_cqe *out)
{
	capos_rt_lock();
	for (;;) {
		int which = take(rt, user_data, n, out);
		bool asked = kick;
		kick = false;
		if (which < 0)
			waiting++;
		capos_rt_unlock();
		kick_if_asked(rt, asked);
		if (which >= 0)
			return which;
		capos_cap_enter(1, CAPOS_TIMEOUT_NONE);
		capos_rt_lock();
		waiting--;
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

/* Queue sqe with user_data, or the next fresh one when it is 0. */
static uint64_t submit(struct capos_rt *rt, struct cap_sqe *sqe, uint64_t user_data)
{
	capos_rt_lock();
	sqe->user_data = user_data != 0 ? user_data : rt->next_user_data++;
	while (ring_sq_push(rt->ring, sqe) < 0) {
		/* SQ full: let the kernel drain it, never holding the lock there */
		capos_rt_unlock();
		capos_cap_enter(0, 0);
		capos_rt_lock();
	}
	capos_rt_unlock();
	return sqe->user_data;
}

uint64_t capos_submit(struct capos_rt *rt, struct cap_sqe *sqe)
{
	return submit(rt, sqe, 0);
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
