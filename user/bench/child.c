/*
 * bench-child: the smallest process, for bench's spawn+wait figure. It
 * starts, returns 0 and is reaped.
 */
#include "user/rt/capos.h"

int main(struct capos_rt *rt)
{
	(void)rt;
	return 0;
}
