/*
 * tools/capnpc-c schema loader: decodes a CodeGeneratorRequest (the message
 * `capnp compile` hands a plugin on stdin) into plain C structures, reading
 * it with lib/capnp and hand-written offsets of /usr/include/capnp/schema.capnp
 * (see schema.c). Shared by the code generator and capnp-c-dump.
 *
 * Host-only: uses malloc and stdio. Pointer-valued defaults stay as lib/capnp
 * readers into the request, which therefore lives as long as the request.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/capnp/capnp.h"

/* Type.which ordinals of schema.capnp. */
enum sc_kind {
	SC_VOID,
	SC_BOOL,
	SC_INT8,
	SC_INT16,
	SC_INT32,
	SC_INT64,
	SC_UINT8,
	SC_UINT16,
	SC_UINT32,
	SC_UINT64,
	SC_FLOAT32,
	SC_FLOAT64,
	SC_TEXT,
	SC_DATA,
	SC_LIST,
	SC_ENUM,
	SC_STRUCT,
	SC_INTERFACE,
	SC_ANYPOINTER,
};

struct sc_type {
	enum sc_kind kind;
	uint64_t id;	      /* enum, struct, interface */
	struct sc_type *elem; /* list */
};

struct sc_value {
	enum sc_kind kind;
	uint64_t bits;	      /* primitives and enums: the raw bits */
	struct capnp_ptr ptr; /* text, data, list, struct, anyPointer */
};

struct sc_field {
	char *name;
	uint16_t code_order;
	uint16_t discriminant; /* SC_NO_DISCRIMINANT unless a union member */
	bool is_group;
	uint64_t group_id;
	uint32_t offset; /* in units of the type's size; pointer index */
	struct sc_type type;
	struct sc_value def;
};

#define SC_NO_DISCRIMINANT 0xffff

struct sc_enumerant {
	char *name;
	uint16_t code_order;
};

struct sc_method {
	char *name;
	uint16_t code_order;
	uint64_t param_id, result_id;
};

enum sc_node_kind {
	SC_FILE,
	SC_STRUCT_NODE,
	SC_ENUM_NODE,
	SC_INTERFACE_NODE,
	SC_CONST,
	SC_ANNOTATION
};

struct sc_node {
	uint64_t id;
	char *display_name; /* "dir/file.capnp:Outer.Inner" */
	uint32_t prefix_len;
	uint64_t scope_id;
	enum sc_node_kind kind;
	/* struct */
	uint16_t data_words, ptr_count;
	bool is_group;
	uint16_t discriminant_count;
	uint32_t discriminant_offset; /* in 16-bit units */
	struct sc_field *fields;
	uint32_t nfields;
	/* enum */
	struct sc_enumerant *enumerants;
	uint32_t nenumerants;
	/* interface */
	struct sc_method *methods;
	uint32_t nmethods;
	/* const */
	struct sc_type const_type;
	struct sc_value const_value;
};

struct sc_file {
	uint64_t id;
	char *filename;
};

struct sc_request {
	struct sc_node *nodes;
	uint32_t nnodes;
	struct sc_file *files;
	uint32_t nfiles;
	/* the request message, kept alive for pointer-valued defaults */
	uint64_t *buf;
	struct capnp_seg *segs;
	struct capnp_msg msg;
};

/* Load a CodeGeneratorRequest from a whole framed message in buf (which the
 * request takes over; it must be malloc'd and 8-byte aligned). Returns 0 or a
 * negative capnp error; on error prints nothing. */
int sc_load(struct sc_request *req, uint64_t *buf, size_t len);
/* Read all of a stream into a malloc'd, aligned buffer. NULL on failure. */
uint64_t *sc_read_all(int fd, size_t *len);

/* Free everything sc_load allocated, including the request buffer. */
void sc_free(struct sc_request *req);

const struct sc_node *sc_find(const struct sc_request *req, uint64_t id);
/* The file node a node belongs to (following scope ids), or NULL. */
const struct sc_node *sc_file_of(const struct sc_request *req, const struct sc_node *n);
/* Name of the node within its file: "Outer.Inner" (the display name after ':'). */
const char *sc_local_name(const struct sc_node *n);
