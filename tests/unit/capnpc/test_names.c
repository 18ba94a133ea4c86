/*
 * Host tests of tools/capnpc-c's naming rules (docs/capnp-c.md): file
 * prefixes, C names of nested types and implicit method structs, and the
 * UPPER_SNAKE spelling of constants.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tools/capnpc-c/gen.h"

static void check_upper(const char *in, const char *want)
{
	char *got = gen_upper(in);
	assert_string_equal(got, want);
	free(got);
}

static void check_prefix(const char *in, const char *want)
{
	char *got = gen_file_prefix(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_upper(void **state)
{
	(void)state;
	check_upper("capos_CapException_Type", "CAPOS_CAP_EXCEPTION_TYPE");
	check_upper("writeLine", "WRITE_LINE");
	check_upper("blueGreen", "BLUE_GREEN");
	check_upper("int32Field", "INT32_FIELD");
	check_upper("uint64List", "UINT64_LIST");
	check_upper("a", "A");
}

static void test_file_prefix(void **state)
{
	(void)state;
	check_prefix("schema/capos.capnp", "capos");
	check_prefix("capos.capnp", "capos");
	check_prefix("dir/foo-bar.capnp", "foo_bar");
	check_prefix("noext", "noext");
}

static void test_c_names(void **state)
{
	(void)state;
	struct sc_node nodes[3] = {
		{ .id = 1, .display_name = "x/capos.capnp", .kind = SC_FILE },
		{ .id = 2,
		  .display_name = "x/capos.capnp:Console.writeLine$Params",
		  .kind = SC_STRUCT_NODE },
		{ .id = 3,
		  .display_name = "x/capos.capnp:CapException.Type",
		  .kind = SC_ENUM_NODE },
	};
	struct sc_request req = { .nodes = nodes, .nnodes = 3 };
	struct gen g = { .req = &req };
	char *a = gen_c_name(&g, &nodes[1]), *b = gen_c_name(&g, &nodes[2]);

	assert_string_equal(a, "capos_Console_writeLine_Params");
	assert_string_equal(b, "capos_CapException_Type");
	assert_ptr_equal(sc_file_of(&req, &nodes[1]), &nodes[0]);
	assert_ptr_equal(sc_find(&req, 3), &nodes[2]);
	assert_null(sc_find(&req, 4));
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upper),
		cmocka_unit_test(test_file_prefix),
		cmocka_unit_test(test_c_names),
	};
	return cmocka_run_group_tests_name("capnpc-names", tests, NULL, NULL);
}
