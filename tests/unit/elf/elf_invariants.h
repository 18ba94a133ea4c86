/*
 * The documented guarantees of a successful elf_parse() (lib/elf/elf.h,
 * struct elf_image), checked independently of the parser's own code. Used
 * by the unit tests on every accepted image and by the fuzz target
 * (tests/fuzz/elf.c), which aborts when one is violated.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/elf/elf.h"

/* Page range of a segment in 128-bit arithmetic, so the check cannot share
 * an overflow mistake with the parser. */
static inline void inv_pages(const struct elf_segment *s, unsigned __int128 *lo,
			     unsigned __int128 *hi)
{
	unsigned __int128 end = (unsigned __int128)s->vaddr + s->memsz;

	*lo = s->vaddr - s->vaddr % ELF_PAGE_SIZE;
	*hi = (end + ELF_PAGE_SIZE - 1) / ELF_PAGE_SIZE * ELF_PAGE_SIZE;
}

static inline const char *inv_segment(const struct elf_segment *s, size_t len,
				      const struct elf_window *win)
{
	unsigned __int128 lo, hi;

	if (s->memsz == 0)
		return "segment is empty";
	if (s->filesz > s->memsz)
		return "segment filesz > memsz";
	if ((unsigned __int128)s->offset + s->filesz > len)
		return "segment file range outside the image";
	if ((unsigned __int128)s->vaddr + s->memsz > UINT64_MAX)
		return "segment wraps";
	inv_pages(s, &lo, &hi);
	if (lo < win->lo || hi > win->hi)
		return "segment outside the window";
	if ((s->vaddr - s->offset) % ELF_PAGE_SIZE != 0)
		return "segment vaddr and offset not congruent mod page";
	if ((s->prot & ELF_PROT_WRITE) && (s->prot & ELF_PROT_EXEC))
		return "segment is writable and executable";
	if (s->prot & ~(ELF_PROT_READ | ELF_PROT_WRITE | ELF_PROT_EXEC))
		return "segment has unknown prot bits";
	return NULL;
}

static inline const char *inv_tls(const struct elf_tls *tls, size_t len)
{
	if (tls->filesz > tls->memsz)
		return "TLS filesz > memsz";
	if (tls->memsz > ELF_TLS_MAX_MEMSZ)
		return "TLS memsz above the limit";
	if ((unsigned __int128)tls->offset + tls->filesz > len)
		return "TLS template outside the image";
	if (tls->align == 0 || (tls->align & (tls->align - 1)) != 0 ||
	    tls->align > ELF_TLS_MAX_ALIGN)
		return "TLS alignment not a power of two within the limit";
	return NULL;
}

static inline bool inv_entry_ok(const struct elf_image *img)
{
	for (uint32_t i = 0; i < img->nsegments; i++) {
		const struct elf_segment *s = &img->segments[i];

		if ((s->prot & ELF_PROT_EXEC) && img->entry >= s->vaddr &&
		    (unsigned __int128)img->entry < (unsigned __int128)s->vaddr + s->memsz)
			return true;
	}
	return false;
}

static inline bool inv_disjoint(const struct elf_image *img)
{
	for (uint32_t i = 0; i < img->nsegments; i++) {
		for (uint32_t j = i + 1; j < img->nsegments; j++) {
			unsigned __int128 alo, ahi, blo, bhi;

			inv_pages(&img->segments[i], &alo, &ahi);
			inv_pages(&img->segments[j], &blo, &bhi);
			if (alo < bhi && blo < ahi)
				return false;
		}
	}
	return true;
}

/* NULL if every guarantee holds, else a description of the first broken one. */
static inline const char *elf_image_violation(const struct elf_image *img, size_t len,
					      const struct elf_window *win)
{
	const char *why;

	if (img->nsegments == 0 || img->nsegments > ELF_MAX_SEGMENTS)
		return "segment count out of range";
	for (uint32_t i = 0; i < img->nsegments; i++) {
		why = inv_segment(&img->segments[i], len, win);
		if (why != NULL)
			return why;
	}
	if (!inv_disjoint(img))
		return "segments share a page";
	if (!inv_entry_ok(img))
		return "entry not in an executable segment";
	if (img->has_tls && (why = inv_tls(&img->tls, len)) != NULL)
		return why;
	return NULL;
}
