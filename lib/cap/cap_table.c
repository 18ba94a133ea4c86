/*
 * lib/cap/cap_table — CapId resolution, two-phase insert and move, removal
 * with generation bump and retirement. See cap_table.h for the contract.
 */
#include "lib/cap/cap_table.h"

#include <stddef.h>

void captable_init(struct cap_table *t, struct ledger *ledger)
{
	/*@ loop invariant 0 <= i <= CAP_TABLE_SLOTS;
	    loop invariant \forall integer j; 0 <= j < i ==>
		t->slots[j].state == CAP_SLOT_FREE && t->slots[j].generation == 0;
	    loop assigns i, t->slots[0 .. CAP_TABLE_SLOTS - 1];
	    loop variant CAP_TABLE_SLOTS - i;
	 */
	for (uint32_t i = 0; i < CAP_TABLE_SLOTS; i++) {
		t->slots[i].generation = 0;
		t->slots[i].state = CAP_SLOT_FREE;
		t->slots[i].hold = (struct cap_hold){ 0 };
	}
	t->live = 0;
	t->retired = 0;
	t->ledger = ledger;
}

/* The slot cap_id names, whatever its state, or NULL if out of range. */
/*@ requires \valid_read(t);
    assigns \nothing;
    ensures CAPID_INDEX(cap_id) < CAP_TABLE_SLOTS ==> \result == &t->slots[CAPID_INDEX(cap_id)];
    ensures CAPID_INDEX(cap_id) >= CAP_TABLE_SLOTS ==> \result == \null;
 */
static const struct cap_slot *slot_of(const struct cap_table *t, uint32_t cap_id)
{
	uint32_t index = capid_index(cap_id);
	return index < CAP_TABLE_SLOTS ? &t->slots[index] : NULL;
}

/* Check that cap_id names a slot in the wanted state with its generation. */
/*@ requires \valid_read(t);
    assigns \nothing;
    ensures \result == CAPTABLE_OK <==> CAPID_INDEX(cap_id) < CAP_TABLE_SLOTS &&
	t->slots[CAPID_INDEX(cap_id)].state == want && want != CAP_SLOT_FREE &&
	want != CAP_SLOT_RETIRED && t->slots[CAPID_INDEX(cap_id)].generation == CAPID_GEN(cap_id);
    ensures \result <= 0;
 */
static int check(const struct cap_table *t, uint32_t cap_id, enum cap_slot_state want)
{
	const struct cap_slot *s = slot_of(t, cap_id);
	if (s == NULL || s->state == CAP_SLOT_FREE || s->state == CAP_SLOT_RETIRED)
		return CAPTABLE_ERR_INVALID;
	if (s->generation != capid_generation(cap_id))
		return CAPTABLE_ERR_STALE;
	if (s->state != want)
		return s->state == CAP_SLOT_RESERVED ? CAPTABLE_ERR_INVALID : CAPTABLE_ERR_BUSY;
	return CAPTABLE_OK;
}

int captable_lookup(const struct cap_table *t, uint32_t cap_id, struct cap_hold *out)
{
	int err = check(t, cap_id, CAP_SLOT_LIVE);
	if (err == CAPTABLE_OK && out != NULL)
		*out = t->slots[capid_index(cap_id)].hold;
	return err;
}

int captable_reserve(struct cap_table *t, struct cap_reservation *r)
{
	uint32_t i;

	/*@ loop invariant 0 <= i <= CAP_TABLE_SLOTS;
	    loop invariant \forall integer j; 0 <= j < i ==> t->slots[j].state != CAP_SLOT_FREE;
	    loop assigns i;
	    loop variant CAP_TABLE_SLOTS - i;
	 */
	for (i = 0; i < CAP_TABLE_SLOTS; i++) {
		if (t->slots[i].state == CAP_SLOT_FREE)
			break;
	}
	if (i == CAP_TABLE_SLOTS)
		return CAPTABLE_ERR_FULL;
	if (t->ledger != NULL && ledger_reserve(t->ledger, LEDGER_CAP_SLOTS, 1) != LEDGER_OK)
		return CAPTABLE_ERR_QUOTA;
	t->slots[i].state = CAP_SLOT_RESERVED;
	t->live++;
	r->index = (uint16_t)i;
	return CAPTABLE_OK;
}

uint32_t captable_commit(struct cap_table *t, struct cap_reservation r, const struct cap_hold *h)
{
	struct cap_slot *s = &t->slots[r.index];

	s->hold = *h;
	s->state = CAP_SLOT_LIVE;
	return capid_make(s->generation, r.index);
}

/* Return a slot to FREE with a new generation, or retire it when the
 * generation is spent, and give back its ledger unit. */
/*@ requires table_ok(t) && index < CAP_TABLE_SLOTS &&
	     (t->slots[index].state == CAP_SLOT_LIVE || t->slots[index].state == CAP_SLOT_MOVING);
    assigns t->slots[index], t->live, t->retired, t->ledger->res[0 .. LEDGER_NRES - 1].used;
    ensures table_ok(t) && gens_kept{Pre, Post}(t) && others_kept{Pre, Post}(t, index);
    ensures \old(t->slots[index].generation) == CAPID_GEN_MAX ==>
	t->slots[index].state == CAP_SLOT_RETIRED &&
	t->slots[index].generation == \old(t->slots[index].generation);
    ensures \old(t->slots[index].generation) < CAPID_GEN_MAX ==>
	t->slots[index].state == CAP_SLOT_FREE &&
	t->slots[index].generation == \old(t->slots[index].generation) + 1;
    ensures t->live == (uint32_t)(\old(t->live) - 1);
    ensures t->ledger != \null && \old(t->ledger->res[LEDGER_CAP_SLOTS].used) >= 1 ==>
	charged{Pre, Post}(t, -1);
 */
static void slot_vacate(struct cap_table *t, uint32_t index)
{
	struct cap_slot *s = &t->slots[index];

	s->hold = (struct cap_hold){ 0 };
	if (s->generation == CAPID_GEN_MAX) {
		s->state = CAP_SLOT_RETIRED;
		t->retired++;
	} else {
		s->generation++;
		s->state = CAP_SLOT_FREE;
	}
	t->live--;
	//@ assert others_kept{Pre, Here}(t, index);
Vacated:
	__attribute__((unused)); /* a label for the proof step below */
	if (t->ledger != NULL) {
		/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
		      \separated(&t->slots[j], &t->ledger->res[0 .. LEDGER_NRES - 1].used);
		 */
		(void)ledger_release(t->ledger, LEDGER_CAP_SLOTS, 1);
		/* Proof step: releasing the unit kept every slot, field by field. */
		/*@ assert \forall integer j; 0 <= j < CAP_TABLE_SLOTS ==>
		      t->slots[j].state == \at(t->slots[j].state, Vacated) &&
		      t->slots[j].generation == \at(t->slots[j].generation, Vacated) &&
		      t->slots[j].hold.mode == \at(t->slots[j].hold.mode, Vacated) &&
		      t->slots[j].hold.origin == \at(t->slots[j].hold.origin, Vacated) &&
		      t->slots[j].hold.interface_id ==
			\at(t->slots[j].hold.interface_id, Vacated) &&
		      t->slots[j].hold.badge == \at(t->slots[j].hold.badge, Vacated) &&
		      t->slots[j].hold.object == \at(t->slots[j].hold.object, Vacated);
		 */
	}
}

void captable_abort(struct cap_table *t, struct cap_reservation r)
{
	struct cap_slot *s = &t->slots[r.index];

	/* Nothing was published under this generation: no bump needed. */
	s->state = CAP_SLOT_FREE;
	t->live--;
	if (t->ledger != NULL)
		(void)ledger_release(t->ledger, LEDGER_CAP_SLOTS, 1);
}

int captable_insert(struct cap_table *t, const struct cap_hold *h, uint32_t *cap_id)
{
	struct cap_reservation r;
	int err = captable_reserve(t, &r);

	if (err != CAPTABLE_OK)
		return err;
	*cap_id = captable_commit(t, r, h);
	return CAPTABLE_OK;
}

int captable_remove(struct cap_table *t, uint32_t cap_id, struct cap_hold *out)
{
	int err = check(t, cap_id, CAP_SLOT_LIVE);

	if (err != CAPTABLE_OK)
		return err;
	struct cap_hold h = t->slots[capid_index(cap_id)].hold;
	slot_vacate(t, capid_index(cap_id));
	if (out != NULL)
		*out = h;
	return CAPTABLE_OK;
}

int captable_move_reserve(struct cap_table *t, uint32_t cap_id, struct cap_hold *out)
{
	int err = check(t, cap_id, CAP_SLOT_LIVE);

	if (err != CAPTABLE_OK)
		return err;
	struct cap_slot *s = &t->slots[capid_index(cap_id)];
	if (s->hold.mode == CAP_MODE_LOCAL)
		return CAPTABLE_ERR_NOT_TRANSFERABLE;
	s->state = CAP_SLOT_MOVING;
	if (out != NULL)
		*out = s->hold;
	return CAPTABLE_OK;
}

void captable_move_commit(struct cap_table *t, uint32_t cap_id)
{
	slot_vacate(t, capid_index(cap_id));
}

void captable_move_abort(struct cap_table *t, uint32_t cap_id)
{
	t->slots[capid_index(cap_id)].state = CAP_SLOT_LIVE;
}

int captable_next_live(const struct cap_table *t, uint32_t from)
{
	/*@ loop invariant from <= i;
	    loop assigns i;
	    loop variant CAP_TABLE_SLOTS - i;
	 */
	for (uint32_t i = from; i < CAP_TABLE_SLOTS; i++) {
		if (t->slots[i].state == CAP_SLOT_LIVE)
			return (int)i;
	}
	return -1;
}

void captable_clear(struct cap_table *t, void (*drop)(void *ctx, const struct cap_hold *h),
		    void *ctx)
{
	for (uint32_t i = 0; i < CAP_TABLE_SLOTS; i++) {
		struct cap_slot *s = &t->slots[i];
		if (s->state == CAP_SLOT_RESERVED) {
			captable_abort(t, (struct cap_reservation){ .index = i });
		} else if (s->state == CAP_SLOT_LIVE || s->state == CAP_SLOT_MOVING) {
			if (drop != NULL)
				drop(ctx, &s->hold);
			slot_vacate(t, i);
		}
	}
}
