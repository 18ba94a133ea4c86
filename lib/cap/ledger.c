/*
 * lib/cap/ledger — counted quotas and token buckets of a ResourceLedger.
 * See ledger.h for the invariants (Q1–Q3 of the spec).
 */
#include "lib/cap/ledger.h"

#include "include/capos/limits.h"

static const char *const res_names[LEDGER_NRES] = {
	[LEDGER_CAP_SLOTS] = "cap_slots",
	[LEDGER_ENDPOINT_QUEUE] = "endpoint_queue",
	[LEDGER_OUTSTANDING_CALLS] = "outstanding_calls",
	[LEDGER_SCRATCH_BYTES] = "scratch_bytes",
	[LEDGER_FRAME_GRANT_PAGES] = "frame_grant_pages",
	[LEDGER_THREADS] = "threads",
	[LEDGER_VIRT_PAGES] = "virtual_reserve_pages",
};

void ledger_init_default(struct ledger *l, uint64_t now_ns)
{
	static const uint64_t max[LEDGER_NRES] = {
		[LEDGER_CAP_SLOTS] = QUOTA_CAP_SLOTS_MAX,
		[LEDGER_ENDPOINT_QUEUE] = QUOTA_ENDPOINT_QUEUE_MAX,
		[LEDGER_OUTSTANDING_CALLS] = QUOTA_OUTSTANDING_CALLS_MAX,
		[LEDGER_SCRATCH_BYTES] = QUOTA_SCRATCH_BYTES_MAX,
		[LEDGER_FRAME_GRANT_PAGES] = QUOTA_FRAME_GRANT_PAGES_MAX,
		[LEDGER_THREADS] = QUOTA_THREADS_MAX,
		[LEDGER_VIRT_PAGES] = QUOTA_VIRT_PAGES_MAX,
	};

	/*@ loop invariant 0 <= r <= LEDGER_NRES;
	    loop invariant \forall integer i; 0 <= i < r ==>
		l->res[i].used == 0 && l->res[i].max == max[i];
	    loop assigns r, l->res[0 .. LEDGER_NRES - 1];
	    loop variant LEDGER_NRES - r;
	 */
	for (int r = 0; r < LEDGER_NRES; r++) {
		l->res[r].used = 0;
		l->res[r].max = max[r];
	}
	bucket_init(&l->log_bytes, QUOTA_LOG_BYTES_PER_SEC, QUOTA_LOG_BYTES_BURST, now_ns);
}

/*@ assigns \nothing;
    ensures \result <==> 0 <= r < LEDGER_NRES;
 */
static bool res_valid(enum ledger_res r)
{
	return (unsigned)r < LEDGER_NRES;
}

int ledger_reserve(struct ledger *l, enum ledger_res r, uint64_t n)
{
	if (!res_valid(r))
		return LEDGER_ERR_ARGUMENT;
	struct ledger_count *c = &l->res[r];
	if (n > c->max - c->used)
		return LEDGER_ERR_QUOTA;
	c->used += n;
	return LEDGER_OK;
}

int ledger_release(struct ledger *l, enum ledger_res r, uint64_t n)
{
	if (!res_valid(r))
		return LEDGER_ERR_ARGUMENT;
	struct ledger_count *c = &l->res[r];
	if (n > c->used)
		return LEDGER_ERR_UNDERFLOW;
	c->used -= n;
	return LEDGER_OK;
}

uint64_t ledger_used(const struct ledger *l, enum ledger_res r)
{
	return res_valid(r) ? l->res[r].used : 0;
}

uint64_t ledger_max(const struct ledger *l, enum ledger_res r)
{
	return res_valid(r) ? l->res[r].max : 0;
}

const char *ledger_res_name(enum ledger_res r)
{
	return res_valid(r) ? res_names[r] : "unknown";
}

void bucket_init(struct token_bucket *b, uint64_t rate_per_sec, uint64_t burst, uint64_t now_ns)
{
	b->tokens = burst;
	b->rate_per_sec = rate_per_sec;
	b->burst = burst;
	b->last_ns = now_ns;
}

/* Refill for the time since last_ns. Only whole tokens are added, and
 * last_ns advances by exactly the time they represent, so no credit is lost
 * to rounding however often this runs. A clock that goes backwards adds
 * nothing. */
/*@ requires \valid(b) && bucket_ok(b);
    assigns b->tokens, b->last_ns;
    ensures bucket_ok(b);
 */
static void bucket_refill(struct token_bucket *b, uint64_t now_ns)
{
	if (now_ns <= b->last_ns || b->rate_per_sec == 0)
		return;
	uint64_t elapsed = now_ns - b->last_ns;
	uint64_t ns_per_token = 1000000000ull / b->rate_per_sec;
	if (ns_per_token == 0)
		ns_per_token = 1;
	uint64_t add = elapsed / ns_per_token;
	if (add == 0)
		return;
	b->last_ns += add * ns_per_token;
	b->tokens = add >= b->burst - b->tokens ? b->burst : b->tokens + add;
	if (b->tokens == b->burst)
		b->last_ns = now_ns;
}

uint64_t bucket_take(struct token_bucket *b, uint64_t want, uint64_t now_ns)
{
	bucket_refill(b, now_ns);
	uint64_t got = want < b->tokens ? want : b->tokens;
	b->tokens -= got;
	return got;
}
