/*
 * tests/proof/transfer_undo.c — a transfer that stops before commit gives
 * both tables back exactly as they were (spec: Authority Graph and
 * Resource Accounting, T2 and Q3).
 *
 * transfer_undone is the theorem: pin on the sender, then reserve on the
 * receiver, then undo whatever held, receiver first, as the kernel does
 * when a delivery is refused; wherever it stops, the sender's and the
 * receiver's tables, counts and cap_slots charges are as they were. Its
 * parts: sender_undone (a pin, failed or undone by unpin, leaves the
 * sender as it was) and receiver_undone (a reserve, failed or undone by
 * unreserve, leaves the receiver as it was and another table, with the
 * batch's descriptors, untouched). The steps are the table halves of
 * lib/cap/transfer.c, proved there. The assertions are proof steps: the
 * provers see a frame one field at a time. Two tables of two processes
 * are apart, with their ledgers; a process sending to itself is covered
 * by the host tests only. Never compiled: `make prove` only (unit
 * transfer_undo).
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
    ensures unchanged{Pre, Post}(dst) && table_ok(dst) && unchanged{Pre, Post}(other) &&
	table_ok(other);
    ensures b->n == \old(b->n) && \forall integer k; 0 <= k < CAP_XFER_MAX ==>
	b->src[k].mode == \old(b->src[k].mode) && b->src[k].cap_id == \old(b->src[k].cap_id);
 */
void receiver_undone(struct xfer_batch *b, struct cap_table *dst, struct cap_table *other)
{
	int err = xfer_reserve(b, dst);
	//@ assert apart_from_steps(other, dst);
	if (err == XFER_OK)
		xfer_unreserve(b, dst);
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
	/*@ assert \forall integer r; 0 <= r < LEDGER_NRES ==>
	      other->ledger->res[r].used == \at(other->ledger->res[r].used, Pre) &&
	      other->ledger->res[r].max == \at(other->ledger->res[r].max, Pre);
	 */
	//@ assert table_ok(other);
	/*@ assert b->n == \at(b->n, Pre) && \forall integer k; 0 <= k < CAP_XFER_MAX ==>
	      b->src[k].mode == \at(b->src[k].mode, Pre) &&
	      b->src[k].cap_id == \at(b->src[k].cap_id, Pre);
	 */
}

/*@ requires table_ok(src) && table_ok(dst) && batch_apart(b, src) && batch_apart(b, dst);
    requires \separated(src, dst) && src->ledger != \null && dst->ledger != \null &&
	     \separated(src->ledger, dst) && \separated(dst->ledger, src) &&
	     \separated(src->ledger, dst->ledger);
    requires n <= CAP_XFER_MAX && \valid_read(d + (0 .. n - 1)) &&
	     \separated(d + (0 .. n - 1), b) && \separated(d + (0 .. n - 1), src) &&
	     \separated(d + (0 .. n - 1), dst);
    requires dst->live <= UINT32_MAX - CAP_XFER_MAX;
    ensures unchanged{Pre, Post}(src) && unchanged{Pre, Post}(dst);
 */
void transfer_undone(struct xfer_batch *b, struct cap_table *src, struct cap_table *dst,
		     const struct cap_transfer_descriptor *d, uint32_t n)
{
	int err = pin_slots(b, src, d, n);
	//@ assert apart_from_steps(dst, src);
	/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	      dst->slots[j].state == \at(dst->slots[j].state, Pre) &&
	      dst->slots[j].generation == \at(dst->slots[j].generation, Pre) &&
	      dst->slots[j].hold.mode == \at(dst->slots[j].hold.mode, Pre) &&
	      dst->slots[j].hold.origin == \at(dst->slots[j].hold.origin, Pre) &&
	      dst->slots[j].hold.interface_id == \at(dst->slots[j].hold.interface_id, Pre) &&
	      dst->slots[j].hold.badge == \at(dst->slots[j].hold.badge, Pre) &&
	      dst->slots[j].hold.object == \at(dst->slots[j].hold.object, Pre);
	 */
	/*@ assert dst->live == \at(dst->live, Pre) && dst->retired == \at(dst->retired, Pre) &&
	      dst->ledger->res[LEDGER_CAP_SLOTS].used ==
		\at(dst->ledger->res[LEDGER_CAP_SLOTS].used, Pre);
	 */
	if (err != XFER_OK)
		return;
Pinned:
	receiver_undone(b, dst, src);
	//@ assert pins_ok(&b->src[0], b->n, src);
	unpin_slots(b, src);
	/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	      dst->slots[j].state == \at(dst->slots[j].state, Pre) &&
	      dst->slots[j].generation == \at(dst->slots[j].generation, Pre) &&
	      dst->slots[j].hold.mode == \at(dst->slots[j].hold.mode, Pre) &&
	      dst->slots[j].hold.origin == \at(dst->slots[j].hold.origin, Pre) &&
	      dst->slots[j].hold.interface_id == \at(dst->slots[j].hold.interface_id, Pre) &&
	      dst->slots[j].hold.badge == \at(dst->slots[j].hold.badge, Pre) &&
	      dst->slots[j].hold.object == \at(dst->slots[j].hold.object, Pre);
	 */
	/*@ assert dst->live == \at(dst->live, Pre) && dst->retired == \at(dst->retired, Pre) &&
	      dst->ledger->res[LEDGER_CAP_SLOTS].used ==
		\at(dst->ledger->res[LEDGER_CAP_SLOTS].used, Pre);
	 */
	/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	      src->slots[j].state == \at(src->slots[j].state, Pre);
	 */
}
