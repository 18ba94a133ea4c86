/*
 * huge: an image whose bss is larger than the machine's memory. It is never
 * meant to run; hostile-spawn asks ProcessSpawner for it to prove that
 * frame exhaustion is refused as `overloaded` with every frame given back.
 */
#include "user/rt/capos.h"

static volatile char big[512u << 20];

int main(struct capos_rt *rt)
{
	(void)rt;
	big[0] = 1;
	return big[sizeof(big) - 1];
}
