/*
 * lib/shell — a recursive-descent parser over one line. A cursor walks the
 * bytes; each rule consumes what it matches or stops at the first fault with
 * an SH_ERR_* and its column. Every byte read goes through peek(), which
 * answers -1 past the end. See parse.h for the grammar.
 */
#include "lib/shell/parse.h"

#include <stddef.h>
#include <string.h>

struct cursor {
	const char *s;
	uint32_t len;
	uint32_t pos;
	struct sh_error *err;
};

/* The byte at pos + off, or -1 past the end of the line. */
static int peek_at(const struct cursor *c, uint32_t off)
{
	if (off >= c->len - c->pos)
		return -1;
	return (unsigned char)c->s[c->pos + off];
}

static int peek(const struct cursor *c)
{
	return peek_at(c, 0);
}

static bool is_blank(int ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_name_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == '-';
}

/* May this byte end a name? Blanks, the line's end and punctuation. */
static bool ends_name(int ch)
{
	return ch < 0 || is_blank(ch) || (ch != 0 && strchr("\"{},:@$", ch) != NULL);
}

static int fail(struct cursor *c, int code, uint32_t column)
{
	if (c->err != NULL)
		*c->err = (struct sh_error){ code, column, sh_strerror(code) };
	return code;
}

static void skip_blanks(struct cursor *c)
{
	while (is_blank(peek(c)))
		c->pos++;
}

/* Bytes of the run at pos that satisfy pred. */
static uint32_t run_length(const struct cursor *c, bool (*pred)(int))
{
	uint32_t n = 0;

	while (pred(peek_at(c, n)))
		n++;
	return n;
}

static bool not_blank(int ch)
{
	return ch >= 0 && !is_blank(ch);
}

/* Is the name-like word at pos exactly kw? Consumes it if so. */
static bool take_word(struct cursor *c, const char *kw)
{
	uint32_t n = run_length(c, is_name_char);

	if (n != strlen(kw) || memcmp(c->s + c->pos, kw, n) != 0)
		return false;
	c->pos += n;
	return true;
}

/* A name at pos into dst (SH_NAME_MAX + 1 bytes). */
static int take_name(struct cursor *c, char *dst)
{
	uint32_t start = c->pos, n = run_length(c, is_name_char);

	if (n == 0)
		return fail(c, SH_ERR_EXPECTED_NAME, start);
	if (n > SH_NAME_MAX)
		return fail(c, SH_ERR_NAME_TOO_LONG, start);
	if (!ends_name(peek_at(c, n)))
		return fail(c, SH_ERR_BAD_NAME, start + n);
	memcpy(dst, c->s + start, n);
	dst[n] = '\0';
	c->pos += n;
	return SH_OK;
}

/* A "$name" at pos into dst, without the '$'. */
static int take_var(struct cursor *c, char *dst)
{
	if (peek(c) != '$')
		return fail(c, SH_ERR_EXPECTED_DOLLAR, c->pos);
	c->pos++;
	return take_name(c, dst);
}

/* A quoted string at pos into dst (SH_STRING_MAX + 1 bytes), unquoted. */
static int take_string(struct cursor *c, char *dst)
{
	uint32_t open = c->pos, n = 0;
	int ch;

	if (peek(c) != '"')
		return fail(c, SH_ERR_EXPECTED_STRING, open);
	c->pos++;
	while ((ch = peek_at(c, n)) != '"') {
		if (ch < 0)
			return fail(c, SH_ERR_UNTERMINATED_STRING, open);
		if (ch < 0x20 || ch > 0x7e)
			return fail(c, SH_ERR_BAD_STRING, c->pos + n);
		n++;
	}
	if (n == 0)
		return fail(c, SH_ERR_EMPTY_STRING, open);
	if (n > SH_STRING_MAX)
		return fail(c, SH_ERR_STRING_TOO_LONG, open);
	memcpy(dst, c->s + c->pos, n);
	dst[n] = '\0';
	c->pos += n + 1;
	return SH_OK;
}

/* Skip blanks; the line must end here. */
static int take_end(struct cursor *c)
{
	skip_blanks(c);
	if (peek(c) >= 0)
		return fail(c, SH_ERR_TRAILING, c->pos);
	return SH_OK;
}

/* Skip blanks; an argument must follow. */
static int start_argument(struct cursor *c)
{
	skip_blanks(c);
	if (peek(c) < 0)
		return fail(c, SH_ERR_MISSING_ARGUMENT, c->pos);
	return SH_OK;
}

/* One `child: [client] @cap` at pos, appended to out->grants. */
static int take_grant(struct cursor *c, struct sh_command *out)
{
	uint32_t start = c->pos;
	struct sh_grant g = { 0 };
	int rc;

	if ((rc = take_name(c, g.child)) != SH_OK)
		return rc;
	if (out->ngrants == SH_MAX_GRANTS)
		return fail(c, SH_ERR_TOO_MANY_GRANTS, start);
	for (uint32_t i = 0; i < out->ngrants; i++)
		if (strcmp(out->grants[i].child, g.child) == 0)
			return fail(c, SH_ERR_DUPLICATE_GRANT, start);
	skip_blanks(c);
	if (peek(c) != ':')
		return fail(c, SH_ERR_EXPECTED_COLON, c->pos);
	c->pos++;
	skip_blanks(c);
	if (take_word(c, "client")) {
		g.client = true;
		skip_blanks(c);
	}
	if (peek(c) != '@')
		return fail(c, SH_ERR_EXPECTED_AT, c->pos);
	c->pos++;
	if ((rc = take_name(c, g.cap)) != SH_OK)
		return rc;
	out->grants[out->ngrants++] = g;
	return SH_OK;
}

/* `{ grant, ... }` after "with"; pos is past the "with". */
static int take_grants(struct cursor *c, struct sh_command *out)
{
	int rc;

	skip_blanks(c);
	if (peek(c) != '{')
		return fail(c, SH_ERR_EXPECTED_LBRACE, c->pos);
	c->pos++;
	skip_blanks(c);
	if (peek(c) < 0)
		return fail(c, SH_ERR_EXPECTED_RBRACE, c->pos);
	if (peek(c) == '}') {
		c->pos++;
		return SH_OK;
	}
	for (;;) {
		if ((rc = take_grant(c, out)) != SH_OK)
			return rc;
		skip_blanks(c);
		if (peek(c) == '}') {
			c->pos++;
			return SH_OK;
		}
		if (peek(c) < 0)
			return fail(c, SH_ERR_EXPECTED_RBRACE, c->pos);
		if (peek(c) != ',')
			return fail(c, SH_ERR_EXPECTED_COMMA, c->pos);
		uint32_t comma = c->pos++;
		skip_blanks(c);
		if (peek(c) == '}')
			return fail(c, SH_ERR_TRAILING_COMMA, comma);
	}
}

/* ---- one parser per command; pos is past the command word ---- */

static int parse_bare(struct cursor *c, struct sh_command *out)
{
	(void)out;
	return take_end(c);
}

static int parse_inspect(struct cursor *c, struct sh_command *out)
{
	int rc;

	if ((rc = start_argument(c)) != SH_OK || (rc = take_name(c, out->name)) != SH_OK)
		return rc;
	return take_end(c);
}

static int parse_var(struct cursor *c, struct sh_command *out)
{
	int rc;

	if ((rc = start_argument(c)) != SH_OK || (rc = take_var(c, out->name)) != SH_OK)
		return rc;
	return take_end(c);
}

static int parse_run(struct cursor *c, struct sh_command *out)
{
	int rc;

	if ((rc = start_argument(c)) != SH_OK || (rc = take_string(c, out->binary)) != SH_OK)
		return rc;
	skip_blanks(c);
	if (take_word(c, "with") && (rc = take_grants(c, out)) != SH_OK)
		return rc;
	return take_end(c);
}

static int parse_spawn(struct cursor *c, struct sh_command *out)
{
	int rc;

	if ((rc = start_argument(c)) != SH_OK || (rc = take_string(c, out->binary)) != SH_OK)
		return rc;
	skip_blanks(c);
	if (take_word(c, "with")) {
		if ((rc = take_grants(c, out)) != SH_OK)
			return rc;
		skip_blanks(c);
	}
	if (peek(c) != '-' || peek_at(c, 1) != '>')
		return fail(c, SH_ERR_MISSING_RESULT, c->pos);
	c->pos += 2;
	skip_blanks(c);
	if ((rc = take_var(c, out->name)) != SH_OK)
		return rc;
	return take_end(c);
}

static const struct {
	const char *word;
	enum sh_cmd cmd;
	int (*parse)(struct cursor *c, struct sh_command *out);
} commands[] = {
	{ "help", SH_HELP, parse_bare },	  { "caps", SH_CAPS, parse_bare },
	{ "inspect", SH_INSPECT, parse_inspect }, { "run", SH_RUN, parse_run },
	{ "spawn", SH_SPAWN, parse_spawn },	  { "wait", SH_WAIT, parse_var },
	{ "release", SH_RELEASE, parse_var },	  { "exit", SH_EXIT, parse_bare },
};

static int parse_line(struct cursor *c, struct sh_command *out)
{
	uint32_t n;

	skip_blanks(c);
	if (peek(c) < 0) {
		out->cmd = SH_EMPTY;
		return SH_OK;
	}
	n = run_length(c, not_blank);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strlen(commands[i].word) == n &&
		    memcmp(c->s + c->pos, commands[i].word, n) == 0) {
			c->pos += n;
			out->cmd = commands[i].cmd;
			return commands[i].parse(c, out);
		}
	}
	return fail(c, SH_ERR_UNKNOWN_COMMAND, c->pos);
}

int sh_parse(const char *line, uint32_t len, struct sh_command *out, struct sh_error *err)
{
	struct cursor c = { line, len, 0, err };
	int rc;

	memset(out, 0, sizeof(*out));
	if (err != NULL)
		*err = (struct sh_error){ SH_OK, 0, sh_strerror(SH_OK) };
	rc = parse_line(&c, out);
	if (rc != SH_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}

const char *sh_strerror(int err)
{
	static const char *const msgs[SH_ERR_COUNT] = {
		"ok",
		"unknown command",
		"missing argument",
		"unexpected text after command",
		"expected a name",
		"name too long",
		"invalid character in name",
		"expected a quoted string",
		"unterminated string",
		"empty string",
		"string too long",
		"invalid character in string",
		"expected '$'",
		"expected '{'",
		"expected '}'",
		"expected ',' or '}'",
		"expected ':'",
		"expected '@'",
		"trailing comma",
		"too many grants",
		"duplicate grant name",
		"missing '-> $name'",
	};

	if (err > 0 || err <= -SH_ERR_COUNT)
		return "unknown error";
	return msgs[-err];
}
