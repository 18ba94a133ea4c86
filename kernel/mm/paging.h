/*
 * Kernel page tables. paging_init() replaces the boot tables with a fresh
 * PML4: the kernel image mapped W^X by section (text RX, rodata R+NX,
 * data/bss RW+NX) with registered guard pages left unmapped, the HHDM of
 * all physical memory RW+NX supervisor-only, and no identity map. Every
 * later address space shares its kernel half.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define PTE_P	 (1ULL << 0)
#define PTE_W	 (1ULL << 1)
#define PTE_U	 (1ULL << 2)
#define PTE_PWT	 (1ULL << 3)
#define PTE_PCD	 (1ULL << 4)
#define PTE_PS	 (1ULL << 7)
#define PTE_G	 (1ULL << 8)
#define PTE_NX	 (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

/* Leave the page at va unmapped (a stack guard); call before paging_init. */
void paging_add_guard(const void *va);
void paging_init(void);
/* Make the HHDM view of an MMIO page uncached. */
void paging_mmio(uint64_t phys);
/* The entry for va at `level` (3 = PML4 ... 0 = PT) under pml4, creating
 * missing tables (with table_flags added) when create is set; NULL when
 * absent, covered by a large page, or out of frames. */
uint64_t *paging_walk(uint64_t *pml4, uint64_t va, int level, bool create, uint64_t table_flags);
/* Free the page tables under pml4 that cover part of the user range
 * [start, end) and hold no entry at all any more (empty PTs first, then
 * the directories they leave empty). Tables shared with addresses outside
 * the range are freed only when empty too. The caller flushes the TLB
 * before the frames can be reused, i.e. before it returns to user mode. */
void paging_prune(uint64_t *pml4, uint64_t start, uint64_t end);
/* The kernel tables' 4 KiB leaf entry for va, tables created; NULL when
 * out of frames or under a large page. */
uint64_t *paging_kernel_walk(uint64_t va);
/* Give a new address space the kernel half (PML4 entries 256..511). */
void paging_share_kernel(uint64_t *pml4);
/* Physical address of the kernel PML4. */
uint64_t paging_kernel_root(void);
/* The flags of the leaf entry mapping va in the kernel tables, or 0. */
uint64_t paging_lookup(uint64_t va);
