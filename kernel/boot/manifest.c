/*
 * Boot manifest validation: exactly one module, and a SystemManifest that
 * passes lib/manifest's kernel-owned checks. Any failure is one clear log
 * line and the failure exit status, never a fault.
 */
#include "kernel/boot/manifest.h"

#include "kernel/boot/boot.h"
#include "kernel/klog.h"

struct manifest_boot boot_manifest_info;

void manifest_boot(void)
{
	const uint8_t *bytes;
	size_t len;
	struct manifest_report report;
	const struct manifest_policy policy = { .measurement = false };

	boot_manifest(&bytes, &len);
	if (manifest_validate(bytes, len, &policy, &boot_manifest_info, &report) != MANIFEST_OK)
		kernel_halt_failure("manifest: rejected (%s): %s", manifest_strerror(report.err),
				    report.detail);
	kprintf("manifest: ok, %zu bytes, init binary %u bytes, %u init caps\n", len,
		boot_manifest_info.init_binary.len, boot_manifest_info.init_caps);
}
