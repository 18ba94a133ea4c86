/*
 * libFuzzer target: arbitrary bytes through lib/capnp's reader. The input is
 * framed as a message and walked generically from the root: every pointer of
 * every struct and list element, text, data and every primitive width. Then
 * the root is deep-copied into a builder and the copy is walked too. Any
 * out-of-bounds read, overflow or undefined behaviour is a finding.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/capnp/capnp.h"

static uint64_t sink;

static void walk_ptr(const struct capnp_ptr *p);

static void walk_struct(const struct capnp_struct *s)
{
	for (uint32_t off = 0; off < s->data_bytes + 8; off += 8)
		sink += capnp_struct_u64(s, off) + capnp_struct_u8(s, off + 3) +
			capnp_struct_bool(s, off * 8 + 5);
	for (uint16_t i = 0; i <= s->nptrs; i++) {
		struct capnp_ptr p;
		struct capnp_text t;
		struct capnp_data d;
		if (capnp_struct_ptr(s, i, &p) == CAPNP_OK)
			walk_ptr(&p);
		if (capnp_struct_get_text(s, i, &t) == CAPNP_OK)
			sink += t.len + (unsigned char)t.str[t.len];
		if (capnp_struct_get_data(s, i, &d) == CAPNP_OK && d.len)
			sink += d.ptr[d.len - 1];
	}
}

static void walk_list(const struct capnp_list *l)
{
	uint32_t n = l->count < 256 ? l->count : 256;

	for (uint32_t i = 0; i <= n; i++) {
		sink += capnp_list_bool(l, i) + capnp_list_u8(l, i) + capnp_list_u16(l, i) +
			capnp_list_u32(l, i) + capnp_list_u64(l, i);
		struct capnp_struct s;
		struct capnp_ptr p;
		if (capnp_list_get_struct(l, i, &s) == CAPNP_OK)
			walk_struct(&s);
		if (l->nptrs && capnp_list_ptr(l, i, &p) == CAPNP_OK)
			walk_ptr(&p);
	}
	static const enum capnp_elem_size sizes[] = {
		CAPNP_ELEM_VOID,      CAPNP_ELEM_BIT,	     CAPNP_ELEM_BYTE,
		CAPNP_ELEM_TWO_BYTES, CAPNP_ELEM_FOUR_BYTES, CAPNP_ELEM_EIGHT_BYTES,
		CAPNP_ELEM_POINTER,   CAPNP_ELEM_COMPOSITE,
	};
	if (l->count && l->nptrs) {
		struct capnp_list sub;
		for (unsigned k = 0; k < 8; k++)
			sink += (unsigned)capnp_list_get_list(l, 0, sizes[k], &sub);
	}
}

static void walk_ptr(const struct capnp_ptr *p)
{
	if (p->kind == CAPNP_KIND_STRUCT)
		walk_struct(&p->s);
	else if (p->kind == CAPNP_KIND_LIST)
		walk_list(&p->l);
	else if (p->kind == CAPNP_KIND_CAP)
		sink += p->cap;
}

static uint64_t in[1 << 16];
static uint64_t out[1 << 16];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capnp_seg segs[64], osegs[1];
	struct capnp_msg m, om;
	struct capnp_ptr root;
	struct capnp_builder b;

	if (size > sizeof(in))
		return 0;
	memcpy(in, data, size);
	if (capnp_msg_init(&m, in, size, segs, 64, NULL) != CAPNP_OK)
		return 0;
	m.traversal_left = 1u << 12; /* keep each input fast */
	if (capnp_msg_root(&m, &root) != CAPNP_OK)
		return 0;
	walk_ptr(&root);

	m.traversal_left = 1u << 12;
	if (capnp_msg_root(&m, &root) != CAPNP_OK || capnp_builder_init(&b, out, sizeof(out)))
		return 0;
	struct capnp_bstruct holder = { &b, NULL, 0, &out[1], 1 };
	if (capnp_bstruct_set_ptr(&holder, 0, &root) != CAPNP_OK)
		return 0;
	size_t len = capnp_builder_finish(&b);
	if (capnp_msg_init(&om, out, len, osegs, 1, NULL) != CAPNP_OK)
		__builtin_trap(); /* a builder's output must always frame */
	if (capnp_msg_root(&om, &root) < 0)
		__builtin_trap(); /* ... and its root must always resolve */
	walk_ptr(&root);
	return 0;
}
