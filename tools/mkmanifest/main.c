/*
 * tools/mkmanifest — build a boot manifest (see mkmanifest.h for the
 * pipeline, docs/manifest.md for the rules and the overlay).
 *
 *   mkmanifest [--measurement] [--overlay LOCAL.capnp] MANIFEST.capnp OUT.bin
 *   mkmanifest --no-validate MANIFEST.capnp OUT.bin
 *
 * Run from the repository root. On success OUT.bin is written atomically
 * (OUT.bin.tmp, then rename) and the exit status is 0. Any failure prints
 * one line, `mkmanifest: MANIFEST.capnp: <detail>: <rule>`, leaves OUT.bin
 * alone and exits 1; a bad command line exits 2.
 *
 * --no-validate writes what `capnp eval` produced, unchecked and not
 * re-encoded: only for the manifests that exist to be refused by the
 * kernel at boot (manifests/bad-*.capnp).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/mkmanifest/mkmanifest.h"

struct options {
	const char *manifest, *out, *overlay;
	bool measurement, no_validate;
};

int mk_fail(struct mk_error *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void mk_blob_free(struct mk_blob *b)
{
	free(b->words);
	b->words = NULL;
	b->len = 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: mkmanifest [--measurement] [--overlay LOCAL.capnp] "
			"MANIFEST.capnp OUT.bin\n"
			"       mkmanifest --no-validate MANIFEST.capnp OUT.bin\n");
	return 2;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	const char *files[2];
	int nfiles = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--overlay") == 0 && i + 1 < argc)
			o->overlay = argv[++i];
		else if (strcmp(argv[i], "--measurement") == 0)
			o->measurement = true;
		else if (strcmp(argv[i], "--no-validate") == 0)
			o->no_validate = true;
		else if (argv[i][0] == '-' || nfiles == 2)
			return -1;
		else
			files[nfiles++] = argv[i];
	}
	if (nfiles != 2 || (o->no_validate && (o->overlay || o->measurement)))
		return -1;
	o->manifest = files[0];
	o->out = files[1];
	return 0;
}

static int write_atomically(const char *path, const struct mk_blob *b, struct mk_error *e)
{
	size_t n = strlen(path) + sizeof(".tmp");
	char *tmp = malloc(n);
	FILE *f;

	if (tmp == NULL)
		return mk_fail(e, "%s: out of memory", path);
	snprintf(tmp, n, "%s.tmp", path);
	if ((f = fopen(tmp, "wb")) == NULL) {
		mk_fail(e, "%s: cannot create: %s", tmp, strerror(errno));
	} else if ((fwrite(b->words, 1, b->len, f) != b->len) | (fclose(f) != 0)) {
		mk_fail(e, "%s: cannot write", tmp);
	} else if (rename(tmp, path) != 0) {
		mk_fail(e, "%s: cannot rename to %s", tmp, path);
	} else {
		free(tmp);
		return 0;
	}
	remove(tmp);
	free(tmp);
	return -1;
}

/* Evaluate, merge, re-encode and check; *out is the manifest to write. */
static int build(const struct options *o, struct mk_blob *out, struct mk_error *e)
{
	struct mk_blob raw = { 0 }, local = { 0 };
	int err;

	if (mk_eval(o->manifest, "manifest", &raw, e) < 0)
		return -1;
	if (o->no_validate) {
		*out = raw;
		return 0;
	}
	if (o->overlay && mk_eval(o->overlay, "local", &local, e) < 0) {
		char why[sizeof(e->msg)];
		memcpy(why, e->msg, sizeof(why));
		mk_blob_free(&raw);
		return mk_fail(e, "overlay %s: %s", o->overlay, why);
	}
	err = mk_encode(&raw, o->overlay ? &local : NULL, out, e);
	mk_blob_free(&raw);
	mk_blob_free(&local);
	if (err == 0 && (err = mk_check(out, o->measurement, e)) < 0)
		mk_blob_free(out);
	return err;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct mk_blob out = { 0 };
	struct mk_error e = { { 0 } };

	if (parse_args(argc, argv, &o) < 0)
		return usage();
	if (build(&o, &out, &e) < 0 || write_atomically(o.out, &out, &e) < 0) {
		fprintf(stderr, "mkmanifest: %s: %s\n", o.manifest, e.msg);
		mk_blob_free(&out);
		return 1;
	}
	mk_blob_free(&out);
	return 0;
}
