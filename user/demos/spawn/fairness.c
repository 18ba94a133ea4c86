/*
 * ring-fairness: a CPU-bound worker. It spins for 300 ms of wall-clock time
 * in small slices, reading Timer.now between slices, and counts the gaps
 * of 5 ms or more: times it was preempted while runnable and another
 * process ran. Two of these run side by side under init; with round-robin
 * tick preemption each sees many gaps and keeps making progress, while a
 * scheduler that let one run to completion would show none.
 */
#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

#define MS	     ((uint64_t)1000000)
#define RUN_NS	     (300 * MS)
#define GAP_NS	     (5 * MS)
#define MIN_PREEMPTS 5

int main(struct capos_rt *rt)
{
	uint32_t timer;
	uint64_t start, prev, now, slices = 0, gaps = 0, longest = 0;
	volatile uint64_t sink = 0;

	if (capos_lookup(rt, "timer", CAPOS_TIMER_INTERFACE_ID, &timer) != 0 ||
	    capos_timer_now(rt, timer, &start) != 0)
		capos_panic("ring-fairness: needs a Timer");
	prev = start;
	do {
		for (unsigned i = 0; i < 2000; i++)
			sink += i * slices;
		if (capos_timer_now(rt, timer, &now) != 0)
			capos_panic("ring-fairness: Timer.now failed");
		if (now - prev >= GAP_NS) {
			gaps++;
			longest = now - prev > longest ? now - prev : longest;
		}
		prev = now;
		slices++;
	} while (now - start < RUN_NS);
	capos_printf(rt,
		     "ring-fairness: pid %u: %lu slices in %lu ms, preempted %lu times "
		     "(longest %lu ms)%s",
		     rt->pid, slices, (now - start) / MS, gaps, longest / MS,
		     gaps >= MIN_PREEMPTS ? "" : ": FAIL, never shared the CPU");
	return gaps >= MIN_PREEMPTS ? 0 : 1;
}
