/*
 * lib/elf — the ELF64 parser the kernel uses to load init and spawned
 * programs: static, non-PIE x86_64 executables only. elf_parse() checks a
 * hostile image held in memory and, if it is loadable, describes it in a
 * struct elf_image: the entry point, the PT_LOAD segments with their page
 * permissions, and the PT_TLS template. Nothing is copied or mapped here;
 * the loader maps pages and copies file bytes using the descriptors, and can
 * rely on every invariant listed at struct elf_image without re-checking.
 *
 * The header structures are the ELF64 on-disk layouts (little-endian, as
 * x86_64 stores them); the parser reads them with memcpy, so the image may
 * sit at any alignment. Pure and freestanding; host-tested and fuzzed.
 * What is accepted and rejected, and why: docs/elf.md.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "include/capos/limits.h"

/* Page granularity of the loader's mappings (x86_64 small pages). */
#define ELF_PAGE_SIZE 4096u

/* ---- on-disk layouts (System V gABI, ELF64) ---- */

#define ELF_EI_NIDENT  16
#define ELF_EI_CLASS   4
#define ELF_EI_DATA    5
#define ELF_EI_VERSION 6
#define ELF_CLASS64    2
#define ELF_DATA2LSB   1
#define ELF_EV_CURRENT 1
#define ELF_ET_EXEC    2
#define ELF_ET_DYN     3
#define ELF_EM_X86_64  62

#define ELF_PT_NULL    0
#define ELF_PT_LOAD    1
#define ELF_PT_DYNAMIC 2
#define ELF_PT_INTERP  3
#define ELF_PT_TLS     7

#define ELF_PF_X 0x1u
#define ELF_PF_W 0x2u
#define ELF_PF_R 0x4u

struct elf64_ehdr {
	uint8_t e_ident[ELF_EI_NIDENT]; /* "\x7fELF", class, data, version, ... */
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(offsetof(struct elf64_ehdr, e_entry) == 24, "e_entry offset");
_Static_assert(offsetof(struct elf64_ehdr, e_phoff) == 32, "e_phoff offset");
_Static_assert(offsetof(struct elf64_ehdr, e_phentsize) == 54, "e_phentsize offset");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");
_Static_assert(offsetof(struct elf64_phdr, p_offset) == 8, "p_offset offset");
_Static_assert(offsetof(struct elf64_phdr, p_align) == 48, "p_align offset");

/* ---- parse result ---- */

enum elf_err {
	ELF_OK = 0,
	ELF_ERR_TOO_SHORT = -1,	       /* shorter than an ELF64 header */
	ELF_ERR_BAD_MAGIC = -2,	       /* not "\x7fELF" */
	ELF_ERR_BAD_CLASS = -3,	       /* not ELFCLASS64 */
	ELF_ERR_BAD_ENDIAN = -4,       /* not little-endian */
	ELF_ERR_BAD_VERSION = -5,      /* ident or e_version not EV_CURRENT */
	ELF_ERR_NOT_EXEC = -6,	       /* not ET_EXEC (ET_DYN/PIE included) */
	ELF_ERR_BAD_MACHINE = -7,      /* not EM_X86_64 */
	ELF_ERR_PHDR_ENTSIZE = -8,     /* e_phentsize is not sizeof(struct elf64_phdr) */
	ELF_ERR_PHDR_COUNT = -9,       /* more than ELF_MAX_PHDRS program headers */
	ELF_ERR_PHDR_RANGE = -10,      /* program header table outside the file */
	ELF_ERR_INTERP = -11,	       /* PT_INTERP: needs a dynamic linker */
	ELF_ERR_DYNAMIC = -12,	       /* PT_DYNAMIC: dynamically linked */
	ELF_ERR_LOAD_COUNT = -13,      /* more than ELF_MAX_SEGMENTS PT_LOADs */
	ELF_ERR_LOAD_WX = -14,	       /* PT_LOAD both writable and executable */
	ELF_ERR_LOAD_FILESZ = -15,     /* PT_LOAD p_filesz > p_memsz */
	ELF_ERR_LOAD_FILE_RANGE = -16, /* PT_LOAD file bytes outside the file */
	ELF_ERR_LOAD_WRAP = -17,       /* PT_LOAD address range wraps around */
	ELF_ERR_LOAD_WINDOW = -18,     /* PT_LOAD pages outside the user image window */
	ELF_ERR_LOAD_ALIGN = -19,      /* PT_LOAD p_align not 0 or a power of two */
	ELF_ERR_LOAD_CONGRUENT = -20,  /* PT_LOAD p_vaddr != p_offset mod page/p_align */
	ELF_ERR_LOAD_OVERLAP = -21,    /* two PT_LOADs share a page */
	ELF_ERR_NO_LOAD = -22,	       /* no PT_LOAD with memory */
	ELF_ERR_ENTRY = -23,	       /* entry not inside an executable PT_LOAD */
	ELF_ERR_TLS_DUP = -24,	       /* more than one PT_TLS */
	ELF_ERR_TLS_FILESZ = -25,      /* PT_TLS p_filesz > p_memsz */
	ELF_ERR_TLS_FILE_RANGE = -26,  /* PT_TLS template outside the file */
	ELF_ERR_TLS_ALIGN = -27,       /* PT_TLS p_align not a power of two or too large */
	ELF_ERR_TLS_SIZE = -28,	       /* PT_TLS p_memsz above ELF_TLS_MAX_MEMSZ */
	ELF_ERR_BAD_ARGS = -29,	       /* caller error: NULL image/result or bad window */
};
#define ELF_ERR_COUNT 30 /* number of values above, ELF_OK included */
_Static_assert(ELF_ERR_BAD_ARGS == -(ELF_ERR_COUNT - 1), "ELF_ERR_COUNT covers the enum");

/* Page permissions of a segment, from p_flags. On x86_64 every mapped user
 * page is readable; the loader maps W as writable and all but X as NX. */
#define ELF_PROT_READ  0x1u
#define ELF_PROT_WRITE 0x2u
#define ELF_PROT_EXEC  0x4u

/* One PT_LOAD: memory [vaddr, vaddr + memsz) gets the file bytes
 * [offset, offset + filesz) at its start and zeros after them. */
struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	uint32_t prot; /* ELF_PROT_* */
};

/* The PT_TLS template: filesz bytes at file offset `offset` (.tdata), then
 * memsz - filesz zeros (.tbss); a thread's block is aligned to `align`.
 * vaddr is the template's link-time address, reported as is: the loader
 * copies from the file and places TLS blocks where the ABI says. */
struct elf_tls {
	uint64_t vaddr;
	uint64_t offset;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align; /* power of two, 1 .. ELF_TLS_MAX_ALIGN (0 in the file reads 1) */
};

/*
 * A parsed image. Guaranteed by elf_parse() on ELF_OK:
 *   - 1 <= nsegments <= ELF_MAX_SEGMENTS, in program-header order;
 *   - each segment: filesz <= memsz, memsz > 0, offset + filesz <= image
 *     length, no arithmetic wraps, its page-rounded range
 *     [vaddr & ~(PAGE-1), roundup(vaddr + memsz)) lies in [win.lo, win.hi),
 *     vaddr == offset mod ELF_PAGE_SIZE, and prot is never WRITE|EXEC;
 *   - no two segments' page-rounded ranges intersect;
 *   - entry lies in [vaddr, vaddr + memsz) of a segment with ELF_PROT_EXEC;
 *   - if has_tls: filesz <= memsz <= ELF_TLS_MAX_MEMSZ, offset + filesz <=
 *     image length, align a power of two <= ELF_TLS_MAX_ALIGN.
 */
struct elf_image {
	uint64_t entry;
	uint32_t nsegments;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
	bool has_tls;
	struct elf_tls tls;
};

/* The user virtual range [lo, hi) the image must fit in, page-aligned; the
 * caller takes it from the address-space layout (include/capos/abi.h). */
struct elf_window {
	uint64_t lo;
	uint64_t hi;
};

/* Parse and check the image data[0 .. len) against the window. Returns
 * ELF_OK and fills *out, or a negative enum elf_err (the first problem
 * found; *out is then unspecified). Reads no byte outside the buffer and
 * does a bounded amount of work (at most ELF_MAX_PHDRS headers). */
enum elf_err elf_parse(const void *data, size_t len, const struct elf_window *win,
		       struct elf_image *out);

/* A short constant name for an error value ("ELF_ERR_LOAD_WX"), or
 * "ELF_ERR_UNKNOWN" for a value outside the enum. */
const char *elf_strerror(int err);
