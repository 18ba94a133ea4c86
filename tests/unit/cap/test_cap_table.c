/*
 * Host tests of lib/cap: CapId encoding, lookup, stale and retired
 * generations, two-phase insert and move with rollback, quota refusal, and
 * the ResourceLedger's counters and token bucket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/cap/cap_table.h"

struct fixture {
	struct ledger ledger;
	struct cap_table table;
};

static int setup(void **state)
{
	static struct fixture f;

	ledger_init_default(&f.ledger, 0);
	captable_init(&f.table, &f.ledger);
	*state = &f;
	return 0;
}

static struct cap_hold hold(uintptr_t obj, uint64_t iface, enum cap_transfer_mode mode)
{
	return (struct cap_hold){ .object = (void *)obj, .interface_id = iface, .mode = mode };
}

static void test_capid_encoding(void **state)
{
	(void)state;
	uint32_t id = capid_make(0xab, 0x123456);
	assert_int_equal(id, 0xab123456u);
	assert_int_equal(capid_generation(id), 0xab);
	assert_int_equal(capid_index(id), 0x123456);
}

static void test_insert_lookup(void **state)
{
	struct fixture *f = *state;
	struct cap_hold h = hold(0x1000, 0x42, CAP_MODE_COPY), got;
	uint32_t id;

	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
	assert_int_equal(id, capid_make(0, 0));
	assert_int_equal(captable_lookup(&f->table, id, &got), CAPTABLE_OK);
	assert_ptr_equal(got.object, (void *)0x1000);
	assert_int_equal(got.interface_id, 0x42);
	assert_int_equal(ledger_used(&f->ledger, LEDGER_CAP_SLOTS), 1);
}

static void test_lookup_errors(void **state)
{
	struct fixture *f = *state;
	struct cap_hold h = hold(1, 1, CAP_MODE_COPY);
	uint32_t id;

	assert_int_equal(captable_lookup(&f->table, capid_make(0, 0), NULL), CAPTABLE_ERR_INVALID);
	assert_int_equal(captable_lookup(&f->table, capid_make(0, CAP_TABLE_SLOTS), NULL),
			 CAPTABLE_ERR_INVALID);
	assert_int_equal(captable_lookup(&f->table, 0xffffffffu, NULL), CAPTABLE_ERR_INVALID);
	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
	assert_int_equal(captable_lookup(&f->table, capid_make(1, 0), NULL), CAPTABLE_ERR_STALE);
}

static void test_remove_makes_stale(void **state)
{
	struct fixture *f = *state;
	struct cap_hold h = hold(7, 1, CAP_MODE_COPY), out;
	uint32_t id, id2;

	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
	assert_int_equal(captable_remove(&f->table, id, &out), CAPTABLE_OK);
	assert_ptr_equal(out.object, (void *)7);
	assert_int_equal(ledger_used(&f->ledger, LEDGER_CAP_SLOTS), 0);
	assert_int_equal(captable_lookup(&f->table, id, NULL), CAPTABLE_ERR_INVALID);
	assert_int_equal(captable_remove(&f->table, id, NULL), CAPTABLE_ERR_INVALID);
	/* The slot comes back with the next generation; the old id stays stale. */
	assert_int_equal(captable_insert(&f->table, &h, &id2), CAPTABLE_OK);
	assert_int_equal(capid_index(id2), capid_index(id));
	assert_int_equal(capid_generation(id2), 1);
	assert_int_equal(captable_lookup(&f->table, id, NULL), CAPTABLE_ERR_STALE);
	assert_int_equal(captable_remove(&f->table, id, NULL), CAPTABLE_ERR_STALE);
}

static void test_generation_wrap_retires_slot(void **state)
{
	struct fixture *f = *state;
	struct cap_hold h = hold(1, 1, CAP_MODE_COPY);
	uint32_t id, first = 0;

	for (unsigned gen = 0; gen <= CAPID_GEN_MAX; gen++) {
		assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
		assert_int_equal(capid_index(id), 0);
		assert_int_equal(capid_generation(id), gen);
		if (gen == 0)
			first = id;
		assert_int_equal(captable_remove(&f->table, id, NULL), CAPTABLE_OK);
	}
	/* Slot 0 is retired: the next insert lands in slot 1 and the old ids
	 * of slot 0, including generation 0's, never resolve again. */
	assert_int_equal(f->table.retired, 1);
	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
	assert_int_equal(capid_index(id), 1);
	assert_int_equal(captable_lookup(&f->table, first, NULL), CAPTABLE_ERR_INVALID);
	assert_int_equal(captable_lookup(&f->table, capid_make(CAPID_GEN_MAX, 0), NULL),
			 CAPTABLE_ERR_INVALID);
}

static void test_table_full_with_retired_slots(void **state)
{
	struct fixture *f = *state;
	struct cap_hold h = hold(1, 1, CAP_MODE_COPY);
	uint32_t id;

	/* Retire every slot. */
	for (unsigned i = 0; i < CAP_TABLE_SLOTS; i++) {
		for (unsigned gen = 0; gen <= CAPID_GEN_MAX; gen++) {
			assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
			assert_int_equal(captable_remove(&f->table, id, NULL), CAPTABLE_OK);
		}
	}
	assert_int_equal(f->table.retired, CAP_TABLE_SLOTS);
	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_ERR_FULL);
	assert_int_equal(ledger_used(&f->ledger, LEDGER_CAP_SLOTS), 0);
}

static void test_quota_refusal_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct cap_hold h = hold(1, 1, CAP_MODE_COPY);
	uint32_t id;

	f->ledger.res[LEDGER_CAP_SLOTS].max = 2;
	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_ERR_QUOTA);
	assert_int_equal(f->table.live, 2);
	assert_int_equal(captable_next_live(&f->table, 2), -1);
}

static void test_reserve_abort_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct cap_reservation r;
	struct cap_hold h = hold(9, 9, CAP_MODE_COPY);
	uint32_t id;

	assert_int_equal(captable_reserve(&f->table, &r), CAPTABLE_OK);
	/* A reserved slot is not resolvable and not handed out twice. */
	assert_int_equal(captable_lookup(&f->table, capid_make(0, r.index), NULL),
			 CAPTABLE_ERR_INVALID);
	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
	assert_int_not_equal(capid_index(id), r.index);
	captable_abort(&f->table, r);
	assert_int_equal(f->table.live, 1);
	assert_int_equal(ledger_used(&f->ledger, LEDGER_CAP_SLOTS), 1);
	/* The aborted slot is reused with the same generation: nothing was
	 * ever published under it. */
	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
	assert_int_equal(id, capid_make(0, r.index));
}

static void test_move_commit_and_abort(void **state)
{
	struct fixture *f = *state;
	struct cap_hold h = hold(5, 5, CAP_MODE_MOVE), out;
	uint32_t id;

	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
	assert_int_equal(captable_move_reserve(&f->table, id, &out), CAPTABLE_OK);
	assert_ptr_equal(out.object, (void *)5);
	/* While moving, the cap is neither usable nor removable nor movable. */
	assert_int_equal(captable_lookup(&f->table, id, NULL), CAPTABLE_ERR_BUSY);
	assert_int_equal(captable_remove(&f->table, id, NULL), CAPTABLE_ERR_BUSY);
	assert_int_equal(captable_move_reserve(&f->table, id, NULL), CAPTABLE_ERR_BUSY);
	captable_move_abort(&f->table, id);
	assert_int_equal(captable_lookup(&f->table, id, NULL), CAPTABLE_OK);
	assert_int_equal(ledger_used(&f->ledger, LEDGER_CAP_SLOTS), 1);

	assert_int_equal(captable_move_reserve(&f->table, id, NULL), CAPTABLE_OK);
	captable_move_commit(&f->table, id);
	assert_int_equal(captable_lookup(&f->table, id, NULL), CAPTABLE_ERR_INVALID);
	assert_int_equal(ledger_used(&f->ledger, LEDGER_CAP_SLOTS), 0);
}

static void test_local_caps_do_not_move(void **state)
{
	struct fixture *f = *state;
	struct cap_hold h = hold(5, 5, CAP_MODE_LOCAL);
	uint32_t id;

	assert_int_equal(captable_insert(&f->table, &h, &id), CAPTABLE_OK);
	assert_int_equal(captable_move_reserve(&f->table, id, NULL), CAPTABLE_ERR_NOT_TRANSFERABLE);
	assert_int_equal(captable_lookup(&f->table, id, NULL), CAPTABLE_OK);
}

static int dropped;
static void count_drop(void *ctx, const struct cap_hold *h)
{
	(void)ctx;
	(void)h;
	dropped++;
}

static void test_clear_drops_everything(void **state)
{
	struct fixture *f = *state;
	struct cap_hold h = hold(1, 1, CAP_MODE_MOVE);
	struct cap_reservation r;
	uint32_t a, b;

	assert_int_equal(captable_insert(&f->table, &h, &a), CAPTABLE_OK);
	assert_int_equal(captable_insert(&f->table, &h, &b), CAPTABLE_OK);
	assert_int_equal(captable_move_reserve(&f->table, b, NULL), CAPTABLE_OK);
	assert_int_equal(captable_reserve(&f->table, &r), CAPTABLE_OK);
	dropped = 0;
	captable_clear(&f->table, count_drop, NULL);
	assert_int_equal(dropped, 2);
	assert_int_equal(f->table.live, 0);
	assert_int_equal(ledger_used(&f->ledger, LEDGER_CAP_SLOTS), 0);
	assert_int_equal(captable_lookup(&f->table, a, NULL), CAPTABLE_ERR_INVALID);
}

static void test_ledger_counts(void **state)
{
	struct fixture *f = *state;
	struct ledger *l = &f->ledger;

	assert_int_equal(ledger_max(l, LEDGER_OUTSTANDING_CALLS), QUOTA_OUTSTANDING_CALLS_MAX);
	assert_int_equal(ledger_reserve(l, LEDGER_OUTSTANDING_CALLS, 64), LEDGER_OK);
	assert_int_equal(ledger_reserve(l, LEDGER_OUTSTANDING_CALLS, 1), LEDGER_ERR_QUOTA);
	assert_int_equal(ledger_used(l, LEDGER_OUTSTANDING_CALLS), 64);
	assert_int_equal(ledger_release(l, LEDGER_OUTSTANDING_CALLS, 65), LEDGER_ERR_UNDERFLOW);
	assert_int_equal(ledger_release(l, LEDGER_OUTSTANDING_CALLS, 64), LEDGER_OK);
	/* A huge request cannot wrap past the max. */
	assert_int_equal(ledger_reserve(l, LEDGER_SCRATCH_BYTES, UINT64_MAX), LEDGER_ERR_QUOTA);
	assert_int_equal(ledger_reserve(l, LEDGER_NRES, 1), LEDGER_ERR_ARGUMENT);
	assert_string_equal(ledger_res_name(LEDGER_FRAME_GRANT_PAGES), "frame_grant_pages");
}

static void test_token_bucket(void **state)
{
	(void)state;
	struct token_bucket b;
	const uint64_t sec = 1000000000ull;

	bucket_init(&b, 1000, 4000, 0);
	assert_int_equal(bucket_take(&b, 5000, 0), 4000); /* the burst, no more */
	assert_int_equal(bucket_take(&b, 1, 0), 0);
	assert_int_equal(bucket_take(&b, 5000, sec / 2), 500); /* half a second of rate */
	/* Many tiny steps lose no credit to rounding. */
	uint64_t got = 0;
	for (uint64_t t = sec / 2; t <= sec / 2 + sec; t += sec / 10000)
		got += bucket_take(&b, 1000, t);
	assert_int_equal(got, 1000);
	/* Backwards time adds nothing; a long idle fills to the burst only. */
	assert_int_equal(bucket_take(&b, 10, sec), 0);
	assert_int_equal(bucket_take(&b, 100000, 100 * sec), 4000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_capid_encoding, setup),
		cmocka_unit_test_setup(test_insert_lookup, setup),
		cmocka_unit_test_setup(test_lookup_errors, setup),
		cmocka_unit_test_setup(test_remove_makes_stale, setup),
		cmocka_unit_test_setup(test_generation_wrap_retires_slot, setup),
		cmocka_unit_test_setup(test_table_full_with_retired_slots, setup),
		cmocka_unit_test_setup(test_quota_refusal_leaves_nothing, setup),
		cmocka_unit_test_setup(test_reserve_abort_rolls_back, setup),
		cmocka_unit_test_setup(test_move_commit_and_abort, setup),
		cmocka_unit_test_setup(test_local_caps_do_not_move, setup),
		cmocka_unit_test_setup(test_clear_drops_everything, setup),
		cmocka_unit_test_setup(test_ledger_counts, setup),
		cmocka_unit_test_setup(test_token_bucket, setup),
	};
	return cmocka_run_group_tests_name("cap-table", tests, NULL, NULL);
}
