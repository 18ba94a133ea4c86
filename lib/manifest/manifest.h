/*
 * lib/manifest — the kernel-owned boundary of the boot manifest
 * (spec: Boot Flow, Manifest and Service Startup). Before anything is
 * loaded, the kernel checks only what it uses itself: the framing and
 * decoding, the schema version, the binaries (names non-empty and unique,
 * payloads non-empty), that initConfig.init.binary names one of them, and
 * init's caps (names non-empty, unique and short enough for the CapSet;
 * sources are kernel sources the kernel offers, with the interface id that
 * source really has). The service graph is init's and mkmanifest's to check.
 *
 * Pure and freestanding; host-tested and fuzzed. Each failure is its own
 * error value, and the report names the rule and the offending name.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/capnp/capnp.h"

#define MANIFEST_MAX_BINARIES  256 /* binaries one boot may package */
#define MANIFEST_MAX_INIT_CAPS 64  /* caps in init's CapSet */
#define MANIFEST_MAX_SEGMENTS  16  /* manifests are built single-segment */

enum manifest_err {
	MANIFEST_OK = 0,
	MANIFEST_ERR_DECODE = -1,	    /* framing or Cap'n Proto decoding failed */
	MANIFEST_ERR_VERSION = -2,	    /* unknown schema version */
	MANIFEST_ERR_BINARY_NAME = -3,	    /* a binary with an empty name */
	MANIFEST_ERR_BINARY_DUPLICATE = -4, /* two binaries with one name */
	MANIFEST_ERR_BINARY_EMPTY = -5,	    /* a binary with no bytes */
	MANIFEST_ERR_TOO_MANY = -6,	    /* more binaries or caps than the limits */
	MANIFEST_ERR_INIT_BINARY = -7,	    /* init.binary names no binary */
	MANIFEST_ERR_CAP_NAME = -8,	    /* an init cap name empty or too long */
	MANIFEST_ERR_CAP_DUPLICATE = -9,    /* two init caps with one name */
	MANIFEST_ERR_CAP_SOURCE = -10,	    /* source unset, a service, or unknown */
	MANIFEST_ERR_CAP_UNAVAILABLE = -11, /* a kernel source this kernel does not offer */
	MANIFEST_ERR_CAP_INTERFACE = -12,   /* expectedInterfaceId is not the source's */
};

struct manifest_report {
	int err;
	char detail[96]; /* the rule and the offending name, for the log */
};

/* What the kernel needs afterwards: where init's binary is. */
struct manifest_boot {
	struct capnp_data init_binary;
	uint32_t init_caps;
};

struct manifest_policy {
	bool measurement; /* a measurement build: NullCap and ParkBench allowed */
};

/* Validate the manifest in buf (8-byte aligned). Returns MANIFEST_OK or an
 * error; report (never NULL) says which rule and name. */
int manifest_validate(const void *buf, size_t len, const struct manifest_policy *policy,
		      struct manifest_boot *out, struct manifest_report *report);

/* Interface id of a kernel cap source, or 0 when this kernel has none. */
uint64_t manifest_kernel_source_interface(uint16_t source, const struct manifest_policy *policy);
const char *manifest_strerror(int err);
