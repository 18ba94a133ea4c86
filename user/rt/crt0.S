/*
 * _start(ring, pid, capset, tid): the kernel enters here with the stack
 * 16-byte aligned; capos_start builds the runtime and never returns.
 *
 * capos_thread_start(arg, tid, pid, ring, capset): where every later
 * thread begins (ThreadSpawner's register contract); capos_thread_main
 * runs the thread's function and ends the thread.
 */
	.text
	.global _start
_start:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call capos_start
	ud2

	.global capos_thread_start
capos_thread_start:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call capos_thread_main
	ud2

	.section .note.GNU-stack, "", @progbits
