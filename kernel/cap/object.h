/*
 * Kernel capability objects. Each object implements one interface of
 * schema/capos.capnp through its generated dispatch table; the ring
 * dispatcher (kernel/cap/ring.c) finds the object from the caller's cap
 * table and calls it with the decoded params message and a results
 * builder. A method returns CAPNP_OK, CAPNP_EXCEPTION with *exc filled, or
 * a negative capnp error for a results buffer too small.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "lib/capnp/capnp.h"

struct process;
struct kobj;

/* One CALL as the object sees it. A method that completes later (Timer.sleep)
 * sets `deferred` after reserving what the completion needs; the ring then
 * posts no CQE now. */
struct call_ctx {
	struct process *proc;
	uint64_t user_data;
	uint64_t result_addr;
	uint32_t result_len;
	bool deferred;
};

struct kobj_ops {
	uint64_t interface_id;
	const char *label;
	int (*call)(struct kobj *o, struct call_ctx *ctx, uint16_t method, struct capnp_msg *params,
		    struct capnp_builder *results, struct capnp_exc *exc);
};

struct kobj {
	const struct kobj_ops *ops;
};

extern struct kobj console_obj; /* kernel/cap/console.c */
extern struct kobj null_obj;	/* kernel/cap/null.c */
extern struct kobj timer_obj;	/* kernel/cap/timer.c */
