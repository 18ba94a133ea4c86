/*
 * lib/frame_bitmap — bitmap frame allocation. See frame_bitmap.h.
 */
#include "lib/frame_bitmap/frame_bitmap.h"

#include <stdbool.h>
#include <stddef.h>

/*@ requires fb_valid(fb) && f < fb->nframes;
    assigns \nothing;
    ensures \result <==> frame_used(fb->bits, f);
 */
static bool used(const struct frame_bitmap *fb, uint64_t f)
{
	return (fb->bits[f / 64] >> (f % 64)) & 1;
}

/* Word w with bit k set or cleared, every other bit as it was. */
/*@ requires 0 <= k < 64;
    assigns \nothing;
    ensures ((\result >> k) & 1) == (u ? 1 : 0);
    ensures \forall integer j; 0 <= j < 64 && j != k ==> ((\result >> j) & 1) == ((w >> j) & 1);
 */
static uint64_t bit_put(uint64_t w, uint64_t k, bool u)
{
	return u ? w | (1ULL << k) : w & ~(1ULL << k);
}

/*@ requires fb_ok(fb) && f < fb->nframes;
    assigns fb->bits[f / 64], fb->nfree;
    ensures fb_ok(fb) && (frame_used(fb->bits, f) <==> u) && frames_kept{Pre, Post}(fb, f, f + 1);
 */
static void set_used(struct frame_bitmap *fb, uint64_t f, bool u)
{
	if (used(fb, f) == u)
		return;
	fb->bits[f / 64] = bit_put(fb->bits[f / 64], f % 64, u);
	if (u)
		fb->nfree--;
	else
		fb->nfree++;
	/* The free count moved by one because exactly one bit flipped. */
	//@ assert flipped: frame_bit{Pre}(fb->bits, f) == (u ? 0 : 1);
	//@ assert flipped_now: frame_bit(fb->bits, f) == (u ? 1 : 0);
	/*@ assert others: \forall integer g; 0 <= g < fb->nframes && g != f ==>
		frame_bit(fb->bits, g) == frame_bit{Pre}(fb->bits, g);
	 */
	/*@ ghost
	  uint64_t i = 0;
	  /@ loop invariant 0 <= i <= fb->nframes;
	     loop invariant 0 <= free_upto{Pre}(fb->bits, i) <= i;
	     loop invariant 0 <= free_upto(fb->bits, i) <= i;
	     loop invariant free_upto(fb->bits, i) == free_upto{Pre}(fb->bits, i) +
		(i <= f ? 0 : (u ? -1 : 1));
	     loop assigns i;
	     loop variant fb->nframes - i;
	   @/
	  while (i < fb->nframes)
	    i++;
	*/
}

/*@ requires fb_ok(fb);
    assigns fb->bits[0 .. (fb->nframes + 63) / 64 - 1], fb->nfree;
    ensures fb_ok(fb) && frames_kept{Pre, Post}(fb, first, end);
    ensures \forall integer g; first <= g < end && g < fb->nframes ==>
	(frame_used(fb->bits, g) <==> u);
 */
static void mark(struct frame_bitmap *fb, uint64_t first, uint64_t end, bool u)
{
	if (end > fb->nframes)
		end = fb->nframes;
	/*@ loop invariant fb_ok(fb) && frames_kept{Pre, Here}(fb, first, f);
	    loop invariant fb->bits == \at(fb->bits, Pre) && fb->nframes == \at(fb->nframes, Pre);
	    loop invariant first <= f <= end || f == first;
	    loop invariant \forall integer g; first <= g < f && g < end ==>
		(frame_used(fb->bits, g) <==> u);
	    loop assigns f, fb->nfree,
		\at(fb->bits, Pre)[0 .. (\at(fb->nframes, Pre) + 63) / 64 - 1];
	    loop variant end - f;
	 */
	for (uint64_t f = first; f < end; f++)
		set_used(fb, f, u);
}

void fb_build(struct frame_bitmap *fb, uint64_t *bits, uint64_t nframes,
	      const struct fb_range *usable, uint32_t nusable, const struct fb_range *reserved,
	      uint32_t nreserved)
{
	/* All free first, then all in use through mark(): the same bitmap as
	 * filling the words with ones, but with the count kept step by step. */
	*fb = (struct frame_bitmap){ .bits = bits, .nframes = nframes, .nfree = nframes };
	/*@ loop invariant 0 <= w <= (nframes + 63) / 64;
	    loop invariant \forall integer v; 0 <= v < w ==> bits[v] == 0;
	    loop assigns w, bits[0 .. (nframes + 63) / 64 - 1];
	    loop variant (nframes + 63) / 64 - w;
	 */
	for (uint64_t w = 0; w < fb_words(nframes); w++)
		bits[w] = 0;
	/*@ ghost
	  uint64_t g = 0;
	  /@ loop invariant 0 <= g <= nframes && free_upto(bits, g) == g;
	     loop assigns g;
	     loop variant nframes - g;
	   @/
	  while (g < nframes) {
	    /@ assert frame_bit(bits, g) == 0; @/
	    g++;
	  }
	*/
	mark(fb, 0, nframes, true);
	/*@ loop invariant 0 <= i <= nusable && fb_ok(fb) && fb->bits == bits &&
		fb->nframes == nframes;
	    loop assigns i, bits[0 .. (nframes + 63) / 64 - 1], fb->nfree;
	    loop variant nusable - i;
	 */
	for (uint32_t i = 0; i < nusable; i++) {
		uint64_t lo = (usable[i].base + FRAME_SIZE - 1) / FRAME_SIZE;
		uint64_t end = usable[i].base + usable[i].len;
		if (end < usable[i].base)
			end = UINT64_MAX; /* wrapping range: clip at the top */
		mark(fb, lo, end / FRAME_SIZE, false);
	}
	/* Frame 0 is never handed out (a null physical address). Reserved
	 * ranges only add used frames, so marking it first is the same. */
	if (nframes)
		set_used(fb, 0, true);
	/*@ loop invariant 0 <= i <= nreserved && fb_ok(fb) && fb->bits == bits &&
		fb->nframes == nframes;
	    loop invariant nframes > 0 ==> frame_used(bits, 0);
	    loop invariant \forall integer j, f; 0 <= j < i && 0 <= f < nframes &&
		reserved[j].base <= f * FRAME_SIZE + FRAME_SIZE - 1 &&
		f * FRAME_SIZE < reserved[j].base + reserved[j].len ==> frame_used(bits, f);
	    loop assigns i, bits[0 .. (nframes + 63) / 64 - 1], fb->nfree;
	    loop variant nreserved - i;
	 */
	for (uint32_t i = 0; i < nreserved; i++) {
		/* The end, clipped at the top of the address space. */
		uint64_t end = reserved[i].len > UINT64_MAX - reserved[i].base ?
				       UINT64_MAX :
				       reserved[i].base + reserved[i].len;
		/* Rounded up without overflowing at the top of the address space. */
		uint64_t lo = reserved[i].base / FRAME_SIZE;
		uint64_t hi = end / FRAME_SIZE + (end % FRAME_SIZE != 0);
		/*@ assert \forall integer f; 0 <= f && reserved[i].base <= f * FRAME_SIZE +
		   FRAME_SIZE - 1
			==> lo <= f;
		 */
		//@ assert whole: end == UINT64_MAX || end == reserved[i].base + reserved[i].len;
		//@ assert ceil: hi * FRAME_SIZE >= end;
		/*@ assert \forall integer f; 0 <= f < nframes &&
			f * FRAME_SIZE < reserved[i].base + reserved[i].len ==> f < hi;
		 */
		mark(fb, lo, hi, true);
		/*@ assert grows: \forall integer f; 0 <= f < nframes ==>
			(frame_used{LoopCurrent}(bits, f) || lo <= f < hi) ==> frame_used(bits, f);
		 */
		/*@ assert same: \forall integer j; 0 <= j < nreserved ==>
			reserved[j].base == \at(reserved[j].base, LoopCurrent) &&
			reserved[j].len == \at(reserved[j].len, LoopCurrent);
		 */
		/*@ assert this_range: \forall integer f; 0 <= f < nframes &&
			reserved[i].base <= f * FRAME_SIZE + FRAME_SIZE - 1 &&
			f * FRAME_SIZE < reserved[i].base + reserved[i].len ==> frame_used(bits, f);
		 */
	}
}

int fb_alloc(struct frame_bitmap *fb, uint64_t *frame)
{
	return fb_alloc_run(fb, 1, 1, frame);
}

/* Is [f, f+count) free and inside the bitmap? */
/*@ requires fb_valid(fb) && f <= fb->nframes && count <= fb->nframes;
    assigns \nothing;
    ensures \result ==> f + count <= fb->nframes &&
	\forall integer g; f <= g < f + count ==> !frame_used(fb->bits, g);
 */
static bool run_free(const struct frame_bitmap *fb, uint64_t f, uint64_t count)
{
	if (f + count > fb->nframes)
		return false;
	/*@ loop invariant 0 <= i <= count;
	    loop invariant \forall integer g; f <= g < f + i ==> !frame_used(fb->bits, g);
	    loop assigns i;
	    loop variant count - i;
	 */
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
	/* Nothing changes until a run is found: termination is not proved. */
	/*@ loop invariant 0 <= pass <= 2;
	    loop assigns pass;
	 */
	for (uint64_t pass = 0; pass < 2; pass++) {
		uint64_t start = pass == 0 ? fb->hint : 0,
			 stop = pass == 0 ? fb->nframes : fb->hint;
		/*@ loop invariant stop <= fb->nframes;
		    loop assigns f;
		 */
		for (uint64_t f = (start + align - 1) & ~(align - 1); f < stop; f += align) {
			if (count == 1 && fb->bits[f / 64] == ~0ULL && align == 1) {
				f = (f | 63); /* skip a full word */
				continue;
			}
			if (run_free(fb, f, count)) {
				*first = f;
				fb->hint = f + count;
				/* Those two writes left every bit, so the count, as it was. */
				/*@ ghost
				  uint64_t i = 0;
				  /@ loop invariant 0 <= i <= fb->nframes;
				     loop invariant free_upto(fb->bits, i) ==
					free_upto{Pre}(fb->bits, i);
				     loop assigns i;
				     loop variant fb->nframes - i;
				   @/
				  while (i < fb->nframes)
				    i++;
				*/
				mark(fb, f, f + count, true);
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
