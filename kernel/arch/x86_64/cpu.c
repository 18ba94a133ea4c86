/*
 * CPUID feature detection and control-register protections.
 */
#include "kernel/arch/x86_64/cpu.h"

#include <stdint.h>

#include "kernel/arch/x86_64/io.h"
#include "kernel/klog.h"

#define MSR_EFER       0xc0000080
#define EFER_NXE       (1u << 11)
#define CR0_MP	       (1u << 1)
#define CR0_EM	       (1u << 2)
#define CR4_OSFXSR     (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define CR4_UMIP       (1u << 11)
#define CR4_SMEP       (1u << 20)
#define CR4_SMAP       (1u << 21)

struct cpu_features cpu;

void cpu_detect(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	uint32_t max = r[0];
	cpuid(1, 0, r);
	cpu.apic = r[3] & (1u << 9);
	cpu.x2apic = r[2] & (1u << 21);
	if (max >= 7) {
		cpuid(7, 0, r);
		cpu.smep = r[1] & (1u << 7);
		cpu.smap = r[1] & (1u << 20);
		cpu.umip = r[2] & (1u << 2);
	}
	cpuid(0x80000000, 0, r);
	uint32_t ext = r[0];
	if (ext >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		cpu.nx = r[3] & (1u << 20);
	}
	if (ext >= 0x80000007) {
		cpuid(0x80000007, 0, r);
		cpu.invariant_tsc = r[3] & (1u << 8);
	}
}

void cpu_enable_protections(void)
{
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	uint64_t cr0 = (read_cr0() & ~CR0_EM) | CR0_MP;

	/* SSE for user programs (the kernel itself never uses it). */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));

	if (cpu.smep)
		cr4 |= CR4_SMEP;
	if (cpu.smap)
		cr4 |= CR4_SMAP;
	if (cpu.umip)
		cr4 |= CR4_UMIP;
	write_cr4(cr4);
	bool nx_on = rdmsr(MSR_EFER) & EFER_NXE;
	kprintf("cpu: protections%s%s%s%s\n", nx_on ? " nx" : "", cpu.smep ? " smep" : "",
		cpu.smap ? " smap" : "", cpu.umip ? " umip" : "");
	if (!cpu.smep || !cpu.smap || !nx_on)
		kprintf("cpu: missing%s%s%s (not offered by this CPU)\n", nx_on ? "" : " nx",
			cpu.smep ? "" : " smep", cpu.smap ? "" : " smap");
}
