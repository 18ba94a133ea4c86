/*
 * Spinlocks (see lock.h). With one CPU a held lock can only mean a
 * recursive acquisition, which would deadlock under SMP: halt and say so.
 */
#include "kernel/lock.h"

#include "kernel/klog.h"

void spin_lock(struct spinlock *l)
{
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		kernel_halt_failure("lock %s: acquired while already held", l->name);
}

void spin_unlock(struct spinlock *l)
{
	if (!l->locked)
		kernel_halt_failure("lock %s: released while not held", l->name);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

bool spin_held(const struct spinlock *l)
{
	return l->locked;
}
