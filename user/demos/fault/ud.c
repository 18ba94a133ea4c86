/*
 * fault-ud: announce, then commit an undefined opcode (#UD). The kernel must end only this
 * process, say why, and go on.
 */
#include "user/rt/capos.h"

int main(struct capos_rt *rt)
{
	capos_printf(rt, "fault-ud: about to fault");
	__asm__ volatile("ud2"); /* #UD */
	capos_printf(rt, "fault-ud: still alive, which is wrong");
	return 0;
}
