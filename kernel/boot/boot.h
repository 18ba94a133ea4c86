/*
 * What the loader handed over, as the rest of the kernel sees it: the
 * parsed struct bootinfo and the one boot module, the manifest.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/bootinfo/bootinfo.h"

extern struct bootinfo boot_info;

/* Physical memory through the HHDM. */
void *phys_to_virt(uint64_t phys);

/* Parse the loader's information (halts with the failure status if it is
 * unusable) and log a summary of the memory map. */
void boot_info_init(uint32_t magic, uint64_t info_phys);
/* The manifest module: exactly one module, or a failure halt. */
void boot_manifest(const uint8_t **bytes, size_t *len);
