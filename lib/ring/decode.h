/*
 * lib/ring/decode — the decode half of one SQE (seL4's decode/invoke):
 * everything the kernel checks before it invokes anything, with no side
 * effect. The fields (ring_sqe_check, which the caller runs first: the
 * kernel checks every SQE's fields once, and a NOP needs nothing more),
 * the cap against the caller's cap table and the kind of object it must
 * name, the payload and result buffers, the transfer descriptors (count,
 * place, mode and reserved bits). What ring_sqe_check and then decode
 * return 0 for, the kernel's invoke step only applies.
 *
 * The host supplies what needs the machine: whether a user range is mapped
 * for an access, a copy from user memory, and the kind of an object (the
 * kernel asks its page tables and object ops; host tests and the fuzz
 * target fake them). Caller holds the process's lock, as for the cap
 * table.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "include/capos/limits.h"
#include "include/capos/ring.h"
#include "lib/cap/cap_table.h"

/* What an object is, as far as decode cares. */
enum ring_obj_kind {
	RING_OBJ_OTHER = 0, /* an ordinary kernel object: its CALL params are parsed */
	RING_OBJ_ENDPOINT,  /* an endpoint facet: opaque params, transfers, RECV/RETURN */
	RING_OBJ_PARK,	    /* the ParkSpace: PARK/UNPARK */
};

struct ring_env {
	const struct cap_table *caps; /* the caller's */
	/* Is [addr, addr + len) mapped user memory, writable if write? len > 0. */
	bool (*mapped)(void *ctx, uint64_t addr, uint64_t len, bool write);
	/* Copy len bytes of user memory at addr (already checked mapped). */
	void (*copy_in)(void *ctx, void *dst, uint64_t addr, uint64_t len);
	enum ring_obj_kind (*kind)(void *ctx, const void *object);
	void *ctx;
};

/* A decoded SQE: what the invoke step needs. */
struct ring_decoded {
	struct cap_hold hold;	 /* the cap named, for opcodes that name one */
	enum ring_obj_kind kind; /* its kind */
	uint32_t xfer_count;	 /* transfer descriptors copied into xd */
	struct cap_transfer_descriptor xd[CAP_XFER_MAX]; /* only xd[0, xfer_count) is set */
};

/* A user buffer is acceptable: no wrap, clear of the ring and CapSet
 * pages, and mapped for the access. An empty buffer always is. */
bool ring_range_ok(const struct ring_env *env, uint64_t addr, uint64_t len, bool write);

/* Where the transfer descriptors of a CALL/RETURN start: after the payload,
 * at the next 8-byte boundary (may wrap: ring_buffer_ok refuses it). */
uint64_t ring_xfer_addr(const struct cap_sqe *sqe);

/* Decode one SQE already copied out of the ring and accepted by
 * ring_sqe_check (decode does not check the fields again). Returns 0 with
 * *out filled, or a negative enum cap_err; nothing is changed either way.
 * PARK's word value and UNPARK's waiters are the invoke step's business. */
int ring_sqe_decode(const struct cap_sqe *sqe, const struct ring_env *env,
		    struct ring_decoded *out);
