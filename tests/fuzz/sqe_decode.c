/*
 * libFuzzer target: ring_sqe_check then ring_sqe_decode (lib/ring/), as
 * the kernel runs them, on hostile SQEs against the fake process of
 * tests/unit/ring/decode_fake.h (a cap table with a plain object, an
 * endpoint, the ParkSpace and a stale CapId; two pages of user memory at
 * 0x10000, the second read-only).
 *
 * Input: the 64-byte SQE (zero-padded when short), then bytes for the
 * user memory (where transfer descriptors are read from). Checks that
 * decode never reads memory it did not check (the fake aborts), returns 0
 * or a known CAP_ERR_*, changes nothing, and that whatever it accepts
 * obeys every rule the invoke step relies on.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ring/ring.h"
#include "tests/unit/ring/decode_fake.h"

static struct fake f;
static struct cap_table before;

static void require(int ok)
{
	if (!ok)
		abort();
}

/* A non-empty buffer the decode accepted lies in fake user memory (or, for
 * nothing here, the ring and CapSet pages). */
static int in_mem(uint64_t addr, uint64_t len, int write)
{
	return len == 0 || fake_mapped(NULL, addr, len, write);
}

static void check_accepted(const struct cap_sqe *s, const struct ring_decoded *d)
{
	require(ring_sqe_check(s) == 0);
	if (s->opcode == CAP_OP_NOP)
		return;
	struct cap_hold h;
	require(captable_lookup(&f.caps, s->cap_id, &h) == CAPTABLE_OK);
	require(h.object == d->hold.object && d->kind == fake_kind(NULL, h.object));
	switch (s->opcode) {
	case CAP_OP_CALL:
		require(s->len <= CAP_MAX_PARAMS_BYTES);
		require(in_mem(s->addr, s->len, 0) && in_mem(s->result_addr, s->result_len, 1));
		require(s->xfer_cap_count == 0 || d->kind == RING_OBJ_ENDPOINT);
		break;
	case CAP_OP_RECV:
		require(d->kind == RING_OBJ_ENDPOINT && in_mem(s->result_addr, s->result_len, 1));
		break;
	case CAP_OP_RETURN:
		require(d->kind == RING_OBJ_ENDPOINT && s->len <= CAP_MAX_RESULT_BYTES);
		require(in_mem(s->addr, s->len, 0));
		break;
	case CAP_OP_PARK:
	case CAP_OP_UNPARK:
		require(d->kind == RING_OBJ_PARK && (s->addr & 3) == 0 && s->addr < CAPOS_USER_TOP);
		break;
	}
	require(d->xfer_count == s->xfer_cap_count && d->xfer_count <= CAP_XFER_MAX);
	for (uint32_t i = 0; i < d->xfer_count; i++)
		require(d->xd[i].reserved == 0 && d->xd[i].mode <= CAP_TRANSFER_MODE_MOVE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cap_sqe s = { 0 };
	struct ring_decoded d;

	if (f.env.caps == NULL) {
		fake_init(&f);
		before = f.caps;
	}
	memcpy(&s, data, size < sizeof(s) ? size : sizeof(s));
	memset(f.mem, 0, sizeof(f.mem));
	if (size > sizeof(s)) {
		size_t n = size - sizeof(s);
		memcpy(f.mem, data + sizeof(s), n < sizeof(f.mem) ? n : sizeof(f.mem));
	}
	int r = ring_sqe_check(&s); /* as the kernel: the fields once, then decode */
	if (r == 0)
		r = ring_sqe_decode(&s, &f.env, &d);
	require(r <= 0 && r >= CAP_ERR_CANCELLED);
	require(memcmp(&before, &f.caps, sizeof(before)) == 0);
	if (r == 0)
		check_accepted(&s, &d);
	return 0;
}
