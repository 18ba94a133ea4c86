/*
 * lib/cap/transfer — the pin / reserve / commit transaction of
 * lib/cap/transfer.h.
 */
#include "lib/cap/transfer.h"

static int from_table(int err)
{
	switch (err) {
	case CAPTABLE_ERR_STALE:
		return XFER_ERR_STALE;
	case CAPTABLE_ERR_BUSY:
		return XFER_ERR_BUSY;
	case CAPTABLE_ERR_NOT_TRANSFERABLE:
		return XFER_ERR_NOT_TRANSFERABLE;
	case CAPTABLE_ERR_QUOTA:
		return XFER_ERR_QUOTA;
	case CAPTABLE_ERR_FULL:
		return XFER_ERR_FULL;
	default:
		return XFER_ERR_INVALID;
	}
}

/* Undo the pins of items [0, upto). */
static void unpin_upto(struct xfer_batch *b, struct cap_table *src, uint32_t upto,
		       const struct xfer_refs *refs)
{
	for (uint32_t i = 0; i < upto; i++) {
		struct xfer_item *it = &b->items[i];
		if (it->mode == CAP_TRANSFER_MODE_MOVE)
			captable_move_abort(src, it->src_cap);
		else
			refs->put(it->hold.object);
	}
}

int xfer_pin(struct xfer_batch *b, struct cap_table *src, const struct cap_transfer_descriptor *d,
	     uint32_t n, const struct xfer_refs *refs)
{
	b->n = 0;
	if (n > CAP_XFER_MAX)
		return XFER_ERR_TOO_MANY;
	for (uint32_t i = 0; i < n; i++) {
		struct xfer_item *it = &b->items[i];
		int err = XFER_OK;
		if (d[i].reserved != 0 ||
		    (d[i].mode != CAP_TRANSFER_MODE_COPY && d[i].mode != CAP_TRANSFER_MODE_MOVE)) {
			err = XFER_ERR_DESCRIPTOR;
		} else if (d[i].mode == CAP_TRANSFER_MODE_MOVE) {
			int e = captable_move_reserve(src, d[i].cap_id, &it->hold);
			err = e == CAPTABLE_OK ? XFER_OK : from_table(e);
		} else {
			int e = captable_lookup(src, d[i].cap_id, &it->hold);
			if (e != CAPTABLE_OK)
				err = from_table(e);
			else if (it->hold.mode != CAP_MODE_COPY)
				err = XFER_ERR_NOT_TRANSFERABLE;
			else
				refs->get(it->hold.object);
		}
		if (err != XFER_OK) {
			unpin_upto(b, src, i, refs);
			return err;
		}
		it->src_cap = d[i].cap_id;
		it->mode = d[i].mode;
	}
	b->n = n;
	return XFER_OK;
}

void xfer_unpin(struct xfer_batch *b, struct cap_table *src, const struct xfer_refs *refs)
{
	unpin_upto(b, src, b->n, refs);
	b->n = 0;
}

int xfer_reserve(struct xfer_batch *b, struct cap_table *dst)
{
	for (uint32_t i = 0; i < b->n; i++) {
		int e = captable_reserve(dst, &b->items[i].dst);
		if (e != CAPTABLE_OK) {
			while (i-- > 0)
				captable_abort(dst, b->items[i].dst);
			return from_table(e);
		}
	}
	return XFER_OK;
}

void xfer_unreserve(struct xfer_batch *b, struct cap_table *dst)
{
	for (uint32_t i = 0; i < b->n; i++)
		captable_abort(dst, b->items[i].dst);
}

void xfer_commit(struct xfer_batch *b, struct cap_table *src, struct cap_table *dst, uint8_t origin,
		 struct cap_transfer_result *out)
{
	for (uint32_t i = 0; i < b->n; i++) {
		struct xfer_item *it = &b->items[i];
		struct cap_hold h = it->hold;
		h.origin = origin;
		out[i] = (struct cap_transfer_result){ captable_commit(dst, it->dst, &h), 0,
						       h.interface_id };
		if (it->mode == CAP_TRANSFER_MODE_MOVE)
			captable_move_commit(src, it->src_cap); /* its reference moved along */
	}
	b->n = 0;
}

const char *xfer_strerror(int err)
{
	switch (err) {
	case XFER_OK:
		return "ok";
	case XFER_ERR_DESCRIPTOR:
		return "bad transfer descriptor";
	case XFER_ERR_INVALID:
		return "transfer source names no cap";
	case XFER_ERR_STALE:
		return "transfer source is stale";
	case XFER_ERR_NOT_TRANSFERABLE:
		return "cap may not be transferred that way";
	case XFER_ERR_BUSY:
		return "transfer source is already leaving";
	case XFER_ERR_QUOTA:
		return "receiver's cap quota is exhausted";
	case XFER_ERR_FULL:
		return "receiver's cap table is full";
	case XFER_ERR_TOO_MANY:
		return "too many transfer descriptors";
	default:
		return "unknown transfer error";
	}
}
