/*
 * Anonymous memory and borrowed mappings in a user address space: the page
 * work behind VirtualMemory and MemoryObject (kernel/mm/vmem.c). All
 * ranges are page-aligned, non-empty and inside [CAPOS_VM_BASE,
 * CAPOS_VM_TOP), so they can never touch the image, the stack, the ring or
 * the CapSet page. Every operation changes all pages of its range or none.
 * Ledger charges are the caller's business; these functions report the
 * page counts they change.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/mm/vm.h"

#define VM_PROT_NONE 0

enum vm_err {
	VM_OK = 0,
	VM_ERR_RANGE = -1,	  /* unaligned, empty, overflowing or outside the VM window */
	VM_ERR_NOT_RESERVED = -2, /* not wholly covered by this space's reservations */
	VM_ERR_NOT_BORROWED = -3, /* not wholly a mapping of this object */
	VM_ERR_NO_SPACE = -4,	  /* no free address range of that size */
	VM_ERR_NOMEM = -5,	  /* frames or page tables ran out */
	VM_ERR_PROT = -6,	  /* unknown bits, or writable and executable */
	VM_ERR_WX = -7, /* the object would be writable in one view, executable in another */
};

/*
 * A MemoryObject as the page work sees it: the identity its borrowed
 * regions name, and how many of its pages are mapped writable and how many
 * executable, counted per page over every address space. map, protect,
 * unmap and teardown keep both exact, and map and protect refuse a change
 * that would leave both non-zero: W^X holds per object, not only per
 * mapping, so no frame has a writable view and an executable view at once.
 * [A] every address space's lock (single CPU: interrupts off).
 */
struct vm_object {
	uint64_t writable;   /* borrowed pages mapped with vmProtWrite */
	uint64_t executable; /* borrowed pages mapped with vmProtExec */
};

/* A prot (vmProt* bits) is usable: known bits, never W+X. none_ok allows 0. */
int vm_prot_check(unsigned prot, bool none_ok);

int vm_reserve(struct aspace *as, uint64_t hint, uint64_t size, uint64_t *addr);
/* Pages of [addr, addr+size) with no frame yet (what commit would charge). */
int vm_uncommitted(struct aspace *as, uint64_t addr, uint64_t size, uint64_t *pages);
int vm_commit(struct aspace *as, uint64_t addr, uint64_t size, unsigned prot, uint64_t *added);
int vm_decommit(struct aspace *as, uint64_t addr, uint64_t size, uint64_t *freed);
int vm_protect(struct aspace *as, uint64_t addr, uint64_t size, unsigned prot);
/* Drop reservations (and their frames) in [addr, addr+size). */
int vm_release(struct aspace *as, uint64_t addr, uint64_t size, uint64_t *unreserved,
	       uint64_t *freed);

/* Map npages frames of object (starting at frames[0]) at a free range;
 * VM_ERR_WX if prot would give the object a writable and an executable
 * view. unmap and protect act only on pages that are mappings of object. */
int vm_map_borrowed(struct aspace *as, uint64_t hint, const uint64_t *frames, uint64_t npages,
		    unsigned prot, struct vm_object *object, uint64_t *addr);
int vm_unmap_borrowed(struct aspace *as, uint64_t addr, uint64_t size, struct vm_object *object,
		      uint64_t *pages);
int vm_protect_borrowed(struct aspace *as, uint64_t addr, uint64_t size, struct vm_object *object,
			unsigned prot);
const char *vm_strerror(int err);

/* For vm_destroy: take each borrowed region's pages out of its object's
 * W^X counts, hand the object (a struct vm_object *) and page count to
 * unmapped, and free the region list; whether a leaf entry's frame is the
 * space's own (to free) rather than borrowed. */
void vmem_teardown(struct aspace *as, void (*unmapped)(void *object, uint64_t pages));
bool vmem_pte_owned(uint64_t e);
