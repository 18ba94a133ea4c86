/*
 * The measure build's counters (kernel/measure.h). One CPU and a
 * non-preemptible kernel: plain counters need no atomics.
 */
#include "kernel/measure.h"

#ifdef CAPOS_MEASURE
#include "include/capos/abi.h"
#include "kernel/klog.h"
#include "kernel/mm/vm.h"
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
/* The TSC at which each thread slot last left the CPU. */
static uint64_t off_cpu[MAX_THREADS];
/* Page-table bytes of the processes that exited: how many, sum, least, most. */
static uint64_t pt_exits, pt_total, pt_min = UINT64_MAX, pt_max;

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

void measure_off_cpu(const struct thread *t)
{
	off_cpu[t->tid] = rdtsc();
}

uint64_t measure_off_cpu_at(const struct thread *t)
{
	return off_cpu[t->tid];
}

void measure_process_exit(const struct process *p)
{
	uint64_t bytes = vm_table_pages(&p->as) * CAPOS_PAGE_SIZE;
	pt_exits++;
	pt_total += bytes;
	pt_min = bytes < pt_min ? bytes : pt_min;
	pt_max = bytes > pt_max ? bytes : pt_max;
}

void measure_report(void)
{
	for (unsigned s = 0; s < SEG_COUNT; s++)
		kprintf("measure: %s count=%lu total=%lu avg=%lu cycles\n", names[s], count[s],
			total[s], count[s] ? total[s] / count[s] : 0);
	kprintf("measure: direct-handoffs=%lu\n", events[EV_HANDOFF]);
	kprintf("measure: thread-switches=%lu fs-base-kept=%lu\n", events[EV_SWITCH],
		events[EV_FS_KEPT]);
	/* Kernel memory per object, and the page tables of a process (its
	 * PML4 and the user half's tables, counted at its exit): least,
	 * average and most over every process that exited. A process's user
	 * pages are on its "process: ... started" line. */
	kprintf("measure: memory cap-slot=%lu process=%lu thread=%lu kstack=%lu "
		"page-tables-min=%lu page-tables-avg=%lu page-tables-max=%lu bytes "
		"(page tables of %lu processes at exit)\n",
		sizeof(struct cap_slot), sizeof(struct process), sizeof(struct thread),
		(unsigned long)KSTACK_SIZE + 4096, pt_exits ? pt_min : 0,
		pt_exits ? pt_total / pt_exits : 0, pt_max, pt_exits);
}
#endif
