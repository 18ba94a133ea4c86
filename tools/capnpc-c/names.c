/*
 * tools/capnpc-c naming: how schema names become C names (docs/capnp-c.md).
 * A type Outer.Inner of foo.capnp is foo_Outer_Inner; constants spell the
 * same path in UPPER_SNAKE (FOO_OUTER_INNER).
 */
#include "tools/capnpc-c/gen.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* "dir/foo-bar.capnp" -> "foo_bar" */
char *gen_file_prefix(const char *filename)
{
	const char *base = strrchr(filename, '/');
	base = base ? base + 1 : filename;
	size_t n = strlen(base);
	if (n > 6 && strcmp(base + n - 6, ".capnp") == 0)
		n -= 6;
	char *p = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		p[i] = isalnum((unsigned char)base[i]) ? base[i] : '_';
	p[n] = 0;
	return p;
}

char *gen_c_name(const struct gen *g, const struct sc_node *n)
{
	const struct sc_node *file = sc_file_of(g->req, n);
	char *prefix = gen_file_prefix(file ? file->display_name : "unknown");
	const char *local = sc_local_name(n);
	size_t len = strlen(prefix) + 1 + strlen(local) + 1;
	char *out = malloc(len);
	char *p = out + sprintf(out, "%s_", prefix);

	for (; *local; local++)
		*p++ = (*local == '.' || *local == '$') ? '_' : *local;
	*p = 0;
	free(prefix);
	return out;
}

/* camelCase / Outer_Inner -> CAMEL_CASE / OUTER_INNER */
char *gen_upper(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *p = out;

	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isupper(c) && i > 0 &&
		    (islower((unsigned char)s[i - 1]) || isdigit((unsigned char)s[i - 1])))
			*p++ = '_';
		*p++ = (char)(isalnum(c) ? toupper(c) : '_');
	}
	*p = 0;
	return out;
}
