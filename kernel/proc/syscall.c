/*
 * The two system calls. cap_enter drains the caller's ring and, when asked
 * to, waits for completions or a deadline; exit ends the process. Any
 * other number ends the process with a logged reason.
 */
#include "include/capos/syscall.h"

#include "include/capos/abi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/time.h"
#include "kernel/cap/ring.h"
#include "kernel/klog.h"
#include "kernel/measure.h"
#include "kernel/proc/proc.h"
#include "lib/ring/ring.h"

static uint64_t cap_enter(uint64_t min_complete, uint64_t timeout_ns, uint64_t head_seen)
{
	struct process *p = process_current();
	uint64_t start = clock_ns();
	uint64_t deadline = timeout_ns > UINT64_MAX - start ? UINT64_MAX : start + timeout_ns;

	if (min_complete > CAP_CQ_ENTRIES)
		return (uint64_t)(int64_t)CAP_ERR_INVALID_REQUEST;
	for (;;) {
		bool foreign_head = ring_dispatch(p) == RING_STOPPED_AT_FOREIGN;
		uint64_t t = measure_now();
		uint64_t now = clock_ns();
		uint64_t next = ring_complete_sleepers(p, now);
		bool done = ring_available(p) >= min_complete || timeout_ns == 0 || now >= deadline;
		measure_lap(SEG_WAIT_CHECK, t);
		if (done)
			return ring_available(p);
		/* A sibling's thread-owned SQE at the head: its owner must drain
		 * it, so this thread is told instead of blocking behind it.
		 * Here and below, a thread that cannot block yields first: whoever
		 * it waits for needs the CPU, and spinning back into cap_enter
		 * would hold it until the tick. */
		if (foreign_head) {
			sched_yield();
			return (uint64_t)(int64_t)CAP_ERR_NOT_OWNER;
		}
		/* One blocked cap_enter waiter per process ring (threading
		 * contract): a second thread gets the count without blocking. */
		struct thread *me = thread_current();
		struct thread *waiter = p->ring_waiting ? thread_resolve(p->ring_waiter) : NULL;
		if (waiter != NULL && waiter != me) {
			sched_yield();
			return ring_available(p);
		}
		/* The caller's view of the CQ is stale: a sibling took
		 * completions after it looked, maybe the one it waits for. */
		uint32_t head = ring_cq_head_load(p->ring);
		if (head_seen <= UINT32_MAX && head != (uint32_t)head_seen)
			return ring_available(p);
		p->ring_waiting = true;
		p->ring_waiter = thread_ref_of(me);
		/* Wait for the earlier of the timeout and the next sleep deadline. */
		sched_block(next < deadline ? next : deadline);
		p->ring_waiting = false;
		/* A sibling consumed completions while this thread slept: what it
		 * waits for may be in the runtime's hands now, not in the CQ, so
		 * it returns to look (one thread alone never gets here). */
		if (ring_cq_head_load(p->ring) != head)
			return ring_available(p);
	}
}

uint64_t syscall_dispatch(struct syscall_frame *f)
{
	struct process *p = process_current();

	switch (f->rax) {
	case CAPOS_SYS_CAP_ENTER:
		return cap_enter(f->rdi, f->rsi, f->rdx);
	case CAPOS_SYS_EXIT:
		process_exit_current((int64_t)f->rdi);
	default:
		kprintf("process: %s (pid %u) killed: unknown system call %lu at rip 0x%lx\n",
			p->name, p->pid, f->rax, f->rip);
		process_exit_current(-1);
	}
}
