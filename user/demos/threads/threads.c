/*
 * thread-check: threads, park and the runtime locks in one process.
 *   lifecycle: two threads share the address space and caps, each with
 *     its own FS base and TLS; join; a thread joining itself fails; a
 *     second pending join fails; a join after a join fails; exitCode never
 *     blocks; a detached thread runs to its end; setFsBase moves the main
 *     thread's TLS block and back, across switches to other threads;
 *   park: value mismatch, zero timeout, a finite timeout that does not end
 *     early, wake-one, wake-many in FIFO order, a wake while a sibling
 *     blocks in cap_enter;
 *   mutex stress: 8 threads add 100,000 each to one counter under the
 *     runtime mutex; the count is exact; a condition variable and a once;
 *   quota: threads beyond the per-process limit are refused;
 *   last thread: the main thread exits first with 7, the last one with 0,
 *     and the process's exit code is the last thread's.
 * Run with the cap "role-park-exit" instead, it exits with a thread still
 * parked (the kernel drops the waiter with the process).
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "include/capos/syscall.h"
#include "user/rt/capos.h"

#define MS	  ((uint64_t)1000000)
#define THREADS	  8
#define INCREMENT 100000

static struct capos_rt *rt;
static uint32_t timer;
static int failures, checks;
static __thread uint32_t tls_marker;

static void check(bool ok, const char *what)
{
	checks++;
	if (!ok) {
		__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
		capos_printf(rt, "thread-check: FAIL %s", what);
	}
}

static uint64_t now(void)
{
	uint64_t ns = 0;
	capos_timer_now(rt, timer, &ns);
	return ns;
}

static uint64_t fs_base(void)
{
	uint64_t fs;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(fs));
	return fs;
}

/* ---- lifecycle ---- */

static uint32_t shared_word;
static uint64_t seen_fs[2];
static uint32_t go;
static struct capos_thread self_joiner;

static int worker(void *arg)
{
	uintptr_t i = (uintptr_t)arg;
	tls_marker = 100 + (uint32_t)i;
	seen_fs[i] = fs_base();
	__atomic_add_fetch(&shared_word, 1, __ATOMIC_RELAXED);
	capos_timer_sleep(rt, timer, 20 * MS);
	return tls_marker == 100 + i &&
			       capos_console_line(rt, "thread-check: a worker thread "
						      "writes through the shared console") >= 0 ?
		       40 + (int)i :
		       -1;
}

static int joins_itself(void *arg)
{
	struct capos_status st;
	int64_t code;
	(void)arg;
	while (__atomic_load_n(&go, __ATOMIC_ACQUIRE) == 0)
		capos_park(rt, &go, 0, 5 * MS);
	int32_t r = capos_thread_join(rt, &self_joiner, &code, &st);
	return r == CAP_ERR_APPLICATION_EXCEPTION &&
			       strcmp(st.exc.message,
				      "threadHandle: a thread cannot join itself") == 0 ?
		       5 :
		       6;
}

static int quick(void *arg)
{
	(void)arg;
	return 3;
}

static void lifecycle(void)
{
	struct capos_thread a, b, d;
	struct capos_status st;
	int64_t ca = 0, cb = 0;
	tls_marker = 7;
	check(capos_thread_create(rt, worker, (void *)0, &a, &st) == 0 &&
		      capos_thread_create(rt, worker, (void *)1, &b, &st) == 0,
	      "create two threads");
	/* A second join while one is pending, then exitCode, then join. */
	uint64_t p1[4], p2[4], r1[32], r2[32];
	struct capnp_builder bld;
	struct capos_ThreadHandle_join_Params_b jp;
	capnp_builder_init(&bld, p1, sizeof(p1));
	capos_ThreadHandle_join_request(&bld, &jp);
	uint32_t len = (uint32_t)capnp_builder_finish(&bld);
	memcpy(p2, p1, sizeof(p1));
	uint64_t u1 =
		capos_call_submit(rt, b.handle, CAPOS_THREAD_HANDLE_JOIN, p1, len, r1, sizeof(r1));
	uint64_t u2 =
		capos_call_submit(rt, b.handle, CAPOS_THREAD_HANDLE_JOIN, p2, len, r2, sizeof(r2));
	struct cap_cqe c;
	capos_wait_any(rt, &u2, 1, &c);
	capos_status_of(c.result, r2, sizeof(r2), &st);
	check(c.result == CAP_ERR_APPLICATION_EXCEPTION &&
		      strcmp(st.exc.message, "threadHandle: a join is already pending") == 0,
	      "a second pending join fails");
	capos_wait_any(rt, &u1, 1, &c);
	check(c.result > 0, "the first join completes");
	check(capos_thread_join(rt, &a, &ca, &st) == 0 && ca == 40, "join thread a");
	check(seen_fs[0] != 0 && seen_fs[1] != 0 && seen_fs[0] != seen_fs[1] &&
		      seen_fs[0] != fs_base(),
	      "each thread has its own FS base");
	check(tls_marker == 7, "TLS of the main thread untouched by the workers");
	check(__atomic_load_n(&shared_word, __ATOMIC_RELAXED) == 2, "one address space");
	/* Join after a join (the handle stays until released). */
	check(capos_thread_join(rt, &b, &cb, &st) == CAP_ERR_APPLICATION_EXCEPTION &&
		      strcmp(st.exc.message, "threadHandle: already joined") == 0,
	      "a join after a join fails");
	capos_release(rt, b.handle);
	capos_free(b.stack);
	capos_free(b.tls);
	capos_free(b.start);
	/* Self-join. */
	check(capos_thread_create(rt, joins_itself, NULL, &self_joiner, &st) == 0,
	      "create the self-joiner");
	struct capos_thread copy = self_joiner;
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	capos_unpark(rt, &go, 1);
	check(capos_thread_join(rt, &copy, &cb, &st) == 0 && cb == 5,
	      "a thread cannot join itself");
	/* Detach. */
	check(capos_thread_create(rt, quick, NULL, &d, &st) == 0, "create a detached thread");
	capos_thread_detach(rt, &d);
}

/* ---- ThreadControl.setFsBase ---- */

/* One ThreadControl CALL: set (set) or get this thread's FS base. */
static uint64_t fs_call(bool set, uint64_t fs)
{
	uint64_t params[4], result[8];
	struct capnp_builder b;
	struct capnp_seg segs[1];
	struct capnp_msg m;
	struct capnp_struct root;
	uint32_t tc;
	if (capos_lookup(rt, "thread", CAPOS_THREAD_CONTROL_INTERFACE_ID, &tc) != 0)
		return 0;
	capnp_builder_init(&b, params, sizeof(params));
	if (set) {
		struct capos_ThreadControl_setFsBase_Params_b p;
		capos_ThreadControl_setFsBase_request(&b, &p);
		capos_ThreadControl_setFsBase_Params_set_fsBase(&p, fs);
	} else {
		struct capos_ThreadControl_getFsBase_Params_b p;
		capos_ThreadControl_getFsBase_request(&b, &p);
	}
	int32_t n = capos_call(
		rt, tc, set ? CAPOS_THREAD_CONTROL_SET_FS_BASE : CAPOS_THREAD_CONTROL_GET_FS_BASE,
		params, (uint32_t)capnp_builder_finish(&b), result, sizeof(result));
	if (n < 0 || set)
		return n < 0 ? 0 : fs;
	if (capnp_msg_init(&m, result, (size_t)n, segs, 1, NULL) != CAPNP_OK ||
	    capnp_msg_root_struct(&m, &root) < 0)
		return 0;
	struct capos_ThreadControl_getFsBase_Results_r r = { root };
	return capos_ThreadControl_getFsBase_Results_get_fsBase(&r);
}

/* The main thread moves its TLS block (a copy, new TCB) with setFsBase,
 * then lets a worker and the timer run before it looks: the kernel
 * skips the FS-base write when a thread's base is the one loaded, so a
 * set base must survive every switch. Then it moves back. */
static void fs_moves(void)
{
	struct capos_thread w;
	struct capos_status st;
	int64_t code;
	uint64_t old = fs_base(), size = old - CAPOS_USER_IMAGE_END;
	uint8_t *block = capos_aligned_alloc(4096, size + 16);
	check(block != NULL, "setFsBase: a block for the TLS copy");
	if (block == NULL)
		return;
	memcpy(block, (const void *)CAPOS_USER_IMAGE_END, size + 16);
	uint64_t tcb = (uint64_t)block + size;
	memcpy(block + size, &tcb, 8); /* the TCB points at itself */
	check(fs_call(true, tcb) == tcb && fs_base() == tcb, "setFsBase moves the TLS block");
	tls_marker = 8; /* into the copy */
	check(capos_thread_create(rt, worker, (void *)0, &w, &st) == 0 &&
		      capos_thread_join(rt, &w, &code, &st) == 0 && code == 40 && seen_fs[0] != tcb,
	      "setFsBase: a worker runs with its own FS base meanwhile");
	capos_timer_sleep(rt, timer, 2 * MS);
	check(fs_base() == tcb && fs_call(false, 0) == tcb && tls_marker == 8,
	      "setFsBase: the new base survives switches");
	check(fs_call(true, old) == old && fs_base() == old && tls_marker == 7,
	      "setFsBase: moved back, the original block untouched");
	capos_free(block);
}

/* ---- a join left behind by a thread that exited ---- */

static uint32_t orphan_gate, orphan_target;
static uint64_t orphan_ud, orphan_params[4], orphan_result[32];

static uint32_t join_request(uint64_t *buf, size_t size)
{
	struct capnp_builder b;
	struct capos_ThreadHandle_join_Params_b jp;
	capnp_builder_init(&b, buf, size);
	capos_ThreadHandle_join_request(&b, &jp);
	return (uint32_t)capnp_builder_finish(&b);
}

static int gated(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&orphan_gate, __ATOMIC_ACQUIRE) == 0)
		capos_park(rt, &orphan_gate, 0, CAPOS_TIMEOUT_NONE);
	return 9;
}

/* Submit a join and have the kernel take it (this thread is its waiter),
 * then exit without waiting for it. */
static int orphan_joiner(void *arg)
{
	(void)arg;
	uint32_t len = join_request(orphan_params, sizeof(orphan_params));
	orphan_ud = capos_call_submit(rt, orphan_target, CAPOS_THREAD_HANDLE_JOIN, orphan_params,
				      len, orphan_result, sizeof(orphan_result));
	capos_cap_enter(0, 0);
	return 0;
}

static void orphaned_join(void)
{
	struct capos_thread t, j;
	struct capos_status st;
	int64_t code = -1;
	uint64_t params[4], result[32];
	struct cap_cqe c;
	check(capos_thread_create(rt, gated, NULL, &t, &st) == 0, "create the gated thread");
	orphan_target = t.handle;
	check(capos_thread_create(rt, orphan_joiner, NULL, &j, &st) == 0 &&
		      capos_thread_join(rt, &j, &code, &st) == 0 && code == 0,
	      "a thread submits a join and exits before it completes");
	/* Another thread joins: the dead thread's join is cancelled (its SQE
	 * still gets its CQE), and this one takes its place. */
	uint32_t len = join_request(params, sizeof(params));
	uint64_t mine = capos_call_submit(rt, t.handle, CAPOS_THREAD_HANDLE_JOIN, params, len,
					  result, sizeof(result));
	capos_cap_enter(0, 0);
	__atomic_store_n(&orphan_gate, 1, __ATOMIC_RELEASE);
	capos_unpark(rt, &orphan_gate, 1);
	capos_wait_any(rt, &mine, 1, &c);
	check(c.result > 0, "a join after the orphaned one is accepted and completes");
	capos_wait_any(rt, &orphan_ud, 1, &c);
	check(c.result == CAP_ERR_CANCELLED, "the orphaned join completes, cancelled");
	capos_release(rt, t.handle);
	capos_free(t.stack);
	capos_free(t.tls);
	capos_free(t.start);
}

/* ---- park ---- */

static uint32_t pword, order_next, order[3];
static uint32_t fifo_word;

static int parker(void *arg)
{
	uintptr_t i = (uintptr_t)arg;
	int32_t r = capos_park(rt, &fifo_word, 0, CAPOS_TIMEOUT_NONE);
	order[__atomic_fetch_add(&order_next, 1, __ATOMIC_RELAXED)] = (uint32_t)i;
	return r == CAPOS_PARK_WOKEN ? 0 : 1;
}

static uint32_t sleeping_done, woke_word;

static int sleeper(void *arg)
{
	(void)arg;
	capos_timer_sleep(rt, timer, 200 * MS); /* blocks in cap_enter */
	__atomic_store_n(&sleeping_done, 1, __ATOMIC_RELEASE);
	return 0;
}

static int woken_one(void *arg)
{
	(void)arg;
	int32_t r = capos_park(rt, &woke_word, 0, CAPOS_TIMEOUT_NONE);
	return r == CAPOS_PARK_WOKEN && !__atomic_load_n(&sleeping_done, __ATOMIC_ACQUIRE) ? 0 : 1;
}

static void park(void)
{
	struct capos_status st;
	struct capos_thread t[3], s, w;
	int64_t code;
	pword = 5;
	check(capos_park(rt, &pword, 4, CAPOS_TIMEOUT_NONE) == CAPOS_PARK_VALUE_MISMATCH,
	      "value mismatch");
	check(capos_park(rt, &pword, 5, 0) == CAPOS_PARK_TIMED_OUT, "zero timeout");
	uint64_t t0 = now();
	check(capos_park(rt, &pword, 5, 10 * MS) == CAPOS_PARK_TIMED_OUT && now() - t0 >= 10 * MS,
	      "a 10 ms timeout, not early");
	check(capos_unpark(rt, &pword, 1) == 0, "waking nobody wakes none");
	/* FIFO: three parkers in order, then three single wakes. */
	for (uintptr_t i = 0; i < 3; i++) {
		check(capos_thread_create(rt, parker, (void *)i, &t[i], &st) == 0,
		      "create a parker");
		capos_timer_sleep(rt, timer, 15 * MS); /* let it park before the next */
	}
	for (int i = 0; i < 3; i++) {
		check(capos_unpark(rt, &fifo_word, 1) == 1, "wake one");
		capos_timer_sleep(rt, timer, 10 * MS);
	}
	for (int i = 0; i < 3; i++)
		check(capos_thread_join(rt, &t[i], &code, &st) == 0 && code == 0, "parker woken");
	check(order[0] == 0 && order[1] == 1 && order[2] == 2, "wakes in FIFO order");
	/* Wake-many, and a wake while a sibling blocks in cap_enter. */
	check(capos_thread_create(rt, sleeper, NULL, &s, &st) == 0 &&
		      capos_thread_create(rt, woken_one, NULL, &w, &st) == 0,
	      "create sleeper and parker");
	capos_timer_sleep(rt, timer, 30 * MS);
	check(capos_unpark(rt, &woke_word, 10) == 1, "wake-many wakes the one waiter");
	check(capos_thread_join(rt, &w, &code, &st) == 0 && code == 0,
	      "woken while a sibling still blocks in cap_enter");
	check(capos_thread_join(rt, &s, &code, &st) == 0 && code == 0, "the sleeper ends");
}

/* ---- locks ---- */

static struct capos_mutex mutex;
static struct capos_cond cond;
static struct capos_once once;
static uint64_t counter;
static uint32_t ready, once_runs;

static void init_once(void)
{
	once_runs++;
}

static int adder(void *arg)
{
	(void)arg;
	capos_once(rt, &once, init_once);
	for (int i = 0; i < INCREMENT; i++) {
		capos_mutex_lock(rt, &mutex);
		uint64_t v = counter;
		__asm__ volatile("" ::: "memory");
		counter = v + 1;
		capos_mutex_unlock(rt, &mutex);
	}
	capos_mutex_lock(rt, &mutex);
	ready++;
	capos_cond_signal(rt, &cond);
	capos_mutex_unlock(rt, &mutex);
	return 0;
}

static void locks(void)
{
	struct capos_status st;
	struct capos_thread t[THREADS];
	int64_t code;
	for (int i = 0; i < THREADS; i++)
		check(capos_thread_create(rt, adder, NULL, &t[i], &st) == 0, "create an adder");
	capos_mutex_lock(rt, &mutex);
	while (ready < THREADS)
		capos_cond_wait(rt, &cond, &mutex);
	capos_mutex_unlock(rt, &mutex);
	for (int i = 0; i < THREADS; i++)
		check(capos_thread_join(rt, &t[i], &code, &st) == 0 && code == 0, "join an adder");
	check(counter == (uint64_t)THREADS * INCREMENT, "the count is exact");
	check(once_runs == 1, "once ran once");
	capos_printf(rt, "thread-check: %d threads x %d increments under the mutex = %lu", THREADS,
		     INCREMENT, counter);
}

/* ---- quota ---- */

static uint32_t hold;

static int holder(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&hold, __ATOMIC_ACQUIRE) == 0)
		capos_park(rt, &hold, 0, CAPOS_TIMEOUT_NONE);
	return 0;
}

static void quota(void)
{
	static struct capos_thread t[20];
	struct capos_status st;
	int64_t code;
	int n = 0;
	while (n < 20 && capos_thread_create(rt, holder, NULL, &t[n], &st) == 0)
		n++;
	check(n < 20 && st.exc.type == CAPOS_CAP_EXCEPTION_TYPE_OVERLOADED &&
		      strcmp(st.exc.message, "threadSpawner: thread limit reached") == 0,
	      "threads beyond the limit are refused");
	__atomic_store_n(&hold, 1, __ATOMIC_RELEASE);
	capos_unpark(rt, &hold, UINT32_MAX);
	for (int i = 0; i < n; i++)
		check(capos_thread_join(rt, &t[i], &code, &st) == 0, "join a holder");
	capos_printf(rt,
		     "thread-check: %d more threads fit the per-process limit, the next was "
		     "refused",
		     n);
}

static int last(void *arg)
{
	(void)arg;
	capos_timer_sleep(rt, timer, 50 * MS);
	capos_printf(rt, "thread-check: %d of %d checks passed; the last thread exits with 0",
		     checks - failures, checks);
	return failures ? 1 : 0;
}

static uint32_t never;

static int park_forever(void *arg)
{
	(void)arg;
	capos_park(rt, &never, 0, CAPOS_TIMEOUT_NONE);
	return 9;
}

int main(struct capos_rt *r)
{
	struct capos_status st;
	struct capos_thread t;
	uint32_t cap;
	rt = r;
	if (capos_lookup(rt, "timer", CAPOS_TIMER_INTERFACE_ID, &timer) != 0)
		capos_panic("thread-check: needs timer, threads, thread and park");
	if (capos_lookup(rt, "role-park-exit", 0, &cap) == 0) {
		capos_thread_create(rt, park_forever, NULL, &t, &st);
		capos_timer_sleep(rt, timer, 20 * MS);
		capos_printf(rt, "thread-check: exiting with a thread parked");
		return 0;
	}
	check(capos_heap_on_vm(), "the heap grows through VirtualMemory");
	lifecycle();
	fs_moves();
	orphaned_join();
	park();
	locks();
	quota();
	check(capos_thread_create(rt, last, NULL, &t, &st) == 0, "create the last thread");
	capos_thread_detach(rt, &t);
	capos_thread_exit(7); /* the process goes on until the last thread ends */
}
