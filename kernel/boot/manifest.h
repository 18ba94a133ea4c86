/*
 * The boot manifest: the one module, validated at the kernel-owned
 * boundary (lib/manifest) before anything is loaded.
 */
#pragma once

#include "lib/manifest/manifest.h"

extern struct manifest_boot boot_manifest_info;

/* Find, validate and log the manifest; a failure halt when it is unusable. */
void manifest_boot(void);
