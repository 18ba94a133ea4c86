/*
 * lib/manifest — the kernel-owned boundary of the boot manifest
 * (spec: Boot Flow, Manifest and Service Startup). Before anything is
 * loaded, the kernel checks only what it uses itself: the framing and
 * decoding, the schema version, the binaries (names non-empty and unique,
 * payloads non-empty), that initConfig.init.binary names one of them, and
 * init's caps (names non-empty, unique and short enough for the CapSet;
 * sources are kernel sources the kernel offers, with the interface id that
 * source really has). The service graph (initConfig.services) is init's and
 * mkmanifest's to check, with manifest_validate_services (services.c): the
 * kernel does not link it.
 *
 * Pure and freestanding; host-tested and fuzzed. Each failure is its own
 * error value, and the report names the rule and the offending names.
 * The rules, and why: docs/manifest.md.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/capnp/capnp.h"

#define MANIFEST_MAX_BINARIES  256 /* binaries one boot may package */
#define MANIFEST_MAX_INIT_CAPS 64  /* caps in init's CapSet */
#define MANIFEST_MAX_SEGMENTS  16  /* manifests are built single-segment */
/* The service graph: bounds that keep the quadratic name checks (and init's
 * preflight, which runs them too) small and fit init's static tables. */
#define MANIFEST_MAX_SERVICES	  64			 /* services init starts */
#define MANIFEST_MAX_SERVICE_CAPS MANIFEST_MAX_INIT_CAPS /* caps in a service's CapSet */
#define MANIFEST_MAX_EXPORTS	  16			 /* exports of one service */

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
	/* The service graph (manifest_validate_services). */
	MANIFEST_ERR_INIT_EXPORTS = -13,	/* initConfig.init declares exports */
	MANIFEST_ERR_SERVICE_NAME = -14,	/* a service with an empty name */
	MANIFEST_ERR_SERVICE_DUPLICATE = -15,	/* two services (init included) with one name */
	MANIFEST_ERR_SERVICE_BINARY = -16,	/* a service's binary names no binary */
	MANIFEST_ERR_SERVICE_TOO_MANY = -17,	/* more services, caps or exports than the limits */
	MANIFEST_ERR_SERVICE_WAIT_POLICY = -18, /* a waitPolicy this schema does not define */
	MANIFEST_ERR_SERVICE_CAP_NAME = -19,	/* a service cap name empty or too long */
	MANIFEST_ERR_SERVICE_CAP_DUPLICATE = -20,   /* two caps of one service with one name */
	MANIFEST_ERR_SERVICE_CAP_SOURCE = -21,	    /* a service cap whose source is unset */
	MANIFEST_ERR_SERVICE_CAP_UNAVAILABLE = -22, /* a kernel source this kernel does not offer */
	MANIFEST_ERR_SERVICE_CAP_INTERFACE = -23,   /* expectedInterfaceId is not the source's */
	MANIFEST_ERR_IMPORT_SERVICE = -24,	    /* an import names no earlier service */
	MANIFEST_ERR_IMPORT_EXPORT = -25,	    /* an import names no export of that service */
	MANIFEST_ERR_IMPORT_INTERFACE = -26,	    /* expectedInterfaceId is not the export's */
	MANIFEST_ERR_EXPORT_NAME = -27,		    /* an export with an empty name */
	MANIFEST_ERR_EXPORT_DUPLICATE = -28,	    /* two exports of one service with one name */
	MANIFEST_ERR_EXPORT_CAP = -29,		    /* an export names no cap of its service */
	MANIFEST_ERR_EXPORT_REEXPORT = -30,	    /* an export names an imported cap */
	MANIFEST_ERR_EXPORT_NOT_ENDPOINT = -31,	    /* an export names a non-endpoint cap */
	MANIFEST_ERR_EXPORT_INTERFACE = -32,	    /* an export with interfaceId 0 */
};
#define MANIFEST_ERR_COUNT 33 /* number of values above, MANIFEST_OK included */
_Static_assert(MANIFEST_ERR_EXPORT_INTERFACE == -(MANIFEST_ERR_COUNT - 1),
	       "MANIFEST_ERR_COUNT covers the enum");

struct manifest_report {
	int err;
	/* The offending service, cap or export and the rule, for the log:
	 * `service "chat": cap "log": duplicate cap name`. Names are cut at 40
	 * bytes, so the longest detail (a failed import names four) fits. */
	char detail[256];
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

/* Validate the init-owned service graph (initConfig.services) of a
 * manifest that already passed manifest_validate: names, binaries, cap
 * sources, imports of earlier services' exports, and the exports themselves
 * (docs/manifest.md lists every rule). Returns MANIFEST_OK or an error;
 * report (never NULL) names the service, the cap or export and the rule. */
int manifest_validate_services(const void *buf, size_t len, const struct manifest_policy *policy,
			       struct manifest_report *report);

/* Interface id of a kernel cap source, or 0 when this kernel has none. */
uint64_t manifest_kernel_source_interface(uint16_t source, const struct manifest_policy *policy);
const char *manifest_strerror(int err);
