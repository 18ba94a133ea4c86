/*
 * timer: Timer.now and Timer.sleep, and cap_enter's timeout, checked
 * against the clock. Only lower bounds are checked (an operation must not
 * end early); nothing here measures speed.
 *   - cap_enter(1, 30 ms) with nothing submitted returns no completion,
 *     no earlier than 30 ms later;
 *   - a 40 ms sleep submitted before a NOP completes after it (completions
 *     arrive out of order, matched by user_data), no earlier than 40 ms;
 *   - a ninth concurrent sleep is refused with `overloaded`, and the eight
 *     others all complete.
 */
#include "gen/capos.capnp.h"
#include "include/capos/syscall.h"
#include "user/rt/capos.h"

#define MS 1000000ULL

static struct capos_rt *rt;
static uint32_t timer;
static int failures;

static void expect(int ok, const char *what)
{
	if (!ok) {
		failures++;
		capos_printf(rt, "timer: FAIL %s", what);
	}
}

static uint64_t now(void)
{
	uint64_t ns = 0;
	expect(capos_timer_now(rt, timer, &ns) == 0, "Timer.now");
	return ns;
}

/* Queue an SQE without waiting. */
static void submit(struct cap_sqe sqe)
{
	struct cap_ring_header *h = &rt->ring->hdr;
	rt->ring->sq[h->sq_tail & (CAP_SQ_ENTRIES - 1)] = sqe;
	__atomic_store_n(&h->sq_tail, h->sq_tail + 1, __ATOMIC_RELEASE);
}

static int next_cqe(struct cap_cqe *out)
{
	struct cap_ring_header *h = &rt->ring->hdr;
	if (h->cq_head == __atomic_load_n(&h->cq_tail, __ATOMIC_ACQUIRE))
		return 0;
	*out = rt->ring->cq[h->cq_head & (CAP_CQ_ENTRIES - 1)];
	__atomic_store_n(&h->cq_head, h->cq_head + 1, __ATOMIC_RELEASE);
	return 1;
}

static uint64_t sleep_params[4], sleep_result[8];
static uint32_t sleep_len;

static struct cap_sqe sleep_sqe(uint64_t user_data)
{
	return (struct cap_sqe){ .opcode = CAP_OP_CALL,
				 .cap_id = timer,
				 .method_id = CAPOS_TIMER_SLEEP,
				 .user_data = user_data,
				 .addr = (uint64_t)sleep_params,
				 .len = sleep_len,
				 .result_addr = (uint64_t)sleep_result,
				 .result_len = sizeof(sleep_result) };
}

static void build_sleep(uint64_t ns)
{
	struct capnp_builder b;
	struct capos_Timer_sleep_Params_b p;
	capnp_builder_init(&b, sleep_params, sizeof(sleep_params));
	capos_Timer_sleep_request(&b, &p);
	capos_Timer_sleep_Params_set_ns(&p, ns);
	sleep_len = (uint32_t)capnp_builder_finish(&b);
}

static void timeout(void)
{
	uint64_t t0 = now();
	int64_t n = capos_cap_enter(1, 30 * MS);
	uint64_t t1 = now();
	expect(n == 0, "cap_enter timeout returns no completion");
	expect(t1 - t0 >= 30 * MS, "cap_enter timeout does not end early");
}

static void sleep_out_of_order(void)
{
	struct cap_cqe c;
	build_sleep(40 * MS);
	uint64_t t0 = now();
	submit(sleep_sqe(1001));
	submit((struct cap_sqe){ .opcode = CAP_OP_NOP, .user_data = 1002 });
	capos_cap_enter(1, CAPOS_TIMEOUT_NONE);
	expect(next_cqe(&c) && c.user_data == 1002 && c.result == 0, "the NOP completes first");
	while (!next_cqe(&c))
		capos_cap_enter(1, CAPOS_TIMEOUT_NONE);
	uint64_t t1 = now();
	expect(c.user_data == 1001 && c.result >= 0, "the sleep completes");
	expect(t1 - t0 >= 40 * MS, "the sleep does not end early");
}

static void sleep_quota(void)
{
	struct cap_cqe c;
	int done = 0, refused = 0;
	build_sleep(10 * MS);
	for (uint64_t i = 0; i < 9; i++)
		submit(sleep_sqe(2000 + i));
	while (done + refused < 9) {
		capos_cap_enter(1, CAPOS_TIMEOUT_NONE);
		while (next_cqe(&c)) {
			if (c.result == CAP_ERR_APPLICATION_EXCEPTION)
				refused++;
			else if (c.result >= 0)
				done++;
		}
	}
	expect(refused == 1 && done == 8, "eight sleeps at once, the ninth refused");
}

int main(struct capos_rt *r)
{
	rt = r;
	if (capos_lookup(rt, "timer", CAPOS_TIMER_INTERFACE_ID, &timer) != 0)
		return 2;
	timeout();
	sleep_out_of_order();
	sleep_quota();
	capos_printf(rt, "timer: %s", failures ? "failed" : "timeouts, sleeps and quota ok");
	return failures;
}
