/*
 * endpoint-roundtrip: one process serving its own endpoint ("ep", owner).
 *   - a CALL queued before the RECV comes back with the echoed text;
 *   - copy transfer: the server receives a new Console cap that works, the
 *     sender's stays;
 *   - move transfer: the sender's CapId is gone, the receiver's works; the
 *     same move submitted again is aborted (replay fails closed);
 *   - RETURN carries a cap back (adopted with its interface checked) or an
 *     exception; a second RETURN of one call is refused;
 *   - queue limit: calls beyond the endpoint's queue are `overloaded` at
 *     once, and the queued ones are all answered;
 *   - receiver quota: copy transfers into its own full table are aborted
 *     with both sides unchanged, and work again once caps are released.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/limits.h"
#include "user/demos/ipc/echo.h"

static struct capos_rt *rt;
static uint32_t ep, console;
static struct echo_server srv;
static int failures;
static uint64_t params[32];
static uint32_t plen;
static uint64_t results[EP_MAX_PENDING_CALLS + 2][32];
static uint64_t uds[EP_MAX_PENDING_CALLS + 2];
static uint32_t kept[CAP_TABLE_SLOTS];

static void check(bool ok, const char *what)
{
	if (!ok) {
		failures++;
		capos_printf(rt, "endpoint-roundtrip: FAIL %s", what);
	}
}

/* Queue an echo CALL on ep with transfer descriptors; its user_data. */
static uint64_t call(unsigned slot, const struct cap_transfer_descriptor *xd, uint32_t n)
{
	return capos_call_xfer_submit(rt, ep, CAPOS_ECHO_ECHO, params, plen, xd, n, results[slot],
				      sizeof(results[0]));
}

static int32_t finish(uint64_t ud, struct cap_cqe *cqe)
{
	capos_wait_any(rt, &ud, 1, cqe);
	return cqe->result;
}

/* Serve one call; the caps it carried are in srv.last. */
static bool serve(void)
{
	struct capos_request req;
	return capos_serve_one(rt, ep, echo_dispatch, &srv, &req) == 0;
}

static void roundtrip(void)
{
	struct cap_cqe cqe;
	char text[32];
	uint32_t served;
	uint64_t ud = call(0, NULL, 0);
	check(serve(), "serve the first call");
	check(finish(ud, &cqe) > 0 &&
		      echo_results(results[0], cqe.result, text, sizeof(text), &served) == 0 &&
		      strcmp(text, "ping") == 0 && served == 1,
	      "roundtrip answer");
}

static void transfers(void)
{
	struct cap_cqe cqe;
	struct cap_transfer_descriptor copy = { console, CAP_TRANSFER_MODE_COPY, 0 };
	uint64_t ud = call(0, &copy, 1);
	check(serve() && srv.last_ncaps == 1 &&
		      srv.last.caps[0].interface_id == CAPOS_CONSOLE_INTERFACE_ID,
	      "copy transfer delivers a Console cap");
	uint32_t copied = srv.last.caps[0].cap_id;
	check(finish(ud, &cqe) > 0, "copy transfer call answered");
	check(copied != console, "the copy is a new cap");

	/* Move the copy: it leaves its CapId behind; replaying fails. */
	struct cap_transfer_descriptor move = { copied, CAP_TRANSFER_MODE_MOVE, 0 };
	ud = call(0, &move, 1);
	check(serve() && srv.last_ncaps == 1, "move transfer delivers the cap");
	uint32_t moved = srv.last.caps[0].cap_id;
	check(finish(ud, &cqe) > 0, "move transfer call answered");
	ud = call(0, &move, 1);
	check(finish(ud, &cqe) == CAP_ERR_TRANSFER_ABORTED, "move replay is aborted");
	struct cap_sqe release_old = { .opcode = CAP_OP_RELEASE, .cap_id = copied };
	check(capos_submit_wait(rt, &release_old) == CAP_ERR_INVALID_CAP ||
		      capos_submit_wait(rt, &release_old) == CAP_ERR_STALE_CAP,
	      "the moved-from CapId names nothing");
	capos_release(rt, moved);
	capos_release_flush(rt);
}

/* RETURN carrying a cap back to the caller, and RETURN of an exception. */
static void return_paths(void)
{
	struct cap_cqe cqe;
	struct capos_status st;
	uint64_t buf[64];
	struct capos_request req;
	uint32_t got = 0;
	uint64_t ud = call(0, NULL, 0);
	check(capos_recv(rt, ep, buf, sizeof(buf), &req) == 0, "RECV the call");
	struct cap_transfer_descriptor copy = { console, CAP_TRANSFER_MODE_COPY, 0 };
	check(capos_return(rt, ep, req.call_id, NULL, 0, false, &copy, 1) == 0,
	      "RETURN with a transfer");
	check(finish(ud, &cqe) == 0 &&
		      capos_adopt(results[0], &cqe, 0, CAPOS_CONSOLE_INTERFACE_ID, &got) == 0 &&
		      got != console,
	      "the caller adopts the returned Console cap");
	capos_release(rt, got);
	check(capos_return(rt, ep, req.call_id, NULL, 0, false, NULL, 0) == CAP_ERR_UNKNOWN_CALL,
	      "a second RETURN of the same call is refused");

	/* An unknown method: the generated dispatch raises, RETURN carries it. */
	ud = capos_call_xfer_submit(rt, ep, 9, params, plen, NULL, 0, results[0],
				    sizeof(results[0]));
	check(serve(), "serve the unknown method");
	int32_t r = finish(ud, &cqe);
	capos_status_of(r, results[0], sizeof(results[0]), &st);
	check(r == CAP_ERR_APPLICATION_EXCEPTION &&
		      st.exc.type == CAPOS_CAP_EXCEPTION_TYPE_UNIMPLEMENTED,
	      "an exception RETURNed reaches the caller");
}

static void queue_limit(void)
{
	struct cap_cqe cqe;
	struct capos_status st;
	for (unsigned i = 0; i < EP_MAX_PENDING_CALLS; i++)
		uds[i] = call(i, NULL, 0);
	uds[EP_MAX_PENDING_CALLS] = call(EP_MAX_PENDING_CALLS, NULL, 0);
	int32_t r = finish(uds[EP_MAX_PENDING_CALLS], &cqe);
	capos_status_of(r, results[EP_MAX_PENDING_CALLS], sizeof(results[0]), &st);
	check(st.exc.type == CAPOS_CAP_EXCEPTION_TYPE_OVERLOADED &&
		      strcmp(st.exc.message, "endpoint: too many queued calls") == 0,
	      "a call beyond the queue is overloaded");
	for (unsigned i = 0; i < EP_MAX_PENDING_CALLS; i++)
		check(serve(), "serve a queued call");
	for (unsigned i = 0; i < EP_MAX_PENDING_CALLS; i++)
		check(finish(uds[i], &cqe) > 0, "every queued call is answered");
}

static void receiver_quota(void)
{
	struct cap_cqe cqe;
	struct cap_transfer_descriptor copy = { console, CAP_TRANSFER_MODE_COPY, 0 };
	uint32_t n = 0;
	for (;;) {
		uint64_t buf[64];
		struct capos_request req;
		struct cap_cqe c;
		uint64_t both[2];
		both[0] = call(0, &copy, 1);
		both[1] = capos_recv_submit(rt, ep, buf, sizeof(buf));
		if (capos_wait_any(rt, both, 2, &c) == 0) {
			/* The CALL ended first: its transfer did not fit. The
			 * RECV still waits; give it a plain call. */
			check(c.result == CAP_ERR_TRANSFER_ABORTED, "the full table aborts");
			uint64_t plain = call(1, NULL, 0);
			capos_wait_any(rt, &both[1], 1, &c);
			check(capos_request_of(&c, buf, sizeof(buf), &req) == 0 && req.ncaps == 0,
			      "the RECV takes the next call, without caps");
			check(capos_return(rt, ep, req.call_id, NULL, 0, false, NULL, 0) == 0,
			      "answer it");
			finish(plain, &cqe);
			break;
		}
		check(capos_request_of(&c, buf, sizeof(buf), &req) == 0 && req.ncaps == 1,
		      "a copied cap arrives");
		kept[n++] = req.caps[0].cap_id;
		capos_return(rt, ep, req.call_id, NULL, 0, false, NULL, 0);
		finish(both[0], &cqe);
		if (n == CAP_TABLE_SLOTS) {
			check(false, "the table never filled");
			break;
		}
	}
	check(n > 0, "some transfers fit before the table filled");
	/* The sender's console still works after the aborted transfer. */
	check(capos_console_line(rt, "endpoint-roundtrip: console still works after the abort") >=
		      0,
	      "sender unchanged");
	for (uint32_t i = 0; i < n; i++)
		capos_release(rt, kept[i]);
	capos_release_flush(rt);
	uint64_t ud = call(0, &copy, 1);
	check(serve() && srv.last_ncaps == 1, "a transfer fits again after releasing");
	capos_release(rt, srv.last.caps[0].cap_id);
	finish(ud, &cqe);
	capos_printf(rt,
		     "endpoint-roundtrip: receiver table full after %u copied caps; the next "
		     "transfer aborted, both sides intact",
		     n);
}

int main(struct capos_rt *r)
{
	rt = r;
	if (capos_lookup(rt, "ep", CAPOS_ENDPOINT_INTERFACE_ID, &ep) != 0 ||
	    capos_lookup(rt, "console", CAPOS_CONSOLE_INTERFACE_ID, &console) != 0)
		capos_panic("endpoint-roundtrip: needs \"ep\" and \"console\"");
	plen = echo_params(params, sizeof(params), "ping");
	roundtrip();
	transfers();
	return_paths();
	queue_limit();
	receiver_quota();
	capos_release_flush(rt);
	capos_printf(rt,
		     "endpoint-roundtrip: roundtrip, copy, move, move replay, returned cap and "
		     "exception, queue limit and receiver quota checked%s",
		     failures ? ": FAIL" : "");
	return failures ? 1 : 0;
}
