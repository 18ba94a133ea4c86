/*
 * lib/cap/cap_table — one process's capability table.
 *
 * A table maps a CapId to a hold: the object, its interface id, badge,
 * transfer mode and origin (the edges of the spec's authority graph). A
 * CapId is generation:8 | index:24. Removing a cap bumps its slot's
 * generation so the old CapId goes stale; a slot whose generation would wrap
 * from 255 to 0 is retired for good, so an old CapId can never name new
 * authority (when every slot is in use or retired, inserts fail with
 * CAPTABLE_ERR_FULL).
 *
 * Transactions follow "reserve first, commit last": captable_reserve() takes
 * a free slot and one cap_slots unit of the ledger without making anything
 * visible; captable_commit() publishes the hold and cannot fail;
 * captable_abort() gives both back. A move transfer marks the source slot
 * MOVING (no longer resolvable), then either captable_move_commit() frees it
 * or captable_move_abort() restores it untouched. A failed transaction
 * therefore leaves table and ledger exactly as they were.
 *
 * Locking: the owner holds the table's lock (the kernel's cap-table lock of
 * the owning process) around every call. Pure logic, host-tested.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "include/capos/limits.h"
#include "lib/cap/ledger.h"

#define CAPID_INDEX_BITS 24
#define CAPID_INDEX_MASK ((1u << CAPID_INDEX_BITS) - 1)
#define CAPID_GEN_MAX	 255u

static inline uint32_t capid_make(uint32_t generation, uint32_t index)
{
	return (generation << CAPID_INDEX_BITS) | (index & CAPID_INDEX_MASK);
}

static inline uint32_t capid_index(uint32_t cap_id)
{
	return cap_id & CAPID_INDEX_MASK;
}

static inline uint32_t capid_generation(uint32_t cap_id)
{
	return cap_id >> CAPID_INDEX_BITS;
}

enum captable_err {
	CAPTABLE_OK = 0,
	CAPTABLE_ERR_INVALID = -1, /* index out of range or slot empty */
	CAPTABLE_ERR_STALE = -2,   /* slot reused: generation differs */
	CAPTABLE_ERR_FULL = -3,	   /* no free, unretired slot */
	CAPTABLE_ERR_QUOTA = -4,   /* ledger cap_slots quota exhausted */
	CAPTABLE_ERR_BUSY = -5,	   /* slot is reserved or being moved */
	CAPTABLE_ERR_NOT_TRANSFERABLE = -6,
};

enum cap_transfer_mode {
	CAP_MODE_COPY = 0,  /* may be copied to another table */
	CAP_MODE_MOVE = 1,  /* may only be moved */
	CAP_MODE_LOCAL = 2, /* never leaves this table */
};

enum cap_origin {
	CAP_ORIGIN_KERNEL = 0,
	CAP_ORIGIN_SPAWN_GRANT = 1,
	CAP_ORIGIN_IPC_TRANSFER = 2,
	CAP_ORIGIN_RESULT_CAP = 3,
};

/* One Hold edge of the authority graph. */
struct cap_hold {
	void *object;	       /* the kernel object (opaque here) */
	uint64_t interface_id; /* schema interface id */
	uint64_t badge;
	uint8_t mode;	/* enum cap_transfer_mode */
	uint8_t origin; /* enum cap_origin */
};

enum cap_slot_state {
	CAP_SLOT_FREE = 0,
	CAP_SLOT_RESERVED, /* taken by an uncommitted transaction */
	CAP_SLOT_LIVE,
	CAP_SLOT_MOVING,  /* live, but leaving in an uncommitted move */
	CAP_SLOT_RETIRED, /* generation exhausted: never used again */
};

struct cap_slot {
	struct cap_hold hold;
	uint8_t generation;
	uint8_t state; /* enum cap_slot_state */
};

struct cap_table {
	struct cap_slot slots[CAP_TABLE_SLOTS];
	uint32_t live;	       /* slots RESERVED, LIVE or MOVING */
	uint32_t retired;      /* slots RETIRED */
	struct ledger *ledger; /* owner's ledger: charged one cap_slots per held slot */
};

/* A reserved slot waiting for commit or abort. */
struct cap_reservation {
	uint32_t index;
};

void captable_init(struct cap_table *t, struct ledger *ledger);

/* Resolve cap_id to its hold (copied to *out, may be NULL). */
int captable_lookup(const struct cap_table *t, uint32_t cap_id, struct cap_hold *out);

/* Two-phase insert. */
int captable_reserve(struct cap_table *t, struct cap_reservation *r);
uint32_t captable_commit(struct cap_table *t, struct cap_reservation r, const struct cap_hold *h);
void captable_abort(struct cap_table *t, struct cap_reservation r);

/* reserve + commit; the new CapId goes to *cap_id. */
int captable_insert(struct cap_table *t, const struct cap_hold *h, uint32_t *cap_id);

/* Remove a live cap (RELEASE / revoke); its hold goes to *out (may be NULL). */
int captable_remove(struct cap_table *t, uint32_t cap_id, struct cap_hold *out);

/* Two-phase move out of this table. */
int captable_move_reserve(struct cap_table *t, uint32_t cap_id, struct cap_hold *out);
void captable_move_commit(struct cap_table *t, uint32_t cap_id);
void captable_move_abort(struct cap_table *t, uint32_t cap_id);

/* Walk live caps in index order: returns the next live index >= from, or -1. */
int captable_next_live(const struct cap_table *t, uint32_t from);

/* Remove every cap (process exit), calling drop(ctx, hold) for each live or
 * moving hold. Reservations are aborted. */
void captable_clear(struct cap_table *t, void (*drop)(void *ctx, const struct cap_hold *h),
		    void *ctx);
