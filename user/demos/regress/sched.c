/*
 * regress-sched: Bug 1 of docs/panic-inventory.md, stale run-queue
 * entries of a dead process's threads, driven deterministically.
 *
 * Three processes, this binary in three roles:
 *   filler  12 threads that stay runnable (11 spin, the main thread polls
 *           for the answer to its "ready" call), so they fill 12 run-queue
 *           entries for the whole test;
 *   victim  16 threads: 15 parked, then, in one cap_enter, a call to us
 *           (which queues our main thread) and an UNPARK of all 15 (which
 *           queues them behind it), then exit: 15 stale entries behind us;
 *   driver  (us) spawns both, blocks in RECV until the victim's call, and
 *           then creates 8 threads in its first time slice. 12 + 15 entries
 *           plus the new threads pass the queue's 32 at the sixth, although
 *           only 22 threads are alive.
 * Before d5f5ec9 that sixth create halted the kernel ("sched: run queue
 * overflow"); now the stale entries are dropped and all 8 start.
 *
 * One gap is left to timing: a tick that falls due while the victim's
 * last cap_enter runs preempts it before its exit, and we run with the
 * victim alive. We look (its ProcessHandle.wait completes at once only
 * after the exit) and then try again with a new victim.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/syscall.h"
#include "user/demos/ipc/echo.h"
#include "user/demos/check.h"

#define FILLERS	  12	       /* threads of the filler */
#define PARKED	  15	       /* the victim's threads besides its main one */
#define CREATES	  8	       /* the driver's threads after the victim's exit */
#define SETTLE_NS 300000000ull /* a few scheduler rounds: every parker parks */
#define ROUNDS	  3	       /* victims, if one is preempted before its exit */

static struct capos_rt *rt;
static struct checks checks = { .name = "regress-sched" };

static void check(bool ok, const char *what, const struct capos_status *st)
{
	check_that(&checks, ok, what, st);
}

/* ---- filler ---- */

static volatile uint32_t stop;

static int spin(void *arg)
{
	(void)arg;
	while (!stop)
		__builtin_ia32_pause();
	return 0;
}

/* Start FILLERS - 1 spinners, report ready, and poll (never block) until
 * the driver answers; returning ends the process and its spinners. */
static int filler(uint32_t ready)
{
	static uint64_t params[16], result[16];
	struct capos_status st;
	struct capos_thread t;
	struct cap_cqe cqe;
	for (int i = 0; i < FILLERS - 1; i++)
		if (capos_thread_create(rt, spin, NULL, &t, &st) != 0)
			return 1;
	uint32_t len = echo_params(params, sizeof(params), "filler ready");
	uint64_t ud =
		capos_call_submit(rt, ready, CAPOS_ECHO_ECHO, params, len, result, sizeof(result));
	capos_cap_enter(0, 0);
	while (!capos_poll(rt, ud, &cqe))
		__builtin_ia32_pause();
	stop = 1;
	return 0;
}

/* ---- victim ---- */

static uint32_t gate, parkers;

static int park_on_gate(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&parkers, 1, __ATOMIC_SEQ_CST);
	capos_park(rt, &gate, 0, CAPOS_TIMEOUT_NONE);
	return 0;
}

/* Park PARKED threads, then call the driver and wake them all in one
 * cap_enter, and exit with how many woke. */
static int victim(uint32_t go, uint32_t timer)
{
	static uint64_t params[16], result[16];
	struct capos_status st;
	struct capos_thread t;
	for (int i = 0; i < PARKED; i++)
		if (capos_thread_create(rt, park_on_gate, NULL, &t, &st) != 0)
			return 100 + i;
	while (__atomic_load_n(&parkers, __ATOMIC_SEQ_CST) < PARKED)
		__builtin_ia32_pause();
	capos_timer_sleep(rt, timer, SETTLE_NS);
	uint32_t len = echo_params(params, sizeof(params), "victim exits");
	capos_call_submit(rt, go, CAPOS_ECHO_ECHO, params, len, result, sizeof(result));
	int32_t woken = capos_unpark(rt, &gate, PARKED); /* dispatches the call too */
	capos_exit(woken);
}

/* ---- driver ---- */

static int quick(void *arg)
{
	return (int)(uintptr_t)arg;
}

/* RECV one Echo call on ep; its call id, and whether its text is want. */
static bool recv_echo(uint32_t ep, const char *want, uint32_t *call_id)
{
	static uint64_t buf[64];
	struct capos_request req;
	struct capnp_seg segs[2];
	struct capnp_msg m;
	struct capos_Echo_echo_Params_r p;
	struct capnp_text text;
	if (capos_recv(rt, ep, buf, sizeof(buf), &req) != 0)
		return false;
	*call_id = req.call_id;
	return capnp_msg_init(&m, req.params, req.params_len, segs, 2, NULL) == CAPNP_OK &&
	       capos_Echo_echo_Params_read_root(&m, &p) == CAPNP_OK &&
	       capos_Echo_echo_Params_get_text(&p, &text) >= 0 && text.len == strlen(want) &&
	       memcmp(text.str, want, text.len) == 0;
}

struct victim {
	uint32_t handle, call;
	uint64_t wait_ud, wait_buf[CAPOS_WAIT_BUF_WORDS];
	struct cap_cqe wait_cqe;
	bool exited; /* when its call reached us */
};

/* Spawn a victim and RECV its last call; then see, without blocking,
 * whether it has exited. */
static bool start_victim(uint32_t spawner, uint32_t ep, const struct capos_grant *g,
			 struct victim *v)
{
	struct capos_status st;
	if (capos_spawn(rt, spawner, "victim", "regress-sched", g, 6, &v->handle, &st) != 0 ||
	    !recv_echo(ep, "victim exits", &v->call))
		return false;
	v->wait_ud = capos_process_wait_submit(rt, v->handle, v->wait_buf);
	capos_cap_enter(0, 0);
	v->exited = capos_poll(rt, v->wait_ud, &v->wait_cqe);
	return true;
}

/* RETURN to its call (refused: it is gone) and its exit code. */
static int64_t finish_victim(uint32_t ep, struct victim *v, bool *return_refused)
{
	struct capos_status st;
	int64_t code = -1;
	if (!v->exited)
		capos_wait_any(rt, &v->wait_ud, 1, &v->wait_cqe);
	*return_refused =
		capos_return(rt, ep, v->call, NULL, 0, false, NULL, 0) == CAP_ERR_UNKNOWN_CALL;
	if (capos_process_exit_code(&v->wait_cqe, v->wait_buf, &code, &st) != 0)
		code = -1;
	capos_release(rt, v->handle);
	capos_release_flush(rt);
	return code;
}

static void driver(uint32_t spawner, uint32_t ep)
{
	struct capos_status st;
	struct victim v;
	uint32_t filler_h, filler_call;
	int64_t code = -1;
	bool started = false, refused;
	struct capos_grant g[6] = {
		{ "console", CAPOS_CONSOLE_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_CONSOLE },
		{ "threads", CAPOS_THREAD_SPAWNER_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_THREAD_SPAWNER },
		{ "thread", CAPOS_THREAD_CONTROL_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_THREAD_CONTROL },
		{ "ready", CAPOS_ECHO_INTERFACE_ID, CAPOS_GRANT_CLIENT, ep, 0 },
		{ "park", CAPOS_PARK_SPACE_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_PARK_SPACE },
		{ "timer", CAPOS_TIMER_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_TIMER },
	};

	/* Until the victim's call, this process has one thread and its RECV
	 * blocks without a timeout: it is queued only when the call comes. */
	check(capos_spawn(rt, spawner, "filler", "regress-sched", g, 4, &filler_h, &st) == 0,
	      "spawn the filler", &st);
	check(recv_echo(ep, "filler ready", &filler_call), "the filler's threads are runnable",
	      NULL);
	g[3].name = "go";
	for (int round = 0; round < ROUNDS; round++) {
		started = start_victim(spawner, ep, g, &v);
		if (!started || v.exited)
			break;
		capos_printf(rt, "regress-sched: the victim was preempted before its exit; again");
		finish_victim(ep, &v, &refused);
	}
	check(started, "spawn the victim and receive its last call", NULL);
	check(started && v.exited, "the victim has exited when its call reaches us", NULL);
	if (!started)
		return;

	/* First slice after the victim's exit: its 15 entries are still
	 * queued behind this thread. */
	struct capos_thread t[CREATES];
	int made = 0;
	while (made < CREATES &&
	       capos_thread_create(rt, quick, (void *)(uintptr_t)(made + 1), &t[made], &st) == 0)
		made++;
	check(made == CREATES, "8 threads created while the stale entries are queued", &st);
	int joined = 0;
	for (int i = 0; i < made; i++)
		if (capos_thread_join(rt, &t[i], &code, &st) == 0 && code == i + 1)
			joined++;
	check(joined == CREATES, "each ran and was joined with its code", &st);

	code = finish_victim(ep, &v, &refused);
	check(refused, "RETURN to the dead victim is refused", NULL);
	check(code == PARKED, "the victim woke its 15 parked threads and exited", NULL);
	check(capos_return(rt, ep, filler_call, NULL, 0, false, NULL, 0) == 0,
	      "RETURN to the filler", NULL);
	check(capos_process_wait(rt, filler_h, &code, &st) == 0 && code == 0, "the filler exited 0",
	      &st);
	capos_release(rt, filler_h);
	capos_release_flush(rt);
}

int main(struct capos_rt *r)
{
	uint32_t cap, timer, spawner, ep;
	rt = r;
	checks.rt = r;
	if (capos_lookup(rt, "ready", CAPOS_ECHO_INTERFACE_ID, &cap) == 0)
		return filler(cap);
	if (capos_lookup(rt, "go", CAPOS_ECHO_INTERFACE_ID, &cap) == 0 &&
	    capos_lookup(rt, "timer", CAPOS_TIMER_INTERFACE_ID, &timer) == 0)
		return victim(cap, timer);
	if (capos_lookup(rt, "spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &spawner) != 0 ||
	    capos_lookup(rt, "ep", CAPOS_ENDPOINT_INTERFACE_ID, &ep) != 0)
		capos_panic("regress-sched: needs \"spawner\" and \"ep\"");
	driver(spawner, ep);
	return checks_report(&checks);
}
