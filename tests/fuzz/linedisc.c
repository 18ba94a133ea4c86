/*
 * libFuzzer target for lib/term: drive the line discipline with arbitrary
 * UART bytes mixed with reads begun (any max, either echo mode) and scrubs.
 * Input: 0xFD scrubs; 0xFE A B begins a read with max A | (B & 1) << 8 (0 and
 * values above the limit included) and hidden echo if B & 2; 0xFF X feeds X;
 * any other byte is fed as itself. After every call it checks:
 *   - statuses are documented ones, a read ends exactly when one is returned;
 *   - echo stays within LD_ECHO_MAX / LD_BEGIN_ECHO_MAX (the buffers have
 *     exactly that size, so ASan catches any write past the bound);
 *   - a hidden read echoes nothing but its final "\r\n" or "^C\r\n";
 *   - a visible read's echo replayed as a screen equals the finished line;
 *   - the line never exceeds the read's max; a finished line is empty unless
 *     LD_OK; bytes outside the line and the typeahead are always zero.
 * Seeds: tests/fuzz/corpus/linedisc/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/term/linedisc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the harness knows of the read, independently of lib/term. */
struct shadow {
	bool active;
	bool hidden;
	uint32_t max;
	uint8_t screen[TERMINAL_LINE_MAX]; /* a visible read's echo, replayed */
	uint32_t screen_len;
};

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "linedisc: invariant broken: %s\n", what);
		abort();
	}
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/* Bytes no line or queue holds are zero: nothing stale lingers. */
static void check_zeroed(const struct linedisc *ld)
{
	check(ld->len <= TERMINAL_LINE_MAX, "line length");
	check(all_zero(ld->line + ld->len, TERMINAL_LINE_MAX - ld->len), "stale line bytes");
	check(ld->ahead_len <= TERMINAL_TYPEAHEAD_MAX, "typeahead length");
	for (uint32_t i = ld->ahead_len; i < TERMINAL_TYPEAHEAD_MAX; i++)
		check(ld->ahead[(ld->ahead_head + i) % TERMINAL_TYPEAHEAD_MAX] == 0,
		      "stale typeahead bytes");
}

/* The echo that ends a read with status (all of a hidden read's echo). */
static const char *final_echo(int status)
{
	switch (status) {
	case LD_OK:
	case LD_TOO_LONG:
		return "\r\n";
	case LD_CANCELLED:
		return "^C\r\n";
	default:
		return "";
	}
}

/* Replay a visible read's echo, minus its final part, on the screen. */
static void replay(struct shadow *sh, const uint8_t *echo, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t c = echo[i];
		if (c == '\b') {
			check(i + 2 < n && echo[i + 1] == ' ' && echo[i + 2] == '\b',
			      "erase echo is \\b \\b");
			check(sh->screen_len > 0, "erase on an empty screen");
			sh->screen_len--;
			i += 2;
			continue;
		}
		check(c >= 0x20 && c != 0x7f, "control byte echoed");
		check(sh->screen_len < sh->max, "more echoed than max");
		sh->screen[sh->screen_len++] = c;
	}
}

static void check_echo(struct shadow *sh, int status, const uint8_t *echo, uint32_t n)
{
	const char *fin = final_echo(status);
	uint32_t fin_len = (uint32_t)strlen(fin);

	check(n >= fin_len && memcmp(echo + n - fin_len, fin, fin_len) == 0, "final echo");
	if (sh->hidden)
		check(n == fin_len, "hidden read echoed a line byte");
	else
		replay(sh, echo, n - fin_len);
}

/* After a call made with a read active: the read's state and its result. */
static void check_read(struct linedisc *ld, struct shadow *sh, int status, const uint8_t *echo,
		       uint32_t n)
{
	const uint8_t *line;
	uint32_t len;

	check(status >= LD_MORE && status <= LD_END_OF_INPUT, "status value");
	check_echo(sh, status, echo, n);
	check(ld_active(ld) == (status == LD_MORE), "active until a status");
	check(ld->len <= sh->max, "line longer than max");
	if (status == LD_MORE)
		return;
	sh->active = false;
	ld_line(ld, &line, &len);
	check(len <= sh->max, "finished line longer than max");
	if (status != LD_OK)
		check(len == 0 && all_zero(ld->line, TERMINAL_LINE_MAX), "non-ok line kept");
	if (status == LD_OK && !sh->hidden)
		check(len == sh->screen_len && memcmp(line, sh->screen, len) == 0,
		      "line differs from its echo");
	if (status == LD_TOO_LONG && !sh->hidden)
		check(sh->screen_len == sh->max, "too long before max was echoed");
}

static void do_begin(struct linedisc *ld, struct shadow *sh, uint8_t a, uint8_t b)
{
	uint8_t echo[LD_BEGIN_ECHO_MAX];
	uint32_t max = a | (uint32_t)(b & 1) << 8;
	uint32_t n = 0;
	int status;

	status = ld_begin(ld, max, b & 2, echo, &n);
	check(n <= LD_BEGIN_ECHO_MAX, "begin echo bound");
	*sh = (struct shadow){ .active = true, .hidden = b & 2 };
	sh->max = max == 0 || max > TERMINAL_LINE_MAX ? TERMINAL_LINE_MAX : max;
	check_read(ld, sh, status, echo, n);
}

static void do_feed(struct linedisc *ld, struct shadow *sh, uint8_t byte)
{
	uint8_t echo[LD_ECHO_MAX];
	uint32_t n = 0;
	int status;

	status = ld_feed(ld, byte, echo, &n);
	check(n <= LD_ECHO_MAX, "feed echo bound");
	if (sh->active) {
		check_read(ld, sh, status, echo, n);
	} else {
		check(status == LD_MORE && n == 0 && !ld_active(ld), "idle feed");
		if (byte == 0x03)
			check(ld->ahead_len == 1, "a queued Ctrl-C stands alone");
	}
}

static void do_scrub(struct linedisc *ld, struct shadow *sh)
{
	const uint8_t *line;
	uint32_t len;

	ld_scrub(ld);
	sh->active = false;
	ld_line(ld, &line, &len);
	check(!ld_active(ld) && len == 0 && ld->ahead_len == 0, "scrub forgets");
	check(all_zero(ld->line, TERMINAL_LINE_MAX) && all_zero(ld->ahead, TERMINAL_TYPEAHEAD_MAX),
	      "scrub zeroes");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linedisc ld;
	struct shadow sh = { 0 };
	size_t i = 0;

	ld_init(&ld);
	while (i < size) {
		uint8_t c = data[i++];
		if (c == 0xfd) {
			do_scrub(&ld, &sh);
		} else if (c == 0xfe) {
			uint8_t a = i < size ? data[i++] : 0;
			uint8_t b = i < size ? data[i++] : 0;
			do_begin(&ld, &sh, a, b);
		} else {
			if (c == 0xff)
				c = i < size ? data[i++] : 0xff;
			do_feed(&ld, &sh, c);
		}
		check_zeroed(&ld);
	}
	return 0;
}
