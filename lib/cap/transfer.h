/*
 * lib/cap/transfer — moving and copying caps between two tables as one
 * transaction (spec: Authority Graph and Resource Accounting, §4).
 *
 * A batch goes through three phases, each all-or-nothing:
 *
 *   pin      (sender)   every descriptor is checked — a known mode, zero
 *                       reserved bits, a live cap of the sender whose
 *                       transfer mode allows it — and its source pinned:
 *                       a copy takes its own reference to the object, a
 *                       move marks the sender's slot MOVING (no longer
 *                       usable, not yet gone). Fails leaving the sender
 *                       exactly as it was.
 *   reserve  (receiver) one slot per item, its cap_slots quota included.
 *                       Fails leaving the receiver exactly as it was.
 *   commit              cannot fail: the receiver's holds are published
 *                       and each moved source slot is vacated.
 *
 * unpin and unreserve undo the first two phases (unreserve only after a
 * reserve that succeeded: a failed reserve has already undone itself). A move is therefore never
 * live in both tables or in neither (T2), a batch that fails halfway
 * changes nothing on either side, and quota is checked before anything is
 * published (Q3). Pinning the sources and reserving the receiver may
 * happen at different times (an endpoint CALL queued until a RECV), the
 * sender's side held pinned in between.
 *
 * Pure logic; the caller owns both tables' locks. Host-tested.
 */
#pragma once

#include <stdint.h>

#include "include/capos/limits.h"
#include "include/capos/ring.h"
#include "lib/cap/cap_table.h"

enum xfer_err {
	XFER_OK = 0,
	XFER_ERR_DESCRIPTOR = -1,	/* unknown mode or non-zero reserved bits */
	XFER_ERR_INVALID = -2,		/* the source names no cap of the sender */
	XFER_ERR_STALE = -3,		/* the source's generation is stale */
	XFER_ERR_NOT_TRANSFERABLE = -4, /* the cap's transfer mode forbids this */
	XFER_ERR_BUSY = -5,		/* the source is already leaving (moved twice) */
	XFER_ERR_QUOTA = -6,		/* the receiver's cap_slots quota is spent */
	XFER_ERR_FULL = -7,		/* the receiver's table has no free slot */
	XFER_ERR_TOO_MANY = -8,		/* more than CAP_XFER_MAX descriptors */
};

struct xfer_item {
	uint32_t src_cap;	    /* the sender's CapId */
	uint32_t mode;		    /* CAP_TRANSFER_MODE_COPY or _MOVE */
	struct cap_hold hold;	    /* what the receiver will hold */
	struct cap_reservation dst; /* valid after reserve */
};

struct xfer_batch {
	uint32_t n;
	struct xfer_item items[CAP_XFER_MAX];
};

/* Object references for copies: a pinned copy holds one (taken by pin,
 * handed to the receiver's hold by commit, dropped by unpin). */
struct xfer_refs {
	void (*get)(void *object);
	void (*put)(void *object);
};

/*@
    // Item k < n of b is a pinned move out of slot j.
    predicate moves_from(struct xfer_batch *b, integer n, integer j) =
	\exists integer k; 0 <= k < n && b->items[k].mode == CAP_TRANSFER_MODE_MOVE &&
	    CAPID_INDEX(b->items[k].src_cap) == j;

    // The first n items of b are pinned in t: each is a copy of a
    // copyable hold or a move out of its own MOVING slot, at the CapId's
    // generation, holding what the slot holds.
    predicate pins_ok(struct xfer_batch *b, integer n, struct cap_table *t) =
	(\forall integer k; 0 <= k < n ==>
	    (b->items[k].mode == CAP_TRANSFER_MODE_COPY && b->items[k].hold.mode == CAP_MODE_COPY)
   || (b->items[k].mode == CAP_TRANSFER_MODE_MOVE && CAPID_INDEX(b->items[k].src_cap) <
   CAP_TABLE_SLOTS && t->slots[CAPID_INDEX(b->items[k].src_cap)].state == CAP_SLOT_MOVING &&
	     t->slots[CAPID_INDEX(b->items[k].src_cap)].generation ==
		CAPID_GEN(b->items[k].src_cap) &&
	     t->slots[CAPID_INDEX(b->items[k].src_cap)].hold == b->items[k].hold &&
	     b->items[k].hold.mode != CAP_MODE_LOCAL)) &&
	(\forall integer k1, k2; 0 <= k1 < k2 < n &&
	    b->items[k1].mode == CAP_TRANSFER_MODE_MOVE &&
	    b->items[k2].mode == CAP_TRANSFER_MODE_MOVE ==>
		CAPID_INDEX(b->items[k1].src_cap) != CAPID_INDEX(b->items[k2].src_cap));

    // Between L1 and L2 exactly the sources of the first n moves of b went
    // from LIVE to MOVING; nothing else of t or its ledger changed.
    predicate pinned{L1, L2}(struct xfer_batch *b, integer n, struct cap_table *t) =
	holds_kept{L1, L2}(t) &&
	(\forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	    (moves_from{L2}(b, n, j) ==> \at(t->slots[j].state, L1) == CAP_SLOT_LIVE &&
					 \at(t->slots[j].state, L2) == CAP_SLOT_MOVING) &&
	    (!moves_from{L2}(b, n, j) ==> \at(t->slots[j].state, L1) == \at(t->slots[j].state, L2)))
   && \at(t->live, L1) == \at(t->live, L2) && \at(t->retired, L1) == \at(t->retired, L2) &&
	charged{L1, L2}(t, 0);

    // Item k < n of b holds the reservation of slot j.
    predicate reserves(struct xfer_batch *b, integer n, integer j) =
	\exists integer k; 0 <= k < n && b->items[k].dst.index == j;

    // The first n items of b hold n distinct RESERVED slots of t.
    predicate holds_reservations(struct xfer_batch *b, integer n, struct cap_table *t) =
	(\forall integer k; 0 <= k < n ==> b->items[k].dst.index < CAP_TABLE_SLOTS &&
	    t->slots[b->items[k].dst.index].state == CAP_SLOT_RESERVED) &&
	(\forall integer k1, k2; 0 <= k1 < k2 < n ==>
	    b->items[k1].dst.index != b->items[k2].dst.index);

    // Between L1 and L2 exactly the slots reserved by the first n items of
    // b went from FREE to RESERVED, each charged one cap_slots unit.
    predicate reserved{L1, L2}(struct xfer_batch *b, integer n, struct cap_table *t) =
	holds_kept{L1, L2}(t) &&
	(\forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	    (reserves{L2}(b, n, j) ==> \at(t->slots[j].state, L1) == CAP_SLOT_FREE &&
				       \at(t->slots[j].state, L2) == CAP_SLOT_RESERVED) &&
	    (!reserves{L2}(b, n, j) ==> \at(t->slots[j].state, L1) == \at(t->slots[j].state, L2)))
   && \at(t->live, L2) == \at(t->live, L1) + n && \at(t->retired, L1) == \at(t->retired, L2) &&
	charged{L1, L2}(t, n);

    // The batch, its descriptors and the table with its ledger are apart.
    predicate batch_apart(struct xfer_batch *b, struct cap_table *t) =
	\valid(b) && \separated(b, t) && (t->ledger != \null ==> \separated(b, t->ledger));
 */

int xfer_pin(struct xfer_batch *b, struct cap_table *src, const struct cap_transfer_descriptor *d,
	     uint32_t n, const struct xfer_refs *refs);
void xfer_unpin(struct xfer_batch *b, struct cap_table *src, const struct xfer_refs *refs);
/*@ requires table_ok(dst) && batch_apart(b, dst) && b->n <= CAP_XFER_MAX &&
	     dst->live <= UINT32_MAX - CAP_XFER_MAX;
    assigns b->items[0 .. CAP_XFER_MAX - 1].dst, dst->slots[0 .. CAP_TABLE_SLOTS - 1].state,
	    dst->live, dst->ledger->res[0 .. LEDGER_NRES - 1].used;
    ensures table_ok(dst) && gens_kept{Pre, Post}(dst);
    ensures \result == XFER_OK ==> holds_reservations(b, b->n, dst) &&
	reserved{Pre, Post}(b, b->n, dst);
    ensures \result != XFER_OK ==> \result < 0 && unchanged{Pre, Post}(dst);
 */
int xfer_reserve(struct xfer_batch *b, struct cap_table *dst);
/*@ requires table_ok(dst) && batch_apart(b, dst) && b->n <= CAP_XFER_MAX &&
	     holds_reservations(b, b->n, dst) && dst->live >= b->n &&
	     (dst->ledger != \null ==> dst->ledger->res[LEDGER_CAP_SLOTS].used >= b->n);
    assigns dst->slots[0 .. CAP_TABLE_SLOTS - 1].state, dst->live,
	    dst->ledger->res[0 .. LEDGER_NRES - 1].used;
    ensures table_ok(dst) && gens_kept{Pre, Post}(dst) && holds_kept{Pre, Post}(dst);
    ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	(reserves(b, b->n, j) ==> dst->slots[j].state == CAP_SLOT_FREE) &&
	(!reserves(b, b->n, j) ==> dst->slots[j].state == \old(dst->slots[j].state));
    ensures dst->live == \old(dst->live) - b->n && charged{Pre, Post}(dst, -b->n);
 */
void xfer_unreserve(struct xfer_batch *b, struct cap_table *dst);
/* Publish (origin `origin`) and vacate moved sources; out[i] gets the
 * receiver's CapId and interface id of item i. */
void xfer_commit(struct xfer_batch *b, struct cap_table *src, struct cap_table *dst, uint8_t origin,
		 struct cap_transfer_result *out);
const char *xfer_strerror(int err);
