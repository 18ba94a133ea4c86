/*
 * lib/bootinfo — Multiboot1 and Multiboot2 boot information, parsed into
 * struct bootinfo. Field offsets are those of the Multiboot specifications.
 */
#include "lib/bootinfo/bootinfo.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* Copy a NUL-terminated string of at most max readable bytes. */
static void copy_str(char *dst, const uint8_t *src, uint64_t max)
{
	uint64_t i = 0;
	for (; src != NULL && i < max && i < BOOTINFO_STR_MAX - 1 && src[i]; i++)
		dst[i] = (char)src[i];
	dst[i] = 0;
}

static int add_region(struct bootinfo *bi, uint64_t base, uint64_t len, uint32_t type)
{
	if (bi->nregions == BOOTINFO_MAX_REGIONS)
		return BOOTINFO_ERR_TOO_MANY;
	bi->regions[bi->nregions++] =
		(struct bootinfo_region){ base, len,
					  type == 1 ? BOOTINFO_USABLE : BOOTINFO_RESERVED };
	return BOOTINFO_OK;
}

static void add_module(struct bootinfo *bi, uint64_t start, uint64_t end)
{
	if (bi->nmodules < BOOTINFO_MAX_MODULES)
		bi->modules[bi->nmodules] = (struct bootinfo_module){ start, end };
	bi->nmodules++;
}

/* ---- Multiboot1 ---- */

enum {
	MB1_FLAGS = 0,
	MB1_CMDLINE = 16,
	MB1_MODS_COUNT = 20,
	MB1_MODS_ADDR = 24,
	MB1_MMAP_LEN = 44,
	MB1_MMAP_ADDR = 48,
	MB1_LOADER = 64,
	MB1_SIZE = 68
};
enum {
	MB1_F_CMDLINE = 1 << 2,
	MB1_F_MODS = 1 << 3,
	MB1_F_MMAP = 1 << 6,
	MB1_F_LOADER = 1 << 9
};

static int mb1_mmap(const uint8_t *info, bootinfo_map map, void *ctx, struct bootinfo *bi)
{
	uint32_t len = rd32(info + MB1_MMAP_LEN);
	const uint8_t *p = map(ctx, rd32(info + MB1_MMAP_ADDR), len);

	if (!(rd32(info + MB1_FLAGS) & MB1_F_MMAP) || len == 0)
		return BOOTINFO_ERR_MMAP;
	if (p == NULL)
		return BOOTINFO_ERR_UNREADABLE;
	for (uint32_t off = 0; off < len;) {
		if (len - off < 4)
			return BOOTINFO_ERR_TRUNCATED;
		uint32_t size = rd32(p + off); /* excludes the size field itself */
		if (size < 20)
			return BOOTINFO_ERR_MMAP;
		if ((uint64_t)size + 4 > len - off)
			return BOOTINFO_ERR_TRUNCATED;
		int err = add_region(bi, rd64(p + off + 4), rd64(p + off + 12), rd32(p + off + 20));
		if (err)
			return err;
		off += size + 4;
	}
	return BOOTINFO_OK;
}

static int mb1_modules(const uint8_t *info, bootinfo_map map, void *ctx, struct bootinfo *bi)
{
	if (!(rd32(info + MB1_FLAGS) & MB1_F_MODS))
		return BOOTINFO_OK;
	uint32_t count = rd32(info + MB1_MODS_COUNT);
	if (count > 1024)
		return BOOTINFO_ERR_TRUNCATED;
	const uint8_t *mods = map(ctx, rd32(info + MB1_MODS_ADDR), (uint64_t)count * 16);
	if (count && mods == NULL)
		return BOOTINFO_ERR_UNREADABLE;
	for (uint32_t i = 0; i < count; i++)
		add_module(bi, rd32(mods + 16 * i), rd32(mods + 16 * i + 4));
	return BOOTINFO_OK;
}

static const uint8_t *map_str(bootinfo_map map, void *ctx, uint64_t phys)
{
	return phys ? map(ctx, phys, BOOTINFO_STR_MAX) : NULL;
}

static int parse_mb1(uint64_t info_phys, bootinfo_map map, void *ctx, struct bootinfo *bi)
{
	const uint8_t *info = map(ctx, info_phys, MB1_SIZE);
	int err;

	if (info == NULL)
		return BOOTINFO_ERR_UNREADABLE;
	bi->loader = 1;
	if ((err = mb1_mmap(info, map, ctx, bi)) || (err = mb1_modules(info, map, ctx, bi)))
		return err;
	uint32_t flags = rd32(info + MB1_FLAGS);
	if (flags & MB1_F_CMDLINE)
		copy_str(bi->cmdline, map_str(map, ctx, rd32(info + MB1_CMDLINE)),
			 BOOTINFO_STR_MAX);
	if (flags & MB1_F_LOADER)
		copy_str(bi->loader_name, map_str(map, ctx, rd32(info + MB1_LOADER)),
			 BOOTINFO_STR_MAX);
	return BOOTINFO_OK;
}

/* ---- Multiboot2 ---- */

enum {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MMAP = 6
};

static int mb2_mmap(const uint8_t *tag, uint32_t size, struct bootinfo *bi)
{
	if (size < 16)
		return BOOTINFO_ERR_TRUNCATED;
	uint32_t esize = rd32(tag + 8);
	if (esize < 24 || esize % 8)
		return BOOTINFO_ERR_MMAP;
	for (uint32_t off = 16; off < size; off += esize) {
		if (size - off < esize)
			return BOOTINFO_ERR_TRUNCATED;
		int err =
			add_region(bi, rd64(tag + off), rd64(tag + off + 8), rd32(tag + off + 16));
		if (err)
			return err;
	}
	return BOOTINFO_OK;
}

static int mb2_tag(const uint8_t *tag, uint32_t type, uint32_t size, struct bootinfo *bi,
		   bool *mmap)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
		copy_str(bi->cmdline, tag + 8, size - 8);
		return BOOTINFO_OK;
	case MB2_TAG_LOADER:
		copy_str(bi->loader_name, tag + 8, size - 8);
		return BOOTINFO_OK;
	case MB2_TAG_MODULE:
		if (size < 16)
			return BOOTINFO_ERR_TRUNCATED;
		add_module(bi, rd32(tag + 8), rd32(tag + 12));
		return BOOTINFO_OK;
	case MB2_TAG_MMAP:
		*mmap = true;
		return mb2_mmap(tag, size, bi);
	default:
		return BOOTINFO_OK;
	}
}

static int parse_mb2(uint64_t info_phys, bootinfo_map map, void *ctx, struct bootinfo *bi)
{
	const uint8_t *head = map(ctx, info_phys, 8);
	bool mmap = false;

	if (head == NULL)
		return BOOTINFO_ERR_UNREADABLE;
	uint32_t total = rd32(head);
	if (total < 16)
		return BOOTINFO_ERR_TRUNCATED;
	const uint8_t *info = map(ctx, info_phys, total);
	if (info == NULL)
		return BOOTINFO_ERR_UNREADABLE;
	bi->loader = 2;
	for (uint32_t off = 8;;) {
		if (total - off < 8)
			return BOOTINFO_ERR_TRUNCATED;
		uint32_t type = rd32(info + off), size = rd32(info + off + 4);
		if (size < 8 || size > total - off)
			return BOOTINFO_ERR_TRUNCATED;
		if (type == MB2_TAG_END)
			break;
		int err = mb2_tag(info + off, type, size, bi, &mmap);
		if (err)
			return err;
		off += (size + 7) & ~7u;
		if (off >= total)
			return BOOTINFO_ERR_TRUNCATED; /* no end tag */
	}
	return mmap ? BOOTINFO_OK : BOOTINFO_ERR_MMAP;
}

int bootinfo_parse(uint32_t magic, uint64_t info_phys, bootinfo_map map, void *ctx,
		   struct bootinfo *out)
{
	memset(out, 0, sizeof(*out));
	if (magic == BOOTINFO_MB1_MAGIC)
		return parse_mb1(info_phys, map, ctx, out);
	if (magic == BOOTINFO_MB2_MAGIC)
		return parse_mb2(info_phys, map, ctx, out);
	return BOOTINFO_ERR_MAGIC;
}

const char *bootinfo_strerror(int err)
{
	switch (err) {
	case BOOTINFO_OK:
		return "ok";
	case BOOTINFO_ERR_MAGIC:
		return "unknown boot loader magic";
	case BOOTINFO_ERR_UNREADABLE:
		return "boot information outside readable memory";
	case BOOTINFO_ERR_TRUNCATED:
		return "boot information truncated";
	case BOOTINFO_ERR_MMAP:
		return "missing or malformed memory map";
	case BOOTINFO_ERR_TOO_MANY:
		return "too many memory map entries";
	default:
		return "unknown error";
	}
}
