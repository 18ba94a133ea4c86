/*
 * Conformance (a): messages encoded by the reference capnp tool, read back
 * through the C generated from conformance.capnp. Every message is checked
 * as one segment and in each re-framed variant (far and double-far
 * pointers). Expected values are written out here, from the messages/ files.
 * Usage: test_conf_read CORPUSDIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <cmocka.h>

#include "tests/capnp/conf_test.h"

static const char *dir;
static struct conf_msg m;
static const char *const variants[] = { "", ".seg1", ".seg2", ".seg8", ".seg512" };

typedef void (*checker)(struct capnp_msg *msg);

/* Run check on every variant of NAME that exists (at least the base). */
static void each_variant(const char *name, checker check)
{
	int seen = 0;
	for (unsigned i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		if (conf_load(&m, dir, name, variants[i]) != 0)
			continue;
		check(&m.msg);
		seen++;
	}
	assert_true(seen >= 2);
}

static void text_at(const struct capnp_list *l, uint32_t i, const char *want)
{
	struct capnp_text t;
	assert_int_equal(capnp_list_get_text(l, i, &t), CAPNP_OK);
	conf_text_eq(&t, want);
}

static void check_alltypes_empty(struct capnp_msg *msg)
{
	struct conformance_AllTypes_r r;
	struct conformance_Point_r p;
	struct capnp_text t;
	struct capnp_list l;

	assert_int_equal(conformance_AllTypes_read_root(msg, &r), CAPNP_OK);
	assert_false(conformance_AllTypes_get_boolField(&r));
	assert_int_equal(conformance_AllTypes_get_int64Field(&r), 0);
	assert_false(conformance_AllTypes_has_textField(&r));
	assert_int_equal(conformance_AllTypes_get_textField(&r, &t), CAPNP_OK);
	assert_int_equal(t.len, 0);
	assert_int_equal(conformance_AllTypes_get_structField(&r, &p), CAPNP_OK);
	assert_int_equal(conformance_Point_get_x(&p), 0);
	assert_int_equal(conformance_AllTypes_get_int32List(&r, &l), CAPNP_OK);
	assert_int_equal(l.count, 0);
	assert_int_equal(conformance_AllTypes_get_enumField(&r), CONFORMANCE_COLOR_RED);
}

static void check_alltypes_scalars(const struct conformance_AllTypes_r *r)
{
	struct capnp_text t;
	struct capnp_data d;
	struct conformance_Point_r p;

	assert_true(conformance_AllTypes_get_boolField(r));
	assert_int_equal(conformance_AllTypes_get_int8Field(r), -128);
	assert_int_equal(conformance_AllTypes_get_int16Field(r), -32768);
	assert_int_equal(conformance_AllTypes_get_int32Field(r), INT32_MIN);
	assert_true(conformance_AllTypes_get_int64Field(r) == INT64_MIN);
	assert_int_equal(conformance_AllTypes_get_uint8Field(r), 255);
	assert_int_equal(conformance_AllTypes_get_uint16Field(r), 65535);
	assert_int_equal(conformance_AllTypes_get_uint32Field(r), UINT32_MAX);
	assert_true(conformance_AllTypes_get_uint64Field(r) == UINT64_MAX);
	assert_true(conformance_AllTypes_get_float32Field(r) == -1.5f);
	assert_true(conformance_AllTypes_get_float64Field(r) == 3.141592653589793);
	assert_int_equal(conformance_AllTypes_get_textField(r, &t), CAPNP_OK);
	conf_text_eq(&t, "quote \" backslash \\ tab \t newline \n bell \a high \xc3\xa9 end");
	assert_int_equal(conformance_AllTypes_get_dataField(r, &d), CAPNP_OK);
	assert_int_equal(d.len, 5);
	assert_memory_equal(d.ptr, "\x00\x01\x7f\x80\xff", 5);
	assert_int_equal(conformance_AllTypes_get_structField(r, &p), CAPNP_OK);
	assert_int_equal(conformance_Point_get_x(&p), -1);
	assert_int_equal(conformance_Point_get_y(&p), 2);
	assert_int_equal(conformance_Point_get_label(&p, &t), CAPNP_OK);
	conf_text_eq(&t, "p");
	assert_int_equal(conformance_AllTypes_get_enumField(r), CONFORMANCE_COLOR_BLUE_GREEN);
}

static void check_alltypes_lists(const struct conformance_AllTypes_r *r)
{
	struct capnp_list l, sub;
	struct conformance_Point_r p;
	struct capnp_text t;
	struct capnp_data d;

	assert_int_equal(conformance_AllTypes_get_voidList(r, &l), CAPNP_OK);
	assert_int_equal(l.count, 3);
	assert_int_equal(conformance_AllTypes_get_boolList(r, &l), CAPNP_OK);
	static const bool bits[10] = { 1, 0, 0, 1, 1, 0, 1, 0, 1, 1 };
	assert_int_equal(l.count, 10);
	for (uint32_t i = 0; i < 10; i++)
		assert_int_equal(capnp_list_bool(&l, i), bits[i]);
	assert_int_equal(conformance_AllTypes_get_int8List(r, &l), CAPNP_OK);
	assert_int_equal((int8_t)capnp_list_u8(&l, 0), -128);
	assert_int_equal((int8_t)capnp_list_u8(&l, 2), 127);
	assert_int_equal(conformance_AllTypes_get_int16List(r, &l), CAPNP_OK);
	assert_int_equal((int16_t)capnp_list_u16(&l, 0), -32768);
	assert_int_equal(conformance_AllTypes_get_int32List(r, &l), CAPNP_OK);
	assert_int_equal((int32_t)capnp_list_u32(&l, 2), INT32_MAX);
	assert_int_equal(conformance_AllTypes_get_int64List(r, &l), CAPNP_OK);
	assert_true((int64_t)capnp_list_u64(&l, 0) == INT64_MIN);
	assert_int_equal(conformance_AllTypes_get_uint8List(r, &l), CAPNP_OK);
	assert_int_equal(capnp_list_u8(&l, 2), 255);
	assert_int_equal(conformance_AllTypes_get_uint16List(r, &l), CAPNP_OK);
	assert_int_equal(capnp_list_u16(&l, 1), 65535);
	assert_int_equal(conformance_AllTypes_get_uint32List(r, &l), CAPNP_OK);
	assert_int_equal(capnp_list_u32(&l, 1), UINT32_MAX);
	assert_int_equal(conformance_AllTypes_get_uint64List(r, &l), CAPNP_OK);
	assert_true(capnp_list_u64(&l, 1) == UINT64_MAX);
	assert_int_equal(conformance_AllTypes_get_float32List(r, &l), CAPNP_OK);
	assert_int_equal(capnp_list_u32(&l, 1), 0x80000000u); /* -0.0 */
	assert_true(capnp_f32_from_bits(capnp_list_u32(&l, 3)) == 3.4028235e38f);
	assert_true(isinf(capnp_f32_from_bits(capnp_list_u32(&l, 5))));
	assert_int_equal(conformance_AllTypes_get_float64List(r, &l), CAPNP_OK);
	assert_true(capnp_f64_from_bits(capnp_list_u64(&l, 0)) == 0.1);
	assert_true(capnp_f64_from_bits(capnp_list_u64(&l, 3)) == 5e-324);
	assert_int_equal(conformance_AllTypes_get_textList(r, &l), CAPNP_OK);
	text_at(&l, 0, "");
	text_at(&l, 2, "two words");
	assert_int_equal(conformance_AllTypes_get_dataList(r, &l), CAPNP_OK);
	assert_int_equal(capnp_list_get_data(&l, 2, &d), CAPNP_OK);
	assert_memory_equal(d.ptr, "\xde\xad\xbe\xef", 4);
	assert_int_equal(conformance_AllTypes_get_structList(r, &l), CAPNP_OK);
	assert_int_equal(l.count, 3);
	assert_int_equal(conformance_Point_list_at(&l, 1, &p), CAPNP_OK);
	assert_int_equal(conformance_Point_get_label(&p, &t), CAPNP_OK);
	conf_text_eq(&t, "only label");
	assert_int_equal(conformance_AllTypes_get_enumList(r, &l), CAPNP_OK);
	assert_int_equal(capnp_list_u16(&l, 2), CONFORMANCE_COLOR_BLUE_GREEN);
	assert_int_equal(conformance_AllTypes_get_textListList(r, &l), CAPNP_OK);
	assert_int_equal(capnp_list_get_list(&l, 2, CAPNP_ELEM_POINTER, &sub), CAPNP_OK);
	text_at(&sub, 1, "c");
	assert_int_equal(conformance_AllTypes_get_int32ListList(r, &l), CAPNP_OK);
	assert_int_equal(capnp_list_get_list(&l, 2, CAPNP_ELEM_FOUR_BYTES, &sub), CAPNP_OK);
	assert_int_equal((int32_t)capnp_list_u32(&sub, 0), -4);
}

static void check_alltypes_full(struct capnp_msg *msg)
{
	struct conformance_AllTypes_r r;
	assert_int_equal(conformance_AllTypes_read_root(msg, &r), CAPNP_OK);
	check_alltypes_scalars(&r);
	check_alltypes_lists(&r);
}

static void check_alltypes_nan(struct capnp_msg *msg)
{
	struct conformance_AllTypes_r r;
	assert_int_equal(conformance_AllTypes_read_root(msg, &r), CAPNP_OK);
	assert_true(isnan(conformance_AllTypes_get_float32Field(&r)));
	assert_true(isnan(conformance_AllTypes_get_float64Field(&r)));
}

static void check_defaults_empty(struct capnp_msg *msg)
{
	struct conformance_Defaults_r r;
	struct capnp_text t;
	struct capnp_data d;
	struct conformance_Point_r p;
	struct capnp_list l;

	assert_int_equal(conformance_Defaults_read_root(msg, &r), CAPNP_OK);
	assert_true(conformance_Defaults_get_boolField(&r));
	assert_int_equal(conformance_Defaults_get_int8Field(&r), -123);
	assert_int_equal(conformance_Defaults_get_int16Field(&r), -12345);
	assert_int_equal(conformance_Defaults_get_int32Field(&r), -12345678);
	assert_true(conformance_Defaults_get_int64Field(&r) == -123456789012345LL);
	assert_int_equal(conformance_Defaults_get_uint8Field(&r), 234);
	assert_int_equal(conformance_Defaults_get_uint16Field(&r), 45678);
	assert_true(conformance_Defaults_get_uint32Field(&r) == 3456789012u);
	assert_true(conformance_Defaults_get_uint64Field(&r) == 12345678901234567890ull);
	assert_true(conformance_Defaults_get_float32Field(&r) == 1234.5f);
	assert_true(conformance_Defaults_get_float64Field(&r) == -123e45);
	assert_int_equal(conformance_Defaults_get_textField(&r, &t), CAPNP_OK);
	conf_text_eq(&t, "foo");
	assert_int_equal(conformance_Defaults_get_dataField(&r, &d), CAPNP_OK);
	assert_int_equal(d.len, 5);
	assert_memory_equal(d.ptr, "bar\x00\xff", 5);
	assert_int_equal(conformance_Defaults_get_structField(&r, &p), CAPNP_OK);
	assert_int_equal(conformance_Point_get_x(&p), 7);
	assert_int_equal(conformance_Point_get_y(&p), -8);
	assert_int_equal(conformance_Point_get_label(&p, &t), CAPNP_OK);
	conf_text_eq(&t, "dflt");
	assert_int_equal(conformance_Defaults_get_enumField(&r), CONFORMANCE_COLOR_BLUE_GREEN);
	assert_int_equal(conformance_Defaults_get_int32List(&r, &l), CAPNP_OK);
	assert_int_equal(l.count, 3);
	assert_int_equal(capnp_list_u32(&l, 2), 3);
	assert_int_equal(conformance_Defaults_get_textList(&r, &l), CAPNP_OK);
	text_at(&l, 1, "bc");
	assert_int_equal(conformance_Defaults_get_structList(&r, &l), CAPNP_OK);
	assert_int_equal(conformance_Point_list_at(&l, 1, &p), CAPNP_OK);
	assert_int_equal(conformance_Point_get_y(&p), 2);
	assert_int_equal(conformance_Defaults_get_boolList(&r, &l), CAPNP_OK);
	assert_int_equal(l.count, 3);
	assert_true(capnp_list_bool(&l, 2));
}

static void check_defaults_zero(struct capnp_msg *msg)
{
	struct conformance_Defaults_r r;
	struct capnp_text t;
	struct capnp_list l;
	struct conformance_Point_r p;

	assert_int_equal(conformance_Defaults_read_root(msg, &r), CAPNP_OK);
	assert_false(conformance_Defaults_get_boolField(&r));
	assert_int_equal(conformance_Defaults_get_int8Field(&r), 0);
	assert_true(conformance_Defaults_get_int64Field(&r) == 0);
	assert_true(conformance_Defaults_get_uint64Field(&r) == 0);
	assert_true(conformance_Defaults_get_float32Field(&r) == 0.0f);
	assert_true(conformance_Defaults_get_float64Field(&r) == 0.0);
	assert_int_equal(conformance_Defaults_get_enumField(&r), CONFORMANCE_COLOR_RED);
	/* Present but empty pointers are not replaced by the defaults. */
	assert_true(conformance_Defaults_has_textField(&r));
	assert_int_equal(conformance_Defaults_get_textField(&r, &t), CAPNP_OK);
	assert_int_equal(t.len, 0);
	assert_int_equal(conformance_Defaults_get_int32List(&r, &l), CAPNP_OK);
	assert_int_equal(l.count, 0);
	assert_int_equal(conformance_Defaults_get_structField(&r, &p), CAPNP_OK);
	assert_int_equal(conformance_Point_get_x(&p), 0);
}

static void check_unions_count(struct capnp_msg *msg)
{
	struct conformance_Unions_r r;
	assert_int_equal(conformance_Unions_read_root(msg, &r), CAPNP_OK);
	assert_int_equal(conformance_Unions_which(&r), CONFORMANCE_UNIONS_COUNT);
	assert_true(conformance_Unions_get_count(&r) == 4000000000u);
	struct conformance_Unions_shape_r shape = conformance_Unions_get_shape(&r);
	assert_int_equal(conformance_Unions_shape_which(&shape), CONFORMANCE_UNIONS_SHAPE_SQUARE);
	assert_true(conformance_Unions_shape_get_square(&shape) == -9);
	/* The group outside any union keeps its default. */
	struct conformance_Unions_outer_r outer = conformance_Unions_get_outer(&r);
	assert_int_equal(conformance_Unions_outer_get_a(&outer), 5);
}

static void check_unions_name(struct capnp_msg *msg)
{
	struct conformance_Unions_r r;
	struct capnp_text t;
	struct capnp_list l;
	struct conformance_Point_r p;

	assert_int_equal(conformance_Unions_read_root(msg, &r), CAPNP_OK);
	assert_int_equal(conformance_Unions_which(&r), CONFORMANCE_UNIONS_NAME);
	assert_int_equal(conformance_Unions_get_name(&r, &t), CAPNP_OK);
	conf_text_eq(&t, "named");
	struct conformance_Unions_shape_r shape = conformance_Unions_get_shape(&r);
	assert_int_equal(conformance_Unions_shape_which(&shape), CONFORMANCE_UNIONS_SHAPE_POLYGON);
	assert_int_equal(conformance_Unions_shape_get_polygon(&shape, &l), CAPNP_OK);
	assert_int_equal(l.count, 2);
	assert_int_equal(conformance_Point_list_at(&l, 1, &p), CAPNP_OK);
	assert_int_equal(conformance_Point_get_y(&p), 3);
}

static void check_unions_point(struct capnp_msg *msg)
{
	struct conformance_Unions_r r;
	struct conformance_Point_r p;
	struct capnp_text t;

	assert_int_equal(conformance_Unions_read_root(msg, &r), CAPNP_OK);
	assert_int_equal(conformance_Unions_which(&r), CONFORMANCE_UNIONS_POINT);
	assert_int_equal(conformance_Unions_get_point(&r, &p), CAPNP_OK);
	assert_int_equal(conformance_Point_get_x(&p), 5);
	struct conformance_Unions_outer_r outer = conformance_Unions_get_outer(&r);
	assert_int_equal(conformance_Unions_outer_get_a(&outer), 0);
	struct conformance_Unions_outer_inner_r in = conformance_Unions_outer_get_inner(&outer);
	assert_true(conformance_Unions_outer_inner_get_b(&in));
	struct conformance_Unions_outer_inner_choice_r ch =
		conformance_Unions_outer_inner_get_choice(&in);
	assert_int_equal(conformance_Unions_outer_inner_choice_which(&ch),
			 CONFORMANCE_UNIONS_OUTER_INNER_CHOICE_NO);
	assert_int_equal(conformance_Unions_outer_inner_choice_get_no(&ch, &t), CAPNP_OK);
	conf_text_eq(&t, "nope");
}

static void check_unions_pair(struct capnp_msg *msg)
{
	struct conformance_Unions_r r;
	struct capnp_text t;

	assert_int_equal(conformance_Unions_read_root(msg, &r), CAPNP_OK);
	assert_int_equal(conformance_Unions_which(&r), CONFORMANCE_UNIONS_PAIR);
	struct conformance_Unions_pair_r pair = conformance_Unions_get_pair(&r);
	assert_int_equal(conformance_Unions_pair_get_left(&pair), -7);
	assert_int_equal(conformance_Unions_pair_get_right(&pair, &t), CAPNP_OK);
	conf_text_eq(&t, "right");
}

static void check_nesting(struct capnp_msg *msg)
{
	struct conformance_Nesting_r r, c;
	struct conformance_Nesting_Leaf_r leaf;
	struct capnp_list l;
	unsigned depth = 0;

	assert_int_equal(conformance_Nesting_read_root(msg, &r), CAPNP_OK);
	assert_int_equal(conformance_Nesting_get_kind(&r), CONFORMANCE_NESTING_KIND_LARGE);
	assert_int_equal(conformance_Nesting_get_leaves(&r, &l), CAPNP_OK);
	assert_int_equal(conformance_Nesting_Leaf_list_at(&l, 1, &leaf), CAPNP_OK);
	assert_int_equal(conformance_Nesting_Leaf_get_value(&leaf), 3);
	c = r;
	while (conformance_Nesting_has_child(&c)) {
		assert_int_equal(conformance_Nesting_get_child(&c, &c), CAPNP_OK);
		depth++;
	}
	assert_int_equal(depth, 19);
	assert_int_equal(conformance_Nesting_get_leaf(&c, &leaf), CAPNP_OK);
	assert_int_equal(conformance_Nesting_Leaf_get_value(&leaf), 20);
}

static void check_old_as_new(struct capnp_msg *msg)
{
	struct conformance_New_r r;
	struct capnp_text t;
	struct capnp_list l;

	assert_int_equal(conformance_New_read_root(msg, &r), CAPNP_OK);
	assert_int_equal(conformance_New_get_id(&r), 17);
	assert_int_equal(conformance_New_get_name(&r, &t), CAPNP_OK);
	conf_text_eq(&t, "old record");
	/* Fields the old writer never knew read as the new schema's defaults. */
	assert_int_equal(conformance_New_get_extra(&r), 99);
	assert_true(conformance_New_get_flag(&r));
	assert_false(conformance_New_has_tags(&r));
	assert_int_equal(conformance_New_get_tags(&r, &l), CAPNP_OK);
	assert_int_equal(l.count, 0);
}

static void check_new_as_old(struct capnp_msg *msg)
{
	struct conformance_Old_r r;
	struct capnp_text t;

	assert_int_equal(conformance_Old_read_root(msg, &r), CAPNP_OK);
	assert_int_equal(conformance_Old_get_id(&r), 18);
	assert_int_equal(conformance_Old_get_name(&r, &t), CAPNP_OK);
	conf_text_eq(&t, "new record");
}

static void check_large(struct capnp_msg *msg)
{
	struct conformance_AllTypes_r r;
	struct conformance_Point_r p;
	struct capnp_list l;

	assert_int_equal(conformance_AllTypes_read_root(msg, &r), CAPNP_OK);
	assert_int_equal(conformance_AllTypes_get_int32List(&r, &l), CAPNP_OK);
	assert_int_equal(l.count, 5000);
	for (uint32_t i = 0; i < 5000; i++)
		assert_int_equal((int32_t)capnp_list_u32(&l, i),
				 (int32_t)((i * 7919) % 200003) - 100000);
	assert_int_equal(conformance_AllTypes_get_textList(&r, &l), CAPNP_OK);
	assert_int_equal(l.count, 1500);
	text_at(&l, 1499, "item 1499");
	assert_int_equal(conformance_AllTypes_get_boolList(&r, &l), CAPNP_OK);
	for (uint32_t i = 0; i < 3000; i++)
		assert_int_equal(capnp_list_bool(&l, i), (i * 31) % 7 < 3);
	assert_int_equal(conformance_AllTypes_get_structList(&r, &l), CAPNP_OK);
	assert_int_equal(conformance_Point_list_at(&l, 999, &p), CAPNP_OK);
	assert_int_equal(conformance_Point_get_y(&p), -999);
}

#define CASE(name, file, fn)            \
	static void name(void **state)  \
	{                               \
		(void)state;            \
		each_variant(file, fn); \
	}
CASE(test_alltypes_empty, "alltypes-empty.AllTypes", check_alltypes_empty)
CASE(test_alltypes_full, "alltypes-full.AllTypes", check_alltypes_full)
CASE(test_alltypes_nan, "alltypes-nan.AllTypes", check_alltypes_nan)
CASE(test_defaults_empty, "defaults-empty.Defaults", check_defaults_empty)
CASE(test_defaults_zero, "defaults-zero.Defaults", check_defaults_zero)
CASE(test_unions_count, "unions-count.Unions", check_unions_count)
CASE(test_unions_name, "unions-name.Unions", check_unions_name)
CASE(test_unions_point, "unions-point.Unions", check_unions_point)
CASE(test_unions_pair, "unions-pair.Unions", check_unions_pair)
CASE(test_nesting_deep, "nesting-deep.Nesting", check_nesting)
CASE(test_old_read_as_new, "old.Old", check_old_as_new)
CASE(test_new_read_as_old, "new.New", check_new_as_old)
CASE(test_lists_large, "lists-large.AllTypes", check_large)

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUSDIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alltypes_empty),	cmocka_unit_test(test_alltypes_full),
		cmocka_unit_test(test_alltypes_nan),	cmocka_unit_test(test_defaults_empty),
		cmocka_unit_test(test_defaults_zero),	cmocka_unit_test(test_unions_count),
		cmocka_unit_test(test_unions_name),	cmocka_unit_test(test_unions_point),
		cmocka_unit_test(test_unions_pair),	cmocka_unit_test(test_nesting_deep),
		cmocka_unit_test(test_old_read_as_new), cmocka_unit_test(test_new_read_as_old),
		cmocka_unit_test(test_lists_large),
	};
	return cmocka_run_group_tests_name("conformance-read", tests, NULL, NULL);
}
