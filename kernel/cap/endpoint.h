/*
 * Endpoint IPC (kernel/cap/endpoint.c): the rendezvous object behind the
 * CALL, RECV and RETURN opcodes, and its facets. An owner facet (what a
 * service holds, interface Endpoint) may RECV, RETURN and CALL; a client
 * facet (what importers hold, labelled with the served interface) may
 * only CALL.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "include/capos/ring.h"
#include "kernel/cap/object.h"

struct process;

/* Whether o is an endpoint facet (owner or client). */
bool endpoint_is_facet(const struct kobj *o);
/* A fresh endpoint; returns its owner facet with no references yet, or
 * NULL when memory is short. */
struct kobj *endpoint_new(void);
/* A client facet for the endpoint behind facet o: o itself when it is a
 * client facet (delegation keeps its identity), a new one for an owner.
 * NULL when o is no facet or memory is short. */
struct kobj *endpoint_client_of(struct kobj *o);

/* The opcodes, after ring.c decoded the SQE (cap, buffers, payload copied
 * into kernel memory, transfer descriptors loaded). They return a CQE
 * result, or RING_DEFERRED when the completion comes later. */
int32_t endpoint_call(struct process *p, const struct cap_sqe *sqe, const struct cap_hold *hold,
		      const void *params, const struct cap_transfer_descriptor *xd);
int32_t endpoint_recv(struct process *p, const struct cap_sqe *sqe, struct kobj *o,
		      uint32_t *ncaps);
int32_t endpoint_return(struct process *p, const struct cap_sqe *sqe, struct kobj *o,
			const void *payload, const struct cap_transfer_descriptor *xd);

/* p is exiting: drop its pending calls and receives and its in-flight
 * calls, releasing what they pinned and charged. Before its caps go. */
void endpoint_process_exit(struct process *p);
