/*
 * libcapos heap: lib/kheap (the same slab and page-run allocator the kernel
 * uses, with its double-free and overrun checks). Its pages come from
 * VirtualMemory when the process holds one (the cap named "vm"): each run
 * is a VirtualMemory.map, and an emptied run goes back with unmap, so the
 * heap grows and shrinks with use and is charged to the process's own
 * quota. A process without VirtualMemory uses a static arena instead.
 * One lock makes it safe from every thread. A heap error (a double free,
 * an overrun, a pointer the heap never returned) ends the process through
 * capos_panic; running out of memory is a NULL return.
 */
#include <stdint.h>

#include "gen/capos.capnp.h"
#include "lib/kheap/kheap.h"
#include "user/rt/capos.h"
#include "user/rt/internal.h"

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

static uint32_t vm_cap;

static void *vm_alloc(void *ctx, size_t pages)
{
	struct capos_status st;
	uint64_t addr;
	(void)ctx;
	if (capos_vm_map(capos_rt_current(), vm_cap, 0, pages * KHEAP_PAGE,
			 CAPOS_PROT_READ | CAPOS_PROT_WRITE, &addr, &st) != 0)
		return NULL;
	return (void *)addr;
}

static void vm_free(void *ctx, void *p, size_t pages)
{
	struct capos_status st;
	(void)ctx;
	if (capos_vm_unmap(capos_rt_current(), vm_cap, (uint64_t)p, pages * KHEAP_PAGE, &st) != 0)
		capos_panic("heap: VirtualMemory.unmap of a heap run failed");
}

static uint32_t heap_lock;

static struct kheap *heap_get(void)
{
	while (__atomic_exchange_n(&heap_lock, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	if (!ready) {
		static const struct kheap_ops arena_ops = { arena_alloc, arena_free, NULL };
		static const struct kheap_ops vm_ops = { vm_alloc, vm_free, NULL };
		struct capos_rt *rt = capos_rt_current();
		bool vm = rt != NULL &&
			  capos_lookup(rt, "vm", CAPOS_VIRTUAL_MEMORY_INTERFACE_ID, &vm_cap) == 0;
		kheap_init(&heap, vm ? &vm_ops : &arena_ops);
		ready = 1;
	}
	return &heap;
}

static void heap_put(void)
{
	__atomic_store_n(&heap_lock, 0, __ATOMIC_RELEASE);
}

bool capos_heap_on_vm(void)
{
	heap_get();
	heap_put();
	return vm_cap != 0;
}

void *capos_alloc(size_t size)
{
	void *p = kheap_alloc(heap_get(), size);
	heap_put();
	return p;
}

void *capos_calloc(size_t n, size_t size)
{
	void *p = kheap_calloc(heap_get(), n, size);
	heap_put();
	return p;
}

void *capos_aligned_alloc(size_t align, size_t size)
{
	void *p = kheap_aligned_alloc(heap_get(), align, size);
	heap_put();
	return p;
}

void *capos_realloc(void *p, size_t size)
{
	int err;
	void *q = kheap_realloc(heap_get(), p, size, &err);
	heap_put();
	if (err != KHEAP_OK && err != KHEAP_ERR_NO_MEMORY)
		capos_panic(kheap_strerror(err));
	return q;
}

void capos_free(void *p)
{
	int err = kheap_free(heap_get(), p);
	heap_put();
	if (err != KHEAP_OK)
		capos_panic(kheap_strerror(err));
}
