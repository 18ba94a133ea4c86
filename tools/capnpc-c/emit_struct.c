/*
 * tools/capnpc-c: structs, groups and their fields. Readers apply the
 * schema's defaults (XOR for primitives, a constant flat message for a null
 * struct or list); union members' setters write the discriminant.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tools/capnpc-c/gen.h"

#define OUT(...) fprintf(g->out, __VA_ARGS__)

struct prim {
	const char *ctype; /* C type of the value */
	const char *acc;   /* lib/capnp accessor width: bool, u8 ... u64 */
	const char *utype; /* unsigned type of the stored bits */
	unsigned bytes;	   /* 0 for bool */
};

/* The primitive description of a type, or NULL for pointer types. */
static const struct prim *prim_of(enum sc_kind k)
{
	static const struct prim p[] = {
		[SC_BOOL] = { "bool", "bool", "bool", 0 },
		[SC_INT8] = { "int8_t", "u8", "uint8_t", 1 },
		[SC_INT16] = { "int16_t", "u16", "uint16_t", 2 },
		[SC_INT32] = { "int32_t", "u32", "uint32_t", 4 },
		[SC_INT64] = { "int64_t", "u64", "uint64_t", 8 },
		[SC_UINT8] = { "uint8_t", "u8", "uint8_t", 1 },
		[SC_UINT16] = { "uint16_t", "u16", "uint16_t", 2 },
		[SC_UINT32] = { "uint32_t", "u32", "uint32_t", 4 },
		[SC_UINT64] = { "uint64_t", "u64", "uint64_t", 8 },
		[SC_FLOAT32] = { "float", "u32", "uint32_t", 4 },
		[SC_FLOAT64] = { "double", "u64", "uint64_t", 8 },
		[SC_ENUM] = { NULL, "u16", "uint16_t", 2 },
	};
	if (k >= sizeof(p) / sizeof(p[0]) || p[k].acc == NULL)
		return NULL;
	return &p[k];
}

/* The element size lib/capnp expects for a List(elem). */
static const char *elem_size_of(const struct sc_type *elem)
{
	switch (elem->kind) {
	case SC_VOID:
		return "CAPNP_ELEM_VOID";
	case SC_BOOL:
		return "CAPNP_ELEM_BIT";
	case SC_INT8:
	case SC_UINT8:
		return "CAPNP_ELEM_BYTE";
	case SC_INT16:
	case SC_UINT16:
	case SC_ENUM:
		return "CAPNP_ELEM_TWO_BYTES";
	case SC_INT32:
	case SC_UINT32:
	case SC_FLOAT32:
		return "CAPNP_ELEM_FOUR_BYTES";
	case SC_INT64:
	case SC_UINT64:
	case SC_FLOAT64:
		return "CAPNP_ELEM_EIGHT_BYTES";
	case SC_STRUCT:
		return "CAPNP_ELEM_COMPOSITE";
	default:
		return "CAPNP_ELEM_POINTER";
	}
}

static char *type_c_name(struct gen *g, uint64_t id)
{
	const struct sc_node *n = sc_find(g->req, id);
	return n ? gen_c_name(g, n) : strdup("unknown");
}

void emit_struct_types(struct gen *g, const struct sc_node *n)
{
	char *c = gen_c_name(g, n), *u = gen_upper(c);

	OUT("/* %s%s */\n", sc_local_name(n), n->is_group ? " (group)" : "");
	OUT("#define %s_TYPE_ID 0x%016" PRIx64 "ULL\n", u, n->id);
	if (!n->is_group) {
		OUT("#define %s_DATA_WORDS %u\n", u, n->data_words);
		OUT("#define %s_PTR_COUNT %u\n", u, n->ptr_count);
	}
	for (uint32_t i = 0; i < n->nfields; i++) {
		const struct sc_field *f = &n->fields[i];
		if (f->discriminant == SC_NO_DISCRIMINANT)
			continue;
		char *fu = gen_upper(f->name);
		OUT("#define %s_%s %u\n", u, fu, f->discriminant);
		free(fu);
	}
	OUT("struct %s_r {\n\tstruct capnp_struct s;\n};\n", c);
	OUT("struct %s_b {\n\tstruct capnp_bstruct s;\n};\n\n", c);
	free(c);
	free(u);
}

/* The statement that writes this field's union discriminant, if any. */
static void emit_discriminant(struct gen *g, const struct sc_node *n, const struct sc_field *f)
{
	if (f->discriminant == SC_NO_DISCRIMINANT)
		return;
	OUT("\tcapnp_bstruct_set_u16(&b->s, %u, %u);\n", n->discriminant_offset * 2,
	    f->discriminant);
}

static void emit_primitive(struct gen *g, const struct sc_node *n, const struct sc_field *f,
			   const char *c)
{
	const struct prim *p = prim_of(f->type.kind);
	char *enum_name = f->type.kind == SC_ENUM ? type_c_name(g, f->type.id) : NULL;
	char ctype[256];
	unsigned where = p->bytes ? f->offset * p->bytes : f->offset;
	uint64_t def = f->def.kind == f->type.kind ? f->def.bits : 0;

	snprintf(ctype, sizeof(ctype), "%s%s", enum_name ? "enum " : "",
		 enum_name ? enum_name : p->ctype);
	OUT("static inline %s %s_get_%s(const struct %s_r *r)\n{\n", ctype, c, f->name, c);
	if (f->type.kind == SC_BOOL)
		OUT("\treturn capnp_struct_bool(&r->s, %u) ^ %d;\n", where, (int)def);
	else if (f->type.kind == SC_FLOAT32 || f->type.kind == SC_FLOAT64)
		OUT("\treturn capnp_f%d_from_bits(capnp_struct_%s(&r->s, %u) ^ 0x%" PRIx64
		    "ULL);\n",
		    p->bytes * 8, p->acc, where, def);
	else
		OUT("\treturn (%s)(capnp_struct_%s(&r->s, %u) ^ 0x%" PRIx64 "ULL);\n", ctype,
		    p->acc, where, def);
	OUT("}\n\n");

	OUT("static inline void %s_set_%s(struct %s_b *b, %s v)\n{\n", c, f->name, c, ctype);
	emit_discriminant(g, n, f);
	if (f->type.kind == SC_BOOL)
		OUT("\tcapnp_bstruct_set_bool(&b->s, %u, v ^ %d);\n", where, (int)def);
	else if (f->type.kind == SC_FLOAT32 || f->type.kind == SC_FLOAT64)
		OUT("\tcapnp_bstruct_set_%s(&b->s, %u, (%s)(capnp_f%d_to_bits(v) ^ 0x%" PRIx64
		    "ULL));\n",
		    p->acc, where, p->utype, p->bytes * 8, def);
	else
		OUT("\tcapnp_bstruct_set_%s(&b->s, %u, (%s)((%s)v ^ 0x%" PRIx64 "ULL));\n", p->acc,
		    where, p->utype, p->utype, def);
	OUT("}\n\n");
	free(enum_name);
}

static void emit_has(struct gen *g, const struct sc_field *f, const char *c)
{
	OUT("static inline bool %s_has_%s(const struct %s_r *r)\n{\n", c, f->name, c);
	OUT("\treturn %u < r->s.nptrs && r->s.ptrs[%u] != 0;\n}\n\n", f->offset, f->offset);
}

static void emit_blob(struct gen *g, const struct sc_node *n, const struct sc_field *f,
		      const char *c)
{
	bool text = f->type.kind == SC_TEXT;
	const char *t = text ? "text" : "data";
	struct capnp_list l = f->def.ptr.l;

	OUT("static inline int %s_get_%s(const struct %s_r *r, struct capnp_%s *out)\n{\n", c,
	    f->name, c, t);
	OUT("\tint err = capnp_struct_get_%s(&r->s, %u, out);\n", t, f->offset);
	if (f->def.ptr.kind == CAPNP_KIND_LIST && l.count > (uint32_t)text) {
		uint32_t len = l.count - text;
		OUT("\tif (err == CAPNP_NULL) {\n\t\t*out = (struct capnp_%s){ ", t);
		if (!text)
			OUT("(const uint8_t *)");
		emit_c_bytes(g, l.start, len);
		OUT(", %u };\n\t\treturn CAPNP_OK;\n\t}\n", len);
	}
	OUT("\treturn err == CAPNP_NULL ? CAPNP_OK : err;\n}\n\n");

	OUT("static inline int %s_set_%s(struct %s_b *b, const %s *p, uint32_t len)\n{\n", c,
	    f->name, c, text ? "char" : "void");
	emit_discriminant(g, n, f);
	OUT("\treturn capnp_bstruct_set_%s(&b->s, %u, p, len);\n}\n\n", t, f->offset);
}

/* On a null pointer, read the field's default from a constant message. */
static void emit_pointer_default(struct gen *g, const struct sc_field *f, const char *what)
{
	if (f->def.ptr.kind == CAPNP_KIND_NULL) {
		OUT("\treturn err == CAPNP_NULL ? CAPNP_OK : err;\n}\n\n");
		return;
	}
	OUT("\tif (err == CAPNP_NULL) {\n");
	emit_flat_message(g, &f->def.ptr, "\t\t");
	OUT("\t\t%s\n\t}\n\treturn err;\n}\n\n", what);
}

static void emit_struct_field(struct gen *g, const struct sc_node *n, const struct sc_field *f,
			      const char *c)
{
	char *t = type_c_name(g, f->type.id), *tu = gen_upper(t);

	OUT("static inline int %s_get_%s(const struct %s_r *r, struct %s_r *out)\n{\n", c, f->name,
	    c, t);
	OUT("\tint err = capnp_struct_get_struct(&r->s, %u, &out->s);\n", f->offset);
	emit_pointer_default(g, f, "return capnp_msg_root_struct(&msg, &out->s);");
	OUT("static inline int %s_init_%s(struct %s_b *b, struct %s_b *out)\n{\n", c, f->name, c,
	    t);
	emit_discriminant(g, n, f);
	OUT("\treturn capnp_bstruct_init_struct(&b->s, %u, %s_DATA_WORDS, %s_PTR_COUNT, "
	    "&out->s);\n}\n\n",
	    f->offset, tu, tu);
	free(t);
	free(tu);
}

static void emit_list_field(struct gen *g, const struct sc_node *n, const struct sc_field *f,
			    const char *c)
{
	const char *es = elem_size_of(f->type.elem);

	OUT("static inline int %s_get_%s(const struct %s_r *r, struct capnp_list *out)\n{\n", c,
	    f->name, c);
	OUT("\tint err = capnp_struct_get_list(&r->s, %u, %s, out);\n", f->offset, es);
	emit_pointer_default(g, f,
			     "struct capnp_ptr p;\n\t\terr = capnp_msg_root(&msg, &p);\n"
			     "\t\t*out = p.l;");
	OUT("static inline int %s_init_%s(struct %s_b *b, uint32_t count, struct capnp_blist "
	    "*out)\n{\n",
	    c, f->name, c);
	emit_discriminant(g, n, f);
	if (f->type.elem->kind == SC_STRUCT) {
		char *t = type_c_name(g, f->type.elem->id), *tu = gen_upper(t);
		OUT("\treturn capnp_bstruct_init_struct_list(&b->s, %u, count, %s_DATA_WORDS, "
		    "%s_PTR_COUNT, out);\n}\n\n",
		    f->offset, tu, tu);
		free(t);
		free(tu);
	} else {
		OUT("\treturn capnp_bstruct_init_list(&b->s, %u, %s, count, out);\n}\n\n",
		    f->offset, es);
	}
}

static void emit_any_field(struct gen *g, const struct sc_node *n, const struct sc_field *f,
			   const char *c)
{
	OUT("static inline int %s_get_%s(const struct %s_r *r, struct capnp_ptr *out)\n{\n", c,
	    f->name, c);
	OUT("\tint err = capnp_struct_ptr(&r->s, %u, out);\n", f->offset);
	OUT("\treturn err == CAPNP_NULL ? CAPNP_OK : err;\n}\n\n");
	OUT("static inline int %s_set_%s(struct %s_b *b, const struct capnp_ptr *src)\n{\n", c,
	    f->name, c);
	emit_discriminant(g, n, f);
	OUT("\treturn capnp_bstruct_set_ptr(&b->s, %u, src);\n}\n\n", f->offset);
}

static void emit_interface_field(struct gen *g, const struct sc_field *f, const char *c)
{
	OUT("/* %s.%s is a capability pointer; capOS transfers caps out of band. */\n", c, f->name);
	OUT("static inline int %s_get_%s(const struct %s_r *r, uint32_t *cap)\n{\n", c, f->name, c);
	OUT("\treturn capnp_struct_get_cap(&r->s, %u, cap);\n}\n\n", f->offset);
}

static void emit_group_field(struct gen *g, const struct sc_node *n, const struct sc_field *f,
			     const char *c)
{
	char *t = type_c_name(g, f->group_id);

	OUT("static inline struct %s_r %s_get_%s(const struct %s_r *r)\n{\n", t, c, f->name, c);
	OUT("\treturn (struct %s_r){ r->s };\n}\n\n", t);
	OUT("static inline struct %s_b %s_init_%s(struct %s_b *b)\n{\n", t, c, f->name, c);
	emit_discriminant(g, n, f);
	OUT("\treturn (struct %s_b){ b->s };\n}\n\n", t);
	free(t);
}

static void emit_field(struct gen *g, const struct sc_node *n, const struct sc_field *f,
		       const char *c)
{
	if (f->is_group) {
		emit_group_field(g, n, f, c);
		return;
	}
	if (prim_of(f->type.kind)) {
		emit_primitive(g, n, f, c);
		return;
	}
	switch (f->type.kind) {
	case SC_VOID:
		if (f->discriminant != SC_NO_DISCRIMINANT) {
			OUT("static inline void %s_set_%s(struct %s_b *b)\n{\n", c, f->name, c);
			emit_discriminant(g, n, f);
			OUT("}\n\n");
		}
		return;
	case SC_TEXT:
	case SC_DATA:
		emit_blob(g, n, f, c);
		break;
	case SC_STRUCT:
		emit_struct_field(g, n, f, c);
		break;
	case SC_LIST:
		emit_list_field(g, n, f, c);
		break;
	case SC_INTERFACE:
		emit_interface_field(g, f, c);
		break;
	default:
		emit_any_field(g, n, f, c);
		break;
	}
	emit_has(g, f, c);
}

void emit_struct_functions(struct gen *g, const struct sc_node *n)
{
	char *c = gen_c_name(g, n), *u = gen_upper(c);

	if (!n->is_group) {
		OUT("static inline int %s_read_root(struct capnp_msg *m, struct %s_r *out)\n{\n", c,
		    c);
		OUT("\tint err = capnp_msg_root_struct(m, &out->s);\n");
		OUT("\treturn err == CAPNP_NULL ? CAPNP_OK : err;\n}\n\n");
		OUT("static inline int %s_init_root(struct capnp_builder *b, struct %s_b "
		    "*out)\n{\n",
		    c, c);
		OUT("\treturn capnp_builder_root(b, %s_DATA_WORDS, %s_PTR_COUNT, &out->s);\n}\n\n",
		    u, u);
		OUT("static inline int %s_list_at(const struct capnp_list *l, uint32_t i, struct "
		    "%s_r *out)\n{\n",
		    c, c);
		OUT("\treturn capnp_list_get_struct(l, i, &out->s);\n}\n\n");
		OUT("static inline int %s_blist_at(struct capnp_blist *l, uint32_t i, struct %s_b "
		    "*out)\n{\n",
		    c, c);
		OUT("\treturn capnp_blist_get_struct(l, i, &out->s);\n}\n\n");
	}
	if (n->discriminant_count) {
		OUT("static inline uint16_t %s_which(const struct %s_r *r)\n{\n", c, c);
		OUT("\treturn capnp_struct_u16(&r->s, %u);\n}\n\n", n->discriminant_offset * 2);
	}
	for (uint32_t i = 0; i < n->nfields; i++)
		emit_field(g, n, &n->fields[i], c);
	free(c);
	free(u);
}
