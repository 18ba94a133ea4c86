/*
 * Helpers shared by the conformance suite's C tests: load a corpus message
 * (and its re-framed variants) into an aligned buffer.
 */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/capnp/capnp.h"
#include "conformance.capnp.h"
#include "lib/capnp/capnp_float.h"
#include <math.h>

#define CONF_MAX_WORDS (1 << 17)

struct conf_msg {
	uint64_t buf[CONF_MAX_WORDS];
	struct capnp_seg segs[512];
	struct capnp_msg msg;
};

/* Load DIR/NAME<suffix>.bin; returns 0, or -1 if the file is missing. */
static inline int conf_load(struct conf_msg *m, const char *dir, const char *name,
			    const char *suffix)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s%s.bin", dir, name, suffix);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	size_t len = fread(m->buf, 1, sizeof(m->buf), f);
	fclose(f);
	return capnp_msg_init(&m->msg, m->buf, len, m->segs, 512, NULL) == CAPNP_OK ? 0 : -2;
}

static inline void conf_text_eq(const struct capnp_text *t, const char *want)
{
	if (strlen(want) != t->len || memcmp(t->str, want, t->len) != 0) {
		fprintf(stderr, "text mismatch: want \"%s\", got \"%.*s\"\n", want, (int)t->len,
			t->str);
		abort();
	}
}
