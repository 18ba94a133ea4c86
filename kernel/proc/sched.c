/*
 * The scheduler: round robin over runnable threads, run from kmain's stack
 * (the scheduler context). A thread gives the CPU back by switching to the
 * scheduler context (yield, block, exit); the LAPIC tick preempts user mode
 * by doing the same from the interrupt. With nothing runnable but threads
 * asleep, the scheduler halts the CPU until the next interrupt (there is
 * no idle process). When no thread is left, sched_run returns.
 *
 * [S] everything here: single CPU, the kernel runs with interrupts off.
 */
#include <stddef.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/io.h"
#include "kernel/arch/x86_64/time.h"
#include "kernel/cap/ring.h"
#include "kernel/klog.h"
#include "kernel/measure.h"
#include "kernel/proc/proc.h"

#define MSR_FS_BASE 0xc0000100

/* Runnable threads, FIFO, and blocked ones with a deadline, both named by
 * generation-checked ThreadRefs (spec: threading contract). */
static struct thread_ref runq[MAX_THREADS];
static unsigned run_head, run_count;
static struct thread_ref sleepers[MAX_THREADS];
static bool sleeping[MAX_THREADS];
static uint64_t sched_rsp;
static struct thread *current;
static unsigned live_threads;
/* What the FS base MSR holds: read when a thread leaves the CPU (user
 * code may have changed it with a segment load), written when one
 * arrives, so a switch to a thread with the same FS base skips the write
 * (main threads of processes with TLS blocks of one size have the same:
 * every process's block starts at USER_TLS_BASE). */
static uint64_t fs_loaded;

struct thread *thread_current(void)
{
	return current;
}

struct process *process_current(void)
{
	return current ? current->proc : NULL;
}

/* Drop the entries of threads that are gone or no longer runnable (a
 * process's exit leaves its queued threads' entries behind). */
static void compact(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < run_count; i++) {
		struct thread_ref r = runq[(run_head + i) % MAX_THREADS];
		struct thread *t = thread_resolve(r);
		if (t != NULL && t->state == T_RUNNABLE)
			runq[(run_head + n++) % MAX_THREADS] = r;
		else
			live_threads--;
	}
	run_count = n;
}

void sched_add(struct thread *t)
{
	if (run_count == MAX_THREADS)
		compact();
	if (run_count == MAX_THREADS)
		kernel_halt_failure("sched: run queue overflow");
	t->state = T_RUNNABLE;
	runq[(run_head + run_count++) % MAX_THREADS] = thread_ref_of(t);
	live_threads++;
}

static void enqueue(struct thread *t)
{
	live_threads--;
	sched_add(t);
}

static struct thread *dequeue(void)
{
	while (run_count > 0) {
		struct thread_ref r = runq[run_head];
		run_head = (run_head + 1) % MAX_THREADS;
		run_count--;
		struct thread *t = thread_resolve(r);
		if (t != NULL && t->state == T_RUNNABLE)
			return t;
		live_threads--; /* a stale entry: its thread is gone or killed */
	}
	return NULL;
}

/* Back to the scheduler context; returns when this thread runs again. */
static void to_scheduler(void)
{
	struct thread *t = current;
	__asm__ volatile("fxsave64 (%0)" : : "r"(t->fpu) : "memory");
	t->fs_base = fs_loaded = rdmsr(MSR_FS_BASE);
	context_switch(&t->ksp, sched_rsp);
}

void sched_yield(void)
{
	enqueue(current);
	to_scheduler();
}

void sched_block(uint64_t wake_ns)
{
	current->state = T_BLOCKED;
	current->wake_ns = wake_ns;
	sleepers[current->tid] = thread_ref_of(current);
	sleeping[current->tid] = true;
	to_scheduler();
}

void sched_wake(struct thread *t)
{
	if (t->state != T_BLOCKED || !sleeping[t->tid])
		return; /* running or runnable: it will see the completion */
	sleeping[t->tid] = false;
	enqueue(t);
}

void sched_wake_first(struct thread *t)
{
	if (t->state != T_BLOCKED || !sleeping[t->tid])
		return;
	sleeping[t->tid] = false;
	if (run_count == MAX_THREADS)
		compact();
	if (run_count == MAX_THREADS)
		kernel_halt_failure("sched: run queue overflow");
	t->state = T_RUNNABLE;
	run_head = (run_head + MAX_THREADS - 1) % MAX_THREADS;
	runq[run_head] = thread_ref_of(t);
	run_count++;
	measure_count(EV_HANDOFF);
}

void sched_tick(bool from_user)
{
	if (!from_user || current == NULL)
		return;
	ring_poll_tick(current->proc); /* non-CALL work only */
	sched_yield();
}

/* Leave the CPU for good; the scheduler reaps t once off its stack. */
static __attribute__((__noreturn__)) void die(struct thread *t)
{
	t->state = T_DEAD;
	fs_loaded = rdmsr(MSR_FS_BASE);
	context_switch(&t->ksp, sched_rsp);
	kernel_halt_failure("sched: a dead thread ran again");
}

void process_exit_current(int64_t code)
{
	struct thread *t = current;
	struct process *p = t->proc;
	p->exit_code = code;
	p->exiting = true;
	/* Every other thread stops where it is: queued or sleeping entries
	 * turn stale when the process is reaped, and are dropped then. */
	for (struct thread *s = p->threads; s; s = s->sibling)
		if (s != t && s->state != T_DEAD)
			s->state = T_DEAD;
	die(t);
}

void thread_exit_current(int64_t code)
{
	struct thread *t = current;
	t->exit_code = code;
	if (--t->proc->nthreads == 0)
		process_exit_current(code); /* the last thread ends the process */
	die(t);
}

static void wake_expired(void)
{
	uint64_t now = clock_ns();
	for (unsigned i = 0; i < MAX_THREADS; i++) {
		if (!sleeping[i])
			continue;
		struct thread *t = thread_resolve(sleepers[i]);
		if (t == NULL || t->state == T_DEAD) { /* stale or killed: drained, never woken */
			sleeping[i] = false;
			live_threads--;
		} else if (t->wake_ns <= now) {
			sleeping[i] = false;
			enqueue(t);
		}
	}
}

static void run(struct thread *t)
{
	current = t;
	t->state = T_RUNNING;
	percpu.kernel_rsp = (uint64_t)t->kstack + KSTACK_SIZE;
	gdt_set_kernel_stack(percpu.kernel_rsp);
	vm_activate(&t->proc->as);
	measure_count(EV_SWITCH);
	if (t->fs_base != fs_loaded) {
		wrmsr(MSR_FS_BASE, t->fs_base);
		fs_loaded = t->fs_base;
	} else {
		measure_count(EV_FS_KEPT);
	}
	__asm__ volatile("fxrstor64 (%0)" : : "r"(t->fpu) : "memory");
	context_switch(&sched_rsp, t->ksp);
	measure_off_cpu(t); /* the measure build: when t left the CPU */
	current = NULL;
	if (t->state == T_DEAD) {
		live_threads--;
		process_reap(t);
	}
}

void sched_set_fs_base(uint64_t fs)
{
	current->fs_base = fs_loaded = fs;
	wrmsr(MSR_FS_BASE, fs);
}

void sched_run(void)
{
	fs_loaded = rdmsr(MSR_FS_BASE);
	while (live_threads > 0) {
		wake_expired();
		struct thread *t = dequeue();
		if (t != NULL) {
			run(t);
			continue;
		}
		/* Only sleepers left: wait for the tick with interrupts on. */
		__asm__ volatile("sti; hlt; cli");
	}
}
