/*
 * tools/mkmanifest — build one boot manifest. The pipeline (docs/manifest.md):
 *
 *   eval.c    `capnp eval -I. -b FILE CONSTANT`: the manifest, and the
 *             operator overlay (a KernelParams constant) when there is one;
 *   encode.c  re-encode the manifest as one segment with lib/capnp, the
 *             overlay merged over kernelParams;
 *   check.c   the kernel's checks (manifest_validate), init's graph checks
 *             (manifest_validate_services) and every ELF image that init
 *             or a service names, parsed with lib/elf as the loader does;
 *   main.c    the command line and the atomic write of OUT.
 *
 * Each step returns 0, or -1 with a message "<detail>: <rule>" in a struct
 * mk_error; main prints it as the one line `mkmanifest: FILE: <message>`.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A framed Cap'n Proto message on the heap (8-byte aligned). */
struct mk_blob {
	uint64_t *words;
	size_t len; /* bytes */
};

struct mk_error {
	char msg[512];
};

/* Set e->msg (printf-style); returns -1. */
int mk_fail(struct mk_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Evaluate CONSTANT of FILE with the Cap'n Proto compiler (run from the
 * repository root, so `-I.` resolves /schema/... and /build/...). On
 * success out->words is malloc'd and owned by the caller. */
int mk_eval(const char *file, const char *constant, struct mk_blob *out, struct mk_error *e);

/* Re-encode the SystemManifest in `in` as a single segment into out
 * (malloc'd), with the KernelParams message `overlay` (may be NULL)
 * merged over its kernelParams. */
int mk_encode(const struct mk_blob *in, const struct mk_blob *overlay, struct mk_blob *out,
	      struct mk_error *e);

/* Everything the kernel and init will check, plus the ELF images. */
int mk_check(const struct mk_blob *m, bool measurement, struct mk_error *e);

void mk_blob_free(struct mk_blob *b);
