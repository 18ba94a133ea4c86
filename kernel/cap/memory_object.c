/*
 * MemoryObject: frames that live while a cap holds them or an address space
 * maps them. Holds charge their holder frame_grant_pages by the object's
 * size (kernel/cap/object.c); each mapping charges its mapper by the pages
 * it maps until they are unmapped, so releasing the cap cannot leave the
 * backing pinned for free. The frames go back when the last hold is gone
 * and no page is mapped anywhere.
 *
 * map, unmap and protect act on the caller's own address space, inside the
 * VM window (kernel/mm/vmem.c): never the image, stack, ring or CapSet.
 * W^X holds per object: vmem counts the object's writable and executable
 * pages over every address space (struct vm_object) and refuses a map or
 * protect that would make it writable in one view and executable in
 * another, here or in any process it is shared with.
 */
#include "kernel/cap/memory_object.h"

#include <stddef.h>

#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "kernel/klog.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/vmem.h"
#include "kernel/proc/proc.h"

struct memory_object {
	struct kobj obj; /* refs: holds; weight: npages */
	uint64_t npages;
	uint64_t mapped; /* [S] pages mapped in any address space */
	bool dead;	 /* [S] no hold left: free once unmapped everywhere */
	bool contiguous;
	struct vm_object vm; /* [S] what vmem counts: writable and executable pages */
	uint64_t frames[];
};

static struct memory_object *of(struct kobj *o)
{
	return (struct memory_object *)o;
}

static void free_object(struct memory_object *m)
{
	for (uint64_t i = 0; i < m->npages; i++)
		frame_free(m->frames[i]);
	kfree(m);
}

static void mo_destroy(struct kobj *o)
{
	struct memory_object *m = of(o);
	if (m->mapped == 0)
		free_object(m);
	else
		m->dead = true; /* the last unmap frees it */
}

static void drop_mapped(struct memory_object *m, uint64_t pages)
{
	if (pages > m->mapped)
		kernel_halt_failure("memory object: more pages unmapped than mapped");
	m->mapped -= pages;
	if (m->mapped == 0 && (m->vm.writable != 0 || m->vm.executable != 0))
		kernel_halt_failure("memory object: W^X counts left with no page mapped");
	if (m->mapped == 0 && m->dead)
		free_object(m);
}

/* object is the struct vm_object vmem's regions name: &m->vm. */
void memory_object_unmapped(void *object, uint64_t pages)
{
	drop_mapped((struct memory_object *)((char *)object - offsetof(struct memory_object, vm)),
		    pages);
}

static int fail(struct capnp_exc *exc, enum capnp_exc_type t, const char *why)
{
	*exc = (struct capnp_exc){ t, why };
	return CAPNP_EXCEPTION;
}

static int vm_fail(struct capnp_exc *exc, int err)
{
	return fail(exc,
		    err == VM_ERR_NO_SPACE || err == VM_ERR_NOMEM ? CAPNP_EXC_OVERLOADED :
								    CAPNP_EXC_FAILED,
		    vm_strerror(err));
}

static int mo_info(void *self, const struct capos_MemoryObject_info_Params_r *p,
		   struct capos_MemoryObject_info_Results_b *r, struct capnp_exc *exc)
{
	struct memory_object *m = of(((struct call_ctx *)self)->obj);
	(void)p, (void)exc;
	capos_MemoryObject_info_Results_set_pageCount(r, (uint32_t)m->npages);
	capos_MemoryObject_info_Results_set_sizeBytes(r, m->npages * CAPOS_PAGE_SIZE);
	return CAPNP_OK;
}

static int mo_map(void *self, const struct capos_MemoryObject_map_Params_r *p,
		  struct capos_MemoryObject_map_Results_b *r, struct capnp_exc *exc)
{
	struct call_ctx *ctx = self;
	struct memory_object *m = of(ctx->obj);
	struct process *proc = ctx->proc;
	uint64_t offset = capos_MemoryObject_map_Params_get_offset(p);
	uint64_t size = capos_MemoryObject_map_Params_get_size(p);
	unsigned prot = capos_MemoryObject_map_Params_get_prot(p);
	uint64_t addr;

	if (size == 0 || (offset | size) & (CAPOS_PAGE_SIZE - 1) ||
	    offset > m->npages * CAPOS_PAGE_SIZE || size > m->npages * CAPOS_PAGE_SIZE - offset)
		return fail(exc, CAPNP_EXC_FAILED, "memoryObject: range outside the object");
	if (vm_prot_check(prot, false) != VM_OK)
		return fail(exc, CAPNP_EXC_FAILED, vm_strerror(VM_ERR_PROT));
	uint64_t pages = size / CAPOS_PAGE_SIZE;
	if (ledger_reserve(&proc->ledger, LEDGER_FRAME_GRANT_PAGES, pages) != LEDGER_OK)
		return fail(exc, CAPNP_EXC_OVERLOADED, "memoryObject: frame-grant quota exhausted");
	int err = vm_map_borrowed(&proc->as, capos_MemoryObject_map_Params_get_hint(p),
				  m->frames + offset / CAPOS_PAGE_SIZE, pages, prot, &m->vm, &addr);
	if (err != VM_OK) {
		ledger_release(&proc->ledger, LEDGER_FRAME_GRANT_PAGES, pages);
		return vm_fail(exc, err);
	}
	m->mapped += pages;
	capos_MemoryObject_map_Results_set_addr(r, addr);
	return CAPNP_OK;
}

static int mo_unmap(void *self, const struct capos_MemoryObject_unmap_Params_r *p,
		    struct capos_MemoryObject_unmap_Results_b *r, struct capnp_exc *exc)
{
	struct call_ctx *ctx = self;
	struct memory_object *m = of(ctx->obj);
	uint64_t pages;
	(void)r;
	int err = vm_unmap_borrowed(&ctx->proc->as, capos_MemoryObject_unmap_Params_get_addr(p),
				    capos_MemoryObject_unmap_Params_get_size(p), &m->vm, &pages);
	if (err != VM_OK)
		return vm_fail(exc, err);
	ledger_release(&ctx->proc->ledger, LEDGER_FRAME_GRANT_PAGES, pages);
	drop_mapped(m, pages); /* the caller's hold keeps m alive */
	return CAPNP_OK;
}

static int mo_protect(void *self, const struct capos_MemoryObject_protect_Params_r *p,
		      struct capos_MemoryObject_protect_Results_b *r, struct capnp_exc *exc)
{
	struct call_ctx *ctx = self;
	(void)r;
	int err = vm_protect_borrowed(&ctx->proc->as, capos_MemoryObject_protect_Params_get_addr(p),
				      capos_MemoryObject_protect_Params_get_size(p),
				      &of(ctx->obj)->vm,
				      capos_MemoryObject_protect_Params_get_prot(p));
	return err == VM_OK ? CAPNP_OK : vm_fail(exc, err);
}

static const struct capos_MemoryObject_server mo_server = {
	.info = mo_info,
	.map = mo_map,
	.unmap = mo_unmap,
	.protect = mo_protect,
};

static int mo_call(struct kobj *o, struct call_ctx *ctx, uint16_t method, struct capnp_msg *params,
		   struct capnp_builder *results, struct capnp_exc *exc)
{
	(void)o;
	return capos_MemoryObject_dispatch(&mo_server, ctx, method, params, results, exc);
}

static const struct kobj_ops mo_ops = { CAPOS_MEMORY_OBJECT_INTERFACE_ID, "MemoryObject", mo_call,
					mo_destroy };

struct kobj *memory_object_new(uint64_t npages, bool contiguous)
{
	struct memory_object *m = kzalloc(sizeof(*m) + npages * sizeof(m->frames[0]));
	if (m == NULL)
		return NULL;
	m->obj.ops = &mo_ops;
	m->obj.weight = npages;
	m->npages = npages;
	m->contiguous = contiguous;
	if (contiguous) {
		uint64_t base = frame_alloc_run(npages);
		if (base == 0) {
			kfree(m);
			return NULL;
		}
		for (uint64_t i = 0; i < npages; i++)
			m->frames[i] = base + i * CAPOS_PAGE_SIZE;
		return &m->obj;
	}
	for (uint64_t i = 0; i < npages; i++) {
		if ((m->frames[i] = frame_alloc()) == 0) {
			m->npages = i;
			free_object(m);
			return NULL;
		}
	}
	return &m->obj;
}
