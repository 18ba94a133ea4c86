/*
 * User address spaces: a PML4 whose upper half is the kernel's, whose lower
 * half maps frames the address space owns. User memory is only ever read
 * or written by the kernel through the HHDM after checking the user page
 * tables (uaccess below), so SMAP stays on and the kernel never touches a
 * user virtual address.
 *
 * Those checks go through a small translation cache per address space, a
 * software TLB: a buffer that decode checked and the invoke step then
 * copies costs one page walk, not one per pass. It is exact: an entry is
 * a present user PTE as the walk found it, and vm_flush, which every
 * change that removes a mapping or takes rights from it ends with (as the
 * hardware TLB requires), empties it. Adding a mapping needs no flush:
 * only present pages are cached.
 *
 * aspace_lock (single CPU, interrupts off for now) guards the tables and
 * the cache. With a second CPU, a TLB shootdown of a space must empty its
 * cache too: vm_flush is the one place for both.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VM_READ	 0x1
#define VM_WRITE 0x2
#define VM_EXEC	 0x4

struct vm_region;

#define VM_TLB_ENTRIES 8 /* cached user page translations per address space */

struct vm_tlb_entry {
	uint64_t tag; /* the user page's address | 1; 0: empty */
	uint64_t pte; /* its PTE (present, user) when the walk read it */
};

struct aspace {
	uint64_t root;		   /* physical address of the PML4 */
	uint64_t *pml4;		   /* the same, through the HHDM */
	uint64_t pages;		   /* user frames mapped by the loader */
	struct vm_region *regions; /* sorted: anonymous reservations and borrowed mappings */
	uint64_t reserved_pages;   /* pages of anonymous reservations */
	uint64_t committed_pages;  /* anonymous pages with a frame */
	uint64_t borrowed_pages;   /* pages mapped from MemoryObjects */
	struct vm_tlb_entry tlb[VM_TLB_ENTRIES]; /* indexed by page number mod VM_TLB_ENTRIES */
};

int vm_create(struct aspace *as);
/* Map a fresh zeroed frame at user page va with VM_* protection; returns
 * the frame's physical address, or 0 (nothing changed) when va is taken or
 * memory is short. */
uint64_t vm_map_new(struct aspace *as, uint64_t va, unsigned prot);
/* Free every user frame and page table, then the PML4; each borrowed
 * mapping's object and page count go to unmapped (its frames are not the
 * space's to free). */
void vm_destroy(struct aspace *as, void (*unmapped)(void *object, uint64_t pages));
void vm_activate(const struct aspace *as);
/* After user PTEs of as were cleared or lost rights: flush the CPU's TLB
 * if as is loaded, and always the translation cache. */
void vm_flush(struct aspace *as);
/* Page-table frames the space holds: its PML4 and every table under the
 * user half (the kernel half's tables are shared, not the space's). */
uint64_t vm_table_pages(const struct aspace *as);

/* Copies between kernel memory and user memory, checking every page is
 * present, user-accessible and (for writes) writable, and that the range
 * is in the user half. 0 or -1; nothing is copied when the check fails. */
/* 0 when every page of [uva, uva+len) is present, user and (write) writable. */
int vm_check(struct aspace *as, uint64_t uva, size_t len, bool write);
int copy_from_user(struct aspace *as, void *dst, uint64_t uva, size_t len);
int copy_to_user(struct aspace *as, uint64_t uva, const void *src, size_t len);
