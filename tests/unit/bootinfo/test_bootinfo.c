/*
 * Host tests of lib/bootinfo: Multiboot1 and Multiboot2 information built
 * in a fake physical memory, parsed into the same description; and hostile
 * variants (truncated tags, sizes past the end, short entries, unreadable
 * addresses, too many regions), each with its specific error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/bootinfo/bootinfo.h"

static uint8_t mem[1 << 16]; /* fake physical memory at address 0 */
static struct bootinfo bi;

static const void *map(void *ctx, uint64_t phys, uint64_t len)
{
	(void)ctx;
	return phys <= sizeof(mem) && len <= sizeof(mem) - phys ? mem + phys : NULL;
}

static void w32(uint64_t at, uint32_t v)
{
	memcpy(mem + at, &v, 4);
}

static void w64(uint64_t at, uint64_t v)
{
	memcpy(mem + at, &v, 8);
}

/* MB1 info at 0x100: flags, mods at 0x400, mmap at 0x800, cmdline at 0xc00. */
static void mb1_build(uint32_t nregions)
{
	memset(mem, 0, sizeof(mem));
	w32(0x100, (1 << 2) | (1 << 3) | (1 << 6));
	w32(0x100 + 16, 0xc00);
	strcpy((char *)mem + 0xc00, "console=com1");
	w32(0x100 + 20, 1);
	w32(0x100 + 24, 0x400);
	w32(0x400, 0x200000);
	w32(0x404, 0x201000);
	for (uint32_t i = 0; i < nregions; i++) {
		uint64_t e = 0x800 + 24 * i;
		w32(e, 20);
		w64(e + 4, 0x100000ull * i);
		w64(e + 12, 0x100000);
		w32(e + 20, i % 2 ? 2 : 1);
	}
	w32(0x100 + 44, 24 * nregions);
	w32(0x100 + 48, 0x800);
}

static void test_mb1(void **state)
{
	(void)state;
	mb1_build(3);
	assert_int_equal(bootinfo_parse(BOOTINFO_MB1_MAGIC, 0x100, map, NULL, &bi), BOOTINFO_OK);
	assert_int_equal(bi.loader, 1);
	assert_int_equal(bi.nregions, 3);
	assert_int_equal(bi.regions[1].base, 0x100000);
	assert_int_equal(bi.regions[1].type, BOOTINFO_RESERVED);
	assert_int_equal(bi.regions[2].type, BOOTINFO_USABLE);
	assert_int_equal(bi.nmodules, 1);
	assert_int_equal(bi.modules[0].start, 0x200000);
	assert_int_equal(bi.modules[0].end, 0x201000);
	assert_string_equal(bi.cmdline, "console=com1");
}

static void test_mb1_hostile(void **state)
{
	(void)state;
	mb1_build(3);
	w32(0x100, 1 << 3); /* no memory map */
	assert_int_equal(bootinfo_parse(BOOTINFO_MB1_MAGIC, 0x100, map, NULL, &bi),
			 BOOTINFO_ERR_MMAP);
	mb1_build(3);
	w32(0x800 + 24, 8); /* an entry too short to hold base/len/type */
	assert_int_equal(bootinfo_parse(BOOTINFO_MB1_MAGIC, 0x100, map, NULL, &bi),
			 BOOTINFO_ERR_MMAP);
	mb1_build(3);
	w32(0x800 + 48, 200); /* last entry claims more than the map holds */
	assert_int_equal(bootinfo_parse(BOOTINFO_MB1_MAGIC, 0x100, map, NULL, &bi),
			 BOOTINFO_ERR_TRUNCATED);
	mb1_build(3);
	w32(0x100 + 24, 0xfffffff0); /* modules outside memory */
	assert_int_equal(bootinfo_parse(BOOTINFO_MB1_MAGIC, 0x100, map, NULL, &bi),
			 BOOTINFO_ERR_UNREADABLE);
	mb1_build(3);
	w32(0x100 + 48, 0xffff0000); /* memory map outside memory */
	assert_int_equal(bootinfo_parse(BOOTINFO_MB1_MAGIC, 0x100, map, NULL, &bi),
			 BOOTINFO_ERR_UNREADABLE);
	mb1_build(BOOTINFO_MAX_REGIONS + 1);
	assert_int_equal(bootinfo_parse(BOOTINFO_MB1_MAGIC, 0x100, map, NULL, &bi),
			 BOOTINFO_ERR_TOO_MANY);
	assert_int_equal(bootinfo_parse(0x12345678, 0x100, map, NULL, &bi), BOOTINFO_ERR_MAGIC);
	assert_int_equal(bootinfo_parse(BOOTINFO_MB1_MAGIC, 0xfffffff0, map, NULL, &bi),
			 BOOTINFO_ERR_UNREADABLE);
}

/* MB2 info at 0x1000: loader name, two modules, a memory map, end. */
static uint32_t mb2_build(void)
{
	uint64_t p = 0x1008;
	memset(mem, 0, sizeof(mem));
	w32(p, 2); /* loader name */
	w32(p + 4, 8 + 5);
	memcpy(mem + p + 8, "GRUB", 5);
	p += 16;
	for (uint32_t i = 0; i < 2; i++) {
		w32(p, 3);
		w32(p + 4, 17);
		w32(p + 8, 0x300000 + 0x1000 * i);
		w32(p + 12, 0x300800 + 0x1000 * i);
		p += 24;
	}
	w32(p, 6); /* memory map: two 24-byte entries */
	w32(p + 4, 16 + 48);
	w32(p + 8, 24);
	w64(p + 16, 0);
	w64(p + 24, 0x9fc00);
	w32(p + 32, 1);
	w64(p + 40, 0x100000);
	w64(p + 48, 0x7ee0000);
	w32(p + 56, 1);
	p += 64;
	w32(p, 0);
	w32(p + 4, 8);
	p += 8;
	w32(0x1000, (uint32_t)(p - 0x1000));
	return (uint32_t)(p - 0x1000);
}

static void test_mb2(void **state)
{
	(void)state;
	mb2_build();
	assert_int_equal(bootinfo_parse(BOOTINFO_MB2_MAGIC, 0x1000, map, NULL, &bi), BOOTINFO_OK);
	assert_int_equal(bi.loader, 2);
	assert_string_equal(bi.loader_name, "GRUB");
	assert_int_equal(bi.nmodules, 2);
	assert_int_equal(bi.modules[1].start, 0x301000);
	assert_int_equal(bi.nregions, 2);
	assert_int_equal(bi.regions[1].len, 0x7ee0000);
}

static void test_mb2_hostile(void **state)
{
	(void)state;
	uint32_t total = mb2_build();
	w32(0x1008 + 4, 0x10000); /* first tag larger than the whole info */
	assert_int_equal(bootinfo_parse(BOOTINFO_MB2_MAGIC, 0x1000, map, NULL, &bi),
			 BOOTINFO_ERR_TRUNCATED);
	mb2_build();
	w32(0x1008 + 4, 4); /* tag size below its own header */
	assert_int_equal(bootinfo_parse(BOOTINFO_MB2_MAGIC, 0x1000, map, NULL, &bi),
			 BOOTINFO_ERR_TRUNCATED);
	mb2_build();
	w32(0x1000, total - 8); /* total size cuts off the end tag */
	assert_int_equal(bootinfo_parse(BOOTINFO_MB2_MAGIC, 0x1000, map, NULL, &bi),
			 BOOTINFO_ERR_TRUNCATED);
	mb2_build();
	w32(0x1008 + 16 + 48 + 8, 8); /* memory map entry_size too small */
	assert_int_equal(bootinfo_parse(BOOTINFO_MB2_MAGIC, 0x1000, map, NULL, &bi),
			 BOOTINFO_ERR_MMAP);
	mb2_build();
	w32(0x1000, 0xfffff000); /* total size past readable memory */
	assert_int_equal(bootinfo_parse(BOOTINFO_MB2_MAGIC, 0x1000, map, NULL, &bi),
			 BOOTINFO_ERR_UNREADABLE);
	mb2_build();
	w32(0x1008 + 16 + 48, 4); /* turn the memory map tag into an unknown one */
	assert_int_equal(bootinfo_parse(BOOTINFO_MB2_MAGIC, 0x1000, map, NULL, &bi),
			 BOOTINFO_ERR_MMAP);
	assert_string_equal(bootinfo_strerror(BOOTINFO_ERR_MMAP),
			    "missing or malformed memory map");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mb1),
		cmocka_unit_test(test_mb1_hostile),
		cmocka_unit_test(test_mb2),
		cmocka_unit_test(test_mb2_hostile),
	};
	return cmocka_run_group_tests_name("bootinfo", tests, NULL, NULL);
}
