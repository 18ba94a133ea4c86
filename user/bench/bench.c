/*
 * bench: the ring and IPC paths measured in TSC cycles from user space.
 * Each figure is the median, min and max of per-operation samples after a
 * warm-up: cap_enter with no work, a NOP unbatched and in batches of 16,
 * Timer.now (a CALL with Cap'n Proto params and results), an endpoint
 * CALL -> RECV -> RETURN round trip within one process, a failed PARK and
 * an empty UNPARK. With a cap named "full" it runs long (make bench);
 * without, a few iterations only (the smoke in make test).
 * Output lines: "bench: NAME median=C min=C max=C cycles n=N".
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/syscall.h"
#include "user/rt/capos.h"

#define MAX_ITER 20000

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

static void bench_timer_now(void)
{
	uint32_t timer;
	uint64_t ns;
	if (capos_lookup(rt, "timer", CAPOS_TIMER_INTERFACE_ID, &timer) != 0)
		return;
	for (unsigned i = 0; i < iter; i++) {
		uint64_t t0 = tsc();
		capos_timer_now(rt, timer, &ns);
		samples[i] = tsc() - t0;
	}
	report("call-timer-now", iter, 1);
}

static void bench_endpoint(void)
{
	uint32_t ep;
	static uint64_t params[4], result[8], in[32];
	struct capos_request req;
	struct cap_cqe cqe;
	if (capos_lookup(rt, "ep", CAPOS_ENDPOINT_INTERFACE_ID, &ep) != 0)
		return;
	struct capnp_builder b;
	struct capos_Echo_stop_Params_b p;
	capnp_builder_init(&b, params, sizeof(params));
	capos_Echo_stop_request(&b, &p);
	uint32_t len = (uint32_t)capnp_builder_finish(&b);
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
	for (unsigned w = 0; w < 2; w++) { /* the first pass warms up */
		bench_cap_enter();
		bench_nop(1, "ring-nop");
		bench_nop(16, "ring-nop-batch16");
		bench_timer_now();
		bench_endpoint();
		bench_park();
		if (w == 0)
			capos_printf(rt, "bench: warm-up done");
	}
	capos_printf(rt, "bench: done");
	return 0;
}
