/*
 * Host tests of lib/term: every editing rule of the line discipline with the
 * exact echo it writes — Enter (CR, LF, CR LF once), backspace, Ctrl-C,
 * Ctrl-D, ignored controls, 8-bit bytes, hidden echo, too-long lines — then
 * typeahead (before a read, overflow, a pending Ctrl-C) and scrubbing, with
 * the struct inspected to prove secrets are zeroed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "gen/capos.capnp.h"
#include "lib/term/linedisc.h"

_Static_assert((int)LD_OK == (int)CAPOS_LINE_STATUS_OK, "LD_OK is LineStatus.ok");
_Static_assert((int)LD_CANCELLED == (int)CAPOS_LINE_STATUS_CANCELLED, "LineStatus.cancelled");
_Static_assert((int)LD_TOO_LONG == (int)CAPOS_LINE_STATUS_TOO_LONG, "LineStatus.tooLong");
_Static_assert((int)LD_END_OF_INPUT == (int)CAPOS_LINE_STATUS_END_OF_INPUT,
	       "LineStatus.endOfInput");

/* Everything echoed since the last check_echo. */
static uint8_t echoed[4096];
static uint32_t echoed_len;

static void record(const uint8_t *echo, uint32_t n)
{
	assert_true(echoed_len + n <= sizeof(echoed));
	memcpy(echoed + echoed_len, echo, n);
	echoed_len += n;
}

static void setup(struct linedisc *ld)
{
	ld_init(ld);
	echoed_len = 0;
}

static int begin(struct linedisc *ld, uint32_t max, bool hidden)
{
	uint8_t echo[LD_BEGIN_ECHO_MAX];
	uint32_t n = 0xdead;
	int st = ld_begin(ld, max, hidden, echo, &n);

	assert_true(n <= LD_BEGIN_ECHO_MAX);
	record(echo, n);
	return st;
}

/* Feed n bytes; every status but the last must be LD_MORE. */
static int feed_n(struct linedisc *ld, const char *s, size_t n)
{
	int st = LD_MORE;

	for (size_t i = 0; i < n; i++) {
		uint8_t echo[LD_ECHO_MAX];
		uint32_t len = 0xdead;

		assert_int_equal(st, LD_MORE);
		st = ld_feed(ld, (uint8_t)s[i], echo, &len);
		assert_true(len <= LD_ECHO_MAX);
		record(echo, len);
	}
	return st;
}

static int feed(struct linedisc *ld, const char *s)
{
	return feed_n(ld, s, strlen(s));
}

static void check_echo_n(const char *want, size_t n)
{
	assert_int_equal(echoed_len, n);
	assert_memory_equal(echoed, want, n);
	echoed_len = 0;
}

static void check_echo(const char *want)
{
	check_echo_n(want, strlen(want));
}

static void check_line_n(const struct linedisc *ld, const char *want, size_t n)
{
	const uint8_t *line;
	uint32_t len;

	ld_line(ld, &line, &len);
	assert_int_equal(len, n);
	assert_memory_equal(line, want, n);
}

static void check_line(const struct linedisc *ld, const char *want)
{
	check_line_n(ld, want, strlen(want));
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

static bool contains(const uint8_t *p, size_t n, uint8_t c)
{
	return memchr(p, c, n) != NULL;
}

static void test_visible_line(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	assert_false(ld_active(&ld));
	assert_int_equal(begin(&ld, 0, false), LD_MORE);
	assert_true(ld_active(&ld));
	check_line(&ld, ""); /* nothing finished yet */
	assert_int_equal(feed(&ld, "hello world\r"), LD_OK);
	check_echo("hello world\r\n");
	check_line(&ld, "hello world");
	assert_false(ld_active(&ld));
	/* A byte with no read active is queued, not edited or echoed. */
	assert_int_equal(feed(&ld, "x"), LD_MORE);
	check_echo("");
	check_line(&ld, "hello world");
}

static void test_lf_ends_line(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "ab\n"), LD_OK);
	check_echo("ab\r\n");
	check_line(&ld, "ab");
	/* LF LF is two lines: only an LF after a line-ending CR is swallowed. */
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "\n"), LD_OK);
	check_line(&ld, "");
	check_echo("\r\n");
}

static void test_cr_lf_counts_once(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	/* The LF arrives during the next read. */
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "a\r"), LD_OK);
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "\n"), LD_MORE);
	check_echo("a\r\n");
	assert_int_equal(feed(&ld, "b\r"), LD_OK);
	check_line(&ld, "b");
	/* The LF arrives between reads, as typeahead. */
	assert_int_equal(feed(&ld, "\n"), LD_MORE);
	assert_int_equal(begin(&ld, 0, false), LD_MORE);
	check_echo("b\r\n");
	assert_int_equal(feed(&ld, "\r"), LD_OK);
	check_echo("\r\n");
	/* Whole CR LF lines queued as typeahead. */
	feed(&ld, "c\r\nd\r\n");
	assert_int_equal(begin(&ld, 0, false), LD_OK);
	check_line(&ld, "c");
	assert_int_equal(begin(&ld, 0, false), LD_OK);
	check_line(&ld, "d");
	assert_int_equal(begin(&ld, 0, false), LD_MORE);
	check_echo("c\r\nd\r\n");
	/* CR CR is two lines; any byte between CR and LF re-arms LF. */
	assert_int_equal(feed(&ld, "\r"), LD_OK);
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "\r"), LD_OK);
	check_line(&ld, "");
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "\x01\n"), LD_OK);
	check_line(&ld, "");
	/* A cancelled read between CR and LF re-arms LF too. */
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "x\r"), LD_OK);
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "\003"), LD_CANCELLED);
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "\n"), LD_OK);
}

static void test_backspace(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "abc\177\bd\r"), LD_OK);
	check_echo("abc\b \b\b \bd\r\n");
	check_line(&ld, "ad");
	/* The erased bytes do not linger past the line. */
	assert_true(all_zero(ld.line + 2, sizeof(ld.line) - 2));
}

static void test_backspace_at_empty(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "\177\b\177"), LD_MORE);
	check_echo("");
	assert_int_equal(feed(&ld, "x\177\177y\r"), LD_OK);
	check_echo("x\b \by\r\n");
	check_line(&ld, "y");
}

static void test_hidden_echoes_no_line_byte(void **state)
{
	(void)state;
	struct linedisc ld;
	/* Every byte that can be in a line, including '^' and 'C', backspaced
	 * and not. */
	char pw[300];
	size_t n = 0;
	setup(&ld);
	for (unsigned c = 0x20; c < 0x100; c++)
		if (c != 0x7f)
			pw[n++] = (char)c;
	assert_int_equal(begin(&ld, TERMINAL_LINE_MAX, true), LD_MORE);
	assert_int_equal(feed_n(&ld, pw, n), LD_MORE);
	assert_int_equal(feed(&ld, "\177Z\b\b"), LD_MORE);
	check_echo("");
	assert_int_equal(feed(&ld, "\r"), LD_OK);
	check_echo("\r\n");
	check_line_n(&ld, pw, n - 2);
	/* The next begin zeroes the finished secret. */
	begin(&ld, 0, false);
	assert_true(all_zero(ld.line, sizeof(ld.line)));
	check_line(&ld, "");
}

static void test_hidden_cancel_and_too_long(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	begin(&ld, 0, true);
	assert_int_equal(feed(&ld, "pw\003"), LD_CANCELLED);
	check_echo("^C\r\n");
	assert_true(all_zero(ld.line, sizeof(ld.line)));
	begin(&ld, 3, true);
	assert_int_equal(feed(&ld, "abcdef\177\r"), LD_TOO_LONG);
	check_echo("\r\n");
	/* Hidden typeahead echoes nothing either. */
	feed(&ld, "secret\r");
	assert_int_equal(begin(&ld, 0, true), LD_OK);
	check_echo("\r\n");
	check_line(&ld, "secret");
}

static void test_too_long_discards_whole_line(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	/* Exactly max bytes is a line. */
	begin(&ld, 4, false);
	assert_int_equal(feed(&ld, "abcd\r"), LD_OK);
	check_line(&ld, "abcd");
	check_echo("abcd\r\n");
	/* One more is too long: no echo for the excess, nothing kept at once. */
	begin(&ld, 4, false);
	assert_int_equal(feed(&ld, "abcde"), LD_MORE);
	check_echo("abcd");
	assert_true(all_zero(ld.line, sizeof(ld.line)));
	/* Backspace does not revive it, Ctrl-D does not end it. */
	assert_int_equal(feed(&ld, "\177\177\004fgh"), LD_MORE);
	check_echo("");
	assert_true(ld_active(&ld));
	assert_int_equal(feed(&ld, "\n"), LD_TOO_LONG);
	check_echo("\r\n");
	check_line(&ld, "");
	assert_false(ld_active(&ld));
	/* max 1 */
	begin(&ld, 1, false);
	assert_int_equal(feed(&ld, "ab\r"), LD_TOO_LONG);
	check_line(&ld, "");
}

static void test_max_bounds(void **state)
{
	(void)state;
	struct linedisc ld;
	char big[TERMINAL_LINE_MAX + 1];
	setup(&ld);
	memset(big, 'q', sizeof(big));
	begin(&ld, 0, false);
	assert_int_equal(ld.max, TERMINAL_LINE_MAX);
	assert_int_equal(feed_n(&ld, big, TERMINAL_LINE_MAX), LD_MORE);
	assert_int_equal(feed(&ld, "\r"), LD_OK);
	check_line_n(&ld, big, TERMINAL_LINE_MAX);
	/* Beyond the terminal's limit is clamped to it. */
	begin(&ld, 100000, false);
	assert_int_equal(ld.max, TERMINAL_LINE_MAX);
	assert_int_equal(feed_n(&ld, big, sizeof(big)), LD_MORE);
	assert_int_equal(feed(&ld, "\r"), LD_TOO_LONG);
}

static void test_ctrl_c(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "abc\003"), LD_CANCELLED);
	check_echo("abc^C\r\n");
	check_line(&ld, "");
	assert_false(ld_active(&ld));
	assert_true(all_zero(ld.line, sizeof(ld.line)));
	/* On an overflowed line too. */
	begin(&ld, 1, false);
	assert_int_equal(feed(&ld, "xyz\003"), LD_CANCELLED);
	check_echo("x^C\r\n");
}

static void test_ctrl_c_scrubs_typeahead(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	/* Queued while no read is active: Ctrl-C zeroes what is ahead of it ... */
	feed(&ld, "hunter2\r");
	feed(&ld, "\003");
	check_echo("");
	assert_int_equal(ld.ahead_len, 1);
	assert_false(contains(ld.ahead, sizeof(ld.ahead), 'h'));
	assert_false(contains(ld.ahead, sizeof(ld.ahead), '2'));
	/* ... and what follows it is dropped, never stored. */
	feed(&ld, "later");
	assert_int_equal(ld.ahead_len, 1);
	assert_false(contains(ld.ahead, sizeof(ld.ahead), 'l'));
	/* The next read reports the cancellation; the queue is then empty. */
	assert_int_equal(begin(&ld, 0, true), LD_CANCELLED);
	check_echo("^C\r\n");
	assert_int_equal(ld.ahead_len, 0);
	assert_true(all_zero(ld.ahead, sizeof(ld.ahead)));
	assert_int_equal(begin(&ld, 0, false), LD_MORE);
	check_echo("");
	assert_int_equal(feed(&ld, "ok\r"), LD_OK);
	check_line(&ld, "ok");
}

static void test_ctrl_d_only_on_empty_line(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "\004"), LD_END_OF_INPUT);
	check_echo("");
	check_line(&ld, "");
	assert_false(ld_active(&ld));
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "a\004\004"), LD_MORE);
	check_echo("a");
	/* Empty again after a backspace. */
	assert_int_equal(feed(&ld, "\177\004"), LD_END_OF_INPUT);
	check_echo("\b \b");
	/* From typeahead. */
	feed(&ld, "\004b\r");
	assert_int_equal(begin(&ld, 0, false), LD_END_OF_INPUT);
	assert_int_equal(begin(&ld, 0, false), LD_OK);
	check_line(&ld, "b");
}

static void test_controls_ignored(void **state)
{
	(void)state;
	struct linedisc ld;
	static const char in[] = "\000\001\002\005\006\007\t\013\014\016\033\037a\r";
	setup(&ld);
	begin(&ld, 0, false);
	assert_int_equal(feed_n(&ld, in, sizeof(in) - 1), LD_OK);
	check_echo("a\r\n");
	check_line(&ld, "a");
}

static void test_8bit_bytes_pass_through(void **state)
{
	(void)state;
	struct linedisc ld;
	static const char in[] = "caf\xc3\xa9 \xe2\x82\xac \x80\xff";
	setup(&ld);
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, in), LD_MORE);
	assert_int_equal(feed(&ld, "\r"), LD_OK);
	check_line(&ld, in);
	check_echo("caf\xc3\xa9 \xe2\x82\xac \x80\xff\r\n");
	/* Backspace removes one byte. */
	begin(&ld, 0, false);
	assert_int_equal(feed(&ld, "\xc3\xa9\177\r"), LD_OK);
	check_line(&ld, "\xc3");
}

static void test_typeahead_before_begin(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	assert_int_equal(feed(&ld, "ls\rpwd\rab"), LD_MORE);
	check_echo("");
	assert_int_equal(begin(&ld, 0, false), LD_OK);
	check_echo("ls\r\n");
	check_line(&ld, "ls");
	assert_int_equal(begin(&ld, 0, false), LD_OK);
	check_line(&ld, "pwd");
	/* A partial line: the read goes on with it. */
	assert_int_equal(begin(&ld, 0, false), LD_MORE);
	check_echo("pwd\r\nab");
	assert_true(ld_active(&ld));
	assert_int_equal(ld.ahead_len, 0);
	assert_int_equal(feed(&ld, "\177c\r"), LD_OK);
	check_line(&ld, "ac");
	check_echo("\b \bc\r\n");
	/* Consumed typeahead slots are zeroed. */
	assert_true(all_zero(ld.ahead, sizeof(ld.ahead)));
	/* Typeahead that overflows the read's max. */
	feed(&ld, "toolong\rfine\r");
	assert_int_equal(begin(&ld, 4, false), LD_TOO_LONG);
	assert_int_equal(begin(&ld, 4, false), LD_OK);
	check_line(&ld, "fine");
}

static void test_typeahead_overflow(void **state)
{
	(void)state;
	struct linedisc ld;
	char in[TERMINAL_TYPEAHEAD_MAX + 10];
	setup(&ld);
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (char)('a' + i % 26);
	feed_n(&ld, in, sizeof(in));
	assert_int_equal(ld.ahead_len, TERMINAL_TYPEAHEAD_MAX);
	/* The later bytes were dropped; the earlier ones arrive intact. */
	assert_int_equal(begin(&ld, 0, false), LD_MORE);
	check_echo_n(in, TERMINAL_TYPEAHEAD_MAX);
	assert_int_equal(feed(&ld, "\r"), LD_OK);
	check_line_n(&ld, in, TERMINAL_TYPEAHEAD_MAX);
	/* A full queue still takes Ctrl-C. */
	feed_n(&ld, in, sizeof(in));
	feed(&ld, "\003");
	assert_int_equal(begin(&ld, 0, false), LD_CANCELLED);
}

/* The most echo a begin can produce stays within LD_BEGIN_ECHO_MAX. */
static void test_begin_echo_bound(void **state)
{
	(void)state;
	struct linedisc ld;
	char in[TERMINAL_TYPEAHEAD_MAX];
	size_t n = 0;
	setup(&ld);
	while (n + 3 <= sizeof(in)) {
		in[n++] = 'a';
		in[n++] = 0x7f;
	}
	in[n++] = 'a';
	in[n++] = '\r';
	feed_n(&ld, in, n);
	assert_int_equal(ld.ahead_len, n);
	assert_int_equal(begin(&ld, 0, false), LD_OK);
	assert_int_equal(echoed_len, (n - 2) / 2 * 4 + 1 + 2);
	assert_true(echoed_len <= LD_BEGIN_ECHO_MAX);
}

static void test_begin_abandons_active_read(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	begin(&ld, 0, true);
	feed(&ld, "half");
	assert_int_equal(begin(&ld, 0, false), LD_MORE);
	assert_true(all_zero(ld.line, sizeof(ld.line)));
	assert_int_equal(feed(&ld, "new\r"), LD_OK);
	check_line(&ld, "new");
}

/* After a scrub only the CR-ended flag may be set. */
static void check_scrubbed(const struct linedisc *ld)
{
	struct linedisc zero;
	memset(&zero, 0, sizeof(zero));
	zero.after_cr = ld->after_cr;
	assert_true(all_zero(ld->line, sizeof(ld->line)));
	assert_true(all_zero(ld->ahead, sizeof(ld->ahead)));
	assert_int_equal(ld->len, 0);
	assert_int_equal(ld->ahead_len, 0);
	assert_false(ld_active(ld));
	assert_memory_equal(ld, &zero, sizeof(zero));
}

static void test_scrub(void **state)
{
	(void)state;
	struct linedisc ld;
	setup(&ld);
	/* A read in progress. */
	begin(&ld, 0, true);
	feed(&ld, "passw");
	ld_scrub(&ld);
	check_scrubbed(&ld);
	/* Typeahead, with the ring wrapped. */
	for (int i = 0; i < 3; i++) {
		feed(&ld, "0123456789abcdefghijklmnopqrstuvwxyz\r");
		begin(&ld, 0, false);
	}
	feed(&ld, "secret");
	assert_true(ld.ahead_head > 0);
	ld_scrub(&ld);
	check_scrubbed(&ld);
	assert_int_equal(begin(&ld, 0, false), LD_MORE);
	ld_scrub(&ld);
	/* A finished hidden line. */
	begin(&ld, 0, true);
	assert_int_equal(feed(&ld, "pw\r"), LD_OK);
	ld_scrub(&ld);
	check_scrubbed(&ld);
	check_line(&ld, "");
	/* The CR of that line still swallows its LF for the next reader. */
	assert_true(ld.after_cr);
	feed(&ld, "\n");
	assert_int_equal(begin(&ld, 0, false), LD_MORE);
	/* A feed with no read after a scrub is typeahead again. */
	ld_scrub(&ld);
	feed(&ld, "z\r");
	assert_int_equal(begin(&ld, 0, false), LD_OK);
	check_line(&ld, "z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visible_line),
		cmocka_unit_test(test_lf_ends_line),
		cmocka_unit_test(test_cr_lf_counts_once),
		cmocka_unit_test(test_backspace),
		cmocka_unit_test(test_backspace_at_empty),
		cmocka_unit_test(test_hidden_echoes_no_line_byte),
		cmocka_unit_test(test_hidden_cancel_and_too_long),
		cmocka_unit_test(test_too_long_discards_whole_line),
		cmocka_unit_test(test_max_bounds),
		cmocka_unit_test(test_ctrl_c),
		cmocka_unit_test(test_ctrl_c_scrubs_typeahead),
		cmocka_unit_test(test_ctrl_d_only_on_empty_line),
		cmocka_unit_test(test_controls_ignored),
		cmocka_unit_test(test_8bit_bytes_pass_through),
		cmocka_unit_test(test_typeahead_before_begin),
		cmocka_unit_test(test_typeahead_overflow),
		cmocka_unit_test(test_begin_echo_bound),
		cmocka_unit_test(test_begin_abandons_active_read),
		cmocka_unit_test(test_scrub),
	};
	return cmocka_run_group_tests_name("linedisc", tests, NULL, NULL);
}
