/*
 * Host tests of lib/fmt: table-driven, each case compared with the host C
 * library's snprintf for the same format and argument, plus truncation and
 * the sink interface.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/fmt/fmt.h"

#define SAME(fmtstr, ...)                                                        \
	do {                                                                     \
		char want[256], got[256];                                        \
		int wn = snprintf(want, sizeof(want), fmtstr, __VA_ARGS__);      \
		size_t gn = fmt_snprintf(got, sizeof(got), fmtstr, __VA_ARGS__); \
		assert_string_equal(got, want);                                  \
		assert_int_equal(gn, (size_t)wn);                                \
	} while (0)

static void test_integers(void **state)
{
	(void)state;
	SAME("%d|%i|%u", 0, -1, 4000000000u);
	SAME("%d %d", INT32_MIN, INT32_MAX);
	SAME("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
	SAME("%lld %llu", (long long)-42, (unsigned long long)18446744073709551615ull);
	SAME("%zu %zx", (size_t)12345, (size_t)0xabcdef);
	SAME("%x %X %lx", 0xdeadbeefu, 0xdeadbeefu, 0x123456789abcdefUL);
}

static void test_width_and_flags(void **state)
{
	(void)state;
	SAME("[%8d][%-8d][%08d]", 42, 42, 42);
	SAME("[%08d][%8d]", -42, -42);
	SAME("[%016lx][%4x]", 0xffUL, 0x12345u);
	SAME("[%-6u][%06u]", 7u, 7u);
	SAME("[%5c][%-5c]", 'a', 'b');
}

static void test_strings(void **state)
{
	(void)state;
	SAME("[%s][%10s][%-10s]", "abc", "abc", "abc");
	SAME("[%.2s][%8.3s][%-8.1s]", "abcdef", "abcdef", "abcdef");
	SAME("[%.0s][%s]", "gone", "");
	SAME("[%.*s][%.*s]", 3, "abcdef", 0, "xyz");
	SAME("100%% %c", 'x');
}

static void test_pointer(void **state)
{
	(void)state;
	char got[64];
	fmt_snprintf(got, sizeof(got), "%p", (void *)0xffffffff80001000ul);
	assert_string_equal(got, "0xffffffff80001000");
	fmt_snprintf(got, sizeof(got), "%p", (void *)0);
	assert_string_equal(got, "0x0");
}

static void test_truncation(void **state)
{
	(void)state;
	char buf[8];
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(fmt_snprintf(buf, 0, "%d", 12345), 5);
	assert_int_equal(fmt_snprintf(buf, 1, "%d", 12345), 5);
	assert_string_equal(buf, "");
	char s[16];
	fmt_snprintf(s, sizeof(s), "%s", (char *)NULL);
	assert_string_equal(s, "(null)");
}

struct collect {
	char buf[64];
	size_t n, calls;
};

static void collect_sink(void *ctx, const char *s, size_t len)
{
	struct collect *c = ctx;
	memcpy(c->buf + c->n, s, len);
	c->n += len;
	c->calls++;
}

static void test_sink(void **state)
{
	(void)state;
	struct collect c = { 0 };
	assert_int_equal(fmt_format(collect_sink, &c, "a%db%sc", 12, "xy"), 7);
	assert_memory_equal(c.buf, "a12bxyc", 7);
	assert_true(c.calls >= 5);
	/* An unknown conversion is printed literally rather than consuming args. */
	char buf[32];
	fmt_snprintf(buf, sizeof(buf), "%q%d", 5);
	assert_string_equal(buf, "%q5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),   cmocka_unit_test(test_width_and_flags),
		cmocka_unit_test(test_strings),	   cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_truncation), cmocka_unit_test(test_sink),
	};
	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
