/*
 * The kernel heap: kmalloc/kfree on lib/kheap over physical frames (through
 * the HHDM). A double free, a foreign pointer or an overrun found at free
 * time is a broken kernel invariant and panics.
 */
#pragma once

#include <stddef.h>

void heap_init(void);
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
