/*
 * lib/diag — rate limiting and aggregation of diagnostics about invalid
 * submissions (spec: Authority Graph and Resource Accounting, §3). Each key
 * (error, opcode, cap bucket; one table per process) may log DIAG_BURST
 * lines per second; the rest are counted, and once a second a process with
 * suppressed lines gets one summary line. A key never seen before is always
 * logged (D2), and formatting work is bounded by the burst (D1).
 *
 * Pure; host-tested. Guarded by the owning process's lock.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define DIAG_KEYS      16 /* distinct keys tracked per process */
#define DIAG_BURST     4  /* lines per key per window */
#define DIAG_WINDOW_NS 1000000000ULL

struct diag_key {
	int32_t error;
	uint8_t opcode;
	uint32_t cap_bucket; /* the CapId for cap errors, 0 for structural ones */
};

struct diag_entry {
	struct diag_key key;
	bool used;
	uint64_t window_start;
	uint32_t emitted;
	uint64_t last_seen;
};

struct diag {
	struct diag_entry entries[DIAG_KEYS];
	uint64_t suppressed;   /* since the last summary */
	int32_t last_error;    /* the last suppressed error */
	uint64_t last_summary; /* when the last summary went out */
};

void diag_init(struct diag *d, uint64_t now);
/* Should this occurrence be logged? Counts it as suppressed if not. */
bool diag_admit(struct diag *d, struct diag_key key, uint64_t now);
/* At most once per window: true with the suppressed count and last error
 * when there is something to summarize (and resets the count). */
bool diag_summary(struct diag *d, uint64_t now, uint64_t *suppressed, int32_t *last_error);
