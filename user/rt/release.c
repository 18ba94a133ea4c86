/*
 * The release queue: capos_release() records a cap to drop; the queue is
 * flushed as RELEASE SQEs at the next ring boundary (any submission) or on
 * demand with capos_release_flush(). Ordinary code never builds RELEASE
 * SQEs itself.
 */
#include "user/rt/capos.h"

#define RELEASE_QUEUE 16

static uint32_t queue[RELEASE_QUEUE];
static unsigned queued;

int capos_release_flush(struct capos_rt *rt)
{
	int failed = 0;
	while (queued > 0) {
		struct cap_sqe sqe = { .opcode = CAP_OP_RELEASE, .cap_id = queue[--queued] };
		if (capos_submit_raw(rt, &sqe) < 0)
			failed++;
	}
	return failed;
}

void capos_release(struct capos_rt *rt, uint32_t cap)
{
	if (queued == RELEASE_QUEUE)
		capos_release_flush(rt);
	queue[queued++] = cap;
}

unsigned capos_release_pending(void)
{
	return queued;
}
