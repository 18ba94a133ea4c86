/*
 * NullCap: one method that does nothing, the baseline of the ring path's
 * cost (spec: measurement). Granted only by measurement manifests.
 */
#include "gen/capos.capnp.h"
#include "kernel/cap/object.h"

static int null_nop(void *self, const struct capos_NullCap_nop_Params_r *p,
		    struct capos_NullCap_nop_Results_b *r, struct capnp_exc *exc)
{
	(void)self;
	(void)p;
	(void)r;
	(void)exc;
	return CAPNP_OK;
}

static const struct capos_NullCap_server null_server = { .nop = null_nop };

static int null_call(struct kobj *o, struct call_ctx *caller, uint16_t method,
		     struct capnp_msg *params, struct capnp_builder *results, struct capnp_exc *exc)
{
	(void)o;
	return capos_NullCap_dispatch(&null_server, caller, method, params, results, exc);
}

static const struct kobj_ops null_ops = { CAPOS_NULL_CAP_INTERFACE_ID, "NullCap", null_call, NULL };
struct kobj null_obj = { &null_ops, 0, 0 };
