/*
 * lib/capnp message framing: the segment table of the standard
 * serialization, flat single-segment messages, the traversal budget and
 * error names.
 */
#include <stddef.h>
#include <stdint.h>

#include "lib/capnp/capnp.h"
#include "lib/capnp/internal.h"

const char *capnp_strerror(int err)
{
	switch (err) {
	case CAPNP_OK:
		return "ok";
	case CAPNP_NULL:
		return "null pointer";
	case CAPNP_EXCEPTION:
		return "application exception";
	case CAPNP_ERR_TRUNCATED:
		return "message truncated";
	case CAPNP_ERR_SEGMENT_TABLE:
		return "bad segment table";
	case CAPNP_ERR_OUT_OF_BOUNDS:
		return "pointer out of bounds";
	case CAPNP_ERR_TRAVERSAL_LIMIT:
		return "traversal limit exceeded";
	case CAPNP_ERR_NESTING_LIMIT:
		return "nesting limit exceeded";
	case CAPNP_ERR_POINTER_KIND:
		return "wrong pointer kind";
	case CAPNP_ERR_FAR_POINTER:
		return "bad far pointer";
	case CAPNP_ERR_ELEMENT_SIZE:
		return "incompatible list element size";
	case CAPNP_ERR_TEXT_NUL:
		return "text not NUL-terminated";
	case CAPNP_ERR_NO_SPACE:
		return "builder out of space";
	case CAPNP_ERR_RESERVED:
		return "reserved pointer encoding";
	case CAPNP_ERR_INDEX:
		return "index out of range";
	case CAPNP_ERR_ARGUMENT:
		return "invalid argument";
	default:
		return "unknown error";
	}
}

static void msg_limits_default(struct capnp_msg *m)
{
	m->traversal_left = CAPNP_DEFAULT_TRAVERSAL_LIMIT_WORDS;
	m->nesting_limit = CAPNP_DEFAULT_NESTING_LIMIT;
	m->unlimited = false;
}

static uint32_t load_u32(const uint8_t *p)
{
	return (uint32_t)load_le(p, 4);
}

int capnp_msg_init(struct capnp_msg *m, const void *buf, size_t len, struct capnp_seg *segs,
		   uint32_t max_segs, size_t *used)
{
	const uint8_t *bytes = buf;

	*m = (struct capnp_msg){ 0 };
	if (((uintptr_t)buf & 7) != 0)
		return CAPNP_ERR_ARGUMENT;
	if (len < 8)
		return CAPNP_ERR_TRUNCATED;
	uint64_t nsegs = (uint64_t)load_u32(bytes) + 1;
	if (nsegs > max_segs)
		return CAPNP_ERR_SEGMENT_TABLE;
	uint64_t table = (4 + 4 * nsegs + 7) & ~(uint64_t)7;
	if (table > len)
		return CAPNP_ERR_TRUNCATED;
	uint64_t offset = table;
	for (uint32_t i = 0; i < nsegs; i++) {
		uint32_t words = load_u32(bytes + 4 + 4 * i);
		if ((uint64_t)words * 8 > len - offset)
			return CAPNP_ERR_TRUNCATED;
		segs[i].words = (const uint64_t *)(bytes + offset);
		segs[i].len = words;
		offset += (uint64_t)words * 8;
	}
	m->segs = segs;
	m->nsegs = (uint32_t)nsegs;
	msg_limits_default(m);
	if (used != NULL)
		*used = offset;
	return CAPNP_OK;
}

void capnp_msg_init_flat(struct capnp_msg *m, struct capnp_seg *seg, const uint64_t *words,
			 uint32_t nwords)
{
	seg->words = words;
	seg->len = nwords;
	*m = (struct capnp_msg){ .segs = seg, .nsegs = 1 };
	msg_limits_default(m);
}

int capnp_charge(struct capnp_msg *m, uint64_t words)
{
	if (m->unlimited)
		return CAPNP_OK;
	if (words > m->traversal_left) {
		m->traversal_left = 0;
		return CAPNP_ERR_TRAVERSAL_LIMIT;
	}
	m->traversal_left -= words;
	return CAPNP_OK;
}
