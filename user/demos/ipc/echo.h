/*
 * The Echo demo interface (schema/capos.capnp) from both sides: a server
 * state with its generated-table dispatch, and a typed client call.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "user/rt/capos.h"

struct echo_server {
	uint32_t served;
	bool stopped;
	uint32_t last_ncaps; /* caps the last request carried */
	struct capos_request last;
};

/* capos_dispatch_fn for capos_serve_one with a struct echo_server. */
int echo_dispatch(void *self, const struct capos_request *req, struct capnp_msg *params,
		  struct capnp_builder *results, struct capnp_exc *exc);

/* Build an Echo.echo params message for text into buf; its length. */
uint32_t echo_params(uint64_t *buf, uint32_t len, const char *text);
/* Decode Echo.echo results: text (NUL-terminated into out) and served. */
int echo_results(const void *buf, int32_t len, char *out, uint32_t out_len, uint32_t *served);
/* Echo.echo over cap, blocking; 0 or the failure in st. */
int32_t echo_call(struct capos_rt *rt, uint32_t cap, const char *text, char *out, uint32_t out_len,
		  uint32_t *served, struct capos_status *st);
/* Echo.stop over cap. */
int32_t echo_stop(struct capos_rt *rt, uint32_t cap, struct capos_status *st);
