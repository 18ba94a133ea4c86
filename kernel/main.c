/*
 * kmain: the kernel's table of contents. Each line brings up one part of
 * the system, in order; see docs/boot.md.
 */
#include <stdint.h>

#include "include/capos/abi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/time.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/boot/boot.h"
#include "kernel/boot/init.h"
#include "kernel/boot/manifest.h"
#include "kernel/dev/serial.h"
#include "kernel/klog.h"
#include "kernel/measure.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/kstack.h"
#include "kernel/mm/paging.h"
#include "kernel/proc/proc.h"

extern char boot_stack_guard[];

void kmain(uint32_t magic, uint64_t info_phys);

/* Every process has exited: every frame it used must be free again. */
static void check_frames(uint64_t before)
{
	uint64_t now = frame_free_count();
	if (now != before)
		kernel_halt_failure("mem: %lu frames free after every process exited, %lu before",
				    now, before);
	kprintf("mem: all processes exited; %lu frames free, as before they started\n", now);
}

void kmain(uint32_t magic, uint64_t info_phys)
{
	serial_init(CAPOS_COM1); /* kernel log */
	serial_init(CAPOS_COM2); /* terminal, used by TerminalSession */
	kprintf("capOS kernel\n");
	boot_info_init(magic, info_phys);   /* memory map and modules, either loader */
	gdt_init();			    /* segments, TSS, IST stacks */
	idt_init();			    /* exceptions report and halt */
	cpu_detect();			    /* CPUID features */
	frame_init();			    /* physical frames from the memory map */
	paging_add_guard(boot_stack_guard); /* the boot stack's guard page */
	paging_init();			    /* kernel W^X, HHDM NX, no identity map */
	heap_init();			    /* kmalloc/kfree */
	kstack_init();			    /* thread kernel stacks with guard pages */
	cpu_enable_protections();	    /* NX, SMEP, SMAP, UMIP */
	syscall_init();			    /* syscall MSRs for the processes issue */
	time_init();			    /* PIC masked, LAPIC tick, TSC clock */
	manifest_boot();		    /* exactly one module, validated */
	uint64_t frames = frame_free_count();
	init_start();	      /* initConfig.init with its kernel caps */
	sched_run();	      /* until no thread is left */
	measure_report();     /* the measure build's segment counters */
	check_frames(frames); /* exits freed everything */
	kprintf("kernel: nothing left to run\n");
	kernel_halt_clean();
}
