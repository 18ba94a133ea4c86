/*
 * Host tests of lib/cap/transfer: the pin / reserve / commit transaction
 * between two cap tables (spec: Authority Graph and Resource Accounting, §4).
 *
 * Copy and move success, every pin error, move and copy replay, a batch that
 * fails halfway, receiver quota and table exhaustion, unreserve, and a table
 * that sends to itself. Objects are distinct addresses of a static array and
 * the get/put hooks count references per object; every cap a table holds
 * owns one reference. After every failure both tables (live counts, every
 * slot's state, generation, hold and lookup result), every ledger counter
 * and every reference count must be exactly as before (T2, Q2, Q3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/cap/transfer.h"

#define NOBJ 16

/* ---- fake objects and counting reference hooks ---- */

static char objects[NOBJ];
static int refs[NOBJ];
static unsigned n_gets, n_puts;

static int obj_index(const void *o)
{
	ptrdiff_t i = (const char *)o - objects;
	assert_true(i >= 0 && i < NOBJ);
	return (int)i;
}

static void ref_get(void *o)
{
	refs[obj_index(o)]++;
	n_gets++;
}

static void ref_put(void *o)
{
	int i = obj_index(o);
	assert_true(refs[i] > 0);
	refs[i]--;
	n_puts++;
}

static const struct xfer_refs hooks = { ref_get, ref_put };

/* ---- fixture: sender a, receiver b, each with its own ledger ---- */

struct fixture {
	struct ledger la, lb;
	struct cap_table a, b;
	struct xfer_batch batch;
};

static void reset(struct fixture *f)
{
	ledger_init_default(&f->la, 0);
	ledger_init_default(&f->lb, 0);
	captable_init(&f->a, &f->la);
	captable_init(&f->b, &f->lb);
	memset(&f->batch, 0xa5, sizeof f->batch); /* no state carried in */
	memset(refs, 0, sizeof refs);
	n_gets = n_puts = 0;
}

static int setup(void **state)
{
	static struct fixture f;

	reset(&f);
	*state = &f;
	return 0;
}

/* Insert a cap to object obj into t; the table's hold owns one reference. */
static uint32_t give(struct cap_table *t, int obj, uint64_t iface, enum cap_transfer_mode mode)
{
	struct cap_hold h = { .object = &objects[obj],
			      .interface_id = iface,
			      .badge = 0xb000 + (uint64_t)obj,
			      .mode = mode,
			      .origin = CAP_ORIGIN_KERNEL };
	uint32_t id;

	assert_int_equal(captable_insert(t, &h, &id), CAPTABLE_OK);
	refs[obj]++;
	return id;
}

/* Release a cap as CAP_OP_RELEASE would: remove it and drop its reference. */
static void release(struct cap_table *t, uint32_t id)
{
	struct cap_hold h;

	assert_int_equal(captable_remove(t, id, &h), CAPTABLE_OK);
	ref_put(h.object);
}

static struct cap_transfer_descriptor desc(uint32_t cap_id, uint32_t mode)
{
	return (struct cap_transfer_descriptor){ .cap_id = cap_id, .mode = mode };
}

/* ---- snapshots of everything a failure must leave alone ---- */

struct table_snap {
	uint32_t live, retired;
	uint8_t state[CAP_TABLE_SLOTS], generation[CAP_TABLE_SLOTS];
	struct cap_hold hold[CAP_TABLE_SLOTS];
	int lookup[CAP_TABLE_SLOTS]; /* captable_lookup of the slot's current CapId */
	uint64_t used[LEDGER_NRES];
};

struct world {
	struct table_snap a, b;
	int refs[NOBJ];
};

static void snap_table(struct table_snap *s, const struct cap_table *t)
{
	memset(s, 0, sizeof *s);
	s->live = t->live;
	s->retired = t->retired;
	for (uint32_t i = 0; i < CAP_TABLE_SLOTS; i++) {
		s->state[i] = t->slots[i].state;
		s->generation[i] = t->slots[i].generation;
		s->hold[i] = t->slots[i].hold;
		s->lookup[i] = captable_lookup(t, capid_make(t->slots[i].generation, i), NULL);
	}
	for (int r = 0; r < LEDGER_NRES; r++)
		s->used[r] = ledger_used(t->ledger, (enum ledger_res)r);
}

static void assert_hold_equal(const struct cap_hold *x, const struct cap_hold *y)
{
	assert_ptr_equal(x->object, y->object);
	assert_int_equal(x->interface_id, y->interface_id);
	assert_int_equal(x->badge, y->badge);
	assert_int_equal(x->mode, y->mode);
	assert_int_equal(x->origin, y->origin);
}

static void assert_table_same(const struct table_snap *was, const struct cap_table *t)
{
	static struct table_snap now;

	snap_table(&now, t);
	assert_int_equal(now.live, was->live);
	assert_int_equal(now.retired, was->retired);
	for (uint32_t i = 0; i < CAP_TABLE_SLOTS; i++) {
		assert_int_equal(now.state[i], was->state[i]);
		assert_int_equal(now.generation[i], was->generation[i]);
		assert_int_equal(now.lookup[i], was->lookup[i]);
		assert_hold_equal(&now.hold[i], &was->hold[i]);
	}
	for (int r = 0; r < LEDGER_NRES; r++)
		assert_int_equal(now.used[r], was->used[r]);
}

static void snap_world(struct world *w, const struct fixture *f)
{
	snap_table(&w->a, &f->a);
	snap_table(&w->b, &f->b);
	memcpy(w->refs, refs, sizeof refs);
}

static void assert_world_same(const struct world *w, const struct fixture *f)
{
	assert_table_same(&w->a, &f->a);
	assert_table_same(&w->b, &f->b);
	for (int i = 0; i < NOBJ; i++)
		assert_int_equal(refs[i], w->refs[i]);
}

/* With nothing pinned, each object has exactly one reference per hold. */
static void assert_refs_balanced(const struct fixture *f)
{
	int holds[NOBJ] = { 0 };
	const struct cap_table *tables[] = { &f->a, &f->b };

	for (int t = 0; t < 2; t++) {
		for (uint32_t i = 0; i < CAP_TABLE_SLOTS; i++) {
			const struct cap_slot *s = &tables[t]->slots[i];
			if (s->state == CAP_SLOT_LIVE || s->state == CAP_SLOT_MOVING)
				holds[obj_index(s->hold.object)]++;
		}
	}
	for (int i = 0; i < NOBJ; i++)
		assert_int_equal(refs[i], holds[i]);
}

/* xfer_pin must fail with want and leave everything as it was; nothing is
 * left pinned, so a defensive unpin changes nothing either. */
static void expect_pin_fails(struct fixture *f, struct cap_table *src,
			     const struct cap_transfer_descriptor *d, uint32_t n, int want)
{
	static struct world before;

	snap_world(&before, f);
	assert_int_equal(xfer_pin(&f->batch, src, d, n, &hooks), want);
	assert_world_same(&before, f);
	assert_int_equal(f->batch.n, 0);
	xfer_unpin(&f->batch, src, &hooks);
	assert_world_same(&before, f);
}

/* ---- success paths ---- */

static void test_copy_success(void **state)
{
	struct fixture *f = *state;
	static struct world before;
	uint32_t c = give(&f->a, 0, 0x11, CAP_MODE_COPY);
	struct cap_transfer_descriptor d = desc(c, CAP_TRANSFER_MODE_COPY);
	struct cap_transfer_result out[1];
	struct cap_hold got;

	snap_world(&before, f);
	assert_int_equal(xfer_pin(&f->batch, &f->a, &d, 1, &hooks), XFER_OK);
	/* The pin takes a reference and leaves the sender's table alone. */
	assert_int_equal(refs[0], 2);
	assert_int_equal(n_gets, 1);
	assert_table_same(&before.a, &f->a);
	assert_int_equal(captable_lookup(&f->a, c, NULL), CAPTABLE_OK);

	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	assert_int_equal(f->b.live, 1);
	assert_int_equal(ledger_used(&f->lb, LEDGER_CAP_SLOTS), 1);
	assert_int_equal(captable_next_live(&f->b, 0), -1); /* nothing visible yet */

	memset(out, 0xff, sizeof out);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, out);
	assert_int_equal(f->batch.n, 0);
	assert_int_equal(out[0].reserved, 0);
	assert_int_equal(out[0].interface_id, 0x11);
	assert_int_equal(captable_lookup(&f->b, out[0].cap_id, &got), CAPTABLE_OK);
	assert_ptr_equal(got.object, &objects[0]);
	assert_int_equal(got.interface_id, 0x11);
	assert_int_equal(got.badge, 0xb000);
	assert_int_equal(got.mode, CAP_MODE_COPY);
	assert_int_equal(got.origin, CAP_ORIGIN_IPC_TRANSFER);
	assert_int_equal(f->b.live, 1);
	assert_int_equal(ledger_used(&f->lb, LEDGER_CAP_SLOTS), 1);
	/* The sender keeps its cap, origin included; one reference was taken. */
	assert_table_same(&before.a, &f->a);
	assert_int_equal(captable_lookup(&f->a, c, &got), CAPTABLE_OK);
	assert_int_equal(got.origin, CAP_ORIGIN_KERNEL);
	assert_int_equal(refs[0], 2);
	assert_int_equal(n_gets, 1);
	assert_int_equal(n_puts, 0);
	assert_refs_balanced(f);
}

static void test_move_success(void **state)
{
	struct fixture *f = *state;
	static struct world before;
	uint32_t m = give(&f->a, 1, 0x22, CAP_MODE_MOVE);
	uint32_t c = give(&f->a, 2, 0x33, CAP_MODE_COPY); /* a copy cap may also move */
	struct cap_transfer_descriptor d[2] = { desc(m, CAP_TRANSFER_MODE_MOVE),
						desc(c, CAP_TRANSFER_MODE_MOVE) };
	struct cap_transfer_result out[2];
	struct cap_hold got;

	snap_world(&before, f);
	assert_int_equal(xfer_pin(&f->batch, &f->a, d, 2, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, out);

	/* The sender's CapIds are gone, its slots and quota given back. */
	assert_int_equal(captable_lookup(&f->a, m, NULL), CAPTABLE_ERR_INVALID);
	assert_int_equal(captable_lookup(&f->a, c, NULL), CAPTABLE_ERR_INVALID);
	assert_int_equal(f->a.live, 0);
	assert_int_equal(ledger_used(&f->la, LEDGER_CAP_SLOTS), 0);
	/* The receiver has them, mode and badge carried over. */
	assert_int_equal(f->b.live, 2);
	assert_int_equal(ledger_used(&f->lb, LEDGER_CAP_SLOTS), 2);
	assert_int_equal(out[0].interface_id, 0x22);
	assert_int_equal(captable_lookup(&f->b, out[0].cap_id, &got), CAPTABLE_OK);
	assert_ptr_equal(got.object, &objects[1]);
	assert_int_equal(got.badge, 0xb001);
	assert_int_equal(got.mode, CAP_MODE_MOVE);
	assert_int_equal(got.origin, CAP_ORIGIN_IPC_TRANSFER);
	assert_int_equal(out[1].interface_id, 0x33);
	assert_int_equal(captable_lookup(&f->b, out[1].cap_id, &got), CAPTABLE_OK);
	assert_ptr_equal(got.object, &objects[2]);
	assert_int_equal(got.mode, CAP_MODE_COPY);
	/* No reference changes hands: it moved along with the hold. */
	assert_int_equal(n_gets, 0);
	assert_int_equal(n_puts, 0);
	assert_int_equal(refs[1], before.refs[1]);
	assert_int_equal(refs[2], before.refs[2]);
	assert_refs_balanced(f);
}

/* T2: between pin and commit a moving cap is unusable but not gone, and the
 * receiver sees nothing; unpin gives it back under the same CapId. */
static void test_pinned_move_is_busy_not_gone(void **state)
{
	struct fixture *f = *state;
	static struct world before;
	uint32_t m = give(&f->a, 3, 0x44, CAP_MODE_MOVE);
	struct cap_transfer_descriptor d = desc(m, CAP_TRANSFER_MODE_MOVE);
	struct cap_transfer_descriptor dc = desc(m, CAP_TRANSFER_MODE_COPY);
	struct xfer_batch other;
	struct cap_hold got;

	snap_world(&before, f);
	assert_int_equal(xfer_pin(&f->batch, &f->a, &d, 1, &hooks), XFER_OK);
	assert_int_equal(captable_lookup(&f->a, m, NULL), CAPTABLE_ERR_BUSY);
	assert_int_equal(captable_remove(&f->a, m, NULL), CAPTABLE_ERR_BUSY);
	assert_int_equal(f->a.slots[capid_index(m)].state, CAP_SLOT_MOVING);
	assert_int_equal(f->a.live, 1);
	assert_int_equal(ledger_used(&f->la, LEDGER_CAP_SLOTS), 1);
	assert_int_equal(refs[3], 1);
	assert_refs_balanced(f); /* exactly one hold: the sender's, moving */

	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	assert_int_equal(captable_lookup(&f->b, capid_make(0, f->batch.dst[0].index), NULL),
			 CAPTABLE_ERR_INVALID);
	assert_int_equal(captable_next_live(&f->b, 0), -1);
	assert_refs_balanced(f);

	/* A second transaction cannot take the leaving cap, by move or copy. */
	assert_int_equal(xfer_pin(&other, &f->a, &d, 1, &hooks), XFER_ERR_BUSY);
	assert_int_equal(xfer_pin(&other, &f->a, &dc, 1, &hooks), XFER_ERR_BUSY);
	assert_int_equal(n_gets, 0);

	xfer_unreserve(&f->batch, &f->b);
	assert_table_same(&before.b, &f->b);
	xfer_unpin(&f->batch, &f->a, &hooks);
	assert_int_equal(captable_lookup(&f->a, m, &got), CAPTABLE_OK);
	assert_hold_equal(&got, &before.a.hold[capid_index(m)]);
	assert_world_same(&before, f);
	assert_int_equal(n_gets + n_puts, 0);
	/* Unpin spends the batch: doing it again restores nothing twice. */
	d = desc(give(&f->a, 4, 0x55, CAP_MODE_COPY), CAP_TRANSFER_MODE_COPY);
	struct cap_transfer_descriptor both[2] = { desc(m, CAP_TRANSFER_MODE_MOVE), d };
	snap_world(&before, f);
	assert_int_equal(xfer_pin(&f->batch, &f->a, both, 2, &hooks), XFER_OK);
	xfer_unpin(&f->batch, &f->a, &hooks);
	assert_world_same(&before, f);
	xfer_unpin(&f->batch, &f->a, &hooks);
	assert_world_same(&before, f);
	assert_int_equal(n_gets, 1);
	assert_int_equal(n_puts, 1);
}

/* ---- pin errors ---- */

static void test_stale_source(void **state)
{
	struct fixture *f = *state;
	uint32_t old = give(&f->a, 0, 0x11, CAP_MODE_COPY);
	struct cap_transfer_descriptor d;

	release(&f->a, old);
	uint32_t now = give(&f->a, 1, 0x22, CAP_MODE_COPY);
	assert_int_equal(capid_index(now), capid_index(old)); /* the slot was reused */

	d = desc(old, CAP_TRANSFER_MODE_COPY);
	expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_STALE);
	d = desc(old, CAP_TRANSFER_MODE_MOVE);
	expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_STALE);
	assert_int_equal(n_gets, 0);
}

static void test_invalid_source(void **state)
{
	struct fixture *f = *state;
	struct cap_reservation r;

	(void)give(&f->a, 0, 0x11, CAP_MODE_COPY);
	assert_int_equal(captable_reserve(&f->a, &r), CAPTABLE_OK);
	const uint32_t bad[] = {
		capid_make(0, 7),			/* an empty slot */
		capid_make(0, CAP_TABLE_SLOTS),		/* just out of range */
		capid_make(0, CAPID_INDEX_MASK),	/* far out of range */
		0xffffffffu,				/* everything set */
		capid_make(0, r.index),			/* reserved, not yet published */
		capid_make(0, CAP_TABLE_SLOTS - 1),	/* the last, empty slot */
		capid_make(CAPID_GEN_MAX, 1 + r.index), /* empty, any generation */
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct cap_transfer_descriptor d = desc(bad[i], CAP_TRANSFER_MODE_COPY);
		expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_INVALID);
		d.mode = CAP_TRANSFER_MODE_MOVE;
		expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_INVALID);
	}
	assert_int_equal(n_gets, 0);
}

static void test_local_cap_not_transferable(void **state)
{
	struct fixture *f = *state;
	uint32_t l = give(&f->a, 0, 0x11, CAP_MODE_LOCAL);
	struct cap_transfer_descriptor d = desc(l, CAP_TRANSFER_MODE_COPY);

	expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_NOT_TRANSFERABLE);
	d.mode = CAP_TRANSFER_MODE_MOVE;
	expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_NOT_TRANSFERABLE);
	assert_int_equal(captable_lookup(&f->a, l, NULL), CAPTABLE_OK);
	assert_int_equal(n_gets, 0);
}

static void test_move_only_cap_refuses_copy(void **state)
{
	struct fixture *f = *state;
	uint32_t m = give(&f->a, 0, 0x11, CAP_MODE_MOVE);
	struct cap_transfer_descriptor d = desc(m, CAP_TRANSFER_MODE_COPY);
	struct cap_transfer_result out[1];

	expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_NOT_TRANSFERABLE);
	assert_int_equal(n_gets, 0);
	/* ... but it moves. */
	d.mode = CAP_TRANSFER_MODE_MOVE;
	assert_int_equal(xfer_pin(&f->batch, &f->a, &d, 1, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, out);
	assert_int_equal(captable_lookup(&f->b, out[0].cap_id, NULL), CAPTABLE_OK);
	assert_int_equal(captable_lookup(&f->a, m, NULL), CAPTABLE_ERR_INVALID);
	assert_refs_balanced(f);
}

static void test_bad_descriptor(void **state)
{
	struct fixture *f = *state;
	uint32_t c = give(&f->a, 0, 0x11, CAP_MODE_COPY);
	const uint32_t modes[] = { 2, 3, 0x100, 0x80000000u, 0xffffffffu };
	const uint64_t reserved[] = { 1, 0x100000000ull, 1ull << 63, UINT64_MAX };
	struct cap_transfer_descriptor d;

	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		d = desc(c, modes[i]);
		expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_DESCRIPTOR);
	}
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
		d = desc(c, CAP_TRANSFER_MODE_COPY);
		d.reserved = reserved[i];
		expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_DESCRIPTOR);
		d.mode = CAP_TRANSFER_MODE_MOVE;
		expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_DESCRIPTOR);
	}
	assert_int_equal(n_gets, 0);
}

static void test_too_many_descriptors(void **state)
{
	struct fixture *f = *state;
	struct cap_transfer_descriptor d[CAP_XFER_MAX + 1];
	struct cap_transfer_result out[CAP_XFER_MAX];

	for (int i = 0; i <= CAP_XFER_MAX; i++)
		d[i] = desc(give(&f->a, i, 0x100 + (uint64_t)i, CAP_MODE_COPY),
			    CAP_TRANSFER_MODE_COPY);
	expect_pin_fails(f, &f->a, d, CAP_XFER_MAX + 1, XFER_ERR_TOO_MANY);
	expect_pin_fails(f, &f->a, d, UINT32_MAX, XFER_ERR_TOO_MANY);
	assert_int_equal(n_gets, 0); /* refused before anything was pinned */

	/* Exactly CAP_XFER_MAX is fine. */
	assert_int_equal(xfer_pin(&f->batch, &f->a, d, CAP_XFER_MAX, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, out);
	for (int i = 0; i < CAP_XFER_MAX; i++) {
		struct cap_hold got;
		assert_int_equal(captable_lookup(&f->b, out[i].cap_id, &got), CAPTABLE_OK);
		assert_ptr_equal(got.object, &objects[i]);
		assert_int_equal(out[i].interface_id, 0x100 + (uint64_t)i);
	}
	assert_int_equal(f->b.live, CAP_XFER_MAX);
	assert_refs_balanced(f);
}

/* ---- replay ---- */

static void test_move_twice_in_one_batch_is_busy(void **state)
{
	struct fixture *f = *state;
	uint32_t other = give(&f->a, 0, 0x11, CAP_MODE_MOVE);
	uint32_t m = give(&f->a, 1, 0x22, CAP_MODE_MOVE);
	uint32_t c = give(&f->a, 2, 0x33, CAP_MODE_COPY);
	struct cap_transfer_descriptor twice[2] = { desc(m, CAP_TRANSFER_MODE_MOVE),
						    desc(m, CAP_TRANSFER_MODE_MOVE) };
	struct cap_transfer_descriptor three[3] = { desc(other, CAP_TRANSFER_MODE_MOVE),
						    desc(m, CAP_TRANSFER_MODE_MOVE),
						    desc(m, CAP_TRANSFER_MODE_MOVE) };
	struct cap_transfer_descriptor then_copy[2] = { desc(c, CAP_TRANSFER_MODE_MOVE),
							desc(c, CAP_TRANSFER_MODE_COPY) };

	expect_pin_fails(f, &f->a, twice, 2, XFER_ERR_BUSY);
	expect_pin_fails(f, &f->a, three, 3, XFER_ERR_BUSY);
	/* A cap already leaving in this batch cannot be copied either. */
	expect_pin_fails(f, &f->a, then_copy, 2, XFER_ERR_BUSY);
	assert_int_equal(captable_lookup(&f->a, m, NULL), CAPTABLE_OK);
	assert_int_equal(captable_lookup(&f->a, other, NULL), CAPTABLE_OK);
	assert_int_equal(n_gets, 0);
}

/* T3: a committed move cannot be replayed; the source is gone (INVALID) or
 * its slot names something else (STALE). */
static void test_move_replay_fails_closed(void **state)
{
	struct fixture *f = *state;
	uint32_t m = give(&f->a, 0, 0x11, CAP_MODE_MOVE);
	struct cap_transfer_descriptor d = desc(m, CAP_TRANSFER_MODE_MOVE);
	struct cap_transfer_result out[1];

	assert_int_equal(xfer_pin(&f->batch, &f->a, &d, 1, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, out);

	expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_INVALID);
	uint32_t reuse = give(&f->a, 1, 0x22, CAP_MODE_MOVE);
	assert_int_equal(capid_index(reuse), capid_index(m));
	expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_STALE);
	d.mode = CAP_TRANSFER_MODE_COPY;
	expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_STALE);

	assert_int_equal(f->b.live, 1);
	assert_int_equal(refs[0], 1);
	assert_refs_balanced(f);
}

/* T3: copy replay is a repeatable grant: each commit mints a new hold. */
static void test_copy_replay_is_repeatable(void **state)
{
	struct fixture *f = *state;
	static struct table_snap sender;
	uint32_t c = give(&f->a, 0, 0x11, CAP_MODE_COPY);
	struct cap_transfer_descriptor d = desc(c, CAP_TRANSFER_MODE_COPY);
	struct cap_transfer_result first[1], second[1];

	snap_table(&sender, &f->a);
	assert_int_equal(xfer_pin(&f->batch, &f->a, &d, 1, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, first);
	assert_int_equal(xfer_pin(&f->batch, &f->a, &d, 1, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, second);

	assert_int_not_equal(first[0].cap_id, second[0].cap_id);
	assert_int_equal(captable_lookup(&f->b, first[0].cap_id, NULL), CAPTABLE_OK);
	assert_int_equal(captable_lookup(&f->b, second[0].cap_id, NULL), CAPTABLE_OK);
	assert_int_equal(f->b.live, 2);
	assert_int_equal(ledger_used(&f->lb, LEDGER_CAP_SLOTS), 2);
	assert_table_same(&sender, &f->a);
	assert_int_equal(refs[0], 3);
	assert_int_equal(n_gets, 2);
	assert_int_equal(n_puts, 0);
	assert_refs_balanced(f);
}

/* ---- a batch that fails halfway ---- */

/* Items 0-2 and 4 are good (copy, move, copy, move); item 3 is bad in each
 * way pin can see. Items 0-2 must be unpinned: moves restored, copy
 * references dropped. */
static void test_batch_fails_halfway(void **state)
{
	struct fixture *f = *state;
	enum {
		STALE,
		EMPTY,
		RANGE,
		LOCAL_COPY,
		LOCAL_MOVE,
		MOVE_ONLY_COPY,
		MOVE_AGAIN,
		COPY_MOVING,
		BAD_MODE,
		RESERVED_BITS,
		NCASE
	};
	static const int want[NCASE] = {
		[STALE] = XFER_ERR_STALE,
		[EMPTY] = XFER_ERR_INVALID,
		[RANGE] = XFER_ERR_INVALID,
		[LOCAL_COPY] = XFER_ERR_NOT_TRANSFERABLE,
		[LOCAL_MOVE] = XFER_ERR_NOT_TRANSFERABLE,
		[MOVE_ONLY_COPY] = XFER_ERR_NOT_TRANSFERABLE,
		[MOVE_AGAIN] = XFER_ERR_BUSY,
		[COPY_MOVING] = XFER_ERR_BUSY,
		[BAD_MODE] = XFER_ERR_DESCRIPTOR,
		[RESERVED_BITS] = XFER_ERR_DESCRIPTOR,
	};

	for (int k = 0; k < NCASE; k++) {
		reset(f);
		uint32_t stale = give(&f->a, 9, 0x99, CAP_MODE_COPY);
		release(&f->a, stale);
		uint32_t c0 = give(&f->a, 0, 0x10, CAP_MODE_COPY);
		uint32_t c1 = give(&f->a, 1, 0x11, CAP_MODE_MOVE);
		uint32_t c2 = give(&f->a, 2, 0x12, CAP_MODE_COPY);
		uint32_t c4 = give(&f->a, 4, 0x14, CAP_MODE_COPY);
		uint32_t local = give(&f->a, 5, 0x15, CAP_MODE_LOCAL);
		uint32_t move_only = give(&f->a, 6, 0x16, CAP_MODE_MOVE);
		struct cap_transfer_descriptor d[5] = {
			desc(c0, CAP_TRANSFER_MODE_COPY), desc(c1, CAP_TRANSFER_MODE_MOVE),
			desc(c2, CAP_TRANSFER_MODE_COPY), desc(0, 0),
			desc(c4, CAP_TRANSFER_MODE_MOVE),
		};
		const struct cap_transfer_descriptor bad[NCASE] = {
			[STALE] = desc(stale, CAP_TRANSFER_MODE_COPY),
			[EMPTY] = desc(capid_make(0, 100), CAP_TRANSFER_MODE_MOVE),
			[RANGE] = desc(capid_make(0, CAP_TABLE_SLOTS), CAP_TRANSFER_MODE_COPY),
			[LOCAL_COPY] = desc(local, CAP_TRANSFER_MODE_COPY),
			[LOCAL_MOVE] = desc(local, CAP_TRANSFER_MODE_MOVE),
			[MOVE_ONLY_COPY] = desc(move_only, CAP_TRANSFER_MODE_COPY),
			[MOVE_AGAIN] = desc(c1, CAP_TRANSFER_MODE_MOVE),
			[COPY_MOVING] = desc(c1, CAP_TRANSFER_MODE_COPY),
			[BAD_MODE] = desc(c4, 7),
			[RESERVED_BITS] = { .cap_id = c4,
					    .mode = CAP_TRANSFER_MODE_MOVE,
					    .reserved = 1 },
		};
		d[3] = bad[k];
		n_gets = n_puts = 0;
		expect_pin_fails(f, &f->a, d, 5, want[k]);
		/* References are taken only once every descriptor is pinned:
		 * a batch failing halfway takes none and gives none back. */
		assert_int_equal(n_gets, 0);
		assert_int_equal(n_puts, 0);
		assert_int_equal(captable_lookup(&f->a, c1, NULL), CAPTABLE_OK);
		assert_refs_balanced(f);
	}
}

/* ---- receiver exhaustion ---- */

/* Pin a batch of 4 (two copies, two moves) and try to reserve it in a
 * receiver that cannot take 4 more: it must fail with want and leave the
 * receiver as it was, the sender still pinned until unpin. */
static void reserve_must_fail(struct fixture *f, int want)
{
	static struct world before, pinned;
	uint32_t c0 = give(&f->a, 0, 0x10, CAP_MODE_COPY);
	uint32_t m1 = give(&f->a, 1, 0x11, CAP_MODE_MOVE);
	uint32_t c2 = give(&f->a, 2, 0x12, CAP_MODE_COPY);
	uint32_t m3 = give(&f->a, 3, 0x13, CAP_MODE_COPY);
	struct cap_transfer_descriptor d[4] = { desc(c0, CAP_TRANSFER_MODE_COPY),
						desc(m1, CAP_TRANSFER_MODE_MOVE),
						desc(c2, CAP_TRANSFER_MODE_COPY),
						desc(m3, CAP_TRANSFER_MODE_MOVE) };

	snap_world(&before, f);
	assert_int_equal(xfer_pin(&f->batch, &f->a, d, 4, &hooks), XFER_OK);
	snap_world(&pinned, f);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), want);
	assert_world_same(&pinned, f);
	assert_table_same(&before.b, &f->b);
	/* Still pinned: the moves are busy, the copies hold their references. */
	assert_int_equal(captable_lookup(&f->a, m1, NULL), CAPTABLE_ERR_BUSY);
	assert_int_equal(captable_lookup(&f->a, m3, NULL), CAPTABLE_ERR_BUSY);
	assert_int_equal(refs[0], 2);
	assert_int_equal(refs[2], 2);
	xfer_unpin(&f->batch, &f->a, &hooks);
	assert_world_same(&before, f);
	assert_int_equal(n_gets, 2);
	assert_int_equal(n_puts, 2);
}

static void test_receiver_quota_exhausted(void **state)
{
	struct fixture *f = *state;

	/* 0 to 3 units left of the receiver's cap_slots quota: none of these
	 * fit a batch of 4, though its table has room. */
	for (uint64_t left = 0; left < 4; left++) {
		reset(f);
		assert_int_equal(
			ledger_reserve(&f->lb, LEDGER_CAP_SLOTS, QUOTA_CAP_SLOTS_MAX - left),
			LEDGER_OK);
		reserve_must_fail(f, XFER_ERR_QUOTA);
		assert_int_equal(ledger_used(&f->lb, LEDGER_CAP_SLOTS), QUOTA_CAP_SLOTS_MAX - left);
		assert_int_equal(f->b.live, 0);
	}
	/* With the quota given back, the same transfer goes through. */
	assert_int_equal(ledger_release(&f->lb, LEDGER_CAP_SLOTS, 1), LEDGER_OK);
	struct cap_transfer_descriptor d[4];
	struct cap_transfer_result out[4];
	for (int i = 0; i < 4; i++)
		d[i] = desc(capid_make(0, (uint32_t)i),
			    i % 2 ? CAP_TRANSFER_MODE_MOVE : CAP_TRANSFER_MODE_COPY);
	assert_int_equal(xfer_pin(&f->batch, &f->a, d, 4, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, out);
	assert_int_equal(ledger_used(&f->lb, LEDGER_CAP_SLOTS), QUOTA_CAP_SLOTS_MAX);
	assert_int_equal(f->b.live, 4);
	assert_refs_balanced(f);
}

static void test_receiver_table_full(void **state)
{
	struct fixture *f = *state;

	/* 0 to 3 free slots in the receiver's table. */
	for (uint32_t left = 0; left < 4; left++) {
		reset(f);
		for (uint32_t i = 0; i < CAP_TABLE_SLOTS - left; i++)
			(void)give(&f->b, 15, 0xff, CAP_MODE_COPY);
		reserve_must_fail(f, XFER_ERR_FULL);
		assert_int_equal(f->b.live, CAP_TABLE_SLOTS - left);
		assert_refs_balanced(f);
	}
}

/* ---- reserve, unreserve and commit ---- */

static void test_unreserve_gives_back_exactly(void **state)
{
	struct fixture *f = *state;
	static struct world pinned;
	struct cap_transfer_descriptor d[3];
	struct cap_transfer_result out[3];
	uint32_t index[3];

	(void)give(&f->b, 15, 0xff, CAP_MODE_COPY); /* the receiver is not empty */
	for (int i = 0; i < 3; i++)
		d[i] = desc(give(&f->a, i, 0x10 + (uint64_t)i, CAP_MODE_MOVE),
			    CAP_TRANSFER_MODE_MOVE);
	assert_int_equal(xfer_pin(&f->batch, &f->a, d, 3, &hooks), XFER_OK);
	snap_world(&pinned, f);

	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	assert_int_equal(f->b.live, 4);
	assert_int_equal(ledger_used(&f->lb, LEDGER_CAP_SLOTS), 4);
	for (int i = 0; i < 3; i++) {
		index[i] = f->batch.dst[i].index;
		assert_int_equal(f->b.slots[index[i]].state, CAP_SLOT_RESERVED);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(index[i], index[j]);
	}
	assert_int_equal(captable_next_live(&f->b, 1), -1);
	assert_table_same(&pinned.a, &f->a); /* reserve touches the receiver only */

	xfer_unreserve(&f->batch, &f->b);
	assert_world_same(&pinned, f);

	/* Reserve again and commit: nothing was published under the aborted
	 * reservations, so their generation is unchanged. */
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_RESULT_CAP, out);
	for (int i = 0; i < 3; i++) {
		struct cap_hold got;
		assert_int_equal(out[i].cap_id, capid_make(0, index[i]));
		assert_int_equal(captable_lookup(&f->b, out[i].cap_id, &got), CAPTABLE_OK);
		assert_ptr_equal(got.object, &objects[i]);
		assert_int_equal(got.origin, CAP_ORIGIN_RESULT_CAP);
		assert_int_equal(captable_lookup(&f->a, d[i].cap_id, NULL), CAPTABLE_ERR_INVALID);
	}
	assert_int_equal(f->a.live, 0);
	assert_refs_balanced(f);
}

static void test_commit_publishes_all_and_vacates_moves(void **state)
{
	struct fixture *f = *state;
	const uint32_t mode[5] = { CAP_TRANSFER_MODE_COPY, CAP_TRANSFER_MODE_MOVE,
				   CAP_TRANSFER_MODE_COPY, CAP_TRANSFER_MODE_MOVE,
				   CAP_TRANSFER_MODE_MOVE };
	const enum cap_transfer_mode cap_mode[5] = { CAP_MODE_COPY, CAP_MODE_MOVE, CAP_MODE_COPY,
						     CAP_MODE_MOVE, CAP_MODE_COPY };
	struct cap_transfer_descriptor d[5];
	struct cap_transfer_result out[5];

	for (int i = 0; i < 5; i++)
		d[i] = desc(give(&f->a, i, 0x10 + (uint64_t)i, cap_mode[i]), mode[i]);
	assert_int_equal(xfer_pin(&f->batch, &f->a, d, 5, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, out);

	for (int i = 0; i < 5; i++) {
		struct cap_hold got;
		assert_int_equal(out[i].reserved, 0);
		assert_int_equal(out[i].interface_id, 0x10 + (uint64_t)i);
		assert_int_equal(captable_lookup(&f->b, out[i].cap_id, &got), CAPTABLE_OK);
		assert_ptr_equal(got.object, &objects[i]);
		assert_int_equal(got.mode, cap_mode[i]);
		assert_int_equal(captable_lookup(&f->a, d[i].cap_id, NULL),
				 mode[i] == CAP_TRANSFER_MODE_MOVE ? CAPTABLE_ERR_INVALID :
								     CAPTABLE_OK);
		assert_int_equal(refs[i], mode[i] == CAP_TRANSFER_MODE_MOVE ? 1 : 2);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(out[i].cap_id, out[j].cap_id);
	}
	assert_int_equal(f->a.live, 2);
	assert_int_equal(ledger_used(&f->la, LEDGER_CAP_SLOTS), 2);
	assert_int_equal(f->b.live, 5);
	assert_int_equal(ledger_used(&f->lb, LEDGER_CAP_SLOTS), 5);
	assert_int_equal(n_gets, 2);
	assert_int_equal(n_puts, 0);
	assert_refs_balanced(f);
	/* The batch is spent: a stray unpin or unreserve now does nothing. */
	static struct world after;
	snap_world(&after, f);
	xfer_unpin(&f->batch, &f->a, &hooks);
	xfer_unreserve(&f->batch, &f->b);
	assert_world_same(&after, f);
}

/* A moved source whose generation is spent is retired, never reused. */
static void test_move_retires_exhausted_source_slot(void **state)
{
	struct fixture *f = *state;
	struct cap_transfer_descriptor d;
	struct cap_transfer_result out[1];

	for (unsigned gen = 0; gen < CAPID_GEN_MAX; gen++)
		release(&f->a, give(&f->a, 0, 0x11, CAP_MODE_MOVE));
	uint32_t m = give(&f->a, 0, 0x11, CAP_MODE_MOVE);
	assert_int_equal(m, capid_make(CAPID_GEN_MAX, 0));
	d = desc(m, CAP_TRANSFER_MODE_MOVE);
	assert_int_equal(xfer_pin(&f->batch, &f->a, &d, 1, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, out);
	assert_int_equal(f->a.retired, 1);
	assert_int_equal(f->a.live, 0);
	assert_int_equal(ledger_used(&f->la, LEDGER_CAP_SLOTS), 0);
	expect_pin_fails(f, &f->a, &d, 1, XFER_ERR_INVALID);
	assert_refs_balanced(f);
}

/* A copy pin's own reference keeps the object alive if the sender releases
 * its cap before the commit. */
static void test_pinned_copy_outlives_sender_release(void **state)
{
	struct fixture *f = *state;
	uint32_t c = give(&f->a, 0, 0x11, CAP_MODE_COPY);
	struct cap_transfer_descriptor d = desc(c, CAP_TRANSFER_MODE_COPY);
	struct cap_transfer_result out[1];

	assert_int_equal(xfer_pin(&f->batch, &f->a, &d, 1, &hooks), XFER_OK);
	release(&f->a, c);
	assert_int_equal(refs[0], 1);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, out);
	assert_int_equal(captable_lookup(&f->b, out[0].cap_id, NULL), CAPTABLE_OK);
	assert_int_equal(f->a.live, 0);
	assert_int_equal(refs[0], 1);
	assert_refs_balanced(f);
}

static void test_empty_batch(void **state)
{
	struct fixture *f = *state;
	static struct world before;

	(void)give(&f->a, 0, 0x11, CAP_MODE_COPY);
	snap_world(&before, f);
	assert_int_equal(xfer_pin(&f->batch, &f->a, NULL, 0, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->b), XFER_OK);
	xfer_commit(&f->batch, &f->a, &f->b, CAP_ORIGIN_IPC_TRANSFER, NULL);
	assert_world_same(&before, f);
	assert_int_equal(n_gets + n_puts, 0);
}

/* ---- one table as both sender and receiver ---- */

static void test_same_table(void **state)
{
	struct fixture *f = *state;
	uint32_t c = give(&f->a, 0, 0x11, CAP_MODE_COPY);
	uint32_t m = give(&f->a, 1, 0x22, CAP_MODE_MOVE);
	struct cap_transfer_descriptor d[2] = { desc(c, CAP_TRANSFER_MODE_COPY),
						desc(m, CAP_TRANSFER_MODE_MOVE) };
	struct cap_transfer_result out[2];
	struct cap_hold got;

	assert_int_equal(xfer_pin(&f->batch, &f->a, d, 2, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->a), XFER_OK);
	/* The moving slot is not handed out again. */
	assert_int_not_equal(f->batch.dst[0].index, capid_index(m));
	assert_int_not_equal(f->batch.dst[1].index, capid_index(m));
	assert_int_equal(f->a.live, 4);
	xfer_commit(&f->batch, &f->a, &f->a, CAP_ORIGIN_IPC_TRANSFER, out);

	assert_int_not_equal(out[0].cap_id, c);
	assert_int_equal(captable_lookup(&f->a, c, NULL), CAPTABLE_OK);
	assert_int_equal(captable_lookup(&f->a, out[0].cap_id, &got), CAPTABLE_OK);
	assert_ptr_equal(got.object, &objects[0]);
	assert_int_equal(got.origin, CAP_ORIGIN_IPC_TRANSFER);
	assert_int_equal(captable_lookup(&f->a, m, NULL), CAPTABLE_ERR_INVALID);
	assert_int_equal(captable_lookup(&f->a, out[1].cap_id, &got), CAPTABLE_OK);
	assert_ptr_equal(got.object, &objects[1]);
	assert_int_equal(f->a.live, 3);
	assert_int_equal(ledger_used(&f->la, LEDGER_CAP_SLOTS), 3);
	assert_int_equal(refs[0], 2);
	assert_int_equal(refs[1], 1);
	assert_int_equal(f->b.live, 0);
	assert_refs_balanced(f);
}

static void test_same_table_quota_failure(void **state)
{
	struct fixture *f = *state;
	static struct world before;
	uint32_t c = give(&f->a, 0, 0x11, CAP_MODE_COPY);
	uint32_t m = give(&f->a, 1, 0x22, CAP_MODE_MOVE);
	struct cap_transfer_descriptor d[2] = { desc(c, CAP_TRANSFER_MODE_COPY),
						desc(m, CAP_TRANSFER_MODE_MOVE) };

	/* One unit left: the copy fits, the move's new slot does not (a move
	 * within one table needs its new slot before the old one is freed). */
	assert_int_equal(ledger_reserve(&f->la, LEDGER_CAP_SLOTS, QUOTA_CAP_SLOTS_MAX - 3),
			 LEDGER_OK);
	snap_world(&before, f);
	assert_int_equal(xfer_pin(&f->batch, &f->a, d, 2, &hooks), XFER_OK);
	assert_int_equal(xfer_reserve(&f->batch, &f->a), XFER_ERR_QUOTA);
	assert_int_equal(captable_lookup(&f->a, m, NULL), CAPTABLE_ERR_BUSY);
	assert_int_equal(f->a.live, 2);
	assert_int_equal(ledger_used(&f->la, LEDGER_CAP_SLOTS), QUOTA_CAP_SLOTS_MAX - 1);
	xfer_unpin(&f->batch, &f->a, &hooks);
	assert_world_same(&before, f);
	assert_int_equal(n_gets, 1);
	assert_int_equal(n_puts, 1);
}

/* ---- error text ---- */

static void test_strerror_distinct(void **state)
{
	(void)state;
	const int errs[] = { XFER_OK,
			     XFER_ERR_DESCRIPTOR,
			     XFER_ERR_INVALID,
			     XFER_ERR_STALE,
			     XFER_ERR_NOT_TRANSFERABLE,
			     XFER_ERR_BUSY,
			     XFER_ERR_QUOTA,
			     XFER_ERR_FULL,
			     XFER_ERR_TOO_MANY };
	const size_t n = sizeof errs / sizeof errs[0];
	const char *unknown = xfer_strerror(12345);

	assert_non_null(unknown);
	assert_true(unknown[0] != '\0');
	assert_string_equal(xfer_strerror(-12345), unknown);
	for (size_t i = 0; i < n; i++) {
		const char *s = xfer_strerror(errs[i]);
		assert_non_null(s);
		assert_true(s[0] != '\0');
		assert_string_not_equal(s, unknown);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(s, xfer_strerror(errs[j]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_copy_success, setup),
		cmocka_unit_test_setup(test_move_success, setup),
		cmocka_unit_test_setup(test_pinned_move_is_busy_not_gone, setup),
		cmocka_unit_test_setup(test_stale_source, setup),
		cmocka_unit_test_setup(test_invalid_source, setup),
		cmocka_unit_test_setup(test_local_cap_not_transferable, setup),
		cmocka_unit_test_setup(test_move_only_cap_refuses_copy, setup),
		cmocka_unit_test_setup(test_bad_descriptor, setup),
		cmocka_unit_test_setup(test_too_many_descriptors, setup),
		cmocka_unit_test_setup(test_move_twice_in_one_batch_is_busy, setup),
		cmocka_unit_test_setup(test_move_replay_fails_closed, setup),
		cmocka_unit_test_setup(test_copy_replay_is_repeatable, setup),
		cmocka_unit_test_setup(test_batch_fails_halfway, setup),
		cmocka_unit_test_setup(test_receiver_quota_exhausted, setup),
		cmocka_unit_test_setup(test_receiver_table_full, setup),
		cmocka_unit_test_setup(test_unreserve_gives_back_exactly, setup),
		cmocka_unit_test_setup(test_commit_publishes_all_and_vacates_moves, setup),
		cmocka_unit_test_setup(test_move_retires_exhausted_source_slot, setup),
		cmocka_unit_test_setup(test_pinned_copy_outlives_sender_release, setup),
		cmocka_unit_test_setup(test_empty_batch, setup),
		cmocka_unit_test_setup(test_same_table, setup),
		cmocka_unit_test_setup(test_same_table_quota_failure, setup),
		cmocka_unit_test_setup(test_strerror_distinct, setup),
	};
	return cmocka_run_group_tests_name("cap-transfer", tests, NULL, NULL);
}
