/*
 * lib/capnp deep copy: any resolved reader pointer, from any message, into a
 * pointer slot of a builder. Used for schema defaults and for forwarding
 * received data. Every source pointer is re-read through the reader, so the
 * copy is bounded by the source's traversal budget and its recursion by the
 * source's nesting limit. A copy that fails (out of space, or a malformed
 * source) restores the slot and the builder's allocation mark: nothing of it
 * stays linked in.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/capnp/capnp.h"
#include "lib/capnp/internal.h"

static int copy_any(struct capnp_builder *b, uint64_t *slot, const struct capnp_ptr *src);

/* Copy the data and pointers of one struct (or list element) into dst. */
static int copy_struct_body(const struct capnp_struct *src, struct capnp_bstruct *dst)
{
	uint32_t bytes = src->data_bytes;

	if (bytes > (uint32_t)dst->data_words * 8)
		bytes = (uint32_t)dst->data_words * 8;
	if (bytes)
		memcpy(dst->data, src->data, bytes);
	for (uint16_t i = 0; i < src->nptrs && i < dst->nptrs; i++) {
		struct capnp_ptr p;
		int err = capnp_struct_ptr(src, i, &p);
		if (err < 0)
			return err;
		if (err == CAPNP_OK && (err = copy_any(dst->b, &dst->ptrs[i], &p)) != CAPNP_OK)
			return err;
	}
	return CAPNP_OK;
}

static int copy_struct(struct capnp_builder *b, uint64_t *slot, const struct capnp_struct *s)
{
	struct capnp_bstruct dst;
	uint16_t dw = (uint16_t)((s->data_bytes + 7) / 8);
	int err = capnp__init_struct_at(b, slot, dw, s->nptrs, &dst);

	return err ? err : copy_struct_body(s, &dst);
}

static int copy_composite(struct capnp_builder *b, uint64_t *slot, const struct capnp_list *l)
{
	struct capnp_blist dst;
	uint16_t dw = (uint16_t)(l->data_bits / 64);
	int err = capnp__init_struct_list_at(b, slot, l->count, dw, l->nptrs, &dst);

	for (uint32_t i = 0; err == CAPNP_OK && i < l->count; i++) {
		struct capnp_struct el;
		struct capnp_bstruct del;
		if ((err = capnp_list_get_struct(l, i, &el)) == CAPNP_OK &&
		    (err = capnp_blist_get_struct(&dst, i, &del)) == CAPNP_OK)
			err = copy_struct_body(&el, &del);
	}
	return err;
}

static int copy_pointer_list(struct capnp_builder *b, uint64_t *slot, const struct capnp_list *l)
{
	struct capnp_blist dst;
	int err = capnp__init_list_at(b, slot, CAPNP_ELEM_POINTER, l->count, &dst);

	for (uint32_t i = 0; err == CAPNP_OK && i < l->count; i++) {
		struct capnp_ptr p;
		err = capnp_list_ptr(l, i, &p);
		if (err == CAPNP_NULL)
			err = CAPNP_OK;
		else if (err == CAPNP_OK)
			err = copy_any(b, (uint64_t *)dst.start + i, &p);
	}
	return err;
}

static int copy_list(struct capnp_builder *b, uint64_t *slot, const struct capnp_list *l)
{
	struct capnp_blist dst;

	if (l->elem_size == CAPNP_ELEM_COMPOSITE)
		return copy_composite(b, slot, l);
	if (l->elem_size == CAPNP_ELEM_POINTER)
		return copy_pointer_list(b, slot, l);
	int err = capnp__init_list_at(b, slot, (enum capnp_elem_size)l->elem_size, l->count, &dst);
	if (err == CAPNP_OK)
		memcpy(dst.start, l->start, ((uint64_t)l->count * l->step_bits + 7) / 8);
	return err;
}

static int copy_any(struct capnp_builder *b, uint64_t *slot, const struct capnp_ptr *src)
{
	switch (src->kind) {
	case CAPNP_KIND_NULL:
		*slot = 0;
		return CAPNP_OK;
	case CAPNP_KIND_CAP:
		*slot = make_cap_ptr(src->cap);
		return CAPNP_OK;
	case CAPNP_KIND_STRUCT:
		return copy_struct(b, slot, &src->s);
	case CAPNP_KIND_LIST:
		return copy_list(b, slot, &src->l);
	}
	return CAPNP_ERR_ARGUMENT;
}

int capnp__copy_ptr(struct capnp_builder *b, uint64_t *slot, const struct capnp_ptr *src)
{
	uint32_t mark = b->used;
	uint64_t old = *slot;
	int err = copy_any(b, slot, src);

	if (err != CAPNP_OK) {
		*slot = old;
		b->used = mark;
	}
	return err;
}
