/*
 * hello: the smallest capOS program. It finds the console in its CapSet
 * and writes one line through a ring CALL to Console.writeLine.
 */
#include "user/rt/capos.h"

int main(struct capos_rt *rt)
{
	int32_t r = capos_printf(rt, "Hello from capOS userspace (pid %u)", rt->pid);
	return r < 0 ? 1 : 0;
}
