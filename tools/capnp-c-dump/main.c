/*
 * tools/capnp-c-dump — print Cap'n Proto messages as text, driven by a
 * schema, exactly as `capnp convert binary:text --short SCHEMA TYPE` does:
 *
 *     capnp-c-dump SCHEMA.capnp TYPE < messages.bin
 *
 * The schema is loaded by running `capnp compile -o- SCHEMA.capnp` (the
 * CodeGeneratorRequest) through tools/capnpc-c's loader; the messages on
 * stdin (one or more standard framed messages) are walked with lib/capnp.
 * A malformed message ends the program with status 1 and the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/capnp-c-dump/print.h"

static int load_schema(const char *path, struct sc_request *req)
{
	char cmd[8192];
	size_t len;

	snprintf(cmd, sizeof(cmd), "capnp compile -I. -o- '%s'", path);
	FILE *p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	uint64_t *buf = sc_read_all(fileno(p), &len);
	if (pclose(p) != 0 || buf == NULL) {
		free(buf);
		return -1;
	}
	return sc_load(req, buf, len);
}

/* The struct node named `type` ("Outer" or "Outer.Inner") in the schema. */
static const struct sc_node *find_type(const struct sc_request *req, const char *type)
{
	for (uint32_t i = 0; i < req->nnodes; i++) {
		const struct sc_node *n = &req->nodes[i];
		if (n->kind == SC_STRUCT_NODE && strcmp(sc_local_name(n), type) == 0)
			return n;
	}
	return NULL;
}

static int dump_stream(const struct sc_request *req, const struct sc_node *type)
{
	struct capnp_seg segs[1024];
	size_t len, off = 0, used;
	uint64_t *buf = sc_read_all(0, &len);
	int status = 0;

	while (buf != NULL && off < len && status == 0) {
		struct capnp_msg m;
		struct capnp_struct root;
		int err = capnp_msg_init(&m, (uint8_t *)buf + off, len - off, segs, 1024, &used);
		if (err == CAPNP_OK)
			err = capnp_msg_root_struct(&m, &root);
		if (err == CAPNP_OK || err == CAPNP_NULL)
			err = cdump_struct(stdout, req, type, &root);
		fputc('\n', stdout);
		if (err < 0) {
			fprintf(stderr, "capnp-c-dump: malformed message at byte %zu: %s\n", off,
				capnp_strerror(err));
			status = 1;
		}
		off += used;
	}
	free(buf);
	return status;
}

int main(int argc, char **argv)
{
	struct sc_request req;

	if (argc != 3) {
		fprintf(stderr, "usage: capnp-c-dump SCHEMA.capnp TYPE < message.bin\n");
		return 2;
	}
	if (load_schema(argv[1], &req) < 0) {
		fprintf(stderr, "capnp-c-dump: cannot load schema %s\n", argv[1]);
		return 2;
	}
	const struct sc_node *type = find_type(&req, argv[2]);
	if (type == NULL) {
		fprintf(stderr, "capnp-c-dump: no struct %s in %s\n", argv[2], argv[1]);
		sc_free(&req);
		return 2;
	}
	int status = dump_stream(&req, type);
	sc_free(&req);
	return status;
}
