/*
 * Kernel stacks for threads: KSTACK_SIZE bytes each in their own slot of a
 * dedicated region of the kernel half, with an unmapped guard page below,
 * so a kernel stack overflow faults instead of overwriting a neighbour.
 */
#pragma once

void kstack_init(void);
/* The lowest address of a fresh, zeroed stack, or NULL. */
void *kstack_alloc(void);
void kstack_free(void *stack);
