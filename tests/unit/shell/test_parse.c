/*
 * Host tests of lib/shell's command parser: every command in its success
 * forms (the spec's own launch lines among them), then every SH_ERR_* with
 * the exact column it reports, table-driven. Each line is parsed from an
 * exact-size heap copy with no NUL after it, so ASan catches any read past
 * the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/shell/parse.h"

/* Parse the n bytes at s from an exact-size copy. */
static int parse_n(const char *s, size_t n, struct sh_command *out, struct sh_error *err)
{
	char *copy = malloc(n ? n : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, s, n);
	rc = sh_parse(copy, (uint32_t)n, out, err);
	free(copy);
	return rc;
}

static void parse_ok(const char *s, struct sh_command *out)
{
	struct sh_error err;
	int rc = parse_n(s, strlen(s), out, &err);

	if (rc != SH_OK)
		fail_msg("'%s': %s at column %u", s, sh_strerror(rc), err.column);
	assert_int_equal(err.code, SH_OK);
}

static void expect_grant(const struct sh_command *c, uint32_t i, const char *child, const char *cap,
			 bool client)
{
	assert_true(i < c->ngrants);
	assert_string_equal(c->grants[i].child, child);
	assert_string_equal(c->grants[i].cap, cap);
	assert_int_equal(c->grants[i].client, client);
}

/* A run of n copies of ch, in a static buffer. */
static const char *repeat(char ch, size_t n)
{
	static char buf[128];

	assert_true(n < sizeof(buf));
	memset(buf, ch, n);
	buf[n] = '\0';
	return buf;
}

/* ---- success forms ---- */

static void test_empty(void **state)
{
	(void)state;
	struct sh_command c;
	struct sh_error err;

	assert_int_equal(sh_parse(NULL, 0, &c, &err), SH_OK);
	assert_int_equal(c.cmd, SH_EMPTY);
	parse_ok("   \t  ", &c);
	assert_int_equal(c.cmd, SH_EMPTY);
	assert_int_equal(c.ngrants, 0);
}

static void test_bare_commands(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		enum sh_cmd cmd;
	} cases[] = {
		{ "help", SH_HELP },  { "  help  ", SH_HELP }, { "\thelp\t", SH_HELP },
		{ "caps", SH_CAPS },  { "caps ", SH_CAPS },    { "exit", SH_EXIT },
		{ " exit", SH_EXIT },
	};
	struct sh_command c;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_ok(cases[i].line, &c);
		assert_int_equal(c.cmd, cases[i].cmd);
		assert_string_equal(c.name, "");
		assert_string_equal(c.binary, "");
	}
	/* Only len bytes count. */
	assert_int_equal(parse_n("help extra", 4, &c, NULL), SH_OK);
	assert_int_equal(c.cmd, SH_HELP);
}

static void test_inspect(void **state)
{
	(void)state;
	struct sh_command c;

	parse_ok("inspect console", &c);
	assert_int_equal(c.cmd, SH_INSPECT);
	assert_string_equal(c.name, "console");
	parse_ok("  inspect \t a.b-c_9Z  ", &c);
	assert_string_equal(c.name, "a.b-c_9Z");
	parse_ok("inspect help", &c);
	assert_string_equal(c.name, "help");
	parse_ok("inspect -", &c);
	assert_string_equal(c.name, "-");
	parse_ok("inspect ward-wraith", &c);
	assert_string_equal(c.name, "ward-wraith");
	char line[64];
	snprintf(line, sizeof(line), "inspect %s", repeat('n', SH_NAME_MAX));
	parse_ok(line, &c);
	assert_int_equal(strlen(c.name), SH_NAME_MAX);
}

static void test_wait_release(void **state)
{
	(void)state;
	struct sh_command c;
	char line[64];

	parse_ok("wait $chat", &c);
	assert_int_equal(c.cmd, SH_WAIT);
	assert_string_equal(c.name, "chat");
	parse_ok("\twait\t$x\t", &c);
	assert_string_equal(c.name, "x");
	parse_ok("release  $adventure  ", &c);
	assert_int_equal(c.cmd, SH_RELEASE);
	assert_string_equal(c.name, "adventure");
	snprintf(line, sizeof(line), "release $%s", repeat('v', SH_NAME_MAX));
	parse_ok(line, &c);
	assert_int_equal(strlen(c.name), SH_NAME_MAX);
}

static void test_run(void **state)
{
	(void)state;
	struct sh_command c;
	char line[128];

	parse_ok("run \"paperclips\"", &c);
	assert_int_equal(c.cmd, SH_RUN);
	assert_string_equal(c.binary, "paperclips");
	assert_int_equal(c.ngrants, 0);
	assert_string_equal(c.name, "");

	parse_ok("run \"chat-client\" with { stdio: client @stdio, chat: client @chat }", &c);
	assert_string_equal(c.binary, "chat-client");
	assert_int_equal(c.ngrants, 2);
	expect_grant(&c, 0, "stdio", "stdio", true);
	expect_grant(&c, 1, "chat", "chat", true);

	parse_ok("run \"paperclips\" with { stdio: client @stdio, timer: @timer }", &c);
	assert_int_equal(c.ngrants, 2);
	expect_grant(&c, 0, "stdio", "stdio", true);
	expect_grant(&c, 1, "timer", "timer", false);

	parse_ok("run \"adventure-client\" with { stdio: client @stdio, adventure: client "
		 "@adventure, chat: client @chat }",
		 &c);
	assert_int_equal(c.ngrants, 3);
	expect_grant(&c, 1, "adventure", "adventure", true);
	expect_grant(&c, 2, "chat", "chat", true);

	/* Empty blocks, no blanks, extra blanks, tabs. */
	parse_ok("run \"x\" with { }", &c);
	assert_int_equal(c.ngrants, 0);
	parse_ok("run \"x\" with{}", &c);
	assert_int_equal(c.ngrants, 0);
	parse_ok("run\t\"x\"with{a:@b,c:client@d}", &c);
	expect_grant(&c, 0, "a", "b", false);
	expect_grant(&c, 1, "c", "d", true);
	parse_ok("  run   \"x\"   with   {   a  :   client   @b  ,  c:@d   }   ", &c);
	assert_int_equal(c.ngrants, 2);
	expect_grant(&c, 0, "a", "b", true);
	expect_grant(&c, 1, "c", "d", false);

	/* Keywords are only keywords where the grammar wants them. */
	parse_ok("run \"x\" with { client: client @client, with: @run }", &c);
	expect_grant(&c, 0, "client", "client", true);
	expect_grant(&c, 1, "with", "run", false);
	/* Names differing in case are distinct. */
	parse_ok("run \"x\" with { a: @a, A: @a }", &c);
	assert_int_equal(c.ngrants, 2);
	/* Strings hold any printable ASCII but '"'. */
	parse_ok("run \"my bin/{x}: @$, ->\"", &c);
	assert_string_equal(c.binary, "my bin/{x}: @$, ->");
	snprintf(line, sizeof(line), "run \"%s\"", repeat('b', SH_STRING_MAX));
	parse_ok(line, &c);
	assert_int_equal(strlen(c.binary), SH_STRING_MAX);
}

static void test_spawn(void **state)
{
	(void)state;
	struct sh_command c;

	parse_ok("spawn \"chat-server\" with { console: @console, chat: @chat } -> $chat", &c);
	assert_int_equal(c.cmd, SH_SPAWN);
	assert_string_equal(c.binary, "chat-server");
	assert_string_equal(c.name, "chat");
	assert_int_equal(c.ngrants, 2);
	expect_grant(&c, 0, "console", "console", false);
	expect_grant(&c, 1, "chat", "chat", false);

	parse_ok("spawn \"adventure-server\" with { console: @console, adventure: @adventure, "
		 "chat: client @chat } -> $adventure",
		 &c);
	assert_string_equal(c.name, "adventure");
	assert_int_equal(c.ngrants, 3);
	expect_grant(&c, 2, "chat", "chat", true);

	parse_ok("spawn \"adventure-npc-wanderer\" with { console: @console, chat: client @chat } "
		 "-> $wanderer",
		 &c);
	assert_string_equal(c.binary, "adventure-npc-wanderer");
	assert_string_equal(c.name, "wanderer");

	parse_ok("spawn \"x\" -> $v", &c);
	assert_int_equal(c.ngrants, 0);
	assert_string_equal(c.name, "v");
	parse_ok("spawn \"x\"->$v", &c);
	assert_string_equal(c.name, "v");
	parse_ok("spawn \"x\" with{}->$v", &c);
	assert_string_equal(c.name, "v");
	parse_ok("  spawn  \"x\"  with  {  a : @b  }  ->  $v  ", &c);
	expect_grant(&c, 0, "a", "b", false);
	assert_string_equal(c.name, "v");
}

/* A with-block of n grants g0: @c0, g1: client @c1, ... into line. */
static void grants_line(char *line, size_t size, const char *cmd, int n, const char *tail)
{
	size_t off = (size_t)snprintf(line, size, "%s \"x\" with {", cmd);

	for (int i = 0; i < n; i++)
		off += (size_t)snprintf(line + off, size - off, "%s g%d: %s@c%d", i ? "," : "", i,
					i % 2 ? "client " : "", i);
	snprintf(line + off, size - off, " }%s", tail);
}

static void test_max_grants(void **state)
{
	(void)state;
	struct sh_command c;
	char line[512];

	grants_line(line, sizeof(line), "spawn", SH_MAX_GRANTS, " -> $v");
	parse_ok(line, &c);
	assert_int_equal(c.ngrants, SH_MAX_GRANTS);
	expect_grant(&c, 0, "g0", "c0", false);
	expect_grant(&c, SH_MAX_GRANTS - 1, "g15", "c15", true);
	snprintf(line, sizeof(line), "run \"%s\" with { %s: client @%s }", repeat('b', 10),
		 "cccccccccccccccccccccccccccccccc", "dddddddddddddddddddddddddddddddd");
	parse_ok(line, &c);
	assert_int_equal(strlen(c.grants[0].child), SH_NAME_MAX);
	assert_int_equal(strlen(c.grants[0].cap), SH_NAME_MAX);
}

/* ---- errors ---- */

struct err_case {
	const char *line;
	int code;
	uint32_t column;
};

static void check_errors(const struct err_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct sh_command c;
		struct sh_error err;
		int rc;

		memset(&c, 0xa5, sizeof(c));
		rc = parse_n(cases[i].line, strlen(cases[i].line), &c, &err);
		if (rc != cases[i].code || err.code != rc || err.column != cases[i].column)
			fail_msg("'%s': got %s at %u, want %s at %u", cases[i].line,
				 sh_strerror(rc), err.column, sh_strerror(cases[i].code),
				 cases[i].column);
		assert_ptr_equal(err.msg, sh_strerror(rc));
		/* A failed parse leaves nothing half-filled. */
		static const struct sh_command zero;
		assert_memory_equal(&c, &zero, sizeof(c));
	}
}

#define CHECK_ERRORS(cases) check_errors(cases, sizeof(cases) / sizeof(cases[0]))

static void test_command_errors(void **state)
{
	(void)state;
	static const struct err_case cases[] = {
		{ "hello", SH_ERR_UNKNOWN_COMMAND, 0 },
		{ "  lst -l", SH_ERR_UNKNOWN_COMMAND, 2 },
		{ "HELP", SH_ERR_UNKNOWN_COMMAND, 0 },
		{ "hel", SH_ERR_UNKNOWN_COMMAND, 0 },
		{ "helpx", SH_ERR_UNKNOWN_COMMAND, 0 },
		{ "help,", SH_ERR_UNKNOWN_COMMAND, 0 },
		{ "run\"x\"", SH_ERR_UNKNOWN_COMMAND, 0 },
		{ "\"x\"", SH_ERR_UNKNOWN_COMMAND, 0 },
		{ "$x", SH_ERR_UNKNOWN_COMMAND, 0 },

		{ "inspect", SH_ERR_MISSING_ARGUMENT, 7 },
		{ "inspect   ", SH_ERR_MISSING_ARGUMENT, 10 },
		{ "run", SH_ERR_MISSING_ARGUMENT, 3 },
		{ "spawn \t", SH_ERR_MISSING_ARGUMENT, 7 },
		{ "wait", SH_ERR_MISSING_ARGUMENT, 4 },
		{ "release ", SH_ERR_MISSING_ARGUMENT, 8 },

		{ "help me", SH_ERR_TRAILING, 5 },
		{ "caps  x", SH_ERR_TRAILING, 6 },
		{ "exit 0", SH_ERR_TRAILING, 5 },
		{ "inspect a b", SH_ERR_TRAILING, 10 },
		{ "inspect a,", SH_ERR_TRAILING, 9 },
		{ "wait $a $b", SH_ERR_TRAILING, 8 },
		{ "release $a b", SH_ERR_TRAILING, 11 },
		{ "run \"x\" y", SH_ERR_TRAILING, 8 },
		{ "run \"x\"y", SH_ERR_TRAILING, 7 },
		{ "run \"x\" withx { }", SH_ERR_TRAILING, 8 },
		{ "run \"x\" -> $v", SH_ERR_TRAILING, 8 },
		{ "run \"x\" with { } y", SH_ERR_TRAILING, 17 },
		{ "spawn \"x\" -> $v w", SH_ERR_TRAILING, 16 },
	};
	CHECK_ERRORS(cases);
}

static void test_name_errors(void **state)
{
	(void)state;
	static const struct err_case cases[] = {
		{ "inspect @x", SH_ERR_EXPECTED_NAME, 8 },
		{ "inspect \xc3\xa9", SH_ERR_EXPECTED_NAME, 8 },
		{ "wait $", SH_ERR_EXPECTED_NAME, 6 },
		{ "wait $ x", SH_ERR_EXPECTED_NAME, 6 },
		{ "release $\"x\"", SH_ERR_EXPECTED_NAME, 9 },
		{ "spawn \"x\" -> $", SH_ERR_EXPECTED_NAME, 14 },
		{ "run \"x\" with { : @a }", SH_ERR_EXPECTED_NAME, 15 },
		{ "run \"x\" with { , }", SH_ERR_EXPECTED_NAME, 15 },
		{ "run \"x\" with { a: @ b }", SH_ERR_EXPECTED_NAME, 19 },
		{ "run \"x\" with { a: @}", SH_ERR_EXPECTED_NAME, 19 },
		{ "run \"x\" with { a: @b,", SH_ERR_EXPECTED_NAME, 21 },
		{ "run \"x\" with { a: @b, , c: @d }", SH_ERR_EXPECTED_NAME, 22 },

		{ "inspect fo!o", SH_ERR_BAD_NAME, 10 },
		{ "inspect a\x01", SH_ERR_BAD_NAME, 9 },
		{ "wait $a#", SH_ERR_BAD_NAME, 7 },
		{ "spawn \"x\" -> $v;", SH_ERR_BAD_NAME, 15 },
		{ "run \"x\" with { st*dio: @a }", SH_ERR_BAD_NAME, 17 },
		{ "run \"x\" with { a: @b/c }", SH_ERR_BAD_NAME, 20 },
		{ "run \"x\" with { a: @b; c: @d }", SH_ERR_BAD_NAME, 20 },
	};
	CHECK_ERRORS(cases);
}

static void test_name_too_long(void **state)
{
	(void)state;
	char lines[5][128];
	const char *n33 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

	assert_int_equal(strlen(n33), SH_NAME_MAX + 1);
	snprintf(lines[0], sizeof(lines[0]), "inspect %s", n33);
	snprintf(lines[1], sizeof(lines[1]), "wait $%s", n33);
	snprintf(lines[2], sizeof(lines[2]), "spawn \"x\" -> $%s", n33);
	snprintf(lines[3], sizeof(lines[3]), "run \"x\" with { %s: @b }", n33);
	snprintf(lines[4], sizeof(lines[4]), "run \"x\" with { a: client @%s }", n33);
	const struct err_case cases[] = {
		{ lines[0], SH_ERR_NAME_TOO_LONG, 8 },	{ lines[1], SH_ERR_NAME_TOO_LONG, 6 },
		{ lines[2], SH_ERR_NAME_TOO_LONG, 14 }, { lines[3], SH_ERR_NAME_TOO_LONG, 15 },
		{ lines[4], SH_ERR_NAME_TOO_LONG, 26 },
	};
	CHECK_ERRORS(cases);
}

static void test_string_errors(void **state)
{
	(void)state;
	char long_line[128];

	snprintf(long_line, sizeof(long_line), "run \"%s\"", repeat('b', SH_STRING_MAX + 1));
	const struct err_case cases[] = {
		{ "run chat", SH_ERR_EXPECTED_STRING, 4 },
		{ "spawn 'x' -> $v", SH_ERR_EXPECTED_STRING, 6 },
		{ "run \"chat", SH_ERR_UNTERMINATED_STRING, 4 },
		{ "spawn \"x -> $v", SH_ERR_UNTERMINATED_STRING, 6 },
		{ "run \"", SH_ERR_UNTERMINATED_STRING, 4 },
		{ "run \"\"", SH_ERR_EMPTY_STRING, 4 },
		{ "spawn \"\" -> $v", SH_ERR_EMPTY_STRING, 6 },
		{ long_line, SH_ERR_STRING_TOO_LONG, 4 },
		{ "run \"a\tb\"", SH_ERR_BAD_STRING, 6 },
		{ "run \"a\x7f\"", SH_ERR_BAD_STRING, 6 },
		{ "run \"a\xc3\xa9\"", SH_ERR_BAD_STRING, 6 },
	};
	CHECK_ERRORS(cases);

	/* A NUL inside a string is a bad byte, not an end. */
	struct sh_command c;
	struct sh_error err;
	assert_int_equal(parse_n("run \"a\0b\"", 9, &c, &err), SH_ERR_BAD_STRING);
	assert_int_equal(err.column, 6);
}

static void test_punctuation_errors(void **state)
{
	(void)state;
	static const struct err_case cases[] = {
		{ "wait x", SH_ERR_EXPECTED_DOLLAR, 5 },
		{ "release @x", SH_ERR_EXPECTED_DOLLAR, 8 },
		{ "spawn \"x\" -> v", SH_ERR_EXPECTED_DOLLAR, 13 },
		{ "spawn \"x\" ->", SH_ERR_EXPECTED_DOLLAR, 12 },

		{ "run \"x\" with", SH_ERR_EXPECTED_LBRACE, 12 },
		{ "run \"x\" with stdio: @s", SH_ERR_EXPECTED_LBRACE, 13 },
		{ "spawn \"x\" with ( a: @b ) -> $v", SH_ERR_EXPECTED_LBRACE, 15 },

		{ "run \"x\" with {", SH_ERR_EXPECTED_RBRACE, 14 },
		{ "run \"x\" with { ", SH_ERR_EXPECTED_RBRACE, 15 },
		{ "run \"x\" with { a: @b", SH_ERR_EXPECTED_RBRACE, 20 },
		{ "run \"x\" with { a: @b  ", SH_ERR_EXPECTED_RBRACE, 22 },

		{ "run \"x\" with { a: @b c: @d }", SH_ERR_EXPECTED_COMMA, 21 },
		{ "run \"x\" with { a: client @b badge 3 }", SH_ERR_EXPECTED_COMMA, 28 },
		{ "spawn \"x\" with { a: @b -> $v", SH_ERR_EXPECTED_COMMA, 23 },

		{ "run \"x\" with { a @b }", SH_ERR_EXPECTED_COLON, 17 },
		{ "run \"x\" with { a }", SH_ERR_EXPECTED_COLON, 17 },
		{ "run \"x\" with { a", SH_ERR_EXPECTED_COLON, 16 },

		{ "run \"x\" with { a: b }", SH_ERR_EXPECTED_AT, 18 },
		{ "run \"x\" with { a: client b }", SH_ERR_EXPECTED_AT, 25 },
		{ "run \"x\" with { a: clientb }", SH_ERR_EXPECTED_AT, 18 },
		{ "run \"x\" with { a: client }", SH_ERR_EXPECTED_AT, 25 },
		{ "run \"x\" with { a: }", SH_ERR_EXPECTED_AT, 18 },
		{ "run \"x\" with { a: $b }", SH_ERR_EXPECTED_AT, 18 },
		{ "run \"x\" with { a:", SH_ERR_EXPECTED_AT, 17 },
	};
	CHECK_ERRORS(cases);
}

static void test_grant_list_errors(void **state)
{
	(void)state;
	char too_many[512];

	grants_line(too_many, sizeof(too_many), "run", SH_MAX_GRANTS + 1, "");
	const char *last = strstr(too_many, "g16:");
	assert_non_null(last);
	const struct err_case cases[] = {
		{ "run \"x\" with { a: @b, }", SH_ERR_TRAILING_COMMA, 20 },
		{ "run \"x\" with { a: @b,}", SH_ERR_TRAILING_COMMA, 20 },
		{ "spawn \"x\" with { a: @b , } -> $v", SH_ERR_TRAILING_COMMA, 23 },
		{ too_many, SH_ERR_TOO_MANY_GRANTS, (uint32_t)(last - too_many) },
		{ "run \"x\" with { a: @b, a: @c }", SH_ERR_DUPLICATE_GRANT, 22 },
		{ "run \"x\" with { a: @b, c: @d, a: client @b }", SH_ERR_DUPLICATE_GRANT, 29 },
	};
	CHECK_ERRORS(cases);
}

static void test_spawn_result_errors(void **state)
{
	(void)state;
	static const struct err_case cases[] = {
		{ "spawn \"x\"", SH_ERR_MISSING_RESULT, 9 },
		{ "spawn \"x\"   ", SH_ERR_MISSING_RESULT, 12 },
		{ "spawn \"x\" with { a: @b }", SH_ERR_MISSING_RESULT, 24 },
		{ "spawn \"x\" $v", SH_ERR_MISSING_RESULT, 10 },
		{ "spawn \"x\" - > $v", SH_ERR_MISSING_RESULT, 10 },
		{ "spawn \"x\" with { } => $v", SH_ERR_MISSING_RESULT, 19 },
		{ "spawn \"x\" -", SH_ERR_MISSING_RESULT, 10 },
	};
	CHECK_ERRORS(cases);
}

static void test_err_optional_and_strerror(void **state)
{
	(void)state;
	struct sh_command c;

	assert_int_equal(parse_n("frobnicate", 10, &c, NULL), SH_ERR_UNKNOWN_COMMAND);
	assert_int_equal(parse_n("caps", 4, &c, NULL), SH_OK);
	/* Every code has its own message; anything else is unknown. */
	for (int i = 0; i < SH_ERR_COUNT; i++) {
		assert_true(strlen(sh_strerror(-i)) > 0);
		assert_string_not_equal(sh_strerror(-i), "unknown error");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(sh_strerror(-i), sh_strerror(-j));
	}
	assert_string_equal(sh_strerror(SH_ERR_TRAILING_COMMA), "trailing comma");
	assert_string_equal(sh_strerror(SH_ERR_EXPECTED_RBRACE), "expected '}'");
	assert_string_equal(sh_strerror(1), "unknown error");
	assert_string_equal(sh_strerror(-SH_ERR_COUNT), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bare_commands),
		cmocka_unit_test(test_inspect),
		cmocka_unit_test(test_wait_release),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_spawn),
		cmocka_unit_test(test_max_grants),
		cmocka_unit_test(test_command_errors),
		cmocka_unit_test(test_name_errors),
		cmocka_unit_test(test_name_too_long),
		cmocka_unit_test(test_string_errors),
		cmocka_unit_test(test_punctuation_errors),
		cmocka_unit_test(test_grant_list_errors),
		cmocka_unit_test(test_spawn_result_errors),
		cmocka_unit_test(test_err_optional_and_strerror),
	};
	return cmocka_run_group_tests_name("shell-parse", tests, NULL, NULL);
}
