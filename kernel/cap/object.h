/*
 * Kernel capability objects. Each object implements one interface of
 * schema/capos.capnp through its generated dispatch table; the ring
 * dispatcher (kernel/cap/ring.c) finds the object from the caller's cap
 * table and calls it with the decoded params message and a results
 * builder. A method returns CAPNP_OK, CAPNP_EXCEPTION with *exc filled, or
 * a negative capnp error for a results buffer too small.
 *
 * Objects are either static singletons (Console, Timer, ...: no destroy)
 * or allocated per instance (ProcessHandle): those count their references
 * — one per cap-table hold plus any kernel link — and are destroyed by the
 * last kobj_put.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "include/capos/ring.h"
#include "lib/cap/cap_table.h"
#include "lib/capnp/capnp.h"

struct process;
struct kobj;

#define CALL_MAX_RESULT_CAPS 16 /* result caps one CALL may return */

/* One CALL as the object sees it. A method that completes later (Timer.sleep)
 * sets `deferred` after reserving what the completion needs; the ring then
 * posts no CQE now. A method that returns caps has already inserted them
 * in the caller's table (after checking call_result_room) and lists them in
 * caps[]; the ring appends them after the result bytes. */
struct call_ctx {
	struct process *proc;
	struct kobj *obj;
	uint64_t user_data;
	uint64_t result_addr;
	uint32_t result_len;
	bool deferred;
	bool thread_owned; /* the CALL was CAP_SQE_THREAD_OWNED (by this thread) */
	bool exit_thread;  /* ThreadControl.exitThread: end the calling thread */
	int64_t exit_code;
	uint32_t ncaps;
	struct cap_transfer_result caps[CALL_MAX_RESULT_CAPS];
};

/* Whether results of `bytes` plus ncaps transfer records fit the caller's
 * result buffer (checked before anything is committed). */
static inline bool call_result_room(const struct call_ctx *ctx, uint64_t bytes, uint32_t ncaps)
{
	uint64_t at = (bytes + CAP_TRANSFER_DESCRIPTOR_ALIGNMENT - 1) &
		      ~(uint64_t)(CAP_TRANSFER_DESCRIPTOR_ALIGNMENT - 1);
	return ncaps <= CALL_MAX_RESULT_CAPS &&
	       at + (uint64_t)ncaps * CAP_TRANSFER_RESULT_SIZE <= ctx->result_len;
}

struct kobj_ops {
	uint64_t interface_id;
	const char *label;
	int (*call)(struct kobj *o, struct call_ctx *ctx, uint16_t method, struct capnp_msg *params,
		    struct capnp_builder *results, struct capnp_exc *exc);
	void (*destroy)(struct kobj *o); /* NULL: a static singleton */
};

struct kobj {
	const struct kobj_ops *ops;
	uint32_t refs;	 /* [S] holds and kernel links; unused by singletons */
	uint64_t weight; /* [I] frame_grant_pages each hold of it charges (MemoryObject) */
};

static inline void kobj_get(struct kobj *o)
{
	o->refs++;
}

void kobj_put(struct kobj *o);
/* Give back an object made for a hold that was never published. */
void kobj_discard(struct kobj *o);

/* A hold for object o with the object's own interface id. */
static inline struct cap_hold kobj_hold(struct kobj *o, uint8_t mode, uint8_t origin)
{
	return (struct cap_hold){
		.object = o, .interface_id = o->ops->interface_id, .mode = mode, .origin = origin
	};
}

/* Commit a reserved slot to a hold of h's object, taking a reference. */
uint32_t kobj_commit(struct cap_table *t, struct cap_reservation r, const struct cap_hold *h);
/* captable_clear's drop callback (ctx: the holder's struct ledger): the
 * hold's charge and reference go. */
void kobj_drop_hold(void *ctx, const struct cap_hold *h);

/* A hold's charge to its holder's ledger (frame_grant_pages by weight):
 * reserved before the hold is published, released when it goes. */
int hold_charge(struct ledger *l, const struct cap_hold *h);
void hold_uncharge(struct ledger *l, const struct cap_hold *h);

extern struct kobj console_obj;		/* kernel/cap/console.c */
extern struct kobj null_obj;		/* kernel/cap/null.c */
extern struct kobj timer_obj;		/* kernel/cap/timer.c */
extern struct kobj boot_package_obj;	/* kernel/cap/boot_package.c */
extern struct kobj process_spawner_obj; /* kernel/cap/process_spawner.c */
extern struct kobj shell_launcher_obj;	/* kernel/cap/process_spawner.c */
extern struct kobj frame_allocator_obj; /* kernel/cap/frame_allocator.c */
extern struct kobj virtual_memory_obj;	/* kernel/cap/virtual_memory.c */
extern struct kobj thread_spawner_obj;	/* kernel/cap/thread_spawner.c */
extern struct kobj thread_control_obj;	/* kernel/cap/thread_control.c */
extern struct kobj park_space_obj;	/* kernel/cap/park.c */

/* A kernel cap source (KernelCapSource) as this kernel offers it: the
 * object, the transfer mode of its holds, and whether ProcessSpawner may
 * mint it for a child (kernel/cap/source.c). */
struct kernel_source {
	struct kobj *obj;	    /* the object; NULL for a child-local source */
	struct kobj *(*mint)(void); /* child-local: a fresh object (no references) or NULL */
	uint8_t mode;
	bool spawnable;
};
/* Returns false for a source this kernel does not implement. */
bool kernel_source(uint16_t source, struct kernel_source *out);
