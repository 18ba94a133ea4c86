/*
 * Host tests of lib/elf on real binaries: small static freestanding programs
 * (prog_tls.c, prog_plain.c) that mk/elf.mk links with the machine's gcc at
 * 0x400000, with and without -z separate-code. For each, the make rule also
 * wrote what `readelf -lW` says about it (readelf-facts.awk) into a header
 * included below; the parse must agree with binutils on the entry point,
 * every PT_LOAD and the PT_TLS, and satisfy the documented invariants.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/elf/elf.h"
#include "tests/unit/elf/elf_invariants.h"

int elf_binaries_run(void);

/* One line of readelf's view: 'E' entry (in vaddr), 'L' LOAD, 'T' TLS. */
struct bin_fact {
	char kind;
	uint64_t offset, vaddr, filesz, memsz, align;
	const char *flags; /* "R", "RE", "RW", ... */
};

struct bin_case {
	const char *file;
	const struct bin_fact *facts;
	size_t nfacts;
};

static const struct bin_fact facts_tls_sep[] = {
#include "tests/unit/elf/tls-sep.facts.h"
};
static const struct bin_fact facts_tls_merged[] = {
#include "tests/unit/elf/tls-merged.facts.h"
};
static const struct bin_fact facts_plain[] = {
#include "tests/unit/elf/plain.facts.h"
};

#define BIN_CASE(name, facts)                                 \
	{                                                     \
		name, facts, sizeof(facts) / sizeof(facts[0]) \
	}
static const struct bin_case bin_tls_sep = BIN_CASE("tls-sep.elf", facts_tls_sep);
static const struct bin_case bin_tls_merged = BIN_CASE("tls-merged.elf", facts_tls_merged);
static const struct bin_case bin_plain = BIN_CASE("plain.elf", facts_plain);

static const struct elf_window user_window = { .lo = 0x400000, .hi = 0x600000 };

/* Read build/tests/unit/elf/NAME into an exact-size heap buffer. */
static uint8_t *bin_read(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	uint8_t *buf;
	long size;

	snprintf(path, sizeof(path), "%s/%s", ELF_BIN_DIR, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	buf = malloc((size_t)size);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return buf;
}

static uint32_t prot_of(const char *flags)
{
	uint32_t prot = 0;

	prot |= strchr(flags, 'R') ? ELF_PROT_READ : 0;
	prot |= strchr(flags, 'W') ? ELF_PROT_WRITE : 0;
	prot |= strchr(flags, 'E') ? ELF_PROT_EXEC : 0;
	return prot;
}

static void check_load(const struct bin_fact *f, const struct elf_segment *s)
{
	assert_int_equal(s->offset, f->offset);
	assert_int_equal(s->vaddr, f->vaddr);
	assert_int_equal(s->filesz, f->filesz);
	assert_int_equal(s->memsz, f->memsz);
	assert_int_equal(s->prot, prot_of(f->flags));
}

static void check_tls(const struct bin_fact *f, const struct elf_image *img)
{
	assert_true(img->has_tls);
	assert_int_equal(img->tls.offset, f->offset);
	assert_int_equal(img->tls.vaddr, f->vaddr);
	assert_int_equal(img->tls.filesz, f->filesz);
	assert_int_equal(img->tls.memsz, f->memsz);
	assert_int_equal(img->tls.align, f->align);
}

/* The parse agrees with readelf, fact by fact, in program-header order. */
static void check_facts(const struct bin_case *c, const struct elf_image *img)
{
	uint32_t seg = 0;
	bool tls = false;

	for (size_t i = 0; i < c->nfacts; i++) {
		const struct bin_fact *f = &c->facts[i];

		if (f->kind == 'E')
			assert_int_equal(img->entry, f->vaddr);
		if (f->kind == 'L' && f->memsz != 0) {
			assert_true(seg < img->nsegments);
			check_load(f, &img->segments[seg++]);
		}
		if (f->kind == 'T') {
			check_tls(f, img);
			tls = true;
		}
	}
	assert_int_equal(seg, img->nsegments);
	assert_int_equal(tls, img->has_tls);
}

static void parse_case(const struct bin_case *c, bool want_tls)
{
	struct elf_image img;
	size_t len;
	uint8_t *buf = bin_read(c->file, &len);
	enum elf_err err = elf_parse(buf, len, &user_window, &img);
	const char *why;

	if (err != ELF_OK)
		fail_msg("%s: %s", c->file, elf_strerror(err));
	why = elf_image_violation(&img, len, &user_window);
	if (why != NULL)
		fail_msg("%s: %s", c->file, why);
	check_facts(c, &img);
	assert_int_equal(img.has_tls, want_tls);
	if (want_tls) {
		/* The template's file bytes are prog_tls.c's tls_magic. */
		uint64_t magic;

		assert_int_equal(img.tls.filesz, sizeof(magic));
		memcpy(&magic, buf + img.tls.offset, sizeof(magic));
		assert_int_equal(magic, 0x1122334455667788ull);
		assert_true(img.tls.memsz >= img.tls.filesz + 64);
	}
	free(buf);
}

static void test_tls_separate_code(void **state)
{
	(void)state;
	parse_case(&bin_tls_sep, true);
}

static void test_tls_merged_code(void **state)
{
	(void)state;
	parse_case(&bin_tls_merged, true);
}

static void test_plain(void **state)
{
	(void)state;
	parse_case(&bin_plain, false);
}

/* The entry's code bytes come from the file, not the zero-filled tail. */
static void test_entry_in_file(void **state)
{
	const struct bin_case *cases[] = { &bin_tls_sep, &bin_tls_merged, &bin_plain };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct elf_image img;
		size_t len;
		uint8_t *buf = bin_read(cases[i]->file, &len);
		bool found = false;

		assert_int_equal(elf_parse(buf, len, &user_window, &img), ELF_OK);
		for (uint32_t s = 0; s < img.nsegments; s++) {
			const struct elf_segment *seg = &img.segments[s];

			if ((seg->prot & ELF_PROT_EXEC) && img.entry >= seg->vaddr &&
			    img.entry - seg->vaddr < seg->filesz)
				found = true;
		}
		assert_true(found);
		free(buf);
	}
}

/* Bytes of the file the loader reads: up to the end of the last file range. */
static uint64_t loaded_file_end(const struct elf_image *img)
{
	uint64_t end = img->has_tls ? img->tls.offset + img->tls.filesz : 0;

	for (uint32_t i = 0; i < img->nsegments; i++) {
		uint64_t seg_end = img->segments[i].offset + img->segments[i].filesz;

		end = seg_end > end ? seg_end : end;
	}
	return end;
}

/* The same binary outside the caller's window, or cut short of the bytes
 * its segments need, is refused; cut right after them (section headers and
 * symbols gone, as strip leaves it), it is still accepted. */
static void test_window_and_truncation(void **state)
{
	static const struct elf_window high = { .lo = 0x1000000, .hi = 0x2000000 };
	static const struct elf_window small = { .lo = 0x400000, .hi = 0x402000 };
	struct elf_image img;
	size_t len, need;
	uint8_t *buf = bin_read(bin_tls_sep.file, &len);

	(void)state;
	assert_int_equal(elf_parse(buf, len, &high, &img), ELF_ERR_LOAD_WINDOW);
	assert_int_equal(elf_parse(buf, len, &small, &img), ELF_ERR_LOAD_WINDOW);
	assert_int_equal(elf_parse(buf, len, &user_window, &img), ELF_OK);
	need = loaded_file_end(&img);
	assert_true(need <= len);
	for (size_t cut = 0; cut < need; cut += 7)
		assert_int_not_equal(elf_parse(buf, cut, &user_window, &img), ELF_OK);
	assert_int_not_equal(elf_parse(buf, need - 1, &user_window, &img), ELF_OK);
	assert_int_equal(elf_parse(buf, need, &user_window, &img), ELF_OK);
	free(buf);
}

int elf_binaries_run(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls_separate_code),
		cmocka_unit_test(test_tls_merged_code),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_entry_in_file),
		cmocka_unit_test(test_window_and_truncation),
	};

	return cmocka_run_group_tests_name("elf-binaries", tests, NULL, NULL);
}
