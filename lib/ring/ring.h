/*
 * lib/ring — the pure half of the kernel's ring dispatcher: index arithmetic
 * over hostile head/tail values and the side-effect-free check of one copied
 * SQE (the "decode" of seL4's decode/invoke split). Host-tested, and the
 * object of the ring proofs and model.
 *
 * The kernel keeps its own authoritative sq_head and cq_tail; the values in
 * the shared page are only ever published, never trusted. What user space
 * controls (sq_tail, cq_head) is read once per dispatch and passed in here.
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
