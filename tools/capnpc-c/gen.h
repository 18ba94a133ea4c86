/*
 * tools/capnpc-c code generator: shared state and the emitters' entry
 * points. The generated API is specified in docs/capnp-c.md.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "tools/capnpc-c/schema.h"

struct gen {
	const struct sc_request *req;
	FILE *out;
	uint64_t file_id; /* the requested file being generated */
};

char *gen_file_prefix(const char *filename);
char *gen_c_name(const struct gen *g, const struct sc_node *n);
char *gen_upper(const char *s);

/* Both return 0, or -1 after printing why to stderr. */
int gen_file(struct gen *g, const struct sc_file *file);

/* Emitters (emit_*.c). */
void emit_struct_types(struct gen *g, const struct sc_node *n);
void emit_struct_functions(struct gen *g, const struct sc_node *n);
void emit_enum(struct gen *g, const struct sc_node *n);
void emit_interface(struct gen *g, const struct sc_node *n);
void emit_const(struct gen *g, const struct sc_node *n);
/* A pointer-valued constant as static words of a flat message, declared
 * inside a function body: `words`, `seg` and `msg` locals. */
void emit_flat_message(struct gen *g, const struct capnp_ptr *p, const char *indent);
void emit_c_bytes(struct gen *g, const uint8_t *p, uint32_t len);
