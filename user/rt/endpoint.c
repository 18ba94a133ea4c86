/*
 * Endpoint IPC in libcapos: RECV and RETURN, a typed server loop over a
 * generated dispatch table, and CALLs that carry transfer descriptors.
 *
 * A RECV's result buffer holds the EndpointMessageHeader, the params, and
 * (at the next 8-byte boundary) the transfer results; capos_recv checks
 * every length the kernel reports against the buffer before using it.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

#define ALIGN8(n) (((n) + 7u) & ~7u)

uint64_t capos_recv_submit(struct capos_rt *rt, uint32_t ep, void *buf, uint32_t len)
{
	struct cap_sqe sqe = {
		.opcode = CAP_OP_RECV, .cap_id = ep, .result_addr = (uint64_t)buf, .result_len = len
	};
	capos_release_flush(rt);
	return capos_submit(rt, &sqe);
}

int32_t capos_request_of(const struct cap_cqe *cqe, const void *buf, uint32_t len,
			 struct capos_request *req)
{
	const struct cap_endpoint_message_header *h = buf;
	if (cqe->result < 0)
		return cqe->result;
	if ((uint32_t)cqe->result < sizeof(*h) || (uint32_t)cqe->result > len ||
	    h->params_len != (uint32_t)cqe->result - sizeof(*h) ||
	    h->xfer_cap_count != cqe->cap_count ||
	    ALIGN8((uint32_t)cqe->result) + cqe->cap_count * CAP_TRANSFER_RESULT_SIZE > len)
		return CAP_ERR_INVALID_REQUEST;
	req->call_id = h->call_id;
	req->method_id = h->method_id;
	req->interface_id = h->interface_id;
	req->params = (const uint8_t *)buf + sizeof(*h);
	req->params_len = h->params_len;
	req->ncaps = cqe->cap_count;
	req->caps = (const struct cap_transfer_result *)((const uint8_t *)buf +
							 ALIGN8((uint32_t)cqe->result));
	return 0;
}

int32_t capos_recv(struct capos_rt *rt, uint32_t ep, void *buf, uint32_t len,
		   struct capos_request *req)
{
	struct cap_cqe cqe;
	uint64_t ud = capos_recv_submit(rt, ep, buf, len);
	capos_wait_any(rt, &ud, 1, &cqe);
	return capos_request_of(&cqe, buf, len, req);
}

/* Payload then descriptors, 8-byte aligned, in one staging buffer. */
static uint64_t staging[(CAPOS_MAX_PAYLOAD + CAP_XFER_MAX * 16) / 8];

static int32_t stage(const void *payload, uint32_t len, const struct cap_transfer_descriptor *xd,
		     uint32_t n)
{
	if (len > CAPOS_MAX_PAYLOAD || n > CAP_XFER_MAX)
		return CAP_ERR_PARAMS_TOO_LARGE;
	memcpy(staging, payload, len);
	memcpy((uint8_t *)staging + ALIGN8(len), xd, n * sizeof(*xd));
	return 0;
}

int32_t capos_return(struct capos_rt *rt, uint32_t ep, uint32_t call_id, const void *result,
		     uint32_t len, bool exception, const struct cap_transfer_descriptor *xd,
		     uint32_t n)
{
	int32_t err = stage(result, len, xd, n);
	if (err < 0)
		return err;
	struct cap_sqe sqe = { .opcode = CAP_OP_RETURN,
			       .flags = exception ? CAP_SQE_RETURN_APPLICATION_EXCEPTION : 0,
			       .cap_id = ep,
			       .call_id = call_id,
			       .addr = (uint64_t)staging,
			       .len = len,
			       .xfer_cap_count = (uint16_t)n };
	return capos_submit_wait(rt, &sqe);
}

uint64_t capos_call_xfer_submit(struct capos_rt *rt, uint32_t cap, uint16_t method,
				const void *params, uint32_t len,
				const struct cap_transfer_descriptor *xd, uint32_t n, void *result,
				uint32_t result_len)
{
	if (stage(params, len, xd, n) < 0)
		return 0;
	struct cap_sqe sqe = { .opcode = CAP_OP_CALL,
			       .cap_id = cap,
			       .method_id = method,
			       .addr = (uint64_t)staging,
			       .len = len,
			       .xfer_cap_count = (uint16_t)n,
			       .result_addr = (uint64_t)result,
			       .result_len = result_len };
	capos_release_flush(rt);
	return capos_submit(rt, &sqe); /* the SQE is copied; staging is free again */
}

/* Encode exc as a CapException message into buf; its length, or 0. */
static uint32_t encode_exception(const struct capnp_exc *exc, uint64_t *buf, uint32_t len)
{
	struct capnp_builder b;
	struct capos_CapException_b e;
	const char *msg = exc->msg ? exc->msg : "";
	if (capnp_builder_init(&b, buf, len) < 0 || capos_CapException_init_root(&b, &e) < 0 ||
	    capos_CapException_set_message(&e, msg, (uint32_t)strlen(msg)) < 0)
		return 0;
	capos_CapException_set_type(&e, (enum capos_CapException_Type)exc->type);
	return (uint32_t)capnp_builder_finish(&b);
}

int capos_serve_one(struct capos_rt *rt, uint32_t ep, capos_dispatch_fn dispatch, void *self,
		    struct capos_request *req)
{
	static uint64_t in[(sizeof(struct cap_endpoint_message_header) + CAPOS_MAX_PAYLOAD +
			    CAP_XFER_MAX * 16) /
			   8];
	static uint64_t out[CAPOS_MAX_PAYLOAD / 8];
	struct capnp_seg segs[4];
	struct capnp_msg params;
	struct capnp_builder results;
	struct capnp_exc exc = { CAPNP_EXC_FAILED, "malformed params" };
	int32_t err = capos_recv(rt, ep, in, sizeof(in), req);
	if (err < 0)
		return err;
	int r = CAPNP_EXCEPTION;
	/* The params are copied to an aligned buffer for the reader. */
	static uint64_t aligned[CAPOS_MAX_PAYLOAD / 8];
	memcpy(aligned, req->params, req->params_len);
	if (capnp_msg_init(&params, aligned, req->params_len, segs, 4, NULL) == CAPNP_OK &&
	    capnp_builder_init(&results, out, sizeof(out)) == CAPNP_OK)
		r = dispatch(self, req, &params, &results, &exc);
	if (r == CAPNP_OK)
		return capos_return(rt, ep, req->call_id, out,
				    (uint32_t)capnp_builder_finish(&results), false, NULL, 0);
	if (r != CAPNP_EXCEPTION)
		exc = (struct capnp_exc){ CAPNP_EXC_FAILED, "results do not fit" };
	uint32_t n = encode_exception(&exc, out, sizeof(out));
	return capos_return(rt, ep, req->call_id, out, n, true, NULL, 0);
}
