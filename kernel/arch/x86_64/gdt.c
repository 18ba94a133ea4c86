/*
 * The GDT and the TSS. Selector layout (fixed by SYSCALL/SYSRET, which
 * derive user selectors from STAR): 0x08 kernel code, 0x10 kernel data,
 * 0x18 user data, 0x20 user code, 0x28 the TSS (two slots). The TSS holds
 * rsp0 (set per thread by the scheduler) and three IST stacks so #DF, NMI
 * and #MC always run on a known-good stack.
 */
#include "kernel/arch/x86_64/gdt.h"

#include "kernel/mm/paging.h"

#include <stdint.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "TSS is 104 bytes");

#define IST_STACK_SIZE 8192

/* Each IST stack has an unmapped guard page below it (kernel/mm/paging.c). */
struct ist_stack {
	uint8_t guard[4096];
	uint8_t stack[IST_STACK_SIZE];
};

static struct tss tss;
static struct ist_stack ist_stacks[3] __attribute__((aligned(4096)));
static uint64_t gdt[7];

static uint64_t segment(uint32_t access_flags)
{
	/* base 0, limit 0xfffff, granularity 4 KiB: only access/flags vary */
	return 0x000f00000000ffffULL | ((uint64_t)access_flags << 40);
}

void gdt_init(void)
{
	uint64_t base = (uint64_t)&tss;

	gdt[0] = 0;
	gdt[1] = segment(0xa09a); /* kernel code: present, DPL0, exec/read, L */
	gdt[2] = segment(0xc092); /* kernel data: present, DPL0, read/write */
	gdt[3] = segment(0xc0f2); /* user data: DPL3 */
	gdt[4] = segment(0xa0fa); /* user code: DPL3, L */
	gdt[5] = (sizeof(tss) - 1) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		 (((base >> 24) & 0xff) << 56);
	gdt[6] = base >> 32;
	for (int i = 0; i < 3; i++) {
		tss.ist[i] = (uint64_t)&ist_stacks[i].stack[IST_STACK_SIZE];
		paging_add_guard(ist_stacks[i].guard);
	}
	tss.iomap_base = sizeof(tss);

	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) ptr = { sizeof(gdt) - 1, (uint64_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(ptr), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA), "r"(GDT_TSS)
			 : "rax", "memory");
}

void gdt_set_kernel_stack(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}
