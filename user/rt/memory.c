/*
 * Typed clients of the memory capabilities: VirtualMemory (anonymous memory
 * of this process), FrameAllocator (frames as MemoryObject result caps) and
 * MemoryObject (map, unmap, protect, info). Each returns 0 or the failure
 * in *st (a transport error or the decoded exception).
 */
#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

struct call {
	uint64_t params[16];
	uint64_t result[32];
	struct capnp_builder b;
	struct capnp_seg segs[2];
	struct capnp_msg m;
	struct capnp_struct root;
	struct cap_cqe cqe;
};

/* Send c's params to method of cap; decode the results' root. */
static int32_t invoke(struct capos_rt *rt, struct call *c, uint32_t cap, uint16_t method,
		      struct capos_status *st)
{
	int32_t n =
		capos_call_cqe(rt, cap, method, c->params, (uint32_t)capnp_builder_finish(&c->b),
			       c->result, sizeof(c->result), &c->cqe);
	if (capos_status_of(n, c->result, sizeof(c->result), st) < 0)
		return st->err;
	if (capnp_msg_init(&c->m, c->result, (size_t)n, c->segs, 2, NULL) != CAPNP_OK ||
	    capnp_msg_root_struct(&c->m, &c->root) < 0)
		return capos_status_of(CAP_ERR_INVALID_REQUEST, NULL, 0, st);
	return 0;
}

#define BEGIN(iface, method, p)                               \
	struct call c;                                        \
	struct capos_##iface##_##method##_Params_b p;         \
	capnp_builder_init(&c.b, c.params, sizeof(c.params)); \
	capos_##iface##_##method##_request(&c.b, &p)

int32_t capos_vm_reserve(struct capos_rt *rt, uint32_t vm, uint64_t hint, uint64_t size,
			 uint64_t *addr, struct capos_status *st)
{
	BEGIN(VirtualMemory, reserve, p);
	capos_VirtualMemory_reserve_Params_set_hint(&p, hint);
	capos_VirtualMemory_reserve_Params_set_size(&p, size);
	if (invoke(rt, &c, vm, CAPOS_VIRTUAL_MEMORY_RESERVE, st) < 0)
		return st->err;
	struct capos_VirtualMemory_reserve_Results_r r = { c.root };
	*addr = capos_VirtualMemory_reserve_Results_get_addr(&r);
	return 0;
}

int32_t capos_vm_map(struct capos_rt *rt, uint32_t vm, uint64_t hint, uint64_t size, uint32_t prot,
		     uint64_t *addr, struct capos_status *st)
{
	BEGIN(VirtualMemory, map, p);
	capos_VirtualMemory_map_Params_set_hint(&p, hint);
	capos_VirtualMemory_map_Params_set_size(&p, size);
	capos_VirtualMemory_map_Params_set_prot(&p, prot);
	if (invoke(rt, &c, vm, CAPOS_VIRTUAL_MEMORY_MAP, st) < 0)
		return st->err;
	struct capos_VirtualMemory_map_Results_r r = { c.root };
	*addr = capos_VirtualMemory_map_Results_get_addr(&r);
	return 0;
}

int32_t capos_vm_commit(struct capos_rt *rt, uint32_t vm, uint64_t addr, uint64_t size,
			uint32_t prot, struct capos_status *st)
{
	BEGIN(VirtualMemory, commit, p);
	capos_VirtualMemory_commit_Params_set_addr(&p, addr);
	capos_VirtualMemory_commit_Params_set_size(&p, size);
	capos_VirtualMemory_commit_Params_set_prot(&p, prot);
	return invoke(rt, &c, vm, CAPOS_VIRTUAL_MEMORY_COMMIT, st);
}

int32_t capos_vm_decommit(struct capos_rt *rt, uint32_t vm, uint64_t addr, uint64_t size,
			  struct capos_status *st)
{
	BEGIN(VirtualMemory, decommit, p);
	capos_VirtualMemory_decommit_Params_set_addr(&p, addr);
	capos_VirtualMemory_decommit_Params_set_size(&p, size);
	return invoke(rt, &c, vm, CAPOS_VIRTUAL_MEMORY_DECOMMIT, st);
}

int32_t capos_vm_protect(struct capos_rt *rt, uint32_t vm, uint64_t addr, uint64_t size,
			 uint32_t prot, struct capos_status *st)
{
	BEGIN(VirtualMemory, protect, p);
	capos_VirtualMemory_protect_Params_set_addr(&p, addr);
	capos_VirtualMemory_protect_Params_set_size(&p, size);
	capos_VirtualMemory_protect_Params_set_prot(&p, prot);
	return invoke(rt, &c, vm, CAPOS_VIRTUAL_MEMORY_PROTECT, st);
}

int32_t capos_vm_unmap(struct capos_rt *rt, uint32_t vm, uint64_t addr, uint64_t size,
		       struct capos_status *st)
{
	BEGIN(VirtualMemory, unmap, p);
	capos_VirtualMemory_unmap_Params_set_addr(&p, addr);
	capos_VirtualMemory_unmap_Params_set_size(&p, size);
	return invoke(rt, &c, vm, CAPOS_VIRTUAL_MEMORY_UNMAP, st);
}

int32_t capos_frame_alloc(struct capos_rt *rt, uint32_t fa, uint32_t count, uint32_t *mo,
			  struct capos_status *st)
{
	int32_t err;
	struct call c;
	capnp_builder_init(&c.b, c.params, sizeof(c.params));
	if (count == 1) {
		struct capos_FrameAllocator_allocFrame_Params_b p;
		capos_FrameAllocator_allocFrame_request(&c.b, &p);
		err = invoke(rt, &c, fa, CAPOS_FRAME_ALLOCATOR_ALLOC_FRAME, st);
	} else {
		struct capos_FrameAllocator_allocContiguous_Params_b p;
		capos_FrameAllocator_allocContiguous_request(&c.b, &p);
		capos_FrameAllocator_allocContiguous_Params_set_count(&p, count);
		err = invoke(rt, &c, fa, CAPOS_FRAME_ALLOCATOR_ALLOC_CONTIGUOUS, st);
	}
	if (err < 0)
		return err;
	if (capos_adopt(c.result, &c.cqe, 0, CAPOS_MEMORY_OBJECT_INTERFACE_ID, mo) != 0)
		return capos_status_of(CAP_ERR_INVALID_REQUEST, NULL, 0, st);
	return 0;
}

int32_t capos_mo_info(struct capos_rt *rt, uint32_t mo, uint32_t *pages, struct capos_status *st)
{
	BEGIN(MemoryObject, info, p);
	(void)p;
	if (invoke(rt, &c, mo, CAPOS_MEMORY_OBJECT_INFO, st) < 0)
		return st->err;
	struct capos_MemoryObject_info_Results_r r = { c.root };
	*pages = capos_MemoryObject_info_Results_get_pageCount(&r);
	return 0;
}

int32_t capos_mo_map(struct capos_rt *rt, uint32_t mo, uint64_t hint, uint64_t offset,
		     uint64_t size, uint32_t prot, uint64_t *addr, struct capos_status *st)
{
	BEGIN(MemoryObject, map, p);
	capos_MemoryObject_map_Params_set_hint(&p, hint);
	capos_MemoryObject_map_Params_set_offset(&p, offset);
	capos_MemoryObject_map_Params_set_size(&p, size);
	capos_MemoryObject_map_Params_set_prot(&p, prot);
	if (invoke(rt, &c, mo, CAPOS_MEMORY_OBJECT_MAP, st) < 0)
		return st->err;
	struct capos_MemoryObject_map_Results_r r = { c.root };
	*addr = capos_MemoryObject_map_Results_get_addr(&r);
	return 0;
}

int32_t capos_mo_unmap(struct capos_rt *rt, uint32_t mo, uint64_t addr, uint64_t size,
		       struct capos_status *st)
{
	BEGIN(MemoryObject, unmap, p);
	capos_MemoryObject_unmap_Params_set_addr(&p, addr);
	capos_MemoryObject_unmap_Params_set_size(&p, size);
	return invoke(rt, &c, mo, CAPOS_MEMORY_OBJECT_UNMAP, st);
}

int32_t capos_mo_protect(struct capos_rt *rt, uint32_t mo, uint64_t addr, uint64_t size,
			 uint32_t prot, struct capos_status *st)
{
	BEGIN(MemoryObject, protect, p);
	capos_MemoryObject_protect_Params_set_addr(&p, addr);
	capos_MemoryObject_protect_Params_set_size(&p, size);
	capos_MemoryObject_protect_Params_set_prot(&p, prot);
	return invoke(rt, &c, mo, CAPOS_MEMORY_OBJECT_PROTECT, st);
}
