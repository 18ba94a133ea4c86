/*
 * lib/capnp reader: resolving pointers (near, far, double-far) with bounds
 * checks, traversal charging and nesting depth, and typed access to struct
 * fields and list elements, including the element-size conversions the
 * encoding spec allows for schema evolution.
 *
 * Every position is handled as a (segment, word index) pair and checked
 * against the segment length before a C pointer to it is formed, so a
 * hostile offset never even produces an out-of-range pointer value.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/capnp/capnp.h"
#include "lib/capnp/internal.h"

/* Where a resolved pointer's object lives, and the word describing it. */
struct target {
	uint32_t seg;
	int64_t idx;  /* word index of the object's content in seg */
	uint64_t tag; /* the struct/list pointer word (from a far pad if any) */
};

static bool in_seg(const struct capnp_msg *m, uint32_t seg, int64_t idx, uint64_t words)
{
	return idx >= 0 && (uint64_t)idx <= m->segs[seg].len &&
	       words <= m->segs[seg].len - (uint64_t)idx;
}

/* Follow the pointer at word idx of seg to its object. */
static int follow(const struct capnp_msg *m, uint32_t seg, int64_t idx, struct target *t)
{
	uint64_t w = m->segs[seg].words[idx];

	if (ptr_kind(w) != PTR_FAR) {
		*t = (struct target){ seg, idx + 1 + ptr_offset(w), w };
		return CAPNP_OK;
	}
	uint32_t pad_seg = (uint32_t)(w >> 32);
	int64_t pad = (int64_t)(((uint32_t)w >> 3) & 0x1fffffff);
	bool two = (w >> 2) & 1;
	if (pad_seg >= m->nsegs || !in_seg(m, pad_seg, pad, two ? 2 : 1))
		return CAPNP_ERR_FAR_POINTER;
	uint64_t p = m->segs[pad_seg].words[pad];
	if (!two) {
		/* A single-far pad is an ordinary pointer, never another far. */
		if (ptr_kind(p) == PTR_FAR)
			return CAPNP_ERR_FAR_POINTER;
		*t = (struct target){ pad_seg, pad + 1 + ptr_offset(p), p };
		return CAPNP_OK;
	}
	/* Double-far: a single far to the content, then the tag word. */
	uint64_t tag = m->segs[pad_seg].words[pad + 1];
	uint32_t content_seg = (uint32_t)(p >> 32);
	if (ptr_kind(p) != PTR_FAR || ((p >> 2) & 1) || content_seg >= m->nsegs ||
	    ptr_kind(tag) == PTR_FAR || ptr_kind(tag) == PTR_OTHER || ptr_offset(tag) != 0)
		return CAPNP_ERR_FAR_POINTER;
	*t = (struct target){ content_seg, (int64_t)(((uint32_t)p >> 3) & 0x1fffffff), tag };
	return CAPNP_OK;
}

static int read_struct(struct capnp_msg *m, const struct target *t, uint16_t depth,
		       struct capnp_struct *out)
{
	uint16_t dw = ptr_struct_data_words(t->tag), pc = ptr_struct_ptr_count(t->tag);
	uint64_t words = (uint64_t)dw + pc;

	if (!in_seg(m, t->seg, t->idx, words))
		return CAPNP_ERR_OUT_OF_BOUNDS;
	/* Empty structs still cost a word, so re-reading one is not free. */
	int err = capnp_charge(m, words ? words : 1);
	if (err)
		return err;
	const uint64_t *base = m->segs[t->seg].words + t->idx;
	*out = (struct capnp_struct){ .msg = m,
				      .seg = t->seg,
				      .data = (const uint8_t *)base,
				      .data_bytes = (uint32_t)dw * 8,
				      .ptrs = base + dw,
				      .nptrs = pc,
				      .depth = depth };
	return CAPNP_OK;
}

static int read_composite(struct capnp_msg *m, const struct target *t, uint16_t depth,
			  struct capnp_list *out)
{
	uint64_t words = ptr_list_count(t->tag);

	if (!in_seg(m, t->seg, t->idx, words + 1))
		return CAPNP_ERR_OUT_OF_BOUNDS;
	const uint64_t *base = m->segs[t->seg].words + t->idx;
	uint64_t tag = base[0];
	if (ptr_kind(tag) != PTR_STRUCT)
		return CAPNP_ERR_POINTER_KIND;
	uint64_t count = (uint32_t)tag >> 2; /* the tag's offset field */
	uint64_t size = (uint64_t)ptr_struct_data_words(tag) + ptr_struct_ptr_count(tag);
	if (count * size > words)
		return CAPNP_ERR_OUT_OF_BOUNDS;
	/* Zero-sized elements cost a word each: no amplification. */
	int err = capnp_charge(m, size ? words + 1 : count + 1);
	if (err)
		return err;
	*out = (struct capnp_list){ .msg = m,
				    .seg = t->seg,
				    .start = (const uint8_t *)(base + 1),
				    .count = (uint32_t)count,
				    .step_bits = (uint32_t)size * 64,
				    .data_bits = (uint32_t)ptr_struct_data_words(tag) * 64,
				    .nptrs = ptr_struct_ptr_count(tag),
				    .elem_size = CAPNP_ELEM_COMPOSITE,
				    .depth = depth };
	return CAPNP_OK;
}

static int read_list(struct capnp_msg *m, const struct target *t, uint16_t depth,
		     struct capnp_list *out)
{
	uint32_t elem = ptr_list_elem(t->tag);

	if (elem == CAPNP_ELEM_COMPOSITE)
		return read_composite(m, t, depth, out);
	uint64_t count = ptr_list_count(t->tag);
	uint64_t bits = elem_bits(elem);
	uint64_t words = (count * bits + 63) / 64;
	if (!in_seg(m, t->seg, t->idx, words))
		return CAPNP_ERR_OUT_OF_BOUNDS;
	int err = capnp_charge(m, elem == CAPNP_ELEM_VOID ? count : words);
	if (err)
		return err;
	*out = (struct capnp_list){ .msg = m,
				    .seg = t->seg,
				    .start = (const uint8_t *)(m->segs[t->seg].words + t->idx),
				    .count = (uint32_t)count,
				    .step_bits = (uint32_t)bits,
				    .data_bits = elem == CAPNP_ELEM_POINTER ? 0 : (uint32_t)bits,
				    .nptrs = elem == CAPNP_ELEM_POINTER,
				    .elem_size = (uint8_t)elem,
				    .depth = depth };
	return CAPNP_OK;
}

/* Resolve the pointer at word idx of seg, read from an object at depth. */
static int read_ptr(struct capnp_msg *m, uint32_t seg, int64_t idx, uint16_t depth,
		    struct capnp_ptr *out)
{
	uint64_t w = m->segs[seg].words[idx];
	struct target t;

	*out = (struct capnp_ptr){ .kind = CAPNP_KIND_NULL };
	if (w == 0)
		return CAPNP_NULL;
	if (ptr_kind(w) == PTR_OTHER) {
		if ((uint32_t)w != PTR_OTHER)
			return CAPNP_ERR_RESERVED;
		out->kind = CAPNP_KIND_CAP;
		out->cap = (uint32_t)(w >> 32);
		return CAPNP_OK;
	}
	if ((uint32_t)depth + 1 > m->nesting_limit)
		return CAPNP_ERR_NESTING_LIMIT;
	int err = follow(m, seg, idx, &t);
	if (err)
		return err;
	if (ptr_kind(t.tag) == PTR_STRUCT) {
		out->kind = CAPNP_KIND_STRUCT;
		err = read_struct(m, &t, depth + 1, &out->s);
	} else {
		out->kind = CAPNP_KIND_LIST;
		err = read_list(m, &t, depth + 1, &out->l);
	}
	if (err)
		*out = (struct capnp_ptr){ .kind = CAPNP_KIND_NULL };
	return err;
}

int capnp_msg_root(struct capnp_msg *m, struct capnp_ptr *out)
{
	*out = (struct capnp_ptr){ .kind = CAPNP_KIND_NULL };
	if (m->nsegs == 0 || m->segs[0].len == 0)
		return CAPNP_ERR_OUT_OF_BOUNDS;
	/* The root counts as depth 0: read_ptr adds one, so start below. */
	int err = read_ptr(m, 0, 0, 0, out);
	if (err == CAPNP_OK) {
		out->s.depth = 0;
		out->l.depth = 0;
	}
	return err;
}

static int want_struct(int err, const struct capnp_ptr *p, struct capnp_struct *out)
{
	*out = (struct capnp_struct){ 0 };
	if (err)
		return err;
	if (p->kind != CAPNP_KIND_STRUCT)
		return CAPNP_ERR_POINTER_KIND;
	*out = p->s;
	return CAPNP_OK;
}

int capnp_msg_root_struct(struct capnp_msg *m, struct capnp_struct *out)
{
	struct capnp_ptr p;
	return want_struct(capnp_msg_root(m, &p), &p, out);
}

/* ---- struct fields ---- */

static uint64_t struct_load(const struct capnp_struct *s, uint32_t off, unsigned bytes)
{
	if (s->data == NULL || (uint64_t)off + bytes > s->data_bytes)
		return 0;
	return load_le(s->data + off, bytes);
}

bool capnp_struct_bool(const struct capnp_struct *s, uint32_t bit)
{
	return (struct_load(s, bit / 8, 1) >> (bit % 8)) & 1;
}

uint8_t capnp_struct_u8(const struct capnp_struct *s, uint32_t off)
{
	return (uint8_t)struct_load(s, off, 1);
}

uint16_t capnp_struct_u16(const struct capnp_struct *s, uint32_t off)
{
	return (uint16_t)struct_load(s, off, 2);
}

uint32_t capnp_struct_u32(const struct capnp_struct *s, uint32_t off)
{
	return (uint32_t)struct_load(s, off, 4);
}

uint64_t capnp_struct_u64(const struct capnp_struct *s, uint32_t off)
{
	return struct_load(s, off, 8);
}

int capnp_struct_ptr(const struct capnp_struct *s, uint16_t idx, struct capnp_ptr *out)
{
	if (s->msg == NULL || idx >= s->nptrs) {
		*out = (struct capnp_ptr){ .kind = CAPNP_KIND_NULL };
		return CAPNP_NULL;
	}
	int64_t word = (s->ptrs + idx) - s->msg->segs[s->seg].words;
	return read_ptr(s->msg, s->seg, word, s->depth, out);
}

int capnp_struct_get_struct(const struct capnp_struct *s, uint16_t idx, struct capnp_struct *out)
{
	struct capnp_ptr p;
	return want_struct(capnp_struct_ptr(s, idx, &p), &p, out);
}

/* May a list encoded with elements `have` be read as a list of `want`? */
static bool elem_compatible(const struct capnp_list *l, enum capnp_elem_size want)
{
	uint32_t have = l->elem_size;

	if (want == CAPNP_ELEM_VOID || have == (uint32_t)want)
		return true;
	switch (want) {
	case CAPNP_ELEM_COMPOSITE: /* structs: any non-bit encoding */
		return have != CAPNP_ELEM_BIT;
	case CAPNP_ELEM_POINTER:
		return have == CAPNP_ELEM_COMPOSITE && l->nptrs >= 1;
	case CAPNP_ELEM_BIT:
		return false;
	default: /* primitives: from a composite list's first data field */
		return have == CAPNP_ELEM_COMPOSITE && l->data_bits >= elem_bits(want);
	}
}

static int want_list(int err, const struct capnp_ptr *p, enum capnp_elem_size elem,
		     struct capnp_list *out)
{
	*out = (struct capnp_list){ 0 };
	if (err)
		return err;
	if (p->kind != CAPNP_KIND_LIST)
		return CAPNP_ERR_POINTER_KIND;
	if (!elem_compatible(&p->l, elem))
		return CAPNP_ERR_ELEMENT_SIZE;
	*out = p->l;
	return CAPNP_OK;
}

int capnp_struct_get_list(const struct capnp_struct *s, uint16_t idx, enum capnp_elem_size elem,
			  struct capnp_list *out)
{
	struct capnp_ptr p;
	return want_list(capnp_struct_ptr(s, idx, &p), &p, elem, out);
}

static int want_text(int err, const struct capnp_ptr *p, struct capnp_text *out)
{
	struct capnp_list l;

	*out = (struct capnp_text){ "", 0 };
	err = want_list(err, p, CAPNP_ELEM_BYTE, &l);
	if (err)
		return err;
	if (l.elem_size != CAPNP_ELEM_BYTE)
		return CAPNP_ERR_ELEMENT_SIZE;
	if (l.count == 0 || l.start[l.count - 1] != 0)
		return CAPNP_ERR_TEXT_NUL;
	*out = (struct capnp_text){ (const char *)l.start, l.count - 1 };
	return CAPNP_OK;
}

static int want_data(int err, const struct capnp_ptr *p, struct capnp_data *out)
{
	struct capnp_list l;

	*out = (struct capnp_data){ NULL, 0 };
	err = want_list(err, p, CAPNP_ELEM_BYTE, &l);
	if (err)
		return err;
	if (l.elem_size != CAPNP_ELEM_BYTE)
		return CAPNP_ERR_ELEMENT_SIZE;
	*out = (struct capnp_data){ l.start, l.count };
	return CAPNP_OK;
}

int capnp_struct_get_text(const struct capnp_struct *s, uint16_t idx, struct capnp_text *out)
{
	struct capnp_ptr p;
	return want_text(capnp_struct_ptr(s, idx, &p), &p, out);
}

int capnp_struct_get_data(const struct capnp_struct *s, uint16_t idx, struct capnp_data *out)
{
	struct capnp_ptr p;
	return want_data(capnp_struct_ptr(s, idx, &p), &p, out);
}

int capnp_struct_get_cap(const struct capnp_struct *s, uint16_t idx, uint32_t *out)
{
	struct capnp_ptr p;
	int err = capnp_struct_ptr(s, idx, &p);

	*out = 0;
	if (err)
		return err;
	if (p.kind != CAPNP_KIND_CAP)
		return CAPNP_ERR_POINTER_KIND;
	*out = p.cap;
	return CAPNP_OK;
}

/* ---- list elements ---- */

/* Element i's data as a little-endian value of `bytes` bytes, or 0. */
static uint64_t list_load(const struct capnp_list *l, uint32_t i, unsigned bytes)
{
	if (i >= l->count || l->data_bits < bytes * 8)
		return 0;
	return load_le(l->start + (uint64_t)i * l->step_bits / 8, bytes);
}

bool capnp_list_bool(const struct capnp_list *l, uint32_t i)
{
	if (i >= l->count || l->data_bits == 0)
		return false;
	if (l->step_bits == 1)
		return (l->start[i / 8] >> (i % 8)) & 1;
	return l->start[(uint64_t)i * l->step_bits / 8] & 1;
}

uint8_t capnp_list_u8(const struct capnp_list *l, uint32_t i)
{
	return (uint8_t)list_load(l, i, 1);
}

uint16_t capnp_list_u16(const struct capnp_list *l, uint32_t i)
{
	return (uint16_t)list_load(l, i, 2);
}

uint32_t capnp_list_u32(const struct capnp_list *l, uint32_t i)
{
	return (uint32_t)list_load(l, i, 4);
}

uint64_t capnp_list_u64(const struct capnp_list *l, uint32_t i)
{
	return list_load(l, i, 8);
}

int capnp_list_get_struct(const struct capnp_list *l, uint32_t i, struct capnp_struct *out)
{
	*out = (struct capnp_struct){ 0 };
	if (i >= l->count)
		return CAPNP_ERR_INDEX;
	if (l->elem_size == CAPNP_ELEM_BIT)
		return CAPNP_ERR_ELEMENT_SIZE;
	const uint8_t *el = l->start + (uint64_t)i * l->step_bits / 8;
	uint32_t data_bytes = l->data_bits / 8;
	*out = (struct capnp_struct){ .msg = l->msg,
				      .seg = l->seg,
				      .data = el,
				      .data_bytes = data_bytes,
				      .ptrs = l->nptrs ? (const uint64_t *)(el + data_bytes) : NULL,
				      .nptrs = l->nptrs,
				      .depth = l->depth };
	return CAPNP_OK;
}

int capnp_list_ptr(const struct capnp_list *l, uint32_t i, struct capnp_ptr *out)
{
	struct capnp_struct el;
	int err = capnp_list_get_struct(l, i, &el);

	if (err) {
		*out = (struct capnp_ptr){ .kind = CAPNP_KIND_NULL };
		return err;
	}
	return capnp_struct_ptr(&el, 0, out);
}

int capnp_list_get_list(const struct capnp_list *l, uint32_t i, enum capnp_elem_size elem,
			struct capnp_list *out)
{
	struct capnp_ptr p;
	return want_list(capnp_list_ptr(l, i, &p), &p, elem, out);
}

int capnp_list_get_text(const struct capnp_list *l, uint32_t i, struct capnp_text *out)
{
	struct capnp_ptr p;
	return want_text(capnp_list_ptr(l, i, &p), &p, out);
}

int capnp_list_get_data(const struct capnp_list *l, uint32_t i, struct capnp_data *out)
{
	struct capnp_ptr p;
	return want_data(capnp_list_ptr(l, i, &p), &p, out);
}
