/*
 * lib/ring — ring index arithmetic and SQE field checks. See ring.h.
 */
#include "lib/ring/ring.h"

int ring_sq_pending(uint32_t k_sq_head, uint32_t u_sq_tail)
{
	uint32_t n = u_sq_tail - k_sq_head; /* free-running: wraps by design */

	return n <= CAP_SQ_ENTRIES ? (int)n : -1;
}

uint32_t ring_cq_space(uint32_t k_cq_tail, uint32_t u_cq_head)
{
	uint32_t used = k_cq_tail - u_cq_head;

	return used <= CAP_CQ_ENTRIES ? CAP_CQ_ENTRIES - used : 0;
}

/* Which fields each opcode may use; everything else must be zero. */
enum {
	F_CAP = 1 << 0,	    /* cap_id */
	F_METHOD = 1 << 1,  /* method_id */
	F_PAYLOAD = 1 << 2, /* addr, len */
	F_RESULT = 1 << 3,  /* result_addr, result_len */
	F_XFER = 1 << 4,    /* xfer_cap_count */
	F_CALL_ID = 1 << 5, /* call_id */
	F_TIMEOUT = 1 << 6, /* pipeline_dep as PARK's timeout */
};

struct op_rule {
	uint8_t implemented;
	uint8_t flags;	/* accepted CAP_SQE_* flags */
	uint8_t fields; /* F_* */
};

/* PARK_BENCH exists only in measurement builds. */
static const struct op_rule op_rules[] = {
	[CAP_OP_NOP] = { 1, 0, 0 },
	[CAP_OP_CALL] = { 1, CAP_SQE_THREAD_OWNED,
			  F_CAP | F_METHOD | F_PAYLOAD | F_RESULT | F_XFER },
	[CAP_OP_RECV] = { 1, 0, F_CAP | F_RESULT },
	[CAP_OP_RETURN] = { 1, CAP_SQE_RETURN_APPLICATION_EXCEPTION,
			    F_CAP | F_PAYLOAD | F_XFER | F_CALL_ID },
	[CAP_OP_RELEASE] = { 1, 0, F_CAP },
	[CAP_OP_FINISH] = { 0, 0, 0 },
	/* PARK: addr the word, len the expected value, pipeline_dep the
	 * timeout; always thread-owned. UNPARK: addr, len the most to wake. */
	[CAP_OP_PARK] = { 1, CAP_SQE_THREAD_OWNED, F_CAP | F_PAYLOAD | F_CALL_ID | F_TIMEOUT },
	[CAP_OP_UNPARK] = { 1, 0, F_CAP | F_PAYLOAD },
	[CAP_OP_PARK_BENCH] = { 0, 0, 0 },
};

/* A bit for every field that is non-zero in sqe. */
/*@ requires \valid_read(sqe);
    assigns \nothing;
 */
static unsigned used_fields(const struct cap_sqe *sqe)
{
	unsigned f = 0;

	if (sqe->cap_id)
		f |= F_CAP;
	if (sqe->method_id)
		f |= F_METHOD;
	if (sqe->addr || sqe->len)
		f |= F_PAYLOAD;
	if (sqe->result_addr || sqe->result_len)
		f |= F_RESULT;
	if (sqe->xfer_cap_count)
		f |= F_XFER;
	if (sqe->call_id)
		f |= F_CALL_ID;
	return f;
}

int ring_sqe_check(const struct cap_sqe *sqe)
{
	if (sqe->opcode >= sizeof(op_rules) / sizeof(op_rules[0]) ||
	    !op_rules[sqe->opcode].implemented)
		return CAP_ERR_UNSUPPORTED_OPCODE;
	const struct op_rule *rule = &op_rules[sqe->opcode];

	if (sqe->flags & CAP_SQE_PIPELINE)
		return CAP_ERR_PIPELINE_UNSUPPORTED;
	if (sqe->flags & ~rule->flags)
		return CAP_ERR_INVALID_FLAGS;
	unsigned allowed = rule->fields;
	if (sqe->flags & CAP_SQE_THREAD_OWNED)
		allowed |= F_CALL_ID; /* the owning thread id */
	if (used_fields(sqe) & ~allowed)
		return CAP_ERR_RESERVED_FIELD;
	if ((sqe->pipeline_dep && !(rule->fields & F_TIMEOUT)) || sqe->pipeline_field ||
	    sqe->reserved0)
		return CAP_ERR_RESERVED_FIELD;
	if (sqe->opcode == CAP_OP_PARK && !(sqe->flags & CAP_SQE_THREAD_OWNED))
		return CAP_ERR_INVALID_FLAGS; /* a park wait is always thread-owned */
	return 0;
}

const char *ring_strerror(int err)
{
	static const char *const names[] = {
		"ok",
		"unsupported opcode",
		"invalid flags",
		"reserved field not zero",
		"invalid cap",
		"stale cap",
		"invalid buffer",
		"params too large",
		"result truncated",
		"application exception",
		"application exception truncated",
		"invalid request",
		"transfer not supported",
		"invalid transfer descriptor",
		"transfer aborted",
		"quota exceeded",
		"pipelining unsupported",
		"not the owning thread",
		"RECV or RETURN on a client facet",
		"no such in-flight call",
		"cancelled: the endpoint lost its owner",
	};
	/* Compared as err > -N, not -err < N: -INT_MIN would overflow. */
	return err <= 0 && err > -(int)(sizeof(names) / sizeof(names[0])) ? names[-err] : "unknown";
}
