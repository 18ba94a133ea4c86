/*
 * lib/ring — the pure half of the kernel's ring dispatcher: index arithmetic
 * over hostile head/tail values and the side-effect-free check of one copied
 * SQE (the "decode" of seL4's decode/invoke split). Host-tested, and the
 * object of the ring proofs and model.
 *
 * The kernel keeps its own authoritative sq_head and cq_tail; the values in
 * the shared page are only ever published, never trusted. What user space
 * controls (sq_tail, cq_head) is read once per dispatch and passed in here.
 *
 * The access protocol over the shared page is here too, as the inline
 * functions below, used by the kernel, by libcapos and by the threaded
 * stress test (tests/tsan): each side reads the peer's index with an
 * acquire load and publishes its own with a release store, so a slot is
 * written before its index is published and read before it is handed
 * back; the kernel may write several CQEs and publish them with one store
 * of cq_tail. Single producer, single consumer per queue: each side's own
 * calls are serialized by its caller (the runtime lock; the kernel's
 * process lock).
 */
#pragma once

#include <stdint.h>

#include "include/capos/ring.h"

/* SQEs pending between the kernel's head and a user tail. A distance beyond
 * CAP_SQ_ENTRIES means user space corrupted sq_tail: returns -1 and the
 * kernel discards the window (head := tail) rather than reading it. */
/*@ assigns \nothing;
    ensures bounded: -1 <= \result <= CAP_SQ_ENTRIES;
    ensures honest: (uint32_t)(u_sq_tail - k_sq_head) <= CAP_SQ_ENTRIES ==>
		    \result == (uint32_t)(u_sq_tail - k_sq_head);
    ensures corrupt: (uint32_t)(u_sq_tail - k_sq_head) > CAP_SQ_ENTRIES ==> \result == -1;
 */
int ring_sq_pending(uint32_t k_sq_head, uint32_t u_sq_tail);

/* CQ slots free for the kernel, given its own tail and the user's head. A
 * head ahead of the tail or more than CAP_CQ_ENTRIES behind it is corrupt and
 * reads as a full queue: backpressure, so no completion is overwritten. */
/*@ assigns \nothing;
    ensures bounded: \result <= CAP_CQ_ENTRIES;
    ensures honest: (uint32_t)(k_cq_tail - u_cq_head) <= CAP_CQ_ENTRIES ==>
		    \result == CAP_CQ_ENTRIES - (uint32_t)(k_cq_tail - u_cq_head);
    ensures corrupt: (uint32_t)(k_cq_tail - u_cq_head) > CAP_CQ_ENTRIES ==> \result == 0;
 */
uint32_t ring_cq_space(uint32_t k_cq_tail, uint32_t u_cq_head);

/* The slot of a free-running index: in bounds whatever the index. */
/*@ assigns \nothing;
    ensures in_bounds: 0 <= \result < CAP_SQ_ENTRIES;
 */
static inline uint32_t ring_sq_slot(uint32_t index)
{
	return index & (CAP_SQ_ENTRIES - 1);
}

/*@ assigns \nothing;
    ensures in_bounds: 0 <= \result < CAP_CQ_ENTRIES;
 */
static inline uint32_t ring_cq_slot(uint32_t index)
{
	return index & (CAP_CQ_ENTRIES - 1);
}

/* ---- user side: produce SQEs, consume CQEs ---- */

/* Append *sqe at the user's sq_tail. Returns 0, or -1 when the SQ is full
 * (nothing written). */
/*@ requires \valid(r) && \valid_read(sqe) && \separated(r, sqe); */
static inline int ring_sq_push(struct cap_ring *r, const struct cap_sqe *sqe)
{
	uint32_t tail = __atomic_load_n(&r->hdr.sq_tail, __ATOMIC_RELAXED); /* our own */
	uint32_t head = __atomic_load_n(&r->hdr.sq_head, __ATOMIC_ACQUIRE);

	if (tail - head >= CAP_SQ_ENTRIES)
		return -1;
	r->sq[ring_sq_slot(tail)] = *sqe;
	__atomic_store_n(&r->hdr.sq_tail, tail + 1, __ATOMIC_RELEASE);
	return 0;
}

/* Take the CQE at the user's cq_head into *out and hand its slot back.
 * Returns 1, or 0 when the CQ is empty. */
/*@ requires \valid(r) && \valid(out) && \separated(r, out); */
static inline int ring_cq_take(struct cap_ring *r, struct cap_cqe *out)
{
	uint32_t head = __atomic_load_n(&r->hdr.cq_head, __ATOMIC_RELAXED); /* our own */

	if (head == __atomic_load_n(&r->hdr.cq_tail, __ATOMIC_ACQUIRE))
		return 0;
	*out = r->cq[ring_cq_slot(head)];
	__atomic_store_n(&r->hdr.cq_head, head + 1, __ATOMIC_RELEASE);
	return 1;
}

/* ---- kernel side: consume SQEs, produce CQEs ---- */

/* The user's sq_tail: read once per dispatch. Acquire, so the SQEs before
 * it are visible. Hostile: check it with ring_sq_pending. */
static inline uint32_t ring_sq_tail_load(const struct cap_ring *r)
{
	return __atomic_load_n(&r->hdr.sq_tail, __ATOMIC_ACQUIRE);
}

/* The user's cq_head. Acquire, so the user's reads of the CQEs before it
 * are done before the kernel reuses their slots. Hostile: check it with
 * ring_cq_space. */
static inline uint32_t ring_cq_head_load(const struct cap_ring *r)
{
	return __atomic_load_n(&r->hdr.cq_head, __ATOMIC_ACQUIRE);
}

/* Copy the SQE at index head out of the page. The compiler barrier keeps
 * every later use on the copy, never a second read of the shared slot. */
/*@ requires \valid_read(r) && \valid(out) && \separated(r, out); */
static inline void ring_sq_copy(const struct cap_ring *r, uint32_t head, struct cap_sqe *out)
{
	*out = r->sq[ring_sq_slot(head)];
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* Publish the kernel's sq_head: the slots before it are the user's again. */
static inline void ring_sq_publish_head(struct cap_ring *r, uint32_t head)
{
	__atomic_store_n(&r->hdr.sq_head, head, __ATOMIC_RELEASE);
}

/* Write *cqe into the slot of index tail. The user does not see it until
 * ring_cq_publish_tail publishes an index past it. The caller checked the
 * room with ring_cq_space and keeps its own tail. */
/*@ requires \valid(r) && \valid_read(cqe) && \separated(r, cqe); */
static inline void ring_cq_write(struct cap_ring *r, uint32_t tail, const struct cap_cqe *cqe)
{
	r->cq[ring_cq_slot(tail)] = *cqe;
}

/* Publish the kernel's cq_tail: the CQEs written before it are the user's.
 * Release, so every slot written before the store is visible before the
 * index; one store publishes a whole batch. */
static inline void ring_cq_publish_tail(struct cap_ring *r, uint32_t tail)
{
	__atomic_store_n(&r->hdr.cq_tail, tail, __ATOMIC_RELEASE);
}

/* Check the fields of one SQE that was already copied out of the ring:
 * opcode known and implemented, flags accepted by the opcode, reserved and
 * unused fields zero. Returns 0 or a negative enum cap_err. Cap lookup and
 * buffer validation come after this, in the kernel. */
/*@ requires \valid_read(sqe);
    assigns \nothing;
    ensures \result <= 0;
 */
int ring_sqe_check(const struct cap_sqe *sqe);

/* A short name for a CAP_ERR_* value ("stale cap"). */
/*@ assigns \nothing;
    ensures \valid_read(\result);
 */
const char *ring_strerror(int err);
