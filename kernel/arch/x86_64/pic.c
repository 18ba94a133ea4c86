/*
 * The 8259 PIC pair: remapped to vectors 32..47 so they never alias CPU
 * exceptions, then fully masked. Only the PIT fallback unmasks IRQ 0.
 */
#include "kernel/arch/x86_64/pic.h"

#include "include/capos/abi.h"
#include "kernel/arch/x86_64/io.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1

void pic_init(void)
{
	outb(PIC1_CMD, 0x11); /* ICW1: init, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, CAPOS_VEC_PIC_BASE); /* ICW2: vector bases */
	outb(PIC2_DATA, CAPOS_VEC_PIC_BASE + 8);
	outb(PIC1_DATA, 4); /* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, 1); /* ICW4: 8086 mode */
	outb(PIC2_DATA, 1);
	outb(PIC1_DATA, 0xff); /* mask everything */
	outb(PIC2_DATA, 0xff);
}

void pic_unmask(unsigned irq)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
	outb(port, inb(port) & ~(1u << (irq % 8)));
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, 0x20);
	outb(PIC1_CMD, 0x20);
}
