/*
 * Kernel page tables (see paging.h). Tables come from the frame allocator
 * and are reached through the HHDM. The HHDM uses 2 MiB pages, the kernel
 * image 4 KiB pages so each section gets its own permissions.
 */
#include "kernel/mm/paging.h"

#include <stdbool.h>

#include "include/capos/abi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/io.h"
#include "kernel/boot/boot.h"
#include "kernel/klog.h"
#include "kernel/mm/frame.h"

#define MAX_GUARDS 8
#define PAGE_2M	   (2ULL << 20)
#define CR4_PGE	   (1ULL << 7)

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];

static uint64_t *kernel_pml4;
static uint64_t nx; /* PTE_NX when the CPU has NX, else 0 (the bit would be reserved) */
static uint64_t guards[MAX_GUARDS];
static unsigned nguards;

void paging_add_guard(const void *va)
{
	if (nguards == MAX_GUARDS)
		kernel_halt_failure("paging: more than %d guard pages", MAX_GUARDS);
	guards[nguards++] = (uint64_t)va;
}

static bool is_guard(uint64_t va)
{
	for (unsigned i = 0; i < nguards; i++)
		if (guards[i] == va)
			return true;
	return false;
}

static uint64_t *table_at(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

uint64_t *paging_walk(uint64_t *pml4, uint64_t va, int level, bool create, uint64_t table_flags)
{
	uint64_t *table = pml4;
	for (int l = 3; l > level; l--) {
		uint64_t *e = &table[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			uint64_t phys = frame_alloc();
			if (phys == 0)
				return NULL;
			*e = phys | PTE_P | PTE_W | table_flags;
		} else if (*e & PTE_PS) {
			return NULL; /* a large page covers va */
		}
		table = table_at(*e);
	}
	return &table[(va >> (12 + 9 * level)) & 511];
}

/* Prune the tables below `table`, whose entries at `level` each span
 * 2^(12 + 9 * level) bytes from base; whether `table` is empty after. */
static bool prune(uint64_t *table, int level, uint64_t base, uint64_t start, uint64_t end)
{
	uint64_t span = 1ULL << (12 + 9 * level);
	bool empty = true;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t lo = base + i * span, e = table[i];
		if (level > 0 && lo < end && lo + span > start && (e & PTE_P) && !(e & PTE_PS) &&
		    prune(table_at(e), level - 1, lo, start, end)) {
			frame_free(e & PTE_ADDR);
			table[i] = e = 0;
		}
		empty &= e == 0;
	}
	return empty;
}

void paging_prune(uint64_t *pml4, uint64_t start, uint64_t end)
{
	if (start < end && end <= CAPOS_USER_TOP)
		prune(pml4, 3, 0, start, end); /* the PML4 itself always stays */
}

/* The kernel tables' entry for va at `level`, created as needed. */
static uint64_t *walk(uint64_t va, int level)
{
	uint64_t *e = paging_walk(kernel_pml4, va, level, true, 0);
	if (e == NULL)
		kernel_halt_failure("paging: out of frames for page tables");
	return e;
}

uint64_t *paging_kernel_walk(uint64_t va)
{
	return paging_walk(kernel_pml4, va, 0, true, 0);
}

void paging_share_kernel(uint64_t *pml4)
{
	for (int i = 256; i < 512; i++)
		pml4[i] = kernel_pml4[i];
}

uint64_t paging_kernel_root(void)
{
	return (uint64_t)kernel_pml4 - CAPOS_HHDM_BASE;
}

static void map_range(const char *start, const char *end, uint64_t flags)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += CAPOS_PAGE_SIZE) {
		if (is_guard(va))
			continue;
		*walk(va, 0) = (va - CAPOS_KERNEL_VMA) | PTE_P | PTE_G | flags;
	}
}

static uint64_t map_hhdm(void)
{
	uint64_t top = frame_phys_top();
	if (top < (4ULL << 30))
		top = 4ULL << 30; /* the low 4 GiB: firmware tables and the LAPIC */
	for (uint64_t pa = 0; pa < top; pa += PAGE_2M)
		*walk(CAPOS_HHDM_BASE + pa, 1) = pa | PTE_P | PTE_W | PTE_PS | PTE_G | nx;
	return top;
}

void paging_init(void)
{
	nx = cpu.nx ? PTE_NX : 0;
	uint64_t root = frame_alloc();
	if (root == 0)
		kernel_halt_failure("paging: no frame for the kernel PML4");
	kernel_pml4 = phys_to_virt(root);
	uint64_t top = map_hhdm();
	map_range(__text_start, __text_end, 0);
	map_range(__rodata_start, __rodata_end, nx);
	map_range(__data_start, __bss_end, PTE_W | nx);
	write_cr3(root);
	write_cr4(read_cr4() | CR4_PGE);
	kprintf("paging: kernel text RX, rodata R%s, data RW%s; HHDM %lu MiB%s; "
		"%u guard pages; identity map removed\n",
		nx ? "+NX" : "", nx ? "+NX" : "", top >> 20, nx ? " NX" : "", nguards);
}

void paging_mmio(uint64_t phys)
{
	uint64_t *e = walk(CAPOS_HHDM_BASE + (phys & ~(PAGE_2M - 1)), 1);
	*e |= PTE_PCD | PTE_PWT;
	__asm__ volatile("invlpg (%0)" : : "r"(phys_to_virt(phys)) : "memory");
}

uint64_t paging_lookup(uint64_t va)
{
	uint64_t *table = kernel_pml4;
	for (int l = 3; l >= 0; l--) {
		uint64_t e = table[(va >> (12 + 9 * l)) & 511];
		if (!(e & PTE_P))
			return 0;
		if (l == 0 || (e & PTE_PS))
			return e & ~PTE_ADDR;
		table = table_at(e);
	}
	return 0;
}
