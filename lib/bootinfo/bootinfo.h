/*
 * lib/bootinfo — one description of what the boot loader handed over,
 * parsed from either Multiboot1 (QEMU -kernel) or Multiboot2 (GRUB) boot
 * information: the physical memory map, the modules, the command line and
 * the loader's name. The rest of the kernel never sees which loader ran.
 *
 * The information is reached through a map callback that turns a physical
 * range into a readable pointer, or NULL when the range is not readable;
 * every length and count in the loader's data is checked against the
 * structure it claims to describe. Pure; host-tested on built blobs.
 */
#pragma once

#include <stdint.h>

#define BOOTINFO_MB1_MAGIC   0x2badb002u
#define BOOTINFO_MB2_MAGIC   0x36d76289u
#define BOOTINFO_MAX_REGIONS 64 /* memory map entries kept (QEMU gives ~6) */
#define BOOTINFO_MAX_MODULES 4	/* modules recorded; more are only counted */
#define BOOTINFO_STR_MAX     64

enum bootinfo_err {
	BOOTINFO_OK = 0,
	BOOTINFO_ERR_MAGIC = -1,      /* neither loader's magic */
	BOOTINFO_ERR_UNREADABLE = -2, /* a structure lies outside readable memory */
	BOOTINFO_ERR_TRUNCATED = -3,  /* a tag or entry runs past its container */
	BOOTINFO_ERR_MMAP = -4,	      /* no memory map, or malformed entries */
	BOOTINFO_ERR_TOO_MANY = -5,   /* more memory regions than the table holds */
};

enum bootinfo_type {
	BOOTINFO_USABLE = 1,
	BOOTINFO_RESERVED = 2
};

struct bootinfo_region {
	uint64_t base, len;
	uint32_t type; /* enum bootinfo_type (anything not usable is reserved) */
};

struct bootinfo_module {
	uint64_t start, end; /* physical [start, end) */
};

struct bootinfo {
	int loader; /* 1 or 2: the Multiboot version */
	uint32_t nregions;
	struct bootinfo_region regions[BOOTINFO_MAX_REGIONS];
	uint32_t nmodules; /* all modules, even past BOOTINFO_MAX_MODULES */
	struct bootinfo_module modules[BOOTINFO_MAX_MODULES];
	char cmdline[BOOTINFO_STR_MAX];
	char loader_name[BOOTINFO_STR_MAX];
};

typedef const void *(*bootinfo_map)(void *ctx, uint64_t phys, uint64_t len);

int bootinfo_parse(uint32_t magic, uint64_t info_phys, bootinfo_map map, void *ctx,
		   struct bootinfo *out);
const char *bootinfo_strerror(int err);
