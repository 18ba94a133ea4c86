/*
 * Context switch, the first entry to user mode, and the syscall entry.
 *
 * context_switch(uint64_t *save, uint64_t load): save the callee-saved
 * registers on this stack and its rsp in *save, then continue on `load`.
 *
 * enter_user(frame): iretq to ring 3 at frame's rip and rsp with its rdi,
 * rsi, rdx, rcx and r8, every other register zero.
 *
 * syscall_entry: the SYSCALL target. swapgs gives the per-CPU block
 * (percpu.kernel_rsp at %gs:0, the user rsp slot at %gs:8) just long
 * enough to switch to the thread's kernel stack, then swaps back: the
 * kernel never uses GS otherwise, so GS is the user's everywhere in the
 * kernel, whichever way a thread entered it (syscall or interrupt) and
 * whichever way the next thread leaves it (sysret, iretq, or its first
 * entry). A struct syscall_frame is built on the kernel stack and handed
 * to syscall_dispatch, whose return value goes back in RAX.
 */
	.text

	.global context_switch
context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.global enter_user
enter_user:                  /* rdi: {rip, rsp, rdi, rsi, rdx, rcx, r8} */
	movl $0x1b, %eax     /* user data in DS/ES too: no DPL-0 selector is left */
	movw %ax, %ds
	movw %ax, %es
	pushq $0x1b          /* ss: user data */
	pushq 8(%rdi)        /* rsp */
	pushq $0x202         /* rflags: IF */
	pushq $0x23          /* cs: user code */
	pushq 0(%rdi)        /* rip */
	movq 48(%rdi), %r8
	movq 40(%rdi), %rcx
	movq 32(%rdi), %rdx
	movq 24(%rdi), %rsi
	movq 16(%rdi), %rdi
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ebp, %ebp
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	iretq

	.global syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:8
	movq %gs:0, %rsp
	pushq %gs:8          /* user rsp */
	swapgs               /* the user's GS again, for the rest of the kernel */
	pushq %rcx           /* user rip */
	pushq %r11           /* user rflags */
	pushq %rax
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %r8
	pushq %r9
	pushq %r10
	movq %rsp, %rdi
	call syscall_dispatch
	popq %r10
	popq %r9
	popq %r8
	popq %rdx
	popq %rsi
	popq %rdi
	addq $8, %rsp        /* rax: the result is already in %rax */
	popq %r11
	popq %rcx
	popq %rsp
	sysretq

	.section .note.GNU-stack, "", @progbits
