/*
 * Process creation and teardown. Creation is reserve-first: every frame,
 * table and slot is taken before the thread is published to the scheduler,
 * and any failure gives everything back (vm_destroy frees what was mapped).
 * Exit frees every frame, page table and cap, so the free-frame count
 * returns to where it was.
 */
#include <stddef.h>
#include <string.h>

#include "include/capos/abi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/time.h"
#include "kernel/boot/boot.h"
#include "kernel/cap/endpoint.h"
#include "kernel/cap/memory_object.h"
#include "kernel/cap/object.h"
#include "kernel/cap/process_handle.h"
#include "kernel/cap/thread_handle.h"
#include "kernel/klog.h"
#include "kernel/measure.h"
#include "kernel/mm/kstack.h"
#include "kernel/proc/proc.h"
#include "lib/capset/capset.h"
#include "lib/elf/elf.h"
#include "lib/ring/ring.h"

#define USER_STACK_TOP	 0x00007fff00000000ULL /* user stack grows down from here */
#define USER_STACK_PAGES 16		       /* 64 KiB, with an unmapped guard below */
#define USER_TLS_BASE	 CAPOS_USER_IMAGE_END  /* the initial thread's TLS block */

static struct process procs[MAX_PROCESSES];
static struct thread threads[MAX_THREADS];

static struct process *process_slot(void)
{
	for (unsigned i = 0; i < MAX_PROCESSES; i++)
		if (!procs[i].live)
			return &procs[i];
	return NULL;
}

struct thread_ref thread_ref_of(const struct thread *t)
{
	return (struct thread_ref){ t->proc->pid, t->proc->generation, t->tid, t->generation };
}

struct thread *thread_resolve(struct thread_ref r)
{
	if (r.tid >= MAX_THREADS)
		return NULL;
	struct thread *t = &threads[r.tid];
	if (t->state == T_FREE || t->generation != r.thread_generation || t->proc == NULL ||
	    t->proc->pid != r.pid || t->proc->generation != r.process_generation)
		return NULL; /* a stale waiter: the slot was reused */
	return t;
}

struct process *process_resolve(uint32_t pid, uint32_t generation)
{
	if (pid == 0 || pid > MAX_PROCESSES)
		return NULL;
	struct process *p = &procs[pid - 1];
	return p->live && p->generation == generation ? p : NULL;
}

static struct thread *thread_slot(void)
{
	for (unsigned i = 0; i < MAX_THREADS; i++)
		if (threads[i].state == T_FREE)
			return &threads[i];
	return NULL;
}

/* Copy len bytes of `src` to user va, mapping fresh pages with prot. */
static int load_bytes(struct aspace *as, uint64_t va, uint64_t memsz, const uint8_t *src,
		      uint64_t filesz, unsigned prot)
{
	uint64_t start = va & ~(CAPOS_PAGE_SIZE - 1), end = va + memsz;
	for (uint64_t page = start; page < end; page += CAPOS_PAGE_SIZE) {
		uint64_t frame = vm_map_new(as, page, prot);
		if (frame == 0)
			return -1;
		uint8_t *k = phys_to_virt(frame);
		for (uint64_t b = 0; b < CAPOS_PAGE_SIZE; b++) {
			uint64_t at = page + b;
			if (at >= va && at - va < filesz)
				k[b] = src[at - va];
		}
	}
	return 0;
}

static unsigned vm_prot(uint32_t elf_prot)
{
	return VM_READ | (elf_prot & ELF_PROT_WRITE ? VM_WRITE : 0) |
	       (elf_prot & ELF_PROT_EXEC ? VM_EXEC : 0);
}

/* Map the segments; returns 0 or a PROC_ERR_* (the ELF error in *elf_err). */
static int load_image(struct process *p, const uint8_t *image, uint64_t len, uint64_t *entry,
		      struct elf_image *elf, int *elf_err)
{
	const struct elf_window win = { CAPOS_USER_IMAGE_BASE, USER_TLS_BASE };
	*elf_err = elf_parse(image, len, &win, elf);
	if (*elf_err != ELF_OK)
		return PROC_ERR_ELF;
	for (uint32_t i = 0; i < elf->nsegments; i++) {
		const struct elf_segment *s = &elf->segments[i];
		if (load_bytes(&p->as, s->vaddr, s->memsz, image + s->offset, s->filesz,
			       vm_prot(s->prot)) < 0)
			return PROC_ERR_NOMEM;
	}
	*entry = elf->entry;
	return 0;
}

/* The x86_64 TLS variant II block: the template, then the TCB whose first
 * word points at itself; FS base is the TCB. */
static int setup_tls(struct process *p, const uint8_t *image, const struct elf_image *elf)
{
	if (!elf->has_tls)
		return 0;
	const struct elf_tls *t = &elf->tls;
	uint64_t block = (t->memsz + t->align - 1) & ~(t->align - 1);
	uint64_t tcb = USER_TLS_BASE + block;
	uint8_t tmp[16];
	if (load_bytes(&p->as, USER_TLS_BASE, block + 16, NULL, 0, VM_READ | VM_WRITE) < 0)
		return PROC_ERR_NOMEM;
	for (uint64_t off = 0; off < t->filesz; off++)
		if (copy_to_user(&p->as, USER_TLS_BASE + off, image + t->offset + off, 1) < 0)
			return PROC_ERR_NOMEM;
	memcpy(tmp, &tcb, 8);
	memset(tmp + 8, 0, 8);
	if (copy_to_user(&p->as, tcb, tmp, 16) < 0)
		return PROC_ERR_NOMEM;
	p->main->fs_base = tcb;
	return 0;
}

static int setup_fixed_pages(struct process *p, const struct process_spec *spec)
{
	for (unsigned i = 1; i <= USER_STACK_PAGES; i++)
		if (vm_map_new(&p->as, USER_STACK_TOP - i * CAPOS_PAGE_SIZE, VM_READ | VM_WRITE) ==
		    0)
			return PROC_ERR_NOMEM;
	uint64_t ring = vm_map_new(&p->as, CAPOS_RING_VADDR, VM_READ | VM_WRITE);
	uint64_t capset = vm_map_new(&p->as, CAPOS_CAPSET_VADDR, VM_READ);
	if (ring == 0 || capset == 0)
		return PROC_ERR_NOMEM;
	p->ring = phys_to_virt(ring);
	p->ring->hdr.sq_entries = CAP_SQ_ENTRIES;
	p->ring->hdr.cq_entries = CAP_CQ_ENTRIES;
	p->capset = phys_to_virt(capset);
	capset_init(p->capset);
	return spec->grant(p, spec->ctx) == 0 ? 0 : PROC_ERR_GRANT;
}

/* The first time a thread runs: into user mode with its start frame. */
static void thread_start(void)
{
	enter_user(thread_current()->start);
}

struct thread *thread_create(struct process *p, uint64_t entry, uint64_t stack, uint64_t arg,
			     uint64_t fs_base)
{
	struct thread *t = thread_slot();
	if (t == NULL)
		return NULL;
	uint8_t *kstack = kstack_alloc();
	if (kstack == NULL)
		return NULL;
	uint32_t gen = t->generation;
	memset(t, 0, sizeof(*t));
	t->tid = (uint32_t)(t - threads);
	t->generation = gen;
	t->proc = p;
	t->kstack = kstack;
	t->state = T_BLOCKED; /* not runnable until published */
	t->fs_base = fs_base;
	/* The thread contract: RDI arg, RSI tid, RDX pid, RCX ring, R8 CapSet.
	 * The initial thread gets _start(ring, pid, capset, tid) instead. */
	const uint64_t first[7] = { entry,  stack, CAPOS_RING_VADDR, p->pid, CAPOS_CAPSET_VADDR,
				    t->tid, 0 };
	const uint64_t later[7] = {
		entry, stack, arg, t->tid, p->pid, CAPOS_RING_VADDR, CAPOS_CAPSET_VADDR
	};
	memcpy(t->start, p->threads == NULL ? first : later, sizeof(t->start));
	uint64_t *top = (uint64_t *)(kstack + KSTACK_SIZE - 64);
	top[-2] = (uint64_t)thread_start; /* context_switch's ret */
	t->ksp = (uint64_t)&top[-8];	  /* six callee-saved registers below it */
	memset((void *)t->ksp, 0, 6 * 8);
	t->fpu[0] = 0x7f; /* FCW 0x037f: x87 defaults */
	t->fpu[1] = 0x03;
	t->fpu[24] = 0x80; /* MXCSR 0x1f80: SSE exceptions masked */
	t->fpu[25] = 0x1f;
	t->sibling = p->threads;
	p->threads = t;
	p->nthreads++;
	return t;
}

/* Unlink t from its process and free its slot and stack. */
static void thread_free(struct thread *t)
{
	struct process *p = t->proc;
	for (struct thread **pp = &p->threads; *pp; pp = &(*pp)->sibling) {
		if (*pp == t) {
			*pp = t->sibling;
			break;
		}
	}
	kstack_free(t->kstack);
	t->generation++;
	t->state = T_FREE;
	t->proc = NULL;
}

void thread_discard(struct thread *t)
{
	t->proc->nthreads--;
	thread_free(t);
}

/* t has exited: its handle learns the code (and keeps the thread-record
 * charge while someone can still observe it), or the charge goes now. */
static void thread_retire(struct thread *t)
{
	struct process *p = t->proc;
	if (t->handle != NULL) {
		thread_handle_exited(t->handle, t->exit_code, &p->ledger);
		t->handle = NULL;
	} else {
		ledger_release(&p->ledger, LEDGER_THREADS, 1);
	}
}

/* Every counted resource of an exited process's ledger must be back at
 * zero once its IPC state and caps are gone (spec: Q2); anything else is a
 * kernel accounting bug. */
static void check_ledger(const struct process *p)
{
	for (int r = 0; r < LEDGER_NRES; r++)
		if (ledger_used(&p->ledger, (enum ledger_res)r) != 0)
			kernel_halt_failure("process: %s (pid %u) left %lu %s charged at exit",
					    p->name, p->pid,
					    ledger_used(&p->ledger, (enum ledger_res)r),
					    ledger_res_name((enum ledger_res)r));
}

static void process_free(struct process *p)
{
	endpoint_process_exit(p); /* before the caps its calls pinned go */
	captable_clear(&p->caps, kobj_drop_hold, &p->ledger);
	if (p->as.root) {
		ledger_release(&p->ledger, LEDGER_VIRT_PAGES, p->as.reserved_pages);
		ledger_release(&p->ledger, LEDGER_FRAME_GRANT_PAGES,
			       p->as.committed_pages + p->as.borrowed_pages);
		vm_destroy(&p->as, memory_object_unmapped);
	}
	while (p->threads != NULL) {
		struct thread *t = p->threads;
		thread_retire(t);
		thread_free(t);
	}
	check_ledger(p);
	p->generation++;
	p->live = false;
	p->main = NULL;
}

const char *proc_strerror(int err)
{
	switch (err) {
	case PROC_ERR_SLOTS:
		return "no free process or thread slot";
	case PROC_ERR_NOMEM:
		return "out of memory";
	case PROC_ERR_ELF:
		return "not a loadable ELF";
	case PROC_ERR_GRANT:
		return "its caps could not be granted";
	default:
		return "unknown error";
	}
}

int process_create(const struct process_spec *spec, struct process **out)
{
	struct process *p = process_slot();
	struct elf_image elf;
	uint64_t entry = 0;
	int err = PROC_ERR_NOMEM, elf_err = ELF_OK;

	if (p == NULL) {
		kprintf("process: no free process slot for %.*s\n", (int)spec->name_len,
			spec->name);
		return PROC_ERR_SLOTS;
	}
	uint32_t gen = p->generation;
	memset(p, 0, sizeof(*p));
	p->pid = (uint32_t)(p - procs) + 1;
	p->generation = gen;
	p->live = true;
	for (unsigned i = 0; i < PROC_NAME_MAX - 1 && i < spec->name_len; i++)
		p->name[i] = spec->name[i];
	ledger_init_default(&p->ledger, clock_ns());
	diag_init(&p->diag, clock_ns());
	captable_init(&p->caps, &p->ledger);
	if (vm_create(&p->as) == 0 &&
	    (err = load_image(p, spec->image, spec->image_len, &entry, &elf, &elf_err)) == 0) {
		if ((p->main = thread_create(p, entry, USER_STACK_TOP, 0, 0)) == NULL) {
			err = thread_slot() == NULL ? PROC_ERR_SLOTS : PROC_ERR_NOMEM;
		} else {
			ledger_reserve(&p->ledger, LEDGER_THREADS, 1); /* the initial thread */
			if ((err = setup_tls(p, spec->image, &elf)) == 0)
				err = setup_fixed_pages(p, spec);
		}
	}
	if (err != 0) {
		kprintf("process: cannot start %s: %s\n", p->name,
			err == PROC_ERR_ELF ? elf_strerror(elf_err) : proc_strerror(err));
		process_free(p);
		return err;
	}
	if (spec->handle != NULL) {
		p->handle = spec->handle;
		kobj_get(spec->handle);
	}
	sched_add(p->main);
	kprintf("process: %s started as pid %u (%lu pages)\n", p->name, p->pid, p->as.pages);
	*out = p;
	return PROC_OK;
}

void process_reap(struct thread *t)
{
	struct process *p = t->proc;
	if (!p->exiting) { /* one thread of a process that goes on */
		thread_retire(t);
		thread_free(t);
		return;
	}
	if (p->diag.suppressed)
		kprintf("ring: pid=%u invalid submissions suppressed=%lu last_err=%s\n", p->pid,
			p->diag.suppressed, ring_strerror(p->diag.last_error));
	kprintf("process: %s (pid %u) exited with code %ld\n", p->name, p->pid, p->exit_code);
	measure_process_exit(p); /* the measure build's page-table figures */
	struct kobj *handle = p->handle;
	int64_t code = p->exit_code;
	process_free(p); /* its caps (and their references) go first */
	if (handle != NULL)
		process_handle_exited(handle, code);
}
