/*
 * ThreadHandle: observes one thread of the holder's own process
 * (non-transferable). References: the holds, plus the thread's link until
 * it exits. join is one-shot: it completes at once for an exited thread,
 * else registers the one waiter (a ThreadRef with a reserved CQ slot);
 * self-join, a second waiter and a join after a successful join fail.
 * exitCode never blocks and does not consume the join. Releasing the last
 * hold before the thread exits detaches it. The thread-record charge
 * (LEDGER_THREADS) stays while an exited thread's status can still be
 * observed — a live hold that has not joined — and goes with the join or
 * the last hold.
 */
#include "kernel/cap/thread_handle.h"

#include "gen/capos.capnp.h"
#include "kernel/cap/ring.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/proc.h"

struct thread_handle {
	struct kobj obj;
	struct thread_ref target;
	struct ledger *ledger;
	bool exited, joined, charged;
	int64_t code;
	struct deferred_call join; /* the pending join */
};

static struct thread_handle *of(struct kobj *o)
{
	return (struct thread_handle *)o;
}

static bool same(struct thread_ref a, struct thread_ref b)
{
	return a.pid == b.pid && a.process_generation == b.process_generation && a.tid == b.tid &&
	       a.thread_generation == b.thread_generation;
}

static void consume(struct thread_handle *h)
{
	h->joined = true;
	if (h->charged) {
		ledger_release(h->ledger, LEDGER_THREADS, 1);
		h->charged = false;
	}
}

static int fail(struct capnp_exc *exc, enum capnp_exc_type t, const char *why)
{
	*exc = (struct capnp_exc){ t, why };
	return CAPNP_EXCEPTION;
}

static int th_join(void *self, const struct capos_ThreadHandle_join_Params_r *p,
		   struct capos_ThreadHandle_join_Results_b *r, struct capnp_exc *exc)
{
	struct call_ctx *ctx = self;
	struct thread_handle *h = of(ctx->obj);
	(void)p;
	if (!h->exited && same(h->target, thread_ref_of(thread_current())))
		return fail(exc, CAPNP_EXC_FAILED, "threadHandle: a thread cannot join itself");
	if (h->joined)
		return fail(exc, CAPNP_EXC_FAILED, "threadHandle: already joined");
	if (h->exited) {
		capos_ThreadHandle_join_Results_set_exitCode(r, h->code);
		consume(h);
		return CAPNP_OK;
	}
	switch (deferred_begin(&h->join, ctx)) {
	case DEFERRED_BUSY:
		return fail(exc, CAPNP_EXC_FAILED, "threadHandle: a join is already pending");
	case DEFERRED_NO_ROOM:
		return fail(exc, CAPNP_EXC_OVERLOADED, "threadHandle: no completion-queue room");
	}
	ctx->deferred = true;
	return CAPNP_OK;
}

static int th_exit_code(void *self, const struct capos_ThreadHandle_exitCode_Params_r *p,
			struct capos_ThreadHandle_exitCode_Results_b *r, struct capnp_exc *exc)
{
	struct thread_handle *h = of(((struct call_ctx *)self)->obj);
	(void)p, (void)exc;
	capos_ThreadHandle_exitCode_Results_set_exited(r, h->exited);
	capos_ThreadHandle_exitCode_Results_set_exitCode(r, h->exited ? h->code : 0);
	return CAPNP_OK;
}

static const struct capos_ThreadHandle_server server = { .join = th_join,
							 .exitCode = th_exit_code };

static int th_call(struct kobj *o, struct call_ctx *ctx, uint16_t method, struct capnp_msg *params,
		   struct capnp_builder *results, struct capnp_exc *exc)
{
	(void)o;
	return capos_ThreadHandle_dispatch(&server, ctx, method, params, results, exc);
}

static void th_destroy(struct kobj *o)
{
	struct thread_handle *h = of(o);
	if (h->charged)
		ledger_release(h->ledger, LEDGER_THREADS, 1);
	kfree(h);
}

static const struct kobj_ops th_ops = { CAPOS_THREAD_HANDLE_INTERFACE_ID, "ThreadHandle", th_call,
					th_destroy };

struct kobj *thread_handle_new(struct thread *t, struct ledger *l)
{
	struct thread_handle *h = kzalloc(sizeof(*h));
	if (h == NULL)
		return NULL;
	h->obj.ops = &th_ops;
	h->target = thread_ref_of(t);
	h->ledger = l;
	return &h->obj;
}

void thread_handle_exited(struct kobj *o, int64_t code, struct ledger *l)
{
	struct thread_handle *h = of(o);
	h->exited = true;
	h->code = code;
	if (h->join.active) {
		uint64_t buf[4];
		struct capnp_builder b;
		struct capos_ThreadHandle_join_Results_b r;
		capnp_builder_init(&b, buf, sizeof(buf));
		capos_ThreadHandle_join_Results_init_root(&b, &r);
		capos_ThreadHandle_join_Results_set_exitCode(&r, code);
		h->joined = deferred_live(&h->join); /* else its thread or process is gone */
		deferred_finish(&h->join, buf, capnp_builder_finish(&b));
	}
	if (!h->joined && o->refs > 1)
		h->charged = true; /* a hold can still observe the status */
	else
		ledger_release(l, LEDGER_THREADS, 1);
	kobj_put(o); /* the thread's link */
}
