/*
 * ring-nop: batches of NOPs through the raw ring. Fill the SQ, let the
 * kernel drain it without consuming completions, and keep going until the
 * CQ is full: further SQEs must stay pending (backpressure), and once the
 * CQEs are consumed every submission completes exactly once, in order.
 * Last, NOPs submitted without any cap_enter complete from the timer tick.
 */
#include "include/capos/syscall.h"
#include "user/rt/capos.h"

#define ROUNDS 64

static struct cap_ring *ring;
static uint32_t next_id = 1, expect_id = 1, completed;

static unsigned submit(unsigned n)
{
	struct cap_ring_header *h = &ring->hdr;
	unsigned done = 0;
	while (done < n &&
	       h->sq_tail - __atomic_load_n(&h->sq_head, __ATOMIC_ACQUIRE) < CAP_SQ_ENTRIES) {
		ring->sq[h->sq_tail & (CAP_SQ_ENTRIES - 1)] =
			(struct cap_sqe){ .opcode = CAP_OP_NOP, .user_data = next_id++ };
		__atomic_store_n(&h->sq_tail, h->sq_tail + 1, __ATOMIC_RELEASE);
		done++;
	}
	return done;
}

/* Consume every posted CQE; each must be the next id, with result 0. */
static int drain(void)
{
	struct cap_ring_header *h = &ring->hdr;
	while (h->cq_head != __atomic_load_n(&h->cq_tail, __ATOMIC_ACQUIRE)) {
		struct cap_cqe c = ring->cq[h->cq_head & (CAP_CQ_ENTRIES - 1)];
		if (c.user_data != expect_id++ || c.result != 0)
			return -1;
		completed++;
		__atomic_store_n(&h->cq_head, h->cq_head + 1, __ATOMIC_RELEASE);
	}
	return 0;
}

int main(struct capos_rt *rt)
{
	ring = rt->ring;
	struct cap_ring_header *h = &ring->hdr;

	/* Three full SQs without consuming: 32 complete, 16 stay pending. */
	for (int i = 0; i < 3; i++) {
		submit(CAP_SQ_ENTRIES);
		capos_cap_enter(0, 0);
	}
	uint32_t posted = h->cq_tail - h->cq_head, pending = h->sq_tail - h->sq_head;
	if (posted != CAP_CQ_ENTRIES || pending != CAP_SQ_ENTRIES) {
		capos_printf(rt, "ring-nop: FAIL backpressure: %u posted, %u pending", posted,
			     pending);
		return 1;
	}
	if (drain() < 0)
		return 1;
	for (int round = 0; round < ROUNDS; round++) {
		submit(CAP_SQ_ENTRIES);
		int64_t avail = capos_cap_enter(1, CAPOS_TIMEOUT_NONE);
		if (avail < 1 || drain() < 0) {
			capos_printf(rt, "ring-nop: FAIL round %d: %ld available", round,
				     (long)avail);
			return 1;
		}
	}
	capos_cap_enter(0, 0);
	if (drain() < 0)
		return 1;
	/* NOPs also complete from the timer tick, with no cap_enter at all. */
	submit(4);
	for (uint64_t spin = 0;
	     __atomic_load_n(&h->cq_tail, __ATOMIC_ACQUIRE) - h->cq_head < 4 && spin < 400000000ULL;
	     spin++)
		__asm__ volatile("pause");
	if (h->cq_tail - h->cq_head < 4) {
		capos_printf(rt, "ring-nop: FAIL the timer tick completed no NOP");
		return 1;
	}
	if (drain() < 0 || completed != next_id - 1) {
		capos_printf(rt, "ring-nop: FAIL %u of %u completed", completed, next_id - 1);
		return 1;
	}
	capos_printf(rt,
		     "ring-nop: %u NOPs completed once each, in order; backpressure held; "
		     "the tick completes NOPs",
		     completed);
	return 0;
}
