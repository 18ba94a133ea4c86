/*
 * bench-load: the other runnable thread of bench's loaded round trip. Two
 * threads take turns on one park word: each wakes the other, then parks,
 * so exactly one of them is runnable at any time and each turn gives the
 * CPU back after one UNPARK and one PARK. It ends at the first call on the
 * endpoint granted as "stop": it answers the call and exits.
 */
#include <stdbool.h>

#include "gen/capos.capnp.h"
#include "include/capos/syscall.h"
#include "user/rt/capos.h"

static struct capos_rt *rt;
static uint32_t turn; /* odd: the partner's turn, even: main's */
static bool stopping;

/* Wait (parked) until turn has moved past was. */
static void wait_past(uint32_t was)
{
	while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) == was)
		capos_park(rt, &turn, was, CAPOS_TIMEOUT_NONE);
}

static void pass(uint32_t to)
{
	__atomic_store_n(&turn, to, __ATOMIC_RELEASE);
	capos_unpark(rt, &turn, 1);
}

static int partner(void *arg)
{
	(void)arg;
	for (uint32_t t = 0;; t += 2) {
		wait_past(t);
		if (__atomic_load_n(&stopping, __ATOMIC_ACQUIRE))
			return 0;
		pass(t + 2);
	}
}

int main(struct capos_rt *r)
{
	static uint64_t in[32];
	struct capos_thread t;
	struct capos_status st;
	struct capos_request req;
	struct cap_cqe cqe;
	uint32_t stop;
	int64_t code;
	rt = r;
	if (capos_lookup(rt, "stop", CAPOS_ENDPOINT_INTERFACE_ID, &stop) != 0)
		return 1;
	uint64_t ud = capos_recv_submit(rt, stop, in, sizeof(in));
	if (capos_thread_create(rt, partner, NULL, &t, &st) < 0)
		return 1;
	uint32_t now = 0;
	while (!capos_poll(rt, ud, &cqe)) {
		pass(now + 1);
		wait_past(now + 1);
		now += 2;
	}
	__atomic_store_n(&stopping, true, __ATOMIC_RELEASE);
	pass(now + 1);
	capos_thread_join(rt, &t, &code, &st);
	if (capos_request_of(&cqe, in, sizeof(in), &req) < 0)
		return 1;
	capos_return(rt, stop, req.call_id, in, 0, false, NULL, 0);
	return 0;
}
