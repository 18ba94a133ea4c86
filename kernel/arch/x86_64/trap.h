/*
 * The trap frame every interrupt and exception builds (traps.S), the IDT,
 * and handler registration for device vectors.
 */
#pragma once

#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame layout matches traps.S");

typedef void (*irq_handler)(struct trap_frame *tf);

void idt_init(void);
/* Route a vector >= 32 to handler (called with interrupts off). */
void idt_set_handler(uint8_t vector, irq_handler handler);
void trap_dispatch(struct trap_frame *tf);
