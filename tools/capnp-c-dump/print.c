/*
 * tools/capnp-c-dump printer. The rules were read off the reference
 * implementation (capnp 0.9.2): fields in schema index order; primitives
 * and Void always printed, null pointers omitted; groups as nested
 * parentheses; a union's active member printed in its place among the other
 * fields, an unknown discriminant not at all; unknown enumerants as "(n)";
 * AnyPointer as "<opaque pointer>"; floats as %.15g (Float64) or %.6g
 * (Float32), widened to 17 / 8 digits when that does not read back exactly,
 * with the exponent's '+' dropped; text and data C-escaped, data also
 * escaping bytes >= 0x80.
 */
#include "tools/capnp-c-dump/print.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/capnp/capnp_float.h"

static int print_struct(FILE *out, const struct sc_request *req, const struct sc_node *node,
			const struct capnp_struct *s);

static void print_escaped(FILE *out, const uint8_t *p, uint32_t len, bool data)
{
	static const char named[] = { ['\a'] = 'a', ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
				      ['\r'] = 'r', ['\t'] = 't', ['\v'] = 'v' };
	fputc('"', out);
	for (uint32_t i = 0; i < len; i++) {
		uint8_t c = p[i];
		if (c == '"' || c == '\\' || c == '\'')
			fprintf(out, "\\%c", c);
		else if (c < sizeof(named) && named[c])
			fprintf(out, "\\%c", named[c]);
		else if (c < 0x20 || c == 0x7f || (data && c >= 0x80))
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* Drop the '+' of an exponent: "1e+100" -> "1e100". */
static void print_number(FILE *out, char *buf)
{
	char *plus = strchr(buf, '+');
	if (plus)
		memmove(plus, plus + 1, strlen(plus));
	fputs(buf, out);
}

static bool print_special(FILE *out, double v)
{
	if (isnan(v))
		fputs("nan", out);
	else if (isinf(v))
		fputs(v > 0 ? "inf" : "-inf", out);
	else
		return false;
	return true;
}

static void print_f64(FILE *out, double v)
{
	char buf[64];

	if (print_special(out, v))
		return;
	snprintf(buf, sizeof(buf), "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof(buf), "%.17g", v);
	print_number(out, buf);
}

static void print_f32(FILE *out, float v)
{
	char buf[64];

	if (print_special(out, v))
		return;
	snprintf(buf, sizeof(buf), "%.6g", (double)v);
	errno = 0;
	float back = strtof(buf, NULL);
	if (errno != 0 || back != v)
		snprintf(buf, sizeof(buf), "%.8g", (double)v);
	print_number(out, buf);
}

static void print_enum(FILE *out, const struct sc_request *req, uint64_t id, uint16_t v)
{
	const struct sc_node *e = sc_find(req, id);
	if (e != NULL && v < e->nenumerants)
		fputs(e->enumerants[v].name, out);
	else
		fprintf(out, "(%u)", v);
}

/* A primitive given its raw bits. */
static void print_prim(FILE *out, const struct sc_request *req, const struct sc_type *t,
		       uint64_t bits)
{
	switch (t->kind) {
	case SC_VOID:
		fputs("void", out);
		break;
	case SC_BOOL:
		fputs(bits & 1 ? "true" : "false", out);
		break;
	case SC_INT8:
		fprintf(out, "%d", (int8_t)bits);
		break;
	case SC_INT16:
		fprintf(out, "%d", (int16_t)bits);
		break;
	case SC_INT32:
		fprintf(out, "%d", (int32_t)bits);
		break;
	case SC_INT64:
		fprintf(out, "%lld", (long long)(int64_t)bits);
		break;
	case SC_FLOAT32:
		print_f32(out, capnp_f32_from_bits((uint32_t)bits));
		break;
	case SC_FLOAT64:
		print_f64(out, capnp_f64_from_bits(bits));
		break;
	case SC_ENUM:
		print_enum(out, req, t->id, (uint16_t)bits);
		break;
	default: /* unsigned */
		fprintf(out, "%llu", (unsigned long long)bits);
		break;
	}
}

static unsigned prim_bytes(enum sc_kind k)
{
	switch (k) {
	case SC_INT8:
	case SC_UINT8:
		return 1;
	case SC_INT16:
	case SC_UINT16:
	case SC_ENUM:
		return 2;
	case SC_INT32:
	case SC_UINT32:
	case SC_FLOAT32:
		return 4;
	case SC_INT64:
	case SC_UINT64:
	case SC_FLOAT64:
		return 8;
	default:
		return 0;
	}
}

static bool is_pointer(enum sc_kind k)
{
	return k >= SC_TEXT && k != SC_ENUM;
}

static int print_ptr(FILE *out, const struct sc_request *req, const struct sc_type *t,
		     const struct capnp_ptr *p);

static enum capnp_elem_size elem_size(const struct sc_type *t)
{
	if (t->kind == SC_VOID)
		return CAPNP_ELEM_VOID;
	if (t->kind == SC_BOOL)
		return CAPNP_ELEM_BIT;
	if (t->kind == SC_STRUCT)
		return CAPNP_ELEM_COMPOSITE;
	if (is_pointer(t->kind))
		return CAPNP_ELEM_POINTER;
	switch (prim_bytes(t->kind)) {
	case 1:
		return CAPNP_ELEM_BYTE;
	case 2:
		return CAPNP_ELEM_TWO_BYTES;
	case 4:
		return CAPNP_ELEM_FOUR_BYTES;
	default:
		return CAPNP_ELEM_EIGHT_BYTES;
	}
}

static uint64_t list_bits(const struct capnp_list *l, const struct sc_type *t, uint32_t i)
{
	switch (t->kind == SC_BOOL ? 0 : prim_bytes(t->kind)) {
	case 0:
		return capnp_list_bool(l, i);
	case 1:
		return capnp_list_u8(l, i);
	case 2:
		return capnp_list_u16(l, i);
	case 4:
		return capnp_list_u32(l, i);
	default:
		return capnp_list_u64(l, i);
	}
}

static int print_element(FILE *out, const struct sc_request *req, const struct sc_type *t,
			 const struct capnp_list *l, uint32_t i)
{
	if (t->kind == SC_STRUCT) {
		struct capnp_struct s;
		int err = capnp_list_get_struct(l, i, &s);
		return err ? err : print_struct(out, req, sc_find(req, t->id), &s);
	}
	if (is_pointer(t->kind)) {
		struct capnp_ptr p = { .kind = CAPNP_KIND_LIST };
		int err = t->kind == SC_LIST ? capnp_list_get_list(l, i, elem_size(t->elem), &p.l) :
					       capnp_list_ptr(l, i, &p);
		if (err == CAPNP_NULL) {
			/* capnp prints null list elements as their empty value */
			if (t->kind == SC_TEXT || t->kind == SC_DATA)
				fputs("\"\"", out);
			else if (t->kind == SC_LIST)
				fputs("[]", out);
			else
				fputs("<opaque pointer>", out);
			return 0;
		}
		return err < 0 ? err : print_ptr(out, req, t, &p);
	}
	print_prim(out, req, t, list_bits(l, t, i));
	return 0;
}

static int print_list(FILE *out, const struct sc_request *req, const struct sc_type *elem,
		      const struct capnp_list *l)
{
	int err = 0;

	fputc('[', out);
	for (uint32_t i = 0; i < l->count && err == 0; i++) {
		if (i)
			fputs(", ", out);
		err = print_element(out, req, elem, l, i);
	}
	fputc(']', out);
	return err;
}

static int print_ptr(FILE *out, const struct sc_request *req, const struct sc_type *t,
		     const struct capnp_ptr *p)
{
	switch (t->kind) {
	case SC_TEXT:
	case SC_DATA: {
		if (p->kind != CAPNP_KIND_LIST || p->l.elem_size != CAPNP_ELEM_BYTE)
			return CAPNP_ERR_ELEMENT_SIZE;
		uint32_t len = p->l.count;
		if (t->kind == SC_TEXT) {
			if (len == 0 || p->l.start[len - 1] != 0)
				return CAPNP_ERR_TEXT_NUL;
			len--;
		}
		print_escaped(out, p->l.start, len, t->kind == SC_DATA);
		return 0;
	}
	case SC_STRUCT:
		if (p->kind != CAPNP_KIND_STRUCT)
			return CAPNP_ERR_POINTER_KIND;
		return print_struct(out, req, sc_find(req, t->id), &p->s);
	case SC_LIST:
		return print_list(out, req, t->elem, &p->l);
	case SC_INTERFACE:
		fputs("<external capability>", out);
		return 0;
	default:
		fputs("<opaque pointer>", out);
		return 0;
	}
}

/* Does the field print at all? Pointer fields are omitted when null. */
static bool field_present(const struct sc_field *f, const struct capnp_struct *s)
{
	if (f->is_group || !is_pointer(f->type.kind))
		return true;
	return f->offset < s->nptrs && s->ptrs[f->offset] != 0;
}

static uint64_t field_bits(const struct sc_field *f, const struct capnp_struct *s)
{
	uint64_t def = f->def.kind == f->type.kind ? f->def.bits : 0;

	switch (f->type.kind == SC_BOOL ? 0 : prim_bytes(f->type.kind)) {
	case 0:
		return f->type.kind == SC_BOOL ? (capnp_struct_bool(s, f->offset) ^ def) : 0;
	case 1:
		return capnp_struct_u8(s, f->offset) ^ def;
	case 2:
		return capnp_struct_u16(s, f->offset * 2) ^ def;
	case 4:
		return capnp_struct_u32(s, f->offset * 4) ^ def;
	default:
		return capnp_struct_u64(s, f->offset * 8) ^ def;
	}
}

/* Print "name = value" for one present field. */
static int print_field(FILE *out, const struct sc_request *req, const struct sc_field *f,
		       const struct capnp_struct *s)
{
	struct capnp_ptr p = { .kind = CAPNP_KIND_LIST };
	int err;

	fprintf(out, "%s = ", f->name);
	if (f->is_group)
		return print_struct(out, req, sc_find(req, f->group_id), s);
	if (!is_pointer(f->type.kind)) {
		print_prim(out, req, &f->type, field_bits(f, s));
		return 0;
	}
	if (f->type.kind == SC_LIST)
		err = capnp_struct_get_list(s, (uint16_t)f->offset, elem_size(f->type.elem), &p.l);
	else
		err = capnp_struct_ptr(s, (uint16_t)f->offset, &p);
	return err < 0 ? err : print_ptr(out, req, &f->type, &p);
}

static const struct sc_field *active_member(const struct sc_node *node,
					    const struct capnp_struct *s)
{
	if (node->discriminant_count == 0)
		return NULL;
	uint16_t which = capnp_struct_u16(s, node->discriminant_offset * 2);
	for (uint32_t i = 0; i < node->nfields; i++)
		if (node->fields[i].discriminant == which)
			return &node->fields[i];
	return NULL;
}

static int print_struct(FILE *out, const struct sc_request *req, const struct sc_node *node,
			const struct capnp_struct *s)
{
	if (node == NULL || node->kind != SC_STRUCT_NODE)
		return CAPNP_ERR_ARGUMENT;
	const struct sc_field *member = active_member(node, s);
	const char *sep = "";
	int err = 0;

	fputc('(', out);
	for (uint32_t i = 0; i <= node->nfields && err == 0; i++) {
		const struct sc_field *f = i < node->nfields ? &node->fields[i] : NULL;
		if (f != NULL && f->discriminant != SC_NO_DISCRIMINANT)
			continue;
		/* The union member goes before the first later non-union field. */
		if (member != NULL && (f == NULL || member < f)) {
			if (field_present(member, s)) {
				fputs(sep, out);
				sep = ", ";
				err = print_field(out, req, member, s);
			}
			member = NULL;
		}
		if (f != NULL && err == 0 && field_present(f, s)) {
			fputs(sep, out);
			sep = ", ";
			err = print_field(out, req, f, s);
		}
	}
	fputc(')', out);
	return err;
}

int cdump_struct(FILE *out, const struct sc_request *req, const struct sc_node *node,
		 const struct capnp_struct *s)
{
	return print_struct(out, req, node, s);
}
