/*
 * timer-flood: keep submitting 300 ms sleeps until the kernel refuses one.
 * The refusal must be `overloaded` (a per-process limit on pending sleeps,
 * so one process cannot fill the kernel's queue), every accepted sleep
 * must still complete, and afterwards a new sleep works again. Other
 * processes sleeping meanwhile (timer-smoke) are unaffected.
 */
#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

#define MAX_TRY 64
#define MS	((uint64_t)1000000)

static uint64_t params[4];
static uint64_t results[MAX_TRY][8];
static uint64_t uds[MAX_TRY];

int main(struct capos_rt *rt)
{
	uint32_t timer, accepted = 0;
	struct capnp_builder b;
	struct capos_Timer_sleep_Params_b p;
	struct cap_cqe cqe;
	struct capos_status st = { 0 };

	if (capos_lookup(rt, "timer", CAPOS_TIMER_INTERFACE_ID, &timer) != 0)
		capos_panic("timer-flood: needs a Timer");
	capnp_builder_init(&b, params, sizeof(params));
	capos_Timer_sleep_request(&b, &p);
	capos_Timer_sleep_Params_set_ns(&p, 300 * MS);
	uint32_t len = (uint32_t)capnp_builder_finish(&b);
	for (; accepted < MAX_TRY; accepted++) {
		uint64_t now;
		uds[accepted] = capos_call_submit(rt, timer, CAPOS_TIMER_SLEEP, params, len,
						  results[accepted], sizeof(results[0]));
		capos_timer_now(rt, timer, &now); /* dispatches the sleep before it */
		if (capos_poll(rt, uds[accepted], &cqe)) {
			capos_status_of(cqe.result, results[accepted], sizeof(results[0]), &st);
			break;
		}
	}
	if (accepted == MAX_TRY || accepted == 0 ||
	    st.exc.type != CAPOS_CAP_EXCEPTION_TYPE_OVERLOADED) {
		capos_printf(rt, "timer-flood: FAIL after %u sleeps: %s", accepted,
			     capos_status_str(&st));
		return 1;
	}
	for (uint32_t i = 0; i < accepted; i++) {
		capos_wait_any(rt, &uds[i], 1, &cqe);
		if (cqe.result < 0) {
			capos_printf(rt, "timer-flood: FAIL accepted sleep %u ended with %d", i,
				     cqe.result);
			return 1;
		}
	}
	if (capos_timer_sleep(rt, timer, MS) != 0) {
		capos_printf(rt, "timer-flood: FAIL a sleep after the flood was refused");
		return 1;
	}
	capos_printf(rt,
		     "timer-flood: sleep %u refused (%s); the %u accepted completed; "
		     "sleeping works again",
		     accepted + 1, capos_status_str(&st), accepted);
	return 0;
}
