/*
 * lib/cap/transfer — moving and copying caps between two tables as one
 * transaction (spec: Authority Graph and Resource Accounting, §4).
 *
 * A batch goes through three phases, each all-or-nothing:
 *
 *   pin      (sender)   the descriptors are copied into the batch and
 *                       each is checked — a known mode, zero reserved
 *                       bits, a live cap of the sender whose transfer mode
 *                       allows it — and its source pinned: a copy takes
 *                       its own reference to the object, a move marks the
 *                       sender's slot MOVING (no longer usable, not yet
 *                       gone). Fails leaving the sender exactly as it was.
 *   reserve  (receiver) one slot per item, its cap_slots quota included.
 *                       Fails leaving the receiver exactly as it was.
 *   commit              cannot fail: the receiver's holds are published
 *                       and each moved source slot is vacated.
 *
 * unpin and unreserve undo the first two phases (unreserve only after a
 * reserve that succeeded: a failed reserve has already undone itself). A
 * move is therefore never live in both tables or in neither (T2), a batch
 * that fails halfway changes nothing on either side, and quota is checked
 * before anything is published (Q3). Pinning the sources and reserving the receiver may
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

/* A batch, one array per phase: pin writes the descriptors and the holds,
 * reserve the reservations, and each phase's proof sees at once that the
 * others' arrays stay as they were. */
struct xfer_batch {
	uint32_t n;
	struct cap_transfer_descriptor src[CAP_XFER_MAX]; /* the sender's, checked */
	struct cap_hold hold[CAP_XFER_MAX];		  /* what the receiver will hold */
	struct cap_reservation dst[CAP_XFER_MAX];	  /* the receiver's slots, after reserve */
};

/* Object references for copies: a pinned copy holds one (taken by pin,
 * handed to the receiver's hold by commit, dropped by unpin). */
struct xfer_refs {
	void (*get)(void *object);
	void (*put)(void *object);
};

/*@
    // Descriptor d is pinned in t: a copy of a copyable hold, or a move out
    // of its own MOVING slot at the CapId's generation.
    predicate desc_pinned(struct cap_transfer_descriptor *d, struct cap_table *t) =
	CAPID_INDEX(d->cap_id) < CAP_TABLE_SLOTS &&
	((d->mode == CAP_TRANSFER_MODE_COPY &&
	  t->slots[CAPID_INDEX(d->cap_id)].hold.mode == CAP_MODE_COPY) ||
	 (d->mode == CAP_TRANSFER_MODE_MOVE &&
	  t->slots[CAPID_INDEX(d->cap_id)].state == CAP_SLOT_MOVING &&
	  t->slots[CAPID_INDEX(d->cap_id)].generation == CAPID_GEN(d->cap_id) &&
	  t->slots[CAPID_INDEX(d->cap_id)].hold.mode != CAP_MODE_LOCAL));

    // Descriptor k < n of d moves out of slot j.
    predicate moves_from(struct cap_transfer_descriptor *d, integer n, integer j) =
	\exists integer k; 0 <= k < n && d[k].mode == CAP_TRANSFER_MODE_MOVE &&
	    CAPID_INDEX(d[k].cap_id) == j;

    // The first n descriptors of d are pinned in t, no two moves out of one
    // slot.
    predicate pins_ok(struct cap_transfer_descriptor *d, integer n, struct cap_table *t) =
	(\forall integer k; 0 <= k < n ==> desc_pinned(d + k, t)) &&
	(\forall integer k1, k2; 0 <= k1 < k2 < n && d[k1].mode == CAP_TRANSFER_MODE_MOVE &&
	    d[k2].mode == CAP_TRANSFER_MODE_MOVE ==>
		CAPID_INDEX(d[k1].cap_id) != CAPID_INDEX(d[k2].cap_id));

    // Between L1 and L2 exactly the sources of the moves among the first n
    // descriptors of d went from LIVE to MOVING; nothing else of t or its
    // ledger changed.
    predicate pinned{L1, L2}(struct cap_transfer_descriptor *d, integer n, struct cap_table *t) =
	holds_kept{L1, L2}(t) &&
	(\forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	    (moves_from{L2}(d, n, j) ==> \at(t->slots[j].state, L1) == CAP_SLOT_LIVE &&
					 \at(t->slots[j].state, L2) == CAP_SLOT_MOVING) &&
	    (!moves_from{L2}(d, n, j) ==> \at(t->slots[j].state, L1) == \at(t->slots[j].state, L2)))
   && \at(t->live, L1) == \at(t->live, L2) && \at(t->retired, L1) == \at(t->retired, L2) &&
	charged{L1, L2}(t, 0);

    lemma pinned_after{L0, L1, L2}: \forall struct cap_transfer_descriptor *d, integer n,
					  struct cap_table *t;
	unchanged{L0, L1}(t) && \at(t->ledger, L0) == \at(t->ledger, L1) && pinned{L1, L2}(d, n, t)
   ==> pinned{L0, L2}(d, n, t);

    // The first n holds of b are those its descriptors name in t.
    predicate holds_named(struct xfer_batch *b, integer n, struct cap_table *t) =
	\forall integer k; 0 <= k < n ==>
	    b->hold[k] == t->slots[CAPID_INDEX(b->src[k].cap_id)].hold;

    // Reservation k < n of b is of slot j.
    predicate reserves(struct xfer_batch *b, integer n, integer j) =
	\exists integer k; 0 <= k < n && b->dst[k].index == j;

    // The first n reservations of b are n distinct RESERVED slots of t.
    predicate holds_reservations(struct xfer_batch *b, integer n, struct cap_table *t) =
	(\forall integer k; 0 <= k < n ==> b->dst[k].index < CAP_TABLE_SLOTS &&
	    t->slots[b->dst[k].index].state == CAP_SLOT_RESERVED) &&
	(\forall integer k1, k2; 0 <= k1 < k2 < n ==> b->dst[k1].index != b->dst[k2].index);

    // Between L1 and L2 exactly the slots of the first n reservations of b
    // went from FREE to RESERVED, each charged one cap_slots unit.
    predicate reserved{L1, L2}(struct xfer_batch *b, integer n, struct cap_table *t) =
	holds_kept{L1, L2}(t) &&
	(\forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	    (reserves{L2}(b, n, j) ==> \at(t->slots[j].state, L1) == CAP_SLOT_FREE &&
				       \at(t->slots[j].state, L2) == CAP_SLOT_RESERVED) &&
	    (!reserves{L2}(b, n, j) ==> \at(t->slots[j].state, L1) == \at(t->slots[j].state, L2)))
   && \at(t->live, L2) == \at(t->live, L1) + n && \at(t->retired, L1) == \at(t->retired, L2) &&
	charged{L1, L2}(t, n);

    // Slot j of t holds h, published with origin o.
    predicate published_hold(struct cap_table *t, integer j, struct cap_hold h, integer o) =
	t->slots[j].hold.object == h.object && t->slots[j].hold.interface_id == h.interface_id &&
	t->slots[j].hold.badge == h.badge && t->slots[j].hold.mode == h.mode &&
	t->slots[j].hold.origin == o;

    // Items [0, n) of b are committed to t with origin o: item k's hold is
    // live in its reserved slot, which CapId id[k] names.
    predicate committed(struct xfer_batch *b, integer n, struct cap_table *t, integer o,
			uint32_t *id) =
	\forall integer k; 0 <= k < n ==>
	    resolves(t, id[k]) && CAPID_INDEX(id[k]) == b->dst[k].index &&
	    published_hold(t, b->dst[k].index, b->hold[k], o);

    // The number of moves among the first n descriptors of d.
    logic integer nmoves(struct cap_transfer_descriptor *d, integer n) =
	n <= 0 ? 0 : nmoves(d, n - 1) + (d[n - 1].mode == CAP_TRANSFER_MODE_MOVE ? 1 : 0);

    // Slot j of t is the same at L1 and L2, field by field.
    predicate slot_kept{L1, L2}(struct cap_table *t, integer j) =
	\at(t->slots[j].state, L1) == \at(t->slots[j].state, L2) &&
	\at(t->slots[j].generation, L1) == \at(t->slots[j].generation, L2) &&
	\at(t->slots[j].hold.object, L1) == \at(t->slots[j].hold.object, L2) &&
	\at(t->slots[j].hold.interface_id, L1) == \at(t->slots[j].hold.interface_id, L2) &&
	\at(t->slots[j].hold.badge, L1) == \at(t->slots[j].hold.badge, L2) &&
	\at(t->slots[j].hold.mode, L1) == \at(t->slots[j].hold.mode, L2) &&
	\at(t->slots[j].hold.origin, L1) == \at(t->slots[j].hold.origin, L2);

    // Result k of out, for each item k < n of b, names that item's hold,
    // published in t with origin o.
    predicate delivered(struct xfer_batch *b, integer n, struct cap_table *t, integer o,
			struct cap_transfer_result *out) =
	\forall integer k; 0 <= k < n ==>
	    resolves(t, out[k].cap_id) && CAPID_INDEX(out[k].cap_id) == b->dst[k].index &&
	    published_hold(t, b->dst[k].index, b->hold[k], o) && out[k].reserved == 0 &&
	    out[k].interface_id == b->hold[k].interface_id;

    // Nothing of t (its slots, its ledger pointer, its ledger) lies where
    // a step on u writes: u's slots and its ledger's counters.
    predicate apart_from(struct cap_table *t, struct cap_table *u) =
	(\forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	    \separated(&t->slots[j], u->slots + (0 .. CAP_TABLE_SLOTS - 1)) &&
	    \separated(&t->slots[j], &u->ledger->res[0 .. LEDGER_NRES - 1].used)) &&
	\separated(&t->ledger, u->slots + (0 .. CAP_TABLE_SLOTS - 1)) &&
	(\forall integer r; 0 <= r < LEDGER_NRES ==>
	    \separated(&t->ledger->res[r], u->slots + (0 .. CAP_TABLE_SLOTS - 1)) &&
	    \separated(&t->ledger->res[r], &u->ledger->res[0 .. LEDGER_NRES - 1].used));

    // Two tables of two processes: the tables and their ledgers all apart.
    predicate tables_apart(struct cap_table *src, struct cap_table *dst) =
	\separated(src, dst) && src->ledger != \null && dst->ledger != \null &&
	\separated(src->ledger, dst) && \separated(dst->ledger, src) &&
	\separated(src->ledger, dst->ledger);

    // The batch, its descriptors and the table with its ledger are apart.
    predicate batch_apart(struct xfer_batch *b, struct cap_table *t) =
	\valid(b) && \separated(b, t) && (t->ledger != \null ==> \separated(b, t->ledger));
 */

int xfer_pin(struct xfer_batch *b, struct cap_table *src, const struct cap_transfer_descriptor *d,
	     uint32_t n, const struct xfer_refs *refs);
void xfer_unpin(struct xfer_batch *b, struct cap_table *src, const struct xfer_refs *refs);
/*@ requires table_ok(dst) && batch_apart(b, dst) && b->n <= CAP_XFER_MAX &&
	     dst->live <= UINT32_MAX - CAP_XFER_MAX;
    assigns b->dst[0 .. CAP_XFER_MAX - 1], dst->slots[0 .. CAP_TABLE_SLOTS - 1].state,
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
 * receiver's CapId and interface id of item i. The contract covers two
 * processes (tables_apart); a process sending to itself is covered by the
 * host tests only. It speaks of slots, counts and the charge: that each
 * ledger stays within its max (table_ok) is proved of the steps
 * (vacate_moves writes the sender's; nothing writes the receiver's), not
 * carried through the composition. */
/*@ requires table_ok(src) && table_ok(dst) && batch_apart(b, src) && batch_apart(b, dst) &&
	     tables_apart(src, dst);
    requires b->n <= CAP_XFER_MAX && pins_ok(&b->src[0], b->n, src) &&
	     holds_reservations(b, b->n, dst);
    requires \forall integer i; 0 <= i <= b->n ==> nmoves(&b->src[0], i) <= src->live &&
	nmoves(&b->src[0], i) <= src->ledger->res[LEDGER_CAP_SLOTS].used;
    requires \valid(out + (0 .. b->n - 1)) && \separated(out + (0 .. b->n - 1), b) &&
	     \separated(out + (0 .. b->n - 1), src) && \separated(out + (0 .. b->n - 1), dst) &&
	     \separated(out + (0 .. b->n - 1), src->ledger) &&
	     \separated(out + (0 .. b->n - 1), dst->ledger);
    assigns b->n, dst->slots[0 .. CAP_TABLE_SLOTS - 1], src->slots[0 .. CAP_TABLE_SLOTS - 1],
	    src->live, src->retired, src->ledger->res[0 .. LEDGER_NRES - 1].used,
	    out[0 .. b->n - 1];
    ensures b->n == 0;
    ensures gens_kept{Pre, Post}(dst) && delivered(b, \old(b->n), dst, origin, out);
    ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS && !reserves(b, \old(b->n), j) ==>
	dst->slots[j] == \old(dst->slots[j]);
    ensures gens_kept{Pre, Post}(src);
    ensures \forall integer k; 0 <= k < \old(b->n) &&
	\at(b->src[k].mode, Pre) == CAP_TRANSFER_MODE_MOVE ==> stale(src, \at(b->src[k].cap_id,
   Pre)); ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS && !moves_from{Pre}(&b->src[0],
   \old(b->n), j) ==> slot_kept{Pre, Post}(src, j); ensures src->live == \old(src->live) -
   nmoves{Pre}(&b->src[0], \old(b->n)) && charged{Pre, Post}(src, -nmoves{Pre}(&b->src[0],
   \old(b->n)));
 */
void xfer_commit(struct xfer_batch *b, struct cap_table *src, struct cap_table *dst, uint8_t origin,
		 struct cap_transfer_result *out);
const char *xfer_strerror(int err);
