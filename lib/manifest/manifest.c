/*
 * lib/manifest — kernel-owned manifest validation. See manifest.h.
 */
#include "lib/manifest/manifest.h"

#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/capset.h"
#include "lib/fmt/fmt.h"

uint64_t manifest_kernel_source_interface(uint16_t source, const struct manifest_policy *policy)
{
	static const uint64_t ids[] = {
		[CAPOS_KERNEL_CAP_SOURCE_CONSOLE] = CAPOS_CONSOLE_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_TERMINAL] = CAPOS_TERMINAL_SESSION_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_BOOT_PACKAGE] = CAPOS_BOOT_PACKAGE_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_PROCESS_SPAWNER] = CAPOS_PROCESS_SPAWNER_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_FRAME_ALLOCATOR] = CAPOS_FRAME_ALLOCATOR_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_VIRTUAL_MEMORY] = CAPOS_VIRTUAL_MEMORY_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_TIMER] = CAPOS_TIMER_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_ENDPOINT] = CAPOS_ENDPOINT_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_THREAD_CONTROL] = CAPOS_THREAD_CONTROL_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_THREAD_SPAWNER] = CAPOS_THREAD_SPAWNER_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_PARK_SPACE] = CAPOS_PARK_SPACE_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_CAPABILITY_MANAGER] =
			CAPOS_CAPABILITY_MANAGER_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_NULL_CAP] = CAPOS_NULL_CAP_INTERFACE_ID,
		[CAPOS_KERNEL_CAP_SOURCE_PARK_BENCH] = CAPOS_PARK_BENCH_INTERFACE_ID,
		/* C edition: a ProcessSpawner limited to the manifest's
		 * launcherAllowlist and to grants of the caller's own caps. */
		[CAPOS_KERNEL_CAP_SOURCE_RESTRICTED_SHELL_LAUNCHER] =
			CAPOS_PROCESS_SPAWNER_INTERFACE_ID,
	};
	if (source >= sizeof(ids) / sizeof(ids[0]))
		return 0; /* sources whose subsystems have not landed */
	if ((source == CAPOS_KERNEL_CAP_SOURCE_NULL_CAP ||
	     source == CAPOS_KERNEL_CAP_SOURCE_PARK_BENCH) &&
	    !policy->measurement)
		return 0;
	return ids[source];
}

static int fail(struct manifest_report *r, int err, const char *rule, const char *name,
		uint32_t name_len)
{
	r->err = err;
	fmt_snprintf(r->detail, sizeof(r->detail), "%s: \"%.*s\"", rule,
		     (int)(name_len > 40 ? 40 : name_len), name);
	return err;
}

static int fail_decode(struct manifest_report *r, const char *what, int capnp_err)
{
	r->err = MANIFEST_ERR_DECODE;
	fmt_snprintf(r->detail, sizeof(r->detail), "%s: %s", what, capnp_strerror(capnp_err));
	return MANIFEST_ERR_DECODE;
}

static bool text_eq(const struct capnp_text *a, const struct capnp_text *b)
{
	return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static int check_binaries(const struct capos_SystemManifest_r *root, struct capnp_list *bins,
			  struct manifest_report *r)
{
	struct capos_NamedBlob_r a, b;
	struct capnp_text na, nb;
	struct capnp_data data;
	int err = capos_SystemManifest_get_binaries(root, bins);

	if (err < 0)
		return fail_decode(r, "binaries", err);
	if (bins->count > MANIFEST_MAX_BINARIES)
		return fail(r, MANIFEST_ERR_TOO_MANY, "more binaries than the kernel accepts", "",
			    0);
	for (uint32_t i = 0; i < bins->count; i++) {
		if ((err = capos_NamedBlob_list_at(bins, i, &a)) < 0 ||
		    (err = capos_NamedBlob_get_name(&a, &na)) < 0 ||
		    (err = capos_NamedBlob_get_data(&a, &data)) < 0)
			return fail_decode(r, "binary", err);
		if (na.len == 0)
			return fail(r, MANIFEST_ERR_BINARY_NAME, "binary with an empty name", "",
				    0);
		if (data.len == 0)
			return fail(r, MANIFEST_ERR_BINARY_EMPTY, "binary is empty", na.str,
				    na.len);
		for (uint32_t j = 0; j < i; j++) {
			if ((err = capos_NamedBlob_list_at(bins, j, &b)) < 0 ||
			    (err = capos_NamedBlob_get_name(&b, &nb)) < 0)
				return fail_decode(r, "binary", err);
			if (text_eq(&na, &nb))
				return fail(r, MANIFEST_ERR_BINARY_DUPLICATE,
					    "duplicate binary name", na.str, na.len);
		}
	}
	return MANIFEST_OK;
}

/* Find init.binary among the binaries. */
static int find_init_binary(const struct capnp_list *bins, const struct capnp_text *want,
			    struct manifest_boot *out, struct manifest_report *r)
{
	struct capos_NamedBlob_r blob;
	struct capnp_text name;

	for (uint32_t i = 0; i < bins->count; i++) {
		if (capos_NamedBlob_list_at(bins, i, &blob) < 0 ||
		    capos_NamedBlob_get_name(&blob, &name) < 0)
			continue; /* already checked by check_binaries */
		if (text_eq(&name, want)) {
			capos_NamedBlob_get_data(&blob, &out->init_binary);
			return MANIFEST_OK;
		}
	}
	return fail(r, MANIFEST_ERR_INIT_BINARY, "initConfig.init.binary names no binary",
		    want->str, want->len);
}

static int check_cap(const struct capnp_list *caps, uint32_t i,
		     const struct manifest_policy *policy, struct manifest_report *r)
{
	struct capos_CapRef_r cap, other;
	struct capnp_text name, oname;
	int err;

	if ((err = capos_CapRef_list_at(caps, i, &cap)) < 0 ||
	    (err = capos_CapRef_get_name(&cap, &name)) < 0)
		return fail_decode(r, "init cap", err);
	if (name.len == 0 || name.len > CAPSET_NAME_MAX)
		return fail(r, MANIFEST_ERR_CAP_NAME, "init cap name empty or over 32 bytes",
			    name.str, name.len);
	for (uint32_t j = 0; j < i; j++) {
		if ((err = capos_CapRef_list_at(caps, j, &other)) < 0 ||
		    (err = capos_CapRef_get_name(&other, &oname)) < 0)
			return fail_decode(r, "init cap", err);
		if (text_eq(&name, &oname))
			return fail(r, MANIFEST_ERR_CAP_DUPLICATE, "duplicate init cap name",
				    name.str, name.len);
	}
	struct capos_CapRef_source_r src = capos_CapRef_get_source(&cap);
	if (capos_CapRef_source_which(&src) != CAPOS_CAP_REF_SOURCE_KERNEL)
		return fail(r, MANIFEST_ERR_CAP_SOURCE, "init cap source must be a kernel source",
			    name.str, name.len);
	uint64_t iface =
		manifest_kernel_source_interface(capos_CapRef_source_get_kernel(&src), policy);
	if (iface == 0)
		return fail(r, MANIFEST_ERR_CAP_UNAVAILABLE,
			    "kernel source not offered by this kernel", name.str, name.len);
	if (iface != capos_CapRef_get_expectedInterfaceId(&cap))
		return fail(r, MANIFEST_ERR_CAP_INTERFACE,
			    "expectedInterfaceId does not match the kernel source", name.str,
			    name.len);
	return MANIFEST_OK;
}

static int check_init(const struct capos_SystemManifest_r *root, const struct capnp_list *bins,
		      const struct manifest_policy *policy, struct manifest_boot *out,
		      struct manifest_report *r)
{
	struct capos_InitConfig_r cfg;
	struct capos_ServiceSpec_r init;
	struct capnp_text binary;
	struct capnp_list caps;
	int err;

	if ((err = capos_SystemManifest_get_initConfig(root, &cfg)) < 0 ||
	    (err = capos_InitConfig_get_init(&cfg, &init)) < 0 ||
	    (err = capos_ServiceSpec_get_binary(&init, &binary)) < 0 ||
	    (err = capos_ServiceSpec_get_caps(&init, &caps)) < 0)
		return fail_decode(r, "initConfig.init", err);
	if ((err = find_init_binary(bins, &binary, out, r)) != MANIFEST_OK)
		return err;
	if (caps.count > MANIFEST_MAX_INIT_CAPS)
		return fail(r, MANIFEST_ERR_TOO_MANY, "more init caps than the kernel accepts", "",
			    0);
	for (uint32_t i = 0; i < caps.count; i++)
		if ((err = check_cap(&caps, i, policy, r)) != MANIFEST_OK)
			return err;
	out->init_caps = caps.count;
	return MANIFEST_OK;
}

int manifest_validate(const void *buf, size_t len, const struct manifest_policy *policy,
		      struct manifest_boot *out, struct manifest_report *report)
{
	struct capnp_seg segs[MANIFEST_MAX_SEGMENTS];
	struct capnp_msg msg;
	struct capos_SystemManifest_r root;
	struct capnp_list bins;
	int err;

	memset(out, 0, sizeof(*out));
	*report = (struct manifest_report){ 0 };
	if ((err = capnp_msg_init(&msg, buf, len, segs, MANIFEST_MAX_SEGMENTS, NULL)) < 0)
		return fail_decode(report, "framing", err);
	if ((err = capos_SystemManifest_read_root(&msg, &root)) < 0)
		return fail_decode(report, "root", err);
	uint32_t version = capos_SystemManifest_get_schemaVersion(&root);
	if (version != CAPOS_MANIFEST_SCHEMA_VERSION) {
		report->err = MANIFEST_ERR_VERSION;
		fmt_snprintf(report->detail, sizeof(report->detail),
			     "schema version %u, this kernel reads version %u", version,
			     (unsigned)CAPOS_MANIFEST_SCHEMA_VERSION);
		return MANIFEST_ERR_VERSION;
	}
	if ((err = check_binaries(&root, &bins, report)) != MANIFEST_OK)
		return err;
	return check_init(&root, &bins, policy, out, report);
}

const char *manifest_strerror(int err)
{
	static const char *const names[] = {
		"ok",
		"undecodable",
		"unknown schema version",
		"empty binary name",
		"duplicate binary",
		"empty binary",
		"too many entries",
		"init binary missing",
		"bad init cap name",
		"duplicate init cap",
		"bad init cap source",
		"kernel source unavailable",
		"interface id mismatch",
		"init has exports",
		"empty service name",
		"duplicate service",
		"service binary missing",
		"too many services, caps or exports",
		"unknown wait policy",
		"bad service cap name",
		"duplicate service cap",
		"service cap source unset",
		"service cap kernel source unavailable",
		"service cap interface id mismatch",
		"import from no earlier service",
		"import of no such export",
		"import interface id mismatch",
		"empty export name",
		"duplicate export",
		"export names no cap",
		"re-export of an import",
		"export is not an endpoint",
		"export without interface id",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == MANIFEST_ERR_COUNT,
		       "one name per error");
	return err <= 0 && -err < (int)(sizeof(names) / sizeof(names[0])) ? names[-err] : "unknown";
}
