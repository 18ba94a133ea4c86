/*
 * Host tests of lib/kheap over aligned host pages: many sizes, reuse, large
 * objects, and the detections: double free, overrun, foreign pointers. The
 * suite's second group, realloc and friends, is test_kheap_realloc.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/kheap/kheap.h"

int kheap_realloc_tests(void); /* test_kheap_realloc.c */

static size_t pages_out;

static void *page_alloc(void *ctx, size_t pages)
{
	(void)ctx;
	void *p = aligned_alloc(KHEAP_PAGE, pages * KHEAP_PAGE);
	if (p)
		pages_out += pages;
	return p;
}

static void page_free(void *ctx, void *p, size_t pages)
{
	(void)ctx;
	pages_out -= pages;
	free(p);
}

static struct kheap h;
static const struct kheap_ops ops = { page_alloc, page_free, NULL };

static int setup(void **state)
{
	(void)state;
	kheap_init(&h, &ops);
	return 0;
}

static void test_sizes(void **state)
{
	(void)state;
	static void *ptrs[512];
	for (size_t i = 0; i < 512; i++) {
		size_t size = 1 + (i * 37) % 6000;
		ptrs[i] = kheap_alloc(&h, size);
		assert_non_null(ptrs[i]);
		assert_int_equal((uintptr_t)ptrs[i] % 8, 0);
		memset(ptrs[i], (int)i, size);
	}
	for (size_t i = 0; i < 512; i++) {
		size_t size = 1 + (i * 37) % 6000;
		assert_int_equal(((uint8_t *)ptrs[i])[size - 1], (uint8_t)i);
		assert_int_equal(kheap_free(&h, ptrs[i]), KHEAP_OK);
	}
	assert_int_equal(h.bytes_in_use, 0);
}

static void test_reuse(void **state)
{
	(void)state;
	void *keep = kheap_alloc(&h, 100), *a = kheap_alloc(&h, 100);
	assert_int_equal(kheap_free(&h, a), KHEAP_OK);
	void *b = kheap_alloc(&h, 100);
	assert_ptr_equal(a, b);
	assert_int_equal(kheap_free(&h, b), KHEAP_OK);
	assert_int_equal(kheap_free(&h, keep), KHEAP_OK);
	assert_int_equal(h.pages_in_use, 0); /* the empty slab went back */
	char *z = kheap_zalloc(&h, 64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(z[i], 0);
	assert_int_equal(kheap_free(&h, z), KHEAP_OK);
	assert_int_equal(kheap_free(&h, NULL), KHEAP_OK);
}

static void test_large(void **state)
{
	(void)state;
	size_t before = pages_out;
	uint8_t *p = kheap_alloc(&h, 20000);
	assert_non_null(p);
	assert_true(pages_out >= before + 5);
	memset(p, 1, 20000);
	assert_int_equal(kheap_free(&h, p), KHEAP_OK);
	assert_int_equal(pages_out, before);
}

static void test_double_free(void **state)
{
	(void)state;
	void *a = kheap_alloc(&h, 40), *keep = kheap_alloc(&h, 40);
	assert_int_equal(kheap_free(&h, a), KHEAP_OK);
	assert_int_equal(kheap_free(&h, a), KHEAP_ERR_DOUBLE_FREE);
	assert_int_equal(kheap_free(&h, keep), KHEAP_OK);
}

static void test_overrun(void **state)
{
	(void)state;
	uint8_t *a = kheap_alloc(&h, 30);
	uint8_t saved = a[30];
	a[30] = (uint8_t)~saved; /* one byte past the end */
	assert_int_equal(kheap_free(&h, a), KHEAP_ERR_OVERRUN);
	a[30] = saved;
	assert_int_equal(kheap_free(&h, a), KHEAP_OK);
	uint8_t *big = kheap_alloc(&h, 9000);
	big[9000 + 7] ^= 1;
	assert_int_equal(kheap_free(&h, big), KHEAP_ERR_OVERRUN);
	big[9000 + 7] ^= 1;
	assert_int_equal(kheap_free(&h, big), KHEAP_OK);
}

static void test_bad_pointers(void **state)
{
	(void)state;
	uint8_t *a = kheap_alloc(&h, 50);
	assert_int_equal(kheap_free(&h, a + 8), KHEAP_ERR_BAD_POINTER);
	static uint8_t foreign[2 * KHEAP_PAGE] __attribute__((aligned(KHEAP_PAGE)));
	assert_int_equal(kheap_free(&h, foreign + 128), KHEAP_ERR_BAD_POINTER);
	assert_int_equal(kheap_free(&h, a), KHEAP_OK);
	assert_null(kheap_alloc(&h, SIZE_MAX));
	assert_string_equal(kheap_strerror(KHEAP_ERR_OVERRUN), "write past the end of an object");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_sizes, setup),
		cmocka_unit_test_setup(test_reuse, setup),
		cmocka_unit_test_setup(test_large, setup),
		cmocka_unit_test_setup(test_double_free, setup),
		cmocka_unit_test_setup(test_overrun, setup),
		cmocka_unit_test_setup(test_bad_pointers, setup),
	};
	int failed = cmocka_run_group_tests_name("kheap", tests, NULL, NULL);
	return failed + kheap_realloc_tests();
}
