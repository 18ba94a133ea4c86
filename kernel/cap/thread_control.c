/*
 * ThreadControl: the calling thread's FS base, and its exit. exitThread
 * must be a thread-owned CALL (CAP_SQE_THREAD_OWNED, call_id = tid), so a
 * sibling draining the ring can never end the wrong thread; it posts no
 * completion, and the last thread's exit ends the process with its code.
 */
#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "kernel/arch/x86_64/io.h"
#include "kernel/cap/object.h"
#include "kernel/proc/proc.h"

#define MSR_FS_BASE 0xc0000100

static int get_fs(void *self, const struct capos_ThreadControl_getFsBase_Params_r *p,
		  struct capos_ThreadControl_getFsBase_Results_b *r, struct capnp_exc *exc)
{
	(void)self, (void)p, (void)exc;
	capos_ThreadControl_getFsBase_Results_set_fsBase(r, rdmsr(MSR_FS_BASE));
	return CAPNP_OK;
}

static int set_fs(void *self, const struct capos_ThreadControl_setFsBase_Params_r *p,
		  struct capos_ThreadControl_setFsBase_Results_b *r, struct capnp_exc *exc)
{
	uint64_t fs = capos_ThreadControl_setFsBase_Params_get_fsBase(p);
	(void)self, (void)r;
	if (fs >= CAPOS_USER_TOP) {
		*exc = (struct capnp_exc){ CAPNP_EXC_FAILED, "threadControl: not a user address" };
		return CAPNP_EXCEPTION;
	}
	sched_set_fs_base(fs);
	return CAPNP_OK;
}

static int exit_thread(void *self, const struct capos_ThreadControl_exitThread_Params_r *p,
		       struct capos_ThreadControl_exitThread_Results_b *r, struct capnp_exc *exc)
{
	struct call_ctx *ctx = self;
	(void)r;
	if (!ctx->thread_owned) {
		*exc = (struct capnp_exc){ CAPNP_EXC_FAILED,
					   "threadControl: exitThread must be thread-owned" };
		return CAPNP_EXCEPTION;
	}
	ctx->exit_thread = true;
	ctx->exit_code = capos_ThreadControl_exitThread_Params_get_code(p);
	return CAPNP_OK;
}

static const struct capos_ThreadControl_server server = {
	.getFsBase = get_fs,
	.setFsBase = set_fs,
	.exitThread = exit_thread,
};

static int tc_call(struct kobj *o, struct call_ctx *ctx, uint16_t method, struct capnp_msg *params,
		   struct capnp_builder *results, struct capnp_exc *exc)
{
	(void)o;
	return capos_ThreadControl_dispatch(&server, ctx, method, params, results, exc);
}

static const struct kobj_ops tc_ops = { CAPOS_THREAD_CONTROL_INTERFACE_ID, "ThreadControl", tc_call,
					NULL };
struct kobj thread_control_obj = { &tc_ops, 0, 0 };
