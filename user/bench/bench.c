/*
 * bench: the ring and IPC paths measured in TSC cycles from user space.
 * Each figure is the median, min and max of per-operation samples after a
 * warm-up: cap_enter with no work, a NOP unbatched and in batches of 16,
 * Timer.now and NullCap.nop (CALLs with Cap'n Proto params and results;
 * NullCap unbatched and in batches of 16), an endpoint CALL -> RECV ->
 * RETURN round trip within one thread, between two threads and between
 * two processes (the server's RECV completes by direct handoff), the last
 * also with one other thread always runnable (bench-load), a failed PARK,
 * an empty UNPARK, a park ping-pong between two threads (UNPARK of a
 * parked waiter, wake to resume, and a PARK's wait until its thread is off
 * the CPU, which needs the measure build's kernel), thread create+join and
 * process spawn+wait. With a cap named "full" it runs long (make bench);
 * without, a few iterations only (the smoke in make test).
 * Output lines: "bench: NAME median=C min=C max=C cycles n=N".
 */
#include <stdbool.h>
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/syscall.h"
#include "user/rt/capos.h"

#define MAX_ITER   20000
#define HEAVY_ITER 2000 /* thread and process creation */

static struct capos_rt *rt;
static uint64_t samples[MAX_ITER];
static unsigned iter;

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void sort(uint64_t *a, unsigned n)
{
	for (unsigned gap = n / 2; gap > 0; gap /= 2) /* shell sort: no libc */
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
				uint64_t t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

static void report(const char *name, unsigned n, unsigned per)
{
	for (unsigned i = 0; i < n; i++)
		samples[i] /= per;
	sort(samples, n);
	capos_printf(rt, "bench: %s median=%lu min=%lu max=%lu cycles n=%u", name, samples[n / 2],
		     samples[0], samples[n - 1], n);
}

static void drain(void)
{
	struct cap_ring_header *h = &rt->ring->hdr;
	__atomic_store_n(&h->cq_head, __atomic_load_n(&h->cq_tail, __ATOMIC_ACQUIRE),
			 __ATOMIC_RELEASE);
}

static void push(const struct cap_sqe *s)
{
	struct cap_ring_header *h = &rt->ring->hdr;
	rt->ring->sq[h->sq_tail & (CAP_SQ_ENTRIES - 1)] = *s;
	__atomic_store_n(&h->sq_tail, h->sq_tail + 1, __ATOMIC_RELEASE);
}

static void bench_cap_enter(void)
{
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = tsc();
		capos_cap_enter(0, 0);
		samples[i] = tsc() - t0;
	}
	report("cap_enter-empty", iter, 1);
}

static void bench_nop(unsigned batch, const char *name)
{
	struct cap_sqe nop = { .opcode = CAP_OP_NOP };
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = tsc();
		for (unsigned k = 0; k < batch; k++)
			push(&nop);
		capos_cap_enter(0, 0);
		drain();
		samples[i] = tsc() - t0;
	}
	report(name, iter, batch);
}

static uint32_t timer_cap;

static void bench_timer_now(void)
{
	uint64_t ns;
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = tsc();
		capos_timer_now(rt, timer_cap, &ns);
		samples[i] = tsc() - t0;
	}
	report("call-timer-now", iter, 1);
}

static uint64_t null_params[2];
static uint32_t null_len;

static void bench_null(void)
{
	uint32_t null;
	static uint64_t result[4];
	if (capos_lookup(rt, "null", CAPOS_NULL_CAP_INTERFACE_ID, &null) != 0)
		return;
	struct capnp_builder b;
	struct capos_NullCap_nop_Params_b p;
	capnp_builder_init(&b, null_params, sizeof(null_params));
	capos_NullCap_nop_Params_init_root(&b, &p);
	null_len = (uint32_t)capnp_builder_finish(&b);
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = tsc();
		if (capos_call(rt, null, CAPOS_NULL_CAP_NOP, null_params, null_len, result,
			       sizeof(result)) < 0)
			capos_printf(rt, "bench: FAIL NullCap.nop");
		samples[i] = tsc() - t0;
	}
	report("call-null", iter, 1);
	struct cap_sqe call = { .opcode = CAP_OP_CALL,
				.cap_id = null,
				.method_id = CAPOS_NULL_CAP_NOP,
				.addr = (uint64_t)null_params,
				.len = null_len,
				.result_addr = (uint64_t)result,
				.result_len = sizeof(result) };
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = tsc();
		for (unsigned k = 0; k < 16; k++)
			push(&call);
		capos_cap_enter(0, 0);
		drain();
		samples[i] = tsc() - t0;
	}
	report("call-null-batch16", iter, 16);
}

/* An Echo.stop request (empty params, a real Cap'n Proto message) into
 * buf: what every endpoint round trip sends. Its length. */
static uint32_t echo_stop_params(uint64_t *buf, size_t size)
{
	struct capnp_builder b;
	struct capos_Echo_stop_Params_b p;
	capnp_builder_init(&b, buf, size);
	capos_Echo_stop_request(&b, &p);
	return (uint32_t)capnp_builder_finish(&b);
}

static void bench_endpoint(void)
{
	uint32_t ep;
	static uint64_t params[4], result[8], in[32];
	struct capos_request req;
	struct cap_cqe cqe;
	if (capos_lookup(rt, "ep", CAPOS_ENDPOINT_INTERFACE_ID, &ep) != 0)
		return;
	uint32_t len = echo_stop_params(params, sizeof(params));
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = tsc();
		uint64_t ud = capos_call_submit(rt, ep, CAPOS_ECHO_STOP, params, len, result,
						sizeof(result));
		capos_recv(rt, ep, in, sizeof(in), &req);
		capos_return(rt, ep, req.call_id, params, len, false, NULL, 0);
		capos_wait_any(rt, &ud, 1, &cqe);
		samples[i] = tsc() - t0;
	}
	report("endpoint-roundtrip-same-process", iter, 1);
}

static uint32_t word = 7;
static uint32_t ep_cap;
static unsigned ep_rounds;

/* The server thread: RECV, RETURN the params as results, ep_rounds times. */
static int echo_server(void *arg)
{
	static uint64_t in[32];
	struct capos_request req;
	(void)arg;
	for (unsigned i = 0; i < ep_rounds; i++) {
		if (capos_recv(rt, ep_cap, in, sizeof(in), &req) < 0)
			return 1;
		capos_return(rt, ep_cap, req.call_id, in, req.params_len, false, NULL, 0);
	}
	return 0;
}

static void bench_endpoint_threads(void)
{
	static uint64_t params[4], result[8];
	struct capos_thread server;
	struct capos_status st;
	int64_t code;
	if (capos_lookup(rt, "ep", CAPOS_ENDPOINT_INTERFACE_ID, &ep_cap) != 0 ||
	    capos_lookup(rt, "threads", 0, &(uint32_t){ 0 }) != 0)
		return;
	uint32_t len = echo_stop_params(params, sizeof(params));
	ep_rounds = iter;
	if (capos_thread_create(rt, echo_server, NULL, &server, &st) < 0) {
		capos_printf(rt, "bench: FAIL thread create: %s", capos_status_str(&st));
		return;
	}
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = tsc();
		capos_call(rt, ep_cap, CAPOS_ECHO_STOP, params, len, result, sizeof(result));
		samples[i] = tsc() - t0;
	}
	capos_thread_join(rt, &server, &code, &st);
	report("endpoint-roundtrip-threads", iter, 1);
}

/* A child process spawned with a fresh endpoint as its first grant: its
 * ProcessHandle, and the client facet it is called through. */
struct child {
	uint32_t handle, client;
};

static int child_spawn(const char *name, const char *binary, const struct capos_grant *g,
		       uint32_t n, struct child *c)
{
	uint32_t spawner, facets[4] = { 0 };
	struct capos_status st;
	if (capos_lookup(rt, "spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &spawner) != 0)
		return -1;
	if (capos_spawn_ex(rt, spawner, name, binary, g, n, &c->handle, facets, &st) < 0 ||
	    facets[0] == 0) {
		capos_printf(rt, "bench: FAIL spawn %s: %s", name, capos_status_str(&st));
		return -1;
	}
	c->client = facets[0];
	return 0;
}

/* An empty call stops the child (bench-child's server, bench-load); then
 * it is reaped. */
static void child_stop(struct child *c, const char *name)
{
	static uint64_t params[4], result[8];
	struct capos_status st;
	int64_t code = -1;
	capos_call(rt, c->client, CAPOS_ECHO_STOP, params, 0, result, sizeof(result));
	if (capos_process_wait(rt, c->handle, &code, &st) < 0 || code != 0)
		capos_printf(rt, "bench: FAIL %s exited with %ld", name, (long)code);
	capos_release(rt, c->client);
	capos_release(rt, c->handle);
	capos_release_flush(rt);
}

/* The round trip to a server in another process (bench-child with a
 * minted endpoint): the server is its ring's only waiter, blocked in RECV
 * when each CALL arrives, so every CALL is a direct handoff (but in the
 * no-handoff kernel). Loaded, bench-load runs beside it: one more thread
 * always runnable, giving the CPU back after each short turn, so the
 * server woken without the handoff waits behind it. */
static void bench_endpoint_processes(const char *name, bool loaded)
{
	static uint64_t params[4], result[8];
	struct child server, load;
	const struct capos_grant serve = { "serve", CAPOS_ENDPOINT_INTERFACE_ID, CAPOS_GRANT_KERNEL,
					   0, CAPOS_KERNEL_CAP_SOURCE_ENDPOINT };
	const struct capos_grant load_grants[] = {
		{ "stop", CAPOS_ENDPOINT_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_ENDPOINT },
		{ "park", CAPOS_PARK_SPACE_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_PARK_SPACE },
		{ "threads", CAPOS_THREAD_SPAWNER_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_THREAD_SPAWNER },
		{ "thread", CAPOS_THREAD_CONTROL_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_THREAD_CONTROL },
	};
	if (child_spawn("bench-server", "bench-child", &serve, 1, &server) < 0)
		return;
	if (loaded && child_spawn("bench-load", "bench-load", load_grants, 4, &load) < 0) {
		child_stop(&server, "bench-server");
		return;
	}
	uint32_t len = echo_stop_params(params, sizeof(params));
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = tsc();
		capos_call(rt, server.client, CAPOS_ECHO_STOP, params, len, result, sizeof(result));
		samples[i] = tsc() - t0;
	}
	if (loaded)
		child_stop(&load, "bench-load");
	child_stop(&server, "bench-server");
	report(name, iter, 1);
}

/* Park ping-pong: the waker stamps, UNPARKs the parked waiter (wake to
 * runnable: the UNPARK's cost with a waiter), then parks itself (wait to
 * block: from just before its PARK is submitted until it is off the CPU);
 * the waiter resumes (wake to resume: from the stamp to the waiter
 * running), and wakes the waker back the same way. */
static uint32_t ping, pong;
static uint64_t stamp, resumed[MAX_ITER];

/* PARK on w while it holds val, as capos_park. Returns the cycles from
 * just before the submission until the thread was off the CPU (the
 * measure build's kernel puts the TSC of that moment in a blocked PARK's
 * CQE, reserved1), or 0 when the PARK did not block. */
static uint64_t park_to_block(uint32_t park, uint32_t *w, uint32_t val)
{
	struct cap_cqe cqe;
	struct cap_sqe sqe = { .opcode = CAP_OP_PARK,
			       .flags = CAP_SQE_THREAD_OWNED,
			       .call_id = capos_thread_self(),
			       .cap_id = park,
			       .addr = (uint64_t)w,
			       .len = val,
			       .pipeline_dep = CAPOS_TIMEOUT_NONE };
	uint64_t t0 = tsc();
	uint64_t ud = capos_submit(rt, &sqe);
	capos_wait_any(rt, &ud, 1, &cqe);
	return cqe.reserved1 > t0 ? cqe.reserved1 - t0 : 0;
}

static int pong_thread(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < iter; i++) {
		while (__atomic_load_n(&ping, __ATOMIC_ACQUIRE) == i)
			capos_park(rt, &ping, i, CAPOS_TIMEOUT_NONE);
		resumed[i] = tsc() - stamp;
		__atomic_store_n(&pong, i + 1, __ATOMIC_RELEASE);
		capos_unpark(rt, &pong, 1);
	}
	return 0;
}

static void bench_park_pingpong(void)
{
	struct capos_thread t;
	struct capos_status st;
	int64_t code;
	uint32_t park;
	static uint64_t wake[MAX_ITER], blocked[MAX_ITER];
	ping = pong = 0;
	if (capos_lookup(rt, "park", CAPOS_PARK_SPACE_INTERFACE_ID, &park) != 0 ||
	    capos_thread_create(rt, pong_thread, NULL, &t, &st) < 0)
		return;
	for (unsigned i = 0; i < iter; i++) {
		/* On one CPU the waiter parked before this thread resumed. */
		stamp = tsc();
		__atomic_store_n(&ping, i + 1, __ATOMIC_RELEASE);
		capos_unpark(rt, &ping, 1);
		wake[i] = tsc() - stamp;
		/* It blocks unless a tick let the waiter answer first. */
		blocked[i] = 0;
		while (__atomic_load_n(&pong, __ATOMIC_ACQUIRE) == i) {
			uint64_t b = park_to_block(park, &pong, i);
			blocked[i] = blocked[i] ? blocked[i] : b;
		}
	}
	capos_thread_join(rt, &t, &code, &st);
	memcpy(samples, wake, iter * sizeof(samples[0]));
	report("park-wake-to-runnable", iter, 1);
	memcpy(samples, resumed, iter * sizeof(samples[0]));
	report("park-wake-to-resume", iter, 1);
	unsigned n = 0;
	for (unsigned i = 0; i < iter; i++)
		if (blocked[i] != 0)
			samples[n++] = blocked[i];
	if (n == 0)
		capos_printf(rt, "bench: FAIL park-wait-to-block: no blocked PARK carried its "
				 "off-CPU time (not the measure build?)");
	else
		report("park-wait-to-block", n, 1);
}

static int nothing(void *arg)
{
	(void)arg;
	return 0;
}

static void bench_thread_create(void)
{
	struct capos_thread t;
	struct capos_status st;
	int64_t code;
	unsigned n = iter < HEAVY_ITER ? iter : HEAVY_ITER;
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = tsc();
		if (capos_thread_create(rt, nothing, NULL, &t, &st) < 0 ||
		    capos_thread_join(rt, &t, &code, &st) < 0) {
			capos_printf(rt, "bench: FAIL thread create+join: %s",
				     capos_status_str(&st));
			return;
		}
		samples[i] = tsc() - t0;
	}
	report("thread-create-join", n, 1);
}

static void bench_spawn(void)
{
	uint32_t spawner, handle;
	struct capos_status st;
	int64_t code;
	unsigned n = iter < HEAVY_ITER / 4 ? iter : HEAVY_ITER / 4;
	if (capos_lookup(rt, "spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &spawner) != 0)
		return;
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = tsc();
		if (capos_spawn(rt, spawner, "bench-child", "bench-child", NULL, 0, &handle, &st) <
			    0 ||
		    capos_process_wait(rt, handle, &code, &st) < 0) {
			capos_printf(rt, "bench: FAIL spawn+wait: %s", capos_status_str(&st));
			return;
		}
		samples[i] = tsc() - t0;
		capos_release(rt, handle);
	}
	capos_release_flush(rt);
	report("process-spawn-wait", n, 1);
}

static void bench_park(void)
{
	uint32_t park;
	if (capos_lookup(rt, "park", CAPOS_PARK_SPACE_INTERFACE_ID, &park) != 0)
		return;
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = tsc();
		capos_park(rt, &word, 8, CAPOS_TIMEOUT_NONE); /* mismatch: returns at once */
		samples[i] = tsc() - t0;
	}
	report("park-failed-wait", iter, 1);
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = tsc();
		capos_unpark(rt, &word, 1);
		samples[i] = tsc() - t0;
	}
	report("unpark-empty", iter, 1);
}

int main(struct capos_rt *r)
{
	uint32_t full;
	rt = r;
	iter = capos_lookup(rt, "full", 0, &full) == 0 ? MAX_ITER : 200;
	if (capos_lookup(rt, "timer", CAPOS_TIMER_INTERFACE_ID, &timer_cap) != 0)
		return 1;
	for (unsigned w = 0; w < 2; w++) { /* the first pass warms up */
		bench_cap_enter();
		bench_nop(1, "ring-nop");
		bench_nop(16, "ring-nop-batch16");
		bench_timer_now();
		bench_null();
		bench_endpoint();
		bench_endpoint_threads();
		bench_endpoint_processes("endpoint-roundtrip-processes", false);
		bench_endpoint_processes("endpoint-roundtrip-processes-loaded", true);
		bench_park();
		bench_park_pingpong();
		bench_thread_create();
		bench_spawn();
		if (w == 0)
			capos_printf(rt, "bench: warm-up done");
	}
	capos_printf(rt, "bench: done");
	return 0;
}
