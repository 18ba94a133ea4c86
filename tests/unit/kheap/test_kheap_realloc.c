/*
 * Host tests of lib/kheap's C allocation surface: kheap_realloc,
 * kheap_aligned_alloc, kheap_calloc and kheap_usable_size, over a page
 * source that fills new pages with junk, checks every page_free against
 * its page_alloc and can be told to refuse. Run by test_kheap.c's main as
 * a second group of the kheap suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/kheap/kheap.h"

int kheap_realloc_tests(void);

#define MAX_RUNS 256

static struct run {
	void *p;
	size_t pages;
} runs[MAX_RUNS];
static size_t pages_out;
static int refuse; /* page_alloc returns NULL while set */

static void *page_alloc(void *ctx, size_t pages)
{
	(void)ctx;
	if (refuse)
		return NULL;
	void *p = aligned_alloc(KHEAP_PAGE, pages * KHEAP_PAGE);
	assert_non_null(p);
	memset(p, 0xa5, pages * KHEAP_PAGE); /* junk, as reused frames hold */
	for (size_t i = 0; i < MAX_RUNS; i++) {
		if (runs[i].p == NULL) {
			runs[i] = (struct run){ p, pages };
			pages_out += pages;
			return p;
		}
	}
	fail_msg("page_alloc: more than %d runs out", MAX_RUNS);
	return NULL;
}

static void page_free(void *ctx, void *p, size_t pages)
{
	(void)ctx;
	for (size_t i = 0; i < MAX_RUNS; i++) {
		if (runs[i].p == p) {
			assert_int_equal(runs[i].pages, pages);
			runs[i].p = NULL;
			pages_out -= pages;
			free(p);
			return;
		}
	}
	fail_msg("page_free: %p was never allocated", p);
}

static struct kheap h;
static const struct kheap_ops ops = { page_alloc, page_free, NULL };

static int setup(void **state)
{
	(void)state;
	refuse = 0;
	pages_out = 0; /* a failed test's pages stay leaked, not counted */
	memset(runs, 0, sizeof(runs));
	kheap_init(&h, &ops);
	return 0;
}

/* Everything was freed: no bytes, no pages, on both sides of the callback. */
static int teardown(void **state)
{
	(void)state;
	assert_int_equal(h.bytes_in_use, 0);
	assert_int_equal(h.pages_in_use, 0);
	assert_int_equal(pages_out, 0);
	return 0;
}

static void fill(void *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		((uint8_t *)p)[i] = (uint8_t)(seed + i * 7);
}

static void expect_filled(const void *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		if (((const uint8_t *)p)[i] != (uint8_t)(seed + i * 7))
			fail_msg("byte %zu of %zu: %#x", i, n, ((const uint8_t *)p)[i]);
}

static void test_realloc_null(void **state)
{
	(void)state;
	int err = 99;
	void *a = kheap_realloc(&h, NULL, 100, &err);
	assert_non_null(a);
	assert_int_equal(err, KHEAP_OK);
	assert_int_equal(kheap_usable_size(&h, a), 100);
	void *z = kheap_realloc(&h, NULL, 0, &err); /* allocates, as malloc(0) */
	assert_non_null(z);
	assert_int_equal(err, KHEAP_OK);
	refuse = 1;
	assert_null(kheap_realloc(&h, NULL, 20000, &err));
	assert_int_equal(err, KHEAP_ERR_NO_MEMORY);
	refuse = 0;
	assert_int_equal(kheap_free(&h, z), KHEAP_OK);
	assert_int_equal(kheap_free(&h, a), KHEAP_OK);
}

static void test_realloc_zero(void **state)
{
	(void)state;
	int err = 99;
	void *keep = kheap_alloc(&h, 100), *p = kheap_alloc(&h, 100);
	assert_null(kheap_realloc(&h, p, 0, &err));
	assert_int_equal(err, KHEAP_OK);
	assert_int_equal(h.bytes_in_use, 100);
	assert_int_equal(kheap_free(&h, p), KHEAP_ERR_DOUBLE_FREE); /* p really went */
	void *big = kheap_alloc(&h, 20000);
	assert_int_equal(h.pages_in_use, 1 + 5);
	assert_null(kheap_realloc(&h, big, 0, NULL));
	assert_int_equal(h.pages_in_use, 1);
	assert_int_equal(kheap_free(&h, keep), KHEAP_OK);
}

static void test_realloc_shrink(void **state)
{
	(void)state;
	int err = 99;
	uint8_t *p = kheap_alloc(&h, 100);
	fill(p, 100, 1);
	assert_ptr_equal(kheap_realloc(&h, p, 90, &err), p); /* same class: in place */
	assert_int_equal(kheap_usable_size(&h, p), 90);
	assert_int_equal(h.bytes_in_use, 90);
	p[90] ^= 1; /* the canary moved down with the size */
	assert_int_equal(kheap_free(&h, p), KHEAP_ERR_OVERRUN);
	p[90] ^= 1;
	uint8_t *q = kheap_realloc(&h, p, 10, &err); /* a smaller class: moves */
	assert_non_null(q);
	assert_ptr_not_equal(q, p);
	assert_int_equal(err, KHEAP_OK);
	expect_filled(q, 10, 1);
	assert_int_equal(h.bytes_in_use, 10);

	uint8_t *big = kheap_alloc(&h, 20000);
	fill(big, 20000, 2);
	assert_ptr_equal(kheap_realloc(&h, big, 19990, &err), big); /* same run */
	uint8_t *smaller = kheap_realloc(&h, big, 9000, &err);	    /* fewer pages: moves */
	assert_ptr_not_equal(smaller, big);
	expect_filled(smaller, 9000, 2);
	assert_int_equal(h.pages_in_use, 1 + 3);
	refuse = 1; /* a shrink that cannot move stays put and still succeeds */
	assert_ptr_equal(kheap_realloc(&h, smaller, 100, &err), smaller);
	assert_int_equal(err, KHEAP_OK);
	assert_int_equal(kheap_usable_size(&h, smaller), 100);
	expect_filled(smaller, 100, 2);
	refuse = 0;
	assert_int_equal(kheap_free(&h, smaller), KHEAP_OK);
	assert_int_equal(kheap_free(&h, q), KHEAP_OK);
}

static void test_realloc_grow_in_slot(void **state)
{
	(void)state;
	void *keep = kheap_alloc(&h, 20);
	uint8_t *p = kheap_alloc(&h, 20); /* a 64-byte slot: room for 40 */
	fill(p, 20, 3);
	assert_ptr_equal(kheap_realloc(&h, p, 40, NULL), p);
	expect_filled(p, 20, 3);
	assert_int_equal(kheap_usable_size(&h, p), 40);
	fill(p, 40, 4);
	p[40] ^= 1;
	assert_int_equal(kheap_free(&h, p), KHEAP_ERR_OVERRUN);
	p[40] ^= 1;
	uint8_t *q = kheap_realloc(&h, p, 41, NULL); /* past the slot: moves */
	assert_non_null(q);
	assert_ptr_not_equal(q, p);
	expect_filled(q, 40, 4);
	assert_int_equal(kheap_free(&h, p), KHEAP_ERR_DOUBLE_FREE); /* p went */

	uint8_t *big = kheap_alloc(&h, 5000); /* two pages: room for 8104 */
	fill(big, 5000, 5);
	assert_ptr_equal(kheap_realloc(&h, big, 8104, NULL), big);
	assert_int_equal(h.pages_in_use, 2 + 2);
	expect_filled(big, 5000, 5);
	uint8_t *bigger = kheap_realloc(&h, big, 8105, NULL);
	assert_ptr_not_equal(bigger, big);
	assert_int_equal(h.pages_in_use, 2 + 3);
	expect_filled(bigger, 5000, 5);
	assert_int_equal(kheap_free(&h, bigger), KHEAP_OK);
	assert_int_equal(kheap_free(&h, q), KHEAP_OK);
	assert_int_equal(kheap_free(&h, keep), KHEAP_OK);
}

/* Up through every class into page runs and back, contents kept. */
static void test_realloc_across(void **state)
{
	(void)state;
	static const size_t sizes[] = { 1,    8,    17,	  40,	 100,  200,  500, 1000, 2000, 2040,
					3000, 5000, 9000, 70000, 4000, 2000, 300, 20,	1 };
	size_t n = sizeof(sizes) / sizeof(sizes[0]), old = sizes[0];
	uint8_t *p = kheap_alloc(&h, old);
	fill(p, old, 0);
	for (size_t i = 1; i < n; i++) {
		int err = 99;
		uint8_t *q = kheap_realloc(&h, p, sizes[i], &err);
		assert_non_null(q);
		assert_int_equal(err, KHEAP_OK);
		expect_filled(q, old < sizes[i] ? old : sizes[i], (uint8_t)(i - 1));
		assert_int_equal(kheap_usable_size(&h, q), sizes[i]);
		assert_int_equal(h.bytes_in_use, sizes[i]);
		fill(q, sizes[i], (uint8_t)i);
		p = q;
		old = sizes[i];
	}
	assert_int_equal(h.pages_in_use, 1); /* back in a slab */
	assert_int_equal(kheap_free(&h, p), KHEAP_OK);
}

static void test_realloc_no_memory(void **state)
{
	(void)state;
	int err = 99;
	uint8_t *p = kheap_alloc(&h, 100), *big = kheap_alloc(&h, 9000);
	fill(p, 100, 6);
	fill(big, 9000, 7);
	size_t bytes = h.bytes_in_use, pages = h.pages_in_use;
	refuse = 1;
	assert_null(kheap_realloc(&h, p, 300, &err)); /* a new slab is refused */
	assert_int_equal(err, KHEAP_ERR_NO_MEMORY);
	assert_null(kheap_realloc(&h, p, 5000, &err)); /* a new run too */
	assert_int_equal(err, KHEAP_ERR_NO_MEMORY);
	assert_null(kheap_realloc(&h, big, 40000, &err));
	assert_int_equal(err, KHEAP_ERR_NO_MEMORY);
	assert_null(kheap_realloc(&h, big, SIZE_MAX, &err)); /* too large to ask */
	assert_int_equal(err, KHEAP_ERR_NO_MEMORY);
	assert_int_equal(h.bytes_in_use, bytes);
	assert_int_equal(h.pages_in_use, pages);
	assert_int_equal(kheap_usable_size(&h, p), 100);
	expect_filled(p, 100, 6);
	expect_filled(big, 9000, 7);
	refuse = 0;
	uint8_t *q = kheap_realloc(&h, p, 300, &err); /* and p still moves later */
	assert_non_null(q);
	expect_filled(q, 100, 6);
	assert_int_equal(kheap_free(&h, q), KHEAP_OK);
	assert_int_equal(kheap_free(&h, big), KHEAP_OK);
}

static void test_realloc_bad(void **state)
{
	(void)state;
	int err = 99;
	uint8_t *keep = kheap_alloc(&h, 50), *a = kheap_alloc(&h, 50), *b = kheap_alloc(&h, 50);
	fill(a, 50, 8);
	assert_null(kheap_realloc(&h, a + 8, 60, &err));
	assert_int_equal(err, KHEAP_ERR_BAD_POINTER);
	assert_null(kheap_realloc(&h, a + 8, 60, NULL));
	static uint8_t foreign[2 * KHEAP_PAGE] __attribute__((aligned(KHEAP_PAGE)));
	assert_null(kheap_realloc(&h, foreign + 128, 60, &err));
	assert_int_equal(err, KHEAP_ERR_BAD_POINTER);
	assert_int_equal(kheap_free(&h, b), KHEAP_OK);
	assert_null(kheap_realloc(&h, b, 60, &err));
	assert_int_equal(err, KHEAP_ERR_DOUBLE_FREE);
	assert_null(kheap_realloc(&h, b, 0, &err));
	assert_int_equal(err, KHEAP_ERR_DOUBLE_FREE);
	a[50] ^= 0xff;
	assert_null(kheap_realloc(&h, a, 60, &err));
	assert_int_equal(err, KHEAP_ERR_OVERRUN);
	assert_null(kheap_realloc(&h, a, 0, &err)); /* not freed either */
	assert_int_equal(err, KHEAP_ERR_OVERRUN);
	assert_int_equal(kheap_usable_size(&h, a), 0);
	assert_int_equal(h.bytes_in_use, 100);
	a[50] ^= 0xff;
	assert_int_equal(kheap_usable_size(&h, a), 50);
	expect_filled(a, 50, 8);
	uint8_t *big = kheap_alloc(&h, 9000);
	big[9000] ^= 1;
	assert_null(kheap_realloc(&h, big, 20000, &err));
	assert_int_equal(err, KHEAP_ERR_OVERRUN);
	big[9000] ^= 1;
	assert_int_equal(kheap_usable_size(&h, NULL), 0);
	assert_int_equal(kheap_usable_size(&h, a + 16), 0);
	assert_int_equal(kheap_usable_size(&h, b), 0);
	assert_int_equal(kheap_free(&h, big), KHEAP_OK);
	assert_int_equal(kheap_free(&h, a), KHEAP_OK);
	assert_int_equal(kheap_free(&h, keep), KHEAP_OK);
	assert_string_equal(kheap_strerror(KHEAP_ERR_NO_MEMORY), "out of memory");
}

#define NSIZES 8
static const size_t aligned_sizes[NSIZES] = { 0, 1, 24, 100, 1000, 2100, 5000, 9000 };

/* Every power of two 1 .. KHEAP_PAGE with several sizes, all live at once. */
static void test_aligned(void **state)
{
	(void)state;
	static uint8_t *ptrs[13][NSIZES];
	for (unsigned s = 0; s <= 12; s++) {
		size_t align = (size_t)1 << s;
		for (unsigned i = 0; i < NSIZES; i++) {
			uint8_t *p = kheap_aligned_alloc(&h, align, aligned_sizes[i]);
			assert_non_null(p);
			assert_int_equal((uintptr_t)p % align, 0);
			assert_int_equal((uintptr_t)p % 16, 0);
			assert_int_equal(kheap_usable_size(&h, p), aligned_sizes[i]);
			fill(p, aligned_sizes[i], (uint8_t)(s + i));
			ptrs[s][i] = p;
		}
	}
	for (unsigned s = 0; s <= 12; s++) {
		size_t align = (size_t)1 << s;
		for (unsigned i = 0; i < NSIZES; i++) {
			size_t size = aligned_sizes[i], grown = size * 2 + 1;
			expect_filled(ptrs[s][i], size, (uint8_t)(s + i));
			uint8_t *q = kheap_realloc(&h, ptrs[s][i], grown, NULL);
			assert_non_null(q);
			assert_int_equal((uintptr_t)q % align, 0); /* realloc keeps it */
			expect_filled(q, size, (uint8_t)(s + i));
			q[grown] ^= 1; /* still guarded by a canary */
			assert_int_equal(kheap_free(&h, q), KHEAP_ERR_OVERRUN);
			q[grown] ^= 1;
			ptrs[s][i] = q;
		}
	}
	for (unsigned s = 0; s <= 12; s++)
		for (unsigned i = 0; i < NSIZES; i++)
			assert_int_equal(kheap_free(&h, ptrs[s][i]), KHEAP_OK);
}

static void test_aligned_checks(void **state)
{
	(void)state;
	uint8_t *keep = kheap_aligned_alloc(&h, 64, 40);
	uint8_t *p = kheap_aligned_alloc(&h, 64, 40);
	assert_int_equal((uintptr_t)p % 64, 0);
	p[40] ^= 1;
	assert_int_equal(kheap_free(&h, p), KHEAP_ERR_OVERRUN);
	p[40] ^= 1;
	assert_int_equal(kheap_free(&h, p + 16), KHEAP_ERR_BAD_POINTER);
	assert_int_equal(kheap_free(&h, p - 16), KHEAP_ERR_BAD_POINTER);
	assert_int_equal(kheap_free(&h, p), KHEAP_OK);
	assert_int_equal(kheap_free(&h, p), KHEAP_ERR_DOUBLE_FREE);
	int err = 99;
	assert_null(kheap_realloc(&h, p, 10, &err));
	assert_int_equal(err, KHEAP_ERR_DOUBLE_FREE);
	uint8_t *plain = kheap_alloc(&h, 100); /* takes p's slot, naturally placed */
	assert_ptr_not_equal(plain, p);
	assert_int_equal(kheap_free(&h, p), KHEAP_ERR_BAD_POINTER);
	assert_int_equal(kheap_free(&h, plain), KHEAP_OK);

	uint8_t *page = kheap_aligned_alloc(&h, KHEAP_PAGE, 100); /* header in the page before */
	assert_int_equal((uintptr_t)page % KHEAP_PAGE, 0);
	page[100] ^= 1;
	assert_int_equal(kheap_free(&h, page), KHEAP_ERR_OVERRUN);
	page[100] ^= 1;
	assert_int_equal(kheap_free(&h, page + 16), KHEAP_ERR_BAD_POINTER);
	assert_int_equal(kheap_free(&h, page), KHEAP_OK);

	static const size_t bad[] = { 0, 3, 24, 100, 2 * KHEAP_PAGE, (size_t)1 << 40, SIZE_MAX };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(kheap_aligned_alloc(&h, bad[i], 16));
	assert_null(kheap_aligned_alloc(&h, KHEAP_PAGE, SIZE_MAX - 8));
	assert_int_equal(h.pages_in_use, 1);
	assert_int_equal(kheap_free(&h, keep), KHEAP_OK);
}

static void test_calloc_zeroes(void **state)
{
	(void)state;
	uint8_t *z = kheap_calloc(&h, 10, 100); /* from a junk-filled page */
	assert_non_null(z);
	assert_int_equal(kheap_usable_size(&h, z), 1000);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(z[i], 0);
	memset(z, 0xff, 1000);
	void *keep = kheap_alloc(&h, 1000);
	assert_int_equal(kheap_free(&h, z), KHEAP_OK);
	uint8_t *again = kheap_calloc(&h, 1000, 1); /* the dirty slot, reused */
	assert_ptr_equal(again, z);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(again[i], 0);
	size_t pages = h.pages_in_use;
	assert_null(kheap_calloc(&h, SIZE_MAX / 2 + 1, 2));
	assert_null(kheap_calloc(&h, 2, SIZE_MAX / 2 + 1));
	assert_null(kheap_calloc(&h, SIZE_MAX, SIZE_MAX));
	assert_null(kheap_calloc(&h, (size_t)1 << 32, (size_t)1 << 32)); /* wraps to 0 */
	assert_int_equal(h.pages_in_use, pages);
	void *none = kheap_calloc(&h, 0, SIZE_MAX);
	assert_non_null(none);
	assert_int_equal(kheap_free(&h, none), KHEAP_OK);
	assert_int_equal(kheap_free(&h, again), KHEAP_OK);
	assert_int_equal(kheap_free(&h, keep), KHEAP_OK);
}

int kheap_realloc_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_realloc_null, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realloc_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realloc_shrink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realloc_grow_in_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realloc_across, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realloc_no_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realloc_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aligned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aligned_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calloc_zeroes, setup, teardown),
	};
	return cmocka_run_group_tests_name("kheap-realloc", tests, NULL, NULL);
}
