/*
 * User address spaces and checked user copies. See vm.h.
 */
#include "kernel/mm/vm.h"

#include <string.h>

#include "include/capos/abi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/io.h"
#include "kernel/boot/boot.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/vmem.h"

int vm_create(struct aspace *as)
{
	uint64_t root = frame_alloc();
	if (root == 0)
		return -1;
	*as = (struct aspace){ .root = root, .pml4 = phys_to_virt(root) };
	paging_share_kernel(as->pml4);
	return 0;
}

uint64_t vm_map_new(struct aspace *as, uint64_t va, unsigned prot)
{
	if (va >= CAPOS_USER_TOP || (va & (CAPOS_PAGE_SIZE - 1)))
		return 0;
	uint64_t *pte = paging_walk(as->pml4, va, 0, true, PTE_U);
	if (pte == NULL || (*pte & PTE_P))
		return 0;
	uint64_t frame = frame_alloc();
	if (frame == 0)
		return 0;
	uint64_t flags = PTE_P | PTE_U;
	if (prot & VM_WRITE)
		flags |= PTE_W;
	if (!(prot & VM_EXEC) && cpu.nx)
		flags |= PTE_NX;
	*pte = frame | flags;
	as->pages++;
	return frame;
}

/* Free the tables and frames below `table` at `level` (user half only):
 * every table, and every leaf frame the space owns (present, or committed
 * under VM_PROT_NONE) but not the frames it borrows from MemoryObjects. */
static void free_level(uint64_t *table, int level, int limit)
{
	for (int i = 0; i < limit; i++) {
		uint64_t e = table[i];
		if (level > 0 && (e & PTE_P)) {
			free_level(phys_to_virt(e & PTE_ADDR), level - 1, 512);
			frame_free(e & PTE_ADDR);
		} else if (level == 0 && vmem_pte_owned(e)) {
			frame_free(e & PTE_ADDR);
		}
		table[i] = 0;
	}
}

void vm_destroy(struct aspace *as, void (*unmapped)(void *object, uint64_t pages))
{
	if (read_cr3() == as->root)
		write_cr3(paging_kernel_root());
	vmem_teardown(as, unmapped);
	free_level(as->pml4, 3, 256);
	frame_free(as->root);
	*as = (struct aspace){ 0 };
}

/* The tables that the entries of `table` (a level >= 1 table, user half
 * only) point to, and all the tables below them. */
static uint64_t count_tables(const uint64_t *table, int level, int limit)
{
	uint64_t n = 0;
	for (int i = 0; i < limit; i++) {
		if (!(table[i] & PTE_P))
			continue;
		n++;
		if (level > 1)
			n += count_tables(phys_to_virt(table[i] & PTE_ADDR), level - 1, 512);
	}
	return n;
}

uint64_t vm_table_pages(const struct aspace *as)
{
	return as->root ? 1 + count_tables(as->pml4, 3, 256) : 0;
}

void vm_activate(const struct aspace *as)
{
	if (read_cr3() != as->root)
		write_cr3(as->root);
}

void vm_flush(struct aspace *as)
{
	if (read_cr3() == as->root)
		write_cr3(as->root);
	memset(as->tlb, 0, sizeof(as->tlb));
}

/* The kernel (HHDM) address of user address va if its page allows `need`:
 * from the translation cache, or a page walk that fills it. */
static uint8_t *user_page(struct aspace *as, uint64_t va, uint64_t need)
{
	uint64_t page = va & ~(CAPOS_PAGE_SIZE - 1);
	struct vm_tlb_entry *t = &as->tlb[(va / CAPOS_PAGE_SIZE) % VM_TLB_ENTRIES];
	if (t->tag != (page | 1)) {
		uint64_t *pte = paging_walk(as->pml4, va, 0, false, 0);
		if (pte == NULL || (*pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
			return NULL;
		*t = (struct vm_tlb_entry){ page | 1, *pte };
	}
	if ((t->pte & need) != need)
		return NULL;
	return (uint8_t *)phys_to_virt(t->pte & PTE_ADDR) + (va & (CAPOS_PAGE_SIZE - 1));
}

/* Check the whole range first, so that a failed copy changes nothing. */
static int check_range(struct aspace *as, uint64_t uva, size_t len, uint64_t need)
{
	if (len == 0)
		return 0;
	if (uva >= CAPOS_USER_TOP || len > CAPOS_USER_TOP - uva)
		return -1;
	for (uint64_t page = uva & ~(CAPOS_PAGE_SIZE - 1); page < uva + len;
	     page += CAPOS_PAGE_SIZE)
		if (user_page(as, page, need) == NULL)
			return -1;
	return 0;
}

int copy_from_user(struct aspace *as, void *dst, uint64_t uva, size_t len)
{
	if (check_range(as, uva, len, 0) < 0)
		return -1;
	for (size_t done = 0; done < len;) {
		size_t in_page = CAPOS_PAGE_SIZE - ((uva + done) & (CAPOS_PAGE_SIZE - 1));
		size_t n = len - done < in_page ? len - done : in_page;
		memcpy((uint8_t *)dst + done, user_page(as, uva + done, 0), n);
		done += n;
	}
	return 0;
}

int copy_to_user(struct aspace *as, uint64_t uva, const void *src, size_t len)
{
	if (check_range(as, uva, len, PTE_W) < 0)
		return -1;
	for (size_t done = 0; done < len;) {
		size_t in_page = CAPOS_PAGE_SIZE - ((uva + done) & (CAPOS_PAGE_SIZE - 1));
		size_t n = len - done < in_page ? len - done : in_page;
		memcpy(user_page(as, uva + done, PTE_W), (const uint8_t *)src + done, n);
		done += n;
	}
	return 0;
}

int vm_check(struct aspace *as, uint64_t uva, size_t len, bool write)
{
	return check_range(as, uva, len, write ? PTE_W : 0);
}
