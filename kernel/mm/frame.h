/*
 * The kernel's physical frame allocator (lib/frame_bitmap over the boot
 * memory map). Frames are named by physical address; the kernel reaches
 * them through the HHDM.
 */
#pragma once

#include <stdint.h>

void frame_init(void);
/* A zeroed frame, or 0 when memory is exhausted. */
uint64_t frame_alloc(void);
/* count contiguous zeroed frames, or 0. */
uint64_t frame_alloc_run(uint64_t count);
void frame_free(uint64_t phys);
uint64_t frame_free_count(void);
/* End of the highest usable RAM region (the HHDM covers at least this). */
uint64_t frame_phys_top(void);
