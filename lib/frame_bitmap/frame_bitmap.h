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
/*@ requires nframes <= (1ULL << 52);
    assigns \nothing;
    ensures \result == (nframes + 63) / 64;
 */
static inline uint64_t fb_words(uint64_t nframes)
{
	return (nframes + 63) / 64;
}

/*@ // Frame f's bit, and frame f is in use: its bit is set.
    logic integer frame_bit{L}(uint64_t *bits, integer f) = (bits[f / 64] >> (f % 64)) & 1;
    predicate frame_used{L}(uint64_t *bits, integer f) = frame_bit(bits, f) != 0;

    // Free frames among the first n.
    logic integer free_upto{L}(uint64_t *bits, integer n) =
	n <= 0 ? 0 : free_upto(bits, n - 1) + (1 - frame_bit(bits, n - 1));

    // The bitmap's words are valid and apart from the header. (2^52 frames
    // of 4 KiB are all of a 64-bit address space: the bound only rules out
    // arithmetic overflow.)
    predicate fb_valid(struct frame_bitmap *fb) =
	\valid(fb) && fb->nframes <= (1ULL << 52) &&
	\valid(fb->bits + (0 .. (fb->nframes + 63) / 64 - 1)) &&
	\separated(fb, fb->bits + (0 .. (fb->nframes + 63) / 64 - 1));

    // The free count is the number of clear bits, and the hint is in range.
    predicate fb_ok(struct frame_bitmap *fb) =
	fb_valid(fb) && fb->nfree == free_upto(fb->bits, fb->nframes) && fb->hint <= fb->nframes;

    // Between L1 and L2 only frames in [lo, hi) may have changed.
    predicate frames_kept{L1, L2}(struct frame_bitmap *fb, integer lo, integer hi) =
	\forall integer f; 0 <= f < \at(fb->nframes, L1) && !(lo <= f < hi) ==>
	    (frame_used{L1}(\at(fb->bits, L1), f) <==> frame_used{L2}(\at(fb->bits, L1), f));
 */

/* Build: usable ranges become free (shrunk inward to whole frames), then
 * reserved ranges (grown outward to whole frames) are taken; frame 0 is
 * always reserved. bits must hold fb_words(nframes) words. */
/*@ requires \valid(fb) && nframes <= (1ULL << 52) && \valid(bits + (0 .. (nframes + 63) / 64 - 1));
    requires \separated(fb, bits + (0 .. (nframes + 63) / 64 - 1));
    requires \valid_read(usable + (0 .. nusable - 1)) && \valid_read(reserved + (0 .. nreserved -
   1)); requires \separated(bits + (0 .. (nframes + 63) / 64 - 1), usable + (0 .. nusable - 1),
			reserved + (0 .. nreserved - 1));
    requires \separated(fb, usable + (0 .. nusable - 1), reserved + (0 .. nreserved - 1));
    assigns *fb, bits[0 .. (nframes + 63) / 64 - 1];
    ensures fb_ok(fb) && fb->bits == bits && fb->nframes == nframes;
    ensures frame0: nframes > 0 ==> frame_used(bits, 0);
    ensures reserved: \forall integer i, f; 0 <= i < nreserved && 0 <= f < nframes &&
	reserved[i].base <= f * FRAME_SIZE + FRAME_SIZE - 1 &&
	f * FRAME_SIZE < reserved[i].base + reserved[i].len ==> frame_used(bits, f);
 */
void fb_build(struct frame_bitmap *fb, uint64_t *bits, uint64_t nframes,
	      const struct fb_range *usable, uint32_t nusable, const struct fb_range *reserved,
	      uint32_t nreserved);

/*@ requires fb_ok(fb) && \valid(frame) && \separated(frame, fb) &&
	     \separated(frame, fb->bits + (0 .. (fb->nframes + 63) / 64 - 1));
    assigns fb->bits[0 .. (fb->nframes + 63) / 64 - 1], fb->nfree, fb->hint, *frame;
    ensures fb_ok(fb);
    ensures \result == FB_OK ==> *frame < fb->nframes && frame_used(fb->bits, *frame);
    ensures \result == FB_OK ==> !frame_used{Pre}(\at(fb->bits, Pre), *frame);
    ensures \result == FB_OK ==> frames_kept{Pre, Post}(fb, *frame, *frame + 1);
    ensures \result != FB_OK ==> frames_kept{Pre, Post}(fb, 0, 0);
 */
int fb_alloc(struct frame_bitmap *fb, uint64_t *frame);
/* count contiguous frames, the first aligned to `align` frames (power of two). */
/*@ requires fb_ok(fb) && \valid(first) && \separated(first, fb) &&
	     \separated(first, fb->bits + (0 .. (fb->nframes + 63) / 64 - 1));
    assigns fb->bits[0 .. (fb->nframes + 63) / 64 - 1], fb->nfree, fb->hint, *first;
    ensures fb_ok(fb);
    ensures \result == FB_OK ==> *first + count <= fb->nframes &&
	(\forall integer f; *first <= f < *first + count ==>
	    !frame_used{Pre}(\at(fb->bits, Pre), f) && frame_used(fb->bits, f)) &&
	frames_kept{Pre, Post}(fb, *first, *first + count);
    ensures \result != FB_OK ==> frames_kept{Pre, Post}(fb, 0, 0);
 */
int fb_alloc_run(struct frame_bitmap *fb, uint64_t count, uint64_t align, uint64_t *first);
/*@ requires fb_ok(fb);
    assigns fb->bits[0 .. (fb->nframes + 63) / 64 - 1], fb->nfree;
    ensures fb_ok(fb);
    ensures \result == FB_OK ==> frame < fb->nframes && frame_used{Pre}(\at(fb->bits, Pre), frame)
   && !frame_used(fb->bits, frame) && frames_kept{Pre, Post}(fb, frame, frame + 1); ensures \result
   != FB_OK ==> frames_kept{Pre, Post}(fb, 0, 0);
 */
int fb_free(struct frame_bitmap *fb, uint64_t frame);
/*@ requires fb_valid(fb);
    assigns \nothing;
    ensures frame < fb->nframes ==> (\result != 0 <==> frame_used(fb->bits, frame));
 */
int fb_is_used(const struct frame_bitmap *fb, uint64_t frame);
