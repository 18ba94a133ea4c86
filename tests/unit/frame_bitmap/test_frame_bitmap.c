/*
 * Host tests of lib/frame_bitmap: building from overlapping, unsorted and
 * unaligned maps with reservations; exhaustion; double frees and frees out
 * of range refused; contiguous, aligned runs across holes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/frame_bitmap/frame_bitmap.h"

#define K 4096ULL
static uint64_t bits[64];
static struct frame_bitmap fb;

static void test_build(void **state)
{
	(void)state;
	/* Unsorted, overlapping and unaligned usable ranges. */
	const struct fb_range usable[] = {
		{ 100 * K, 50 * K },
		{ 0, 10 * K },
		{ 8 * K, 4 * K },
		{ 200 * K + 100, 10 * K },
	};
	const struct fb_range reserved[] = { { 110 * K, 2 * K + 1 }, { 5 * K, 1 } };
	fb_build(&fb, bits, 1000, usable, 4, reserved, 2);
	/* 0..11 usable minus frame 0 and frame 5; 100..149 minus 110..112;
	 * 200.1K..210.1K shrinks to frames 201..209. */
	assert_int_equal(fb.nfree, (12 - 2) + (50 - 3) + 9);
	assert_true(fb_is_used(&fb, 0));
	assert_true(fb_is_used(&fb, 5));
	assert_false(fb_is_used(&fb, 11));
	assert_true(fb_is_used(&fb, 12));
	assert_true(fb_is_used(&fb, 112));
	assert_false(fb_is_used(&fb, 113));
	assert_true(fb_is_used(&fb, 200));
	assert_false(fb_is_used(&fb, 201));
	assert_true(fb_is_used(&fb, 210));
	assert_true(fb_is_used(&fb, 5000)); /* beyond the bitmap */
}

static void test_alloc_until_empty(void **state)
{
	(void)state;
	const struct fb_range usable[] = { { 0, 70 * K } };
	uint64_t f, seen = 0;
	fb_build(&fb, bits, 70, usable, 1, NULL, 0);
	assert_int_equal(fb.nfree, 69);
	while (fb_alloc(&fb, &f) == FB_OK) {
		assert_true(f > 0 && f < 70);
		seen++;
	}
	assert_int_equal(seen, 69);
	assert_int_equal(fb.nfree, 0);
	assert_int_equal(fb_alloc(&fb, &f), FB_ERR_NO_MEMORY);
	assert_int_equal(fb_free(&fb, 33), FB_OK);
	assert_int_equal(fb_alloc(&fb, &f), FB_OK);
	assert_int_equal(f, 33);
}

static void test_bad_frees(void **state)
{
	(void)state;
	const struct fb_range usable[] = { { 0, 64 * K } };
	uint64_t f;
	fb_build(&fb, bits, 64, usable, 1, NULL, 0);
	assert_int_equal(fb_alloc(&fb, &f), FB_OK);
	assert_int_equal(fb_free(&fb, f), FB_OK);
	uint64_t before = fb.nfree;
	assert_int_equal(fb_free(&fb, f), FB_ERR_NOT_ALLOCATED);
	assert_int_equal(fb_free(&fb, 64), FB_ERR_RANGE);
	assert_int_equal(fb.nfree, before);
}

static void test_runs(void **state)
{
	(void)state;
	/* Holes at 10 and 30: the first aligned free run of 8 is 16..23. */
	const struct fb_range usable[] = { { 0, 10 * K }, { 11 * K, 19 * K }, { 31 * K, 33 * K } };
	uint64_t first;
	fb_build(&fb, bits, 64, usable, 3, NULL, 0);
	assert_int_equal(fb_alloc_run(&fb, 8, 8, &first), FB_OK);
	assert_int_equal(first, 16);
	assert_int_equal(fb_alloc_run(&fb, 20, 1, &first), FB_OK);
	assert_int_equal(first, 31);
	assert_int_equal(fb_alloc_run(&fb, 20, 1, &first), FB_ERR_NO_MEMORY);
	assert_int_equal(fb_alloc_run(&fb, 2, 3, &first), FB_ERR_ARGUMENT);
	assert_int_equal(fb_alloc_run(&fb, 0, 1, &first), FB_ERR_ARGUMENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_alloc_until_empty),
		cmocka_unit_test(test_bad_frees),
		cmocka_unit_test(test_runs),
	};
	return cmocka_run_group_tests_name("frame-bitmap", tests, NULL, NULL);
}
