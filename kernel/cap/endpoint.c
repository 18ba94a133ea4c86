/*
 * Endpoint IPC (spec: IPC and Endpoints; Authority Graph §4).
 *
 * An endpoint has three bounded queues: calls waiting for a RECV (their
 * params copied into kernel memory before the caller resumes, their
 * transferred caps pinned in the caller's table), RECVs waiting for a
 * call, and calls delivered and waiting for their RETURN. Every call has a
 * kernel-assigned non-zero id. Callers are charged in their ledger: one
 * outstanding call from CALL to completion, one endpoint-queue entry and
 * the params bytes while queued. A caller's completion and a pending
 * RECV's completion each hold a reserved CQ slot of their ring, so
 * delivery never finds a full CQ.
 *
 * Delivery (a CALL meeting a RECV) reserves the receiver's slots for the
 * transferred caps, then commits: the caps move or copy, the header, params
 * and transfer results are written, the RECV completes, and the server —
 * when it was blocked — runs next (direct handoff: it goes to the head of
 * the run queue, found again by its generation-checked ThreadRef). RETURN
 * does the same towards the caller. A transfer that cannot be committed
 * changes neither side (lib/cap/transfer), and the kernel checks both
 * tables and ledgers after every refusal.
 *
 * Lifetimes: facets are objects of their own (an owner facet per endpoint,
 * client facets minted from it); the endpoint lives while any facet does.
 * When the last owner facet goes, queued and in-flight calls complete with
 * a `disconnected` exception and pending RECVs with CAP_ERR_CANCELLED;
 * later CALLs raise `disconnected`. When a process exits, its queued calls
 * are dropped (moved caps restored to it before its table goes), its
 * in-flight calls forgotten (the server's RETURN then finds no such call)
 * and its RECVs removed.
 *
 * [S] everything: one CPU, the kernel runs with interrupts off.
 */
#include "kernel/cap/endpoint.h"

#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/limits.h"
#include "kernel/cap/ring.h"
#include "kernel/klog.h"
#include "kernel/measure.h"
#include "kernel/mm/heap.h"
#include "kernel/proc/proc.h"
#include "lib/cap/transfer.h"

struct ep_msg {
	struct ep_msg *next;
	uint32_t call_id;
	struct thread_ref caller;
	uint64_t user_data, result_addr;
	uint32_t result_len;
	uint16_t method_id;
	uint64_t interface_id;
	uint32_t len;
	uint8_t *params; /* kmalloc'd while queued; NULL once delivered */
	struct xfer_batch xfer;
};

struct ep_recv {
	struct thread_ref server;
	uint64_t user_data, result_addr;
	uint32_t result_len;
};

struct endpoint {
	struct kobj obj; /* refs: the facets */
	uint32_t owners; /* live owner facets */
	struct ep_msg *calls, **calls_tail;
	uint32_t ncalls, queued_bytes;
	struct ep_recv recvs[EP_MAX_PENDING_RECVS];
	uint32_t nrecvs;
	struct ep_msg *inflight;
	uint32_t ninflight;
	uint32_t next_id;
	struct endpoint *next_live;
};

struct ep_facet {
	struct kobj obj;
	struct endpoint *ep;
	bool owner;
};

static struct endpoint *live_endpoints;

/* ---- objects and facets ---- */

static void endpoint_destroy(struct kobj *o)
{
	struct endpoint *ep = (struct endpoint *)o;
	for (struct endpoint **pp = &live_endpoints; *pp; pp = &(*pp)->next_live) {
		if (*pp == ep) {
			*pp = ep->next_live;
			break;
		}
	}
	kfree(ep);
}

static const struct kobj_ops endpoint_ops = { CAPOS_ENDPOINT_INTERFACE_ID, "Endpoint", NULL,
					      endpoint_destroy };

static void disconnect(struct endpoint *ep);

static void facet_destroy(struct kobj *o)
{
	struct ep_facet *f = (struct ep_facet *)o;
	struct endpoint *ep = f->ep;
	if (f->owner && --ep->owners == 0)
		disconnect(ep);
	kfree(f);
	kobj_put(&ep->obj);
}

static int facet_call(struct kobj *o, struct call_ctx *ctx, uint16_t method,
		      struct capnp_msg *params, struct capnp_builder *results,
		      struct capnp_exc *exc);

static const struct kobj_ops owner_ops = { CAPOS_ENDPOINT_INTERFACE_ID, "Endpoint", facet_call,
					   facet_destroy };
static const struct kobj_ops client_ops = { CAPOS_ENDPOINT_INTERFACE_ID, "ClientEndpoint",
					    facet_call, facet_destroy };

/* Never reached: ring.c routes CALLs on facets to endpoint_call. */
static int facet_call(struct kobj *o, struct call_ctx *ctx, uint16_t method,
		      struct capnp_msg *params, struct capnp_builder *results,
		      struct capnp_exc *exc)
{
	(void)o, (void)ctx, (void)method, (void)params, (void)results;
	*exc = (struct capnp_exc){ CAPNP_EXC_FAILED, "endpoint: not a method call" };
	return CAPNP_EXCEPTION;
}

bool endpoint_is_facet(const struct kobj *o)
{
	return o->ops == &owner_ops || o->ops == &client_ops;
}

static struct ep_facet *facet(struct kobj *o)
{
	return (struct ep_facet *)o;
}

static struct ep_facet *facet_new(struct endpoint *ep, bool owner)
{
	struct ep_facet *f = kzalloc(sizeof(*f));
	if (f == NULL)
		return NULL;
	f->obj.ops = owner ? &owner_ops : &client_ops;
	f->ep = ep;
	f->owner = owner;
	kobj_get(&ep->obj);
	if (owner)
		ep->owners++;
	return f;
}

struct kobj *endpoint_new(void)
{
	unsigned n = 0;
	for (struct endpoint *e = live_endpoints; e; e = e->next_live)
		n++;
	if (n >= EP_MAX_ENDPOINTS)
		return NULL;
	struct endpoint *ep = kzalloc(sizeof(*ep));
	if (ep == NULL)
		return NULL;
	ep->obj.ops = &endpoint_ops;
	ep->calls_tail = &ep->calls;
	struct ep_facet *f = facet_new(ep, true);
	if (f == NULL) {
		kfree(ep);
		return NULL;
	}
	ep->next_live = live_endpoints;
	live_endpoints = ep;
	return &f->obj;
}

struct kobj *endpoint_client_of(struct kobj *o)
{
	if (!endpoint_is_facet(o))
		return NULL;
	if (!facet(o)->owner)
		return o;
	struct ep_facet *f = facet_new(facet(o)->ep, false);
	return f ? &f->obj : NULL;
}

/* ---- charging callers ---- */

static void uncharge_queued(struct process *caller, struct ep_msg *m)
{
	ledger_release(&caller->ledger, LEDGER_ENDPOINT_QUEUE, 1);
	ledger_release(&caller->ledger, LEDGER_SCRATCH_BYTES, m->len);
}

static void free_msg(struct ep_msg *m)
{
	if (m->params)
		kfree(m->params);
	kfree(m);
}

static bool from(const struct thread_ref *r, const struct process *p)
{
	return r->pid == p->pid && r->process_generation == p->generation;
}

static const struct xfer_refs refs = {
	(void (*)(void *))kobj_get,
	(void (*)(void *))kobj_put,
};

/* ---- delivery ---- */

/* The frame-grant pages a batch's holds charge (MemoryObjects), and the
 * part of it that moves (to release from the sender after commit). */
static uint64_t batch_weight(const struct xfer_batch *b, uint64_t *moved)
{
	uint64_t w = 0;
	*moved = 0;
	for (uint32_t i = 0; i < b->n; i++) {
		uint64_t x = ((struct kobj *)b->hold[i].object)->weight;
		w += x;
		if (b->src[i].mode == CAP_TRANSFER_MODE_MOVE)
			*moved += x;
	}
	return w;
}

/* Reserve the receiver's slots and frame-grant charge for a batch. */
static bool reserve_receiver(struct xfer_batch *b, struct process *dst, uint64_t w)
{
	if (w && ledger_reserve(&dst->ledger, LEDGER_FRAME_GRANT_PAGES, w) != LEDGER_OK)
		return false;
	if (xfer_reserve(b, &dst->caps) != XFER_OK) {
		if (w)
			ledger_release(&dst->ledger, LEDGER_FRAME_GRANT_PAGES, w);
		return false;
	}
	return true;
}

enum {
	DELIVERED = 0,
	TOO_SMALL = -1,
	NO_ROOM = -2
};

/* Deliver m into a RECV target of process sp: transfers committed, bytes
 * written. Returns DELIVERED with the RECV's result in *result and the cap
 * count in *ncaps, TOO_SMALL (nothing happened), or NO_ROOM (the
 * receiver's table refused the caps; nothing happened). */
static int deliver(struct ep_msg *m, struct process *sender, struct process *sp, uint64_t addr,
		   uint32_t len, int32_t *result, uint32_t *ncaps)
{
	uint64_t bytes = sizeof(struct cap_endpoint_message_header) + m->len;
	uint64_t at = (bytes + 7) & ~7ULL;
	if (at + (uint64_t)m->xfer.n * CAP_TRANSFER_RESULT_SIZE > len ||
	    !ring_buffer_ok(sp, addr, at + m->xfer.n * CAP_TRANSFER_RESULT_SIZE, true))
		return TOO_SMALL;
	uint64_t moved, w = batch_weight(&m->xfer, &moved);
	if (!reserve_receiver(&m->xfer, sp, w))
		return NO_ROOM;
	struct cap_transfer_result caps[CAP_XFER_MAX];
	uint32_t n = m->xfer.n;
	struct cap_endpoint_message_header h = { .call_id = m->call_id,
						 .method_id = m->method_id,
						 .xfer_cap_count = (uint16_t)n,
						 .interface_id = m->interface_id,
						 .params_len = m->len };
	xfer_commit(&m->xfer, &sender->caps, &sp->caps, CAP_ORIGIN_IPC_TRANSFER, caps);
	if (moved)
		ledger_release(&sender->ledger, LEDGER_FRAME_GRANT_PAGES, moved);
	copy_to_user(&sp->as, addr, &h, sizeof(h));
	copy_to_user(&sp->as, addr + sizeof(h), m->params, m->len);
	copy_to_user(&sp->as, addr + at, caps, n * sizeof(caps[0]));
	*result = (int32_t)bytes;
	*ncaps = n;
	return DELIVERED;
}

/* The process behind a waiter: completions, ledgers and tables belong to
 * it; its thread only says whom to wake. A process's queued calls and
 * RECVs are removed when it exits, so this finds it while they exist. */
static struct process *proc_of(const struct thread_ref *r)
{
	return process_resolve(r->pid, r->process_generation);
}

static void wake(const struct thread_ref *r)
{
	struct thread *t = thread_resolve(*r);
	if (t != NULL && t->state != T_DEAD)
		sched_wake(t);
}

/* Complete a caller with an exception, or a transport error (type < 0). */
static void complete_caller(struct ep_msg *m, int type, const char *msg, int32_t err)
{
	struct process *c = proc_of(&m->caller);
	if (c == NULL)
		return;
	int32_t r =
		type >= 0 ? ring_write_exception(c, m->result_addr, m->result_len, type, msg) : err;
	ring_complete(c, m->user_data, r, 0);
	ledger_release(&c->ledger, LEDGER_OUTSTANDING_CALLS, 1);
	wake(&m->caller);
}

/* A queued call whose delivery failed for good: its caps go back to the
 * caller, which completes with err. */
static void fail_queued(struct ep_msg *m, int32_t err)
{
	struct process *c = proc_of(&m->caller);
	if (c != NULL) {
		xfer_unpin(&m->xfer, &c->caps, &refs);
		uncharge_queued(c, m);
	}
	complete_caller(m, -1, NULL, err);
	free_msg(m);
}

static void to_inflight(struct endpoint *ep, struct ep_msg *m)
{
	if (m->params) {
		kfree(m->params);
		m->params = NULL;
	}
	m->next = ep->inflight;
	ep->inflight = m;
	ep->ninflight++;
}

static struct ep_msg *dequeue_call(struct endpoint *ep)
{
	struct ep_msg *m = ep->calls;
	if (m == NULL)
		return NULL;
	ep->calls = m->next;
	if (ep->calls == NULL)
		ep->calls_tail = &ep->calls;
	ep->ncalls--;
	ep->queued_bytes -= m->len;
	return m;
}

static void pop_recv(struct endpoint *ep)
{
	memmove(ep->recvs, ep->recvs + 1, --ep->nrecvs * sizeof(ep->recvs[0]));
}

/* Hand queued calls to pending RECVs while both exist. */
static void match(struct endpoint *ep)
{
	while (ep->calls && ep->nrecvs > 0 && ep->ninflight < EP_MAX_INFLIGHT) {
		struct ep_recv r = ep->recvs[0];
		struct process *sp = proc_of(&r.server);
		if (sp == NULL) { /* its process is gone (its RECVs go with it) */
			pop_recv(ep);
			continue;
		}
		struct ep_msg *m = ep->calls;
		struct process *caller = proc_of(&m->caller);
		int32_t result;
		uint32_t ncaps;
		int d = deliver(m, caller, sp, r.result_addr, r.result_len, &result, &ncaps);
		if (d == TOO_SMALL) { /* that RECV cannot take it; the call waits */
			pop_recv(ep);
			ring_complete(sp, r.user_data, CAP_ERR_RESULT_TRUNCATED, 0);
			wake(&r.server);
			continue;
		}
		dequeue_call(ep);
		if (d == NO_ROOM) { /* the RECV stays for the next call */
			fail_queued(m, CAP_ERR_TRANSFER_ABORTED);
			continue;
		}
		pop_recv(ep);
		uncharge_queued(caller, m);
		to_inflight(ep, m);
		/* Direct handoff: the server runs next. Before the completion,
		 * whose post would otherwise wake it at the tail of the queue
		 * when it is its ring's blocked waiter (which is all that
		 * happens in the measure build's no-handoff variant). */
		struct thread *st = CAPOS_DIRECT_HANDOFF ? thread_resolve(r.server) : NULL;
		if (st != NULL && st->state != T_DEAD)
			sched_wake_first(st);
		ring_complete(sp, r.user_data, result, ncaps);
	}
}

/* ---- CALL ---- */

int32_t endpoint_call(struct process *p, const struct cap_sqe *sqe, const struct cap_hold *hold,
		      const void *params, const struct cap_transfer_descriptor *xd)
{
	struct endpoint *ep = facet(hold->object)->ep;
	const char *why = NULL;
	int type = CAPNP_EXC_OVERLOADED;

	if (ep->owners == 0) {
		why = "endpoint: the server is gone";
		type = CAPNP_EXC_DISCONNECTED;
	} else if (ep->ncalls >= EP_MAX_PENDING_CALLS ||
		   ep->queued_bytes + sqe->len > EP_MAX_QUEUED_BYTES) {
		why = "endpoint: too many queued calls";
	} else if (ledger_used(&p->ledger, LEDGER_OUTSTANDING_CALLS) >=
		   ledger_max(&p->ledger, LEDGER_OUTSTANDING_CALLS)) {
		why = "endpoint: outstanding call quota exhausted";
	} else if (ledger_used(&p->ledger, LEDGER_ENDPOINT_QUEUE) >=
			   ledger_max(&p->ledger, LEDGER_ENDPOINT_QUEUE) ||
		   ledger_used(&p->ledger, LEDGER_SCRATCH_BYTES) + sqe->len >
			   ledger_max(&p->ledger, LEDGER_SCRATCH_BYTES)) {
		why = "endpoint: queue quota exhausted";
	}
	if (why != NULL)
		return ring_write_exception(p, sqe->result_addr, sqe->result_len, type, why);

	struct ep_msg *m = kzalloc(sizeof(*m));
	uint8_t *copy = sqe->len ? kmalloc(sqe->len) : NULL;
	if (m == NULL || (sqe->len && copy == NULL)) {
		if (m)
			kfree(m);
		if (copy)
			kfree(copy);
		return ring_write_exception(p, sqe->result_addr, sqe->result_len,
					    CAPNP_EXC_OVERLOADED, "endpoint: out of kernel memory");
	}
	int err = xfer_pin(&m->xfer, &p->caps, xd, sqe->xfer_cap_count, &refs);
	if (err != XFER_OK) {
		kfree(m);
		if (copy)
			kfree(copy);
		return err == XFER_ERR_DESCRIPTOR || err == XFER_ERR_TOO_MANY ?
			       CAP_ERR_INVALID_TRANSFER_DESCRIPTOR :
			       CAP_ERR_TRANSFER_ABORTED;
	}
	if (!ring_reserve_cq(p)) {
		xfer_unpin(&m->xfer, &p->caps, &refs);
		kfree(m);
		if (copy)
			kfree(copy);
		return ring_write_exception(p, sqe->result_addr, sqe->result_len,
					    CAPNP_EXC_OVERLOADED,
					    "endpoint: no completion-queue room for the reply");
	}
	/* Committed to queueing: nothing below fails. */
	memcpy(copy, params, sqe->len);
	m->params = copy;
	m->len = sqe->len;
	m->caller = thread_ref_of(thread_current());
	m->user_data = sqe->user_data;
	m->result_addr = sqe->result_addr;
	m->result_len = sqe->result_len;
	m->method_id = sqe->method_id;
	m->interface_id = hold->interface_id;
	if (++ep->next_id == 0)
		ep->next_id = 1;
	m->call_id = ep->next_id;
	ledger_reserve(&p->ledger, LEDGER_OUTSTANDING_CALLS, 1);
	ledger_reserve(&p->ledger, LEDGER_ENDPOINT_QUEUE, 1);
	ledger_reserve(&p->ledger, LEDGER_SCRATCH_BYTES, m->len);
	*ep->calls_tail = m;
	ep->calls_tail = &m->next;
	ep->ncalls++;
	ep->queued_bytes += m->len;
	match(ep);
	return RING_DEFERRED;
}

/* ---- RECV ---- */

int32_t endpoint_recv(struct process *p, const struct cap_sqe *sqe, struct kobj *o, uint32_t *ncaps)
{
	struct endpoint *ep = facet(o)->ep;

	if (!facet(o)->owner)
		return CAP_ERR_CLIENT_FACET;
	while (ep->calls && ep->ninflight < EP_MAX_INFLIGHT) {
		struct ep_msg *m = ep->calls;
		struct process *caller = proc_of(&m->caller);
		int32_t result;
		int d = deliver(m, caller, p, sqe->result_addr, sqe->result_len, &result, ncaps);
		if (d == TOO_SMALL)
			return CAP_ERR_RESULT_TRUNCATED; /* the call keeps waiting */
		dequeue_call(ep);
		if (d == NO_ROOM) {
			fail_queued(m, CAP_ERR_TRANSFER_ABORTED);
			continue;
		}
		uncharge_queued(caller, m);
		to_inflight(ep, m);
		return result;
	}
	if (ep->nrecvs >= EP_MAX_PENDING_RECVS || !ring_reserve_cq(p))
		return CAP_ERR_QUOTA;
	ep->recvs[ep->nrecvs++] = (struct ep_recv){ thread_ref_of(thread_current()), sqe->user_data,
						    sqe->result_addr, sqe->result_len };
	return RING_DEFERRED;
}

/* ---- RETURN ---- */

int32_t endpoint_return(struct process *p, const struct cap_sqe *sqe, struct kobj *o,
			const void *payload, const struct cap_transfer_descriptor *xd)
{
	struct endpoint *ep = facet(o)->ep;
	struct ep_msg **pp = &ep->inflight, *m;

	if (!facet(o)->owner)
		return CAP_ERR_CLIENT_FACET;
	if ((sqe->flags & CAP_SQE_RETURN_APPLICATION_EXCEPTION) && sqe->xfer_cap_count)
		return CAP_ERR_TRANSFER_NOT_SUPPORTED; /* an exception carries no caps */
	while ((m = *pp) != NULL && m->call_id != sqe->call_id)
		pp = &m->next;
	struct process *c = m ? proc_of(&m->caller) : NULL;
	if (c == NULL) /* a dead caller's calls are gone already */
		return CAP_ERR_UNKNOWN_CALL;
	bool exc = sqe->flags & CAP_SQE_RETURN_APPLICATION_EXCEPTION;
	uint64_t at = ((uint64_t)sqe->len + 7) & ~7ULL;
	struct xfer_batch b;
	struct cap_transfer_result caps[CAP_XFER_MAX];
	int32_t result;
	uint32_t n = 0;

	int err = xfer_pin(&b, &p->caps, xd, sqe->xfer_cap_count, &refs);
	if (err != XFER_OK)
		return err == XFER_ERR_DESCRIPTOR || err == XFER_ERR_TOO_MANY ?
			       CAP_ERR_INVALID_TRANSFER_DESCRIPTOR :
			       CAP_ERR_TRANSFER_ABORTED;
	if (at + (uint64_t)b.n * CAP_TRANSFER_RESULT_SIZE > m->result_len ||
	    !ring_buffer_ok(c, m->result_addr, m->result_len, true)) {
		/* The answer does not fit the caller's buffer: it is told so,
		 * and no cap moves. */
		xfer_unpin(&b, &p->caps, &refs);
		result = exc ? CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED : CAP_ERR_RESULT_TRUNCATED;
	} else {
		uint64_t moved, w = batch_weight(&b, &moved);
		if (!reserve_receiver(&b, c, w)) {
			xfer_unpin(&b, &p->caps, &refs);
			return CAP_ERR_TRANSFER_ABORTED; /* the call stays in flight */
		}
		n = b.n;
		xfer_commit(&b, &p->caps, &c->caps, CAP_ORIGIN_IPC_TRANSFER, caps);
		if (moved)
			ledger_release(&p->ledger, LEDGER_FRAME_GRANT_PAGES, moved);
		copy_to_user(&c->as, m->result_addr, payload, sqe->len);
		copy_to_user(&c->as, m->result_addr + at, caps, n * sizeof(caps[0]));
		result = exc ? CAP_ERR_APPLICATION_EXCEPTION : (int32_t)sqe->len;
	}
	*pp = m->next;
	ep->ninflight--;
	ring_complete(c, m->user_data, result, n);
	ledger_release(&c->ledger, LEDGER_OUTSTANDING_CALLS, 1);
	wake(&m->caller);
	free_msg(m);
	match(ep); /* room in flight may let a queued call through */
	return 0;
}

/* ---- teardown ---- */

static void disconnect(struct endpoint *ep)
{
	struct ep_msg *m;
	while ((m = dequeue_call(ep)) != NULL) {
		struct process *c = proc_of(&m->caller);
		if (c != NULL) {
			xfer_unpin(&m->xfer, &c->caps, &refs);
			uncharge_queued(c, m);
		}
		complete_caller(m, CAPNP_EXC_DISCONNECTED, "endpoint: the server is gone", 0);
		free_msg(m);
	}
	while ((m = ep->inflight) != NULL) {
		ep->inflight = m->next;
		ep->ninflight--;
		complete_caller(m, CAPNP_EXC_DISCONNECTED, "endpoint: the server is gone", 0);
		free_msg(m);
	}
	for (uint32_t i = 0; i < ep->nrecvs; i++) {
		struct process *sp = proc_of(&ep->recvs[i].server);
		if (sp != NULL) {
			ring_complete(sp, ep->recvs[i].user_data, CAP_ERR_CANCELLED, 0);
			wake(&ep->recvs[i].server);
		}
	}
	ep->nrecvs = 0;
}

void endpoint_process_exit(struct process *p)
{
	struct ep_msg *dropped = NULL, *m;

	/* First unlink everything of p from every endpoint; dropping the
	 * references its queued calls pinned may destroy endpoints, so that
	 * waits until no endpoint is being walked. */
	for (struct endpoint *ep = live_endpoints; ep; ep = ep->next_live) {
		struct ep_msg **pp = &ep->calls;
		while ((m = *pp) != NULL) {
			if (!from(&m->caller, p)) {
				pp = &m->next;
				continue;
			}
			*pp = m->next;
			ep->ncalls--;
			ep->queued_bytes -= m->len;
			m->next = dropped;
			dropped = m;
		}
		ep->calls_tail = &ep->calls;
		for (m = ep->calls; m; m = m->next)
			ep->calls_tail = &m->next;
		for (pp = &ep->inflight; (m = *pp) != NULL;) {
			if (!from(&m->caller, p)) {
				pp = &m->next;
				continue;
			}
			*pp = m->next;
			ep->ninflight--;
			ledger_release(&p->ledger, LEDGER_OUTSTANDING_CALLS, 1);
			free_msg(m); /* delivered: it pins nothing */
		}
		uint32_t k = 0;
		for (uint32_t i = 0; i < ep->nrecvs; i++)
			if (!from(&ep->recvs[i].server, p))
				ep->recvs[k++] = ep->recvs[i];
		ep->nrecvs = k;
	}
	while ((m = dropped) != NULL) {
		dropped = m->next;
		xfer_unpin(&m->xfer, &p->caps, &refs);
		uncharge_queued(p, m);
		ledger_release(&p->ledger, LEDGER_OUTSTANDING_CALLS, 1);
		free_msg(m);
	}
}
