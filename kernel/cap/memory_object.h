/*
 * MemoryObject (kernel/cap/memory_object.c): an owned set of frames that
 * FrameAllocator makes and holders map into their own address space.
 */
#pragma once

#include <stdint.h>

#include "kernel/cap/object.h"

/* A new object of npages zeroed frames (contiguous when asked), with no
 * references; NULL when frames or kernel memory run out. Its weight is
 * npages: every hold charges that many frame_grant_pages. */
struct kobj *memory_object_new(uint64_t npages, bool contiguous);
/* vm_destroy's callback: an address space stopped mapping pages of it;
 * object is the struct vm_object its regions name (vmem_teardown has
 * already taken those pages out of its W^X counts). */
void memory_object_unmapped(void *object, uint64_t pages);
