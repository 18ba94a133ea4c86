/*
 * libFuzzer target: arbitrary bytes as a boot manifest through
 * lib/manifest's kernel-owned validation. Besides memory safety (ASan,
 * UBSan), an accepted manifest must describe an init binary that lies
 * inside the input and is non-empty. An accepted manifest then goes through
 * the service-graph check (manifest_validate_services), whose verdict must
 * agree with its report, which must be a terminated string.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/manifest/manifest.h"

static uint64_t buf[1 << 14];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest_boot boot;
	struct manifest_report report;
	const struct manifest_policy policy = { .measurement = (size & 1) != 0 };

	if (size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	if (manifest_validate(buf, size, &policy, &boot, &report) != MANIFEST_OK)
		return 0;
	const uint8_t *lo = (const uint8_t *)buf, *p = boot.init_binary.ptr;
	if (boot.init_binary.len == 0 || p < lo || p + boot.init_binary.len > lo + size)
		__builtin_trap();
	int err = manifest_validate_services(buf, size, &policy, &report);
	if (err > 0 || err <= -MANIFEST_ERR_COUNT || report.err != err ||
	    memchr(report.detail, 0, sizeof(report.detail)) == NULL)
		__builtin_trap();
	return 0;
}
