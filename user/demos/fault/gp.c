/*
 * fault-gp: announce, then commit a privileged instruction (#GP). The kernel must end only this
 * process, say why, and go on.
 */
#include "user/rt/capos.h"

int main(struct capos_rt *rt)
{
	capos_printf(rt, "fault-gp: about to fault");
	__asm__ volatile("hlt"); /* privileged in ring 3: #GP */
	capos_printf(rt, "fault-gp: still alive, which is wrong");
	return 0;
}
