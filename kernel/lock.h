/*
 * Spinlocks with names. The kernel runs with interrupts off and one CPU
 * today, so a lock is never contended yet; every shared structure still has
 * its named lock so that SMP does not need a rewrite, and taking a lock the
 * CPU already holds is caught as the deadlock it would be.
 *
 * Lock order (outermost first; take only in this order):
 *   heap_lock -> frame_lock
 * The scheduler, address-space and cap-table state is still guarded by the
 * single CPU running with interrupts off; their locks join this list,
 * ahead of heap_lock, when a second CPU runs kernel code (SMP issue).
 * kprintf takes no lock (COM1 output is polled byte by byte).
 */
#pragma once

#include <stdbool.h>

struct spinlock {
	volatile int locked;
	const char *name;
};

#define SPINLOCK_INIT(n) \
	{                \
		0, n     \
	}

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
bool spin_held(const struct spinlock *l);
