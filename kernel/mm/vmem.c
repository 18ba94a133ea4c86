/*
 * Anonymous reservations and borrowed MemoryObject mappings (vmem.h).
 *
 * An address space keeps a sorted list of regions in the VM window: each
 * an anonymous reservation or a borrowed mapping of one object. Page
 * state lives in the PTEs, marked with software bits: an anonymous page
 * is uncommitted (no entry), committed and present, or committed under
 * VM_PROT_NONE (frame kept, not present); a borrowed page is present and
 * never freed here — its frames belong to the object. Operations check the
 * whole range first, then change it; commit allocates every new frame
 * before it makes any page visible and gives them all back on failure.
 *
 * A borrowed page's PTE records its prot (PTE_W, PTE_SW_EXEC), and its
 * object counts its writable and executable pages across every space
 * (struct vm_object): map, protect, unmap and teardown adjust the counts
 * from the PTEs they change, after their checks and with no failure path
 * left, so the counts never drift from the page tables. Every operation
 * that clears a PTE or takes rights from it ends with vm_flush (the CPU's
 * TLB and the kernel's translation cache, vm.h).
 *
 * [A] the owning address space's lock (single CPU: interrupts off).
 */
#include "kernel/mm/vmem.h"

#include "include/capos/abi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/klog.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/vm.h"

#define PTE_SW_ANON	(1ULL << 9)  /* an anonymous page of a reservation */
#define PTE_SW_NONE	(1ULL << 10) /* committed under VM_PROT_NONE: frame kept, not present */
#define PTE_SW_BORROWED (1ULL << 11) /* a MemoryObject's frame, not ours to free */
#define PTE_SW_NEW	(1ULL << 52) /* committed by the operation in progress */
#define PTE_SW_EXEC	(1ULL << 53) /* a borrowed page mapped executable (with or without NX) */

#define PROT_READ  1u
#define PROT_WRITE 2u
#define PROT_EXEC  4u
#define PAGE	   CAPOS_PAGE_SIZE

enum region_kind {
	REGION_ANON,
	REGION_BORROWED
};

struct vm_region {
	struct vm_region *next;
	uint64_t start, end;
	enum region_kind kind;
	struct vm_object *object; /* REGION_BORROWED */
};

int vm_prot_check(unsigned prot, bool none_ok)
{
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return VM_ERR_PROT;
	if ((prot & PROT_WRITE) && (prot & PROT_EXEC))
		return VM_ERR_PROT; /* W^X everywhere */
	if (prot == VM_PROT_NONE && !none_ok)
		return VM_ERR_PROT;
	return VM_OK;
}

static int range_check(uint64_t addr, uint64_t size)
{
	if (size == 0 || (addr | size) & (PAGE - 1) || addr < CAPOS_VM_BASE ||
	    addr >= CAPOS_VM_TOP || size > CAPOS_VM_TOP - addr)
		return VM_ERR_RANGE;
	return VM_OK;
}

static uint64_t pte_flags(unsigned prot)
{
	uint64_t f = PTE_P | PTE_U;
	if (prot & PROT_WRITE)
		f |= PTE_W;
	if (!(prot & PROT_EXEC) && cpu.nx)
		f |= PTE_NX;
	return f;
}

static uint64_t *leaf(struct aspace *as, uint64_t va, bool create)
{
	return paging_walk(as->pml4, va, 0, create, PTE_U);
}

/* After entries of [start, end) were cleared: free the page tables left
 * empty (so mapping and unmapping across the window cannot pile up
 * tables no quota counts), then flush. */
static void clear_done(struct aspace *as, uint64_t start, uint64_t end)
{
	paging_prune(as->pml4, start, end);
	vm_flush(as);
}

/* Whether [addr, end) is wholly covered by regions of kind (and object). */
static bool covered(struct aspace *as, uint64_t addr, uint64_t end, enum region_kind kind,
		    struct vm_object *object)
{
	for (struct vm_region *r = as->regions; r && addr < end; r = r->next) {
		if (r->end <= addr)
			continue;
		if (r->start > addr || r->kind != kind ||
		    (kind == REGION_BORROWED && r->object != object))
			return false;
		addr = r->end;
	}
	return addr >= end;
}

static bool overlaps(struct aspace *as, uint64_t start, uint64_t end)
{
	for (struct vm_region *r = as->regions; r; r = r->next)
		if (r->start < end && start < r->end)
			return true;
	return false;
}

/* A free range of size bytes: hint if it is usable, else the first fit. */
static int find_free(struct aspace *as, uint64_t hint, uint64_t size, uint64_t *addr)
{
	if (hint && range_check(hint, size) == VM_OK && !overlaps(as, hint, hint + size)) {
		*addr = hint;
		return VM_OK;
	}
	uint64_t at = CAPOS_VM_BASE;
	for (struct vm_region *r = as->regions; r; r = r->next) {
		if (r->start >= at && r->start - at >= size)
			break;
		if (r->end > at)
			at = r->end;
	}
	if (at >= CAPOS_VM_TOP || CAPOS_VM_TOP - at < size)
		return VM_ERR_NO_SPACE;
	*addr = at;
	return VM_OK;
}

static int insert(struct aspace *as, uint64_t start, uint64_t end, enum region_kind kind,
		  struct vm_object *object)
{
	struct vm_region *n = kzalloc(sizeof(*n));
	if (n == NULL)
		return VM_ERR_NOMEM;
	*n = (struct vm_region){ NULL, start, end, kind, object };
	struct vm_region **pp = &as->regions;
	while (*pp && (*pp)->start < start)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
	return VM_OK;
}

/* Split the region containing va (strictly inside) into two. */
static int split_at(struct aspace *as, uint64_t va)
{
	for (struct vm_region *r = as->regions; r; r = r->next) {
		if (r->start < va && va < r->end) {
			struct vm_region *n = kzalloc(sizeof(*n));
			if (n == NULL)
				return VM_ERR_NOMEM;
			*n = *r;
			n->start = va;
			r->end = va;
			r->next = n;
			return VM_OK;
		}
	}
	return VM_OK;
}

/* Remove the regions inside [start, end) (after split_at of both ends). */
static void remove_regions(struct aspace *as, uint64_t start, uint64_t end)
{
	struct vm_region **pp = &as->regions, *r;
	while ((r = *pp) != NULL) {
		if (r->start >= start && r->end <= end) {
			*pp = r->next;
			kfree(r);
		} else {
			pp = &r->next;
		}
	}
}

/* Split both ends up front, so the later removal cannot fail. */
static int split_range(struct aspace *as, uint64_t start, uint64_t end)
{
	int err = split_at(as, start);
	return err != VM_OK ? err : split_at(as, end);
}

int vm_reserve(struct aspace *as, uint64_t hint, uint64_t size, uint64_t *addr)
{
	if (size == 0 || (size & (PAGE - 1)) || size > CAPOS_VM_TOP - CAPOS_VM_BASE)
		return VM_ERR_RANGE;
	int err = find_free(as, hint, size, addr);
	if (err == VM_OK && (err = insert(as, *addr, *addr + size, REGION_ANON, NULL)) == VM_OK)
		as->reserved_pages += size / PAGE;
	return err;
}

static bool committed(uint64_t e)
{
	return (e & PTE_SW_ANON) && (e & (PTE_P | PTE_SW_NONE));
}

int vm_uncommitted(struct aspace *as, uint64_t addr, uint64_t size, uint64_t *pages)
{
	int err = range_check(addr, size);
	if (err != VM_OK)
		return err;
	if (!covered(as, addr, addr + size, REGION_ANON, NULL))
		return VM_ERR_NOT_RESERVED;
	*pages = 0;
	for (uint64_t va = addr; va < addr + size; va += PAGE) {
		uint64_t *e = leaf(as, va, false);
		if (e == NULL || !committed(*e))
			(*pages)++;
	}
	return VM_OK;
}

static void commit_rollback(struct aspace *as, uint64_t addr, uint64_t upto)
{
	for (uint64_t va = addr; va < upto; va += PAGE) {
		uint64_t *e = leaf(as, va, false);
		if (e != NULL && (*e & PTE_SW_NEW)) {
			frame_free(*e & PTE_ADDR);
			*e = 0;
		}
	}
	clear_done(as, addr, upto + PAGE); /* and the tables made for upto, if any */
}

static void set_prot(uint64_t *e, unsigned prot)
{
	uint64_t frame = *e & PTE_ADDR;
	if (prot == VM_PROT_NONE)
		*e = frame | PTE_SW_ANON | PTE_SW_NONE;
	else
		*e = frame | PTE_SW_ANON | pte_flags(prot);
}

int vm_commit(struct aspace *as, uint64_t addr, uint64_t size, unsigned prot, uint64_t *added)
{
	uint64_t want;
	int err = vm_prot_check(prot, true);
	if (err == VM_OK)
		err = vm_uncommitted(as, addr, size, &want);
	if (err != VM_OK)
		return err;
	for (uint64_t va = addr; va < addr + size; va += PAGE) {
		uint64_t *e = leaf(as, va, true);
		uint64_t frame = 0;
		if (e != NULL && committed(*e))
			continue;
		if (e == NULL || (frame = frame_alloc()) == 0) {
			commit_rollback(as, addr, va);
			return VM_ERR_NOMEM;
		}
		*e = frame | PTE_SW_ANON | PTE_SW_NEW;
	}
	for (uint64_t va = addr; va < addr + size; va += PAGE)
		set_prot(leaf(as, va, false), prot);
	vm_flush(as);
	as->committed_pages += want;
	*added = want;
	return VM_OK;
}

int vm_decommit(struct aspace *as, uint64_t addr, uint64_t size, uint64_t *freed)
{
	uint64_t unused;
	int err = vm_uncommitted(as, addr, size, &unused);
	if (err != VM_OK)
		return err;
	*freed = 0;
	for (uint64_t va = addr; va < addr + size; va += PAGE) {
		uint64_t *e = leaf(as, va, false);
		if (e != NULL && committed(*e)) {
			frame_free(*e & PTE_ADDR);
			*e = 0;
			(*freed)++;
		}
	}
	clear_done(as, addr, addr + size);
	as->committed_pages -= *freed;
	return VM_OK;
}

int vm_protect(struct aspace *as, uint64_t addr, uint64_t size, unsigned prot)
{
	uint64_t unused;
	int err = vm_prot_check(prot, true);
	if (err == VM_OK)
		err = vm_uncommitted(as, addr, size, &unused);
	if (err != VM_OK)
		return err;
	for (uint64_t va = addr; va < addr + size; va += PAGE) {
		uint64_t *e = leaf(as, va, false);
		if (e != NULL && committed(*e))
			set_prot(e, prot);
	}
	vm_flush(as);
	return VM_OK;
}

int vm_release(struct aspace *as, uint64_t addr, uint64_t size, uint64_t *unreserved,
	       uint64_t *freed)
{
	uint64_t unused;
	int err = vm_uncommitted(as, addr, size, &unused);
	if (err == VM_OK)
		err = split_range(as, addr, addr + size);
	if (err != VM_OK)
		return err;
	vm_decommit(as, addr, size, freed);
	remove_regions(as, addr, addr + size);
	*unreserved = size / PAGE;
	as->reserved_pages -= *unreserved;
	return VM_OK;
}

static uint64_t borrowed_pte(uint64_t frame, unsigned prot)
{
	return frame | pte_flags(prot) | PTE_SW_BORROWED | (prot & PROT_EXEC ? PTE_SW_EXEC : 0);
}

struct wx {
	uint64_t w, x; /* writable pages, executable pages */
};

/* The writable and executable pages of [addr, end), all borrowed. */
static struct wx count_wx(struct aspace *as, uint64_t addr, uint64_t end)
{
	struct wx n = { 0, 0 };
	for (uint64_t va = addr; va < end; va += PAGE) {
		uint64_t e = *leaf(as, va, false);
		n.w += (e & PTE_W) != 0;
		n.x += (e & PTE_SW_EXEC) != 0;
	}
	return n;
}

/* Object o's counts once the pages counted in gone leave it and npages
 * arrive with prot; W^X holds when they are not both non-zero. */
static struct wx wx_after(const struct vm_object *o, struct wx gone, uint64_t npages, unsigned prot)
{
	if (gone.w > o->writable || gone.x > o->executable)
		kernel_halt_failure("vmem: an object's W^X counts fell below its mapped pages");
	return (struct wx){ o->writable - gone.w + (prot & PROT_WRITE ? npages : 0),
			    o->executable - gone.x + (prot & PROT_EXEC ? npages : 0) };
}

static void wx_set(struct vm_object *o, struct wx n)
{
	o->writable = n.w;
	o->executable = n.x;
}

int vm_map_borrowed(struct aspace *as, uint64_t hint, const uint64_t *frames, uint64_t npages,
		    unsigned prot, struct vm_object *object, uint64_t *addr)
{
	int err = vm_prot_check(prot, false);
	if (err == VM_OK && (npages == 0 || npages > (CAPOS_VM_TOP - CAPOS_VM_BASE) / PAGE))
		err = VM_ERR_RANGE;
	struct wx after = wx_after(object, (struct wx){ 0, 0 }, npages, prot);
	if (err == VM_OK && after.w != 0 && after.x != 0)
		err = VM_ERR_WX;
	if (err == VM_OK)
		err = find_free(as, hint, npages * PAGE, addr);
	if (err != VM_OK)
		return err;
	for (uint64_t i = 0; i < npages; i++) {
		uint64_t *e = leaf(as, *addr + i * PAGE, true);
		if (e == NULL) {
			for (uint64_t j = 0; j < i; j++)
				*leaf(as, *addr + j * PAGE, false) = 0;
			clear_done(as, *addr, *addr + (i + 1) * PAGE);
			return VM_ERR_NOMEM;
		}
		*e = borrowed_pte(frames[i], prot);
	}
	if ((err = insert(as, *addr, *addr + npages * PAGE, REGION_BORROWED, object)) != VM_OK) {
		for (uint64_t j = 0; j < npages; j++)
			*leaf(as, *addr + j * PAGE, false) = 0;
		clear_done(as, *addr, *addr + npages * PAGE);
		return err;
	}
	as->borrowed_pages += npages;
	wx_set(object, after);
	return VM_OK;
}

int vm_unmap_borrowed(struct aspace *as, uint64_t addr, uint64_t size, struct vm_object *object,
		      uint64_t *pages)
{
	int err = range_check(addr, size);
	if (err == VM_OK && !covered(as, addr, addr + size, REGION_BORROWED, object))
		err = VM_ERR_NOT_BORROWED;
	if (err == VM_OK)
		err = split_range(as, addr, addr + size);
	if (err != VM_OK)
		return err;
	wx_set(object, wx_after(object, count_wx(as, addr, addr + size), 0, 0));
	for (uint64_t va = addr; va < addr + size; va += PAGE)
		*leaf(as, va, false) = 0;
	clear_done(as, addr, addr + size);
	remove_regions(as, addr, addr + size);
	*pages = size / PAGE;
	as->borrowed_pages -= *pages;
	return VM_OK;
}

int vm_protect_borrowed(struct aspace *as, uint64_t addr, uint64_t size, struct vm_object *object,
			unsigned prot)
{
	int err = vm_prot_check(prot, false);
	if (err == VM_OK)
		err = range_check(addr, size);
	if (err == VM_OK && !covered(as, addr, addr + size, REGION_BORROWED, object))
		err = VM_ERR_NOT_BORROWED;
	if (err != VM_OK)
		return err;
	/* The range's own pages leave the counts before its new prot joins
	 * them: re-protecting the only writable view as executable is fine. */
	struct wx after = wx_after(object, count_wx(as, addr, addr + size), size / PAGE, prot);
	if (after.w != 0 && after.x != 0)
		return VM_ERR_WX;
	for (uint64_t va = addr; va < addr + size; va += PAGE) {
		uint64_t *e = leaf(as, va, false);
		*e = borrowed_pte(*e & PTE_ADDR, prot);
	}
	vm_flush(as);
	wx_set(object, after);
	return VM_OK;
}

/* Used by vm_destroy, while the page tables still stand: each borrowed
 * region leaves its object's W^X counts and goes to unmapped; then the
 * list goes. */
void vmem_teardown(struct aspace *as, void (*unmapped)(void *object, uint64_t pages))
{
	struct vm_region *r;
	while ((r = as->regions) != NULL) {
		as->regions = r->next;
		if (r->kind == REGION_BORROWED) {
			wx_set(r->object,
			       wx_after(r->object, count_wx(as, r->start, r->end), 0, 0));
			if (unmapped)
				unmapped(r->object, (r->end - r->start) / PAGE);
		}
		kfree(r);
	}
}

bool vmem_pte_owned(uint64_t e)
{
	return !(e & PTE_SW_BORROWED) && ((e & PTE_P) || (e & PTE_SW_NONE));
}

const char *vm_strerror(int err)
{
	switch (err) {
	case VM_OK:
		return "ok";
	case VM_ERR_RANGE:
		return "unaligned, empty or out-of-window range";
	case VM_ERR_NOT_RESERVED:
		return "range not covered by this space's reservations";
	case VM_ERR_NOT_BORROWED:
		return "range is not a mapping of this object";
	case VM_ERR_NO_SPACE:
		return "no free address range that large";
	case VM_ERR_NOMEM:
		return "out of memory";
	case VM_ERR_PROT:
		return "bad protection (unknown bits, or writable and executable)";
	case VM_ERR_WX:
		return "W^X: the object would be writable in one mapping and executable in another";
	default:
		return "unknown error";
	}
}
