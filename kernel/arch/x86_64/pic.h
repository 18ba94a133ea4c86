/*
 * The legacy 8259 PIC: remap and mask, plus what the PIT fallback needs.
 */
#pragma once

void pic_init(void);
void pic_unmask(unsigned irq);
void pic_eoi(unsigned irq);
