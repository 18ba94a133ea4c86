/*
 * The Echo demo interface: server methods through the generated dispatch
 * table, and the client's typed calls.
 */
#include "user/demos/ipc/echo.h"

#include <string.h>

#include "gen/capos.capnp.h"

static int on_echo(void *self, const struct capos_Echo_echo_Params_r *p,
		   struct capos_Echo_echo_Results_b *r, struct capnp_exc *exc)
{
	struct echo_server *s = self;
	struct capnp_text text;
	if (capos_Echo_echo_Params_get_text(p, &text) < 0 ||
	    capos_Echo_echo_Results_set_text(r, text.str, text.len) < 0) {
		*exc = (struct capnp_exc){ CAPNP_EXC_FAILED, "echo: bad text" };
		return CAPNP_EXCEPTION;
	}
	capos_Echo_echo_Results_set_served(r, ++s->served);
	return CAPNP_OK;
}

static int on_stop(void *self, const struct capos_Echo_stop_Params_r *p,
		   struct capos_Echo_stop_Results_b *r, struct capnp_exc *exc)
{
	(void)p, (void)r, (void)exc;
	((struct echo_server *)self)->stopped = true;
	return CAPNP_OK;
}

static const struct capos_Echo_server table = { .echo = on_echo, .stop = on_stop };

int echo_dispatch(void *self, const struct capos_request *req, struct capnp_msg *params,
		  struct capnp_builder *results, struct capnp_exc *exc)
{
	struct echo_server *s = self;
	s->last = *req;
	s->last_ncaps = req->ncaps;
	return capos_Echo_dispatch(&table, self, req->method_id, params, results, exc);
}

uint32_t echo_params(uint64_t *buf, uint32_t len, const char *text)
{
	struct capnp_builder b;
	struct capos_Echo_echo_Params_b p;
	if (capnp_builder_init(&b, buf, len) < 0 || capos_Echo_echo_request(&b, &p) < 0 ||
	    capos_Echo_echo_Params_set_text(&p, text, (uint32_t)strlen(text)) < 0)
		return 0;
	return (uint32_t)capnp_builder_finish(&b);
}

int echo_results(const void *buf, int32_t len, char *out, uint32_t out_len, uint32_t *served)
{
	struct capnp_seg segs[2];
	struct capnp_msg m;
	struct capos_Echo_echo_Results_r r;
	struct capnp_text text;
	if (len < 0 || capnp_msg_init(&m, buf, (size_t)len, segs, 2, NULL) != CAPNP_OK ||
	    capos_Echo_echo_Results_read_root(&m, &r) != CAPNP_OK ||
	    capos_Echo_echo_Results_get_text(&r, &text) != CAPNP_OK || text.len >= out_len)
		return -1;
	memcpy(out, text.str, text.len);
	out[text.len] = 0;
	*served = capos_Echo_echo_Results_get_served(&r);
	return 0;
}

int32_t echo_call(struct capos_rt *rt, uint32_t cap, const char *text, char *out, uint32_t out_len,
		  uint32_t *served, struct capos_status *st)
{
	uint64_t params[32], result[32];
	uint32_t len = echo_params(params, sizeof(params), text);
	int32_t n = capos_call(rt, cap, CAPOS_ECHO_ECHO, params, len, result, sizeof(result));
	if (capos_status_of(n, result, sizeof(result), st) < 0)
		return st->err;
	if (echo_results(result, n, out, out_len, served) < 0)
		return capos_status_of(CAP_ERR_INVALID_REQUEST, NULL, 0, st);
	return 0;
}

int32_t echo_stop(struct capos_rt *rt, uint32_t cap, struct capos_status *st)
{
	uint64_t params[4], result[16];
	struct capnp_builder b;
	struct capos_Echo_stop_Params_b p;
	capnp_builder_init(&b, params, sizeof(params));
	capos_Echo_stop_request(&b, &p);
	int32_t n = capos_call(rt, cap, CAPOS_ECHO_STOP, params, (uint32_t)capnp_builder_finish(&b),
			       result, sizeof(result));
	return capos_status_of(n, result, sizeof(result), st);
}
