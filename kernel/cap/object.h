/*
 * Kernel capability objects. Each object implements one interface of
 * schema/capos.capnp through its generated dispatch table; the ring
 * dispatcher (kernel/cap/ring.c) finds the object from the caller's cap
 * table and calls it with the decoded params message and a results
 * builder. A method returns CAPNP_OK, CAPNP_EXCEPTION with *exc filled, or
 * a negative capnp error for a results buffer too small.
 */
#pragma once

#include <stdint.h>

#include "lib/capnp/capnp.h"

struct process;
struct kobj;

struct kobj_ops {
	uint64_t interface_id;
	const char *label;
	int (*call)(struct kobj *o, struct process *caller, uint16_t method,
		    struct capnp_msg *params, struct capnp_builder *results, struct capnp_exc *exc);
};

struct kobj {
	const struct kobj_ops *ops;
};

extern struct kobj console_obj; /* kernel/cap/console.c */
extern struct kobj null_obj;	/* kernel/cap/null.c */
