/*
 * ParkSpace: private thread park/unpark inside the holder's own address
 * space (spec: Park Authority Contract). The cap is process-local and
 * non-transferable; the key is the address space's identity (the process
 * and its generation: one space per process) plus the word's user
 * address, so a wait or wake never reaches another process.
 *
 * PARK reads the 4-byte-aligned 32-bit word and compares it with the
 * expected value; reading, comparing and enqueueing happen with no wake in
 * between (the kernel is not preemptible). A parked thread holds one
 * reserved CQ credit, so its completion — woken, or timed out after the
 * monotonic timeout — can always be posted. Waiter state lives in the
 * thread itself: no allocation in wait, wake, timeout or exit cleanup.
 * UNPARK wakes up to len waiters in FIFO order. A process's or thread's
 * exit drops its waiters with it.
 */
#include "kernel/cap/park.h"

#include "gen/capos.capnp.h"
#include "kernel/arch/x86_64/time.h"
#include "kernel/cap/object.h"
#include "kernel/cap/ring.h"
#include "kernel/measure.h"
#include "kernel/proc/proc.h"

static uint64_t park_seq; /* [S] FIFO order of waiters */

static const struct kobj_ops park_ops = { CAPOS_PARK_SPACE_INTERFACE_ID, "ParkSpace", NULL, NULL };
struct kobj park_space_obj = { &park_ops, 0, 0 };

int32_t park_check(struct process *p, const struct cap_sqe *sqe)
{
	uint32_t word;
	if (copy_from_user(&p->as, &word, sqe->addr, sizeof(word)) < 0)
		return CAP_ERR_INVALID_BUFFER;
	if (word != sqe->len)
		return PARK_VALUE_MISMATCH;
	if (sqe->pipeline_dep == 0)
		return PARK_TIMED_OUT;
	if (!ring_reserve_cq(p))
		return CAP_ERR_QUOTA;
	return RING_PARK;
}

void park_block(struct process *p, const struct cap_sqe *sqe)
{
	struct thread *t = thread_current();
	uint64_t now = clock_ns(), timeout = sqe->pipeline_dep;
	uint64_t deadline = timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;

	t->parked = true;
	t->park_woken = false;
	t->park_addr = sqe->addr;
	t->park_seq = ++park_seq;
	uint64_t off_cpu = 0; /* the measure build: when it first left the CPU */
	while (!t->park_woken && clock_ns() < deadline) {
		sched_block(deadline);
		if (off_cpu == 0)
			off_cpu = measure_off_cpu_at(t);
	}
	t->parked = false;
	ring_complete_park(p, sqe->user_data, t->park_woken ? PARK_WOKEN : PARK_TIMED_OUT, off_cpu);
}

int32_t park_wake(struct process *p, const struct cap_sqe *sqe)
{
	int32_t woken = 0;
	while ((uint32_t)woken < sqe->len) {
		struct thread *first = NULL;
		for (struct thread *t = p->threads; t; t = t->sibling)
			if (t->parked && !t->park_woken && t->park_addr == sqe->addr &&
			    t->state != T_DEAD && (first == NULL || t->park_seq < first->park_seq))
				first = t;
		if (first == NULL)
			break;
		first->park_woken = true;
		sched_wake(first);
		woken++;
	}
	return woken;
}
