/*
 * The boot manifest: the one module, validated at the kernel-owned
 * boundary (lib/manifest) before anything is loaded.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/manifest/manifest.h"

extern struct manifest_boot boot_manifest_info;

/* Find, validate and log the manifest; a failure halt when it is unusable. */
void manifest_boot(void);

/* The bytes of the manifest's binary called name; false when there is none. */
bool manifest_binary(const char *name, uint32_t name_len, struct capnp_data *out);

/* Whether name is in the manifest's kernelParams.launcherAllowlist. */
bool manifest_launcher_allows(const char *name, uint32_t name_len);
/* The manifest's kernelParams.motd (empty when unset). */
struct capnp_text manifest_motd(void);
