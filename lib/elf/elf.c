/*
 * lib/elf/elf.c — checks a hostile ELF64 image and describes its loadable
 * parts (see elf.h for the contract and docs/elf.md for the policy).
 *
 * The parse is one pass: the ELF header, then each program header in order
 * (PT_LOAD and PT_TLS are checked and recorded, PT_INTERP and PT_DYNAMIC
 * refused, anything else ignored), then the whole-image checks (at least one
 * segment, entry point in an executable one). Every header is copied out of
 * the buffer with memcpy before it is looked at, and every sum of two
 * file-controlled values is checked for overflow before it is used.
 */
#include <string.h>

#include "lib/elf/elf.h"

static const uint8_t elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

static bool in_file(uint64_t offset, uint64_t size, size_t len)
{
	return offset <= len && size <= len - offset;
}

static bool pow2_or_zero(uint64_t x)
{
	return (x & (x - 1)) == 0;
}

static uint64_t page_down(uint64_t addr)
{
	return addr & ~(uint64_t)(ELF_PAGE_SIZE - 1);
}

/* The ELF header alone: identity, type, machine, program header table. */
static enum elf_err elf_check_ehdr(const struct elf64_ehdr *eh, size_t len)
{
	if (memcmp(eh->e_ident, elf_magic, sizeof(elf_magic)) != 0)
		return ELF_ERR_BAD_MAGIC;
	if (eh->e_ident[ELF_EI_CLASS] != ELF_CLASS64)
		return ELF_ERR_BAD_CLASS;
	if (eh->e_ident[ELF_EI_DATA] != ELF_DATA2LSB)
		return ELF_ERR_BAD_ENDIAN;
	if (eh->e_ident[ELF_EI_VERSION] != ELF_EV_CURRENT || eh->e_version != ELF_EV_CURRENT)
		return ELF_ERR_BAD_VERSION;
	if (eh->e_type != ELF_ET_EXEC)
		return ELF_ERR_NOT_EXEC;
	if (eh->e_machine != ELF_EM_X86_64)
		return ELF_ERR_BAD_MACHINE;
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return ELF_ERR_PHDR_ENTSIZE;
	if (eh->e_phnum > ELF_MAX_PHDRS)
		return ELF_ERR_PHDR_COUNT;
	if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr), len))
		return ELF_ERR_PHDR_RANGE;
	return ELF_OK;
}

/* Page-rounded end of a segment's memory, or 0 if vaddr + memsz wraps. A
 * non-empty segment never legitimately ends at 0, so 0 can mean "wraps". */
static uint64_t load_page_end(uint64_t vaddr, uint64_t memsz)
{
	uint64_t end = vaddr + memsz;

	if (end < vaddr || end > UINT64_MAX - (ELF_PAGE_SIZE - 1))
		return 0;
	return page_down(end + ELF_PAGE_SIZE - 1);
}

/* One PT_LOAD with memsz > 0, on its own: ranges, window, alignment. */
static enum elf_err elf_check_load_range(const struct elf64_phdr *ph, size_t len,
					 const struct elf_window *win)
{
	uint64_t end = load_page_end(ph->p_vaddr, ph->p_memsz);
	uint64_t modulus;

	if (!in_file(ph->p_offset, ph->p_filesz, len))
		return ELF_ERR_LOAD_FILE_RANGE;
	if (end == 0)
		return ELF_ERR_LOAD_WRAP;
	if (page_down(ph->p_vaddr) < win->lo || end > win->hi)
		return ELF_ERR_LOAD_WINDOW;
	if (!pow2_or_zero(ph->p_align))
		return ELF_ERR_LOAD_ALIGN;
	modulus = ph->p_align > ELF_PAGE_SIZE ? ph->p_align : ELF_PAGE_SIZE;
	if (((ph->p_vaddr - ph->p_offset) & (modulus - 1)) != 0)
		return ELF_ERR_LOAD_CONGRUENT;
	return ELF_OK;
}

static uint32_t prot_from_flags(uint32_t p_flags)
{
	uint32_t prot = 0;

	if (p_flags & ELF_PF_R)
		prot |= ELF_PROT_READ;
	if (p_flags & ELF_PF_W)
		prot |= ELF_PROT_WRITE;
	if (p_flags & ELF_PF_X)
		prot |= ELF_PROT_EXEC;
	return prot;
}

static bool segments_share_page(const struct elf_segment *a, const struct elf_segment *b)
{
	return page_down(a->vaddr) < load_page_end(b->vaddr, b->memsz) &&
	       page_down(b->vaddr) < load_page_end(a->vaddr, a->memsz);
}

/* Check one PT_LOAD and append it to out->segments. Empty segments (memsz
 * 0) map nothing and are dropped once their flags and sizes are checked. */
static enum elf_err elf_add_load(struct elf_image *out, const struct elf64_phdr *ph, size_t len,
				 const struct elf_window *win)
{
	struct elf_segment seg;
	enum elf_err err;

	if ((ph->p_flags & ELF_PF_W) && (ph->p_flags & ELF_PF_X))
		return ELF_ERR_LOAD_WX;
	if (ph->p_filesz > ph->p_memsz)
		return ELF_ERR_LOAD_FILESZ;
	if (ph->p_memsz == 0)
		return ELF_OK;
	err = elf_check_load_range(ph, len, win);
	if (err != ELF_OK)
		return err;
	if (out->nsegments == ELF_MAX_SEGMENTS)
		return ELF_ERR_LOAD_COUNT;
	seg = (struct elf_segment){ .vaddr = ph->p_vaddr,
				    .memsz = ph->p_memsz,
				    .offset = ph->p_offset,
				    .filesz = ph->p_filesz,
				    .prot = prot_from_flags(ph->p_flags) };
	for (uint32_t i = 0; i < out->nsegments; i++)
		if (segments_share_page(&out->segments[i], &seg))
			return ELF_ERR_LOAD_OVERLAP;
	out->segments[out->nsegments++] = seg;
	return ELF_OK;
}

/* Check the (single) PT_TLS and record it in out->tls. */
static enum elf_err elf_set_tls(struct elf_image *out, const struct elf64_phdr *ph, size_t len)
{
	uint64_t align = ph->p_align == 0 ? 1 : ph->p_align;

	if (out->has_tls)
		return ELF_ERR_TLS_DUP;
	if (ph->p_filesz > ph->p_memsz)
		return ELF_ERR_TLS_FILESZ;
	/* A .tbss-only block has no bytes in the file: its offset is unused
	 * (and past the end of a stripped file). */
	if (ph->p_filesz != 0 && !in_file(ph->p_offset, ph->p_filesz, len))
		return ELF_ERR_TLS_FILE_RANGE;
	if (!pow2_or_zero(align) || align > ELF_TLS_MAX_ALIGN)
		return ELF_ERR_TLS_ALIGN;
	if (ph->p_memsz > ELF_TLS_MAX_MEMSZ)
		return ELF_ERR_TLS_SIZE;
	out->has_tls = true;
	out->tls =
		(struct elf_tls){ .vaddr = ph->p_vaddr,
				  .offset = ph->p_filesz ? ph->p_offset : 0, /* unused when empty */
				  .filesz = ph->p_filesz,
				  .memsz = ph->p_memsz,
				  .align = align };
	return ELF_OK;
}

static enum elf_err elf_take_phdr(struct elf_image *out, const struct elf64_phdr *ph, size_t len,
				  const struct elf_window *win)
{
	switch (ph->p_type) {
	case ELF_PT_LOAD:
		return elf_add_load(out, ph, len, win);
	case ELF_PT_TLS:
		return elf_set_tls(out, ph, len);
	case ELF_PT_INTERP:
		return ELF_ERR_INTERP;
	case ELF_PT_DYNAMIC:
		return ELF_ERR_DYNAMIC;
	default:
		return ELF_OK; /* PT_NOTE, PT_PHDR, PT_GNU_STACK, ...: nothing to load */
	}
}

static bool entry_executable(const struct elf_image *img)
{
	for (uint32_t i = 0; i < img->nsegments; i++) {
		const struct elf_segment *s = &img->segments[i];

		if ((s->prot & ELF_PROT_EXEC) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

static bool window_ok(const struct elf_window *win)
{
	return win->lo < win->hi && win->lo % ELF_PAGE_SIZE == 0 && win->hi % ELF_PAGE_SIZE == 0;
}

enum elf_err elf_parse(const void *data, size_t len, const struct elf_window *win,
		       struct elf_image *out)
{
	const uint8_t *bytes = data;
	struct elf64_ehdr eh;
	enum elf_err err;

	if (data == NULL || win == NULL || out == NULL || !window_ok(win))
		return ELF_ERR_BAD_ARGS;
	if (len < sizeof(eh))
		return ELF_ERR_TOO_SHORT;
	memcpy(&eh, bytes, sizeof(eh));
	err = elf_check_ehdr(&eh, len);
	if (err != ELF_OK)
		return err;

	memset(out, 0, sizeof(*out));
	out->entry = eh.e_entry;
	for (uint32_t i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, bytes + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		err = elf_take_phdr(out, &ph, len, win);
		if (err != ELF_OK)
			return err;
	}
	if (out->nsegments == 0)
		return ELF_ERR_NO_LOAD;
	if (!entry_executable(out))
		return ELF_ERR_ENTRY;
	return ELF_OK;
}

static const char *const elf_err_names[ELF_ERR_COUNT] = {
	[0] = "ELF_OK",
	[-ELF_ERR_TOO_SHORT] = "ELF_ERR_TOO_SHORT",
	[-ELF_ERR_BAD_MAGIC] = "ELF_ERR_BAD_MAGIC",
	[-ELF_ERR_BAD_CLASS] = "ELF_ERR_BAD_CLASS",
	[-ELF_ERR_BAD_ENDIAN] = "ELF_ERR_BAD_ENDIAN",
	[-ELF_ERR_BAD_VERSION] = "ELF_ERR_BAD_VERSION",
	[-ELF_ERR_NOT_EXEC] = "ELF_ERR_NOT_EXEC",
	[-ELF_ERR_BAD_MACHINE] = "ELF_ERR_BAD_MACHINE",
	[-ELF_ERR_PHDR_ENTSIZE] = "ELF_ERR_PHDR_ENTSIZE",
	[-ELF_ERR_PHDR_COUNT] = "ELF_ERR_PHDR_COUNT",
	[-ELF_ERR_PHDR_RANGE] = "ELF_ERR_PHDR_RANGE",
	[-ELF_ERR_INTERP] = "ELF_ERR_INTERP",
	[-ELF_ERR_DYNAMIC] = "ELF_ERR_DYNAMIC",
	[-ELF_ERR_LOAD_COUNT] = "ELF_ERR_LOAD_COUNT",
	[-ELF_ERR_LOAD_WX] = "ELF_ERR_LOAD_WX",
	[-ELF_ERR_LOAD_FILESZ] = "ELF_ERR_LOAD_FILESZ",
	[-ELF_ERR_LOAD_FILE_RANGE] = "ELF_ERR_LOAD_FILE_RANGE",
	[-ELF_ERR_LOAD_WRAP] = "ELF_ERR_LOAD_WRAP",
	[-ELF_ERR_LOAD_WINDOW] = "ELF_ERR_LOAD_WINDOW",
	[-ELF_ERR_LOAD_ALIGN] = "ELF_ERR_LOAD_ALIGN",
	[-ELF_ERR_LOAD_CONGRUENT] = "ELF_ERR_LOAD_CONGRUENT",
	[-ELF_ERR_LOAD_OVERLAP] = "ELF_ERR_LOAD_OVERLAP",
	[-ELF_ERR_NO_LOAD] = "ELF_ERR_NO_LOAD",
	[-ELF_ERR_ENTRY] = "ELF_ERR_ENTRY",
	[-ELF_ERR_TLS_DUP] = "ELF_ERR_TLS_DUP",
	[-ELF_ERR_TLS_FILESZ] = "ELF_ERR_TLS_FILESZ",
	[-ELF_ERR_TLS_FILE_RANGE] = "ELF_ERR_TLS_FILE_RANGE",
	[-ELF_ERR_TLS_ALIGN] = "ELF_ERR_TLS_ALIGN",
	[-ELF_ERR_TLS_SIZE] = "ELF_ERR_TLS_SIZE",
	[-ELF_ERR_BAD_ARGS] = "ELF_ERR_BAD_ARGS",
};

const char *elf_strerror(int err)
{
	if (err > 0 || err <= -ELF_ERR_COUNT || elf_err_names[-err] == NULL)
		return "ELF_ERR_UNKNOWN";
	return elf_err_names[-err];
}
