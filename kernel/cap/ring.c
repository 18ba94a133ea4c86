/*
 * Ring dispatch. The page is hostile: sq_tail and cq_head are read once
 * per use, each SQE is copied out before it is looked at, the SQ window is
 * bounded (a corrupt tail discards the window instead of reading it), and
 * a full CQ stops dispatch with the SQE left pending, so no completion is
 * ever lost. The access protocol (acquire loads of the user's indexes,
 * release stores of the kernel's) is lib/ring/ring.h's: a dispatch writes
 * its CQEs and publishes them with one store of cq_tail at its end, or
 * before its thread parks or exits. Each operation is decoded completely
 * before anything happens (decode, then invoke): its fields once by
 * ring_sqe_check (a NOP needs nothing more), then its cap, buffers and
 * transfer descriptors by ring_sqe_decode (lib/ring/decode.c). User
 * buffers are checked and copied through the caller's page tables
 * (kernel/mm/vm.c).
 */
#include "kernel/cap/ring.h"

#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "include/capos/limits.h"
#include "kernel/arch/x86_64/time.h"
#include "kernel/cap/endpoint.h"
#include "kernel/cap/object.h"
#include "kernel/cap/park.h"
#include "kernel/klog.h"
#include "kernel/measure.h"
#include "lib/ring/decode.h"
#include "lib/ring/ring.h"

static uint64_t params_buf[CAP_MAX_PARAMS_BYTES / 8];
static uint64_t results_buf[CAP_MAX_RESULT_BYTES / 8];

/* What ring_sqe_decode needs of the machine: p's page tables and the
 * kernel's object kinds. */
static bool env_mapped(void *ctx, uint64_t addr, uint64_t len, bool write)
{
	return vm_check(&((struct process *)ctx)->as, addr, len, write) == 0;
}

static void env_copy_in(void *ctx, void *dst, uint64_t addr, uint64_t len)
{
	copy_from_user(&((struct process *)ctx)->as, dst, addr, len);
}

static enum ring_obj_kind env_kind(void *ctx, const void *object)
{
	(void)ctx;
	if (endpoint_is_facet(object))
		return RING_OBJ_ENDPOINT;
	return object == &park_space_obj ? RING_OBJ_PARK : RING_OBJ_OTHER;
}

static struct ring_env env_of(struct process *p)
{
	return (struct ring_env){ &p->caps, env_mapped, env_copy_in, env_kind, p };
}

bool ring_buffer_ok(struct process *p, uint64_t addr, uint64_t len, bool write)
{
	struct ring_env env = env_of(p);
	return ring_range_ok(&env, addr, len, write);
}

/* Serialize a CapException into the results scratch; returns its length. */
static size_t encode_exception(const struct capnp_exc *exc);

int32_t ring_write_exception(struct process *p, uint64_t addr, uint32_t len, int type,
			     const char *msg)
{
	struct capnp_exc exc = { (enum capnp_exc_type)type, msg };
	size_t n = encode_exception(&exc);
	if (n > len || !ring_buffer_ok(p, addr, n, true))
		return CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED;
	copy_to_user(&p->as, addr, results_buf, n);
	return CAP_ERR_APPLICATION_EXCEPTION;
}

static size_t encode_exception(const struct capnp_exc *exc)
{
	struct capnp_builder b;
	struct capos_CapException_b e;

	if (capnp_builder_init(&b, results_buf, sizeof(results_buf)) < 0 ||
	    capos_CapException_init_root(&b, &e) < 0)
		return 0;
	capos_CapException_set_type(&e, (enum capos_CapException_Type)exc->type);
	const char *msg = exc->msg ? exc->msg : "";
	capos_CapException_set_message(&e, msg, (uint32_t)strlen(msg));
	return capnp_builder_finish(&b);
}

/* Deliver len bytes of results_buf, or a truncation error. */
static int32_t deliver(struct process *p, const struct cap_sqe *sqe, size_t len, int32_t ok,
		       int32_t truncated)
{
	if (len > sqe->result_len)
		return truncated;
	if (copy_to_user(&p->as, sqe->result_addr, results_buf, len) < 0)
		return CAP_ERR_INVALID_BUFFER; /* the method itself unmapped it */
	return ok < 0 ? ok : (int32_t)len;
}

/* Append the result caps a method inserted (it checked the room with
 * call_result_room before committing them) after the result bytes. */
static void deliver_caps(struct process *p, const struct cap_sqe *sqe, size_t len,
			 const struct call_ctx *ctx)
{
	uint64_t at = sqe->result_addr + ((len + CAP_TRANSFER_DESCRIPTOR_ALIGNMENT - 1) &
					  ~(uint64_t)(CAP_TRANSFER_DESCRIPTOR_ALIGNMENT - 1));
	if (copy_to_user(&p->as, at, ctx->caps, ctx->ncaps * sizeof(ctx->caps[0])) < 0)
		kernel_halt_failure("ring: result caps no longer fit a checked buffer");
}

static int32_t do_return(struct process *p, const struct cap_sqe *sqe, const struct ring_decoded *d)
{
	copy_from_user(&p->as, params_buf, sqe->addr, sqe->len);
	return endpoint_return(p, sqe, d->hold.object, params_buf, d->xd);
}

static int32_t do_call(struct process *p, const struct cap_sqe *sqe, const struct ring_decoded *d,
		       struct call_ctx *ctx)
{
	struct capnp_seg segs[4];
	struct capnp_msg params;
	struct capnp_builder results;
	struct capnp_exc exc = { CAPNP_EXC_FAILED, NULL };

	int err;

	/* Decoded already (execute): cap, sizes, buffers, descriptors. */
	uint64_t t = measure_now();
	copy_from_user(&p->as, params_buf, sqe->addr, sqe->len);
	/* Zero the rest of the last word (the reader sees whole words); the
	 * scratch beyond it is never read: segment sizes are checked against
	 * len. Not the whole 16 KiB on every call. */
	memset((uint8_t *)params_buf + sqe->len, 0, (8 - (sqe->len & 7)) & 7);
	if (d->kind == RING_OBJ_ENDPOINT) /* opaque bytes: the server parses them */
		return endpoint_call(p, sqe, &d->hold, params_buf, d->xd);
	if (capnp_msg_init(&params, params_buf, sqe->len, segs, 4, NULL) < 0 ||
	    capnp_builder_init(&results, results_buf, sizeof(results_buf)) < 0) {
		exc.msg = "malformed params";
		err = CAPNP_EXCEPTION;
	} else {
		/* Invoke. */
		t = measure_lap(SEG_DECODE, t);
		struct kobj *o = d->hold.object;
		*ctx = (struct call_ctx){ .proc = p,
					  .obj = o,
					  .user_data = sqe->user_data,
					  .result_addr = sqe->result_addr,
					  .result_len = sqe->result_len,
					  .thread_owned = sqe->flags & CAP_SQE_THREAD_OWNED };
		err = o->ops->call(o, ctx, sqe->method_id, &params, &results, &exc);
		t = measure_lap(SEG_METHOD, t);
		if (err == CAPNP_OK && ctx->exit_thread)
			return RING_EXIT_THREAD;
		if (err == CAPNP_OK && ctx->deferred)
			return RING_DEFERRED;
	}
	if (err == CAPNP_OK) {
		size_t len = capnp_builder_finish(&results);
		int32_t r = deliver(p, sqe, len, 0, CAP_ERR_RESULT_TRUNCATED);
		measure_lap(SEG_RESULT, t);
		if (ctx->ncaps > 0) {
			if (r < 0) /* the method checked the room: a broken invariant */
				kernel_halt_failure("ring: %s returned caps it had no room for",
						    ((struct kobj *)d->hold.object)->ops->label);
			deliver_caps(p, sqe, len, ctx);
		}
		return r;
	}
	if (err == CAPNP_EXCEPTION)
		return deliver(p, sqe, encode_exception(&exc), CAP_ERR_APPLICATION_EXCEPTION,
			       CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED);
	return CAP_ERR_RESULT_TRUNCATED; /* results did not fit the kernel scratch */
}

static int32_t do_release(struct process *p, const struct cap_sqe *sqe)
{
	struct cap_hold hold;
	int err = captable_remove(&p->caps, sqe->cap_id, &hold);
	if (err == CAPTABLE_ERR_STALE)
		return CAP_ERR_STALE_CAP;
	if (err != CAPTABLE_OK)
		return CAP_ERR_INVALID_CAP;
	kobj_drop_hold(&p->ledger, &hold);
	return 0;
}

/* Decode and invoke one SQE whose fields ring_sqe_check accepted. */
static int32_t execute(struct process *p, const struct cap_sqe *sqe, struct call_ctx *ctx)
{
	if (sqe->opcode == CAP_OP_NOP)
		return 0; /* nothing to decode, nothing to invoke */
	struct ring_env env = env_of(p);
	struct ring_decoded d;
	uint64_t t = measure_now();
	int32_t err = ring_sqe_decode(sqe, &env, &d); /* cap, buffers, descriptors */
	measure_lap(SEG_CAP_LOOKUP, t);
	if (err != 0)
		return err;
	switch (sqe->opcode) { /* invoke */
	case CAP_OP_CALL:
		return do_call(p, sqe, &d, ctx);
	case CAP_OP_RELEASE:
		return do_release(p, sqe);
	case CAP_OP_RECV:
		return endpoint_recv(p, sqe, d.hold.object, &ctx->ncaps);
	case CAP_OP_RETURN:
		return do_return(p, sqe, &d);
	case CAP_OP_PARK:
		return park_check(p, sqe);
	case CAP_OP_UNPARK:
		return park_wake(p, sqe);
	default:
		return CAP_ERR_UNSUPPORTED_OPCODE;
	}
}

/* Log a transport error, within the process's diagnostic budget. */
static void report(struct process *p, const struct cap_sqe *sqe, int32_t result)
{
	bool cap_error = result == CAP_ERR_INVALID_CAP || result == CAP_ERR_STALE_CAP;
	struct diag_key key = { result, sqe->opcode, cap_error ? sqe->cap_id : 0 };
	if (diag_admit(&p->diag, key, clock_ns()))
		kprintf("ring: %s (pid %u): %s (opcode %u, cap 0x%x)\n", p->name, p->pid,
			ring_strerror(result), sqe->opcode, sqe->cap_id);
}

/* Write a CQE into p's ring at the kernel's tail; the user sees it once
 * publish() has run. off_cpu goes to reserved1 (zero but for a measure
 * build's blocked PARK, ring_complete_park). */
static void post(struct process *p, uint64_t user_data, int32_t result, uint32_t ncaps,
		 uint64_t off_cpu)
{
	uint64_t t = measure_now();
	struct cap_cqe cqe = { .user_data = user_data,
			       .result = result,
			       .flags = ncaps ? CAP_CQE_TRANSFER_RESULT_CAPS : 0,
			       .cap_count = ncaps,
			       .reserved1 = off_cpu };
	ring_cq_write(p->ring, p->cq_tail++, &cqe);
	measure_lap(SEG_CQE_POST, t);
}

/* Publish every CQE written so far with one release store of cq_tail, and
 * wake the thread blocked in cap_enter on this ring: it wakes for every
 * completion, whichever thread it is for and whichever posted it (the
 * runtime hands completions between its threads, user/rt). Run before
 * the posting thread can leave the CPU or return to user mode, so no one
 * ever sees a count (ring_available) ahead of the published tail. */
static void publish(struct process *p)
{
	uint64_t t = measure_now();
	ring_cq_publish_tail(p->ring, p->cq_tail);
	struct thread *w = p->ring_waiting ? thread_resolve(p->ring_waiter) : NULL;
	if (w != NULL && w != thread_current() && w->state != T_DEAD)
		sched_wake(w);
	measure_lap(SEG_WAKE, t);
}

/* From the timer tick only non-CALL work may run (spec: Capability Ring):
 * no allocation, blocking, page-table changes or capnp parsing there. */
static bool tick_safe(const struct cap_sqe *sqe)
{
	return sqe->opcode == CAP_OP_NOP || sqe->opcode == CAP_OP_RELEASE;
}

static unsigned dispatch(struct process *p, bool from_tick);

unsigned ring_dispatch(struct process *p)
{
	return dispatch(p, false);
}

unsigned ring_poll_tick(struct process *p)
{
	return dispatch(p, true);
}

static unsigned dispatch(struct process *p, bool from_tick)
{
	struct cap_ring_header *h = &p->ring->hdr;
	unsigned done = 0;
	bool foreign = false;
	uint32_t tail = ring_sq_tail_load(p->ring); /* read once */
	int pending = ring_sq_pending(p->sq_head, tail);

	if (pending < 0) { /* corrupt tail: drop the window, never read it */
		p->sq_head = tail;
		ring_sq_publish_head(p->ring, p->sq_head);
		h->sq_resets++;
		pending = 0;
	}
	uint32_t unpublished = p->cq_tail; /* CQEs from here on wait for publish() */
	for (; done < (unsigned)pending; done++) {
		uint64_t t = measure_now();
		if (ring_cq_space(p->cq_tail, ring_cq_head_load(p->ring)) <= p->cq_reserved)
			break; /* backpressure (reserved slots count as full) */
		struct cap_sqe sqe;
		ring_sq_copy(p->ring, p->sq_head, &sqe);
		if (from_tick && !tick_safe(&sqe))
			break; /* a CALL waits for cap_enter, and so does all after it */
		t = measure_lap(SEG_SQE_FETCH, t);
		int32_t result = ring_sqe_check(&sqe); /* the fields, once */
		measure_lap(SEG_VALIDATE, t);
		if (result == 0 && (sqe.flags & CAP_SQE_THREAD_OWNED) &&
		    sqe.call_id != thread_current()->tid) {
			foreign = true; /* its owner drains it; nothing after it runs */
			break;
		}
		struct call_ctx ctx; /* do_call fills the rest for the CALLs that use it */
		ctx.ncaps = 0;
		if (result == 0)
			result = execute(p, &sqe, &ctx);
		if (result < 0 && result > RING_EXIT_THREAD &&
		    result != CAP_ERR_APPLICATION_EXCEPTION &&
		    result != CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED)
			report(p, &sqe, result);
		if (result > RING_EXIT_THREAD)
			post(p, sqe.user_data, result, result >= 0 ? ctx.ncaps : 0, 0);
		p->sq_head++; /* consumed before anything may block or end */
		ring_sq_publish_head(p->ring, p->sq_head);
		if (result == RING_EXIT_THREAD || result == RING_PARK)
			publish(p); /* this thread leaves the CPU */
		if (result == RING_EXIT_THREAD)
			thread_exit_current(ctx.exit_code);
		if (result == RING_PARK) {
			park_block(p, &sqe); /* back here once woken or timed out */
			done++;
			break; /* siblings dispatched meanwhile: the window is stale */
		}
	}
	if (p->cq_tail != unpublished)
		publish(p);
	uint64_t suppressed;
	int32_t last;
	if (diag_summary(&p->diag, clock_ns(), &suppressed, &last))
		kprintf("ring: pid=%u invalid submissions suppressed=%lu last_err=%s\n", p->pid,
			suppressed, ring_strerror(last));
	return foreign ? RING_STOPPED_AT_FOREIGN : done;
}

bool ring_reserve_cq(struct process *p)
{
	uint32_t space = ring_cq_space(p->cq_tail, ring_cq_head_load(p->ring));
	if (space <= p->cq_reserved + 1)
		return false; /* keep one slot for the CALL's own failure */
	p->cq_reserved++;
	return true;
}

/* Use p's reserved CQ slot for a completion and publish it. */
static void complete(struct process *p, uint64_t user_data, int32_t result, uint32_t ncaps,
		     uint64_t off_cpu)
{
	p->cq_reserved--; /* the reserved slot is used right here */
	post(p, user_data, result, result >= 0 ? ncaps : 0, off_cpu);
	publish(p); /* p may be another process, or this one mid-dispatch */
}

void ring_complete(struct process *p, uint64_t user_data, int32_t result, uint32_t ncaps)
{
	complete(p, user_data, result, ncaps, 0);
}

void ring_complete_park(struct process *p, uint64_t user_data, int32_t result, uint64_t off_cpu)
{
	complete(p, user_data, result, 0, off_cpu);
}

/* ---- deferred CALLs ---- */

/* The process d's CQE goes to; NULL once it is ending (its ring and
 * address space are being torn down). */
static struct process *waiter_process(const struct deferred_call *d)
{
	struct process *p = process_resolve(d->waiter.pid, d->waiter.process_generation);
	return p != NULL && !p->exiting ? p : NULL;
}

bool deferred_live(const struct deferred_call *d)
{
	struct thread *t = d->active ? thread_resolve(d->waiter) : NULL;
	return t != NULL && t->state != T_DEAD;
}

void deferred_cancel(struct deferred_call *d)
{
	struct process *p = d->active ? waiter_process(d) : NULL;
	d->active = false;
	if (p != NULL)
		ring_complete(p, d->user_data, CAP_ERR_CANCELLED, 0);
}

int deferred_begin(struct deferred_call *d, struct call_ctx *ctx)
{
	if (deferred_live(d))
		return DEFERRED_BUSY;
	deferred_cancel(d); /* a CALL its exited thread left behind */
	if (!ring_reserve_cq(ctx->proc))
		return DEFERRED_NO_ROOM;
	*d = (struct deferred_call){ true, thread_ref_of(thread_current()), ctx->user_data,
				     ctx->result_addr, ctx->result_len };
	return DEFERRED_OK;
}

void deferred_finish(struct deferred_call *d, const void *bytes, size_t len)
{
	struct process *p = d->active ? waiter_process(d) : NULL;
	d->active = false;
	if (p == NULL)
		return;
	ring_post_deferred(p, d->user_data, d->result_addr, d->result_len, bytes, len);
	struct thread *t = thread_resolve(d->waiter);
	if (t != NULL && t->state != T_DEAD)
		sched_wake(t);
}

void ring_post_deferred(struct process *p, uint64_t user_data, uint64_t result_addr,
			uint32_t result_len, const void *bytes, size_t len)
{
	int32_t result = (int32_t)len;
	if (result_len < len)
		result = CAP_ERR_RESULT_TRUNCATED;
	else if (copy_to_user(&p->as, result_addr, bytes, len) < 0)
		result = CAP_ERR_INVALID_BUFFER; /* checked at submission, unmapped since */
	ring_complete(p, user_data, result, 0);
}

uint64_t ring_complete_sleepers(struct process *p, uint64_t now)
{
	/* The results message of sleep is empty: its root is a zero-sized
	 * struct. */
	static const uint64_t empty_results[2] = { 0x0000000100000000ULL, 0xfffffffc };
	uint64_t next = UINT64_MAX;

	for (unsigned i = 0; i < PROC_SLEEPERS; i++) {
		struct sleeper *s = &p->sleepers[i];
		if (!s->used)
			continue;
		if (s->deadline > now) {
			next = s->deadline < next ? s->deadline : next;
			continue;
		}
		s->used = false;
		ring_post_deferred(p, s->user_data, s->result_addr, s->result_len, empty_results,
				   sizeof(empty_results));
	}
	return next;
}

uint32_t ring_available(struct process *p)
{
	uint32_t used = p->cq_tail - ring_cq_head_load(p->ring);
	return used <= CAP_CQ_ENTRIES ? used : 0;
}
