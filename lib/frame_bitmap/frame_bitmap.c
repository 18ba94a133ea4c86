/*
 * lib/frame_bitmap — bitmap frame allocation. See frame_bitmap.h.
 */
#include "lib/frame_bitmap/frame_bitmap.h"

#include <stdbool.h>
#include <stddef.h>

static bool used(const struct frame_bitmap *fb, uint64_t f)
{
	return (fb->bits[f / 64] >> (f % 64)) & 1;
}

static void set_used(struct frame_bitmap *fb, uint64_t f, bool u)
{
	if (used(fb, f) == u)
		return;
	if (u) {
		fb->bits[f / 64] |= 1ULL << (f % 64);
		fb->nfree--;
	} else {
		fb->bits[f / 64] &= ~(1ULL << (f % 64));
		fb->nfree++;
	}
}

static void mark(struct frame_bitmap *fb, uint64_t first, uint64_t end, bool u)
{
	if (end > fb->nframes)
		end = fb->nframes;
	for (uint64_t f = first; f < end; f++)
		set_used(fb, f, u);
}

void fb_build(struct frame_bitmap *fb, uint64_t *bits, uint64_t nframes,
	      const struct fb_range *usable, uint32_t nusable, const struct fb_range *reserved,
	      uint32_t nreserved)
{
	*fb = (struct frame_bitmap){ .bits = bits, .nframes = nframes };
	for (uint64_t w = 0; w < fb_words(nframes); w++)
		bits[w] = ~0ULL;
	for (uint32_t i = 0; i < nusable; i++) {
		uint64_t lo = (usable[i].base + FRAME_SIZE - 1) / FRAME_SIZE;
		uint64_t end = usable[i].base + usable[i].len;
		if (end < usable[i].base)
			end = UINT64_MAX; /* wrapping range: clip at the top */
		mark(fb, lo, end / FRAME_SIZE, false);
	}
	for (uint32_t i = 0; i < nreserved; i++) {
		uint64_t end = reserved[i].base + reserved[i].len;
		if (end < reserved[i].base)
			end = UINT64_MAX;
		mark(fb, reserved[i].base / FRAME_SIZE, (end + FRAME_SIZE - 1) / FRAME_SIZE, true);
	}
	if (nframes)
		set_used(fb, 0, true);
}

int fb_alloc(struct frame_bitmap *fb, uint64_t *frame)
{
	return fb_alloc_run(fb, 1, 1, frame);
}

/* Is [f, f+count) free and inside the bitmap? */
static bool run_free(const struct frame_bitmap *fb, uint64_t f, uint64_t count)
{
	if (f + count > fb->nframes)
		return false;
	for (uint64_t i = 0; i < count; i++)
		if (used(fb, f + i))
			return false;
	return true;
}

int fb_alloc_run(struct frame_bitmap *fb, uint64_t count, uint64_t align, uint64_t *first)
{
	if (count == 0 || align == 0 || (align & (align - 1)) || count > fb->nframes)
		return FB_ERR_ARGUMENT;
	if (count > fb->nfree)
		return FB_ERR_NO_MEMORY;
	for (uint64_t pass = 0; pass < 2; pass++) {
		uint64_t start = pass == 0 ? fb->hint : 0,
			 stop = pass == 0 ? fb->nframes : fb->hint;
		for (uint64_t f = (start + align - 1) & ~(align - 1); f < stop; f += align) {
			if (count == 1 && fb->bits[f / 64] == ~0ULL && align == 1) {
				f = (f | 63); /* skip a full word */
				continue;
			}
			if (run_free(fb, f, count)) {
				mark(fb, f, f + count, true);
				fb->hint = f + count;
				*first = f;
				return FB_OK;
			}
		}
	}
	return FB_ERR_NO_MEMORY;
}

int fb_free(struct frame_bitmap *fb, uint64_t frame)
{
	if (frame >= fb->nframes)
		return FB_ERR_RANGE;
	if (!used(fb, frame))
		return FB_ERR_NOT_ALLOCATED;
	set_used(fb, frame, false);
	return FB_OK;
}

int fb_is_used(const struct frame_bitmap *fb, uint64_t frame)
{
	return frame >= fb->nframes || used(fb, frame);
}
