/*
 * Interrupt and exception entry stubs. Every vector gets a stub that pushes
 * a uniform frame (a zero error code where the CPU pushes none, then the
 * vector number) and jumps to trap_common, which saves the general
 * registers and calls trap_dispatch(struct trap_frame *). The frame layout
 * is struct trap_frame in trap.h.
 */
	.text
	.altmacro

.macro STUB vec
	.align 16
trap_stub_\vec:
	.if (\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
.endm

	.align 16
	.global trap_stubs_start
trap_stubs_start:
.set vec, 0
.rept 256
	STUB %vec
.set vec, vec + 1
.endr

trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	call trap_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

	.section .note.GNU-stack, "", @progbits
