/*
 * lib/capnp builder: one segment laid out in a caller buffer. Word 0 holds
 * the segment table (written by capnp_builder_finish), word 1 is the root
 * pointer, objects follow in allocation order. Every allocation is checked
 * before anything points at it, so running out of space leaves the message
 * exactly as it was.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/capnp/capnp.h"
#include "lib/capnp/internal.h"

int capnp_builder_init(struct capnp_builder *b, void *buf, size_t len)
{
	*b = (struct capnp_builder){ 0 };
	if (((uintptr_t)buf & 7) != 0)
		return CAPNP_ERR_ARGUMENT;
	if (len < 16)
		return CAPNP_ERR_NO_SPACE;
	uint64_t words = len / 8;
	b->buf = buf;
	b->cap = words > UINT32_MAX ? UINT32_MAX : (uint32_t)words;
	b->used = 2;
	b->buf[0] = 0;
	b->buf[1] = 0;
	return CAPNP_OK;
}

/* Reserve `words` zeroed words; their index goes to *at. */
static int alloc(struct capnp_builder *b, uint64_t words, uint32_t *at)
{
	if (b == NULL || b->buf == NULL)
		return CAPNP_ERR_ARGUMENT;
	if (words > (uint64_t)b->cap - b->used)
		return CAPNP_ERR_NO_SPACE;
	*at = b->used;
	memset(b->buf + b->used, 0, words * 8);
	b->used += (uint32_t)words;
	return CAPNP_OK;
}

static int64_t rel(const struct capnp_builder *b, const uint64_t *slot, uint32_t target)
{
	return (int64_t)target - ((slot - b->buf) + 1);
}

static int init_struct_at(struct capnp_builder *b, uint64_t *slot, uint16_t dw, uint16_t pc,
			  struct capnp_bstruct *out)
{
	uint32_t at;
	int err = alloc(b, (uint64_t)dw + pc, &at);

	*out = (struct capnp_bstruct){ 0 };
	if (err)
		return err;
	*slot = make_struct_ptr(rel(b, slot, at), dw, pc);
	*out = (struct capnp_bstruct){ b, b->buf + at, dw, b->buf + at + dw, pc };
	return CAPNP_OK;
}

static int init_list_at(struct capnp_builder *b, uint64_t *slot, enum capnp_elem_size elem,
			uint32_t count, struct capnp_blist *out)
{
	uint32_t at;

	*out = (struct capnp_blist){ 0 };
	if (elem == CAPNP_ELEM_COMPOSITE || (unsigned)elem > CAPNP_ELEM_COMPOSITE ||
	    count > LIST_COUNT_MAX)
		return CAPNP_ERR_ARGUMENT;
	int err = alloc(b, ((uint64_t)count * elem_bits(elem) + 63) / 64, &at);
	if (err)
		return err;
	*slot = make_list_ptr(rel(b, slot, at), elem, count);
	*out = (struct capnp_blist){ b, (uint8_t *)(b->buf + at), count, (uint8_t)elem, 0, 0 };
	return CAPNP_OK;
}

static int init_struct_list_at(struct capnp_builder *b, uint64_t *slot, uint32_t count, uint16_t dw,
			       uint16_t pc, struct capnp_blist *out)
{
	uint64_t words = (uint64_t)count * ((uint64_t)dw + pc);
	uint32_t at;

	*out = (struct capnp_blist){ 0 };
	if (count > LIST_COUNT_MAX || words > LIST_COUNT_MAX)
		return CAPNP_ERR_ARGUMENT;
	int err = alloc(b, words + 1, &at);
	if (err)
		return err;
	b->buf[at] = make_struct_ptr(count, dw, pc); /* the tag: offset field = count */
	*slot = make_list_ptr(rel(b, slot, at), CAPNP_ELEM_COMPOSITE, (uint32_t)words);
	*out = (struct capnp_blist){ b,	    (uint8_t *)(b->buf + at + 1),
				     count, CAPNP_ELEM_COMPOSITE,
				     dw,    pc };
	return CAPNP_OK;
}

static int set_bytes_at(struct capnp_builder *b, uint64_t *slot, const void *bytes, uint32_t len,
			bool nul)
{
	struct capnp_blist l;
	uint64_t count = (uint64_t)len + nul;

	if (count > LIST_COUNT_MAX)
		return CAPNP_ERR_ARGUMENT;
	int err = init_list_at(b, slot, CAPNP_ELEM_BYTE, (uint32_t)count, &l);
	if (err)
		return err;
	if (len)
		memcpy(l.start, bytes, len); /* the NUL is already there: alloc zeroes */
	return CAPNP_OK;
}

int capnp_builder_root(struct capnp_builder *b, uint16_t data_words, uint16_t nptrs,
		       struct capnp_bstruct *out)
{
	if (b->buf == NULL)
		return CAPNP_ERR_ARGUMENT;
	return init_struct_at(b, &b->buf[1], data_words, nptrs, out);
}

size_t capnp_builder_finish(struct capnp_builder *b)
{
	/* One segment: count-1 = 0, then its size in words (table excluded). */
	b->buf[0] = (uint64_t)(b->used - 1) << 32;
	return (size_t)b->used * 8;
}

/* ---- struct fields ---- */

static void struct_store(struct capnp_bstruct *s, uint32_t off, unsigned bytes, uint64_t v)
{
	if (s->data == NULL || (uint64_t)off + bytes > (uint64_t)s->data_words * 8)
		return;
	store_le((uint8_t *)s->data + off, bytes, v);
}

void capnp_bstruct_set_bool(struct capnp_bstruct *s, uint32_t bit, bool v)
{
	if (s->data == NULL || bit / 8 >= (uint64_t)s->data_words * 8)
		return;
	uint8_t *p = (uint8_t *)s->data + bit / 8;
	*p = (uint8_t)((*p & ~(1u << (bit % 8))) | ((unsigned)v << (bit % 8)));
}

void capnp_bstruct_set_u8(struct capnp_bstruct *s, uint32_t off, uint8_t v)
{
	struct_store(s, off, 1, v);
}

void capnp_bstruct_set_u16(struct capnp_bstruct *s, uint32_t off, uint16_t v)
{
	struct_store(s, off, 2, v);
}

void capnp_bstruct_set_u32(struct capnp_bstruct *s, uint32_t off, uint32_t v)
{
	struct_store(s, off, 4, v);
}

void capnp_bstruct_set_u64(struct capnp_bstruct *s, uint32_t off, uint64_t v)
{
	struct_store(s, off, 8, v);
}

/* The pointer slot idx of s, or NULL. */
static uint64_t *struct_slot(struct capnp_bstruct *s, uint16_t idx)
{
	return s->b != NULL && idx < s->nptrs ? &s->ptrs[idx] : NULL;
}

int capnp_bstruct_init_struct(struct capnp_bstruct *s, uint16_t idx, uint16_t data_words,
			      uint16_t nptrs, struct capnp_bstruct *out)
{
	uint64_t *slot = struct_slot(s, idx);

	*out = (struct capnp_bstruct){ 0 };
	return slot ? init_struct_at(s->b, slot, data_words, nptrs, out) : CAPNP_ERR_ARGUMENT;
}

int capnp_bstruct_init_list(struct capnp_bstruct *s, uint16_t idx, enum capnp_elem_size elem,
			    uint32_t count, struct capnp_blist *out)
{
	uint64_t *slot = struct_slot(s, idx);

	*out = (struct capnp_blist){ 0 };
	return slot ? init_list_at(s->b, slot, elem, count, out) : CAPNP_ERR_ARGUMENT;
}

int capnp_bstruct_init_struct_list(struct capnp_bstruct *s, uint16_t idx, uint32_t count,
				   uint16_t data_words, uint16_t nptrs, struct capnp_blist *out)
{
	uint64_t *slot = struct_slot(s, idx);

	*out = (struct capnp_blist){ 0 };
	return slot ? init_struct_list_at(s->b, slot, count, data_words, nptrs, out) :
		      CAPNP_ERR_ARGUMENT;
}

int capnp_bstruct_set_text(struct capnp_bstruct *s, uint16_t idx, const char *str, uint32_t len)
{
	uint64_t *slot = struct_slot(s, idx);
	return slot ? set_bytes_at(s->b, slot, str, len, true) : CAPNP_ERR_ARGUMENT;
}

int capnp_bstruct_set_data(struct capnp_bstruct *s, uint16_t idx, const void *bytes, uint32_t len)
{
	uint64_t *slot = struct_slot(s, idx);
	return slot ? set_bytes_at(s->b, slot, bytes, len, false) : CAPNP_ERR_ARGUMENT;
}

void capnp_bstruct_set_null(struct capnp_bstruct *s, uint16_t idx)
{
	uint64_t *slot = struct_slot(s, idx);
	if (slot)
		*slot = 0;
}

/* ---- list elements ---- */

static void list_store(struct capnp_blist *l, uint32_t i, unsigned bytes, uint64_t v)
{
	if (l->start == NULL || i >= l->count)
		return;
	if (l->elem_size == CAPNP_ELEM_COMPOSITE) {
		if (bytes <= (unsigned)l->data_words * 8)
			store_le(l->start + (uint64_t)i * (l->data_words + l->nptrs) * 8, bytes, v);
		return;
	}
	if (elem_bits(l->elem_size) == bytes * 8 && l->elem_size != CAPNP_ELEM_POINTER)
		store_le(l->start + (uint64_t)i * bytes, bytes, v);
}

void capnp_blist_set_bool(struct capnp_blist *l, uint32_t i, bool v)
{
	if (l->start == NULL || i >= l->count || l->elem_size != CAPNP_ELEM_BIT)
		return;
	uint8_t *p = l->start + i / 8;
	*p = (uint8_t)((*p & ~(1u << (i % 8))) | ((unsigned)v << (i % 8)));
}

void capnp_blist_set_u8(struct capnp_blist *l, uint32_t i, uint8_t v)
{
	list_store(l, i, 1, v);
}

void capnp_blist_set_u16(struct capnp_blist *l, uint32_t i, uint16_t v)
{
	list_store(l, i, 2, v);
}

void capnp_blist_set_u32(struct capnp_blist *l, uint32_t i, uint32_t v)
{
	list_store(l, i, 4, v);
}

void capnp_blist_set_u64(struct capnp_blist *l, uint32_t i, uint64_t v)
{
	list_store(l, i, 8, v);
}

int capnp_blist_get_struct(struct capnp_blist *l, uint32_t i, struct capnp_bstruct *out)
{
	*out = (struct capnp_bstruct){ 0 };
	if (l->start == NULL || l->elem_size != CAPNP_ELEM_COMPOSITE)
		return CAPNP_ERR_ARGUMENT;
	if (i >= l->count)
		return CAPNP_ERR_INDEX;
	uint64_t *el = (uint64_t *)l->start + (uint64_t)i * (l->data_words + l->nptrs);
	*out = (struct capnp_bstruct){ l->b, el, l->data_words, el + l->data_words, l->nptrs };
	return CAPNP_OK;
}

/* The pointer slot of element i of a pointer list, or NULL. */
static uint64_t *list_slot(struct capnp_blist *l, uint32_t i)
{
	if (l->start == NULL || l->elem_size != CAPNP_ELEM_POINTER || i >= l->count)
		return NULL;
	return (uint64_t *)l->start + i;
}

int capnp_blist_init_list(struct capnp_blist *l, uint32_t i, enum capnp_elem_size elem,
			  uint32_t count, struct capnp_blist *out)
{
	uint64_t *slot = list_slot(l, i);

	*out = (struct capnp_blist){ 0 };
	return slot ? init_list_at(l->b, slot, elem, count, out) : CAPNP_ERR_ARGUMENT;
}

int capnp_blist_init_struct_list(struct capnp_blist *l, uint32_t i, uint32_t count,
				 uint16_t data_words, uint16_t nptrs, struct capnp_blist *out)
{
	uint64_t *slot = list_slot(l, i);

	*out = (struct capnp_blist){ 0 };
	return slot ? init_struct_list_at(l->b, slot, count, data_words, nptrs, out) :
		      CAPNP_ERR_ARGUMENT;
}

int capnp_blist_init_struct(struct capnp_blist *l, uint32_t i, uint16_t data_words, uint16_t nptrs,
			    struct capnp_bstruct *out)
{
	uint64_t *slot = list_slot(l, i);

	*out = (struct capnp_bstruct){ 0 };
	return slot ? init_struct_at(l->b, slot, data_words, nptrs, out) : CAPNP_ERR_ARGUMENT;
}

int capnp_blist_set_text(struct capnp_blist *l, uint32_t i, const char *str, uint32_t len)
{
	uint64_t *slot = list_slot(l, i);
	return slot ? set_bytes_at(l->b, slot, str, len, true) : CAPNP_ERR_ARGUMENT;
}

int capnp_blist_set_data(struct capnp_blist *l, uint32_t i, const void *bytes, uint32_t len)
{
	uint64_t *slot = list_slot(l, i);
	return slot ? set_bytes_at(l->b, slot, bytes, len, false) : CAPNP_ERR_ARGUMENT;
}

/* Exposed to copy.c: allocation and pointer writing primitives. */
int capnp__alloc(struct capnp_builder *b, uint64_t words, uint32_t *at)
{
	return alloc(b, words, at);
}

int capnp__init_struct_at(struct capnp_builder *b, uint64_t *slot, uint16_t dw, uint16_t pc,
			  struct capnp_bstruct *out)
{
	return init_struct_at(b, slot, dw, pc, out);
}

int capnp__init_list_at(struct capnp_builder *b, uint64_t *slot, enum capnp_elem_size elem,
			uint32_t count, struct capnp_blist *out)
{
	return init_list_at(b, slot, elem, count, out);
}

int capnp__init_struct_list_at(struct capnp_builder *b, uint64_t *slot, uint32_t count, uint16_t dw,
			       uint16_t pc, struct capnp_blist *out)
{
	return init_struct_list_at(b, slot, count, dw, pc, out);
}

int capnp_bstruct_set_ptr(struct capnp_bstruct *s, uint16_t idx, const struct capnp_ptr *src)
{
	uint64_t *slot = struct_slot(s, idx);
	return slot ? capnp__copy_ptr(s->b, slot, src) : CAPNP_ERR_ARGUMENT;
}

int capnp_blist_set_ptr(struct capnp_blist *l, uint32_t i, const struct capnp_ptr *src)
{
	uint64_t *slot = list_slot(l, i);
	return slot ? capnp__copy_ptr(l->b, slot, src) : CAPNP_ERR_ARGUMENT;
}
