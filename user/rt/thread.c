/*
 * Threads in libcapos: create, join, detach and exit over ThreadSpawner,
 * ThreadHandle and ThreadControl, each thread with its own stack and TLS
 * block; park/unpark over ParkSpace; and on top of them a mutex, a
 * condition variable and a once.
 *
 * TLS: every program has a TLS block (libcapos keeps the thread id in it).
 * At start the runtime snapshots the initial thread's block — still the
 * ELF's TLS template then — and each new thread gets a fresh copy with its
 * TCB (whose first word points at itself) above it; FS base is the TCB.
 *
 * Park: a PARK SQE is thread-owned (call_id = the thread id), so only its
 * own thread dispatches it and blocks in that cap_enter; its completion is
 * matched by user_data like any other.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "include/capos/syscall.h"
#include "user/rt/capos.h"
#include "user/rt/internal.h"

#define THREAD_STACK (16u * 1024)

static void *tls_template;
static uint64_t tls_size;

void capos_thread_init(uint32_t tid)
{
	uint64_t fs0;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(fs0));
	tls_size = fs0 - CAPOS_USER_IMAGE_END; /* the kernel put the block there */
	tls_template = capos_alloc(tls_size ? tls_size : 1);
	if (tls_template == NULL)
		capos_panic("thread: no memory for the TLS template");
	memcpy(tls_template, (const void *)CAPOS_USER_IMAGE_END, tls_size);
	capos_thread_set_tid(tid);
}

uint32_t capos_thread_self(void)
{
	return capos_self_tid();
}

struct start {
	int (*fn)(void *);
	void *arg;
};

void capos_thread_main(struct start *s, uint64_t tid);

void capos_thread_main(struct start *s, uint64_t tid)
{
	capos_thread_set_tid((uint32_t)tid);
	capos_thread_exit(s->fn(s->arg));
}

void capos_thread_exit(int64_t code)
{
	struct capos_rt *rt = capos_rt_current();
	uint64_t params[4], result[8];
	struct capnp_builder b;
	struct capos_ThreadControl_exitThread_Params_b p;
	uint32_t tc;
	if (capos_lookup(rt, "thread", CAPOS_THREAD_CONTROL_INTERFACE_ID, &tc) != 0)
		capos_panic("thread: exit needs ThreadControl (\"thread\")");
	capos_release_flush(rt);
	capnp_builder_init(&b, params, sizeof(params));
	capos_ThreadControl_exitThread_request(&b, &p);
	capos_ThreadControl_exitThread_Params_set_code(&p, code);
	struct cap_sqe sqe = { .opcode = CAP_OP_CALL,
			       .flags = CAP_SQE_THREAD_OWNED,
			       .call_id = capos_self_tid(),
			       .cap_id = tc,
			       .method_id = CAPOS_THREAD_CONTROL_EXIT_THREAD,
			       .addr = (uint64_t)params,
			       .len = (uint32_t)capnp_builder_finish(&b),
			       .result_addr = (uint64_t)result,
			       .result_len = sizeof(result) };
	capos_submit(rt, &sqe);
	for (;;) /* our own cap_enter dispatches it and never returns here */
		capos_cap_enter(0, 0);
}

int32_t capos_thread_create(struct capos_rt *rt, int (*fn)(void *), void *arg,
			    struct capos_thread *t, struct capos_status *st)
{
	uint32_t spawner;
	struct cap_cqe cqe;
	uint64_t params[16], result[16];
	struct capnp_builder b;
	struct capos_ThreadSpawner_create_Params_b p;

	memset(t, 0, sizeof(*t));
	if (capos_lookup(rt, "threads", CAPOS_THREAD_SPAWNER_INTERFACE_ID, &spawner) != 0)
		return capos_status_of(CAP_ERR_INVALID_CAP, NULL, 0, st);
	t->stack = capos_alloc(THREAD_STACK);
	t->tls = capos_aligned_alloc(4096, tls_size + 64);
	t->start = capos_alloc(sizeof(struct start));
	if (t->stack == NULL || t->tls == NULL || t->start == NULL) {
		capos_free(t->stack);
		capos_free(t->tls);
		capos_free(t->start);
		return capos_status_of(CAP_ERR_QUOTA, NULL, 0, st);
	}
	memcpy(t->tls, tls_template, tls_size);
	uint64_t tcb = (uint64_t)t->tls + tls_size;
	memcpy((void *)tcb, &tcb, sizeof(tcb));
	*(struct start *)t->start = (struct start){ fn, arg };
	extern char capos_thread_start[];
	capnp_builder_init(&b, params, sizeof(params));
	capos_ThreadSpawner_create_request(&b, &p);
	capos_ThreadSpawner_create_Params_set_entry(&p, (uint64_t)capos_thread_start);
	capos_ThreadSpawner_create_Params_set_stackTop(&p, ((uint64_t)t->stack + THREAD_STACK) &
								   ~(uint64_t)15);
	capos_ThreadSpawner_create_Params_set_arg(&p, (uint64_t)t->start);
	capos_ThreadSpawner_create_Params_set_fsBase(&p, tcb);
	int32_t n =
		capos_call_cqe(rt, spawner, CAPOS_THREAD_SPAWNER_CREATE, params,
			       (uint32_t)capnp_builder_finish(&b), result, sizeof(result), &cqe);
	if (capos_status_of(n, result, sizeof(result), st) < 0 ||
	    capos_adopt(result, &cqe, 0, CAPOS_THREAD_HANDLE_INTERFACE_ID, &t->handle) != 0) {
		if (st->err == 0)
			capos_status_of(CAP_ERR_INVALID_REQUEST, NULL, 0, st);
		capos_free(t->stack);
		capos_free(t->tls);
		capos_free(t->start);
		return st->err;
	}
	return 0;
}

static void forget(struct capos_thread *t)
{
	capos_free(t->stack);
	capos_free(t->tls);
	capos_free(t->start);
	t->stack = t->tls = t->start = NULL;
}

int32_t capos_thread_join(struct capos_rt *rt, struct capos_thread *t, int64_t *code,
			  struct capos_status *st)
{
	uint64_t params[4], result[32];
	struct capnp_builder b;
	struct capos_ThreadHandle_join_Params_b p;
	struct capnp_seg segs[2];
	struct capnp_msg m;
	struct capos_ThreadHandle_join_Results_r r;

	capnp_builder_init(&b, params, sizeof(params));
	capos_ThreadHandle_join_request(&b, &p);
	int32_t n = capos_call(rt, t->handle, CAPOS_THREAD_HANDLE_JOIN, params,
			       (uint32_t)capnp_builder_finish(&b), result, sizeof(result));
	if (capos_status_of(n, result, sizeof(result), st) < 0)
		return st->err;
	if (capnp_msg_init(&m, result, (size_t)n, segs, 2, NULL) != CAPNP_OK ||
	    capos_ThreadHandle_join_Results_read_root(&m, &r) != CAPNP_OK)
		return capos_status_of(CAP_ERR_INVALID_REQUEST, NULL, 0, st);
	*code = capos_ThreadHandle_join_Results_get_exitCode(&r);
	capos_release(rt, t->handle);
	forget(t);
	return 0;
}

void capos_thread_detach(struct capos_rt *rt, struct capos_thread *t)
{
	/* The thread keeps running on its stack and TLS, which stay allocated
	 * (nothing tells the runtime when it is off them). */
	capos_release(rt, t->handle);
	capos_release_flush(rt);
}

/* ---- park ---- */

int32_t capos_park(struct capos_rt *rt, const uint32_t *word, uint32_t expected,
		   uint64_t timeout_ns)
{
	uint32_t ps;
	struct cap_cqe cqe;
	if (capos_lookup(rt, "park", CAPOS_PARK_SPACE_INTERFACE_ID, &ps) != 0)
		return CAP_ERR_INVALID_CAP;
	struct cap_sqe sqe = { .opcode = CAP_OP_PARK,
			       .flags = CAP_SQE_THREAD_OWNED,
			       .call_id = capos_self_tid(),
			       .cap_id = ps,
			       .addr = (uint64_t)word,
			       .len = expected,
			       .pipeline_dep = timeout_ns };
	uint64_t ud = capos_submit(rt, &sqe);
	capos_wait_any(rt, &ud, 1, &cqe);
	return cqe.result;
}

int32_t capos_unpark(struct capos_rt *rt, const uint32_t *word, uint32_t max)
{
	uint32_t ps;
	if (capos_lookup(rt, "park", CAPOS_PARK_SPACE_INTERFACE_ID, &ps) != 0)
		return CAP_ERR_INVALID_CAP;
	struct cap_sqe sqe = {
		.opcode = CAP_OP_UNPARK, .cap_id = ps, .addr = (uint64_t)word, .len = max
	};
	return capos_submit_wait(rt, &sqe);
}

/* ---- mutex: 0 free, 1 held, 2 held with waiters ---- */

void capos_mutex_lock(struct capos_rt *rt, struct capos_mutex *m)
{
	uint32_t free = 0;
	if (__atomic_compare_exchange_n(&m->state, &free, 1, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED))
		return;
	while (__atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE) != 0)
		capos_park(rt, &m->state, 2, CAPOS_TIMEOUT_NONE);
}

void capos_mutex_unlock(struct capos_rt *rt, struct capos_mutex *m)
{
	if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2)
		capos_unpark(rt, &m->state, 1);
}

/* ---- condition variable: a sequence number to park on ---- */

void capos_cond_wait(struct capos_rt *rt, struct capos_cond *c, struct capos_mutex *m)
{
	uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	capos_mutex_unlock(rt, m);
	capos_park(rt, &c->seq, seq, CAPOS_TIMEOUT_NONE);
	capos_mutex_lock(rt, m);
}

void capos_cond_signal(struct capos_rt *rt, struct capos_cond *c)
{
	__atomic_add_fetch(&c->seq, 1, __ATOMIC_RELEASE);
	capos_unpark(rt, &c->seq, 1);
}

void capos_cond_broadcast(struct capos_rt *rt, struct capos_cond *c)
{
	__atomic_add_fetch(&c->seq, 1, __ATOMIC_RELEASE);
	capos_unpark(rt, &c->seq, UINT32_MAX);
}

/* ---- once: 0 not run, 1 running, 2 done ---- */

void capos_once(struct capos_rt *rt, struct capos_once *o, void (*fn)(void))
{
	uint32_t zero = 0;
	if (__atomic_load_n(&o->state, __ATOMIC_ACQUIRE) == 2)
		return;
	if (__atomic_compare_exchange_n(&o->state, &zero, 1, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		fn();
		__atomic_store_n(&o->state, 2, __ATOMIC_RELEASE);
		capos_unpark(rt, &o->state, UINT32_MAX);
		return;
	}
	while (__atomic_load_n(&o->state, __ATOMIC_ACQUIRE) != 2)
		capos_park(rt, &o->state, 1, CAPOS_TIMEOUT_NONE);
}
