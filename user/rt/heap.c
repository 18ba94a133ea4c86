/*
 * libcapos heap: lib/kheap (the same slab and page-run allocator the kernel
 * uses, with its double-free and overrun checks) over a static arena until
 * VirtualMemory exists. A heap error (a double free, an overrun, a pointer
 * the heap never returned) ends the process through capos_panic; running
 * out of memory is a NULL return.
 */
#include <stdint.h>

#include "lib/kheap/kheap.h"
#include "user/rt/capos.h"

#define ARENA_PAGES 256 /* 1 MiB */

static uint8_t arena[ARENA_PAGES * KHEAP_PAGE] __attribute__((aligned(KHEAP_PAGE)));
static uint8_t used[ARENA_PAGES];
static struct kheap heap;
static int ready;

static void *arena_alloc(void *ctx, size_t pages)
{
	(void)ctx;
	for (size_t i = 0; i + pages <= ARENA_PAGES; i++) {
		size_t n = 0;
		while (n < pages && !used[i + n])
			n++;
		if (n == pages) {
			for (n = 0; n < pages; n++)
				used[i + n] = 1;
			return arena + i * KHEAP_PAGE;
		}
		i += n;
	}
	return NULL;
}

static void arena_free(void *ctx, void *p, size_t pages)
{
	(void)ctx;
	size_t first = (size_t)((uint8_t *)p - arena) / KHEAP_PAGE;
	for (size_t i = 0; i < pages; i++)
		used[first + i] = 0;
}

static struct kheap *heap_get(void)
{
	if (!ready) {
		static const struct kheap_ops ops = { arena_alloc, arena_free, NULL };
		kheap_init(&heap, &ops);
		ready = 1;
	}
	return &heap;
}

void *capos_alloc(size_t size)
{
	return kheap_alloc(heap_get(), size);
}

void *capos_calloc(size_t n, size_t size)
{
	return kheap_calloc(heap_get(), n, size);
}

void *capos_aligned_alloc(size_t align, size_t size)
{
	return kheap_aligned_alloc(heap_get(), align, size);
}

void *capos_realloc(void *p, size_t size)
{
	int err;
	void *q = kheap_realloc(heap_get(), p, size, &err);
	if (err != KHEAP_OK && err != KHEAP_ERR_NO_MEMORY)
		capos_panic(kheap_strerror(err));
	return q;
}

void capos_free(void *p)
{
	int err = kheap_free(heap_get(), p);
	if (err != KHEAP_OK)
		capos_panic(kheap_strerror(err));
}
