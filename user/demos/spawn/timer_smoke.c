/*
 * timer-smoke: Timer.now is monotonic over a thousand reads, and a 10 ms
 * Timer.sleep returns no earlier than 10 ms later. Only lower bounds are
 * checked; nothing here measures speed.
 */
#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

#define READS 1000

int main(struct capos_rt *rt)
{
	uint32_t timer;
	uint64_t prev = 0, now = 0, before, after;

	if (capos_lookup(rt, "timer", CAPOS_TIMER_INTERFACE_ID, &timer) != 0)
		capos_panic("timer-smoke: needs a Timer");
	for (unsigned i = 0; i < READS; i++) {
		if (capos_timer_now(rt, timer, &now) != 0 || now < prev) {
			capos_printf(rt, "timer-smoke: FAIL Timer.now went from %lu to %lu", prev,
				     now);
			return 1;
		}
		prev = now;
	}
	if (capos_timer_now(rt, timer, &before) != 0 ||
	    capos_timer_sleep(rt, timer, 10000000) != 0 ||
	    capos_timer_now(rt, timer, &after) != 0) {
		capos_printf(rt, "timer-smoke: FAIL Timer.sleep");
		return 1;
	}
	bool ok = after - before >= 10000000;
	capos_printf(rt, "timer-smoke: now monotonic over %u reads; a 10 ms sleep took %lu us%s",
		     READS, (after - before) / 1000, ok ? "" : ": FAIL, too early");
	return ok ? 0 : 1;
}
