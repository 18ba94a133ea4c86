/*
 * Test helper for lib/elf: builds small ELF64 images in memory from the
 * header structures of lib/elf/elf.h. img_default() describes a valid static
 * executable (a text and a data PT_LOAD plus a PT_TLS); a test changes the
 * fields it is about and calls img_parse(), which serializes the image into
 * a heap buffer of exactly the image's length (so AddressSanitizer catches
 * any read past its end) and parses it against TEST_WINDOW.
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/elf/elf.h"

#define IMG_MAX_PHDRS 80 /* more than ELF_MAX_PHDRS, to test the limit */
#define IMG_MAX_LEN   0x8000

#define TEST_WIN_LO 0x400000u
#define TEST_WIN_HI 0x600000u

/* Default layout: headers and text share the first page, data the second. */
#define IMG_TEXT_VADDR	0x400000u
#define IMG_TEXT_SIZE	0x200u
#define IMG_ENTRY	0x400100u
#define IMG_DATA_OFF	0x1000u
#define IMG_DATA_VADDR	0x401000u
#define IMG_DATA_FILESZ 0x100u
#define IMG_DATA_MEMSZ	0x2000u
#define IMG_LEN		0x1100u

struct test_img {
	struct elf64_ehdr eh;
	struct elf64_phdr ph[IMG_MAX_PHDRS];
	unsigned nph; /* headers written at eh.e_phoff (e_phnum may differ) */
	size_t len;   /* bytes in the file */
	struct elf_window win;
};

static inline struct elf64_phdr img_load(uint32_t flags, uint64_t off, uint64_t vaddr,
					 uint64_t filesz, uint64_t memsz)
{
	return (struct elf64_phdr){ .p_type = ELF_PT_LOAD,
				    .p_flags = flags,
				    .p_offset = off,
				    .p_vaddr = vaddr,
				    .p_paddr = vaddr,
				    .p_filesz = filesz,
				    .p_memsz = memsz,
				    .p_align = ELF_PAGE_SIZE };
}

static inline struct elf64_phdr img_tls(uint64_t off, uint64_t vaddr, uint64_t filesz,
					uint64_t memsz, uint64_t align)
{
	return (struct elf64_phdr){ .p_type = ELF_PT_TLS,
				    .p_flags = ELF_PF_R,
				    .p_offset = off,
				    .p_vaddr = vaddr,
				    .p_paddr = vaddr,
				    .p_filesz = filesz,
				    .p_memsz = memsz,
				    .p_align = align };
}

/* Append a program header and keep e_phnum in step. */
static inline void img_add(struct test_img *t, struct elf64_phdr ph)
{
	t->ph[t->nph++] = ph;
	t->eh.e_phnum = (uint16_t)t->nph;
}

static inline void img_init(struct test_img *t)
{
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

	memset(t, 0, sizeof(*t));
	memcpy(t->eh.e_ident, magic, sizeof(magic));
	t->eh.e_ident[ELF_EI_CLASS] = ELF_CLASS64;
	t->eh.e_ident[ELF_EI_DATA] = ELF_DATA2LSB;
	t->eh.e_ident[ELF_EI_VERSION] = ELF_EV_CURRENT;
	t->eh.e_type = ELF_ET_EXEC;
	t->eh.e_machine = ELF_EM_X86_64;
	t->eh.e_version = ELF_EV_CURRENT;
	t->eh.e_entry = IMG_ENTRY;
	t->eh.e_phoff = sizeof(struct elf64_ehdr);
	t->eh.e_ehsize = sizeof(struct elf64_ehdr);
	t->eh.e_phentsize = sizeof(struct elf64_phdr);
	t->len = IMG_LEN;
	t->win = (struct elf_window){ .lo = TEST_WIN_LO, .hi = TEST_WIN_HI };
}

/* The valid default: ph[0] text (R X), ph[1] data (RW), ph[2] TLS. */
static inline void img_default(struct test_img *t)
{
	img_init(t);
	img_add(t, img_load(ELF_PF_R | ELF_PF_X, 0, IMG_TEXT_VADDR, IMG_TEXT_SIZE, IMG_TEXT_SIZE));
	img_add(t, img_load(ELF_PF_R | ELF_PF_W, IMG_DATA_OFF, IMG_DATA_VADDR, IMG_DATA_FILESZ,
			    IMG_DATA_MEMSZ));
	img_add(t, img_tls(IMG_DATA_OFF, IMG_DATA_VADDR, 0x10, 0x40, 8));
}

/* Serialize into a fresh heap buffer of exactly t->len bytes (at least 1 so
 * malloc never returns NULL for a valid request); the caller frees it. */
static inline uint8_t *img_bytes(const struct test_img *t)
{
	uint8_t *buf = calloc(1, t->len ? t->len : 1);
	size_t phsize = t->nph * sizeof(struct elf64_phdr);

	if (buf == NULL)
		abort();
	memcpy(buf, &t->eh, t->len < sizeof(t->eh) ? t->len : sizeof(t->eh));
	if (t->eh.e_phoff < t->len) {
		size_t room = t->len - t->eh.e_phoff;
		memcpy(buf + t->eh.e_phoff, t->ph, phsize < room ? phsize : room);
	}
	return buf;
}

static inline enum elf_err img_parse(const struct test_img *t, struct elf_image *out)
{
	uint8_t *buf = img_bytes(t);
	enum elf_err err = elf_parse(buf, t->len, &t->win, out);

	free(buf);
	return err;
}
