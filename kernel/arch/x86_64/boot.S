/*
 * The capOS entry: Multiboot headers, 32-bit protected-mode start, early
 * page tables, long mode, and the jump to the higher half.
 *
 * Two loaders reach _start32: GRUB through the Multiboot2 header (EAX =
 * 0x36d76289, EBX = the MB2 information), and QEMU's -kernel through the
 * Multiboot1 header with address fields (EAX = 0x2badb002, EBX = the MB1
 * information), which lets QEMU load the flat build/kernel.bin. kmain()
 * receives both registers and tells the two apart.
 *
 * The early page tables map the first 4 GiB of physical memory three times,
 * with 2 MiB pages: identity (for this code; removed by paging_init), the
 * HHDM at 0xffff800000000000, and the kernel window 0xffffffff80000000 ->
 * 0 (first 1 GiB). kernel/mm/paging.c replaces them with final tables.
 */
#include "include/capos/abi.h"

#define KVMA 0xffffffff80000000
#define PHYS(x) ((x) - KVMA)

#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00010003 /* page-aligned modules, memory map, address fields */
#define MB2_MAGIC 0xe85250d6

	.section .multiboot, "a"
	.align 8
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	.long mb1_header         /* header_addr (physical: .boot is linked at its LMA) */
	.long __image_start      /* load_addr */
	.long PHYS(__data_end)   /* load_end_addr */
	.long PHYS(__bss_end)    /* bss_end_addr */
	.long _start32           /* entry_addr */

	.align 8
mb2_header:
	.long MB2_MAGIC
	.long 0                  /* architecture: i386 protected mode */
	.long mb2_end - mb2_header
	.long -(MB2_MAGIC + 0 + (mb2_end - mb2_header))
	.short 0, 0              /* end tag */
	.long 8
mb2_end:

	.section .boot.data, "aw"
	.align 16
gdt64:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit kernel code */
	.quad 0x00cf92000000ffff /* 0x10: kernel data */
gdt64_ptr:
	.short gdt64_ptr - gdt64 - 1
	.long gdt64
boot_magic:
	.long 0
boot_info:
	.long 0

	.section .boot.text, "ax"
	.code32
	.global _start32
_start32:
	cli
	cld
	movl %eax, boot_magic
	movl %ebx, boot_info
	movl $PHYS(boot_stack_top), %esp

	/* Zero .bss (the early page tables live there). */
	movl $PHYS(__bss_start), %edi
	movl $PHYS(__bss_end), %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	/* Long mode needs CPUID leaf 0x80000001 with LM (EDX bit 29). */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz no_long_mode
	movl %edx, %ebp          /* keep NX (bit 20) for EFER below */

	/* Four page directories of 2 MiB pages: physical 0..4 GiB. */
	movl $PHYS(early_pd), %edi
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax          /* present, writable, 2 MiB page */
	movl %eax, (%edi, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax           /* high bits of ecx << 21 */
	movl %eax, 4(%edi, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jb 1b

	/* PDPT: the four directories; the kernel PDPT: entry 510 -> first 1 GiB. */
	movl $PHYS(early_pdpt), %edi
	movl $PHYS(early_pd), %eax
	orl $3, %eax
	movl $4, %ecx
2:	movl %eax, (%edi)
	addl $4096, %eax
	addl $8, %edi
	loop 2b
	movl $PHYS(early_pd), %eax
	orl $3, %eax
	movl %eax, PHYS(early_pdpt_k) + 510 * 8

	/* PML4: identity [0], HHDM [256], kernel [511]. */
	movl $PHYS(early_pdpt), %eax
	orl $3, %eax
	movl %eax, PHYS(early_pml4)
	movl %eax, PHYS(early_pml4) + 256 * 8
	movl $PHYS(early_pdpt_k), %eax
	orl $3, %eax
	movl %eax, PHYS(early_pml4) + 511 * 8

	movl %cr4, %eax
	orl $(1 << 5), %eax      /* PAE */
	movl %eax, %cr4
	movl $PHYS(early_pml4), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx   /* EFER */
	rdmsr
	orl $(1 << 8), %eax      /* LME */
	testl $(1 << 20), %ebp
	jz 3f
	orl $(1 << 11), %eax     /* NXE, when the CPU has NX */
3:	wrmsr
	movl %cr0, %eax
	orl $0x80010001, %eax    /* PG | WP | PE */
	movl %eax, %cr0

	lgdt gdt64_ptr
	ljmp $0x08, $long_entry

no_long_mode:
	/* Tell the log and leave with the failure exit code. */
	movw $0x3f8, %dx
	movl $no_lm_msg, %esi
4:	lodsb
	testb %al, %al
	jz 5f
	outb %al, %dx
	jmp 4b
5:	movw $CAPOS_DEBUG_EXIT_PORT, %dx
	movb $CAPOS_EXIT_FAILURE, %al
	outb %al, %dx
6:	hlt
	jmp 6b
no_lm_msg:
	.asciz "boot: CPU has no long mode\r\n"

	.code64
long_entry:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $high_entry, %rax
	jmp *%rax

	.text
high_entry:
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_magic, %edi
	movl boot_info, %esi
	call kmain
7:	cli
	hlt
	jmp 7b

	.bss
	.align 4096
	.global early_pml4
early_pml4:
	.skip 4096
early_pdpt:
	.skip 4096
early_pdpt_k:
	.skip 4096
early_pd:
	.skip 4 * 4096
	.global boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
	.skip 4096               /* left unmapped by paging_init */
boot_stack_bottom:
	.skip 16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
