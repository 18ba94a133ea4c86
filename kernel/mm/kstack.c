/*
 * Kernel stack slots. The region's page tables are built once at boot
 * (kstack_init), so allocating and freeing stacks later only touches
 * leaf entries and the frames behind them; the free-frame count after
 * every process exits is then exactly what it was before.
 */
#include "kernel/mm/kstack.h"

#include <stdbool.h>
#include <stdint.h>

#include "include/capos/abi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/klog.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/paging.h"
#include "kernel/proc/proc.h"

#define KSTACK_REGION 0xffffffffc0000000ULL /* the last GiB: kernel stacks */
#define KSTACK_PAGES  (KSTACK_SIZE / CAPOS_PAGE_SIZE)
#define KSTACK_SLOT   ((KSTACK_PAGES + 1) * CAPOS_PAGE_SIZE) /* guard + stack */

static bool slot_used[MAX_THREADS];

static uint64_t *leaf(uint64_t va)
{
	uint64_t *pte = paging_kernel_walk(va);
	if (pte == NULL)
		kernel_halt_failure("kstack: no page table for 0x%lx", va);
	return pte;
}

void kstack_init(void)
{
	for (unsigned i = 0; i < MAX_THREADS; i++)
		for (unsigned pg = 0; pg <= KSTACK_PAGES; pg++)
			(void)leaf(KSTACK_REGION + i * KSTACK_SLOT + pg * CAPOS_PAGE_SIZE);
	kprintf("kstack: %u slots of %u KiB with a guard page each\n", MAX_THREADS,
		KSTACK_SIZE / 1024);
}

static void unmap_stack(uint64_t base, unsigned mapped)
{
	for (unsigned pg = 0; pg < mapped; pg++) {
		uint64_t va = base + pg * CAPOS_PAGE_SIZE, *pte = leaf(va);
		frame_free(*pte & PTE_ADDR);
		*pte = 0;
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	}
}

void *kstack_alloc(void)
{
	unsigned i = 0;
	while (i < MAX_THREADS && slot_used[i])
		i++;
	if (i == MAX_THREADS)
		return NULL;
	uint64_t base = KSTACK_REGION + i * KSTACK_SLOT + CAPOS_PAGE_SIZE; /* above the guard */
	for (unsigned pg = 0; pg < KSTACK_PAGES; pg++) {
		uint64_t frame = frame_alloc();
		if (frame == 0) {
			unmap_stack(base, pg);
			return NULL;
		}
		*leaf(base + pg * CAPOS_PAGE_SIZE) =
			frame | PTE_P | PTE_W | PTE_G | (cpu.nx ? PTE_NX : 0);
	}
	slot_used[i] = true;
	return (void *)base;
}

void kstack_free(void *stack)
{
	uint64_t base = (uint64_t)stack;
	unsigned i = (unsigned)((base - CAPOS_PAGE_SIZE - KSTACK_REGION) / KSTACK_SLOT);
	if (stack == NULL)
		return;
	unmap_stack(base, KSTACK_PAGES);
	slot_used[i] = false;
}
