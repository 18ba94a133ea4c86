/*
 * lib/cap/ledger — a process's ResourceLedger (spec: Authority Graph and
 * Resource Accounting, §2).
 *
 * Counted resources have a used/max pair: a reservation that would exceed its
 * max fails before any side effect (Q1, Q3), and every reservation is matched
 * by exactly one release on every path (Q2); releasing more than is held is a
 * broken kernel invariant, reported as LEDGER_ERR_UNDERFLOW so the kernel can
 * panic with context. Rate-limited resources (console log bytes, CPU time)
 * are token buckets refilled from a caller-supplied clock.
 *
 * Locking: guarded by the owning process's ledger lock. Pure logic.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum ledger_res {
	LEDGER_CAP_SLOTS = 0,
	LEDGER_ENDPOINT_QUEUE,
	LEDGER_OUTSTANDING_CALLS,
	LEDGER_SCRATCH_BYTES,
	LEDGER_FRAME_GRANT_PAGES,
	LEDGER_THREADS,
	LEDGER_VIRT_PAGES, /* anonymous reservations, committed or not */
	LEDGER_NRES,
};

enum ledger_err {
	LEDGER_OK = 0,
	LEDGER_ERR_QUOTA = -1,	   /* would exceed the max */
	LEDGER_ERR_UNDERFLOW = -2, /* release of more than is held */
	LEDGER_ERR_ARGUMENT = -3,  /* unknown resource */
};

struct ledger_count {
	uint64_t used;
	uint64_t max;
};

/* A token bucket: rate tokens per second, up to burst, refilled lazily. */
struct token_bucket {
	uint64_t tokens;
	uint64_t rate_per_sec;
	uint64_t burst;
	uint64_t last_ns;
};

struct ledger {
	struct ledger_count res[LEDGER_NRES];
	struct token_bucket log_bytes;
};

/* A ledger with the spec's initial quota profile (include/capos/limits.h). */
void ledger_init_default(struct ledger *l, uint64_t now_ns);

int ledger_reserve(struct ledger *l, enum ledger_res r, uint64_t n);
int ledger_release(struct ledger *l, enum ledger_res r, uint64_t n);
uint64_t ledger_used(const struct ledger *l, enum ledger_res r);
uint64_t ledger_max(const struct ledger *l, enum ledger_res r);
const char *ledger_res_name(enum ledger_res r);

void bucket_init(struct token_bucket *b, uint64_t rate_per_sec, uint64_t burst, uint64_t now_ns);
/* Take up to want tokens at time now_ns; returns how many were granted. */
uint64_t bucket_take(struct token_bucket *b, uint64_t want, uint64_t now_ns);
