/*
 * Host tests of lib/capset: building a page, lookup with and without the
 * interface check, every error, and lookups on corrupt pages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/capset/capset.h"

static _Alignas(4096) uint8_t page[CAPSET_PAGE_SIZE];

static int setup(void **state)
{
	(void)state;
	memset(page, 0xa5, sizeof(page));
	capset_init(page);
	return 0;
}

static void test_add_find(void **state)
{
	(void)state;
	const struct capset_entry *e;

	assert_int_equal(capset_add(page, "console", 7, 0x01000002, 0x1111), CAPSET_OK);
	assert_int_equal(capset_add(page, "timer", 5, 3, 0x2222), CAPSET_OK);
	assert_int_equal(capset_find(page, "timer", 5, 0x2222, &e), CAPSET_OK);
	assert_int_equal(e->cap_id, 3);
	assert_int_equal(capset_find(page, "console", 7, 0, &e), CAPSET_OK);
	assert_int_equal(e->cap_id, 0x01000002);
	assert_int_equal(((struct capset_header *)page)->count, 2);
	/* Manifest order is kept. */
	assert_memory_equal(((struct capset_entry *)(page + 16))->name, "console", 7);
}

static void test_errors(void **state)
{
	(void)state;
	char longname[CAPSET_NAME_MAX + 1];

	memset(longname, 'x', sizeof(longname));
	assert_int_equal(capset_add(page, "", 0, 1, 1), CAPSET_ERR_NAME);
	assert_int_equal(capset_add(page, longname, CAPSET_NAME_MAX + 1, 1, 1), CAPSET_ERR_NAME);
	assert_int_equal(capset_add(page, longname, CAPSET_NAME_MAX, 1, 1), CAPSET_OK);
	assert_int_equal(capset_add(page, longname, CAPSET_NAME_MAX, 2, 1), CAPSET_ERR_DUPLICATE);
	assert_int_equal(capset_find(page, "nope", 4, 0, NULL), CAPSET_ERR_NOT_FOUND);
	assert_int_equal(capset_find(page, longname, CAPSET_NAME_MAX, 2, NULL),
			 CAPSET_ERR_INTERFACE);
	/* A prefix is not a match. */
	assert_int_equal(capset_find(page, longname, 5, 0, NULL), CAPSET_ERR_NOT_FOUND);
}

static void test_full(void **state)
{
	(void)state;
	char name[16];

	for (unsigned i = 0; i < CAPSET_MAX_ENTRIES; i++) {
		int n = snprintf(name, sizeof(name), "cap%u", i);
		assert_int_equal(capset_add(page, name, (uint32_t)n, i, 1), CAPSET_OK);
	}
	assert_int_equal(capset_add(page, "more", 4, 1, 1), CAPSET_ERR_FULL);
	assert_int_equal(capset_find(page, "cap84", 5, 1, NULL), CAPSET_OK);
}

static void test_corrupt_pages(void **state)
{
	(void)state;
	struct capset_header *h = (struct capset_header *)page;

	assert_int_equal(capset_add(page, "a", 1, 1, 1), CAPSET_OK);
	h->count = CAPSET_MAX_ENTRIES + 1;
	assert_int_equal(capset_find(page, "a", 1, 0, NULL), CAPSET_ERR_CORRUPT);
	h->count = 1;
	h->magic = 0;
	assert_int_equal(capset_find(page, "a", 1, 0, NULL), CAPSET_ERR_CORRUPT);
	h->magic = CAPSET_MAGIC;
	h->version = 2;
	assert_int_equal(capset_find(page, "a", 1, 0, NULL), CAPSET_ERR_CORRUPT);
	h->version = CAPSET_VERSION;
	/* An entry claiming a name longer than its field is skipped, not read past. */
	((struct capset_entry *)(page + 16))->name_len = 1000;
	assert_int_equal(capset_find(page, "a", 1, 0, NULL), CAPSET_ERR_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_find, setup),
		cmocka_unit_test_setup(test_errors, setup),
		cmocka_unit_test_setup(test_full, setup),
		cmocka_unit_test_setup(test_corrupt_pages, setup),
	};
	return cmocka_run_group_tests_name("capset", tests, NULL, NULL);
}
