/*
 * Conformance (b): messages built with the C generated from
 * conformance.capnp, written to OUTDIR/NAME.TYPE.bin. run-build.sh then has
 * the reference capnp tool decode each and compares it with the
 * hand-written messages/NAME.TYPE.txt the builder here claims to produce.
 * Also the generated server dispatch: success, unknown ordinal, missing
 * handler, malformed params, handler exception.
 * Usage: test_conf_build OUTDIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/capnp/conf_test.h"

static const char *outdir;
static uint64_t buf[1 << 14];

#define OK(x) assert_int_equal((x), CAPNP_OK)

static void save(struct capnp_builder *b, const char *name)
{
	char path[1024];
	size_t len = capnp_builder_finish(b);
	snprintf(path, sizeof(path), "%s/%s.bin", outdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

static void set_text(struct capnp_blist *l, uint32_t i, const char *s)
{
	OK(capnp_blist_set_text(l, i, s, (uint32_t)strlen(s)));
}

static void build_scalars(struct conformance_AllTypes_b *r)
{
	struct conformance_Point_b p;
	const char *text = "quote \" backslash \\ tab \t newline \n bell \a high \xc3\xa9 end";

	conformance_AllTypes_set_boolField(r, true);
	conformance_AllTypes_set_int8Field(r, -128);
	conformance_AllTypes_set_int16Field(r, -32768);
	conformance_AllTypes_set_int32Field(r, INT32_MIN);
	conformance_AllTypes_set_int64Field(r, INT64_MIN);
	conformance_AllTypes_set_uint8Field(r, 255);
	conformance_AllTypes_set_uint16Field(r, 65535);
	conformance_AllTypes_set_uint32Field(r, UINT32_MAX);
	conformance_AllTypes_set_uint64Field(r, UINT64_MAX);
	conformance_AllTypes_set_float32Field(r, -1.5f);
	conformance_AllTypes_set_float64Field(r, 3.141592653589793);
	OK(conformance_AllTypes_set_textField(r, text, (uint32_t)strlen(text)));
	OK(conformance_AllTypes_set_dataField(r, "\x00\x01\x7f\x80\xff", 5));
	OK(conformance_AllTypes_init_structField(r, &p));
	conformance_Point_set_x(&p, -1);
	conformance_Point_set_y(&p, 2);
	OK(conformance_Point_set_label(&p, "p", 1));
	conformance_AllTypes_set_enumField(r, CONFORMANCE_COLOR_BLUE_GREEN);
}

static void build_number_lists(struct conformance_AllTypes_b *r)
{
	struct capnp_blist l;
	static const bool bits[10] = { 1, 0, 0, 1, 1, 0, 1, 0, 1, 1 };

	OK(conformance_AllTypes_init_voidList(r, 3, &l));
	OK(conformance_AllTypes_init_boolList(r, 10, &l));
	for (uint32_t i = 0; i < 10; i++)
		capnp_blist_set_bool(&l, i, bits[i]);
	OK(conformance_AllTypes_init_int8List(r, 3, &l));
	capnp_blist_set_u8(&l, 0, (uint8_t)-128);
	capnp_blist_set_u8(&l, 2, 127);
	OK(conformance_AllTypes_init_int16List(r, 3, &l));
	capnp_blist_set_u16(&l, 0, (uint16_t)-32768);
	capnp_blist_set_u16(&l, 1, 1);
	capnp_blist_set_u16(&l, 2, 32767);
	OK(conformance_AllTypes_init_int32List(r, 3, &l));
	capnp_blist_set_u32(&l, 0, (uint32_t)INT32_MIN);
	capnp_blist_set_u32(&l, 2, INT32_MAX);
	OK(conformance_AllTypes_init_int64List(r, 2, &l));
	capnp_blist_set_u64(&l, 0, (uint64_t)INT64_MIN);
	capnp_blist_set_u64(&l, 1, INT64_MAX);
	OK(conformance_AllTypes_init_uint8List(r, 3, &l));
	capnp_blist_set_u8(&l, 1, 1);
	capnp_blist_set_u8(&l, 2, 255);
	OK(conformance_AllTypes_init_uint16List(r, 2, &l));
	capnp_blist_set_u16(&l, 1, 65535);
	OK(conformance_AllTypes_init_uint32List(r, 2, &l));
	capnp_blist_set_u32(&l, 1, UINT32_MAX);
	OK(conformance_AllTypes_init_uint64List(r, 2, &l));
	capnp_blist_set_u64(&l, 1, UINT64_MAX);
	static const float f32[6] = { 0, -0.0f, 1e-45f, 3.4028235e38f, INFINITY, -INFINITY };
	OK(conformance_AllTypes_init_float32List(r, 6, &l));
	for (uint32_t i = 0; i < 6; i++)
		capnp_blist_set_u32(&l, i, capnp_f32_to_bits(f32[i]));
	static const double f64[6] = { 0.1, -2.5e-300, 1e300, 5e-324, INFINITY, -INFINITY };
	OK(conformance_AllTypes_init_float64List(r, 6, &l));
	for (uint32_t i = 0; i < 6; i++)
		capnp_blist_set_u64(&l, i, capnp_f64_to_bits(f64[i]));
}

static void build_pointer_lists(struct conformance_AllTypes_b *r)
{
	struct capnp_blist l, sub;
	struct conformance_Point_b p;

	OK(conformance_AllTypes_init_textList(r, 3, &l));
	set_text(&l, 0, "");
	set_text(&l, 1, "one");
	set_text(&l, 2, "two words");
	OK(conformance_AllTypes_init_dataList(r, 3, &l));
	OK(capnp_blist_set_data(&l, 0, "", 0));
	OK(capnp_blist_set_data(&l, 1, "\x00", 1));
	OK(capnp_blist_set_data(&l, 2, "\xde\xad\xbe\xef", 4));
	OK(conformance_AllTypes_init_structList(r, 3, &l));
	OK(conformance_Point_blist_at(&l, 0, &p));
	conformance_Point_set_x(&p, 1);
	conformance_Point_set_y(&p, 2);
	OK(conformance_Point_blist_at(&l, 1, &p));
	OK(conformance_Point_set_label(&p, "only label", 10));
	OK(conformance_AllTypes_init_enumList(r, 4, &l));
	static const uint16_t colors[4] = { 0, 1, 2, 0 };
	for (uint32_t i = 0; i < 4; i++)
		capnp_blist_set_u16(&l, i, colors[i]);
	OK(conformance_AllTypes_init_textListList(r, 3, &l));
	OK(capnp_blist_init_list(&l, 0, CAPNP_ELEM_POINTER, 1, &sub));
	set_text(&sub, 0, "a");
	OK(capnp_blist_init_list(&l, 1, CAPNP_ELEM_POINTER, 0, &sub));
	OK(capnp_blist_init_list(&l, 2, CAPNP_ELEM_POINTER, 2, &sub));
	set_text(&sub, 0, "b");
	set_text(&sub, 1, "c");
	OK(conformance_AllTypes_init_int32ListList(r, 3, &l));
	OK(capnp_blist_init_list(&l, 0, CAPNP_ELEM_FOUR_BYTES, 3, &sub));
	for (uint32_t i = 0; i < 3; i++)
		capnp_blist_set_u32(&sub, i, i + 1);
	OK(capnp_blist_init_list(&l, 1, CAPNP_ELEM_FOUR_BYTES, 0, &sub));
	OK(capnp_blist_init_list(&l, 2, CAPNP_ELEM_FOUR_BYTES, 1, &sub));
	capnp_blist_set_u32(&sub, 0, (uint32_t)-4);
}

static void test_build_alltypes_full(void **state)
{
	(void)state;
	struct capnp_builder b;
	struct conformance_AllTypes_b r;

	OK(capnp_builder_init(&b, buf, sizeof(buf)));
	OK(conformance_AllTypes_init_root(&b, &r));
	build_scalars(&r);
	build_number_lists(&r);
	build_pointer_lists(&r);
	save(&b, "alltypes-full.AllTypes");
}

static void build_defaults(const char *name, bool zero)
{
	struct capnp_builder b;
	struct conformance_Defaults_b r;
	struct conformance_Point_b p;
	struct capnp_blist l;

	OK(capnp_builder_init(&b, buf, sizeof(buf)));
	OK(conformance_Defaults_init_root(&b, &r));
	/* XOR defaults: writing the zero value must store the default's bits. */
	conformance_Defaults_set_boolField(&r, !zero);
	conformance_Defaults_set_int8Field(&r, zero ? 0 : 1);
	conformance_Defaults_set_int16Field(&r, zero ? 0 : -1);
	conformance_Defaults_set_int32Field(&r, zero ? 0 : 77);
	conformance_Defaults_set_int64Field(&r, zero ? 0 : -5);
	conformance_Defaults_set_uint8Field(&r, zero ? 0 : 1);
	conformance_Defaults_set_uint16Field(&r, zero ? 0 : 2);
	conformance_Defaults_set_uint32Field(&r, zero ? 0 : 3);
	conformance_Defaults_set_uint64Field(&r, zero ? 0 : 4);
	conformance_Defaults_set_float32Field(&r, zero ? 0.0f : 2.25f);
	conformance_Defaults_set_float64Field(&r, zero ? 0.0 : -0.0);
	OK(conformance_Defaults_set_textField(&r, zero ? "" : "bar", zero ? 0 : 3));
	OK(conformance_Defaults_set_dataField(&r, "\x01", zero ? 0 : 1));
	OK(conformance_Defaults_init_structField(&r, &p));
	if (!zero) {
		conformance_Point_set_x(&p, 1);
		conformance_Point_set_y(&p, 1);
		OK(conformance_Point_set_label(&p, "one", 3));
	}
	conformance_Defaults_set_enumField(&r,
					   zero ? CONFORMANCE_COLOR_RED : CONFORMANCE_COLOR_GREEN);
	OK(conformance_Defaults_init_int32List(&r, zero ? 0 : 1, &l));
	capnp_blist_set_u32(&l, 0, 9);
	OK(conformance_Defaults_init_textList(&r, zero ? 0 : 1, &l));
	if (!zero)
		set_text(&l, 0, "z");
	OK(conformance_Defaults_init_structList(&r, zero ? 0 : 1, &l));
	if (!zero) {
		OK(conformance_Point_blist_at(&l, 0, &p));
		conformance_Point_set_x(&p, 3);
	}
	OK(conformance_Defaults_init_boolList(&r, zero ? 0 : 1, &l));
	save(&b, name);
}

static void test_build_defaults(void **state)
{
	(void)state;
	build_defaults("defaults-zero.Defaults", true);
	build_defaults("defaults-other.Defaults", false);
}

static void test_build_unions(void **state)
{
	(void)state;
	struct capnp_builder b;
	struct conformance_Unions_b r;
	struct conformance_Point_b p;
	struct capnp_blist l;

	OK(capnp_builder_init(&b, buf, sizeof(buf)));
	OK(conformance_Unions_init_root(&b, &r));
	OK(conformance_Unions_set_name(&r, "named", 5));
	struct conformance_Unions_shape_b shape = conformance_Unions_init_shape(&r);
	OK(conformance_Unions_shape_init_polygon(&shape, 2, &l));
	OK(conformance_Point_blist_at(&l, 0, &p));
	conformance_Point_set_x(&p, 1);
	conformance_Point_set_y(&p, 1);
	OK(conformance_Point_blist_at(&l, 1, &p));
	conformance_Point_set_x(&p, 2);
	conformance_Point_set_y(&p, 3);
	OK(conformance_Point_set_label(&p, "v", 1));
	save(&b, "unions-name.Unions");

	OK(capnp_builder_init(&b, buf, sizeof(buf)));
	OK(conformance_Unions_init_root(&b, &r));
	conformance_Unions_set_count(&r, 4000000000u);
	shape = conformance_Unions_init_shape(&r);
	conformance_Unions_shape_set_square(&shape, -9);
	save(&b, "unions-count.Unions");

	OK(capnp_builder_init(&b, buf, sizeof(buf)));
	OK(conformance_Unions_init_root(&b, &r));
	struct conformance_Unions_pair_b pair = conformance_Unions_init_pair(&r);
	conformance_Unions_pair_set_left(&pair, -7);
	OK(conformance_Unions_pair_set_right(&pair, "right", 5));
	struct conformance_Unions_outer_b outer = conformance_Unions_init_outer(&r);
	struct conformance_Unions_outer_inner_b in = conformance_Unions_outer_init_inner(&outer);
	struct conformance_Unions_outer_inner_choice_b ch =
		conformance_Unions_outer_inner_init_choice(&in);
	conformance_Unions_outer_inner_choice_set_yes(&ch);
	save(&b, "unions-pair.Unions");

	OK(capnp_builder_init(&b, buf, sizeof(buf)));
	OK(conformance_Unions_init_root(&b, &r));
	OK(conformance_Unions_init_point(&r, &p));
	conformance_Point_set_x(&p, 5);
	conformance_Point_set_y(&p, 6);
	OK(conformance_Point_set_label(&p, "pt", 2));
	outer = conformance_Unions_init_outer(&r);
	conformance_Unions_outer_set_a(&outer, 0);
	in = conformance_Unions_outer_init_inner(&outer);
	conformance_Unions_outer_inner_set_b(&in, true);
	OK(conformance_Unions_outer_inner_set_c(&in, "cc", 2));
	ch = conformance_Unions_outer_inner_init_choice(&in);
	OK(conformance_Unions_outer_inner_choice_set_no(&ch, "nope", 4));
	save(&b, "unions-point.Unions");
}

static void test_build_new(void **state)
{
	(void)state;
	struct capnp_builder b;
	struct conformance_New_b r;
	struct capnp_blist l;

	OK(capnp_builder_init(&b, buf, sizeof(buf)));
	OK(conformance_New_init_root(&b, &r));
	conformance_New_set_id(&r, 18);
	OK(conformance_New_set_name(&r, "new record", 10));
	conformance_New_set_extra(&r, 123456789);
	OK(conformance_New_init_tags(&r, 2, &l));
	set_text(&l, 0, "t1");
	set_text(&l, 1, "t2");
	conformance_New_set_flag(&r, false);
	save(&b, "new.New");
}

/* ---- generated dispatch ---- */

static int calc_add(void *self, const struct conformance_Calculator_add_Params_r *p,
		    struct conformance_Calculator_add_Results_b *r, struct capnp_exc *exc)
{
	(void)exc;
	(*(int *)self)++;
	conformance_Calculator_add_Results_set_sum(
		r, conformance_Calculator_add_Params_get_a(p) +
			   conformance_Calculator_add_Params_get_b(p));
	return CAPNP_OK;
}

static int calc_reset(void *self, const struct conformance_Calculator_reset_Params_r *p,
		      struct conformance_Calculator_reset_Results_b *r, struct capnp_exc *exc)
{
	(void)self;
	(void)p;
	(void)r;
	*exc = (struct capnp_exc){ CAPNP_EXC_OVERLOADED, "busy" };
	return CAPNP_EXCEPTION;
}

static const struct conformance_Calculator_server calc = { .add = calc_add, .reset = calc_reset };

static void test_dispatch(void **state)
{
	(void)state;
	static uint64_t pbuf[64], rbuf[64];
	struct capnp_builder pb, rb;
	struct conformance_Calculator_add_Params_b p;
	struct capnp_seg segs[1];
	struct capnp_msg pm, rm;
	struct capnp_exc exc = { 0 };
	int calls = 0;

	OK(capnp_builder_init(&pb, pbuf, sizeof(pbuf)));
	OK(conformance_Calculator_add_request(&pb, &p));
	conformance_Calculator_add_Params_set_a(&p, 40);
	conformance_Calculator_add_Params_set_b(&p, 2);
	size_t plen = capnp_builder_finish(&pb);
	OK(capnp_msg_init(&pm, pbuf, plen, segs, 1, NULL));
	OK(capnp_builder_init(&rb, rbuf, sizeof(rbuf)));
	OK(conformance_Calculator_dispatch(&calc, &calls, CONFORMANCE_CALCULATOR_ADD, &pm, &rb,
					   &exc));
	assert_int_equal(calls, 1);
	size_t rlen = capnp_builder_finish(&rb);
	struct capnp_seg rsegs[1];
	struct conformance_Calculator_add_Results_r res;
	OK(capnp_msg_init(&rm, rbuf, rlen, rsegs, 1, NULL));
	OK(conformance_Calculator_add_Results_read_root(&rm, &res));
	assert_int_equal(conformance_Calculator_add_Results_get_sum(&res), 42);

	/* No handler for describe; no method 7; the handler's own exception. */
	OK(capnp_builder_init(&rb, rbuf, sizeof(rbuf)));
	assert_int_equal(conformance_Calculator_dispatch(
				 &calc, &calls, CONFORMANCE_CALCULATOR_DESCRIBE, &pm, &rb, &exc),
			 CAPNP_EXCEPTION);
	assert_int_equal(exc.type, CAPNP_EXC_UNIMPLEMENTED);
	assert_int_equal(conformance_Calculator_dispatch(&calc, &calls, 7, &pm, &rb, &exc),
			 CAPNP_EXCEPTION);
	assert_int_equal(exc.type, CAPNP_EXC_UNIMPLEMENTED);
	assert_string_equal(exc.msg, "unimplemented method");
	assert_int_equal(conformance_Calculator_dispatch(
				 &calc, &calls, CONFORMANCE_CALCULATOR_RESET, &pm, &rb, &exc),
			 CAPNP_EXCEPTION);
	assert_int_equal(exc.type, CAPNP_EXC_OVERLOADED);
	assert_string_equal(exc.msg, "busy");

	/* Malformed params: the root points past the segment. */
	pbuf[1] = 0x0000000100000400ull; /* struct ptr, offset 256, 1 data word */
	OK(capnp_msg_init(&pm, pbuf, plen, segs, 1, NULL));
	assert_int_equal(conformance_Calculator_dispatch(&calc, &calls, CONFORMANCE_CALCULATOR_ADD,
							 &pm, &rb, &exc),
			 CAPNP_EXCEPTION);
	assert_int_equal(exc.type, CAPNP_EXC_FAILED);
	assert_int_equal(calls, 1);

	/* A results buffer too small for the results struct. */
	pbuf[1] = 0;
	OK(capnp_msg_init(&pm, pbuf, plen, segs, 1, NULL));
	uint64_t tiny[2];
	OK(capnp_builder_init(&rb, tiny, sizeof(tiny)));
	assert_int_equal(conformance_Calculator_dispatch(&calc, &calls, CONFORMANCE_CALCULATOR_ADD,
							 &pm, &rb, &exc),
			 CAPNP_ERR_NO_SPACE);
	assert_int_equal(calls, 1);
}

static void test_constants(void **state)
{
	(void)state;
	struct capnp_ptr p;
	struct conformance_Point_r pt;
	struct capnp_text t;

	assert_int_equal(CONFORMANCE_ANSWER, 42);
	assert_string_equal(CONFORMANCE_GREETING, "hello, capOS");
	assert_int_equal(CONFORMANCE_GREETING_LEN, 12);
	OK(conformance_origin_get(&p));
	assert_int_equal(p.kind, CAPNP_KIND_STRUCT);
	pt.s = p.s;
	OK(conformance_Point_get_label(&pt, &t));
	conf_text_eq(&t, "origin");
	assert_true(CONFORMANCE_CALCULATOR_INTERFACE_ID != CONFORMANCE_MARKER_INTERFACE_ID);
	assert_int_equal(CONFORMANCE_POINT_DATA_WORDS, 1);
	assert_int_equal(CONFORMANCE_POINT_PTR_COUNT, 1);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
		return 2;
	}
	outdir = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_alltypes_full),
		cmocka_unit_test(test_build_defaults),
		cmocka_unit_test(test_build_unions),
		cmocka_unit_test(test_build_new),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_constants),
	};
	return cmocka_run_group_tests_name("conformance-build", tests, NULL, NULL);
}
