/*
 * CPU feature detection and the protections capOS switches on: NX, SMEP,
 * SMAP and UMIP, each when the CPU has it.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct cpu_features {
	bool nx, smep, smap, umip, invariant_tsc, apic, x2apic;
};

extern struct cpu_features cpu;

void cpu_detect(void);
/* Turn on SMEP/SMAP/UMIP. Call only once no kernel mapping is user
 * accessible; logs which protections are on. */
void cpu_enable_protections(void);
/* Prepare STAR/LSTAR/SFMASK, EFER.SCE and the GS bases for syscalls. */
void syscall_init(void);

/* Per-CPU data reached through GS after swapgs; offsets used by switch.S. */
struct percpu {
	uint64_t kernel_rsp; /* %gs:0: the running thread's kernel stack top */
	uint64_t user_rsp;   /* %gs:8: scratch for the user rsp */
};
extern struct percpu percpu;

/* What syscall_entry pushes, lowest address first. */
struct syscall_frame {
	uint64_t r10, r9, r8, rdx, rsi, rdi, rax;
	uint64_t rflags, rip, rsp; /* the user's, from r11, rcx and rsp */
};

uint64_t syscall_dispatch(struct syscall_frame *f);
void context_switch(uint64_t *save, uint64_t load);
void enter_user(const uint64_t frame[7]) __attribute__((__noreturn__));
