/*
 * Host tests of lib/elf on images built in memory (elf_builder.h): the
 * success paths, then every error value of enum elf_err, each provoked by
 * changing one field of a valid image. Every accepted image is also checked
 * against the documented invariants (elf_invariants.h). The group on real
 * linked binaries lives in test_elf_binaries.c and runs from main() below.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/elf/elf_builder.h"
#include "tests/unit/elf/elf_invariants.h"

int elf_binaries_run(void);

static void expect_err(const struct test_img *t, enum elf_err want)
{
	struct elf_image out;
	enum elf_err got = img_parse(t, &out);

	if (got != want)
		fail_msg("got %s, want %s", elf_strerror(got), elf_strerror(want));
}

static void expect_ok(const struct test_img *t, struct elf_image *out)
{
	enum elf_err got = img_parse(t, out);
	const char *why;

	if (got != ELF_OK)
		fail_msg("got %s, want ELF_OK", elf_strerror(got));
	why = elf_image_violation(out, t->len, &t->win);
	if (why != NULL)
		fail_msg("accepted image breaks an invariant: %s", why);
}

/* ---- success paths ---- */

static void test_default_image(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_default(&t);
	expect_ok(&t, &img);
	assert_int_equal(img.entry, IMG_ENTRY);
	assert_int_equal(img.nsegments, 2);
	assert_int_equal(img.segments[0].vaddr, IMG_TEXT_VADDR);
	assert_int_equal(img.segments[0].memsz, IMG_TEXT_SIZE);
	assert_int_equal(img.segments[0].offset, 0);
	assert_int_equal(img.segments[0].filesz, IMG_TEXT_SIZE);
	assert_int_equal(img.segments[0].prot, ELF_PROT_READ | ELF_PROT_EXEC);
	assert_int_equal(img.segments[1].vaddr, IMG_DATA_VADDR);
	assert_int_equal(img.segments[1].memsz, IMG_DATA_MEMSZ);
	assert_int_equal(img.segments[1].offset, IMG_DATA_OFF);
	assert_int_equal(img.segments[1].filesz, IMG_DATA_FILESZ);
	assert_int_equal(img.segments[1].prot, ELF_PROT_READ | ELF_PROT_WRITE);
	assert_true(img.has_tls);
	assert_int_equal(img.tls.vaddr, IMG_DATA_VADDR);
	assert_int_equal(img.tls.offset, IMG_DATA_OFF);
	assert_int_equal(img.tls.filesz, 0x10);
	assert_int_equal(img.tls.memsz, 0x40);
	assert_int_equal(img.tls.align, 8);
}

static void test_no_tls(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_default(&t);
	t.ph[2].p_type = 0x6474e551; /* PT_GNU_STACK */
	expect_ok(&t, &img);
	assert_false(img.has_tls);
}

static void test_other_types_ignored(void **state)
{
	static const uint32_t types[] = { ELF_PT_NULL, 4 /* NOTE */, 5 /* SHLIB */, 6 /* PHDR */,
					  0x6474e550,  0x6474e551,   0x6474e552,    0x6474e553,
					  0x60000000,  0x7fffffff,   0xffffffff };
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_default(&t);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		/* Garbage fields: nothing of an ignored header is looked at. */
		img_add(&t, (struct elf64_phdr){ .p_type = types[i],
						 .p_flags = 7,
						 .p_offset = UINT64_MAX,
						 .p_filesz = UINT64_MAX,
						 .p_align = 3 });
	}
	expect_ok(&t, &img);
	assert_int_equal(img.nsegments, 2);
}

static void test_empty_load_dropped(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_default(&t);
	/* Overlaps text and is outside the window, but maps nothing. */
	img_add(&t, img_load(ELF_PF_R, 0, 0x400000, 0, 0));
	img_add(&t, img_load(ELF_PF_R, UINT64_MAX, 0x10, 0, 0));
	expect_ok(&t, &img);
	assert_int_equal(img.nsegments, 2);
}

static void test_flags_to_prot(void **state)
{
	static const struct {
		uint32_t flags, prot;
	} cases[] = {
		{ 0, 0 },
		{ ELF_PF_R, ELF_PROT_READ },
		{ ELF_PF_X, ELF_PROT_EXEC },
		{ ELF_PF_R | ELF_PF_X, ELF_PROT_READ | ELF_PROT_EXEC },
		{ ELF_PF_W, ELF_PROT_WRITE },
		{ ELF_PF_R | ELF_PF_W | 0xff00000u, ELF_PROT_READ | ELF_PROT_WRITE },
	};
	struct test_img t;
	struct elf_image img;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		img_default(&t);
		t.ph[1].p_flags = cases[i].flags;
		expect_ok(&t, &img);
		assert_int_equal(img.segments[1].prot, cases[i].prot);
	}
}

static void test_unaligned_buffer(void **state)
{
	struct test_img t;
	struct elf_image img;
	uint8_t *buf, *odd;

	(void)state;
	img_default(&t);
	buf = img_bytes(&t);
	odd = malloc(t.len + 1);
	assert_non_null(odd);
	memcpy(odd + 1, buf, t.len);
	assert_int_equal(elf_parse(odd + 1, t.len, &t.win, &img), ELF_OK);
	assert_int_equal(img.entry, IMG_ENTRY);
	free(odd);
	free(buf);
}

static void test_window_edges(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	/* A segment may end exactly at hi, and start exactly at lo. */
	img_default(&t);
	t.ph[1].p_vaddr = TEST_WIN_HI - IMG_DATA_MEMSZ;
	t.ph[2].p_vaddr = t.ph[1].p_vaddr;
	expect_ok(&t, &img);
	/* Page rounding: ending one byte into the next page is outside. */
	t.ph[1].p_memsz += 1;
	expect_err(&t, ELF_ERR_LOAD_WINDOW);
	/* Starting mid-page rounds down to that page. */
	img_default(&t);
	t.ph[0].p_vaddr = TEST_WIN_LO + 0x40;
	t.ph[0].p_offset = 0x40;
	t.ph[0].p_filesz = t.ph[0].p_memsz = IMG_TEXT_SIZE - 0x40;
	expect_ok(&t, &img);
	t.win.lo += ELF_PAGE_SIZE;
	t.win.hi += ELF_PAGE_SIZE;
	expect_err(&t, ELF_ERR_LOAD_WINDOW);
}

static void test_align_values(void **state)
{
	static const uint64_t ok[] = { 0, 1, 2, 0x1000, 0x200000, 0x400000 };
	struct test_img t;
	struct elf_image img;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		img_default(&t);
		t.ph[0].p_align = ok[i]; /* text is at vaddr 0x400000, offset 0 */
		expect_ok(&t, &img);
	}
}

static void test_max_counts(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_init(&t);
	for (unsigned i = 0; i < ELF_MAX_SEGMENTS; i++)
		img_add(&t, img_load(ELF_PF_R | ELF_PF_X, i * 0x1000ull, 0x400000 + i * 0x1000ull,
				     0x10, 0x10));
	while (t.nph < ELF_MAX_PHDRS)
		img_add(&t, (struct elf64_phdr){ .p_type = 4 });
	t.eh.e_entry = 0x400000;
	t.len = ELF_MAX_SEGMENTS * 0x1000;
	expect_ok(&t, &img);
	assert_int_equal(img.nsegments, ELF_MAX_SEGMENTS);
}

/* ---- ELF header errors ---- */

static void test_too_short(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	t.len = 0;
	expect_err(&t, ELF_ERR_TOO_SHORT);
	t.len = sizeof(struct elf64_ehdr) - 1;
	expect_err(&t, ELF_ERR_TOO_SHORT);
}

static void test_bad_magic(void **state)
{
	struct test_img t;

	(void)state;
	for (int i = 0; i < 4; i++) {
		img_default(&t);
		t.eh.e_ident[i] ^= 0x20;
		expect_err(&t, ELF_ERR_BAD_MAGIC);
	}
}

static void test_bad_ident(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	t.eh.e_ident[ELF_EI_CLASS] = 1; /* ELFCLASS32 */
	expect_err(&t, ELF_ERR_BAD_CLASS);
	img_default(&t);
	t.eh.e_ident[ELF_EI_CLASS] = 0;
	expect_err(&t, ELF_ERR_BAD_CLASS);
	img_default(&t);
	t.eh.e_ident[ELF_EI_DATA] = 2; /* ELFDATA2MSB */
	expect_err(&t, ELF_ERR_BAD_ENDIAN);
	img_default(&t);
	t.eh.e_ident[ELF_EI_VERSION] = 0;
	expect_err(&t, ELF_ERR_BAD_VERSION);
	img_default(&t);
	t.eh.e_version = 2;
	expect_err(&t, ELF_ERR_BAD_VERSION);
}

static void test_not_exec(void **state)
{
	static const uint16_t types[] = { 0, 1 /* REL */, ELF_ET_DYN, 4 /* CORE */, 0xfe00 };
	struct test_img t;

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		img_default(&t);
		t.eh.e_type = types[i];
		expect_err(&t, ELF_ERR_NOT_EXEC);
	}
}

static void test_bad_machine(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	t.eh.e_machine = 3; /* EM_386 */
	expect_err(&t, ELF_ERR_BAD_MACHINE);
	t.eh.e_machine = 183; /* EM_AARCH64 */
	expect_err(&t, ELF_ERR_BAD_MACHINE);
}

static void test_phdr_table(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_default(&t);
	t.eh.e_phentsize = 32;
	expect_err(&t, ELF_ERR_PHDR_ENTSIZE);
	t.eh.e_phentsize = 0;
	expect_err(&t, ELF_ERR_PHDR_ENTSIZE);

	img_default(&t);
	t.eh.e_phnum = ELF_MAX_PHDRS + 1;
	expect_err(&t, ELF_ERR_PHDR_COUNT);
	t.eh.e_phnum = 0xffff; /* PN_XNUM: the count would be in a section header */
	expect_err(&t, ELF_ERR_PHDR_COUNT);

	img_default(&t);
	t.eh.e_phoff = t.len - 3 * sizeof(struct elf64_phdr) + 1; /* last byte past the end */
	expect_err(&t, ELF_ERR_PHDR_RANGE);
	t.eh.e_phoff = t.len + 1;
	expect_err(&t, ELF_ERR_PHDR_RANGE);
	t.eh.e_phoff = UINT64_MAX - 8; /* offset + size overflows */
	expect_err(&t, ELF_ERR_PHDR_RANGE);
	img_default(&t);
	t.eh.e_phoff = t.len - 3 * sizeof(struct elf64_phdr); /* exactly at the end */
	expect_ok(&t, &img);
}

/* ---- program header errors ---- */

static void test_dynamic_rejected(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	img_add(&t, (struct elf64_phdr){
			    .p_type = ELF_PT_INTERP, .p_offset = 0x100, .p_filesz = 0x1c });
	expect_err(&t, ELF_ERR_INTERP);
	img_default(&t);
	img_add(&t, (struct elf64_phdr){ .p_type = ELF_PT_DYNAMIC,
					 .p_offset = 0x1000,
					 .p_vaddr = IMG_DATA_VADDR,
					 .p_filesz = 0x80 });
	expect_err(&t, ELF_ERR_DYNAMIC);
}

static void test_load_count(void **state)
{
	struct test_img t;

	(void)state;
	img_init(&t);
	for (unsigned i = 0; i <= ELF_MAX_SEGMENTS; i++)
		img_add(&t, img_load(ELF_PF_R | ELF_PF_X, i * 0x1000ull, 0x400000 + i * 0x1000ull,
				     0x10, 0x10));
	t.eh.e_entry = 0x400000;
	t.len = (ELF_MAX_SEGMENTS + 1) * 0x1000;
	expect_err(&t, ELF_ERR_LOAD_COUNT);
}

static void test_load_wx(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	t.ph[0].p_flags = ELF_PF_R | ELF_PF_W | ELF_PF_X;
	expect_err(&t, ELF_ERR_LOAD_WX);
	t.ph[0].p_flags = ELF_PF_W | ELF_PF_X;
	expect_err(&t, ELF_ERR_LOAD_WX);
	/* Even an empty PT_LOAD may not claim W+X. */
	img_default(&t);
	img_add(&t, img_load(ELF_PF_W | ELF_PF_X, 0, 0x500000, 0, 0));
	expect_err(&t, ELF_ERR_LOAD_WX);
}

static void test_load_filesz(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	t.ph[1].p_filesz = IMG_DATA_MEMSZ + 1;
	expect_err(&t, ELF_ERR_LOAD_FILESZ);
	img_default(&t);
	img_add(&t, img_load(ELF_PF_R, 0, 0x500000, 1, 0));
	expect_err(&t, ELF_ERR_LOAD_FILESZ);
}

static void test_load_file_range(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_default(&t);
	t.ph[1].p_filesz = IMG_LEN - IMG_DATA_OFF; /* exactly to the end: fine */
	expect_ok(&t, &img);
	t.ph[1].p_filesz += 1;
	expect_err(&t, ELF_ERR_LOAD_FILE_RANGE);
	img_default(&t);
	t.ph[1].p_offset = 0x2000; /* past the end, still page-congruent */
	expect_err(&t, ELF_ERR_LOAD_FILE_RANGE);
	img_default(&t);
	t.ph[1].p_offset = UINT64_MAX - 0x7f; /* offset + filesz wraps */
	expect_err(&t, ELF_ERR_LOAD_FILE_RANGE);
	/* A bss-only segment still needs an offset inside the file. */
	img_default(&t);
	t.ph[1].p_filesz = 0;
	t.ph[1].p_offset = IMG_LEN + 1;
	expect_err(&t, ELF_ERR_LOAD_FILE_RANGE);
}

static void test_load_wrap(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	t.ph[1].p_vaddr = UINT64_MAX - 0xfff; /* + memsz wraps */
	expect_err(&t, ELF_ERR_LOAD_WRAP);
	img_default(&t);
	t.ph[1].p_vaddr = UINT64_MAX - IMG_DATA_MEMSZ - 0xfff;
	t.ph[1].p_memsz = IMG_DATA_MEMSZ + 0x800; /* end fits, its page does not */
	expect_err(&t, ELF_ERR_LOAD_WRAP);
	img_default(&t);
	t.ph[1].p_memsz = UINT64_MAX;
	expect_err(&t, ELF_ERR_LOAD_WRAP);
}

static void test_load_window(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	t.ph[1].p_vaddr = TEST_WIN_HI; /* starts at hi */
	expect_err(&t, ELF_ERR_LOAD_WINDOW);
	img_default(&t);
	t.ph[1].p_vaddr = TEST_WIN_LO - 0x1000; /* below lo */
	expect_err(&t, ELF_ERR_LOAD_WINDOW);
	img_default(&t);
	t.ph[1].p_vaddr = 0; /* the null page */
	expect_err(&t, ELF_ERR_LOAD_WINDOW);
	img_default(&t);
	t.ph[1].p_vaddr = 0xffff800000000000ull; /* kernel half */
	expect_err(&t, ELF_ERR_LOAD_WINDOW);
	img_default(&t);
	t.ph[1].p_memsz = TEST_WIN_HI; /* runs past hi */
	expect_err(&t, ELF_ERR_LOAD_WINDOW);
}

static void test_load_align(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	t.ph[0].p_align = 3;
	expect_err(&t, ELF_ERR_LOAD_ALIGN);
	t.ph[0].p_align = 0x1800;
	expect_err(&t, ELF_ERR_LOAD_ALIGN);
	t.ph[0].p_align = UINT64_MAX;
	expect_err(&t, ELF_ERR_LOAD_ALIGN);
}

static void test_load_congruent(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_default(&t);
	t.ph[1].p_offset = IMG_DATA_OFF + 0x10; /* vaddr 0x401000, offset 0x1010 */
	t.ph[1].p_filesz = 0x10;
	expect_err(&t, ELF_ERR_LOAD_CONGRUENT);
	t.ph[1].p_align = 0; /* no alignment claimed: the page still counts */
	expect_err(&t, ELF_ERR_LOAD_CONGRUENT);
	/* Congruent mod a page but not mod the claimed 2 MiB. */
	img_default(&t);
	t.ph[1].p_vaddr = IMG_DATA_VADDR + 0x1000;
	expect_ok(&t, &img);
	t.ph[1].p_align = 0x200000;
	expect_err(&t, ELF_ERR_LOAD_CONGRUENT);
	/* The same at a different page offset: congruent mod a page is enough. */
	img_default(&t);
	t.ph[1].p_vaddr = IMG_DATA_VADDR + 0x10;
	t.ph[1].p_offset = IMG_DATA_OFF + 0x10;
	t.ph[1].p_filesz = 0x10;
	expect_ok(&t, &img);
}

static void test_load_overlap(void **state)
{
	struct test_img t;

	(void)state;
	/* Data placed in the text's last page: same page, different rights. */
	img_default(&t);
	t.ph[1].p_vaddr = IMG_TEXT_VADDR + 0x800;
	t.ph[1].p_offset = 0x800;
	t.ph[1].p_filesz = 0x100;
	t.ph[1].p_memsz = 0x100;
	expect_err(&t, ELF_ERR_LOAD_OVERLAP);
	/* Identical segments. */
	img_default(&t);
	t.ph[1] = t.ph[0];
	expect_err(&t, ELF_ERR_LOAD_OVERLAP);
	/* One inside another, found whichever comes first. */
	img_default(&t);
	t.ph[0].p_memsz = 0x10000;
	expect_err(&t, ELF_ERR_LOAD_OVERLAP);
	img_default(&t);
	t.ph[1].p_vaddr = IMG_TEXT_VADDR - 0x1000;
	t.ph[1].p_offset = 0;
	t.win.lo -= 0x1000;
	expect_err(&t, ELF_ERR_LOAD_OVERLAP);
}

static void test_no_load(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	t.nph = 0;
	t.eh.e_phnum = 0;
	expect_err(&t, ELF_ERR_NO_LOAD);
	/* Only a TLS and empty PT_LOADs. */
	img_default(&t);
	t.ph[0].p_filesz = t.ph[0].p_memsz = 0;
	t.ph[1].p_filesz = t.ph[1].p_memsz = 0;
	expect_err(&t, ELF_ERR_NO_LOAD);
}

static void test_entry(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_default(&t);
	t.eh.e_entry = IMG_TEXT_VADDR; /* first byte */
	expect_ok(&t, &img);
	t.eh.e_entry = IMG_TEXT_VADDR + IMG_TEXT_SIZE - 1; /* last byte */
	expect_ok(&t, &img);
	t.eh.e_entry = IMG_TEXT_VADDR + IMG_TEXT_SIZE; /* one past: page tail, not segment */
	expect_err(&t, ELF_ERR_ENTRY);
	t.eh.e_entry = IMG_DATA_VADDR; /* writable, not executable */
	expect_err(&t, ELF_ERR_ENTRY);
	t.eh.e_entry = 0;
	expect_err(&t, ELF_ERR_ENTRY);
	t.eh.e_entry = UINT64_MAX;
	expect_err(&t, ELF_ERR_ENTRY);
	img_default(&t);
	t.ph[0].p_flags = ELF_PF_R; /* no executable segment at all */
	expect_err(&t, ELF_ERR_ENTRY);
}

/* ---- PT_TLS errors ---- */

static void test_tls_dup(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	img_add(&t, t.ph[2]);
	expect_err(&t, ELF_ERR_TLS_DUP);
}

static void test_tls_filesz(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	t.ph[2].p_filesz = t.ph[2].p_memsz + 1;
	expect_err(&t, ELF_ERR_TLS_FILESZ);
}

static void test_tls_file_range(void **state)
{
	struct test_img t;

	(void)state;
	img_default(&t);
	t.ph[2].p_offset = IMG_LEN - 0xf; /* 16 bytes from here: one past the end */
	expect_err(&t, ELF_ERR_TLS_FILE_RANGE);
	t.ph[2].p_offset = UINT64_MAX - 4;
	expect_err(&t, ELF_ERR_TLS_FILE_RANGE);
}

/* A TLS block with no file bytes (.tbss only) may name any offset: a
 * stripped file ends before it. */
static void test_tls_bss_only(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_default(&t);
	t.ph[2].p_filesz = 0;
	t.ph[2].p_offset = IMG_LEN + 0x1000;
	expect_ok(&t, &img);
	assert_true(img.has_tls);
	assert_int_equal(img.tls.filesz, 0);
	assert_int_equal(img.tls.offset, 0); /* normalized: it names no file bytes */
}

static void test_tls_align(void **state)
{
	static const uint64_t bad[] = { 3, 24, ELF_TLS_MAX_ALIGN * 2, 1ull << 63, UINT64_MAX };
	static const uint64_t good[] = { 1, 2, 64, ELF_TLS_MAX_ALIGN };
	struct test_img t;
	struct elf_image img;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		img_default(&t);
		t.ph[2].p_align = bad[i];
		expect_err(&t, ELF_ERR_TLS_ALIGN);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		img_default(&t);
		t.ph[2].p_align = good[i];
		expect_ok(&t, &img);
		assert_int_equal(img.tls.align, good[i]);
	}
	t.ph[2].p_align = 0; /* "no alignment" reads as 1 */
	expect_ok(&t, &img);
	assert_int_equal(img.tls.align, 1);
}

static void test_tls_size(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_default(&t);
	t.ph[2].p_memsz = ELF_TLS_MAX_MEMSZ;
	expect_ok(&t, &img);
	t.ph[2].p_memsz = ELF_TLS_MAX_MEMSZ + 1;
	expect_err(&t, ELF_ERR_TLS_SIZE);
	t.ph[2].p_memsz = UINT64_MAX;
	expect_err(&t, ELF_ERR_TLS_SIZE);
}

/* ---- the API's edges ---- */

static void test_bad_args(void **state)
{
	struct test_img t;
	struct elf_image img;
	uint8_t *buf;

	(void)state;
	img_default(&t);
	buf = img_bytes(&t);
	assert_int_equal(elf_parse(NULL, t.len, &t.win, &img), ELF_ERR_BAD_ARGS);
	assert_int_equal(elf_parse(buf, t.len, NULL, &img), ELF_ERR_BAD_ARGS);
	assert_int_equal(elf_parse(buf, t.len, &t.win, NULL), ELF_ERR_BAD_ARGS);
	t.win = (struct elf_window){ .lo = TEST_WIN_HI, .hi = TEST_WIN_LO };
	assert_int_equal(elf_parse(buf, t.len, &t.win, &img), ELF_ERR_BAD_ARGS);
	t.win = (struct elf_window){ .lo = TEST_WIN_LO, .hi = TEST_WIN_LO };
	assert_int_equal(elf_parse(buf, t.len, &t.win, &img), ELF_ERR_BAD_ARGS);
	t.win = (struct elf_window){ .lo = TEST_WIN_LO + 1, .hi = TEST_WIN_HI };
	assert_int_equal(elf_parse(buf, t.len, &t.win, &img), ELF_ERR_BAD_ARGS);
	t.win = (struct elf_window){ .lo = TEST_WIN_LO, .hi = TEST_WIN_HI - 1 };
	assert_int_equal(elf_parse(buf, t.len, &t.win, &img), ELF_ERR_BAD_ARGS);
	free(buf);
}

/* Every prefix of a valid image is parsed without reading past its end. */
static void test_truncations(void **state)
{
	struct test_img t;
	struct elf_image img;

	(void)state;
	img_default(&t);
	for (size_t len = 0; len < IMG_LEN; len++) {
		t.len = len;
		assert_int_not_equal(img_parse(&t, &img), ELF_OK);
	}
}

static void test_strerror(void **state)
{
	(void)state;
	for (int e = 0; e > -ELF_ERR_COUNT; e--) {
		const char *name = elf_strerror(e);

		assert_int_equal(strncmp(name, "ELF_", 4), 0);
		assert_string_not_equal(name, "ELF_ERR_UNKNOWN");
		for (int f = 0; f > e; f--)
			assert_string_not_equal(name, elf_strerror(f));
	}
	assert_string_equal(elf_strerror(ELF_ERR_LOAD_WX), "ELF_ERR_LOAD_WX");
	assert_string_equal(elf_strerror(1), "ELF_ERR_UNKNOWN");
	assert_string_equal(elf_strerror(-ELF_ERR_COUNT), "ELF_ERR_UNKNOWN");
	assert_string_equal(elf_strerror(INT_MIN), "ELF_ERR_UNKNOWN");
	assert_string_equal(elf_strerror(INT_MAX), "ELF_ERR_UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_image),
		cmocka_unit_test(test_no_tls),
		cmocka_unit_test(test_other_types_ignored),
		cmocka_unit_test(test_empty_load_dropped),
		cmocka_unit_test(test_flags_to_prot),
		cmocka_unit_test(test_unaligned_buffer),
		cmocka_unit_test(test_window_edges),
		cmocka_unit_test(test_align_values),
		cmocka_unit_test(test_max_counts),
		cmocka_unit_test(test_too_short),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_ident),
		cmocka_unit_test(test_not_exec),
		cmocka_unit_test(test_bad_machine),
		cmocka_unit_test(test_phdr_table),
		cmocka_unit_test(test_dynamic_rejected),
		cmocka_unit_test(test_load_count),
		cmocka_unit_test(test_load_wx),
		cmocka_unit_test(test_load_filesz),
		cmocka_unit_test(test_load_file_range),
		cmocka_unit_test(test_load_wrap),
		cmocka_unit_test(test_load_window),
		cmocka_unit_test(test_load_align),
		cmocka_unit_test(test_load_congruent),
		cmocka_unit_test(test_load_overlap),
		cmocka_unit_test(test_no_load),
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_tls_dup),
		cmocka_unit_test(test_tls_filesz),
		cmocka_unit_test(test_tls_file_range),
		cmocka_unit_test(test_tls_bss_only),
		cmocka_unit_test(test_tls_align),
		cmocka_unit_test(test_tls_size),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_strerror),
	};
	int failed = cmocka_run_group_tests_name("elf", tests, NULL, NULL);

	return failed | elf_binaries_run();
}
