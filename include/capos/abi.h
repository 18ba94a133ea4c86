/*
 * capOS address layout and machine-level constants shared by the kernel,
 * userspace, host tools and assembly (so: #defines only).
 *
 * Virtual layout (x86_64, 4-level paging):
 *   0x0000000000000000 .. 0x00000000003fffff  null guard (never mapped)
 *   0x0000000000400000 ..                     static user ELF images
 *   ...                                       heap, stacks (VirtualMemory)
 *   CAPOS_USER_IMAGE_END                      end of the ELF image window; initial TLS block
 *   CAPOS_RING_VADDR                          the process's capability ring (RW, NX)
 *   CAPOS_CAPSET_VADDR                        the process's CapSet page (R, NX)
 *   0x0000800000000000                        end of the user half
 *   0xffff800000000000 ..                     HHDM: all physical RAM (RW, NX, supervisor)
 *   0xffffffff80000000 ..                     the kernel image (W^X by section)
 */
#pragma once

#define CAPOS_USER_IMAGE_BASE 0x400000ULL	    /* where static user ELFs start */
#define CAPOS_USER_IMAGE_END  0x0000100000000000ULL /* ELF images end below (TLS block here) */
#define CAPOS_VM_BASE	      0x0000200000000000ULL /* VirtualMemory and MemoryObject mappings */
#define CAPOS_VM_TOP	      0x0000700000000000ULL /* ... end below this */
#define CAPOS_USER_TOP	      0x0000800000000000ULL /* first address above the user half */
#define CAPOS_RING_VADDR      0x00007fffffffe000ULL /* ring page, just below the top */
#define CAPOS_CAPSET_VADDR    0x00007fffffffd000ULL /* CapSet page, below the ring */
#define CAPOS_HHDM_BASE	      0xffff800000000000ULL /* direct map of physical memory */
#define CAPOS_KERNEL_VMA      0xffffffff80000000ULL /* kernel image = this + physical */
#define CAPOS_KERNEL_PHYS     0x100000ULL	    /* where the loaders put the image */
#define CAPOS_PAGE_SIZE	      4096ULL

/* isa-debug-exit: QEMU exits with status (value << 1) | 1. */
#define CAPOS_DEBUG_EXIT_PORT 0xf4
#define CAPOS_EXIT_CLEAN      0x10 /* QEMU exit status 33: clean halt */
#define CAPOS_EXIT_FAILURE    0x11 /* QEMU exit status 35: failure */

/* Serial ports. */
#define CAPOS_COM1 0x3f8 /* kernel log, Console */
#define CAPOS_COM2 0x2f8 /* terminal (TerminalSession) */

/* Interrupt vectors. */
#define CAPOS_VEC_PIC_BASE    32 /* legacy PIC remapped to 32..47 */
#define CAPOS_VEC_LAPIC_TIMER 48
#define CAPOS_VEC_SPURIOUS    255
