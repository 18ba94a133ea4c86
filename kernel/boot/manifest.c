/*
 * Boot manifest validation: exactly one module, and a SystemManifest that
 * passes lib/manifest's kernel-owned checks. Any failure is one clear log
 * line and the failure exit status, never a fault.
 */
#include "kernel/boot/manifest.h"

#include <string.h>

#include "gen/capos.capnp.h"
#include "kernel/boot/boot.h"
#include "kernel/klog.h"
#include "kernel/measure.h"

struct manifest_boot boot_manifest_info;

void manifest_boot(void)
{
	const uint8_t *bytes;
	size_t len;
	struct manifest_report report;
	const struct manifest_policy policy = { .measurement = CAPOS_MEASUREMENT_BUILD };

	boot_manifest(&bytes, &len);
	if (manifest_validate(bytes, len, &policy, &boot_manifest_info, &report) != MANIFEST_OK)
		kernel_halt_failure("manifest: rejected (%s): %s", manifest_strerror(report.err),
				    report.detail);
	kprintf("manifest: ok, %zu bytes, init binary %u bytes, %u init caps\n", len,
		boot_manifest_info.init_binary.len, boot_manifest_info.init_caps);
}

bool manifest_binary(const char *name, uint32_t name_len, struct capnp_data *out)
{
	const uint8_t *bytes;
	size_t len;
	struct capnp_seg segs[MANIFEST_MAX_SEGMENTS];
	struct capnp_msg msg;
	struct capos_SystemManifest_r root;
	struct capnp_list bins;

	boot_manifest(&bytes, &len);
	if (capnp_msg_init(&msg, bytes, len, segs, MANIFEST_MAX_SEGMENTS, NULL) < 0 ||
	    capos_SystemManifest_read_root(&msg, &root) < 0 ||
	    capos_SystemManifest_get_binaries(&root, &bins) < 0)
		return false;
	for (uint32_t i = 0; i < bins.count; i++) {
		struct capos_NamedBlob_r blob;
		struct capnp_text n;
		if (capos_NamedBlob_list_at(&bins, i, &blob) < 0 ||
		    capos_NamedBlob_get_name(&blob, &n) < 0)
			return false;
		if (n.len == name_len && memcmp(n.str, name, name_len) == 0)
			return capos_NamedBlob_get_data(&blob, out) == CAPNP_OK;
	}
	return false;
}

bool manifest_launcher_allows(const char *name, uint32_t name_len)
{
	const uint8_t *bytes;
	size_t len;
	struct capnp_seg segs[MANIFEST_MAX_SEGMENTS];
	struct capnp_msg msg;
	struct capos_SystemManifest_r root;
	struct capos_KernelParams_r params;
	struct capnp_list list;

	boot_manifest(&bytes, &len);
	if (capnp_msg_init(&msg, bytes, len, segs, MANIFEST_MAX_SEGMENTS, NULL) < 0 ||
	    capos_SystemManifest_read_root(&msg, &root) < 0 ||
	    capos_SystemManifest_get_kernelParams(&root, &params) < 0 ||
	    capos_KernelParams_get_launcherAllowlist(&params, &list) < 0)
		return false;
	for (uint32_t i = 0; i < list.count; i++) {
		struct capnp_text t;
		if (capnp_list_get_text(&list, i, &t) < 0)
			return false;
		if (t.len == name_len && memcmp(t.str, name, name_len) == 0)
			return true;
	}
	return false;
}

struct capnp_text manifest_motd(void)
{
	const uint8_t *bytes;
	size_t len;
	struct capnp_seg segs[MANIFEST_MAX_SEGMENTS];
	struct capnp_msg msg;
	struct capos_SystemManifest_r root;
	struct capos_KernelParams_r params;
	struct capnp_text motd = { 0 };

	boot_manifest(&bytes, &len);
	if (capnp_msg_init(&msg, bytes, len, segs, MANIFEST_MAX_SEGMENTS, NULL) < 0 ||
	    capos_SystemManifest_read_root(&msg, &root) < 0 ||
	    capos_SystemManifest_get_kernelParams(&root, &params) < 0 ||
	    capos_KernelParams_get_motd(&params, &motd) < 0)
		return (struct capnp_text){ 0 };
	return motd;
}
