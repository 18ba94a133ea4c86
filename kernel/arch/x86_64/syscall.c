/*
 * The syscall MSRs. STAR selects the kernel (0x08) and user (0x10 base:
 * SS 0x18, CS 0x20) selectors, SFMASK clears IF/TF/DF/AC on entry, and
 * LSTAR points at syscall_entry. Until processes exist (the next issue) no
 * user code can execute `syscall`; if the entry is ever reached it is a
 * kernel bug, and it says so and halts rather than pretending to serve it.
 */
#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/io.h"
#include "kernel/klog.h"

#define MSR_EFER   0xc0000080
#define MSR_STAR   0xc0000081
#define MSR_LSTAR  0xc0000082
#define MSR_SFMASK 0xc0000084
#define EFER_SCE   1u

void syscall_entry(void);

__attribute__((used)) static void syscall_before_processes(void)
{
	kernel_halt_failure("syscall: entered before any process exists");
}

__asm__(".text\n"
	".global syscall_entry\n"
	"syscall_entry:\n"
	"	call syscall_before_processes\n"
	"	ud2\n");

void syscall_init(void)
{
	wrmsr(MSR_STAR, ((uint64_t)0x10 << 48) | ((uint64_t)GDT_KERNEL_CODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, 0x47700); /* IF, TF, DF, AC, NT, IOPL */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
