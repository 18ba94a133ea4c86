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

/*@ // Q1: no counter is above its max.
    predicate ledger_ok(struct ledger *l) =
	\forall integer i; 0 <= i < LEDGER_NRES ==> l->res[i].used <= l->res[i].max;
    predicate bucket_ok(struct token_bucket *b) = b->tokens <= b->burst;
    // Counter r was the only one to change between L1 and L2 (none if r < 0).
    predicate ledger_others{L1, L2}(struct ledger *l, integer r) =
	\forall integer i; 0 <= i < LEDGER_NRES && i != r ==>
	    \at(l->res[i], L1) == \at(l->res[i], L2);
 */

/* A ledger with the spec's initial quota profile (include/capos/limits.h). */
/*@ requires \valid(l);
    assigns *l;
    ensures ledger_ok(l) && bucket_ok(&l->log_bytes);
    ensures \forall integer i; 0 <= i < LEDGER_NRES ==> l->res[i].used == 0;
 */
void ledger_init_default(struct ledger *l, uint64_t now_ns);

/* Q1, Q3: a reservation over the max fails and changes nothing. */
/*@ requires \valid(l) && ledger_ok(l);
    assigns l->res[0 .. LEDGER_NRES - 1].used;
    ensures ledger_ok(l);
    behavior unknown:
      assumes !(0 <= r < LEDGER_NRES);
      ensures \result == LEDGER_ERR_ARGUMENT && ledger_others{Pre, Post}(l, -1);
    behavior over:
      assumes 0 <= r < LEDGER_NRES && n > l->res[r].max - l->res[r].used;
      ensures \result == LEDGER_ERR_QUOTA && l->res[r].used == \old(l->res[r].used);
      ensures ledger_others{Pre, Post}(l, r);
    behavior fits:
      assumes 0 <= r < LEDGER_NRES && n <= l->res[r].max - l->res[r].used;
      ensures \result == LEDGER_OK && l->res[r].used == \old(l->res[r].used) + n;
      ensures ledger_others{Pre, Post}(l, r);
    complete behaviors;
    disjoint behaviors;
 */
int ledger_reserve(struct ledger *l, enum ledger_res r, uint64_t n);

/* Q2's other half: a release of more than is held fails and changes nothing. */
/*@ requires \valid(l) && ledger_ok(l);
    assigns l->res[0 .. LEDGER_NRES - 1].used;
    ensures ledger_ok(l);
    behavior unknown:
      assumes !(0 <= r < LEDGER_NRES);
      ensures \result == LEDGER_ERR_ARGUMENT && ledger_others{Pre, Post}(l, -1);
    behavior underflow:
      assumes 0 <= r < LEDGER_NRES && n > l->res[r].used;
      ensures \result == LEDGER_ERR_UNDERFLOW && l->res[r].used == \old(l->res[r].used);
      ensures ledger_others{Pre, Post}(l, r);
    behavior held:
      assumes 0 <= r < LEDGER_NRES && n <= l->res[r].used;
      ensures \result == LEDGER_OK && l->res[r].used == \old(l->res[r].used) - n;
      ensures ledger_others{Pre, Post}(l, r);
    complete behaviors;
    disjoint behaviors;
 */
int ledger_release(struct ledger *l, enum ledger_res r, uint64_t n);

/*@ requires \valid_read(l);
    assigns \nothing;
 */
uint64_t ledger_used(const struct ledger *l, enum ledger_res r);
/*@ requires \valid_read(l);
    assigns \nothing;
 */
uint64_t ledger_max(const struct ledger *l, enum ledger_res r);
/*@ assigns \nothing;
    ensures \valid_read(\result);
 */
const char *ledger_res_name(enum ledger_res r);

/*@ requires \valid(b);
    assigns *b;
    ensures bucket_ok(b);
 */
void bucket_init(struct token_bucket *b, uint64_t rate_per_sec, uint64_t burst, uint64_t now_ns);
/* Take up to want tokens at time now_ns; returns how many were granted. */
/*@ requires \valid(b) && bucket_ok(b);
    assigns *b;
    ensures bucket_ok(b);
    ensures \result <= want;
 */
uint64_t bucket_take(struct token_bucket *b, uint64_t want, uint64_t now_ns);
