/*
 * VirtualMemory: anonymous memory of the caller's own address space
 * (kernel/mm/vmem.c does the page work). Reservations charge the
 * virtual-reservation quota, committed pages frame_grant_pages; the quota
 * is checked before anything changes, and a call that fails changes
 * nothing. The cap is non-transferable and always acts on the address
 * space of the process that holds it, so it is bound to one space by
 * construction and can never be a service export.
 */
#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "kernel/cap/object.h"
#include "kernel/mm/vmem.h"
#include "kernel/proc/proc.h"

static int vm_fail(struct capnp_exc *exc, int err)
{
	*exc = (struct capnp_exc){ err == VM_ERR_NO_SPACE || err == VM_ERR_NOMEM ?
					   CAPNP_EXC_OVERLOADED :
					   CAPNP_EXC_FAILED,
				   vm_strerror(err) };
	return CAPNP_EXCEPTION;
}

static int quota(struct capnp_exc *exc, const char *why)
{
	*exc = (struct capnp_exc){ CAPNP_EXC_OVERLOADED, why };
	return CAPNP_EXCEPTION;
}

static struct process *caller(void *self)
{
	return ((struct call_ctx *)self)->proc;
}

/* reserve, charging the virtual quota first. */
static int do_reserve(struct process *p, uint64_t hint, uint64_t size, uint64_t *addr,
		      struct capnp_exc *exc)
{
	uint64_t pages = size / CAPOS_PAGE_SIZE;
	if (size % CAPOS_PAGE_SIZE == 0 && size != 0 &&
	    ledger_reserve(&p->ledger, LEDGER_VIRT_PAGES, pages) != LEDGER_OK)
		return quota(exc, "virtualMemory: reservation quota exhausted");
	int err = vm_reserve(&p->as, hint, size, addr);
	if (err != VM_OK) {
		if (size % CAPOS_PAGE_SIZE == 0 && size != 0)
			ledger_release(&p->ledger, LEDGER_VIRT_PAGES, pages);
		return vm_fail(exc, err);
	}
	return CAPNP_OK;
}

/* commit, charging frame_grant_pages for the new pages first. */
static int do_commit(struct process *p, uint64_t addr, uint64_t size, unsigned prot,
		     struct capnp_exc *exc)
{
	uint64_t want, added;
	int err = vm_uncommitted(&p->as, addr, size, &want);
	if (err == VM_OK)
		err = vm_prot_check(prot, true);
	if (err != VM_OK)
		return vm_fail(exc, err);
	if (ledger_reserve(&p->ledger, LEDGER_FRAME_GRANT_PAGES, want) != LEDGER_OK)
		return quota(exc, "virtualMemory: frame-grant quota exhausted");
	if ((err = vm_commit(&p->as, addr, size, prot, &added)) != VM_OK) {
		ledger_release(&p->ledger, LEDGER_FRAME_GRANT_PAGES, want);
		return vm_fail(exc, err);
	}
	return CAPNP_OK;
}

static int vm_reserve_m(void *self, const struct capos_VirtualMemory_reserve_Params_r *p,
			struct capos_VirtualMemory_reserve_Results_b *r, struct capnp_exc *exc)
{
	uint64_t addr;
	int err = do_reserve(caller(self), capos_VirtualMemory_reserve_Params_get_hint(p),
			     capos_VirtualMemory_reserve_Params_get_size(p), &addr, exc);
	if (err == CAPNP_OK)
		capos_VirtualMemory_reserve_Results_set_addr(r, addr);
	return err;
}

static int vm_commit_m(void *self, const struct capos_VirtualMemory_commit_Params_r *p,
		       struct capos_VirtualMemory_commit_Results_b *r, struct capnp_exc *exc)
{
	(void)r;
	return do_commit(caller(self), capos_VirtualMemory_commit_Params_get_addr(p),
			 capos_VirtualMemory_commit_Params_get_size(p),
			 capos_VirtualMemory_commit_Params_get_prot(p), exc);
}

static int vm_decommit_m(void *self, const struct capos_VirtualMemory_decommit_Params_r *p,
			 struct capos_VirtualMemory_decommit_Results_b *r, struct capnp_exc *exc)
{
	struct process *proc = caller(self);
	uint64_t freed;
	(void)r;
	int err = vm_decommit(&proc->as, capos_VirtualMemory_decommit_Params_get_addr(p),
			      capos_VirtualMemory_decommit_Params_get_size(p), &freed);
	if (err != VM_OK)
		return vm_fail(exc, err);
	ledger_release(&proc->ledger, LEDGER_FRAME_GRANT_PAGES, freed);
	return CAPNP_OK;
}

static int vm_protect_m(void *self, const struct capos_VirtualMemory_protect_Params_r *p,
			struct capos_VirtualMemory_protect_Results_b *r, struct capnp_exc *exc)
{
	(void)r;
	int err = vm_protect(&caller(self)->as, capos_VirtualMemory_protect_Params_get_addr(p),
			     capos_VirtualMemory_protect_Params_get_size(p),
			     capos_VirtualMemory_protect_Params_get_prot(p));
	return err == VM_OK ? CAPNP_OK : vm_fail(exc, err);
}

static int vm_unmap_m(void *self, const struct capos_VirtualMemory_unmap_Params_r *p,
		      struct capos_VirtualMemory_unmap_Results_b *r, struct capnp_exc *exc)
{
	struct process *proc = caller(self);
	uint64_t unreserved, freed;
	(void)r;
	int err = vm_release(&proc->as, capos_VirtualMemory_unmap_Params_get_addr(p),
			     capos_VirtualMemory_unmap_Params_get_size(p), &unreserved, &freed);
	if (err != VM_OK)
		return vm_fail(exc, err);
	ledger_release(&proc->ledger, LEDGER_VIRT_PAGES, unreserved);
	ledger_release(&proc->ledger, LEDGER_FRAME_GRANT_PAGES, freed);
	return CAPNP_OK;
}

/* map = reserve + commit, undoing the reservation if the commit fails. */
static int vm_map_m(void *self, const struct capos_VirtualMemory_map_Params_r *p,
		    struct capos_VirtualMemory_map_Results_b *r, struct capnp_exc *exc)
{
	struct process *proc = caller(self);
	uint64_t size = capos_VirtualMemory_map_Params_get_size(p), addr, unreserved, freed;
	unsigned prot = capos_VirtualMemory_map_Params_get_prot(p);
	if (vm_prot_check(prot, true) != VM_OK)
		return vm_fail(exc, VM_ERR_PROT);
	int err = do_reserve(proc, capos_VirtualMemory_map_Params_get_hint(p), size, &addr, exc);
	if (err != CAPNP_OK)
		return err;
	if ((err = do_commit(proc, addr, size, prot, exc)) != CAPNP_OK) {
		vm_release(&proc->as, addr, size, &unreserved, &freed);
		ledger_release(&proc->ledger, LEDGER_VIRT_PAGES, unreserved);
		return err;
	}
	capos_VirtualMemory_map_Results_set_addr(r, addr);
	return CAPNP_OK;
}

static const struct capos_VirtualMemory_server server = {
	.map = vm_map_m,
	.unmap = vm_unmap_m,
	.protect = vm_protect_m,
	.reserve = vm_reserve_m,
	.commit = vm_commit_m,
	.decommit = vm_decommit_m,
};

static int vmem_call(struct kobj *o, struct call_ctx *ctx, uint16_t method,
		     struct capnp_msg *params, struct capnp_builder *results, struct capnp_exc *exc)
{
	(void)o;
	return capos_VirtualMemory_dispatch(&server, ctx, method, params, results, exc);
}

static const struct kobj_ops vmem_ops = { CAPOS_VIRTUAL_MEMORY_INTERFACE_ID, "VirtualMemory",
					  vmem_call, NULL };
struct kobj virtual_memory_obj = { &vmem_ops, 0, 0 };
