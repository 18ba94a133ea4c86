/*
 * lib/frame_bitmap — the physical frame allocator's core: one bit per 4 KiB
 * frame (1 = in use). Built from the memory map with everything not
 * usable marked used, then reserved ranges (frame 0, the kernel image, the
 * modules, the bitmap's own frames) taken out. Allocation is next-fit from
 * a hint; frees of frames that are not allocated are refused, never applied.
 *
 * Locking: the kernel's frame lock guards a bitmap. Pure; host-tested.
 */
#pragma once

#include <stdint.h>

#define FRAME_SIZE 4096ULL

enum fb_err {
	FB_OK = 0,
	FB_ERR_NO_MEMORY = -1,	   /* no free frame (run) */
	FB_ERR_RANGE = -2,	   /* frame beyond the bitmap */
	FB_ERR_NOT_ALLOCATED = -3, /* free of a free frame: a double free */
	FB_ERR_ARGUMENT = -4,
};

struct fb_range {
	uint64_t base, len; /* bytes */
};

struct frame_bitmap {
	uint64_t *bits; /* nframes bits, 1 = used */
	uint64_t nframes;
	uint64_t nfree;
	uint64_t hint; /* next-fit start */
};

/* Words of bitmap storage for nframes frames. */
static inline uint64_t fb_words(uint64_t nframes)
{
	return (nframes + 63) / 64;
}

/* Build: usable ranges become free (shrunk inward to whole frames), then
 * reserved ranges (grown outward to whole frames) are taken; frame 0 is
 * always reserved. bits must hold fb_words(nframes) words. */
void fb_build(struct frame_bitmap *fb, uint64_t *bits, uint64_t nframes,
	      const struct fb_range *usable, uint32_t nusable, const struct fb_range *reserved,
	      uint32_t nreserved);

int fb_alloc(struct frame_bitmap *fb, uint64_t *frame);
/* count contiguous frames, the first aligned to `align` frames (power of two). */
int fb_alloc_run(struct frame_bitmap *fb, uint64_t count, uint64_t align, uint64_t *first);
int fb_free(struct frame_bitmap *fb, uint64_t frame);
int fb_is_used(const struct frame_bitmap *fb, uint64_t frame);
