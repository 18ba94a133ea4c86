/*
 * tools/capnpc-c schema loader. The offsets below are those of
 * /usr/include/capnp/schema.capnp as `capnp compile -ocapnp` prints them
 * (byte offsets of data fields, bit offsets of bools, pointer indexes).
 */
#include "tools/capnpc-c/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* CodeGeneratorRequest */
#define REQ_NODES 0 /* nodes :List(Node), ptr[0] */
#define REQ_FILES 1 /* requestedFiles, ptr[1] */
#define FILE_ID	  0 /* RequestedFile.id, bits[0,64) */
#define FILE_NAME 0 /* RequestedFile.filename, ptr[0] */
/* Node */
#define NODE_ID		 0   /* id, bits[0,64) */
#define NODE_NAME	 0   /* displayName, ptr[0] */
#define NODE_PREFIX	 8   /* displayNamePrefixLength, bits[64,96) */
#define NODE_WHICH	 12  /* union tag, bits[96,112) */
#define NODE_SCOPE	 16  /* scopeId, bits[128,192) */
#define NODE_DATA_WORDS	 14  /* struct.dataWordCount, bits[112,128) */
#define NODE_PTR_COUNT	 24  /* struct.pointerCount, bits[192,208) */
#define NODE_IS_GROUP	 224 /* struct.isGroup, bit 224 */
#define NODE_DISC_COUNT	 30  /* struct.discriminantCount, bits[240,256) */
#define NODE_DISC_OFFSET 32  /* struct.discriminantOffset, bits[256,288) */
#define NODE_MEMBERS	 3   /* struct.fields / enum.enumerants / interface.methods, ptr[3] */
#define NODE_CONST_TYPE	 3   /* const.type, ptr[3] */
#define NODE_CONST_VALUE 4   /* const.value, ptr[4] */
/* Field */
#define FIELD_NAME	  0  /* name, ptr[0] */
#define FIELD_CODE_ORDER  0  /* codeOrder, bits[0,16) */
#define FIELD_DISC	  2  /* discriminantValue = 65535, bits[16,32) */
#define FIELD_SLOT_OFFSET 4  /* slot.offset, bits[32,64) */
#define FIELD_WHICH	  8  /* union tag, bits[64,80): 0 slot, 1 group */
#define FIELD_GROUP_ID	  16 /* group.typeId, bits[128,192) */
#define FIELD_TYPE	  2  /* slot.type, ptr[2] */
#define FIELD_DEFAULT	  3  /* slot.defaultValue, ptr[3] */
/* Enumerant, Method */
#define MEMBER_NAME	  0  /* name, ptr[0] */
#define MEMBER_CODE_ORDER 0  /* codeOrder, bits[0,16) */
#define METHOD_PARAMS	  8  /* paramStructType, bits[64,128) */
#define METHOD_RESULTS	  16 /* resultStructType, bits[128,192) */
/* Type */
#define TYPE_WHICH 0 /* union tag, bits[0,16) */
#define TYPE_ELEM  0 /* list.elementType, ptr[0] */
#define TYPE_ID	   8 /* enum/struct/interface.typeId, bits[64,128) */
/* Value */
#define VALUE_WHICH 0 /* union tag, bits[0,16) */
#define VALUE_PTR   0 /* text/data/list/struct/anyPointer, ptr[0] */

static char *dup_text(const struct capnp_struct *s, uint16_t idx)
{
	struct capnp_text t;
	capnp_struct_get_text(s, idx, &t);
	char *p = malloc(t.len + 1);
	memcpy(p, t.str, t.len);
	p[t.len] = 0;
	return p;
}

static int load_type(const struct capnp_struct *s, struct sc_type *t);

static int load_type_ptr(const struct capnp_struct *s, uint16_t idx, struct sc_type *t)
{
	struct capnp_struct ts;
	int err = capnp_struct_get_struct(s, idx, &ts);
	return err < 0 ? err : load_type(&ts, t);
}

static int load_type(const struct capnp_struct *s, struct sc_type *t)
{
	*t = (struct sc_type){ .kind = (enum sc_kind)capnp_struct_u16(s, TYPE_WHICH) };
	if (t->kind > SC_ANYPOINTER)
		return CAPNP_ERR_ARGUMENT;
	if (t->kind == SC_ENUM || t->kind == SC_STRUCT || t->kind == SC_INTERFACE)
		t->id = capnp_struct_u64(s, TYPE_ID);
	if (t->kind == SC_LIST) {
		t->elem = calloc(1, sizeof(*t->elem));
		return load_type_ptr(s, TYPE_ELEM, t->elem);
	}
	return CAPNP_OK;
}

/* The raw bits of a primitive Value, by kind. */
static uint64_t value_bits(const struct capnp_struct *v, enum sc_kind k)
{
	switch (k) {
	case SC_BOOL:
		return capnp_struct_bool(v, 16);
	case SC_INT8:
	case SC_UINT8:
		return capnp_struct_u8(v, 2);
	case SC_INT16:
	case SC_UINT16:
	case SC_ENUM:
		return capnp_struct_u16(v, 2);
	case SC_INT32:
	case SC_UINT32:
	case SC_FLOAT32:
		return capnp_struct_u32(v, 4);
	case SC_INT64:
	case SC_UINT64:
	case SC_FLOAT64:
		return capnp_struct_u64(v, 8);
	default:
		return 0;
	}
}

static int load_value(const struct capnp_struct *s, uint16_t idx, struct sc_value *out)
{
	struct capnp_struct v;
	int err = capnp_struct_get_struct(s, idx, &v);

	*out = (struct sc_value){ .kind = SC_VOID };
	if (err < 0)
		return err;
	out->kind = (enum sc_kind)capnp_struct_u16(&v, VALUE_WHICH);
	out->bits = value_bits(&v, out->kind);
	if (out->kind >= SC_TEXT && out->kind != SC_ENUM && out->kind != SC_INTERFACE) {
		err = capnp_struct_ptr(&v, VALUE_PTR, &out->ptr);
		if (err < 0)
			return err;
	}
	return CAPNP_OK;
}

static int load_field(const struct capnp_struct *s, struct sc_field *f)
{
	f->name = dup_text(s, FIELD_NAME);
	f->code_order = capnp_struct_u16(s, FIELD_CODE_ORDER);
	f->discriminant = capnp_struct_u16(s, FIELD_DISC) ^ 0xffff;
	f->is_group = capnp_struct_u16(s, FIELD_WHICH) == 1;
	if (f->is_group) {
		f->group_id = capnp_struct_u64(s, FIELD_GROUP_ID);
		return CAPNP_OK;
	}
	f->offset = capnp_struct_u32(s, FIELD_SLOT_OFFSET);
	int err = load_type_ptr(s, FIELD_TYPE, &f->type);
	return err < 0 ? err : load_value(s, FIELD_DEFAULT, &f->def);
}

static int load_members(const struct capnp_struct *s, struct sc_node *n)
{
	struct capnp_list l;
	struct capnp_struct m;
	int err = capnp_struct_get_list(s, NODE_MEMBERS, CAPNP_ELEM_COMPOSITE, &l);

	if (err < 0)
		return err;
	for (uint32_t i = 0; i < l.count; i++) {
		if ((err = capnp_list_get_struct(&l, i, &m)) < 0)
			return err;
		if (n->kind == SC_STRUCT_NODE) {
			if (i == 0)
				n->fields = calloc(l.count, sizeof(*n->fields));
			if ((err = load_field(&m, &n->fields[n->nfields++])) < 0)
				return err;
		} else if (n->kind == SC_ENUM_NODE) {
			if (i == 0)
				n->enumerants = calloc(l.count, sizeof(*n->enumerants));
			n->enumerants[i] =
				(struct sc_enumerant){ dup_text(&m, MEMBER_NAME),
						       capnp_struct_u16(&m, MEMBER_CODE_ORDER) };
			n->nenumerants++;
		} else {
			if (i == 0)
				n->methods = calloc(l.count, sizeof(*n->methods));
			n->methods[i] = (struct sc_method){ dup_text(&m, MEMBER_NAME),
							    capnp_struct_u16(&m, MEMBER_CODE_ORDER),
							    capnp_struct_u64(&m, METHOD_PARAMS),
							    capnp_struct_u64(&m, METHOD_RESULTS) };
			n->nmethods++;
		}
	}
	return CAPNP_OK;
}

static int load_node(const struct capnp_struct *s, struct sc_node *n)
{
	n->id = capnp_struct_u64(s, NODE_ID);
	n->display_name = dup_text(s, NODE_NAME);
	n->prefix_len = capnp_struct_u32(s, NODE_PREFIX);
	n->scope_id = capnp_struct_u64(s, NODE_SCOPE);
	n->kind = (enum sc_node_kind)capnp_struct_u16(s, NODE_WHICH);
	switch (n->kind) {
	case SC_STRUCT_NODE:
		n->data_words = capnp_struct_u16(s, NODE_DATA_WORDS);
		n->ptr_count = capnp_struct_u16(s, NODE_PTR_COUNT);
		n->is_group = capnp_struct_bool(s, NODE_IS_GROUP);
		n->discriminant_count = capnp_struct_u16(s, NODE_DISC_COUNT);
		n->discriminant_offset = capnp_struct_u32(s, NODE_DISC_OFFSET);
		return load_members(s, n);
	case SC_ENUM_NODE:
	case SC_INTERFACE_NODE:
		return load_members(s, n);
	case SC_CONST: {
		int err = load_type_ptr(s, NODE_CONST_TYPE, &n->const_type);
		return err < 0 ? err : load_value(s, NODE_CONST_VALUE, &n->const_value);
	}
	default:
		return CAPNP_OK;
	}
}

int sc_load(struct sc_request *req, uint64_t *buf, size_t len)
{
	struct capnp_struct root, s;
	struct capnp_list l;
	int err;

	*req = (struct sc_request){ .buf = buf };
	req->segs = calloc(1024, sizeof(*req->segs));
	if ((err = capnp_msg_init(&req->msg, buf, len, req->segs, 1024, NULL)) < 0)
		return err;
	req->msg.traversal_left = UINT64_MAX; /* trusted input from the compiler */
	if ((err = capnp_msg_root_struct(&req->msg, &root)) < 0)
		return err;
	if ((err = capnp_struct_get_list(&root, REQ_NODES, CAPNP_ELEM_COMPOSITE, &l)) < 0)
		return err;
	req->nodes = calloc(l.count, sizeof(*req->nodes));
	for (uint32_t i = 0; i < l.count; i++, req->nnodes++)
		if ((err = capnp_list_get_struct(&l, i, &s)) < 0 ||
		    (err = load_node(&s, &req->nodes[i])) < 0)
			return err;
	if ((err = capnp_struct_get_list(&root, REQ_FILES, CAPNP_ELEM_COMPOSITE, &l)) < 0)
		return err;
	req->files = calloc(l.count, sizeof(*req->files));
	for (uint32_t i = 0; i < l.count; i++, req->nfiles++) {
		if ((err = capnp_list_get_struct(&l, i, &s)) < 0)
			return err;
		req->files[i] =
			(struct sc_file){ capnp_struct_u64(&s, FILE_ID), dup_text(&s, FILE_NAME) };
	}
	return CAPNP_OK;
}

uint64_t *sc_read_all(int fd, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	uint64_t *buf = malloc(cap);
	ssize_t r;

	while ((r = read(fd, (uint8_t *)buf + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (r < 0) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

const struct sc_node *sc_find(const struct sc_request *req, uint64_t id)
{
	for (uint32_t i = 0; i < req->nnodes; i++)
		if (req->nodes[i].id == id)
			return &req->nodes[i];
	return NULL;
}

const struct sc_node *sc_file_of(const struct sc_request *req, const struct sc_node *n)
{
	/* By display name, "file.capnp:Path": implicit method param/result
	 * structs have no scope id, but their names still start with the file. */
	const char *colon = strchr(n->display_name, ':');
	size_t len = colon ? (size_t)(colon - n->display_name) : strlen(n->display_name);

	for (uint32_t i = 0; i < req->nnodes; i++) {
		const struct sc_node *f = &req->nodes[i];
		if (f->kind == SC_FILE && strlen(f->display_name) == len &&
		    memcmp(f->display_name, n->display_name, len) == 0)
			return f;
	}
	return NULL;
}

const char *sc_local_name(const struct sc_node *n)
{
	const char *colon = strchr(n->display_name, ':');
	return colon ? colon + 1 : n->display_name;
}

static void free_type(struct sc_type *t)
{
	if (t->elem) {
		free_type(t->elem);
		free(t->elem);
	}
}

void sc_free(struct sc_request *req)
{
	for (uint32_t i = 0; i < req->nnodes; i++) {
		struct sc_node *n = &req->nodes[i];
		for (uint32_t j = 0; j < n->nfields; j++) {
			free(n->fields[j].name);
			free_type(&n->fields[j].type);
		}
		for (uint32_t j = 0; j < n->nenumerants; j++)
			free(n->enumerants[j].name);
		for (uint32_t j = 0; j < n->nmethods; j++)
			free(n->methods[j].name);
		free_type(&n->const_type);
		free(n->fields);
		free(n->enumerants);
		free(n->methods);
		free(n->display_name);
	}
	for (uint32_t i = 0; i < req->nfiles; i++)
		free(req->files[i].filename);
	free(req->nodes);
	free(req->files);
	free(req->segs);
	free(req->buf);
}
