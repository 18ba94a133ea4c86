/*
 * lib/capnp internals shared by the reader, the builder and the copier:
 * pointer-word field extraction (Cap'n Proto encoding spec, "Pointers").
 *
 * A pointer word, little-endian:
 *   bits 0-1   kind: 0 struct, 1 list, 2 far, 3 other (capability)
 *   struct:    bits 2-31 signed word offset from the end of the pointer,
 *              bits 32-47 data words, 48-63 pointer count
 *   list:      bits 2-31 offset, bits 32-34 element size, 35-63 count
 *              (for inline-composite lists: the word count, tag excluded)
 *   far:       bit 2 double-far, bits 3-31 landing-pad word offset,
 *              bits 32-63 segment id
 *   other:     bits 2-31 zero for a capability, bits 32-63 its index
 */
#pragma once

#include <stdint.h>

#include "lib/capnp/capnp.h"

enum {
	PTR_STRUCT = 0,
	PTR_LIST = 1,
	PTR_FAR = 2,
	PTR_OTHER = 3
};

#define LIST_COUNT_MAX ((1u << 29) - 1)

static inline uint32_t ptr_kind(uint64_t w)
{
	return (uint32_t)w & 3;
}

/* Signed 30-bit offset in words. */
static inline int64_t ptr_offset(uint64_t w)
{
	return (int64_t)((int32_t)(uint32_t)w >> 2);
}

static inline uint16_t ptr_struct_data_words(uint64_t w)
{
	return (uint16_t)(w >> 32);
}

static inline uint16_t ptr_struct_ptr_count(uint64_t w)
{
	return (uint16_t)(w >> 48);
}

static inline uint32_t ptr_list_elem(uint64_t w)
{
	return (uint32_t)(w >> 32) & 7;
}

static inline uint32_t ptr_list_count(uint64_t w)
{
	return (uint32_t)(w >> 35);
}

static inline uint64_t make_struct_ptr(int64_t offset, uint16_t data_words, uint16_t nptrs)
{
	return ((uint64_t)((uint32_t)offset << 2) | PTR_STRUCT) | ((uint64_t)data_words << 32) |
	       ((uint64_t)nptrs << 48);
}

static inline uint64_t make_list_ptr(int64_t offset, uint32_t elem, uint32_t count)
{
	return ((uint64_t)((uint32_t)offset << 2) | PTR_LIST) | ((uint64_t)elem << 32) |
	       ((uint64_t)count << 35);
}

static inline uint64_t make_cap_ptr(uint32_t index)
{
	return PTR_OTHER | ((uint64_t)index << 32);
}

/* Bits per element of a non-composite list. */
static inline uint32_t elem_bits(uint32_t elem)
{
	static const uint8_t bits[8] = { 0, 1, 8, 16, 32, 64, 64, 0 };
	return bits[elem & 7];
}

/* Little-endian loads and stores of data-section bytes. x86_64 and every
 * host we test on are little-endian, so these are plain copies; they exist
 * so alignment never matters. */
static inline uint64_t load_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static inline void store_le(uint8_t *p, unsigned bytes, uint64_t v)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Charge words to the message's traversal budget. */
int capnp_charge(struct capnp_msg *m, uint64_t words);

/* Builder primitives shared by build.c and copy.c. */
int capnp__alloc(struct capnp_builder *b, uint64_t words, uint32_t *at);
int capnp__init_struct_at(struct capnp_builder *b, uint64_t *slot, uint16_t dw, uint16_t pc,
			  struct capnp_bstruct *out);
int capnp__init_list_at(struct capnp_builder *b, uint64_t *slot, enum capnp_elem_size elem,
			uint32_t count, struct capnp_blist *out);
int capnp__init_struct_list_at(struct capnp_builder *b, uint64_t *slot, uint32_t count, uint16_t dw,
			       uint16_t pc, struct capnp_blist *out);
/* Deep-copy src into the pointer slot; on failure the slot and the
 * builder's allocation mark are restored. */
int capnp__copy_ptr(struct capnp_builder *b, uint64_t *slot, const struct capnp_ptr *src);
