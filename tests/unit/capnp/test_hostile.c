/*
 * lib/capnp against hostile input: every malformed encoding gets its own
 * defined error, and nothing is read out of bounds (the suite runs under
 * AddressSanitizer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/unit/capnp/capnp_test.h"

static struct test_msg t;

static void test_truncated_framing(void **state)
{
	(void)state;
	static uint64_t buf[4];
	struct capnp_seg segs[4];
	struct capnp_msg m;

	assert_int_equal(capnp_msg_init(&m, buf, 4, segs, 4, NULL), CAPNP_ERR_TRUNCATED);
	/* One segment of 3 words, but only 2 present. */
	buf[0] = 3ull << 32;
	assert_int_equal(capnp_msg_init(&m, buf, 24, segs, 4, NULL), CAPNP_ERR_TRUNCATED);
	/* Sizes that run past the end through overflow-prone arithmetic. */
	buf[0] = 0xffffffffull << 32;
	assert_int_equal(capnp_msg_init(&m, buf, 32, segs, 4, NULL), CAPNP_ERR_TRUNCATED);
	/* Two segments: the table itself is longer than the buffer. */
	buf[0] = 1;
	assert_int_equal(capnp_msg_init(&m, buf, 8, segs, 4, NULL), CAPNP_ERR_TRUNCATED);
	/* Misaligned buffers are refused. */
	assert_int_equal(capnp_msg_init(&m, (uint8_t *)buf + 1, 16, segs, 4, NULL),
			 CAPNP_ERR_ARGUMENT);
}

static void test_segment_count(void **state)
{
	(void)state;
	static uint64_t buf[8];
	struct capnp_seg segs[4];
	struct capnp_msg m;

	buf[0] = 4; /* 5 segments, room for 4 */
	assert_int_equal(capnp_msg_init(&m, buf, sizeof(buf), segs, 4, NULL),
			 CAPNP_ERR_SEGMENT_TABLE);
	buf[0] = 0xffffffffu; /* 2^32 segments */
	assert_int_equal(capnp_msg_init(&m, buf, sizeof(buf), segs, 4, NULL),
			 CAPNP_ERR_SEGMENT_TABLE);
}

static void test_empty_segment_root(void **state)
{
	(void)state;
	struct capnp_ptr p;
	assert_int_equal(test_words(&t, NULL, 0), CAPNP_OK);
	assert_int_equal(capnp_msg_root(&t.msg, &p), CAPNP_ERR_OUT_OF_BOUNDS);
}

static void test_pointer_out_of_bounds(void **state)
{
	(void)state;
	struct capnp_struct s;
	struct capnp_list l;

	uint64_t past[] = { w_struct(0, 2, 0), 0 }; /* needs 2 words, has 1 */
	assert_int_equal(test_words(&t, past, 2), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_ERR_OUT_OF_BOUNDS);
	uint64_t before[] = { w_struct(-2, 1, 0) };
	assert_int_equal(test_words(&t, before, 1), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_ERR_OUT_OF_BOUNDS);
	uint64_t huge[] = { w_struct(0x1fffffff, 0xffff, 0xffff) };
	assert_int_equal(test_words(&t, huge, 1), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_ERR_OUT_OF_BOUNDS);
	/* A list of 2^29-1 eight-byte elements in a 2-word message. */
	uint64_t list[] = { w_struct(0, 0, 1), w_list(0, CAPNP_ELEM_EIGHT_BYTES, 0x1fffffff) };
	assert_int_equal(test_words(&t, list, 2), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_get_list(&s, 0, CAPNP_ELEM_EIGHT_BYTES, &l),
			 CAPNP_ERR_OUT_OF_BOUNDS);
}

static void test_far_pointers(void **state)
{
	(void)state;
	struct capnp_struct s;

	uint64_t noseg[] = { w_far(1, 0, 0) };
	assert_int_equal(test_words(&t, noseg, 1), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_ERR_FAR_POINTER);
	uint64_t padpast[] = { w_far(0, 5, 0) };
	assert_int_equal(test_words(&t, padpast, 1), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_ERR_FAR_POINTER);
	/* A single-far landing on a far pointer (here: on itself — a loop). */
	uint64_t loop[] = { w_far(0, 0, 0) };
	assert_int_equal(test_words(&t, loop, 1), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_ERR_FAR_POINTER);
	uint64_t chain[] = { w_far(0, 1, 0), w_far(0, 0, 0) };
	assert_int_equal(test_words(&t, chain, 2), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_ERR_FAR_POINTER);
	/* Double-far whose first pad word is not a far pointer. */
	uint64_t bad2[] = { w_far(0, 1, 1), w_struct(0, 1, 0), w_struct(0, 1, 0), 7 };
	assert_int_equal(test_words(&t, bad2, 4), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_ERR_FAR_POINTER);
	/* Double-far whose tag has a non-zero offset. */
	uint64_t bad3[] = { w_far(0, 1, 1), w_far(0, 3, 0), w_struct(5, 1, 0), 7 };
	assert_int_equal(test_words(&t, bad3, 4), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_ERR_FAR_POINTER);
	/* A well-formed double-far reads fine. */
	uint64_t good[] = { w_far(0, 1, 1), w_far(0, 3, 0), w_struct(0, 1, 0), 42 };
	assert_int_equal(test_words(&t, good, 4), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_u64(&s, 0), 42);
}

static void test_nesting_limit(void **state)
{
	(void)state;
	/* A chain: each struct's one pointer points at the next (offset 0). */
	static uint64_t chain[70];
	struct capnp_struct s;
	int err = CAPNP_OK;
	unsigned depth = 0;

	for (unsigned i = 0; i < 69; i++)
		chain[i] = w_struct(0, 0, 1);
	chain[69] = 0;
	assert_int_equal(test_words(&t, chain, 70), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	while ((err = capnp_struct_get_struct(&s, 0, &s)) == CAPNP_OK)
		depth++;
	assert_int_equal(err, CAPNP_ERR_NESTING_LIMIT);
	assert_int_equal(depth, CAPNP_DEFAULT_NESTING_LIMIT);
}

static void test_list_amplification(void **state)
{
	(void)state;
	struct capnp_struct s;
	struct capnp_list l;

	/* 2^28 zero-sized structs: a 1-word tag claims them all. */
	uint64_t amp[] = { w_struct(0, 0, 1), w_list(0, CAPNP_ELEM_COMPOSITE, 0),
			   w_struct(1 << 28, 0, 0) };
	assert_int_equal(test_words(&t, amp, 3), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_get_list(&s, 0, CAPNP_ELEM_COMPOSITE, &l),
			 CAPNP_ERR_TRAVERSAL_LIMIT);
	/* The same with a void list. */
	uint64_t voids[] = { w_struct(0, 0, 1), w_list(0, CAPNP_ELEM_VOID, 0x1fffffff) };
	assert_int_equal(test_words(&t, voids, 2), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_get_list(&s, 0, CAPNP_ELEM_VOID, &l),
			 CAPNP_ERR_TRAVERSAL_LIMIT);
}

static void test_traversal_budget(void **state)
{
	(void)state;
	struct capnp_struct s, c;
	uint64_t words[] = { w_struct(0, 0, 1), w_struct(0, 4, 0), 0, 0, 0, 0 };
	unsigned reads = 0;
	int err;

	assert_int_equal(test_words(&t, words, 6), CAPNP_OK);
	t.msg.traversal_left = 100;
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	while ((err = capnp_struct_get_struct(&s, 0, &c)) == CAPNP_OK)
		reads++;
	assert_int_equal(err, CAPNP_ERR_TRAVERSAL_LIMIT);
	assert_int_equal(reads, (100 - 1) / 4);
}

static void test_text_rules(void **state)
{
	(void)state;
	struct capnp_struct s;
	struct capnp_text txt;

	uint64_t nonul[] = { w_struct(0, 0, 1), w_list(0, CAPNP_ELEM_BYTE, 3), 0x636261 };
	assert_int_equal(test_words(&t, nonul, 3), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_get_text(&s, 0, &txt), CAPNP_ERR_TEXT_NUL);
	assert_string_equal(txt.str, "");
	uint64_t empty[] = { w_struct(0, 0, 1), w_list(0, CAPNP_ELEM_BYTE, 0) };
	assert_int_equal(test_words(&t, empty, 2), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_get_text(&s, 0, &txt), CAPNP_ERR_TEXT_NUL);
	uint64_t ok[] = { w_struct(0, 0, 1), w_list(0, CAPNP_ELEM_BYTE, 4), 0x00636261 };
	assert_int_equal(test_words(&t, ok, 3), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_get_text(&s, 0, &txt), CAPNP_OK);
	assert_string_equal(txt.str, "abc");
	/* A 16-bit list is neither text nor data. */
	uint64_t wide[] = { w_struct(0, 0, 1), w_list(0, CAPNP_ELEM_TWO_BYTES, 2), 0x61 };
	assert_int_equal(test_words(&t, wide, 3), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_get_text(&s, 0, &txt), CAPNP_ERR_ELEMENT_SIZE);
	struct capnp_data d;
	assert_int_equal(capnp_struct_get_data(&s, 0, &d), CAPNP_ERR_ELEMENT_SIZE);
}

static void test_reserved_and_caps(void **state)
{
	(void)state;
	struct capnp_struct s;
	struct capnp_ptr p;
	uint32_t cap;

	uint64_t reserved[] = { w_struct(0, 0, 1), 3 | (1u << 2) };
	assert_int_equal(test_words(&t, reserved, 2), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_ptr(&s, 0, &p), CAPNP_ERR_RESERVED);
	uint64_t capptr[] = { w_struct(0, 0, 1), 3 | (9ull << 32) };
	assert_int_equal(test_words(&t, capptr, 2), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_get_cap(&s, 0, &cap), CAPNP_OK);
	assert_int_equal(cap, 9);
	struct capnp_struct c;
	assert_int_equal(capnp_struct_get_struct(&s, 0, &c), CAPNP_ERR_POINTER_KIND);
}

static void test_composite_tag_lies(void **state)
{
	(void)state;
	struct capnp_struct s;
	struct capnp_list l;

	/* Tag claims 3 elements of 2 words in a 4-word list. */
	uint64_t lie[] = {
		w_struct(0, 0, 1), w_list(0, CAPNP_ELEM_COMPOSITE, 4), w_struct(3, 2, 0), 0, 0, 0, 0
	};
	assert_int_equal(test_words(&t, lie, 7), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_get_list(&s, 0, CAPNP_ELEM_COMPOSITE, &l),
			 CAPNP_ERR_OUT_OF_BOUNDS);
	/* A tag that is not a struct pointer. */
	uint64_t badtag[] = { w_struct(0, 0, 1), w_list(0, CAPNP_ELEM_COMPOSITE, 1),
			      w_list(1, 2, 0), 0 };
	assert_int_equal(test_words(&t, badtag, 4), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &s), CAPNP_OK);
	assert_int_equal(capnp_struct_get_list(&s, 0, CAPNP_ELEM_COMPOSITE, &l),
			 CAPNP_ERR_POINTER_KIND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated_framing),
		cmocka_unit_test(test_segment_count),
		cmocka_unit_test(test_empty_segment_root),
		cmocka_unit_test(test_pointer_out_of_bounds),
		cmocka_unit_test(test_far_pointers),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_list_amplification),
		cmocka_unit_test(test_traversal_budget),
		cmocka_unit_test(test_text_rules),
		cmocka_unit_test(test_reserved_and_caps),
		cmocka_unit_test(test_composite_tag_lies),
	};
	return cmocka_run_group_tests_name("capnp-hostile", tests, NULL, NULL);
}
