/*
 * CPU feature detection and the protections capOS switches on: NX, SMEP,
 * SMAP and UMIP, each when the CPU has it.
 */
#pragma once

#include <stdbool.h>

struct cpu_features {
	bool nx, smep, smap, umip, invariant_tsc, apic, x2apic;
};

extern struct cpu_features cpu;

void cpu_detect(void);
/* Turn on SMEP/SMAP/UMIP. Call only once no kernel mapping is user
 * accessible; logs which protections are on. */
void cpu_enable_protections(void);
/* Prepare STAR/LSTAR/SFMASK and EFER.SCE for the syscall instruction. */
void syscall_init(void);
