/*
 * ThreadSpawner: a new thread in the caller's own process, its
 * ThreadHandle as result cap 0. Every argument is checked first (user
 * addresses, a 16-byte-aligned stack, zero flags: `failed`), then the
 * thread record is charged, the caller's slot, the handle and the kernel
 * stack are reserved (`overloaded`, each with its own message), and only
 * then is the thread published. Nothing half-made is ever runnable.
 */
#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "kernel/cap/object.h"
#include "kernel/cap/thread_handle.h"
#include "kernel/proc/proc.h"

static int fail(struct capnp_exc *exc, enum capnp_exc_type t, const char *why)
{
	*exc = (struct capnp_exc){ t, why };
	return CAPNP_EXCEPTION;
}

static int create(void *self, const struct capos_ThreadSpawner_create_Params_r *p,
		  struct capos_ThreadSpawner_create_Results_b *r, struct capnp_exc *exc)
{
	struct call_ctx *ctx = self;
	struct process *proc = ctx->proc;
	uint64_t entry = capos_ThreadSpawner_create_Params_get_entry(p);
	uint64_t stack = capos_ThreadSpawner_create_Params_get_stackTop(p);
	uint64_t fs = capos_ThreadSpawner_create_Params_get_fsBase(p);
	struct cap_reservation slot;

	if (capos_ThreadSpawner_create_Params_get_flags(p) != 0)
		return fail(exc, CAPNP_EXC_FAILED, "threadSpawner: flags must be 0");
	if (entry == 0 || entry >= CAPOS_USER_TOP || stack == 0 || stack >= CAPOS_USER_TOP ||
	    fs >= CAPOS_USER_TOP)
		return fail(exc, CAPNP_EXC_FAILED, "threadSpawner: not a user address");
	if (stack & 15)
		return fail(exc, CAPNP_EXC_FAILED, "threadSpawner: stack not 16-byte aligned");
	capos_ThreadSpawner_create_Results_set_handleIndex(r, 0);
	if (!call_result_room(ctx, capnp_builder_finish(r->s.b), 1))
		return CAPNP_ERR_NO_SPACE;
	if (ledger_reserve(&proc->ledger, LEDGER_THREADS, 1) != LEDGER_OK)
		return fail(exc, CAPNP_EXC_OVERLOADED, "threadSpawner: thread limit reached");
	if (captable_reserve(&proc->caps, &slot) != CAPTABLE_OK) {
		ledger_release(&proc->ledger, LEDGER_THREADS, 1);
		return fail(exc, CAPNP_EXC_OVERLOADED, "threadSpawner: the cap table is full");
	}
	struct thread *t =
		thread_create(proc, entry, stack, capos_ThreadSpawner_create_Params_get_arg(p), fs);
	struct kobj *h = t ? thread_handle_new(t, &proc->ledger) : NULL;
	if (h == NULL) {
		if (t)
			thread_discard(t);
		captable_abort(&proc->caps, slot);
		ledger_release(&proc->ledger, LEDGER_THREADS, 1);
		return fail(exc, CAPNP_EXC_OVERLOADED,
			    t ? "threadSpawner: out of kernel memory" :
				"threadSpawner: no thread slot or kernel stack left");
	}
	/* Commit. */
	t->handle = h;
	kobj_get(h); /* the thread's link */
	struct cap_hold hold = kobj_hold(h, CAP_MODE_LOCAL, CAP_ORIGIN_RESULT_CAP);
	ctx->caps[0] = (struct cap_transfer_result){ kobj_commit(&proc->caps, slot, &hold), 0,
						     CAPOS_THREAD_HANDLE_INTERFACE_ID };
	ctx->ncaps = 1;
	sched_add(t);
	return CAPNP_OK;
}

static const struct capos_ThreadSpawner_server server = { .create = create };

static int ts_call(struct kobj *o, struct call_ctx *ctx, uint16_t method, struct capnp_msg *params,
		   struct capnp_builder *results, struct capnp_exc *exc)
{
	(void)o;
	return capos_ThreadSpawner_dispatch(&server, ctx, method, params, results, exc);
}

static const struct kobj_ops ts_ops = { CAPOS_THREAD_SPAWNER_INTERFACE_ID, "ThreadSpawner", ts_call,
					NULL };
struct kobj thread_spawner_obj = { &ts_ops, 0, 0 };
