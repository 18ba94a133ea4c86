/*
 * The measure build's counters (make bench; docs/performance.md): cycles
 * per dispatch segment, counted events, and the page tables of exiting
 * processes. Built with -DCAPOS_MEASURE into build/measure/kernel.bin; in
 * the normal kernel every call here is an empty inline, so the normal
 * dispatch path carries no counter.
 *
 * Use: `uint64_t t = measure_now(); ...segment A...; t = measure_lap(SEG_A, t);`
 * Each lap adds the TSC cycles since t to its segment and counts one.
 */
#ifndef CAPOS_KERNEL_MEASURE_H
#define CAPOS_KERNEL_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

struct process;
struct thread;

enum measure_seg {
	SEG_SQE_FETCH,	/* CQ room check and the SQE copied out of the ring */
	SEG_VALIDATE,	/* ring_sqe_check: opcode, flags, reserved fields */
	SEG_CAP_LOOKUP, /* ring_sqe_decode: CapId, object kind, buffers, descriptors */
	SEG_DECODE,	/* a CALL's params copied in, Cap'n Proto framing */
	SEG_METHOD,	/* the object's method body, results built */
	SEG_RESULT,	/* results copied out to the caller's buffer */
	SEG_CQE_POST,	/* the CQE written into its slot */
	SEG_WAIT_CHECK, /* cap_enter: sleepers completed, min_complete checked */
	SEG_WAKE,	/* cq_tail published, the ring's blocked waiter checked and woken */
	SEG_COUNT
};

/* Events the measure build counts (printed with the segments). */
enum measure_event {
	EV_HANDOFF, /* a direct handoff put a blocked server at the run queue's head */
	EV_SWITCH,  /* a thread switched in */
	EV_FS_KEPT, /* ...whose FS base was loaded already: no MSR write */
	EV_COUNT
};

/* Measurement-only kernel sources (NullCap) are accepted only here. */
#ifdef CAPOS_MEASURE
#define CAPOS_MEASUREMENT_BUILD true
#else
#define CAPOS_MEASUREMENT_BUILD false
#endif

/* The direct IPC handoff (kernel/cap/endpoint.c) is on, but for the
 * measure build's no-handoff variant (-DCAPOS_NO_HANDOFF,
 * build/measure-nohandoff/), which make bench boots for the round trips
 * without it. */
#ifdef CAPOS_NO_HANDOFF
#ifndef CAPOS_MEASURE
#error "CAPOS_NO_HANDOFF is a variant of the measure build only"
#endif
#define CAPOS_DIRECT_HANDOFF false
#else
#define CAPOS_DIRECT_HANDOFF true
#endif

#ifdef CAPOS_MEASURE
#include "kernel/arch/x86_64/io.h"

static inline uint64_t measure_now(void)
{
	return rdtsc();
}

uint64_t measure_lap(enum measure_seg seg, uint64_t since);
void measure_count(enum measure_event ev);
/* The scheduler has the CPU back from t (kernel/proc/sched.c): t is off
 * the CPU, its state saved. The measure build keeps the TSC of that
 * moment per thread; measure_off_cpu_at reads it back (0 in the normal
 * kernel): a blocked PARK's CQE carries it (make bench's wait-to-block). */
void measure_off_cpu(const struct thread *t);
uint64_t measure_off_cpu_at(const struct thread *t);
/* A process is exiting, its address space still whole: its page tables
 * count towards the memory line's page-table figures. */
void measure_process_exit(const struct process *p);
/* Print every segment's count, total and average cycles on COM1. */
void measure_report(void);
#else
static inline uint64_t measure_now(void)
{
	return 0;
}

static inline uint64_t measure_lap(enum measure_seg seg, uint64_t since)
{
	(void)seg;
	(void)since;
	return 0;
}

static inline void measure_count(enum measure_event ev)
{
	(void)ev;
}

static inline void measure_off_cpu(const struct thread *t)
{
	(void)t;
}

static inline uint64_t measure_off_cpu_at(const struct thread *t)
{
	(void)t;
	return 0;
}

static inline void measure_process_exit(const struct process *p)
{
	(void)p;
}

static inline void measure_report(void)
{
}
#endif

#endif
