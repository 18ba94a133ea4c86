/*
 * lib/cap/transfer — the pin / reserve / commit transaction of
 * lib/cap/transfer.h.
 */
#include "lib/cap/transfer.h"

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

/* Put the sources of the moves among items [0, upto) back to LIVE. */
/*@ requires table_ok(src) && batch_apart(b, src) && upto <= CAP_XFER_MAX &&
	     pins_ok(b, upto, src);
    assigns src->slots[0 .. CAP_TABLE_SLOTS - 1].state;
    ensures table_ok(src) && gens_kept{Pre, Post}(src) && holds_kept{Pre, Post}(src);
    ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	(moves_from(b, upto, j) ==> src->slots[j].state == CAP_SLOT_LIVE) &&
	(!moves_from(b, upto, j) ==> src->slots[j].state == \old(src->slots[j].state));
 */
static void abort_moves(struct xfer_batch *b, struct cap_table *src, uint32_t upto)
{
	/*@ loop invariant 0 <= i <= upto && table_ok(src) && gens_kept{Pre, Here}(src) &&
		holds_kept{Pre, Here}(src);
	    loop invariant \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
		(moves_from{Pre}(b, i, j) ==> src->slots[j].state == CAP_SLOT_LIVE) &&
		(!moves_from{Pre}(b, i, j) ==> src->slots[j].state == \at(src->slots[j].state,
	   Pre)); loop assigns i, src->slots[0 .. CAP_TABLE_SLOTS - 1].state; loop variant upto - i;
	 */
	for (uint32_t i = 0; i < upto; i++) {
		if (b->items[i].mode == CAP_TRANSFER_MODE_MOVE)
			captable_move_abort(src, b->items[i].src_cap);
	}
}

/* Check descriptor d and pin its source into *it: a copy looks its hold up,
 * a move marks its slot MOVING. On an error src is exactly as it was. */
/*@ requires table_ok(src) && \valid_read(d) && \valid(it) && \separated(it, src) &&
	     \separated(d, src) && \separated(d, it) &&
	     (src->ledger != \null ==> \separated(it, src->ledger));
    assigns *it, src->slots[0 .. CAP_TABLE_SLOTS - 1].state;
    ensures table_ok(src);
    ensures \result == XFER_OK ==> it->src_cap == d->cap_id && it->mode == d->mode;
    ensures \result == XFER_OK ==> d->mode == CAP_TRANSFER_MODE_COPY ||
	d->mode == CAP_TRANSFER_MODE_MOVE;
    ensures \result == XFER_OK && d->mode == CAP_TRANSFER_MODE_COPY ==>
	it->hold.mode == CAP_MODE_COPY && unchanged{Pre, Post}(src);
    ensures pin_move: \result == XFER_OK && d->mode == CAP_TRANSFER_MODE_MOVE ==>
	CAPID_INDEX(d->cap_id) < CAP_TABLE_SLOTS &&
	\old(src->slots[CAPID_INDEX(d->cap_id)].state) == CAP_SLOT_LIVE &&
	src->slots[CAPID_INDEX(d->cap_id)].state == CAP_SLOT_MOVING &&
	src->slots[CAPID_INDEX(d->cap_id)].generation == CAPID_GEN(d->cap_id) &&
	src->slots[CAPID_INDEX(d->cap_id)].hold == it->hold && it->hold.mode != CAP_MODE_LOCAL &&
	state_only{Pre, Post}(src, CAPID_INDEX(d->cap_id)) && gens_kept{Pre, Post}(src) &&
	src->live == \old(src->live) && src->retired == \old(src->retired) &&
	charged{Pre, Post}(src, 0);
    ensures \result != XFER_OK ==> \result < 0 && unchanged{Pre, Post}(src);
 */
static int pin_one(struct cap_table *src, const struct cap_transfer_descriptor *d,
		   struct xfer_item *it)
{
	int e;

	if (d->reserved != 0 ||
	    (d->mode != CAP_TRANSFER_MODE_COPY && d->mode != CAP_TRANSFER_MODE_MOVE))
		return XFER_ERR_DESCRIPTOR;
	it->src_cap = d->cap_id;
	it->mode = d->mode;
	if (d->mode == CAP_TRANSFER_MODE_MOVE) {
		e = captable_move_reserve(src, d->cap_id, &it->hold);
	} else {
		e = captable_lookup(src, d->cap_id, &it->hold);
		if (e == CAPTABLE_OK && it->hold.mode != CAP_MODE_COPY)
			return XFER_ERR_NOT_TRANSFERABLE;
	}
	return e == CAPTABLE_OK ? XFER_OK : from_table(e);
}

/* The table half of xfer_pin: every descriptor checked and each move's
 * source marked MOVING, or, on any error, src exactly as it was. Copies
 * take their references afterwards (xfer_pin). */
/*@ requires table_ok(src) && batch_apart(b, src);
    requires n <= CAP_XFER_MAX ==> \valid_read(d + (0 .. n - 1)) &&
	\separated(d + (0 .. n - 1), b) && \separated(d + (0 .. n - 1), src);
    assigns b->n, b->items[0 .. CAP_XFER_MAX - 1], src->slots[0 .. CAP_TABLE_SLOTS - 1].state;
    ensures table_ok(src) && gens_kept{Pre, Post}(src);
    ensures \result == XFER_OK ==> b->n == n && n <= CAP_XFER_MAX && pins_ok(b, n, src) &&
	pinned{Pre, Post}(b, n, src);
    ensures \result != XFER_OK ==> b->n == 0 && unchanged{Pre, Post}(src);
 */
static int pin_slots(struct xfer_batch *b, struct cap_table *src,
		     const struct cap_transfer_descriptor *d, uint32_t n)
{
	b->n = 0;
	if (n > CAP_XFER_MAX)
		return XFER_ERR_TOO_MANY;
	/*@ loop invariant 0 <= i <= n && b->n == 0 && table_ok(src) && gens_kept{Pre, Here}(src);
	    loop invariant holds_kept{Pre, Here}(src) && src->live == \at(src->live, Pre) &&
		src->retired == \at(src->retired, Pre) && charged{Pre, Here}(src, 0);
	    loop invariant pins_ok(b, i, src);
	    loop invariant \forall integer k; 0 <= k < i &&
		b->items[k].mode == CAP_TRANSFER_MODE_MOVE ==>
		    \at(src->slots[CAPID_INDEX(b->items[k].src_cap)].state, Pre) == CAP_SLOT_LIVE;
	    loop invariant \forall integer j; 0 <= j < CAP_TABLE_SLOTS &&
		(\forall integer k; 0 <= k < i && b->items[k].mode == CAP_TRANSFER_MODE_MOVE ==>
		    CAPID_INDEX(b->items[k].src_cap) != j) ==>
		    src->slots[j].state == \at(src->slots[j].state, Pre);
	    loop assigns i, b->items[0 .. CAP_XFER_MAX - 1], src->slots[0 .. CAP_TABLE_SLOTS -
	   1].state; loop variant n - i;
	 */
	for (uint32_t i = 0; i < n; i++) {
		int err = pin_one(src, &d[i], &b->items[i]);
		if (err != XFER_OK) {
			abort_moves(b, src, i);
			return err;
		}
	}
	b->n = n;
	return XFER_OK;
}

int xfer_pin(struct xfer_batch *b, struct cap_table *src, const struct cap_transfer_descriptor *d,
	     uint32_t n, const struct xfer_refs *refs)
{
	int err = pin_slots(b, src, d, n);

	if (err != XFER_OK)
		return err;
	for (uint32_t i = 0; i < b->n; i++) {
		if (b->items[i].mode == CAP_TRANSFER_MODE_COPY)
			refs->get(b->items[i].hold.object);
	}
	return XFER_OK;
}

void xfer_unpin(struct xfer_batch *b, struct cap_table *src, const struct xfer_refs *refs)
{
	for (uint32_t i = 0; i < b->n; i++) {
		if (b->items[i].mode == CAP_TRANSFER_MODE_COPY)
			refs->put(b->items[i].hold.object);
	}
	abort_moves(b, src, b->n);
	b->n = 0;
}

/* Abort the reservations of items [0, upto). */
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
		captable_abort(dst, b->items[i].dst);
}

int xfer_reserve(struct xfer_batch *b, struct cap_table *dst)
{
	/*@ loop invariant 0 <= i <= b->n && table_ok(dst) && gens_kept{Pre, Here}(dst);
	    loop invariant holds_reservations(b, i, dst) && reserved{Pre, Here}(b, i, dst);
	    loop assigns i, b->items[0 .. CAP_XFER_MAX - 1].dst,
		dst->slots[0 .. CAP_TABLE_SLOTS - 1].state, dst->live,
		dst->ledger->res[0 .. LEDGER_NRES - 1].used;
	    loop variant b->n - i;
	 */
	for (uint32_t i = 0; i < b->n; i++) {
		struct cap_reservation r;
		int e = captable_reserve(dst, &r);
		if (e != CAPTABLE_OK) {
			abort_reservations(b, dst, i);
			return from_table(e);
		}
		b->items[i].dst = r;
	}
	return XFER_OK;
}

void xfer_unreserve(struct xfer_batch *b, struct cap_table *dst)
{
	abort_reservations(b, dst, b->n);
}

void xfer_commit(struct xfer_batch *b, struct cap_table *src, struct cap_table *dst, uint8_t origin,
		 struct cap_transfer_result *out)
{
	for (uint32_t i = 0; i < b->n; i++) {
		struct xfer_item *it = &b->items[i];
		struct cap_hold h = it->hold;
		h.origin = origin;
		out[i] = (struct cap_transfer_result){ captable_commit(dst, it->dst, &h), 0,
						       h.interface_id };
		if (it->mode == CAP_TRANSFER_MODE_MOVE)
			captable_move_commit(src, it->src_cap); /* its reference moved along */
	}
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
