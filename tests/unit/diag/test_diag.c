/*
 * Host tests of lib/diag: the burst per key and window, suppression counts,
 * new keys always admitted, recycling when the table is full, and the
 * once-a-window summary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/diag/diag.h"

#define SEC 1000000000ULL

static void test_burst_then_suppress(void **state)
{
	(void)state;
	struct diag d;
	struct diag_key k = { -4, 1, 7 };
	diag_init(&d, 0);
	for (int i = 0; i < DIAG_BURST; i++)
		assert_true(diag_admit(&d, k, 10 + i));
	for (int i = 0; i < 100; i++)
		assert_false(diag_admit(&d, k, 100 + i));
	assert_int_equal(d.suppressed, 100);
	/* A new window admits the burst again. */
	assert_true(diag_admit(&d, k, SEC + 20));
}

static void test_new_keys_always_logged(void **state)
{
	(void)state;
	struct diag d;
	diag_init(&d, 0);
	struct diag_key k = { -1, 0, 0 };
	for (int i = 0; i < 10; i++)
		diag_admit(&d, k, 5);
	/* Many distinct keys, more than the table holds: each first sighting is
	 * admitted (D2), even as old entries are recycled. */
	for (int i = 0; i < 3 * DIAG_KEYS; i++) {
		struct diag_key n = { -5, 1, (uint32_t)i };
		assert_true(diag_admit(&d, n, 6 + (uint64_t)i));
	}
}

static void test_summary(void **state)
{
	(void)state;
	struct diag d;
	uint64_t n;
	int32_t last;
	struct diag_key k = { -9, 1, 3 };
	diag_init(&d, 0);
	assert_false(diag_summary(&d, 2 * SEC, &n, &last)); /* nothing suppressed */
	for (int i = 0; i < 10; i++)
		diag_admit(&d, k, SEC);
	assert_true(diag_summary(&d, SEC + 5, &n, &last));
	assert_int_equal(n, 10 - DIAG_BURST);
	assert_int_equal(last, -9);
	for (int i = 0; i < 10; i++)
		assert_false(diag_admit(&d, k, SEC + 10));   /* same window: all suppressed */
	assert_false(diag_summary(&d, SEC + 20, &n, &last)); /* one summary per window */
	assert_true(diag_summary(&d, 2 * SEC + 10, &n, &last));
	assert_int_equal(n, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_suppress),
		cmocka_unit_test(test_new_keys_always_logged),
		cmocka_unit_test(test_summary),
	};
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
