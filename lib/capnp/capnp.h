/*
 * lib/capnp — a freestanding Cap'n Proto wire-format runtime.
 *
 * No libc, no allocation: a reader walks a caller-owned byte buffer and a
 * builder writes into a caller-owned buffer. The same source builds into the
 * kernel, userspace and the host tools/tests.
 *
 * Reading. capnp_msg_init() checks the segment table (the standard framing:
 * u32 count-1, u32 sizes, padding to 8 bytes, then the segments) against the
 * buffer. Every pointer followed afterwards is checked against its segment,
 * far and double-far pointers are resolved (a landing pad must have the shape
 * the encoding spec allows, so far-pointer loops are impossible), each
 * resolved struct or list is charged to the message's traversal budget
 * (zero-sized list elements are charged one word each, so a huge list of
 * empty structs cannot amplify a small message), and every reader carries its
 * nesting depth, bounded by the message's nesting limit.
 *
 * Out-of-range data and pointer fields read as zero / null: an old reader
 * reads a new, larger struct and a new reader reads an old, smaller one.
 * Generated code applies the schema's defaults (XOR for primitives, a default
 * message for a null pointer).
 *
 * Errors are values: functions that can fail return 0 (CAPNP_OK), or a
 * negative enum capnp_err, and leave their out-parameters zeroed on failure.
 * Pointer getters return CAPNP_NULL (1) for a null pointer, so that callers
 * can tell "absent" from "empty".
 *
 * Building. A builder lays out one segment in a caller-supplied, 8-byte
 * aligned buffer: word 0 is the segment table, word 1 the root pointer.
 * Running out of room returns CAPNP_ERR_NO_SPACE and leaves the message as
 * it was before the failing call (allocation is the only fallible step and
 * happens before anything is linked in). capnp_builder_finish() returns the
 * framed message's length.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum capnp_err {
	CAPNP_OK = 0,
	CAPNP_NULL = 1,			/* pointer is null (not an error) */
	CAPNP_ERR_TRUNCATED = -1,	/* buffer shorter than its framing says */
	CAPNP_ERR_SEGMENT_TABLE = -2,	/* segment count/sizes malformed or too many */
	CAPNP_ERR_OUT_OF_BOUNDS = -3,	/* pointer target outside its segment */
	CAPNP_ERR_TRAVERSAL_LIMIT = -4, /* traversal budget exhausted */
	CAPNP_ERR_NESTING_LIMIT = -5,	/* pointer nesting deeper than the limit */
	CAPNP_ERR_POINTER_KIND = -6,	/* e.g. a list where a struct was expected */
	CAPNP_ERR_FAR_POINTER = -7,	/* bad segment id or landing pad */
	CAPNP_ERR_ELEMENT_SIZE = -8,	/* list element size incompatible with the read */
	CAPNP_ERR_TEXT_NUL = -9,	/* text not NUL-terminated */
	CAPNP_ERR_NO_SPACE = -10,	/* builder buffer full */
	CAPNP_ERR_RESERVED = -11,	/* reserved pointer encoding (other-kind != 0) */
	CAPNP_ERR_INDEX = -12,		/* list index or pointer index out of range */
	CAPNP_ERR_ARGUMENT = -13,	/* caller passed an impossible argument */
};

/* Returned by generated server dispatch and method handlers: the call ended
 * in an application exception described by a struct capnp_exc. */
#define CAPNP_EXCEPTION 2

/* Human-readable name of an error code ("out of bounds", ...). */
const char *capnp_strerror(int err);

#define CAPNP_DEFAULT_TRAVERSAL_LIMIT_WORDS (8u * 1024u * 1024u) /* 64 MiB, as reference capnp */
#define CAPNP_DEFAULT_NESTING_LIMIT	    64			 /* as reference capnp */

/* Element sizes as encoded in list pointers (encoding spec). */
enum capnp_elem_size {
	CAPNP_ELEM_VOID = 0,
	CAPNP_ELEM_BIT = 1,
	CAPNP_ELEM_BYTE = 2,
	CAPNP_ELEM_TWO_BYTES = 3,
	CAPNP_ELEM_FOUR_BYTES = 4,
	CAPNP_ELEM_EIGHT_BYTES = 5,
	CAPNP_ELEM_POINTER = 6,
	CAPNP_ELEM_COMPOSITE = 7,
};

/* ---------------------------------------------------------------- reading */

struct capnp_seg {
	const uint64_t *words; /* first word of the segment */
	uint32_t len;	       /* length in words */
};

struct capnp_msg {
	const struct capnp_seg *segs; /* caller-owned array, nsegs entries */
	uint32_t nsegs;
	uint64_t traversal_left; /* words still allowed to be read */
	uint32_t nesting_limit;
	bool unlimited; /* trusted constant data (schema defaults): no budget */
};

/* A struct seen through a reader. A zeroed capnp_struct is a valid empty
 * struct (all fields read as their defaults). */
struct capnp_struct {
	struct capnp_msg *msg;
	uint32_t seg;	      /* segment holding the pointer section */
	const uint8_t *data;  /* data section */
	uint32_t data_bytes;  /* size of the data section */
	const uint64_t *ptrs; /* pointer section */
	uint16_t nptrs;
	uint16_t depth; /* nesting depth of this struct */
};

/* A list seen through a reader: element i starts at start + i*step_bits/8
 * (bit lists: bit i). Each element has data_bits of data followed by nptrs
 * pointers, which lets any list be read as a list of structs (and an
 * inline-composite list as a list of primitives) as the encoding spec allows
 * for schema evolution. A zeroed capnp_list is a valid empty list. */
struct capnp_list {
	struct capnp_msg *msg;
	uint32_t seg;
	const uint8_t *start;
	uint32_t count;
	uint32_t step_bits;
	uint32_t data_bits;
	uint16_t nptrs;
	uint8_t elem_size; /* enum capnp_elem_size as encoded */
	uint16_t depth;
};

struct capnp_text {
	const char *str; /* NUL-terminated; "" for a null pointer */
	uint32_t len;	 /* bytes before the NUL */
};

struct capnp_data {
	const uint8_t *ptr;
	uint32_t len;
};

enum capnp_kind {
	CAPNP_KIND_NULL,
	CAPNP_KIND_STRUCT,
	CAPNP_KIND_LIST,
	CAPNP_KIND_CAP
};

/* Any pointer, resolved. */
struct capnp_ptr {
	enum capnp_kind kind;
	struct capnp_struct s; /* CAPNP_KIND_STRUCT */
	struct capnp_list l;   /* CAPNP_KIND_LIST */
	uint32_t cap;	       /* CAPNP_KIND_CAP: capability table index */
};

/* Parse framing of a standard (segment-table) message in buf. segs must have
 * room for max_segs entries; more segments than that is
 * CAPNP_ERR_SEGMENT_TABLE. buf must be 8-byte aligned. Sets the default
 * traversal and nesting limits. *used (may be NULL) gets the framed length,
 * so a stream of messages can be walked. */
int capnp_msg_init(struct capnp_msg *m, const void *buf, size_t len, struct capnp_seg *segs,
		   uint32_t max_segs, size_t *used);

/* A message made of one unframed segment (e.g. a constant default value, or
 * the "flat" format). seg is filled in by the call and must outlive m. */
void capnp_msg_init_flat(struct capnp_msg *m, struct capnp_seg *seg, const uint64_t *words,
			 uint32_t nwords);

/* The root pointer (word 0 of segment 0). */
int capnp_msg_root(struct capnp_msg *m, struct capnp_ptr *out);
int capnp_msg_root_struct(struct capnp_msg *m, struct capnp_struct *out);

/* Data-section fields by byte offset (bit offset for bools). Out of range
 * reads return 0. */
bool capnp_struct_bool(const struct capnp_struct *s, uint32_t bit_offset);
uint8_t capnp_struct_u8(const struct capnp_struct *s, uint32_t byte_offset);
uint16_t capnp_struct_u16(const struct capnp_struct *s, uint32_t byte_offset);
uint32_t capnp_struct_u32(const struct capnp_struct *s, uint32_t byte_offset);
uint64_t capnp_struct_u64(const struct capnp_struct *s, uint32_t byte_offset);

/* Pointer-section fields by pointer index. A missing index reads as null.
 * Return CAPNP_OK, CAPNP_NULL (out zeroed / empty) or an error (out zeroed). */
int capnp_struct_ptr(const struct capnp_struct *s, uint16_t idx, struct capnp_ptr *out);
int capnp_struct_get_struct(const struct capnp_struct *s, uint16_t idx, struct capnp_struct *out);
/* elem: the element size the schema expects (CAPNP_ELEM_COMPOSITE for
 * List(struct)); incompatible wire encodings fail with CAPNP_ERR_ELEMENT_SIZE. */
int capnp_struct_get_list(const struct capnp_struct *s, uint16_t idx, enum capnp_elem_size elem,
			  struct capnp_list *out);
int capnp_struct_get_text(const struct capnp_struct *s, uint16_t idx, struct capnp_text *out);
int capnp_struct_get_data(const struct capnp_struct *s, uint16_t idx, struct capnp_data *out);
int capnp_struct_get_cap(const struct capnp_struct *s, uint16_t idx, uint32_t *out);

/* List elements. Primitive reads of an index >= count return 0. */
bool capnp_list_bool(const struct capnp_list *l, uint32_t i);
uint8_t capnp_list_u8(const struct capnp_list *l, uint32_t i);
uint16_t capnp_list_u16(const struct capnp_list *l, uint32_t i);
uint32_t capnp_list_u32(const struct capnp_list *l, uint32_t i);
uint64_t capnp_list_u64(const struct capnp_list *l, uint32_t i);
int capnp_list_get_struct(const struct capnp_list *l, uint32_t i, struct capnp_struct *out);
int capnp_list_ptr(const struct capnp_list *l, uint32_t i, struct capnp_ptr *out);
int capnp_list_get_list(const struct capnp_list *l, uint32_t i, enum capnp_elem_size elem,
			struct capnp_list *out);
int capnp_list_get_text(const struct capnp_list *l, uint32_t i, struct capnp_text *out);
int capnp_list_get_data(const struct capnp_list *l, uint32_t i, struct capnp_data *out);

/* ---------------------------------------------------------------- building */

struct capnp_builder {
	uint64_t *buf; /* caller buffer, 8-byte aligned */
	uint32_t cap;  /* capacity in words */
	uint32_t used; /* words allocated so far (including the segment table) */
};

/* A struct being built. A zeroed capnp_bstruct is a valid "nowhere" struct
 * whose setters do nothing and whose pointer inits fail with
 * CAPNP_ERR_ARGUMENT. */
struct capnp_bstruct {
	struct capnp_builder *b;
	uint64_t *data;
	uint16_t data_words;
	uint64_t *ptrs;
	uint16_t nptrs;
};

struct capnp_blist {
	struct capnp_builder *b;
	uint8_t *start; /* first element (after the tag word for composite lists) */
	uint32_t count;
	uint8_t elem_size;
	uint16_t data_words; /* composite lists */
	uint16_t nptrs;	     /* composite lists */
};

/* Start a message in buf (len bytes, 8-byte aligned). Needs at least two
 * words; otherwise CAPNP_ERR_NO_SPACE. */
int capnp_builder_init(struct capnp_builder *b, void *buf, size_t len);
/* Allocate the root struct (all zero). */
int capnp_builder_root(struct capnp_builder *b, uint16_t data_words, uint16_t nptrs,
		       struct capnp_bstruct *out);
/* Write the segment table; returns the framed message length in bytes. */
size_t capnp_builder_finish(struct capnp_builder *b);

void capnp_bstruct_set_bool(struct capnp_bstruct *s, uint32_t bit_offset, bool v);
void capnp_bstruct_set_u8(struct capnp_bstruct *s, uint32_t byte_offset, uint8_t v);
void capnp_bstruct_set_u16(struct capnp_bstruct *s, uint32_t byte_offset, uint16_t v);
void capnp_bstruct_set_u32(struct capnp_bstruct *s, uint32_t byte_offset, uint32_t v);
void capnp_bstruct_set_u64(struct capnp_bstruct *s, uint32_t byte_offset, uint64_t v);

/* Pointer fields. Each allocates fresh, zeroed storage and points field idx
 * at it (an earlier value becomes unreachable garbage in the buffer). */
int capnp_bstruct_init_struct(struct capnp_bstruct *s, uint16_t idx, uint16_t data_words,
			      uint16_t nptrs, struct capnp_bstruct *out);
int capnp_bstruct_init_list(struct capnp_bstruct *s, uint16_t idx, enum capnp_elem_size elem,
			    uint32_t count, struct capnp_blist *out);
int capnp_bstruct_init_struct_list(struct capnp_bstruct *s, uint16_t idx, uint32_t count,
				   uint16_t data_words, uint16_t nptrs, struct capnp_blist *out);
int capnp_bstruct_set_text(struct capnp_bstruct *s, uint16_t idx, const char *str, uint32_t len);
int capnp_bstruct_set_data(struct capnp_bstruct *s, uint16_t idx, const void *bytes, uint32_t len);
/* Deep-copy a resolved reader pointer (any kind, from any message) into
 * field idx: used for struct/list defaults and to forward received data.
 * Copying is charged to the source message's traversal budget. */
int capnp_bstruct_set_ptr(struct capnp_bstruct *s, uint16_t idx, const struct capnp_ptr *src);
void capnp_bstruct_set_null(struct capnp_bstruct *s, uint16_t idx);

void capnp_blist_set_bool(struct capnp_blist *l, uint32_t i, bool v);
void capnp_blist_set_u8(struct capnp_blist *l, uint32_t i, uint8_t v);
void capnp_blist_set_u16(struct capnp_blist *l, uint32_t i, uint16_t v);
void capnp_blist_set_u32(struct capnp_blist *l, uint32_t i, uint32_t v);
void capnp_blist_set_u64(struct capnp_blist *l, uint32_t i, uint64_t v);
/* Element i of a composite list, as a struct builder. */
int capnp_blist_get_struct(struct capnp_blist *l, uint32_t i, struct capnp_bstruct *out);
/* Pointer elements of a CAPNP_ELEM_POINTER list. */
int capnp_blist_init_list(struct capnp_blist *l, uint32_t i, enum capnp_elem_size elem,
			  uint32_t count, struct capnp_blist *out);
int capnp_blist_init_struct_list(struct capnp_blist *l, uint32_t i, uint32_t count,
				 uint16_t data_words, uint16_t nptrs, struct capnp_blist *out);
int capnp_blist_init_struct(struct capnp_blist *l, uint32_t i, uint16_t data_words, uint16_t nptrs,
			    struct capnp_bstruct *out);
int capnp_blist_set_text(struct capnp_blist *l, uint32_t i, const char *str, uint32_t len);
int capnp_blist_set_data(struct capnp_blist *l, uint32_t i, const void *bytes, uint32_t len);
int capnp_blist_set_ptr(struct capnp_blist *l, uint32_t i, const struct capnp_ptr *src);

/* ---------------------------------------------------------------- dispatch */

/* Exception kinds; the values are the ordinals of CapException.Type in
 * schema/capos.capnp (failed, overloaded, disconnected, unimplemented). */
enum capnp_exc_type {
	CAPNP_EXC_FAILED = 0,
	CAPNP_EXC_OVERLOADED = 1,
	CAPNP_EXC_DISCONNECTED = 2,
	CAPNP_EXC_UNIMPLEMENTED = 3,
};

/* An application exception raised by a server method: a type and a static
 * or caller-owned message. The transport serializes it as a CapException. */
struct capnp_exc {
	enum capnp_exc_type type;
	const char *msg;
};
