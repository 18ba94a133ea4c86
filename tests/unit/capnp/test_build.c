/*
 * lib/capnp builder: build unit.capnp's `sample` by hand, read it back,
 * deep-copy a reference-encoded message, and run out of space at every
 * possible point. The built and copied messages are also written out so the
 * suite can decode them with the reference `capnp` tool.
 * Usage: test_build REFERENCE.bin OUT-BUILT.bin OUT-COPIED.bin
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/unit/capnp/capnp_test.h"

static const char *ref_path, *built_path, *copied_path;

static int build_sample(struct capnp_builder *b)
{
	struct capnp_bstruct root, inner, el;
	struct capnp_blist l, sub;
	int err;

#define TRY(x)                        \
	do {                          \
		if ((err = (x)) != 0) \
			return err;   \
	} while (0)
	TRY(capnp_builder_root(b, 2, 8, &root));
	capnp_bstruct_set_bool(&root, 0, true);
	capnp_bstruct_set_u8(&root, 1, (uint8_t)-5);
	capnp_bstruct_set_u16(&root, 2, 65535);
	capnp_bstruct_set_u32(&root, 4, (uint32_t)-123456);
	capnp_bstruct_set_u64(&root, 8, 0x0123456789abcdefull);
	TRY(capnp_bstruct_set_text(&root, 0, "hello", 5));
	TRY(capnp_bstruct_set_data(&root, 1, "\x00\xff\x10", 3));
	TRY(capnp_bstruct_init_struct(&root, 2, 1, 1, &inner));
	capnp_bstruct_set_u32(&inner, 0, 7);
	TRY(capnp_bstruct_set_text(&inner, 0, "in", 2));
	TRY(capnp_bstruct_init_struct_list(&root, 3, 3, 1, 1, &l));
	static const char *names[3] = { "x", NULL, "zz" };
	for (uint32_t i = 0; i < 3; i++) {
		TRY(capnp_blist_get_struct(&l, i, &el));
		capnp_bstruct_set_u32(&el, 0, i + 1);
		if (names[i])
			TRY(capnp_bstruct_set_text(&el, 0, names[i], (uint32_t)strlen(names[i])));
	}
	TRY(capnp_bstruct_init_list(&root, 4, CAPNP_ELEM_FOUR_BYTES, 3, &l));
	for (uint32_t i = 0; i < 3; i++)
		capnp_blist_set_u32(&l, i, 10 * (i + 1));
	TRY(capnp_bstruct_init_list(&root, 5, CAPNP_ELEM_BIT, 9, &l));
	static const bool bits[9] = { 1, 0, 1, 1, 0, 0, 0, 0, 1 };
	for (uint32_t i = 0; i < 9; i++)
		capnp_blist_set_bool(&l, i, bits[i]);
	TRY(capnp_bstruct_init_list(&root, 6, CAPNP_ELEM_POINTER, 3, &l));
	TRY(capnp_blist_set_text(&l, 0, "a", 1));
	TRY(capnp_blist_set_text(&l, 1, "", 0));
	TRY(capnp_blist_set_text(&l, 2, "ccc", 3));
	TRY(capnp_bstruct_init_list(&root, 7, CAPNP_ELEM_POINTER, 3, &l));
	TRY(capnp_blist_init_list(&l, 0, CAPNP_ELEM_TWO_BYTES, 2, &sub));
	capnp_blist_set_u16(&sub, 0, 1);
	capnp_blist_set_u16(&sub, 1, 2);
	TRY(capnp_blist_init_list(&l, 1, CAPNP_ELEM_TWO_BYTES, 0, &sub));
	TRY(capnp_blist_init_list(&l, 2, CAPNP_ELEM_TWO_BYTES, 1, &sub));
	capnp_blist_set_u16(&sub, 0, 3);
#undef TRY
	return CAPNP_OK;
}

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

static void test_build_and_read_back(void **state)
{
	(void)state;
	static uint64_t buf[512];
	static struct test_msg t;
	struct capnp_builder b;
	struct capnp_struct root;
	struct capnp_text text;

	assert_int_equal(capnp_builder_init(&b, buf, sizeof(buf)), CAPNP_OK);
	assert_int_equal(build_sample(&b), CAPNP_OK);
	size_t len = capnp_builder_finish(&b);
	memcpy(t.buf, buf, len);
	t.len = len;
	assert_int_equal(capnp_msg_init(&t.msg, t.buf, len, t.segs, TEST_MAX_SEGS, NULL), CAPNP_OK);
	assert_int_equal(capnp_msg_root_struct(&t.msg, &root), CAPNP_OK);
	assert_int_equal((int32_t)capnp_struct_u32(&root, 4), -123456);
	assert_int_equal(capnp_struct_get_text(&root, 0, &text), CAPNP_OK);
	assert_string_equal(text.str, "hello");
	write_file(built_path, buf, len);
}

static void test_out_of_space_everywhere(void **state)
{
	(void)state;
	static uint64_t buf[512];
	struct capnp_builder b;
	size_t full;

	assert_int_equal(capnp_builder_init(&b, buf, sizeof(buf)), CAPNP_OK);
	assert_int_equal(build_sample(&b), CAPNP_OK);
	full = b.used;
	assert_int_equal(capnp_builder_init(&b, buf, 8), CAPNP_ERR_NO_SPACE);
	for (size_t words = 2; words < full; words++) {
		assert_int_equal(capnp_builder_init(&b, buf, words * 8), CAPNP_OK);
		assert_int_equal(build_sample(&b), CAPNP_ERR_NO_SPACE);
		assert_true(b.used <= words);
		/* What was built before the failure is still a valid message. */
		static struct test_msg t;
		size_t len = capnp_builder_finish(&b);
		memcpy(t.buf, buf, len);
		assert_int_equal(capnp_msg_init(&t.msg, t.buf, len, t.segs, 4, NULL), CAPNP_OK);
		struct capnp_struct root;
		int err = capnp_msg_root_struct(&t.msg, &root);
		assert_true(err == CAPNP_OK || err == CAPNP_NULL);
	}
}

static void test_deep_copy(void **state)
{
	(void)state;
	static struct test_msg src;
	static uint64_t buf[1024];
	struct capnp_builder b;
	struct capnp_bstruct holder;
	struct capnp_ptr root;

	assert_int_equal(test_load(&src, ref_path), CAPNP_OK);
	assert_int_equal(capnp_msg_root(&src.msg, &root), CAPNP_OK);
	assert_int_equal(capnp_builder_init(&b, buf, sizeof(buf)), CAPNP_OK);
	/* Copy into the root slot itself through a one-pointer holder trick:
	 * the root pointer is word 1 of the buffer. */
	holder = (struct capnp_bstruct){ &b, NULL, 0, &buf[1], 1 };
	assert_int_equal(capnp_bstruct_set_ptr(&holder, 0, &root), CAPNP_OK);
	size_t len = capnp_builder_finish(&b);
	write_file(copied_path, buf, len);

	/* Too little room: the slot and the allocation mark come back. */
	uint64_t small[24];
	assert_int_equal(capnp_builder_init(&b, small, sizeof(small)), CAPNP_OK);
	holder = (struct capnp_bstruct){ &b, NULL, 0, &small[1], 1 };
	src.msg.traversal_left = CAPNP_DEFAULT_TRAVERSAL_LIMIT_WORDS;
	assert_int_equal(capnp_msg_root(&src.msg, &root), CAPNP_OK);
	assert_int_equal(capnp_bstruct_set_ptr(&holder, 0, &root), CAPNP_ERR_NO_SPACE);
	assert_int_equal(small[1], 0);
	assert_int_equal(b.used, 2);
}

static void test_nowhere_struct(void **state)
{
	(void)state;
	struct capnp_bstruct none = { 0 };
	struct capnp_bstruct out;
	struct capnp_blist l;

	capnp_bstruct_set_u64(&none, 0, 1); /* no effect, no crash */
	assert_int_equal(capnp_bstruct_init_struct(&none, 0, 1, 0, &out), CAPNP_ERR_ARGUMENT);
	assert_int_equal(capnp_bstruct_init_list(&none, 0, CAPNP_ELEM_BYTE, 1, &l),
			 CAPNP_ERR_ARGUMENT);
	assert_int_equal(capnp_bstruct_set_text(&none, 0, "x", 1), CAPNP_ERR_ARGUMENT);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s REF.bin BUILT.bin COPIED.bin\n", argv[0]);
		return 2;
	}
	ref_path = argv[1];
	built_path = argv[2];
	copied_path = argv[3];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_and_read_back),
		cmocka_unit_test(test_out_of_space_everywhere),
		cmocka_unit_test(test_deep_copy),
		cmocka_unit_test(test_nowhere_struct),
	};
	return cmocka_run_group_tests_name("capnp-build", tests, NULL, NULL);
}
