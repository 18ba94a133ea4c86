/*
 * The release queue: capos_release() records a cap to drop; the queue is
 * flushed as RELEASE SQEs at the next ring boundary (any submission) or on
 * demand with capos_release_flush(). Ordinary code never builds RELEASE
 * SQEs itself.
 */
#include "user/rt/capos.h"
#include "user/rt/internal.h"

#define RELEASE_QUEUE 16

static uint32_t queue[RELEASE_QUEUE];
static unsigned queued;

int capos_release_flush(struct capos_rt *rt)
{
	uint32_t mine[RELEASE_QUEUE];
	unsigned n;
	int failed = 0;
	capos_rt_lock();
	n = queued;
	for (unsigned i = 0; i < n; i++)
		mine[i] = queue[i];
	queued = 0;
	capos_rt_unlock();
	while (n > 0) {
		struct cap_sqe sqe = { .opcode = CAP_OP_RELEASE, .cap_id = mine[--n] };
		if (capos_submit_raw(rt, &sqe) < 0)
			failed++;
	}
	return failed;
}

void capos_release(struct capos_rt *rt, uint32_t cap)
{
	for (;;) {
		capos_rt_lock();
		if (queued < RELEASE_QUEUE) {
			queue[queued++] = cap;
			capos_rt_unlock();
			return;
		}
		capos_rt_unlock();
		capos_release_flush(rt);
	}
}

unsigned capos_release_pending(void)
{
	return queued;
}
