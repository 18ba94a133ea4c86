/*
 * Physical frames. The bitmap is placed in the first usable stretch above
 * the kernel image and the modules that can hold it; frame 0, the image,
 * the modules and the bitmap are reserved. frame_lock (single CPU for now:
 * the kernel runs with interrupts off) guards the bitmap.
 */
#include "kernel/mm/frame.h"

#include <stdbool.h>
#include <string.h>

#include "include/capos/abi.h"
#include "kernel/boot/boot.h"
#include "kernel/klog.h"
#include "kernel/lock.h"
#include "lib/frame_bitmap/frame_bitmap.h"

extern char __image_start[], __image_end[];

static struct frame_bitmap fb; /* [L:frame_lock] */
static struct spinlock frame_lock = SPINLOCK_INIT("frame_lock");
static uint64_t phys_top;

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* A free, page-aligned physical stretch of `bytes` for the bitmap. */
static uint64_t place_bitmap(uint64_t bytes, const struct fb_range *res, uint32_t nres)
{
	for (uint32_t i = 0; i < boot_info.nregions; i++) {
		const struct bootinfo_region *r = &boot_info.regions[i];
		if (r->type != BOOTINFO_USABLE)
			continue;
		for (uint64_t at = align_up(r->base < 0x100000 ? 0x100000 : r->base, FRAME_SIZE);
		     at + bytes <= r->base + r->len; at += FRAME_SIZE) {
			bool clash = false;
			for (uint32_t j = 0; j < nres && !clash; j++)
				clash = overlaps(at, bytes, res[j].base, res[j].len);
			if (!clash)
				return at;
		}
	}
	return 0;
}

void frame_init(void)
{
	struct fb_range usable[BOOTINFO_MAX_REGIONS], res[BOOTINFO_MAX_MODULES + 2];
	uint32_t nusable = 0, nres = 0;
	uint64_t usable_bytes = 0;

	for (uint32_t i = 0; i < boot_info.nregions; i++) {
		const struct bootinfo_region *r = &boot_info.regions[i];
		if (r->type == BOOTINFO_USABLE && r->base + r->len > phys_top)
			phys_top = r->base + r->len; /* reserved holes far above RAM don't count */
		if (r->type == BOOTINFO_USABLE) {
			usable[nusable++] = (struct fb_range){ r->base, r->len };
			usable_bytes += r->len;
		}
	}
	res[nres++] =
		(struct fb_range){ CAPOS_KERNEL_PHYS, (uint64_t)__image_end - CAPOS_KERNEL_PHYS };
	for (uint32_t i = 0; i < boot_info.nmodules && i < BOOTINFO_MAX_MODULES; i++)
		res[nres++] =
			(struct fb_range){ boot_info.modules[i].start,
					   boot_info.modules[i].end - boot_info.modules[i].start };
	uint64_t nframes = align_up(phys_top, FRAME_SIZE) / FRAME_SIZE;
	uint64_t bytes = align_up(fb_words(nframes) * 8, FRAME_SIZE);
	uint64_t at = place_bitmap(bytes, res, nres);
	if (at == 0)
		kernel_halt_failure("mem: no room for the frame bitmap (%lu bytes)", bytes);
	res[nres++] = (struct fb_range){ at, bytes };
	fb_build(&fb, phys_to_virt(at), nframes, usable, nusable, res, nres);
	kprintf("mem: %lu MiB usable, %lu frames free, bitmap %lu KiB at 0x%lx\n",
		usable_bytes >> 20, fb.nfree, bytes >> 10, at);
}

uint64_t frame_alloc(void)
{
	uint64_t f;
	spin_lock(&frame_lock);
	int err = fb_alloc(&fb, &f);
	spin_unlock(&frame_lock);
	if (err != FB_OK)
		return 0;
	memset(phys_to_virt(f * FRAME_SIZE), 0, FRAME_SIZE);
	return f * FRAME_SIZE;
}

uint64_t frame_alloc_run(uint64_t count)
{
	uint64_t f;
	spin_lock(&frame_lock);
	int err = fb_alloc_run(&fb, count, 1, &f);
	spin_unlock(&frame_lock);
	if (err != FB_OK)
		return 0;
	memset(phys_to_virt(f * FRAME_SIZE), 0, count * FRAME_SIZE);
	return f * FRAME_SIZE;
}

void frame_free(uint64_t phys)
{
	spin_lock(&frame_lock);
	int err = fb_free(&fb, phys / FRAME_SIZE);
	spin_unlock(&frame_lock);
	if (err != FB_OK)
		kernel_halt_failure("frame_free: 0x%lx is not an allocated frame (%d)", phys, err);
}

uint64_t frame_free_count(void)
{
	return fb.nfree;
}

uint64_t frame_phys_top(void)
{
	return phys_top;
}
