/*
 * FrameAllocator: zeroed frames as MemoryObject result caps, never as
 * physical addresses. The caller's frame_grant_pages quota is charged for
 * the hold before any frame is taken; every failure leaves the caller's
 * table, ledger and the free frames as they were.
 */
#include "gen/capos.capnp.h"
#include "include/capos/limits.h"
#include "kernel/cap/memory_object.h"
#include "kernel/cap/object.h"
#include "kernel/proc/proc.h"

static int fail(struct capnp_exc *exc, enum capnp_exc_type t, const char *why)
{
	*exc = (struct capnp_exc){ t, why };
	return CAPNP_EXCEPTION;
}

/* Allocate npages as one MemoryObject and hand it to the caller as result
 * cap 0. */
static int allocate(struct call_ctx *ctx, uint64_t npages, bool contiguous, uint64_t results_len,
		    struct capnp_exc *exc)
{
	struct process *p = ctx->proc;
	struct cap_reservation slot;

	if (!call_result_room(ctx, results_len, 1))
		return CAPNP_ERR_NO_SPACE;
	if (ledger_used(&p->ledger, LEDGER_FRAME_GRANT_PAGES) + npages >
	    ledger_max(&p->ledger, LEDGER_FRAME_GRANT_PAGES))
		return fail(exc, CAPNP_EXC_OVERLOADED,
			    "frameAllocator: frame-grant quota exhausted");
	int err = captable_reserve(&p->caps, &slot);
	if (err != CAPTABLE_OK)
		return fail(exc, CAPNP_EXC_OVERLOADED,
			    "frameAllocator: the caller's cap table is full");
	struct kobj *o = memory_object_new(npages, contiguous);
	if (o == NULL) {
		captable_abort(&p->caps, slot);
		return fail(exc, CAPNP_EXC_OVERLOADED,
			    contiguous ? "frameAllocator: no contiguous run that long" :
					 "frameAllocator: out of frames");
	}
	struct cap_hold h = kobj_hold(o, CAP_MODE_COPY, CAP_ORIGIN_RESULT_CAP);
	hold_charge(&p->ledger, &h); /* checked above: cannot fail */
	ctx->caps[0] = (struct cap_transfer_result){ kobj_commit(&p->caps, slot, &h), 0,
						     CAPOS_MEMORY_OBJECT_INTERFACE_ID };
	ctx->ncaps = 1;
	return CAPNP_OK;
}

static int alloc_frame(void *self, const struct capos_FrameAllocator_allocFrame_Params_r *p,
		       struct capos_FrameAllocator_allocFrame_Results_b *r, struct capnp_exc *exc)
{
	(void)p;
	capos_FrameAllocator_allocFrame_Results_set_handleIndex(r, 0);
	return allocate(self, 1, false, capnp_builder_finish(r->s.b), exc);
}

static int alloc_contiguous(void *self,
			    const struct capos_FrameAllocator_allocContiguous_Params_r *p,
			    struct capos_FrameAllocator_allocContiguous_Results_b *r,
			    struct capnp_exc *exc)
{
	uint32_t count = capos_FrameAllocator_allocContiguous_Params_get_count(p);
	if (count == 0 || count > MO_MAX_CONTIGUOUS)
		return fail(exc, CAPNP_EXC_FAILED, "frameAllocator: count 0 or over the limit");
	capos_FrameAllocator_allocContiguous_Results_set_handleIndex(r, 0);
	return allocate(self, count, true, capnp_builder_finish(r->s.b), exc);
}

static const struct capos_FrameAllocator_server server = {
	.allocFrame = alloc_frame,
	.allocContiguous = alloc_contiguous,
};

static int fa_call(struct kobj *o, struct call_ctx *ctx, uint16_t method, struct capnp_msg *params,
		   struct capnp_builder *results, struct capnp_exc *exc)
{
	(void)o;
	return capos_FrameAllocator_dispatch(&server, ctx, method, params, results, exc);
}

static const struct kobj_ops fa_ops = { CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, "FrameAllocator",
					fa_call, NULL };
struct kobj frame_allocator_obj = { &fa_ops, 0, 0 };
