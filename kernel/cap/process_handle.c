/*
 * ProcessHandle: a parent's view of one spawned child (non-transferable).
 * The object has two references while the child lives: the parent's hold
 * and the child's link, dropped when the child is reaped. wait() completes
 * at once for a child that already exited; otherwise it registers the one
 * allowed waiter — a ThreadRef with one reserved CQ slot of the waiter's
 * ring — and completes when the child exits. A second waiter is refused
 * while the first is alive; a waiter whose thread is gone (its process
 * exited first) is simply dropped, by the generation check.
 */
#include "kernel/cap/process_handle.h"

#include "gen/capos.capnp.h"
#include "kernel/cap/ring.h"
#include "kernel/klog.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/proc.h"

struct process_handle {
	struct kobj obj;
	bool exited;		   /* [S] */
	int64_t exit_code;	   /* [S] valid once exited */
	struct deferred_call wait; /* [S] the pending wait */
};

static struct process_handle *of(struct kobj *o)
{
	return (struct process_handle *)o;
}

/* The results message of wait: (exitCode :Int64). */
static size_t encode_exit(int64_t code, uint64_t buf[4])
{
	struct capnp_builder b;
	struct capos_ProcessHandle_wait_Results_b r;
	if (capnp_builder_init(&b, buf, 4 * sizeof(uint64_t)) < 0 ||
	    capos_ProcessHandle_wait_Results_init_root(&b, &r) < 0)
		return 0;
	capos_ProcessHandle_wait_Results_set_exitCode(&r, code);
	return capnp_builder_finish(&b);
}

static int handle_wait(void *self, const struct capos_ProcessHandle_wait_Params_r *p,
		       struct capos_ProcessHandle_wait_Results_b *r, struct capnp_exc *exc)
{
	struct call_ctx *ctx = self;
	struct process_handle *h = of(ctx->obj);
	(void)p;

	if (h->exited) {
		capos_ProcessHandle_wait_Results_set_exitCode(r, h->exit_code);
		return CAPNP_OK;
	}
	switch (deferred_begin(&h->wait, ctx)) {
	case DEFERRED_BUSY:
		*exc = (struct capnp_exc){ CAPNP_EXC_FAILED,
					   "processHandle: a waiter is already registered" };
		return CAPNP_EXCEPTION;
	case DEFERRED_NO_ROOM:
		*exc = (struct capnp_exc){ CAPNP_EXC_OVERLOADED,
					   "processHandle: no completion-queue room to wait" };
		return CAPNP_EXCEPTION;
	}
	ctx->deferred = true;
	return CAPNP_OK;
}

static const struct capos_ProcessHandle_server handle_server = { .wait = handle_wait };

static int handle_call(struct kobj *o, struct call_ctx *ctx, uint16_t method,
		       struct capnp_msg *params, struct capnp_builder *results,
		       struct capnp_exc *exc)
{
	(void)o;
	return capos_ProcessHandle_dispatch(&handle_server, ctx, method, params, results, exc);
}

static void handle_destroy(struct kobj *o)
{
	kfree(of(o));
}

static const struct kobj_ops handle_ops = { CAPOS_PROCESS_HANDLE_INTERFACE_ID, "ProcessHandle",
					    handle_call, handle_destroy };

struct kobj *process_handle_new(void)
{
	struct process_handle *h = kzalloc(sizeof(*h));
	if (h == NULL)
		return NULL;
	h->obj.ops = &handle_ops;
	return &h->obj;
}

void process_handle_exited(struct kobj *o, int64_t code)
{
	struct process_handle *h = of(o);
	h->exited = true;
	h->exit_code = code;
	if (h->wait.active) {
		uint64_t buf[4];
		deferred_finish(&h->wait, buf, encode_exit(code, buf));
	}
	kobj_put(o); /* the child's link */
}
