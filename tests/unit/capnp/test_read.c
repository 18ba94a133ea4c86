/*
 * lib/capnp reader against messages encoded by the reference `capnp` tool:
 * the unit.capnp `sample` constant as one segment and split into many
 * segments (far and double-far pointers), every field read back.
 * Usage: test_read SINGLE.bin MULTI.bin
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/unit/capnp/capnp_test.h"

static const char *paths[2];

/* Outer layout (capnp compile -ocapnp): data 3 words, 8 pointers. */
enum {
	O_FLAG_BIT = 0,
	O_I8 = 1,
	O_U16 = 2,
	O_I32 = 4,
	O_U64 = 8
};
enum {
	P_TEXT,
	P_DATA,
	P_INNER,
	P_INNERS,
	P_NUMS,
	P_BOOLS,
	P_TEXTS,
	P_NESTED
};

static void check_text(const struct capnp_list *l, uint32_t i, const char *want)
{
	struct capnp_text t;
	assert_int_equal(capnp_list_get_text(l, i, &t), CAPNP_OK);
	assert_int_equal(t.len, strlen(want));
	assert_string_equal(t.str, want);
}

static void check_sample(struct capnp_msg *m)
{
	struct capnp_struct root, inner;
	struct capnp_text text;
	struct capnp_data data;
	struct capnp_list l, sub;

	assert_int_equal(capnp_msg_root_struct(m, &root), CAPNP_OK);
	assert_true(capnp_struct_bool(&root, O_FLAG_BIT));
	assert_int_equal((int8_t)capnp_struct_u8(&root, O_I8), -5);
	assert_int_equal(capnp_struct_u16(&root, O_U16), 65535);
	assert_int_equal((int32_t)capnp_struct_u32(&root, O_I32), -123456);
	assert_true(capnp_struct_u64(&root, O_U64) == 0x0123456789abcdefull);
	/* Past the data section: zero, never an out-of-bounds read. */
	assert_int_equal(capnp_struct_u64(&root, 4096), 0);

	assert_int_equal(capnp_struct_get_text(&root, P_TEXT, &text), CAPNP_OK);
	assert_string_equal(text.str, "hello");
	assert_int_equal(capnp_struct_get_data(&root, P_DATA, &data), CAPNP_OK);
	assert_int_equal(data.len, 3);
	assert_memory_equal(data.ptr, "\x00\xff\x10", 3);

	assert_int_equal(capnp_struct_get_struct(&root, P_INNER, &inner), CAPNP_OK);
	assert_int_equal(capnp_struct_u32(&inner, 0), 7);
	assert_int_equal(capnp_struct_get_text(&inner, 0, &text), CAPNP_OK);
	assert_string_equal(text.str, "in");

	assert_int_equal(capnp_struct_get_list(&root, P_INNERS, CAPNP_ELEM_COMPOSITE, &l),
			 CAPNP_OK);
	assert_int_equal(l.count, 3);
	assert_int_equal(capnp_list_get_struct(&l, 1, &inner), CAPNP_OK);
	assert_int_equal(capnp_struct_u32(&inner, 0), 2);
	assert_int_equal(capnp_struct_get_text(&inner, 0, &text), CAPNP_NULL);
	assert_string_equal(text.str, "");
	assert_int_equal(capnp_list_get_struct(&l, 2, &inner), CAPNP_OK);
	assert_int_equal(capnp_struct_get_text(&inner, 0, &text), CAPNP_OK);
	assert_string_equal(text.str, "zz");
	assert_int_equal(capnp_list_get_struct(&l, 3, &inner), CAPNP_ERR_INDEX);

	assert_int_equal(capnp_struct_get_list(&root, P_NUMS, CAPNP_ELEM_FOUR_BYTES, &l), CAPNP_OK);
	assert_int_equal(l.count, 3);
	assert_int_equal(capnp_list_u32(&l, 0), 10);
	assert_int_equal(capnp_list_u32(&l, 2), 30);
	assert_int_equal(capnp_list_u32(&l, 3), 0);

	assert_int_equal(capnp_struct_get_list(&root, P_BOOLS, CAPNP_ELEM_BIT, &l), CAPNP_OK);
	assert_int_equal(l.count, 9);
	static const bool want[9] = { 1, 0, 1, 1, 0, 0, 0, 0, 1 };
	for (uint32_t i = 0; i < 9; i++)
		assert_int_equal(capnp_list_bool(&l, i), want[i]);

	assert_int_equal(capnp_struct_get_list(&root, P_TEXTS, CAPNP_ELEM_POINTER, &l), CAPNP_OK);
	check_text(&l, 0, "a");
	check_text(&l, 1, "");
	check_text(&l, 2, "ccc");

	assert_int_equal(capnp_struct_get_list(&root, P_NESTED, CAPNP_ELEM_POINTER, &l), CAPNP_OK);
	assert_int_equal(l.count, 3);
	assert_int_equal(capnp_list_get_list(&l, 0, CAPNP_ELEM_TWO_BYTES, &sub), CAPNP_OK);
	assert_int_equal(sub.count, 2);
	assert_int_equal(capnp_list_u16(&sub, 1), 2);
	assert_int_equal(capnp_list_get_list(&l, 1, CAPNP_ELEM_TWO_BYTES, &sub), CAPNP_OK);
	assert_int_equal(sub.count, 0);
	assert_int_equal(capnp_list_get_list(&l, 2, CAPNP_ELEM_TWO_BYTES, &sub), CAPNP_OK);
	assert_int_equal(capnp_list_u16(&sub, 0), 3);
}

static void test_single_segment(void **state)
{
	(void)state;
	static struct test_msg t;
	assert_int_equal(test_load(&t, paths[0]), CAPNP_OK);
	assert_int_equal(t.msg.nsegs, 1);
	check_sample(&t.msg);
}

static void test_multi_segment(void **state)
{
	(void)state;
	static struct test_msg t;
	assert_int_equal(test_load(&t, paths[1]), CAPNP_OK);
	assert_true(t.msg.nsegs > 4);
	check_sample(&t.msg);
}

static void test_stream_length(void **state)
{
	(void)state;
	static struct test_msg t;
	size_t used = 0;
	assert_int_equal(test_load(&t, paths[1]), CAPNP_OK);
	assert_int_equal(capnp_msg_init(&t.msg, t.buf, t.len, t.segs, TEST_MAX_SEGS, &used),
			 CAPNP_OK);
	assert_int_equal(used, t.len);
}

static void test_schema_evolution(void **state)
{
	(void)state;
	static struct test_msg t;
	struct capnp_struct root, el;
	struct capnp_list l;

	assert_int_equal(test_load(&t, paths[0]), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &root), CAPNP_OK);
	/* A newer reader's extra pointer fields read as null. */
	struct capnp_ptr p;
	assert_int_equal(capnp_struct_ptr(&root, 40, &p), CAPNP_NULL);
	/* List(UInt32) upgraded to List(struct): element data is the number. */
	assert_int_equal(capnp_struct_get_list(&root, P_NUMS, CAPNP_ELEM_COMPOSITE, &l), CAPNP_OK);
	assert_int_equal(capnp_list_get_struct(&l, 1, &el), CAPNP_OK);
	assert_int_equal(capnp_struct_u32(&el, 0), 20);
	assert_int_equal(capnp_struct_u32(&el, 4), 0);
	/* List(struct) read as List(UInt32): the first field of each. */
	assert_int_equal(capnp_struct_get_list(&root, P_INNERS, CAPNP_ELEM_FOUR_BYTES, &l),
			 CAPNP_OK);
	assert_int_equal(capnp_list_u32(&l, 2), 3);
	/* ... but not as List(Bool), and List(UInt32) is not List(Text). */
	assert_int_equal(capnp_struct_get_list(&root, P_INNERS, CAPNP_ELEM_BIT, &l),
			 CAPNP_ERR_ELEMENT_SIZE);
	assert_int_equal(capnp_struct_get_list(&root, P_NUMS, CAPNP_ELEM_POINTER, &l),
			 CAPNP_ERR_ELEMENT_SIZE);
	assert_int_equal(capnp_struct_get_text(&root, P_NUMS, &(struct capnp_text){ 0 }),
			 CAPNP_ERR_ELEMENT_SIZE);
	assert_int_equal(capnp_struct_get_struct(&root, P_NUMS, &el), CAPNP_ERR_POINTER_KIND);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s SINGLE.bin MULTI.bin\n", argv[0]);
		return 2;
	}
	paths[0] = argv[1];
	paths[1] = argv[2];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_segment),
		cmocka_unit_test(test_multi_segment),
		cmocka_unit_test(test_stream_length),
		cmocka_unit_test(test_schema_evolution),
	};
	return cmocka_run_group_tests_name("capnp-read", tests, NULL, NULL);
}
