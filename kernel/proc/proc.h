/*
 * Processes and threads. A process owns an address space, a capability
 * table with its ResourceLedger, the ring page and the CapSet page; threads
 * are the unit of scheduling (one per process until the threads issue adds
 * creation). Waiters name threads by generation-checked ThreadRef so a
 * reused slot never receives another thread's wake-up.
 *
 * Lock legend: [S] the scheduler lock (single CPU: interrupts off), [I]
 * immutable after creation.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "include/capos/limits.h"
#include "include/capos/ring.h"
#include "kernel/mm/vm.h"
#include "lib/cap/cap_table.h"
#include "lib/cap/ledger.h"
#include "lib/diag/diag.h"

struct kobj;

#define MAX_PROCESSES 16
#define MAX_THREADS   32
#define KSTACK_SIZE   16384
#define PROC_NAME_MAX 32
#define PROC_SLEEPERS 8 /* pending Timer.sleep calls per process */

enum thread_state {
	T_FREE,
	T_RUNNABLE,
	T_RUNNING,
	T_BLOCKED,
	T_DEAD
};

struct thread_ref {
	uint32_t pid, process_generation, tid, thread_generation;
};

struct thread {
	uint32_t tid;		 /* [I] slot index */
	uint32_t generation;	 /* [S] bumped when the slot is freed */
	enum thread_state state; /* [S] */
	struct process *proc;	 /* [I] */
	uint8_t *kstack;	 /* [I] KSTACK_SIZE bytes */
	uint64_t ksp;		 /* [S] saved kernel rsp while switched out */
	uint64_t wake_ns;	 /* [S] BLOCKED: deadline (UINT64_MAX: none) */
	uint64_t fs_base;	 /* [S] user FS base */
	uint8_t fpu[512] __attribute__((aligned(16))); /* [S] FXSAVE area */
	struct thread *next;			       /* [S] run queue */
	struct thread *sibling;			       /* [S] the process's other threads */
	uint64_t start[7];   /* [I] first entry: rip, rsp, rdi, rsi, rdx, rcx, r8 */
	int64_t exit_code;   /* [S] set when it exits */
	struct kobj *handle; /* [S] its ThreadHandle, told at exit (NULL: none) */
	/* park (kernel/cap/park.c): valid while parked */
	bool parked;	    /* [S] waiting in CAP_OP_PARK */
	bool park_woken;    /* [S] a wake (not the timeout) ended it */
	uint64_t park_addr; /* [S] the word's user address (the private key) */
	uint64_t park_seq;  /* [S] FIFO order among waiters */
};

/* A CALL that completes later (Timer.sleep), holding one reserved CQ slot. */
struct sleeper {
	bool used;
	uint64_t deadline;
	uint64_t user_data;
	uint64_t result_addr;
	uint32_t result_len;
};

struct process {
	uint32_t pid;				/* [I] slot index */
	uint32_t generation;			/* [S] */
	bool live;				/* [S] */
	char name[PROC_NAME_MAX];		/* [I] */
	struct aspace as;			/* [S] */
	struct ledger ledger;			/* [S] */
	struct cap_table caps;			/* [S] */
	struct cap_ring *ring;			/* [I] HHDM view of the ring page */
	void *capset;				/* [I] HHDM view of the CapSet page */
	uint32_t sq_head, cq_tail;		/* [S] the kernel's own ring indexes */
	struct diag diag;			/* [S] rate limit for invalid-submission logs */
	struct sleeper sleepers[PROC_SLEEPERS]; /* [S] pending Timer.sleep calls */
	uint32_t cq_reserved;			/* [S] CQ slots promised to sleepers */
	struct thread *main;			/* [I] the initial thread */
	struct thread *threads;			/* [S] every thread, through sibling */
	uint32_t nthreads;			/* [S] threads not yet exited */
	bool exiting;				/* [S] the whole process is ending */
	struct thread_ref ring_waiter;		/* [S] the one thread blocked in cap_enter */
	bool ring_waiting;			/* [S] ring_waiter is set */
	int64_t exit_code;			/* [S] */
	struct kobj *handle; /* [S] the parent's ProcessHandle, told at exit (NULL: none) */
};

enum proc_err {
	PROC_OK = 0,
	PROC_ERR_SLOTS = -1, /* no free process or thread slot */
	PROC_ERR_NOMEM = -2, /* frames or kernel stacks ran out */
	PROC_ERR_ELF = -3,   /* the image is not a loadable ELF */
	PROC_ERR_GRANT = -4, /* the grant callback refused */
};

/* What a new process is made of. grant() fills the fresh cap table and
 * CapSet page (returns 0, or non-zero to abandon the process); handle, if
 * not NULL, is linked to the process (one reference, dropped at exit). */
struct process_spec {
	const char *name;
	uint32_t name_len;
	const void *image;
	uint64_t image_len;
	int (*grant)(struct process *p, void *ctx);
	void *ctx;
	struct kobj *handle;
};

/* Create and publish a process. Returns PROC_OK with *out set, or a
 * PROC_ERR_* after logging why; on failure nothing is left allocated and
 * the handle was not touched. */
int process_create(const struct process_spec *spec, struct process **out);
const char *proc_strerror(int err);
/* End the current process (from a syscall or a fault): every thread of
 * it; never returns. */
void process_exit_current(int64_t code) __attribute__((__noreturn__));
/* End the current thread only (ThreadControl.exitThread); the last thread
 * ends the process with code. Never returns. */
void thread_exit_current(int64_t code) __attribute__((__noreturn__));
/* A new thread of p (not yet runnable) entering user mode at entry with
 * the thread register contract; NULL when no slot or kernel stack. */
struct thread *thread_create(struct process *p, uint64_t entry, uint64_t stack, uint64_t arg,
			     uint64_t fs_base);
/* Free a thread that never ran (a create that failed after it). */
void thread_discard(struct thread *t);
static inline void *capset_of(struct process *p)
{
	return p->capset;
}
/* Waiters and run queues hold thread_refs; resolve returns NULL for a ref
 * whose thread or process slot has been reused since. */
struct thread_ref thread_ref_of(const struct thread *t);
struct thread *thread_resolve(struct thread_ref r);
/* The live process pid of that generation, or NULL. */
struct process *process_resolve(uint32_t pid, uint32_t generation);
struct thread *thread_current(void);
struct process *process_current(void);

/* Scheduler (kernel/proc/sched.c). */
void sched_add(struct thread *t);
void sched_yield(void);
/* Block the current thread until wake_ns (or sched_wake). */
void sched_block(uint64_t wake_ns);
/* Make a blocked thread runnable now (a completion arrived for it);
 * _first puts it at the head of the run queue (direct IPC handoff). */
void sched_wake(struct thread *t);
void sched_wake_first(struct thread *t);
void sched_tick(bool from_user);
/* Set the current thread's FS base, in the CPU too (ThreadControl). */
void sched_set_fs_base(uint64_t fs);
/* Run threads until none is left. */
void sched_run(void);
/* Free a dead thread's resources, and its process's when the process is
 * ending; called by the scheduler once off the thread's stack. */
void process_reap(struct thread *t);
