/*
 * lib/term — the terminal line discipline: line editing, echo and typeahead.
 * See linedisc.h for the rules. Invariant: while a read is active the
 * typeahead is empty (ld_begin drains it until the read ends, and ld_feed
 * edits straight into the line), so bytes are always edited in arrival order.
 */
#include "lib/term/linedisc.h"

#include <stddef.h>
#include <string.h>

#define CTRL_C 0x03
#define CTRL_D 0x04
#define BS     0x08
#define DEL    0x7f

/* Echo being written by one call; the callers' bounds keep it in its buffer. */
struct echo_out {
	uint8_t *buf;
	uint32_t len;
};

static void echo_put(struct echo_out *out, const void *s, uint32_t n)
{
	memcpy(out->buf + out->len, s, n);
	out->len += n;
}

static void zero_line(struct linedisc *ld)
{
	memset(ld->line, 0, sizeof(ld->line));
	ld->len = 0;
}

static void zero_ahead(struct linedisc *ld)
{
	memset(ld->ahead, 0, sizeof(ld->ahead));
	ld->ahead_head = 0;
	ld->ahead_len = 0;
}

/* Dequeue the oldest typeahead byte, zeroing its slot. */
static uint8_t ahead_pop(struct linedisc *ld)
{
	uint8_t c = ld->ahead[ld->ahead_head];

	ld->ahead[ld->ahead_head] = 0;
	ld->ahead_head = (ld->ahead_head + 1) % TERMINAL_TYPEAHEAD_MAX;
	ld->ahead_len--;
	return c;
}

/* Queue a byte fed with no read active (see linedisc.h for Ctrl-C). */
static void ahead_push(struct linedisc *ld, uint8_t c)
{
	if (c == CTRL_C)
		zero_ahead(ld);
	else if (ld->ahead_len > 0 && ld->ahead[ld->ahead_head] == CTRL_C)
		return; /* a cancellation is pending: the next read discards this */
	else if (ld->ahead_len == TERMINAL_TYPEAHEAD_MAX)
		return; /* full: dropped */
	ld->ahead[(ld->ahead_head + ld->ahead_len) % TERMINAL_TYPEAHEAD_MAX] = c;
	ld->ahead_len++;
}

/* End the active read; every status but LD_OK leaves the line empty. */
static int end_read(struct linedisc *ld, int status)
{
	if (status != LD_OK)
		zero_line(ld);
	ld->active = false;
	ld->too_long = false;
	return status;
}

static void append(struct linedisc *ld, uint8_t c, struct echo_out *out)
{
	if (ld->too_long)
		return;
	if (ld->len == ld->max) {
		/* Overflow: the line is lost whole, so drop its bytes now. */
		zero_line(ld);
		ld->too_long = true;
		return;
	}
	ld->line[ld->len++] = c;
	if (!ld->hidden)
		echo_put(out, &c, 1);
}

static void erase(struct linedisc *ld, struct echo_out *out)
{
	if (ld->too_long || ld->len == 0)
		return;
	ld->line[--ld->len] = 0;
	if (!ld->hidden)
		echo_put(out, "\b \b", 3);
}

/* Edit one byte into the active read; the status that ends it, or LD_MORE. */
static int edit(struct linedisc *ld, uint8_t c, struct echo_out *out)
{
	bool after_cr = ld->after_cr;

	ld->after_cr = false;
	switch (c) {
	case '\n':
		if (after_cr)
			return LD_MORE;
		/* fallthrough */
	case '\r':
		ld->after_cr = c == '\r';
		echo_put(out, "\r\n", 2);
		return end_read(ld, ld->too_long ? LD_TOO_LONG : LD_OK);
	case CTRL_C:
		/* Empty already (ahead_push keeps a queued Ctrl-C alone); zeroed
		 * here too so the rule does not rest on that. */
		zero_ahead(ld);
		echo_put(out, "^C\r\n", 4);
		return end_read(ld, LD_CANCELLED);
	case CTRL_D:
		if (ld->len == 0 && !ld->too_long)
			return end_read(ld, LD_END_OF_INPUT);
		return LD_MORE;
	case BS:
	case DEL:
		erase(ld, out);
		return LD_MORE;
	default:
		if (c >= 0x20)
			append(ld, c, out);
		return LD_MORE;
	}
}

void ld_init(struct linedisc *ld)
{
	memset(ld, 0, sizeof(*ld));
}

int ld_begin(struct linedisc *ld, uint32_t max, bool hidden, uint8_t *echo, uint32_t *echo_len)
{
	struct echo_out out = { echo, 0 };
	int status = LD_MORE;

	if (max == 0 || max > TERMINAL_LINE_MAX)
		max = TERMINAL_LINE_MAX;
	zero_line(ld);
	ld->max = max;
	ld->hidden = hidden;
	ld->too_long = false;
	ld->active = true;
	while (status == LD_MORE && ld->ahead_len > 0)
		status = edit(ld, ahead_pop(ld), &out);
	*echo_len = out.len;
	return status;
}

int ld_feed(struct linedisc *ld, uint8_t byte, uint8_t *echo, uint32_t *echo_len)
{
	struct echo_out out = { echo, 0 };
	int status = LD_MORE;

	if (ld->active)
		status = edit(ld, byte, &out);
	else
		ahead_push(ld, byte);
	*echo_len = out.len;
	return status;
}

void ld_line(const struct linedisc *ld, const uint8_t **line, uint32_t *len)
{
	*line = ld->line;
	*len = ld->active ? 0 : ld->len;
}

void ld_scrub(struct linedisc *ld)
{
	zero_line(ld);
	zero_ahead(ld);
	ld->max = 0;
	ld->active = false;
	ld->hidden = false;
	ld->too_long = false;
}

bool ld_active(const struct linedisc *ld)
{
	return ld->active;
}
