/*
 * memory-check: VirtualMemory and FrameAllocator from a holder's side.
 *   virtual memory: reserve, commit, write, decommit gives zeroed pages,
 *     VM_PROT_NONE keeps frames and data, protect back reads them, release;
 *   quotas: a commit beyond frame_grant_pages and a reservation beyond the
 *     virtual quota are `overloaded` with nothing changed;
 *   hostile: the ring and CapSet pages, W+X, unaligned, empty, huge and
 *     out-of-reservation ranges are refused;
 *   frames: allocFrame and allocContiguous give MemoryObjects (never
 *     addresses) that map, read back and unmap; their limits are refused;
 *     a MemoryObject cannot unmap or protect pages it does not own, nor
 *     map past its end; released objects give their frames back (the
 *     kernel's exit checks prove the ledgers and frame count);
 *   W^X per object: one MemoryObject is never writable in one mapping and
 *     executable in another — map and protect are refused either way
 *     round, and allowed again once the other views are gone;
 *   stale buffers: a result buffer used once, then decommitted or made
 *     read-only (by another CALL, or by the very CALL it is for), is
 *     refused, never written through an old translation.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "user/rt/capos.h"
#include "user/demos/check.h"

#define PAGE  4096ull
#define RW    (CAPOS_PROT_READ | CAPOS_PROT_WRITE)
#define RX    (CAPOS_PROT_READ | CAPOS_PROT_EXEC)
#define RO    CAPOS_PROT_READ
#define FAILD CAPOS_CAP_EXCEPTION_TYPE_FAILED
#define OVERL CAPOS_CAP_EXCEPTION_TYPE_OVERLOADED

static struct capos_rt *rt;
static uint32_t vm, fa;
static struct checks checks = { .name = "memory-check" };

static void check(bool ok, const char *what, const struct capos_status *st)
{
	check_that(&checks, ok, what, st);
}

static bool refused(int32_t r, const struct capos_status *st, int type)
{
	return r == CAP_ERR_APPLICATION_EXCEPTION && st->exc.type == type;
}

static void virtual_memory(void)
{
	struct capos_status st;
	uint64_t a, b;
	check(capos_vm_reserve(rt, vm, 0, 16 * PAGE, &a, &st) == 0 && a >= CAPOS_VM_BASE,
	      "reserve 16 pages", &st);
	check(capos_vm_commit(rt, vm, a, 4 * PAGE, RW, &st) == 0, "commit 4 pages", &st);
	volatile uint32_t *w = (volatile uint32_t *)a;
	for (unsigned i = 0; i < 4 * PAGE / 4; i++)
		w[i] = 0x5a5a0000u + i;
	/* VM_PROT_NONE keeps the frames and the data. */
	check(capos_vm_protect(rt, vm, a, 4 * PAGE, CAPOS_PROT_NONE, &st) == 0, "protect none",
	      &st);
	check(capos_vm_protect(rt, vm, a, 4 * PAGE, CAPOS_PROT_READ, &st) == 0, "protect back",
	      &st);
	bool kept = true;
	for (unsigned i = 0; i < 4 * PAGE / 4; i++)
		kept = kept && w[i] == 0x5a5a0000u + i;
	check(kept, "data survives VM_PROT_NONE", NULL);
	/* Recommitting committed pages keeps their data and only sets prot. */
	check(capos_vm_commit(rt, vm, a, 8 * PAGE, RW, &st) == 0 && w[5] == 0x5a5a0005u,
	      "commit over committed pages keeps them", &st);
	/* Decommit then commit gives zeroed pages. */
	check(capos_vm_decommit(rt, vm, a, 2 * PAGE, &st) == 0, "decommit", &st);
	check(capos_vm_commit(rt, vm, a, 2 * PAGE, RW, &st) == 0 && w[0] == 0 && w[3] == 0 &&
		      w[PAGE / 2] == 0x5a5a0000u + PAGE / 2,
	      "recommitted pages are zero, others intact", &st);

	/* Quota: more than frame_grant_pages (16 MiB) in one commit. */
	check(capos_vm_reserve(rt, vm, 0, 8192 * PAGE, &b, &st) == 0, "reserve 32 MiB", &st);
	check(refused(capos_vm_commit(rt, vm, b, 8192 * PAGE, RW, &st), &st, OVERL),
	      "a commit beyond the frame-grant quota is overloaded", &st);
	check(capos_vm_commit(rt, vm, b, 16 * PAGE, RW, &st) == 0,
	      "after the refusal a small commit still fits", &st);
	check(capos_vm_unmap(rt, vm, b, 8192 * PAGE, &st) == 0, "release the big reservation", &st);
	check(refused(capos_vm_reserve(rt, vm, 0, (5ull << 30), &b, &st), &st, OVERL),
	      "a reservation beyond the virtual quota is overloaded", &st);

	/* Hostile ranges. */
	check(refused(capos_vm_commit(rt, vm, CAPOS_RING_VADDR, PAGE, RW, &st), &st, FAILD),
	      "commit over the ring page", &st);
	check(refused(capos_vm_protect(rt, vm, CAPOS_CAPSET_VADDR, PAGE, RW, &st), &st, FAILD),
	      "protect the CapSet page", &st);
	check(refused(capos_vm_unmap(rt, vm, CAPOS_USER_IMAGE_BASE, PAGE, &st), &st, FAILD),
	      "unmap the program image", &st);
	check(capos_vm_reserve(rt, vm, CAPOS_RING_VADDR, PAGE, &b, &st) == 0 &&
		      b != CAPOS_RING_VADDR && b >= CAPOS_VM_BASE,
	      "a hint at the ring page is not honoured", &st);
	capos_vm_unmap(rt, vm, b, PAGE, &st);
	check(refused(capos_vm_commit(rt, vm, a + 8 * PAGE, PAGE,
				      CAPOS_PROT_WRITE | CAPOS_PROT_EXEC, &st),
		      &st, FAILD),
	      "writable and executable", &st);
	check(refused(capos_vm_commit(rt, vm, a + 1, PAGE, RW, &st), &st, FAILD), "unaligned", &st);
	check(refused(capos_vm_commit(rt, vm, a, 0, RW, &st), &st, FAILD), "empty", &st);
	check(refused(capos_vm_commit(rt, vm, a, ~0ull & ~(PAGE - 1), RW, &st), &st, FAILD), "huge",
	      &st);
	check(refused(capos_vm_commit(rt, vm, a + 8 * PAGE, 16 * PAGE, RW, &st), &st, FAILD),
	      "beyond the reservation", &st);
	check(refused(capos_vm_reserve(rt, vm, 0, 0, &b, &st), &st, FAILD), "reserve nothing", &st);
	check(capos_vm_unmap(rt, vm, a, 16 * PAGE, &st) == 0, "release", &st);
	check(refused(capos_vm_commit(rt, vm, a, PAGE, RW, &st), &st, FAILD),
	      "commit after release", &st);
	uint64_t m;
	check(capos_vm_map(rt, vm, 0, 3 * PAGE, RW, &m, &st) == 0, "map = reserve + commit", &st);
	((volatile uint8_t *)m)[3 * PAGE - 1] = 7;
	check(capos_vm_unmap(rt, vm, m, 3 * PAGE, &st) == 0, "unmap the map", &st);
}

static void frames(void)
{
	struct capos_status st;
	uint32_t one, run, pages;
	uint64_t a, b;
	check(capos_frame_alloc(rt, fa, 1, &one, &st) == 0, "allocFrame", &st);
	check(capos_frame_alloc(rt, fa, 4, &run, &st) == 0, "allocContiguous 4", &st);
	check(capos_mo_info(rt, run, &pages, &st) == 0 && pages == 4, "info", &st);
	check(capos_mo_map(rt, run, 0, 0, 4 * PAGE, RW, &a, &st) == 0, "map the run", &st);
	memset((void *)a, 0xab, 4 * PAGE);
	check(capos_mo_map(rt, run, 0, PAGE, 2 * PAGE, CAPOS_PROT_READ, &b, &st) == 0 &&
		      ((volatile uint8_t *)b)[0] == 0xab,
	      "a second mapping sees the same frames", &st);
	check(capos_mo_protect(rt, run, b, 2 * PAGE, CAPOS_PROT_READ, &st) == 0, "protect", &st);
	check(refused(capos_mo_unmap(rt, one, a, PAGE, &st), &st, FAILD),
	      "another object cannot unmap it", &st);
	check(refused(capos_mo_map(rt, run, 0, 3 * PAGE, 2 * PAGE, RW, &b, &st), &st, FAILD),
	      "a range past the object", &st);
	check(refused(capos_mo_map(rt, run, 0, 0, 0, RW, &b, &st), &st, FAILD), "an empty range",
	      &st);
	check(refused(capos_mo_map(rt, run, 0, 0, PAGE, CAPOS_PROT_WRITE | CAPOS_PROT_EXEC, &b,
				   &st),
		      &st, FAILD),
	      "a W+X mapping", &st);
	check(refused(capos_mo_protect(rt, run, CAPOS_RING_VADDR, PAGE, RW, &st), &st, FAILD),
	      "protect the ring page", &st);
	check(capos_mo_unmap(rt, run, a, 4 * PAGE, &st) == 0, "unmap", &st);
	check(capos_mo_unmap(rt, run, b, 2 * PAGE, &st) == 0, "unmap the second mapping", &st);
	check(refused(capos_mo_unmap(rt, run, a, PAGE, &st), &st, FAILD), "unmap twice", &st);
	check(refused(capos_frame_alloc(rt, fa, 0, &pages, &st), &st, FAILD), "allocContiguous 0",
	      &st);
	check(refused(capos_frame_alloc(rt, fa, 100000, &pages, &st), &st, FAILD),
	      "allocContiguous over the limit", &st);
	/* The quota: held objects charge their size (16 MiB in all). */
	uint32_t big[8];
	unsigned n = 0;
	while (n < 8 && capos_frame_alloc(rt, fa, 1024, &big[n], &st) == 0)
		n++;
	check(n >= 3 && n < 8 && refused(st.err, &st, OVERL),
	      "held objects exhaust the frame-grant quota", &st);
	for (unsigned i = 0; i < n; i++)
		capos_release(rt, big[i]);
	capos_release(rt, one);
	/* Mapped, then released: the mapping keeps the frames until unmap. */
	check(capos_mo_map(rt, run, 0, 0, PAGE, RW, &a, &st) == 0, "map again", &st);
	capos_release(rt, run);
	capos_release_flush(rt);
	check(((volatile uint8_t *)a)[0] == 0xab, "a mapping outlives the released cap", NULL);
	capos_printf(rt, "memory-check: %u MiB objects held before the quota refused", n * 4);
}

/* Refused as a W^X conflict between two views of one object. */
static bool wx_refused(int32_t r, const struct capos_status *st)
{
	return refused(r, st, FAILD) &&
	       strcmp(st->exc.message, "W^X: the object would be writable in one mapping and "
				       "executable in another") == 0;
}

static void wx_per_object(void)
{
	struct capos_status st;
	uint32_t mo;
	uint64_t w, r, x, b;
	check(capos_frame_alloc(rt, fa, 2, &mo, &st) == 0, "W^X: allocContiguous 2", &st);
	check(capos_mo_map(rt, mo, 0, 0, 2 * PAGE, RW, &w, &st) == 0, "W^X: map RW", &st);
	((volatile uint8_t *)w)[0] = 0xc3;
	check(wx_refused(capos_mo_map(rt, mo, 0, 0, PAGE, RX, &b, &st), &st),
	      "W^X: map RX while an RW view exists is refused", &st);
	check(capos_mo_map(rt, mo, 0, 0, 2 * PAGE, RO, &r, &st) == 0,
	      "W^X: a read-only view beside the RW one", &st);
	check(wx_refused(capos_mo_protect(rt, mo, r, 2 * PAGE, RX, &st), &st) &&
		      ((volatile uint8_t *)r)[0] == 0xc3,
	      "W^X: protect the other view to RX is refused, the view unchanged", &st);
	/* Counted per page: one writable page left still blocks RX. */
	check(capos_mo_protect(rt, mo, w, PAGE, RO, &st) == 0, "W^X: protect half the RW view RO",
	      &st);
	check(wx_refused(capos_mo_map(rt, mo, 0, PAGE, PAGE, RX, &b, &st), &st),
	      "W^X: one writable page still blocks RX", &st);
	check(capos_mo_unmap(rt, mo, w, 2 * PAGE, &st) == 0, "W^X: unmap the RW view", &st);
	check(capos_mo_map(rt, mo, 0, 0, PAGE, RX, &x, &st) == 0 &&
		      ((volatile uint8_t *)x)[0] == 0xc3,
	      "W^X: after the RW view is unmapped, map RX succeeds", &st);
	check(wx_refused(capos_mo_map(rt, mo, 0, 0, PAGE, RW, &b, &st), &st),
	      "W^X: map RW while an RX view exists is refused", &st);
	check(wx_refused(capos_mo_protect(rt, mo, r, PAGE, RW, &st), &st),
	      "W^X: protect the other view to RW is refused", &st);
	check(capos_mo_protect(rt, mo, x, PAGE, RO, &st) == 0 &&
		      capos_mo_protect(rt, mo, r, 2 * PAGE, RW, &st) == 0,
	      "W^X: with the RX view made RO, the other may become RW", &st);
	/* A view's own pages leave the counts before its new prot joins. */
	check(capos_mo_protect(rt, mo, r, 2 * PAGE, RX, &st) == 0 &&
		      capos_mo_protect(rt, mo, x, PAGE, RX, &st) == 0,
	      "W^X: the only writable view may itself become RX", &st);
	check(capos_mo_unmap(rt, mo, r, 2 * PAGE, &st) == 0 &&
		      capos_mo_unmap(rt, mo, x, PAGE, &st) == 0,
	      "W^X: unmap both views", &st);
	check(capos_mo_map(rt, mo, 0, 0, 2 * PAGE, RW, &w, &st) == 0 &&
		      capos_mo_unmap(rt, mo, w, 2 * PAGE, &st) == 0,
	      "W^X: with no view left, RW maps again", &st);
	capos_release(rt, mo);
	capos_release_flush(rt);
}

/* A raw VirtualMemory.decommit of [addr, addr + PAGE) whose results go
 * to a 256-byte buffer at res. The CQE result. */
static int32_t decommit_into(uint64_t addr, uint64_t res)
{
	uint64_t params[8];
	struct capnp_builder b;
	struct capos_VirtualMemory_decommit_Params_b p;
	capnp_builder_init(&b, params, sizeof(params));
	capos_VirtualMemory_decommit_request(&b, &p);
	capos_VirtualMemory_decommit_Params_set_addr(&p, addr);
	capos_VirtualMemory_decommit_Params_set_size(&p, PAGE);
	return capos_call(rt, vm, CAPOS_VIRTUAL_MEMORY_DECOMMIT, params,
			  (uint32_t)capnp_builder_finish(&b), (void *)res, 256);
}

/* A result buffer the kernel used once is checked again after its page
 * changes: the kernel caches user page translations (kernel/mm/vm.h), and
 * a decommit or a loss of rights, by another CALL or by the CALL whose
 * results the buffer is for, must drop them. */
static void stale_buffers(void)
{
	struct capos_status st;
	uint64_t a;
	check(capos_vm_map(rt, vm, 0, 2 * PAGE, RW, &a, &st) == 0, "stale: map 2 pages", &st);
	check(decommit_into(a + PAGE, a) >= 0, "stale: results into a mapped page", NULL);
	check(capos_vm_decommit(rt, vm, a, PAGE, &st) == 0, "stale: decommit that page", &st);
	check(decommit_into(a + PAGE, a) == CAP_ERR_INVALID_BUFFER,
	      "stale: results into the decommitted page are refused", NULL);
	check(capos_vm_commit(rt, vm, a, PAGE, RW, &st) == 0 && decommit_into(a + PAGE, a) >= 0,
	      "stale: results into the page committed again", &st);
	check(capos_vm_protect(rt, vm, a, PAGE, RO, &st) == 0, "stale: make the page read-only",
	      &st);
	check(decommit_into(a + PAGE, a) == CAP_ERR_INVALID_BUFFER,
	      "stale: results into the read-only page are refused", NULL);
	check(capos_vm_protect(rt, vm, a, PAGE, RW, &st) == 0, "stale: writable again", &st);
	((volatile uint8_t *)a)[300] = 0x5a;
	check(decommit_into(a, a) == CAP_ERR_INVALID_BUFFER,
	      "stale: a CALL that decommits its own result buffer cannot deliver", NULL);
	check(capos_vm_commit(rt, vm, a, PAGE, RW, &st) == 0 && ((volatile uint8_t *)a)[300] == 0,
	      "stale: ...and the decommit happened", &st);
	check(capos_vm_unmap(rt, vm, a, 2 * PAGE, &st) == 0, "stale: unmap", &st);
}

int main(struct capos_rt *r)
{
	rt = r;
	checks.rt = r;
	if (capos_lookup(rt, "vm", CAPOS_VIRTUAL_MEMORY_INTERFACE_ID, &vm) != 0 ||
	    capos_lookup(rt, "frames", CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, &fa) != 0)
		capos_panic("memory-check: needs \"vm\" and \"frames\"");
	virtual_memory();
	frames();
	wx_per_object();
	stale_buffers();
	return checks_report(&checks);
}
