/*
 * lib/cap/transfer — the pin / reserve / commit transaction of
 * lib/cap/transfer.h.
 */
#include "lib/cap/transfer.h"

#include <stddef.h>

/*@ assigns \nothing;
    ensures \result < 0;
 */
static int from_table(int err)
{
	switch (err) {
	case CAPTABLE_ERR_STALE:
		return XFER_ERR_STALE;
	case CAPTABLE_ERR_BUSY:
		return XFER_ERR_BUSY;
	case CAPTABLE_ERR_NOT_TRANSFERABLE:
		return XFER_ERR_NOT_TRANSFERABLE;
	case CAPTABLE_ERR_QUOTA:
		return XFER_ERR_QUOTA;
	case CAPTABLE_ERR_FULL:
		return XFER_ERR_FULL;
	default:
		return XFER_ERR_INVALID;
	}
}

/* Put the sources of the moves among descriptors [0, upto) of d back to
 * LIVE. */
/*@ requires table_ok(src) && upto <= CAP_XFER_MAX && \valid_read(d + (0 .. upto - 1)) &&
	     \separated(d + (0 .. upto - 1), src) && pins_ok(d, upto, src);
    assigns src->slots[0 .. CAP_TABLE_SLOTS - 1].state;
    ensures table_ok(src) && gens_kept{Pre, Post}(src) && holds_kept{Pre, Post}(src);
    ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	(moves_from(d, upto, j) ==> src->slots[j].state == CAP_SLOT_LIVE) &&
	(!moves_from(d, upto, j) ==> src->slots[j].state == \old(src->slots[j].state));
 */
static void abort_moves(struct cap_table *src, const struct cap_transfer_descriptor *d,
			uint32_t upto)
{
	/*@ loop invariant 0 <= i <= upto && table_ok(src) && gens_kept{Pre, Here}(src) &&
		holds_kept{Pre, Here}(src);
	    loop invariant \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
		(moves_from(d, i, j) ==> src->slots[j].state == CAP_SLOT_LIVE) &&
		(!moves_from(d, i, j) ==> src->slots[j].state == \at(src->slots[j].state, Pre));
	    loop assigns i, src->slots[0 .. CAP_TABLE_SLOTS - 1].state;
	    loop variant upto - i;
	 */
	for (uint32_t i = 0; i < upto; i++) {
		if (d[i].mode == CAP_TRANSFER_MODE_MOVE)
			captable_move_abort(src, d[i].cap_id);
	}
}

/* Check descriptor d and pin its source: a copy's cap must resolve to a
 * copyable hold, a move's slot is marked MOVING. On an error src is exactly
 * as it was. */
/*@ requires table_ok(src) && \valid_read(d) && \separated(d, src);
    assigns src->slots[0 .. CAP_TABLE_SLOTS - 1].state;
    ensures table_ok(src) && gens_kept{Pre, Post}(src);
    ensures \result == XFER_OK ==> desc_pinned(d, src) && d->reserved == 0;
    ensures pin_frame: \result == XFER_OK ==> holds_kept{Pre, Post}(src) &&
	src->live == \old(src->live) && src->retired == \old(src->retired) &&
	charged{Pre, Post}(src, 0);
    ensures pin_state: \result == XFER_OK ==> \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	(d->mode == CAP_TRANSFER_MODE_MOVE && CAPID_INDEX(d->cap_id) == j ==>
	    \old(src->slots[j].state) == CAP_SLOT_LIVE) &&
	(!(d->mode == CAP_TRANSFER_MODE_MOVE && CAPID_INDEX(d->cap_id) == j) ==>
	    src->slots[j].state == \old(src->slots[j].state));
    ensures \result != XFER_OK ==> \result < 0 && unchanged{Pre, Post}(src);
 */
static int pin_one(struct cap_table *src, const struct cap_transfer_descriptor *d)
{
	int e;

	if (d->reserved != 0 ||
	    (d->mode != CAP_TRANSFER_MODE_COPY && d->mode != CAP_TRANSFER_MODE_MOVE))
		return XFER_ERR_DESCRIPTOR;
	if (d->mode == CAP_TRANSFER_MODE_MOVE) {
		e = captable_move_reserve(src, d->cap_id, NULL);
	} else {
		e = captable_lookup(src, d->cap_id, NULL);
		if (e == CAPTABLE_OK &&
		    src->slots[capid_index(d->cap_id)].hold.mode != CAP_MODE_COPY)
			return XFER_ERR_NOT_TRANSFERABLE;
	}
	return e == CAPTABLE_OK ? XFER_OK : from_table(e);
}

/* Pin descriptors [0, n) of d, or, on any error, leave src exactly as it
 * was. */
/*@ requires table_ok(src) && n <= CAP_XFER_MAX && \valid_read(d + (0 .. n - 1)) &&
	     \separated(d + (0 .. n - 1), src);
    assigns src->slots[0 .. CAP_TABLE_SLOTS - 1].state;
    ensures table_ok(src) && gens_kept{Pre, Post}(src);
    ensures \result == XFER_OK ==> pins_ok(d, n, src) && pinned{Pre, Post}(d, n, src);
    ensures \result != XFER_OK ==> \result < 0 && unchanged{Pre, Post}(src);
 */
static int pin_descs(struct cap_table *src, const struct cap_transfer_descriptor *d, uint32_t n)
{
	/*@ loop invariant 0 <= i <= n && table_ok(src) && gens_kept{Pre, Here}(src);
	    loop invariant holds_kept{Pre, Here}(src) && src->live == \at(src->live, Pre) &&
		src->retired == \at(src->retired, Pre) && charged{Pre, Here}(src, 0);
	    loop invariant pins_ok(d, i, src);
	    loop invariant \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
		(moves_from(d, i, j) ==> \at(src->slots[j].state, Pre) == CAP_SLOT_LIVE) &&
		(!moves_from(d, i, j) ==> src->slots[j].state == \at(src->slots[j].state, Pre));
	    loop assigns i, src->slots[0 .. CAP_TABLE_SLOTS - 1].state;
	    loop variant n - i;
	 */
	for (uint32_t i = 0; i < n; i++) {
		int err = pin_one(src, &d[i]);
		if (err != XFER_OK) {
			abort_moves(src, d, i);
			return err;
		}
		/* Proof steps: the earlier pins kept their slots, and a new move's
		 * slot was LIVE, so no earlier move's (MOVING) slot. */
		/*@ assert kept: \forall integer j; 0 <= j < CAP_TABLE_SLOTS && moves_from(d, i, j)
		   ==> src->slots[j].state == \at(src->slots[j].state, LoopCurrent);
		 */
		//@ assert old_pins: pins_ok(d, i, src);
		//@ assert new_pin: desc_pinned(d + i, src);
		/*@ assert fresh: d[i].mode == CAP_TRANSFER_MODE_MOVE ==>
		      !moves_from(d, i, CAPID_INDEX(d[i].cap_id));
		 */
	}
	return XFER_OK;
}

/* The batch's descriptors [0, n): a copy of the sender's. */
/*@ requires \valid(b) && n <= CAP_XFER_MAX && \valid_read(d + (0 .. n - 1)) &&
	     \separated(d + (0 .. n - 1), b);
    assigns b->src[0 .. CAP_XFER_MAX - 1];
    ensures \forall integer k; 0 <= k < n ==> b->src[k] == d[k];
 */
static void take_descs(struct xfer_batch *b, const struct cap_transfer_descriptor *d, uint32_t n)
{
	/*@ loop invariant 0 <= i <= n && \forall integer k; 0 <= k < i ==> b->src[k] == d[k];
	    loop assigns i, b->src[0 .. CAP_XFER_MAX - 1];
	    loop variant n - i;
	 */
	for (uint32_t i = 0; i < n; i++)
		b->src[i] = d[i];
}

/* The batch's holds [0, n): what its pinned descriptors name in src. */
/*@ requires \valid_read(src) && \valid(b) && \separated(b, src) && n <= CAP_XFER_MAX &&
	     pins_ok(&b->src[0], n, src);
    assigns b->hold[0 .. CAP_XFER_MAX - 1];
    ensures holds_named(b, n, src);
 */
static void take_holds(struct xfer_batch *b, const struct cap_table *src, uint32_t n)
{
	/*@ loop invariant 0 <= i <= n && holds_named(b, i, src);
	    loop assigns i, b->hold[0 .. CAP_XFER_MAX - 1];
	    loop variant n - i;
	 */
	for (uint32_t i = 0; i < n; i++) {
		/* Proof steps: the write to hold i leaves the table's holds and
		 * the earlier holds alone. */
		//@ assert \separated(&b->hold[i], &src->slots[0 .. CAP_TABLE_SLOTS - 1].hold);
		b->hold[i] = src->slots[capid_index(b->src[i].cap_id)].hold;
		/*@ assert \forall integer k; 0 <= k < i ==>
		      b->hold[k] == \at(b->hold[k], LoopCurrent);
		 */
		/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
		      src->slots[j].hold == \at(src->slots[j].hold, LoopCurrent);
		 */
	}
}

/* The table half of xfer_pin: the descriptors copied into the batch, every
 * one checked and each move's source marked MOVING; or, on any error, src
 * exactly as it was. */
/*@ requires table_ok(src) && batch_apart(b, src);
    requires n <= CAP_XFER_MAX ==> \valid_read(d + (0 .. n - 1)) &&
	\separated(d + (0 .. n - 1), b) && \separated(d + (0 .. n - 1), src);
    assigns b->n, b->src[0 .. CAP_XFER_MAX - 1], src->slots[0 .. CAP_TABLE_SLOTS - 1].state;
    ensures table_ok(src) && gens_kept{Pre, Post}(src);
    ensures \result == XFER_OK ==> b->n == n && n <= CAP_XFER_MAX &&
	(\forall integer k; 0 <= k < n ==> b->src[k] == d[k]) &&
	pins_ok(&b->src[0], n, src) && pinned{Pre, Post}(&b->src[0], n, src);
    ensures \result != XFER_OK ==> b->n == 0 && unchanged{Pre, Post}(src);
 */
static int pin_slots(struct xfer_batch *b, struct cap_table *src,
		     const struct cap_transfer_descriptor *d, uint32_t n)
{
	if (n > CAP_XFER_MAX) {
		b->n = 0;
		return XFER_ERR_TOO_MANY;
	}
	b->n = n;
	take_descs(b, d, n);
	/* Proof step: copying the descriptors left the table alone. */
	/*@ assert unchanged{Pre, Here}(src) && src->ledger == \at(src->ledger, Pre) &&
	      table_ok(src);
	 */
	int err = pin_descs(src, b->src, n);
	if (err != XFER_OK)
		b->n = 0;
	return err;
}

/* pin_slots, then the holds taken and a reference for each copy. */
int xfer_pin(struct xfer_batch *b, struct cap_table *src, const struct cap_transfer_descriptor *d,
	     uint32_t n, const struct xfer_refs *refs)
{
	int err = pin_slots(b, src, d, n);

	if (err != XFER_OK)
		return err;
	take_holds(b, src, b->n);
	for (uint32_t i = 0; i < b->n; i++) {
		if (b->src[i].mode == CAP_TRANSFER_MODE_COPY)
			refs->get(b->hold[i].object);
	}
	return XFER_OK;
}

/* The table half of xfer_unpin: each move's source back to LIVE. */
/*@ requires table_ok(src) && batch_apart(b, src) && b->n <= CAP_XFER_MAX &&
	     pins_ok(&b->src[0], b->n, src);
    assigns b->n, src->slots[0 .. CAP_TABLE_SLOTS - 1].state;
    ensures table_ok(src) && gens_kept{Pre, Post}(src) && holds_kept{Pre, Post}(src);
    ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	(moves_from{Pre}(&b->src[0], \old(b->n), j) ==> src->slots[j].state == CAP_SLOT_LIVE) &&
	(!moves_from{Pre}(&b->src[0], \old(b->n), j) ==>
	    src->slots[j].state == \old(src->slots[j].state));
    ensures b->n == 0;
 */
static void unpin_slots(struct xfer_batch *b, struct cap_table *src)
{
	abort_moves(src, b->src, b->n);
	b->n = 0;
}

void xfer_unpin(struct xfer_batch *b, struct cap_table *src, const struct xfer_refs *refs)
{
	for (uint32_t i = 0; i < b->n; i++) {
		if (b->src[i].mode == CAP_TRANSFER_MODE_COPY)
			refs->put(b->hold[i].object);
	}
	unpin_slots(b, src);
}

/* Abort reservations [0, upto) of b. */
/*@ requires table_ok(dst) && batch_apart(b, dst) && upto <= CAP_XFER_MAX &&
	     holds_reservations(b, upto, dst) && dst->live >= upto &&
	     (dst->ledger != \null ==> dst->ledger->res[LEDGER_CAP_SLOTS].used >= upto);
    assigns dst->slots[0 .. CAP_TABLE_SLOTS - 1].state, dst->live,
	    dst->ledger->res[0 .. LEDGER_NRES - 1].used;
    ensures table_ok(dst) && gens_kept{Pre, Post}(dst) && holds_kept{Pre, Post}(dst);
    ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	(reserves(b, upto, j) ==> dst->slots[j].state == CAP_SLOT_FREE) &&
	(!reserves(b, upto, j) ==> dst->slots[j].state == \old(dst->slots[j].state));
    ensures dst->live == \old(dst->live) - upto && charged{Pre, Post}(dst, -upto);
 */
static void abort_reservations(struct xfer_batch *b, struct cap_table *dst, uint32_t upto)
{
	/*@ loop invariant 0 <= i <= upto && table_ok(dst) && gens_kept{Pre, Here}(dst) &&
		holds_kept{Pre, Here}(dst);
	    loop invariant \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
		(reserves{Pre}(b, i, j) ==> dst->slots[j].state == CAP_SLOT_FREE) &&
		(!reserves{Pre}(b, i, j) ==> dst->slots[j].state == \at(dst->slots[j].state, Pre));
	    loop invariant dst->live == \at(dst->live, Pre) - i &&
		charged{Pre, Here}(dst, -i);
	    loop assigns i, dst->slots[0 .. CAP_TABLE_SLOTS - 1].state, dst->live,
		dst->ledger->res[0 .. LEDGER_NRES - 1].used;
	    loop variant upto - i;
	 */
	for (uint32_t i = 0; i < upto; i++)
		captable_abort(dst, b->dst[i]);
}

int xfer_reserve(struct xfer_batch *b, struct cap_table *dst)
{
	/*@ loop invariant 0 <= i <= b->n && table_ok(dst) && gens_kept{Pre, Here}(dst);
	    loop invariant holds_reservations(b, i, dst) && reserved{Pre, Here}(b, i, dst);
	    loop assigns i, b->dst[0 .. CAP_XFER_MAX - 1],
		dst->slots[0 .. CAP_TABLE_SLOTS - 1].state, dst->live,
		dst->ledger->res[0 .. LEDGER_NRES - 1].used;
	    loop variant b->n - i;
	 */
	for (uint32_t i = 0; i < b->n; i++) {
		struct cap_reservation r;
		int e = captable_reserve(dst, &r);
		if (e != CAPTABLE_OK) {
			abort_reservations(b, dst, i);
			/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
			      dst->slots[j].state == \at(dst->slots[j].state, Pre);
			 */
			return from_table(e);
		}
		b->dst[i] = r;
	}
	return XFER_OK;
}

void xfer_unreserve(struct xfer_batch *b, struct cap_table *dst)
{
	abort_reservations(b, dst, b->n);
}

/* The receiver half of commit: each item's hold published, with origin
 * `origin`, in its reserved slot; id[k] gets item k's new CapId. */
/*@ requires table_ok(dst) && batch_apart(b, dst) && b->n <= CAP_XFER_MAX &&
	     holds_reservations(b, b->n, dst);
    requires \valid(id + (0 .. CAP_XFER_MAX - 1)) &&
	     \separated(id + (0 .. CAP_XFER_MAX - 1), b) &&
	     \separated(id + (0 .. CAP_XFER_MAX - 1), dst) &&
	     (dst->ledger != \null ==> \separated(id + (0 .. CAP_XFER_MAX - 1), dst->ledger));
    assigns dst->slots[0 .. CAP_TABLE_SLOTS - 1], id[0 .. CAP_XFER_MAX - 1];
    ensures table_ok(dst) && gens_kept{Pre, Post}(dst) && committed(b, b->n, dst, origin, id);
    ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS && !reserves(b, b->n, j) ==>
	dst->slots[j] == \old(dst->slots[j]);
 */
static void publish_holds(struct xfer_batch *b, struct cap_table *dst, uint8_t origin, uint32_t *id)
{
	int n = (int)b->n;

	/*@ loop invariant 0 <= i <= n && table_ok(dst) && gens_kept{Pre, Here}(dst);
	    loop invariant committed(b, i, dst, origin, id);
	    loop invariant \forall integer k; i <= k < n ==>
		dst->slots[b->dst[k].index].state == CAP_SLOT_RESERVED;
	    loop invariant \forall integer j; 0 <= j < CAP_TABLE_SLOTS && !reserves(b, i, j) ==>
		dst->slots[j] == \at(dst->slots[j], Pre);
	    loop assigns i, dst->slots[0 .. CAP_TABLE_SLOTS - 1], id[0 .. CAP_XFER_MAX - 1];
	    loop variant n - i;
	 */
	for (int i = 0; i < n; i++) {
		struct cap_hold h = b->hold[i];
		h.origin = origin;
		id[i] = captable_commit(dst, b->dst[i], &h);
		/* Proof steps: the commit wrote item i's slot and id[i] alone. */
		//@ assert others_kept{LoopCurrent, Here}(dst, b->dst[i].index);
		//@ assert \forall integer k; 0 <= k < i ==> id[k] == \at(id[k], LoopCurrent);
		/*@ assert resolves(dst, id[i]) && CAPID_INDEX(id[i]) == b->dst[i].index &&
		      published_hold(dst, b->dst[i].index, b->hold[i], origin);
		 */
		//@ assert \forall integer k; 0 <= k < i ==> b->dst[k].index != b->dst[i].index;
		/*@ assert \forall integer k; 0 <= k < i ==>
		      dst->slots[b->dst[k].index].state ==
			\at(dst->slots[b->dst[k].index].state, LoopCurrent) &&
		      dst->slots[b->dst[k].index].generation ==
			\at(dst->slots[b->dst[k].index].generation, LoopCurrent) &&
		      dst->slots[b->dst[k].index].hold ==
			\at(dst->slots[b->dst[k].index].hold, LoopCurrent);
		 */
		//@ assert committed(b, i, dst, origin, id);
		//@ assert \forall integer k; i < k < n ==> b->dst[k].index != b->dst[i].index;
		/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS && !reserves(b, i + 1, j) ==>
		      !reserves(b, i, j) && j != b->dst[i].index;
		 */
	}
}

/* The sender half of commit: the source slot of each move among
 * descriptors [0, n) of d vacated, its CapId stale for good, and live and
 * the cap_slots charge down by one each. The caller's live count and charge
 * cover the moves (each source is a MOVING slot, counted and charged once);
 * the precondition says so of every prefix, which spares the provers an
 * induction over nmoves. */
/*@ requires table_ok(src) && 0 <= n <= CAP_XFER_MAX && \valid_read(d + (0 .. n - 1)) &&
	     \separated(d + (0 .. n - 1), src) &&
	     (src->ledger != \null ==> \separated(d + (0 .. n - 1), src->ledger)) &&
	     pins_ok(d, n, src);
    requires \forall integer i; 0 <= i <= n ==> nmoves(d, i) <= src->live &&
	(src->ledger != \null ==> nmoves(d, i) <= src->ledger->res[LEDGER_CAP_SLOTS].used);
    assigns src->slots[0 .. CAP_TABLE_SLOTS - 1], src->live, src->retired,
	    src->ledger->res[0 .. LEDGER_NRES - 1].used;
    ensures table_ok(src) && gens_kept{Pre, Post}(src);
    ensures \forall integer k; 0 <= k < n && \old(d[k].mode) == CAP_TRANSFER_MODE_MOVE ==>
	stale(src, \old(d[k].cap_id));
    ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS && !moves_from{Pre}(d, n, j) ==>
	slot_kept{Pre, Post}(src, j);
    ensures src->live == \old(src->live) - nmoves{Pre}(d, n) &&
	charged{Pre, Post}(src, -nmoves{Pre}(d, n));
 */
static void vacate_moves(struct cap_table *src, const struct cap_transfer_descriptor *d, int n)
{
	/*@ loop invariant 0 <= i <= n && table_ok(src) && gens_kept{Pre, Here}(src) &&
		src->ledger == \at(src->ledger, Pre);
	    // The descriptors lie apart from the counters the commit writes,
	    // so they stay as they were.
	    loop invariant \forall integer k; 0 <= k < n ==>
		\separated(&d[k].mode, &src->live) && \separated(&d[k].mode, &src->retired) &&
		\separated(&d[k].cap_id, &src->live) && \separated(&d[k].cap_id, &src->retired);
	    loop invariant \forall integer k; 0 <= k < n ==>
		d[k].mode == \at(d[k].mode, Pre) && d[k].cap_id == \at(d[k].cap_id, Pre);
	    loop invariant \forall integer k; 0 <= k < i &&
		\at(d[k].mode, Pre) == CAP_TRANSFER_MODE_MOVE ==> stale(src, \at(d[k].cap_id, Pre));
	    loop invariant \forall integer k; i <= k < n &&
		\at(d[k].mode, Pre) == CAP_TRANSFER_MODE_MOVE ==>
		    src->slots[CAPID_INDEX(\at(d[k].cap_id, Pre))].state == CAP_SLOT_MOVING &&
		    src->slots[CAPID_INDEX(\at(d[k].cap_id, Pre))].generation ==
			CAPID_GEN(\at(d[k].cap_id, Pre));
	    loop invariant \forall integer j; 0 <= j < CAP_TABLE_SLOTS &&
		!moves_from{Pre}(d, i, j) ==> slot_kept{Pre, Here}(src, j);
	    loop invariant src->live == \at(src->live, Pre) - nmoves{Pre}(d, i) &&
		charged{Pre, Here}(src, -nmoves{Pre}(d, i));
	    loop assigns i, src->slots[0 .. CAP_TABLE_SLOTS - 1], src->live, src->retired,
		src->ledger->res[0 .. LEDGER_NRES - 1].used;
	    loop variant n - i;
	 */
	for (int i = 0; i < n; i++) {
		if (d[i].mode != CAP_TRANSFER_MODE_MOVE)
			continue;
		uint32_t cap_id = d[i].cap_id;
		/* Proof steps: cap_id is descriptor i's as pinned, and no other
		 * move shares its slot (pins_ok). */
		//@ assert cap_id == \at(d[\at(i, Here)].cap_id, Pre);
		/*@ assert \forall integer k; 0 <= k < n && k != i &&
		      \at(d[k].mode, Pre) == CAP_TRANSFER_MODE_MOVE ==>
			0 <= CAPID_INDEX(\at(d[k].cap_id, Pre)) < CAP_TABLE_SLOTS &&
			CAPID_INDEX(\at(d[k].cap_id, Pre)) != CAPID_INDEX(cap_id);
		 */
		captable_move_commit(src, cap_id); /* its reference moved along */
		/* Proof steps: the commit vacated slot CAPID_INDEX(cap_id) alone;
		 * every other move's slot, stale or still MOVING, is as it was. */
		/*@ assert \forall integer k; 0 <= k < n ==>
		      d[k].mode == \at(d[k].mode, LoopCurrent) &&
		      d[k].cap_id == \at(d[k].cap_id, LoopCurrent);
		 */
		/*@ assert \forall integer j;
		      0 <= j < CAP_TABLE_SLOTS && j != CAPID_INDEX(cap_id) ==>
			slot_kept{LoopCurrent, Here}(src, j);
		 */
		/*@ assert \forall integer k; 0 <= k < n && k != i &&
		      \at(d[k].mode, Pre) == CAP_TRANSFER_MODE_MOVE ==>
			slot_kept{LoopCurrent, Here}(src, CAPID_INDEX(\at(d[k].cap_id, Pre)));
		 */
		/*@ assert stale(src, cap_id) && \forall integer k; 0 <= k < i &&
		      \at(d[k].mode, Pre) == CAP_TRANSFER_MODE_MOVE ==>
			stale(src, \at(d[k].cap_id, Pre));
		 */
		/*@ assert \forall integer k; i < k < n &&
		      \at(d[k].mode, Pre) == CAP_TRANSFER_MODE_MOVE ==>
			src->slots[CAPID_INDEX(\at(d[k].cap_id, Pre))].state == CAP_SLOT_MOVING &&
			src->slots[CAPID_INDEX(\at(d[k].cap_id, Pre))].generation ==
			    CAPID_GEN(\at(d[k].cap_id, Pre));
		 */
		/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS &&
		      !moves_from{Pre}(d, i + 1, j) ==>
			!moves_from{Pre}(d, i, j) && j != CAPID_INDEX(cap_id);
		 */
	}
}

/* The caller's results: out[k] names item k < n by its new CapId id[k]
 * and its interface. */
/*@ requires 0 <= n <= CAP_XFER_MAX && \valid_read(b) && \valid_read(id + (0 .. n - 1)) &&
	     \valid(out + (0 .. n - 1)) && \separated(out + (0 .. n - 1), b) &&
	     \separated(out + (0 .. n - 1), id + (0 .. n - 1));
    assigns out[0 .. n - 1];
    ensures \forall integer k; 0 <= k < n ==> out[k].cap_id == id[k] && out[k].reserved == 0 &&
	out[k].interface_id == b->hold[k].interface_id;
 */
static void fill_results(const struct xfer_batch *b, const uint32_t *id, int n,
			 struct cap_transfer_result *out)
{
	/*@ loop invariant 0 <= i <= n;
	    loop invariant \forall integer k; 0 <= k < i ==> out[k].cap_id == id[k] &&
		out[k].reserved == 0 && out[k].interface_id == b->hold[k].interface_id;
	    loop assigns i, out[0 .. n - 1];
	    loop variant n - i;
	 */
	for (int i = 0; i < n; i++) {
		out[i].cap_id = id[i];
		out[i].reserved = 0;
		out[i].interface_id = b->hold[i].interface_id;
		/* Proof steps: the writes are out[i]'s alone. */
		/*@ assert \forall integer k; 0 <= k < n ==> id[k] == \at(id[k], LoopCurrent) &&
		      b->hold[k].interface_id == \at(b->hold[k].interface_id, LoopCurrent);
		 */
		/*@ assert \forall integer k; 0 <= k < i ==>
		      out[k].cap_id == \at(out[k].cap_id, LoopCurrent) &&
		      out[k].reserved == \at(out[k].reserved, LoopCurrent) &&
		      out[k].interface_id == \at(out[k].interface_id, LoopCurrent);
		 */
	}
}

/* Both tables' halves of commit: each move's source vacated on the
 * sender, then each item's hold published on the receiver, id[k] getting
 * item k's new CapId. The halves write apart (if the two tables are one,
 * MOVING sources and RESERVED destinations are distinct slots); the
 * sender's goes first, in the state the caller's counts describe. The
 * assertions are proof steps: the provers see a frame one field at a time. */
/*@ requires table_ok(src) && table_ok(dst) && batch_apart(b, src) && batch_apart(b, dst) &&
	     tables_apart(src, dst);
    requires b->n <= CAP_XFER_MAX && pins_ok(&b->src[0], b->n, src) &&
	     holds_reservations(b, b->n, dst);
    requires \forall integer i; 0 <= i <= b->n ==> nmoves(&b->src[0], i) <= src->live &&
	nmoves(&b->src[0], i) <= src->ledger->res[LEDGER_CAP_SLOTS].used;
    requires \valid(id + (0 .. CAP_XFER_MAX - 1)) &&
	     \separated(id + (0 .. CAP_XFER_MAX - 1), b) &&
	     \separated(id + (0 .. CAP_XFER_MAX - 1), src) &&
	     \separated(id + (0 .. CAP_XFER_MAX - 1), dst) &&
	     \separated(id + (0 .. CAP_XFER_MAX - 1), src->ledger) &&
	     \separated(id + (0 .. CAP_XFER_MAX - 1), dst->ledger);
    assigns dst->slots[0 .. CAP_TABLE_SLOTS - 1], src->slots[0 .. CAP_TABLE_SLOTS - 1],
	    src->live, src->retired, src->ledger->res[0 .. LEDGER_NRES - 1].used,
	    id[0 .. CAP_XFER_MAX - 1];
    ensures table_ok(dst) && gens_kept{Pre, Post}(dst) && committed(b, b->n, dst, origin, id);
    ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS && !reserves(b, b->n, j) ==>
	dst->slots[j] == \old(dst->slots[j]);
    ensures gens_kept{Pre, Post}(src);
    ensures \forall integer k; 0 <= k < \old(b->n) &&
	\old(b->src[k].mode) == CAP_TRANSFER_MODE_MOVE ==> stale(src, \old(b->src[k].cap_id));
    ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS &&
	!moves_from{Pre}(&b->src[0], b->n, j) ==> slot_kept{Pre, Post}(src, j);
    ensures src->live == \old(src->live) - nmoves{Pre}(&b->src[0], b->n) &&
	charged{Pre, Post}(src, -nmoves{Pre}(&b->src[0], b->n));
 */
static void commit_tables(struct xfer_batch *b, struct cap_table *src, struct cap_table *dst,
			  uint8_t origin, uint32_t *id)
{
	int n = (int)b->n;

	//@ assert apart_from(dst, src);
	/*@ assert \separated(&b->n, &src->live) && \separated(&b->n, &src->retired) &&
	      \forall integer k; 0 <= k < CAP_XFER_MAX ==>
		\separated(&b->dst[k].index, &src->live) &&
		\separated(&b->dst[k].index, &src->retired);
	 */
	vacate_moves(src, b->src, n);
Vacated:
	__attribute__((unused));
	/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	      dst->slots[j].state == \at(dst->slots[j].state, Pre) &&
	      dst->slots[j].generation == \at(dst->slots[j].generation, Pre) &&
	      dst->slots[j].hold.object == \at(dst->slots[j].hold.object, Pre) &&
	      dst->slots[j].hold.interface_id == \at(dst->slots[j].hold.interface_id, Pre) &&
	      dst->slots[j].hold.badge == \at(dst->slots[j].hold.badge, Pre) &&
	      dst->slots[j].hold.mode == \at(dst->slots[j].hold.mode, Pre) &&
	      dst->slots[j].hold.origin == \at(dst->slots[j].hold.origin, Pre);
	 */
	//@ assert dst->ledger == \at(dst->ledger, Pre);
	/*@ assert \forall integer r; 0 <= r < LEDGER_NRES ==>
	      dst->ledger->res[r].used == \at(dst->ledger->res[r].used, Pre) &&
	      dst->ledger->res[r].max == \at(dst->ledger->res[r].max, Pre);
	 */
	//@ assert table_ok(dst);
	/*@ assert b->n == \at(b->n, Pre) && \forall integer k; 0 <= k < CAP_XFER_MAX ==>
	      b->dst[k].index == \at(b->dst[k].index, Pre);
	 */
	//@ assert holds_reservations(b, n, dst);
	//@ assert apart_from(src, dst);
	publish_holds(b, dst, origin, id);
	/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	      src->slots[j].state == \at(src->slots[j].state, Vacated) &&
	      src->slots[j].generation == \at(src->slots[j].generation, Vacated) &&
	      src->slots[j].hold.object == \at(src->slots[j].hold.object, Vacated) &&
	      src->slots[j].hold.interface_id == \at(src->slots[j].hold.interface_id, Vacated) &&
	      src->slots[j].hold.badge == \at(src->slots[j].hold.badge, Vacated) &&
	      src->slots[j].hold.mode == \at(src->slots[j].hold.mode, Vacated) &&
	      src->slots[j].hold.origin == \at(src->slots[j].hold.origin, Vacated);
	 */
	/*@ assert src->live == \at(src->live, Vacated) &&
	      src->retired == \at(src->retired, Vacated) &&
	      src->ledger->res[LEDGER_CAP_SLOTS].used ==
		\at(src->ledger->res[LEDGER_CAP_SLOTS].used, Vacated);
	 */
	//@ assert gens_kept{Pre, Here}(dst) && gens_kept{Pre, Here}(src);
	/*@ assert \forall integer k; 0 <= k < n &&
	      \at(b->src[k].mode, Pre) == CAP_TRANSFER_MODE_MOVE ==>
		stale(src, \at(b->src[k].cap_id, Pre));
	 */
	/*@ assert \forall integer j;
	      0 <= j < CAP_TABLE_SLOTS && !moves_from{Pre}(&b->src[0], n, j) ==>
		src->slots[j].state == \at(src->slots[j].state, Pre) &&
		src->slots[j].generation == \at(src->slots[j].generation, Pre) &&
		src->slots[j].hold.object == \at(src->slots[j].hold.object, Pre) &&
		src->slots[j].hold.interface_id == \at(src->slots[j].hold.interface_id, Pre) &&
		src->slots[j].hold.badge == \at(src->slots[j].hold.badge, Pre) &&
		src->slots[j].hold.mode == \at(src->slots[j].hold.mode, Pre) &&
		src->slots[j].hold.origin == \at(src->slots[j].hold.origin, Pre);
	 */
}

void xfer_commit(struct xfer_batch *b, struct cap_table *src, struct cap_table *dst, uint8_t origin,
		 struct cap_transfer_result *out)
{
	uint32_t id[CAP_XFER_MAX];
	int n = (int)b->n;

	/* Proof steps: the results lie apart from both tables and id[]. */
	/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	      \separated(&dst->slots[j], out + (0 .. n - 1)) &&
	      \separated(&src->slots[j], out + (0 .. n - 1));
	 */
	commit_tables(b, src, dst, origin, id);
Committed:
	__attribute__((unused));
	fill_results(b, id, n, out);
	/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	      dst->slots[j].state == \at(dst->slots[j].state, Committed) &&
	      dst->slots[j].generation == \at(dst->slots[j].generation, Committed) &&
	      dst->slots[j].hold.object == \at(dst->slots[j].hold.object, Committed) &&
	      dst->slots[j].hold.interface_id == \at(dst->slots[j].hold.interface_id, Committed) &&
	      dst->slots[j].hold.badge == \at(dst->slots[j].hold.badge, Committed) &&
	      dst->slots[j].hold.mode == \at(dst->slots[j].hold.mode, Committed) &&
	      dst->slots[j].hold.origin == \at(dst->slots[j].hold.origin, Committed);
	 */
	/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	      src->slots[j].state == \at(src->slots[j].state, Committed) &&
	      src->slots[j].generation == \at(src->slots[j].generation, Committed) &&
	      src->slots[j].hold.object == \at(src->slots[j].hold.object, Committed) &&
	      src->slots[j].hold.interface_id == \at(src->slots[j].hold.interface_id, Committed) &&
	      src->slots[j].hold.badge == \at(src->slots[j].hold.badge, Committed) &&
	      src->slots[j].hold.mode == \at(src->slots[j].hold.mode, Committed) &&
	      src->slots[j].hold.origin == \at(src->slots[j].hold.origin, Committed);
	 */
	//@ assert \forall integer k; 0 <= k < CAP_XFER_MAX ==> id[k] == \at(id[k], Committed);
	/*@ assert b->n == \at(b->n, Pre) && \forall integer k; 0 <= k < CAP_XFER_MAX ==>
	      b->dst[k].index == \at(b->dst[k].index, Committed) &&
	      b->hold[k].interface_id == \at(b->hold[k].interface_id, Committed) &&
	      b->hold[k].badge == \at(b->hold[k].badge, Committed);
	 */
	//@ assert committed(b, n, dst, origin, &id[0]);
	//@ assert gens_kept{Pre, Here}(dst) && gens_kept{Pre, Here}(src);
	/*@ assert \forall integer k; 0 <= k < n &&
	      \at(b->src[k].mode, Pre) == CAP_TRANSFER_MODE_MOVE ==>
		stale(src, \at(b->src[k].cap_id, Pre));
	 */
	b->n = 0;
}

const char *xfer_strerror(int err)
{
	switch (err) {
	case XFER_OK:
		return "ok";
	case XFER_ERR_DESCRIPTOR:
		return "bad transfer descriptor";
	case XFER_ERR_INVALID:
		return "transfer source names no cap";
	case XFER_ERR_STALE:
		return "transfer source is stale";
	case XFER_ERR_NOT_TRANSFERABLE:
		return "cap may not be transferred that way";
	case XFER_ERR_BUSY:
		return "transfer source is already leaving";
	case XFER_ERR_QUOTA:
		return "receiver's cap quota is exhausted";
	case XFER_ERR_FULL:
		return "receiver's cap table is full";
	case XFER_ERR_TOO_MANY:
		return "too many transfer descriptors";
	default:
		return "unknown transfer error";
	}
}
