/*
 * Per-segment cycle counters of the measure build (kernel/measure.h). One
 * CPU and a non-preemptible kernel: plain counters need no atomics.
 */
#include "kernel/measure.h"

#ifdef CAPOS_MEASURE
#include "kernel/klog.h"
#include "kernel/proc/proc.h"
#include "lib/cap/cap_table.h"

static const char *const names[SEG_COUNT] = {
	[SEG_SQE_FETCH] = "sqe-fetch",	 [SEG_VALIDATE] = "validate",
	[SEG_CAP_LOOKUP] = "cap-lookup", [SEG_DECODE] = "capnp-decode",
	[SEG_METHOD] = "method-body",	 [SEG_RESULT] = "result-copy",
	[SEG_CQE_POST] = "cqe-post",	 [SEG_WAIT_CHECK] = "wait-check",
	[SEG_WAKE] = "waiter-wake",
};

static uint64_t count[SEG_COUNT], total[SEG_COUNT], events[EV_COUNT];

void measure_count(enum measure_event ev)
{
	events[ev]++;
}

uint64_t measure_lap(enum measure_seg seg, uint64_t since)
{
	uint64_t now = rdtsc();
	count[seg]++;
	total[seg] += now - since;
	return now;
}

void measure_report(void)
{
	for (unsigned s = 0; s < SEG_COUNT; s++)
		kprintf("measure: %s count=%lu total=%lu avg=%lu cycles\n", names[s], count[s],
			total[s], count[s] ? total[s] / count[s] : 0);
	kprintf("measure: direct-handoffs=%lu\n", events[EV_HANDOFF]);
	kprintf("measure: thread-switches=%lu fs-base-kept=%lu\n", events[EV_SWITCH],
		events[EV_FS_KEPT]);
	/* Kernel memory per object; a process's user pages are on its
	 * "process: ... started" line, and page tables come on top. */
	kprintf("measure: memory cap-slot=%lu process=%lu thread=%lu kstack=%lu bytes\n",
		sizeof(struct cap_slot), sizeof(struct process), sizeof(struct thread),
		(unsigned long)KSTACK_SIZE + 4096);
}
#endif
