/*
 * _start(ring, pid, capset): the kernel enters here with the stack 16-byte
 * aligned; capos_start builds the runtime and never returns.
 */
	.text
	.global _start
_start:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call capos_start
	ud2

	.section .note.GNU-stack, "", @progbits
