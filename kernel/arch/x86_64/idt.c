/*
 * The IDT and trap dispatch. Exceptions (vectors 0-31) print the full
 * machine state to the log and halt with the failure status: with no user
 * processes yet, any exception is a kernel bug. (The processes issue routes
 * user-mode faults to "end that process" instead.) #DF, NMI and #MC run on
 * their own IST stacks; a fault while reporting a fault stops at once.
 */
#include <stddef.h>

#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/io.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/klog.h"
#include "kernel/proc/proc.h"

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

extern char trap_stubs_start[];

static struct idt_gate idt[256];
static irq_handler handlers[256];
static int reporting; /* a fault while reporting one */

static const char *const exception_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization",
	"#CP control protection",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"#HV hypervisor injection",
	"#VC VMM communication",
	"#SX security",
	"reserved",
};

static void set_gate(int vec, uint8_t ist)
{
	uint64_t addr = (uint64_t)trap_stubs_start + 16 * (uint64_t)vec;
	idt[vec] = (struct idt_gate){
		.offset_lo = (uint16_t)addr,
		.selector = GDT_KERNEL_CODE,
		.ist = ist,
		.type_attr = 0x8e, /* present, DPL0, 64-bit interrupt gate */
		.offset_mid = (uint16_t)(addr >> 16),
		.offset_hi = (uint32_t)(addr >> 32),
	};
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, 0);
	set_gate(8, IST_DOUBLE_FAULT);
	set_gate(2, IST_NMI);
	set_gate(18, IST_MACHINE_CHECK);
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(ptr));
}

void idt_set_handler(uint8_t vector, irq_handler handler)
{
	handlers[vector] = handler;
}

static void dump_frame(const struct trap_frame *tf)
{
	kprintf("trap: vector %lu (%s) error 0x%lx\n", tf->vector,
		tf->vector < 32 ? exception_names[tf->vector] : "interrupt", tf->error);
	kprintf("  rip %016lx cs %04lx rflags %016lx\n", tf->rip, tf->cs, tf->rflags);
	kprintf("  rsp %016lx ss %04lx cr2 %016lx\n", tf->rsp, tf->ss, read_cr2());
	kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", tf->rax, tf->rbx, tf->rcx,
		tf->rdx);
	kprintf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", tf->rsi, tf->rdi, tf->rbp,
		tf->r8);
	kprintf("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", tf->r9, tf->r10, tf->r11,
		tf->r12);
	kprintf("  r13 %016lx r14 %016lx r15 %016lx\n", tf->r13, tf->r14, tf->r15);
}

/* A fault in user mode ends that process only; the system goes on. */
static void user_fault(struct trap_frame *tf)
{
	struct process *p = process_current();
	kprintf("process: %s (pid %u) killed: %s at rip 0x%lx", p->name, p->pid,
		exception_names[tf->vector], tf->rip);
	if (tf->vector == 14)
		kprintf(", address 0x%lx", read_cr2());
	kprintf(", error 0x%lx\n", tf->error);
	process_exit_current(-(int64_t)tf->vector - 1000);
}

void trap_dispatch(struct trap_frame *tf)
{
	if (tf->vector >= 32 && handlers[tf->vector] != NULL) {
		handlers[tf->vector](tf);
		return;
	}
	if (tf->vector < 32 && (tf->cs & 3) == 3 && process_current() != NULL)
		user_fault(tf);
	if (reporting++)
		kernel_halt_failure("trap: fault while reporting a fault");
	dump_frame(tf);
	if (tf->vector < 32)
		kernel_halt_failure("unhandled exception %s at rip 0x%lx",
				    exception_names[tf->vector], tf->rip);
	kernel_halt_failure("unexpected interrupt vector %lu", tf->vector);
}
