/*
 * Shared helpers for lib/capnp's unit tests: reading a fixture file into an
 * aligned buffer, and framing hand-written words as a one-segment message.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/capnp/capnp.h"

#define TEST_MAX_SEGS 64

struct test_msg {
	uint64_t buf[4096];
	size_t len;
	struct capnp_seg segs[TEST_MAX_SEGS];
	struct capnp_msg msg;
};

/* Load path into t and frame it; returns the capnp_msg_init result. */
static inline int test_load(struct test_msg *t, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -100;
	t->len = fread(t->buf, 1, sizeof(t->buf), f);
	fclose(f);
	return capnp_msg_init(&t->msg, t->buf, t->len, t->segs, TEST_MAX_SEGS, NULL);
}

/* Frame n hand-written words as a single-segment message. */
static inline int test_words(struct test_msg *t, const uint64_t *words, uint32_t n)
{
	t->buf[0] = (uint64_t)n << 32;
	if (n)
		memcpy(&t->buf[1], words, n * 8);
	t->len = (n + 1) * 8;
	return capnp_msg_init(&t->msg, t->buf, t->len, t->segs, TEST_MAX_SEGS, NULL);
}

/* Pointer words. */
static inline uint64_t w_struct(int32_t off, uint16_t dw, uint16_t pc)
{
	return (uint64_t)((uint32_t)off << 2) | ((uint64_t)dw << 32) | ((uint64_t)pc << 48);
}

static inline uint64_t w_list(int32_t off, uint32_t elem, uint32_t count)
{
	return (uint64_t)((uint32_t)off << 2) | 1 | ((uint64_t)elem << 32) |
	       ((uint64_t)count << 35);
}

static inline uint64_t w_far(uint32_t seg, uint32_t pad, int two)
{
	return 2 | ((uint64_t)two << 2) | ((uint64_t)pad << 3) | ((uint64_t)seg << 32);
}
