/*
 * fault-null: announce, then commit a null store (#PF). The kernel must end only this
 * process, say why, and go on.
 */
#include "user/rt/capos.h"

int main(struct capos_rt *rt)
{
	capos_printf(rt, "fault-null: about to fault");
	*(volatile int *)0 = 1; /* #PF at address 0 */
	capos_printf(rt, "fault-null: still alive, which is wrong");
	return 0;
}
