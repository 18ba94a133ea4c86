/*
 * pt-churn: page tables do not outlive what they map. Each round reserves
 * one page at a new address -- 1 GiB + 2 MiB past the last, so under a new
 * page table and a new page directory -- commits and writes it, and
 * releases the reservation. Without reclaim every round would leave two
 * table frames behind that no quota counts; the scenario gives the
 * machine 64 MiB, which ROUNDS rounds would then exhaust, and a commit
 * would fail. With reclaim every round succeeds, and the kernel's
 * end-of-run check sees every frame back.
 */
#include "include/capos/abi.h"
#include "user/rt/capos.h"

#define ROUNDS 10000
#define STRIDE ((1ULL << 30) + (2ULL << 20))
#define FIRST  (CAPOS_VM_BASE + (16ULL << 40)) /* clear of the heap's reservations */

int main(struct capos_rt *rt)
{
	uint32_t vm;
	struct capos_status st;
	if (capos_lookup(rt, "vm", 0, &vm) != 0) {
		capos_printf(rt, "pt-churn: FAIL no vm cap");
		return 1;
	}
	for (unsigned i = 0; i < ROUNDS; i++) {
		uint64_t want = FIRST + (uint64_t)i * STRIDE, at = 0;
		if (capos_vm_reserve(rt, vm, want, CAPOS_PAGE_SIZE, &at, &st) < 0 || at != want ||
		    capos_vm_commit(rt, vm, at, CAPOS_PAGE_SIZE, CAPOS_PROT_READ | CAPOS_PROT_WRITE,
				    &st) < 0) {
			capos_printf(rt, "pt-churn: FAIL round %u at 0x%lx (got 0x%lx): %s", i,
				     want, at, capos_status_str(&st));
			return 1;
		}
		*(volatile uint64_t *)at = i;
		if (capos_vm_unmap(rt, vm, at, CAPOS_PAGE_SIZE, &st) < 0) {
			capos_printf(rt, "pt-churn: FAIL release in round %u: %s", i,
				     capos_status_str(&st));
			return 1;
		}
	}
	capos_printf(rt, "pt-churn: %u rounds, each under new page tables, all committed", ROUNDS);
	return 0;
}
