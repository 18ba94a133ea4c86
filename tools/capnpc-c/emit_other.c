/*
 * tools/capnpc-c: enums, interfaces (ids, ordinals, client request helpers,
 * server tables and dispatch), constants, and constant flat messages.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tools/capnpc-c/gen.h"

#define OUT(...) fprintf(g->out, __VA_ARGS__)

void emit_c_bytes(struct gen *g, const uint8_t *p, uint32_t len)
{
	OUT("\"");
	for (uint32_t i = 0; i < len; i++) {
		uint8_t c = p[i];
		if (c == '"' || c == '\\')
			OUT("\\%c", c);
		else if (c >= 0x20 && c < 0x7f && c != '?')
			OUT("%c", c);
		else
			OUT("\\%03o", c);
	}
	OUT("\"");
}

void emit_flat_message(struct gen *g, const struct capnp_ptr *p, const char *indent)
{
	static uint64_t buf[1 << 16];
	struct capnp_builder b;

	capnp_builder_init(&b, buf, sizeof(buf));
	struct capnp_bstruct holder = { &b, NULL, 0, &buf[1], 1 };
	if (capnp_bstruct_set_ptr(&holder, 0, p) != CAPNP_OK) {
		fprintf(stderr, "capnpc-c: a default value is too large\n");
		exit(1);
	}
	OUT("%sstatic const uint64_t words[] = {", indent);
	for (uint32_t i = 1; i < b.used; i++)
		OUT("%s0x%016" PRIx64 "ULL",
		    i == 1	? "\n\t\t\t" :
		    (i - 1) % 3 ? ", " :
				  ",\n\t\t\t",
		    buf[i]);
	OUT(" };\n");
	OUT("%sstatic const struct capnp_seg seg = { words, %u };\n", indent, b.used - 1);
	OUT("%sstatic struct capnp_msg msg = { &seg, 1, 0, CAPNP_DEFAULT_NESTING_LIMIT, true };\n",
	    indent);
}

void emit_enum(struct gen *g, const struct sc_node *n)
{
	char *c = gen_c_name(g, n), *u = gen_upper(c);

	OUT("/* %s (enum) */\n", sc_local_name(n));
	OUT("#define %s_TYPE_ID 0x%016" PRIx64 "ULL\n", u, n->id);
	OUT("enum %s {\n", c);
	for (uint32_t i = 0; i < n->nenumerants; i++) {
		char *e = gen_upper(n->enumerants[i].name);
		OUT("\t%s_%s = %u,\n", u, e, i);
		free(e);
	}
	OUT("};\n\n");
	free(c);
	free(u);
}

static void emit_method_constants(struct gen *g, const struct sc_node *n, const char *u)
{
	for (uint32_t i = 0; i < n->nmethods; i++) {
		char *m = gen_upper(n->methods[i].name);
		OUT("#define %s_%s %u\n", u, m, i);
		free(m);
	}
}

void emit_interface(struct gen *g, const struct sc_node *n)
{
	char *c = gen_c_name(g, n), *u = gen_upper(c);

	OUT("/* %s (interface) */\n", sc_local_name(n));
	OUT("#define %s_INTERFACE_ID 0x%016" PRIx64 "ULL\n", u, n->id);
	emit_method_constants(g, n, u);
	OUT("\nstruct %s_server {\n", c);
	for (uint32_t i = 0; i < n->nmethods; i++) {
		const struct sc_method *m = &n->methods[i];
		char *pc = gen_c_name(g, sc_find(g->req, m->param_id));
		char *rc = gen_c_name(g, sc_find(g->req, m->result_id));
		OUT("\tint (*%s)(void *self, const struct %s_r *params, struct %s_b *results,\n"
		    "\t\t  struct capnp_exc *exc);\n",
		    m->name, pc, rc);
		free(pc);
		free(rc);
	}
	if (n->nmethods == 0)
		OUT("\tint unused; /* no methods: operations are ring opcodes */\n");
	OUT("};\n\n");
	for (uint32_t i = 0; i < n->nmethods; i++) {
		const struct sc_method *m = &n->methods[i];
		char *pc = gen_c_name(g, sc_find(g->req, m->param_id)), *pu = gen_upper(pc);
		OUT("static inline int %s_%s_request(struct capnp_builder *b, struct %s_b "
		    "*out)\n{\n",
		    c, m->name, pc);
		OUT("\treturn capnp_builder_root(b, %s_DATA_WORDS, %s_PTR_COUNT, &out->s);\n}\n\n",
		    pu, pu);
		free(pc);
		free(pu);
	}
	OUT("static inline int %s_dispatch(const struct %s_server *srv, void *self, uint16_t "
	    "method,\n"
	    "\t\t\t\t struct capnp_msg *params, struct capnp_builder *results,\n"
	    "\t\t\t\t struct capnp_exc *exc)\n{\n",
	    c, c);
	OUT("\t(void)srv;\n\t(void)self;\n\t(void)params;\n\t(void)results;\n");
	OUT("\tswitch (method) {\n");
	for (uint32_t i = 0; i < n->nmethods; i++) {
		const struct sc_method *m = &n->methods[i];
		char *pc = gen_c_name(g, sc_find(g->req, m->param_id));
		char *rc = gen_c_name(g, sc_find(g->req, m->result_id)), *ru = gen_upper(rc);
		OUT("\tcase %u: {\n\t\tstruct %s_r p;\n\t\tstruct %s_b r;\n", i, pc, rc);
		OUT("\t\tif (srv->%s == NULL)\n\t\t\tbreak;\n", m->name);
		OUT("\t\tif (capnp_msg_root_struct(params, &p.s) < 0) {\n"
		    "\t\t\t*exc = (struct capnp_exc){ CAPNP_EXC_FAILED, \"malformed params\" };\n"
		    "\t\t\treturn CAPNP_EXCEPTION;\n\t\t}\n");
		OUT("\t\tint err = capnp_builder_root(results, %s_DATA_WORDS, %s_PTR_COUNT, "
		    "&r.s);\n"
		    "\t\tif (err < 0)\n\t\t\treturn err;\n",
		    ru, ru);
		OUT("\t\treturn srv->%s(self, &p, &r, exc);\n\t}\n", m->name);
		free(pc);
		free(rc);
		free(ru);
	}
	OUT("\tdefault:\n\t\tbreak;\n\t}\n");
	OUT("\t*exc = (struct capnp_exc){ CAPNP_EXC_UNIMPLEMENTED, \"unimplemented method\" };\n");
	OUT("\treturn CAPNP_EXCEPTION;\n}\n\n");
	free(c);
	free(u);
}

static void emit_const_primitive(struct gen *g, const char *u, const struct sc_value *v)
{
	switch (v->kind) {
	case SC_BOOL:
		OUT("#define %s %s\n", u, v->bits ? "true" : "false");
		break;
	case SC_INT8:
	case SC_INT16:
	case SC_INT32:
		OUT("#define %s (%" PRId64 ")\n", u,
		    v->kind == SC_INT8	? (int64_t)(int8_t)v->bits :
		    v->kind == SC_INT16 ? (int64_t)(int16_t)v->bits :
					  (int64_t)(int32_t)v->bits);
		break;
	case SC_INT64:
		OUT("#define %s ((int64_t)0x%016" PRIx64 "ULL)\n", u, v->bits);
		break;
	case SC_FLOAT32:
		OUT("#define %s_BITS 0x%08" PRIx64 "u /* Float32 bit pattern */\n", u, v->bits);
		break;
	case SC_FLOAT64:
		OUT("#define %s_BITS 0x%016" PRIx64 "ULL /* Float64 bit pattern */\n", u, v->bits);
		break;
	default: /* unsigned and enums */
		OUT("#define %s 0x%" PRIx64 "%s\n", u, v->bits, v->kind == SC_UINT64 ? "ULL" : "u");
		break;
	}
}

void emit_const(struct gen *g, const struct sc_node *n)
{
	char *c = gen_c_name(g, n), *u = gen_upper(c);
	const struct sc_value *v = &n->const_value;

	OUT("/* const %s */\n", sc_local_name(n));
	if (v->kind == SC_TEXT || v->kind == SC_DATA) {
		const struct capnp_list *l = &v->ptr.l;
		uint32_t len = l->count ? l->count - (v->kind == SC_TEXT) : 0;
		OUT("#define %s ", u);
		emit_c_bytes(g, l->start, len);
		OUT("\n#define %s_LEN %u\n\n", u, len);
	} else if (v->kind == SC_STRUCT || v->kind == SC_LIST || v->kind == SC_ANYPOINTER) {
		OUT("static inline int %s_get(struct capnp_ptr *out)\n{\n", c);
		emit_flat_message(g, &v->ptr, "\t");
		OUT("\treturn capnp_msg_root(&msg, out);\n}\n\n");
	} else if (v->kind != SC_VOID) {
		emit_const_primitive(g, u, v);
		OUT("\n");
	}
	free(c);
	free(u);
}
