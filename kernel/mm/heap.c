/*
 * Kernel heap glue: pages for lib/kheap come from the frame allocator and
 * are used through the HHDM. heap_lock guards the heap (taken before
 * frame_lock, per the lock order in kernel/lock.h). heap_init checks the heap on itself before
 * anything depends on it.
 */
#include "kernel/mm/heap.h"

#include <stdint.h>

#include "include/capos/abi.h"
#include "kernel/boot/boot.h"
#include "kernel/klog.h"
#include "kernel/lock.h"
#include "kernel/mm/frame.h"
#include "lib/kheap/kheap.h"

static struct kheap heap; /* [L:heap_lock] */
static struct spinlock heap_lock = SPINLOCK_INIT("heap_lock");

static void *pages_alloc(void *ctx, size_t pages)
{
	(void)ctx;
	uint64_t phys = frame_alloc_run(pages);
	return phys ? phys_to_virt(phys) : NULL;
}

static void pages_free(void *ctx, void *p, size_t pages)
{
	(void)ctx;
	uint64_t phys = (uint64_t)p - CAPOS_HHDM_BASE;
	for (size_t i = 0; i < pages; i++)
		frame_free(phys + i * CAPOS_PAGE_SIZE);
}

void heap_init(void)
{
	static const struct kheap_ops ops = { pages_alloc, pages_free, NULL };
	kheap_init(&heap, &ops);

	uint64_t before = frame_free_count();
	void *small = kmalloc(24), *large = kmalloc(3 * CAPOS_PAGE_SIZE);
	if (small == NULL || large == NULL)
		kernel_halt_failure("heap: self-check allocation failed");
	kfree(small);
	kfree(large);
	if (frame_free_count() != before)
		kernel_halt_failure("heap: self-check leaked %lu frames",
				    before - frame_free_count());
	kprintf("heap: slabs 32..2048 bytes, page runs above; canaries and double-free checks "
		"on\n");
}

void *kmalloc(size_t size)
{
	spin_lock(&heap_lock);
	void *p = kheap_alloc(&heap, size);
	spin_unlock(&heap_lock);
	return p;
}

void *kzalloc(size_t size)
{
	spin_lock(&heap_lock);
	void *p = kheap_zalloc(&heap, size);
	spin_unlock(&heap_lock);
	return p;
}

void kfree(void *p)
{
	spin_lock(&heap_lock);
	int err = kheap_free(&heap, p);
	spin_unlock(&heap_lock);
	if (err != KHEAP_OK)
		kernel_halt_failure("kfree(%p): %s", p, kheap_strerror(err));
}
