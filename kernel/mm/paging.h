/*
 * Kernel page tables. paging_init() replaces the boot tables with a fresh
 * PML4: the kernel image mapped W^X by section (text RX, rodata R+NX,
 * data/bss RW+NX) with registered guard pages left unmapped, the HHDM of
 * all physical memory RW+NX supervisor-only, and no identity map. Every
 * later address space shares its kernel half.
 */
#pragma once

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
/* The flags of the leaf entry mapping va in the kernel tables, or 0. */
uint64_t paging_lookup(uint64_t va);
