/*
 * Timer: monotonic nanoseconds since boot, and sleeps that complete later.
 * A sleep takes one of the process's PROC_SLEEPERS slots and reserves one
 * CQ slot for its completion before the call is accepted, so the
 * completion can never be crowded out by other CQEs; no slot or no CQ room
 * raises `overloaded` and changes nothing. Completions are posted when the
 * process next enters the kernel through cap_enter after the deadline.
 */
#include "gen/capos.capnp.h"
#include "include/capos/ring.h"
#include "kernel/arch/x86_64/time.h"
#include "kernel/cap/object.h"
#include "kernel/cap/ring.h"
#include "kernel/proc/proc.h"
#include "lib/ring/ring.h"

static int timer_now(void *self, const struct capos_Timer_now_Params_r *p,
		     struct capos_Timer_now_Results_b *r, struct capnp_exc *exc)
{
	(void)self;
	(void)p;
	(void)exc;
	capos_Timer_now_Results_set_ns(r, clock_ns());
	return CAPNP_OK;
}

static int timer_sleep(void *self, const struct capos_Timer_sleep_Params_r *params,
		       struct capos_Timer_sleep_Results_b *r, struct capnp_exc *exc)
{
	struct call_ctx *ctx = self;
	struct process *p = ctx->proc;
	uint64_t ns = capos_Timer_sleep_Params_get_ns(params);
	(void)r;

	if (ns == 0)
		return CAPNP_OK; /* completes at once */
	unsigned i = 0;
	while (i < PROC_SLEEPERS && p->sleepers[i].used)
		i++;
	if (i == PROC_SLEEPERS || !ring_reserve_cq(p)) {
		*exc = (struct capnp_exc){ CAPNP_EXC_OVERLOADED, "timer: too many pending sleeps" };
		return CAPNP_EXCEPTION;
	}
	uint64_t now = clock_ns();
	p->sleepers[i] = (struct sleeper){ true, ns > UINT64_MAX - now ? UINT64_MAX : now + ns,
					   ctx->user_data, ctx->result_addr, ctx->result_len };
	ctx->deferred = true;
	return CAPNP_OK;
}

static const struct capos_Timer_server timer_server = { .now = timer_now, .sleep = timer_sleep };

static int timer_call(struct kobj *o, struct call_ctx *ctx, uint16_t method,
		      struct capnp_msg *params, struct capnp_builder *results,
		      struct capnp_exc *exc)
{
	(void)o;
	return capos_Timer_dispatch(&timer_server, ctx, method, params, results, exc);
}

static const struct kobj_ops timer_ops = { CAPOS_TIMER_INTERFACE_ID, "Timer", timer_call, NULL };
struct kobj timer_obj = { &timer_ops, 0, 0 };
