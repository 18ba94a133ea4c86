/*
 * Typed Timer client: now() and a blocking sleep() over the ring.
 */
#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

int capos_timer_now(struct capos_rt *rt, uint32_t timer, uint64_t *ns)
{
	uint64_t params[4], result[8];
	struct capnp_builder b;
	struct capos_Timer_now_Params_b p;
	struct capnp_seg seg[2];
	struct capnp_msg m;
	struct capos_Timer_now_Results_r r;

	capnp_builder_init(&b, params, sizeof(params));
	capos_Timer_now_request(&b, &p);
	uint32_t len = (uint32_t)capnp_builder_finish(&b);
	int32_t n = capos_call(rt, timer, CAPOS_TIMER_NOW, params, len, result, sizeof(result));
	if (n < 0)
		return n;
	if (capnp_msg_init(&m, result, (size_t)n, seg, 2, NULL) != CAPNP_OK ||
	    capos_Timer_now_Results_read_root(&m, &r) != CAPNP_OK)
		return CAP_ERR_INVALID_REQUEST;
	*ns = capos_Timer_now_Results_get_ns(&r);
	return 0;
}

int capos_timer_sleep(struct capos_rt *rt, uint32_t timer, uint64_t ns)
{
	uint64_t params[4], result[8];
	struct capnp_builder b;
	struct capos_Timer_sleep_Params_b p;

	capnp_builder_init(&b, params, sizeof(params));
	capos_Timer_sleep_request(&b, &p);
	capos_Timer_sleep_Params_set_ns(&p, ns);
	uint32_t len = (uint32_t)capnp_builder_finish(&b);
	int32_t n = capos_call(rt, timer, CAPOS_TIMER_SLEEP, params, len, result, sizeof(result));
	return n < 0 ? n : 0;
}
