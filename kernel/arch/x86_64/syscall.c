/*
 * The syscall MSRs. STAR selects the kernel (0x08) and user (0x10 base:
 * SS 0x18, CS 0x20) selectors, SFMASK clears IF/TF/DF/AC on entry, and
 * LSTAR points at syscall_entry (switch.S). KERNEL_GS_BASE holds the
 * per-CPU block, which swapgs exchanges with the user's GS on entry.
 */
#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/io.h"

#define MSR_EFER	   0xc0000080
#define MSR_STAR	   0xc0000081
#define MSR_LSTAR	   0xc0000082
#define MSR_SFMASK	   0xc0000084
#define MSR_GS_BASE	   0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define EFER_SCE	   1u

void syscall_entry(void);

/* The per-CPU block syscall_entry reaches through GS (one CPU for now). */
struct percpu percpu;

void syscall_init(void)
{
	wrmsr(MSR_STAR, ((uint64_t)0x10 << 48) | ((uint64_t)GDT_KERNEL_CODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, 0x47700); /* IF, TF, DF, AC, NT, IOPL */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_GS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, (uint64_t)&percpu);
}
