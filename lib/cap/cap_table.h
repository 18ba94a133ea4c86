/*
 * lib/cap/cap_table — one process's capability table.
 *
 * A table maps a CapId to a hold: the object, its interface id, badge,
 * transfer mode and origin (the edges of the spec's authority graph). A
 * CapId is generation:8 | index:24. Removing a cap bumps its slot's
 * generation so the old CapId goes stale; a slot whose generation would wrap
 * from 255 to 0 is retired for good, so an old CapId can never name new
 * authority (when every slot is in use or retired, inserts fail with
 * CAPTABLE_ERR_FULL).
 *
 * Transactions follow "reserve first, commit last": captable_reserve() takes
 * a free slot and one cap_slots unit of the ledger without making anything
 * visible; captable_commit() publishes the hold and cannot fail;
 * captable_abort() gives both back. A move transfer marks the source slot
 * MOVING (no longer resolvable), then either captable_move_commit() frees it
 * or captable_move_abort() restores it untouched. A failed transaction
 * therefore leaves table and ledger exactly as they were.
 *
 * Locking: the owner holds the table's lock (the kernel's cap-table lock of
 * the owning process) around every call. Pure logic, host-tested.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "include/capos/limits.h"
#include "lib/cap/ledger.h"

#define CAPID_INDEX_BITS  24
#define CAPID_INDEX_LIMIT ((uint32_t)1 << CAPID_INDEX_BITS)
#define CAPID_INDEX_MASK  (CAPID_INDEX_LIMIT - 1)
#define CAPID_GEN_MAX	  255u

/* Written with * / % rather than shifts and masks (the same code for any
 * uint32_t): the provers reason about arithmetic, not about bits. */
/*@ requires generation <= CAPID_GEN_MAX;
    assigns \nothing;
    ensures \result / CAPID_INDEX_LIMIT == generation;
    ensures \result % CAPID_INDEX_LIMIT == index % CAPID_INDEX_LIMIT;
 */
static inline uint32_t capid_make(uint32_t generation, uint32_t index)
{
	return generation * CAPID_INDEX_LIMIT + index % CAPID_INDEX_LIMIT;
}

/*@ assigns \nothing;
    ensures \result == cap_id % CAPID_INDEX_LIMIT;
 */
static inline uint32_t capid_index(uint32_t cap_id)
{
	return cap_id % CAPID_INDEX_LIMIT;
}

/*@ assigns \nothing;
    ensures \result == cap_id / CAPID_INDEX_LIMIT && \result <= CAPID_GEN_MAX;
 */
static inline uint32_t capid_generation(uint32_t cap_id)
{
	return cap_id / CAPID_INDEX_LIMIT;
}

enum captable_err {
	CAPTABLE_OK = 0,
	CAPTABLE_ERR_INVALID = -1, /* index out of range or slot empty */
	CAPTABLE_ERR_STALE = -2,   /* slot reused: generation differs */
	CAPTABLE_ERR_FULL = -3,	   /* no free, unretired slot */
	CAPTABLE_ERR_QUOTA = -4,   /* ledger cap_slots quota exhausted */
	CAPTABLE_ERR_BUSY = -5,	   /* slot is reserved or being moved */
	CAPTABLE_ERR_NOT_TRANSFERABLE = -6,
};

enum cap_transfer_mode {
	CAP_MODE_COPY = 0,  /* may be copied to another table */
	CAP_MODE_MOVE = 1,  /* may only be moved */
	CAP_MODE_LOCAL = 2, /* never leaves this table */
};

enum cap_origin {
	CAP_ORIGIN_KERNEL = 0,
	CAP_ORIGIN_SPAWN_GRANT = 1,
	CAP_ORIGIN_IPC_TRANSFER = 2,
	CAP_ORIGIN_RESULT_CAP = 3,
};

/* One Hold edge of the authority graph. */
struct cap_hold {
	void *object;	       /* the kernel object (opaque here) */
	uint64_t interface_id; /* schema interface id */
	uint64_t badge;
	uint8_t mode;	/* enum cap_transfer_mode */
	uint8_t origin; /* enum cap_origin */
};

enum cap_slot_state {
	CAP_SLOT_FREE = 0,
	CAP_SLOT_RESERVED, /* taken by an uncommitted transaction */
	CAP_SLOT_LIVE,
	CAP_SLOT_MOVING,  /* live, but leaving in an uncommitted move */
	CAP_SLOT_RETIRED, /* generation exhausted: never used again */
};

struct cap_slot {
	struct cap_hold hold;
	uint8_t generation;
	uint8_t state; /* enum cap_slot_state */
};

struct cap_table {
	struct cap_slot slots[CAP_TABLE_SLOTS];
	uint32_t live;	       /* slots RESERVED, LIVE or MOVING */
	uint32_t retired;      /* slots RETIRED */
	struct ledger *ledger; /* owner's ledger: charged one cap_slots per held slot */
};

/* The slot a CapId names, and its generation, in the specifications. */
#define CAPID_INDEX(id) ((id) % CAPID_INDEX_LIMIT)
#define CAPID_GEN(id)	((id) / CAPID_INDEX_LIMIT)

/*@

    // The table and its ledger are valid and apart; the ledger obeys Q1.
    predicate table_ok(struct cap_table *t) =
	\valid(t) && (t->ledger == \null ||
		      (\valid(t->ledger) && \separated(t, t->ledger) && ledger_ok(t->ledger)));

    // id resolves: it names a live slot of its own generation.
    predicate resolves(struct cap_table *t, integer id) =
	CAPID_INDEX(id) < CAP_TABLE_SLOTS && t->slots[CAPID_INDEX(id)].state == CAP_SLOT_LIVE &&
	t->slots[CAPID_INDEX(id)].generation == CAPID_GEN(id);

    // id is dead for good: its slot is retired or has moved past its generation.
    predicate stale(struct cap_table *t, integer id) =
	CAPID_INDEX(id) < CAP_TABLE_SLOTS &&
	(t->slots[CAPID_INDEX(id)].state == CAP_SLOT_RETIRED ||
	 t->slots[CAPID_INDEX(id)].generation > CAPID_GEN(id));

    // What every operation keeps between L1 and L2: generations never go
    // down (so never wrap), and a retired slot stays retired at its generation.
    predicate gens_kept{L1, L2}(struct cap_table *t) =
	\forall integer i; 0 <= i < CAP_TABLE_SLOTS ==>
	    \at(t->slots[i].generation, L1) <= \at(t->slots[i].generation, L2) &&
	    (\at(t->slots[i].state, L1) == CAP_SLOT_RETIRED ==>
		\at(t->slots[i].state, L2) == CAP_SLOT_RETIRED &&
		\at(t->slots[i].generation, L2) == \at(t->slots[i].generation, L1));

    // Slot i alone may have changed between L1 and L2.
    predicate others_kept{L1, L2}(struct cap_table *t, integer i) =
	\forall integer j; 0 <= j < CAP_TABLE_SLOTS && j != i ==>
	    \at(t->slots[j], L1) == \at(t->slots[j], L2);

    // No slot's generation or hold changed (its state may have).
    predicate holds_kept{L1, L2}(struct cap_table *t) =
	\forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
	    \at(t->slots[j].generation, L1) == \at(t->slots[j].generation, L2) &&
	    \at(t->slots[j].hold, L1) == \at(t->slots[j].hold, L2);

    // Of all the slots only the state of slot i may have changed.
    predicate state_only{L1, L2}(struct cap_table *t, integer i) =
	holds_kept{L1, L2}(t) &&
	\forall integer j; 0 <= j < CAP_TABLE_SLOTS && j != i ==>
	    \at(t->slots[j].state, L1) == \at(t->slots[j].state, L2);

    // The cap_slots charge of the table's ledger moved by d.
    predicate charged{L1, L2}(struct cap_table *t, integer d) =
	\at(t->ledger, L1) == \null ||
	\at(t->ledger->res[LEDGER_CAP_SLOTS].used, L2) ==
	    \at(t->ledger->res[LEDGER_CAP_SLOTS].used, L1) + d;

    // Nothing in the table or its ledger changed between L1 and L2.
    predicate unchanged{L1, L2}(struct cap_table *t) =
	(\forall integer j; 0 <= j < CAP_TABLE_SLOTS ==> \at(t->slots[j], L1) == \at(t->slots[j],
   L2)) && \at(t->live, L1) == \at(t->live, L2) && \at(t->retired, L1) == \at(t->retired, L2) &&
	charged{L1, L2}(t, 0);

    // The stale-handle theorem: a dead CapId stays dead across any sequence
    // of operations (each keeps gens_kept), so it never resolves again.
    lemma gens_kept_trans{L1, L2, L3}: \forall struct cap_table *t;
	gens_kept{L1, L2}(t) && gens_kept{L2, L3}(t) ==> gens_kept{L1, L3}(t);
    lemma slot_dead_stays{L1, L2}: \forall struct cap_table *t, integer i, g;
	0 <= i < CAP_TABLE_SLOTS && gens_kept{L1, L2}(t) &&
	(\at(t->slots[i].state, L1) == CAP_SLOT_RETIRED || \at(t->slots[i].generation, L1) > g) ==>
	(\at(t->slots[i].state, L2) == CAP_SLOT_RETIRED || \at(t->slots[i].generation, L2) > g);
    lemma stale_stays{L1, L2}: \forall struct cap_table *t, integer id;
	0 <= id <= UINT32_MAX && stale{L1}(t, id) && gens_kept{L1, L2}(t) ==> stale{L2}(t, id);
    lemma stale_never_resolves{L}: \forall struct cap_table *t, integer id;
	stale(t, id) ==> !resolves(t, id);
 */

/* A reserved slot waiting for commit or abort. */
/* The index is 16 bits wide, which CAP_TABLE_SLOTS fits, so that no table
 * operation writes memory of its type: the provers then see at once that
 * reserving or releasing slots leaves every other reservation as it was. */
struct cap_reservation {
	uint16_t index;
};
_Static_assert(CAP_TABLE_SLOTS <= 65536, "a reservation's index holds any slot index");

/*@ requires \valid(t) && (ledger == \null || (\valid(ledger) && \separated(t, ledger)));
    assigns *t;
    ensures t->ledger == ledger && t->live == 0 && t->retired == 0;
    ensures \forall integer i; 0 <= i < CAP_TABLE_SLOTS ==>
	t->slots[i].state == CAP_SLOT_FREE && t->slots[i].generation == 0;
 */
void captable_init(struct cap_table *t, struct ledger *ledger);

/* Resolve cap_id to its hold (copied to *out, may be NULL). */
/*@ requires table_ok(t) && (out == \null || (\valid(out) && \separated(out, t))) &&
	     (out != \null && t->ledger != \null ==> \separated(out, t->ledger));
    assigns *out;
    ensures table_ok(t);
    ensures resolution: \result == CAPTABLE_OK <==> resolves(t, cap_id);
    ensures \result == CAPTABLE_OK && out != \null ==>
	*out == t->slots[CAPID_INDEX(cap_id)].hold;
 */
int captable_lookup(const struct cap_table *t, uint32_t cap_id, struct cap_hold *out);

/* Two-phase insert. */
/*@ requires table_ok(t) && \valid(r) && \separated(r, t) &&
	     (t->ledger != \null ==> \separated(r, t->ledger));
    assigns t->slots[0 .. CAP_TABLE_SLOTS - 1].state, t->live, *r,
	    t->ledger->res[0 .. LEDGER_NRES - 1].used;
    ensures table_ok(t) && gens_kept{Pre, Post}(t);
    behavior taken:
      assumes \exists integer i; 0 <= i < CAP_TABLE_SLOTS && t->slots[i].state == CAP_SLOT_FREE;
      ensures \result == CAPTABLE_OK || \result == CAPTABLE_ERR_QUOTA;
      ensures \result == CAPTABLE_OK ==> r->index < CAP_TABLE_SLOTS &&
	  \at(t->slots[\at(r->index, Post)].state, Pre) == CAP_SLOT_FREE;
      ensures \result == CAPTABLE_OK ==> t->slots[r->index].state == CAP_SLOT_RESERVED &&
	  state_only{Pre, Post}(t, r->index);
      ensures \result == CAPTABLE_OK ==> t->live == (uint32_t)(\old(t->live) + 1) &&
	  t->retired == \old(t->retired) && charged{Pre, Post}(t, 1);
      ensures \result != CAPTABLE_OK ==> unchanged{Pre, Post}(t);
    behavior full:
      assumes \forall integer i; 0 <= i < CAP_TABLE_SLOTS ==> t->slots[i].state != CAP_SLOT_FREE;
      ensures \result == CAPTABLE_ERR_FULL && unchanged{Pre, Post}(t);
    complete behaviors;
    disjoint behaviors;
 */
int captable_reserve(struct cap_table *t, struct cap_reservation *r);
/*@ requires table_ok(t) && r.index < CAP_TABLE_SLOTS &&
	     t->slots[r.index].state == CAP_SLOT_RESERVED && \valid_read(h);
    assigns t->slots[r.index].hold, t->slots[r.index].state;
    ensures table_ok(t) && charged{Pre, Post}(t, 0);
    ensures resolves(t, \result) && CAPID_INDEX(\result) == r.index;
    ensures t->slots[r.index].hold == \old(*h);
    ensures gens_kept{Pre, Post}(t) && others_kept{Pre, Post}(t, r.index);
 */
uint32_t captable_commit(struct cap_table *t, struct cap_reservation r, const struct cap_hold *h);
/*@ requires table_ok(t) && r.index < CAP_TABLE_SLOTS &&
	     t->slots[r.index].state == CAP_SLOT_RESERVED;
    assigns t->slots[r.index].state, t->live, t->ledger->res[0 .. LEDGER_NRES - 1].used;
    ensures table_ok(t) && gens_kept{Pre, Post}(t);
    ensures t->slots[r.index].state == CAP_SLOT_FREE && t->live == (uint32_t)(\old(t->live) - 1);
    ensures holds_kept{Pre, Post}(t);
    ensures \forall integer j; 0 <= j < CAP_TABLE_SLOTS && j != r.index ==>
	t->slots[j].state == \old(t->slots[j].state);
    ensures t->ledger != \null && \old(t->ledger->res[LEDGER_CAP_SLOTS].used) >= 1 ==>
	charged{Pre, Post}(t, -1);
 */
void captable_abort(struct cap_table *t, struct cap_reservation r);

/* reserve + commit; the new CapId goes to *cap_id. */
/*@ requires table_ok(t) && \valid_read(h) && \valid(cap_id) && \separated(cap_id, t) &&
	     (t->ledger != \null ==> \separated(cap_id, t->ledger));
    assigns t->slots[0 .. CAP_TABLE_SLOTS - 1].state, t->slots[0 .. CAP_TABLE_SLOTS - 1].hold,
	    t->live, *cap_id, t->ledger->res[0 .. LEDGER_NRES - 1].used;
    ensures table_ok(t) && gens_kept{Pre, Post}(t);
    ensures \result == CAPTABLE_OK ==> resolves(t, *cap_id);
    ensures \result == CAPTABLE_OK ==> charged{Pre, Post}(t, 1);
    ensures \result == CAPTABLE_OK ==>
	\at(t->slots[CAPID_INDEX(\at(*cap_id, Post))].state, Pre) == CAP_SLOT_FREE;
    ensures \result != CAPTABLE_OK ==> unchanged{Pre, Post}(t);
 */
int captable_insert(struct cap_table *t, const struct cap_hold *h, uint32_t *cap_id);

/* Remove a live cap (RELEASE / revoke); its hold goes to *out (may be NULL). */
/*@ requires table_ok(t) && (out == \null || (\valid(out) && \separated(out, t))) &&
	     (out != \null && t->ledger != \null ==> \separated(out, t->ledger));
    assigns *out, t->slots[CAPID_INDEX(cap_id)], t->live, t->retired,
	    t->ledger->res[0 .. LEDGER_NRES - 1].used;
    ensures table_ok(t);
    ensures gens_kept{Pre, Post}(t);
    behavior live:
      assumes resolves(t, cap_id);
      ensures \result == CAPTABLE_OK && stale(t, cap_id);
      ensures \old(t->slots[CAPID_INDEX(cap_id)].generation) == CAPID_GEN_MAX ==>
	  t->slots[CAPID_INDEX(cap_id)].state == CAP_SLOT_RETIRED;
      ensures t->live == (uint32_t)(\old(t->live) - 1);
      ensures t->ledger != \null && \old(t->ledger->res[LEDGER_CAP_SLOTS].used) >= 1 ==>
	  charged{Pre, Post}(t, -1);
    behavior not_live:
      assumes !resolves(t, cap_id);
      ensures \result != CAPTABLE_OK && unchanged{Pre, Post}(t);
    complete behaviors;
    disjoint behaviors;
 */
int captable_remove(struct cap_table *t, uint32_t cap_id, struct cap_hold *out);

/* Two-phase move out of this table. */
/*@ requires table_ok(t) && (out == \null || (\valid(out) && \separated(out, t))) &&
	     (out != \null && t->ledger != \null ==> \separated(out, t->ledger));
    assigns *out, t->slots[0 .. CAP_TABLE_SLOTS - 1].state;
    ensures table_ok(t) && gens_kept{Pre, Post}(t);
    ensures t->live == \old(t->live) && t->retired == \old(t->retired) && charged{Pre, Post}(t, 0);
    ensures \result == CAPTABLE_OK ==> \old(resolves(t, cap_id)) &&
	t->slots[CAPID_INDEX(cap_id)].state == CAP_SLOT_MOVING &&
	t->slots[CAPID_INDEX(cap_id)].hold.mode != CAP_MODE_LOCAL;
    ensures \result == CAPTABLE_OK ==> state_only{Pre, Post}(t, CAPID_INDEX(cap_id));
    ensures \result == CAPTABLE_OK && out != \null ==> *out == t->slots[CAPID_INDEX(cap_id)].hold;
    ensures \result != CAPTABLE_OK ==> unchanged{Pre, Post}(t);
 */
int captable_move_reserve(struct cap_table *t, uint32_t cap_id, struct cap_hold *out);
/*@ requires table_ok(t) && CAPID_INDEX(cap_id) < CAP_TABLE_SLOTS &&
	     t->slots[CAPID_INDEX(cap_id)].state == CAP_SLOT_MOVING &&
	     t->slots[CAPID_INDEX(cap_id)].generation == CAPID_GEN(cap_id);
    assigns t->slots[CAPID_INDEX(cap_id)], t->live, t->retired,
	    t->ledger->res[0 .. LEDGER_NRES - 1].used;
    ensures table_ok(t) && gens_kept{Pre, Post}(t) && stale(t, cap_id);
    ensures others: \forall integer j; 0 <= j < CAP_TABLE_SLOTS && j != CAPID_INDEX(cap_id) ==>
	t->slots[j].state == \old(t->slots[j].state) &&
	t->slots[j].generation == \old(t->slots[j].generation) &&
	t->slots[j].hold.mode == \old(t->slots[j].hold.mode) &&
	t->slots[j].hold.origin == \old(t->slots[j].hold.origin) &&
	t->slots[j].hold.interface_id == \old(t->slots[j].hold.interface_id) &&
	t->slots[j].hold.badge == \old(t->slots[j].hold.badge) &&
	t->slots[j].hold.object == \old(t->slots[j].hold.object);
    ensures t->live == (uint32_t)(\old(t->live) - 1);
    ensures t->ledger != \null && \old(t->ledger->res[LEDGER_CAP_SLOTS].used) >= 1 ==>
	charged{Pre, Post}(t, -1);
 */
void captable_move_commit(struct cap_table *t, uint32_t cap_id);
/*@ requires table_ok(t) && CAPID_INDEX(cap_id) < CAP_TABLE_SLOTS &&
	     t->slots[CAPID_INDEX(cap_id)].state == CAP_SLOT_MOVING;
    assigns t->slots[CAPID_INDEX(cap_id)].state;
    ensures gens_kept{Pre, Post}(t) && t->slots[CAPID_INDEX(cap_id)].state == CAP_SLOT_LIVE;
    ensures state_only{Pre, Post}(t, CAPID_INDEX(cap_id));
 */
void captable_move_abort(struct cap_table *t, uint32_t cap_id);

/* Walk live caps in index order: returns the next live index >= from, or -1. */
/*@ requires \valid_read(t);
    assigns \nothing;
    ensures \result == -1 || (from <= \result < CAP_TABLE_SLOTS &&
			      t->slots[\result].state == CAP_SLOT_LIVE);
 */
int captable_next_live(const struct cap_table *t, uint32_t from);

/* Remove every cap (process exit), calling drop(ctx, hold) for each live or
 * moving hold. Reservations are aborted. */
void captable_clear(struct cap_table *t, void (*drop)(void *ctx, const struct cap_hold *h),
		    void *ctx);
