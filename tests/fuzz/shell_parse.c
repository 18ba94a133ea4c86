/*
 * libFuzzer target: arbitrary bytes as one shell line through lib/shell's
 * sh_parse(). Besides memory safety (ASan, UBSan; the input is libFuzzer's
 * exact-size copy, so a read past len is caught):
 *   - the result is SH_OK or an SH_ERR_*, and err agrees with it, with a
 *     column inside [0, len];
 *   - parsing is deterministic: a second parse into a differently filled
 *     output gives the same bytes, and a failed parse leaves *out zeroed;
 *   - an accepted command has NUL-terminated strings within their limits,
 *     only the fields its command uses, at most SH_MAX_GRANTS grants with
 *     distinct child names, and printing it back in canonical form parses
 *     to the same command.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/shell/parse.h"

#define CHECK(cond)                       \
	do {                              \
		if (!(cond))              \
			__builtin_trap(); \
	} while (0)

static const struct sh_command zero;

/* A NUL-terminated name of 1..max bytes in a field of max + 1. */
static void check_str(const char *s, size_t max, bool required)
{
	const char *nul = memchr(s, 0, max + 1);

	CHECK(nul != NULL);
	CHECK(!required || nul > s);
	CHECK(required || nul == s);
	for (const char *p = nul; p < s + max + 1; p++)
		CHECK(*p == 0);
}

static void check_command(const struct sh_command *c)
{
	bool binary = c->cmd == SH_RUN || c->cmd == SH_SPAWN;
	bool name = c->cmd == SH_INSPECT || c->cmd == SH_SPAWN || c->cmd == SH_WAIT ||
		    c->cmd == SH_RELEASE;

	CHECK(c->cmd >= SH_EMPTY && c->cmd <= SH_EXIT);
	check_str(c->binary, SH_STRING_MAX, binary);
	check_str(c->name, SH_NAME_MAX, name);
	CHECK(c->ngrants <= SH_MAX_GRANTS);
	CHECK(binary || c->ngrants == 0);
	for (uint32_t i = 0; i < c->ngrants; i++) {
		check_str(c->grants[i].child, SH_NAME_MAX, true);
		check_str(c->grants[i].cap, SH_NAME_MAX, true);
		for (uint32_t j = 0; j < i; j++)
			CHECK(strcmp(c->grants[i].child, c->grants[j].child) != 0);
	}
	for (uint32_t i = c->ngrants; i < SH_MAX_GRANTS; i++)
		CHECK(memcmp(&c->grants[i], &zero.grants[i], sizeof(c->grants[i])) == 0);
}

/* The canonical spelling of c into buf; its length. */
static int format_command(const struct sh_command *c, char *buf, size_t size)
{
	static const char *const words[] = { "",      "help", "caps",	 "inspect", "run",
					     "spawn", "wait", "release", "exit" };
	int n = snprintf(buf, size, "%s", words[c->cmd]);

	if (c->cmd == SH_INSPECT)
		n += snprintf(buf + n, size - n, " %s", c->name);
	if (c->cmd == SH_WAIT || c->cmd == SH_RELEASE)
		n += snprintf(buf + n, size - n, " $%s", c->name);
	if (c->cmd == SH_RUN || c->cmd == SH_SPAWN) {
		n += snprintf(buf + n, size - n, " \"%s\" with {", c->binary);
		for (uint32_t i = 0; i < c->ngrants; i++)
			n += snprintf(buf + n, size - n, "%s %s: %s@%s", i ? "," : "",
				      c->grants[i].child, c->grants[i].client ? "client " : "",
				      c->grants[i].cap);
		n += snprintf(buf + n, size - n, " }");
	}
	if (c->cmd == SH_SPAWN)
		n += snprintf(buf + n, size - n, " -> $%s", c->name);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sh_command a, b, again;
	static char line[2048];
	struct sh_error ea, eb;

	if (size > UINT32_MAX)
		return 0;
	memset(&b, 0x5a, sizeof(b));
	int rc = sh_parse((const char *)data, (uint32_t)size, &a, &ea);
	CHECK(sh_parse((const char *)data, (uint32_t)size, &b, &eb) == rc);
	CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	CHECK(ea.code == rc && eb.code == rc && ea.column == eb.column);
	CHECK(ea.msg == sh_strerror(rc));
	if (rc != SH_OK) {
		CHECK(rc < 0 && rc > -SH_ERR_COUNT);
		CHECK(ea.column <= size);
		CHECK(memcmp(&a, &zero, sizeof(a)) == 0);
		return 0;
	}
	check_command(&a);
	int n = format_command(&a, line, sizeof(line));
	CHECK(n >= 0 && (size_t)n < sizeof(line));
	CHECK(sh_parse(line, (uint32_t)n, &again, NULL) == SH_OK);
	CHECK(memcmp(&a, &again, sizeof(a)) == 0);
	return 0;
}
