/*
 * tests/proof/transfer_undo.c — undoing a transfer before commit gives each
 * table back exactly as it was (spec: Authority Graph and Resource
 * Accounting, T2 and Q3).
 *
 * The sender's side: a pin that fails has undone itself, and a pin that
 * holds, undone by unpin, leaves the sender's table, counts and ledger as
 * they were. The receiver's side: a reserve that fails has undone itself,
 * and one that holds, undone by unreserve, leaves the receiver as it was,
 * and any other table (the sender's, pinned meanwhile) untouched. The
 * steps are the table halves of lib/cap/transfer.c, proved there; this
 * harness proves that they compose. The assertions are proof steps: the
 * provers see a frame one field at a time. Never compiled: `make prove`
 * only (unit transfer_undo).
 */
#include "lib/cap/transfer.c"

/*@ requires table_ok(src) && batch_apart(b, src);
    requires n <= CAP_XFER_MAX ==> \valid_read(d + (0 .. n - 1)) &&
	\separated(d + (0 .. n - 1), b) && \separated(d + (0 .. n - 1), src);
    assigns b->n, b->src[0 .. CAP_XFER_MAX - 1], src->slots[0 .. CAP_TABLE_SLOTS - 1].state;
    ensures unchanged{Pre, Post}(src) && table_ok(src) && b->n == 0;
 */
void sender_undone(struct xfer_batch *b, struct cap_table *src,
		   const struct cap_transfer_descriptor *d, uint32_t n)
{
	if (pin_slots(b, src, d, n) == XFER_OK)
		unpin_slots(b, src);
}

/*@
    // No slot of t lies where a step on u writes: u's slot states and the
    // counters of u's ledger.
    predicate apart_from_steps(struct cap_table *t, struct cap_table *u) =
	\forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	    \separated(&t->slots[j], &u->slots[0 .. CAP_TABLE_SLOTS - 1].state) &&
	    \separated(&t->slots[j], &u->ledger->res[0 .. LEDGER_NRES - 1].used);
 */

/*@ requires table_ok(dst) && batch_apart(b, dst) && b->n <= CAP_XFER_MAX &&
	     dst->live <= UINT32_MAX - CAP_XFER_MAX;
    requires table_ok(other) && batch_apart(b, other) && \separated(dst, other) &&
	     dst->ledger != \null && other->ledger != \null &&
	     \separated(dst->ledger, other) && \separated(other->ledger, dst) &&
	     \separated(dst->ledger, other->ledger);
    assigns b->dst[0 .. CAP_XFER_MAX - 1], dst->slots[0 .. CAP_TABLE_SLOTS - 1].state,
	    dst->live, dst->ledger->res[0 .. LEDGER_NRES - 1].used;
    ensures unchanged{Pre, Post}(dst) && table_ok(dst) && unchanged{Pre, Post}(other);
 */
void receiver_undone(struct xfer_batch *b, struct cap_table *dst, struct cap_table *other)
{
	int err = xfer_reserve(b, dst);
	//@ assert apart_from_steps(other, dst);
	/* Proof steps: the frame, one field at a time. */
	/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	      other->slots[j].state == \at(other->slots[j].state, Pre) &&
	      other->slots[j].generation == \at(other->slots[j].generation, Pre) &&
	      other->slots[j].hold.mode == \at(other->slots[j].hold.mode, Pre) &&
	      other->slots[j].hold.origin == \at(other->slots[j].hold.origin, Pre) &&
	      other->slots[j].hold.interface_id ==
		\at(other->slots[j].hold.interface_id, Pre) &&
	      other->slots[j].hold.badge == \at(other->slots[j].hold.badge, Pre) &&
	      other->slots[j].hold.object == \at(other->slots[j].hold.object, Pre);
	 */
	/*@ assert other->live == \at(other->live, Pre) &&
	      other->retired == \at(other->retired, Pre) &&
	      other->ledger->res[LEDGER_CAP_SLOTS].used ==
		\at(other->ledger->res[LEDGER_CAP_SLOTS].used, Pre);
	 */
	if (err == XFER_OK) {
		xfer_unreserve(b, dst);
		//@ assert apart_from_steps(other, dst);
		/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
		      other->slots[j].state == \at(other->slots[j].state, Pre) &&
		      other->slots[j].generation == \at(other->slots[j].generation, Pre) &&
		      other->slots[j].hold.mode == \at(other->slots[j].hold.mode, Pre) &&
		      other->slots[j].hold.origin == \at(other->slots[j].hold.origin, Pre) &&
		      other->slots[j].hold.interface_id ==
			\at(other->slots[j].hold.interface_id, Pre) &&
		      other->slots[j].hold.badge == \at(other->slots[j].hold.badge, Pre) &&
		      other->slots[j].hold.object == \at(other->slots[j].hold.object, Pre);
		 */
		/*@ assert other->live == \at(other->live, Pre) &&
		      other->retired == \at(other->retired, Pre) &&
		      other->ledger->res[LEDGER_CAP_SLOTS].used ==
			\at(other->ledger->res[LEDGER_CAP_SLOTS].used, Pre);
		 */
	}
}
