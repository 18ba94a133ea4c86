/*
 * lib/cap/transfer — moving and copying caps between two tables as one
 * transaction (spec: Authority Graph and Resource Accounting, §4).
 *
 * A batch goes through three phases, each all-or-nothing:
 *
 *   pin      (sender)   every descriptor is checked — a known mode, zero
 *                       reserved bits, a live cap of the sender whose
 *                       transfer mode allows it — and its source pinned:
 *                       a copy takes its own reference to the object, a
 *                       move marks the sender's slot MOVING (no longer
 *                       usable, not yet gone). Fails leaving the sender
 *                       exactly as it was.
 *   reserve  (receiver) one slot per item, its cap_slots quota included.
 *                       Fails leaving the receiver exactly as it was.
 *   commit              cannot fail: the receiver's holds are published
 *                       and each moved source slot is vacated.
 *
 * unpin and unreserve undo the first two phases (unreserve only after a
 * reserve that succeeded: a failed reserve has already undone itself). A move is therefore never
 * live in both tables or in neither (T2), a batch that fails halfway
 * changes nothing on either side, and quota is checked before anything is
 * published (Q3). Pinning the sources and reserving the receiver may
 * happen at different times (an endpoint CALL queued until a RECV), the
 * sender's side held pinned in between.
 *
 * Pure logic; the caller owns both tables' locks. Host-tested.
 */
#pragma once

#include <stdint.h>

#include "include/capos/limits.h"
#include "include/capos/ring.h"
#include "lib/cap/cap_table.h"

enum xfer_err {
	XFER_OK = 0,
	XFER_ERR_DESCRIPTOR = -1,	/* unknown mode or non-zero reserved bits */
	XFER_ERR_INVALID = -2,		/* the source names no cap of the sender */
	XFER_ERR_STALE = -3,		/* the source's generation is stale */
	XFER_ERR_NOT_TRANSFERABLE = -4, /* the cap's transfer mode forbids this */
	XFER_ERR_BUSY = -5,		/* the source is already leaving (moved twice) */
	XFER_ERR_QUOTA = -6,		/* the receiver's cap_slots quota is spent */
	XFER_ERR_FULL = -7,		/* the receiver's table has no free slot */
	XFER_ERR_TOO_MANY = -8,		/* more than CAP_XFER_MAX descriptors */
};

struct xfer_item {
	uint32_t src_cap;	    /* the sender's CapId */
	uint32_t mode;		    /* CAP_TRANSFER_MODE_COPY or _MOVE */
	struct cap_hold hold;	    /* what the receiver will hold */
	struct cap_reservation dst; /* valid after reserve */
};

struct xfer_batch {
	uint32_t n;
	struct xfer_item items[CAP_XFER_MAX];
};

/* Object references for copies: a pinned copy holds one (taken by pin,
 * handed to the receiver's hold by commit, dropped by unpin). */
struct xfer_refs {
	void (*get)(void *object);
	void (*put)(void *object);
};

int xfer_pin(struct xfer_batch *b, struct cap_table *src, const struct cap_transfer_descriptor *d,
	     uint32_t n, const struct xfer_refs *refs);
void xfer_unpin(struct xfer_batch *b, struct cap_table *src, const struct xfer_refs *refs);
int xfer_reserve(struct xfer_batch *b, struct cap_table *dst);
void xfer_unreserve(struct xfer_batch *b, struct cap_table *dst);
/* Publish (origin `origin`) and vacate moved sources; out[i] gets the
 * receiver's CapId and interface id of item i. */
void xfer_commit(struct xfer_batch *b, struct cap_table *src, struct cap_table *dst, uint8_t origin,
		 struct cap_transfer_result *out);
const char *xfer_strerror(int err);
