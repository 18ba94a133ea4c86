/*
 * ipc-hostile: endpoint cleanup when a peer dies.
 *   - a server that dies holding a call: the caller completes with a
 *     `disconnected` exception, and a later call fails the same way;
 *   - a client that dies with its call in flight: the call is dropped and
 *     the server's RETURN fails cleanly (no such in-flight call);
 *   - RECV on the client facet ProcessSpawner returned is refused.
 * The peers are this binary again, told their part by the one cap name
 * they get: "serve-once" (an endpoint to own) or "call-once" (a client
 * facet of ours).
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "user/demos/ipc/echo.h"

static struct capos_rt *rt;
static int failures;

static void check(bool ok, const char *what, const struct capos_status *st)
{
	if (!ok) {
		failures++;
		capos_printf(rt, "ipc-hostile: FAIL %s (%s)", what,
			     st ? capos_status_str(st) : "-");
	}
}

/* Peer: take one call and exit without answering. */
static int serve_once(uint32_t ep)
{
	uint64_t buf[64];
	struct capos_request req;
	return capos_recv(rt, ep, buf, sizeof(buf), &req) == 0 ? 0 : 1;
}

/* Peer: send one call and exit once the kernel has taken it. */
static int call_once(uint32_t facet)
{
	static uint64_t params[32], result[32];
	uint32_t len = echo_params(params, sizeof(params), "from a dying client");
	capos_call_submit(rt, facet, CAPOS_ECHO_ECHO, params, len, result, sizeof(result));
	capos_cap_enter(0, 0); /* dispatch it, do not wait */
	return 7;
}

static void dying_server(uint32_t spawner)
{
	struct capos_status st;
	uint32_t handle, facets[2] = { 0 }, served;
	int64_t code;
	char text[32];
	struct capos_grant g[2] = {
		{ "console", CAPOS_CONSOLE_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_CONSOLE },
		{ "serve-once", CAPOS_ENDPOINT_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_ENDPOINT },
	};
	check(capos_spawn_ex(rt, spawner, "dying-server", "ipc-hostile", g, 2, &handle, facets,
			     &st) == 0 &&
		      facets[1] != 0,
	      "spawn a server with an endpoint grant (facet back)", &st);
	uint64_t buf[16];
	struct capos_request req;
	check(capos_recv(rt, facets[1], buf, sizeof(buf), &req) == CAP_ERR_CLIENT_FACET,
	      "RECV on the returned client facet is refused", NULL);
	check(echo_call(rt, facets[1], "are you there", text, sizeof(text), &served, &st) ==
			      CAP_ERR_APPLICATION_EXCEPTION &&
		      st.exc.type == CAPOS_CAP_EXCEPTION_TYPE_DISCONNECTED,
	      "a call the server took before dying is disconnected", &st);
	check(capos_process_wait(rt, handle, &code, &st) == 0 && code == 0, "the server exited",
	      &st);
	check(echo_call(rt, facets[1], "anyone", text, sizeof(text), &served, &st) ==
			      CAP_ERR_APPLICATION_EXCEPTION &&
		      st.exc.type == CAPOS_CAP_EXCEPTION_TYPE_DISCONNECTED,
	      "a call after the server died is disconnected", &st);
	capos_release(rt, handle);
	capos_release(rt, facets[1]);
	capos_release_flush(rt);
}

static void dying_client(uint32_t spawner, uint32_t ep)
{
	struct capos_status st;
	uint32_t handle, facets[2];
	int64_t code;
	uint64_t buf[64];
	struct capos_request req;
	struct cap_cqe cqe;
	uint64_t rd = capos_recv_submit(rt, ep, buf, sizeof(buf));
	struct capos_grant g[2] = {
		{ "console", CAPOS_CONSOLE_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_CONSOLE },
		{ "call-once", CAPOS_ECHO_INTERFACE_ID, CAPOS_GRANT_CLIENT, ep, 0 },
	};
	check(capos_spawn_ex(rt, spawner, "dying-client", "ipc-hostile", g, 2, &handle, facets,
			     &st) == 0,
	      "spawn a client with a client grant of our endpoint", &st);
	capos_wait_any(rt, &rd, 1, &cqe);
	check(capos_request_of(&cqe, buf, sizeof(buf), &req) == 0 &&
		      req.interface_id == CAPOS_ECHO_INTERFACE_ID,
	      "the client's call arrives, labelled Echo", NULL);
	check(capos_process_wait(rt, handle, &code, &st) == 0 && code == 7,
	      "the client exited with its call in flight", &st);
	check(capos_return(rt, ep, req.call_id, NULL, 0, false, NULL, 0) == CAP_ERR_UNKNOWN_CALL,
	      "RETURN to the dead client fails cleanly", NULL);
	capos_release(rt, handle);
	capos_release_flush(rt);
}

int main(struct capos_rt *r)
{
	uint32_t cap, spawner, ep;
	rt = r;
	if (capos_lookup(rt, "serve-once", CAPOS_ENDPOINT_INTERFACE_ID, &cap) == 0)
		return serve_once(cap);
	if (capos_lookup(rt, "call-once", CAPOS_ECHO_INTERFACE_ID, &cap) == 0)
		return call_once(cap);
	if (capos_lookup(rt, "spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &spawner) != 0 ||
	    capos_lookup(rt, "ep", CAPOS_ENDPOINT_INTERFACE_ID, &ep) != 0)
		capos_panic("ipc-hostile: needs \"spawner\" and \"ep\"");
	dying_server(spawner);
	dying_client(spawner, ep);
	capos_printf(rt,
		     "ipc-hostile: dead server -> disconnected, dead client -> RETURN refused, "
		     "RECV on a facet refused%s",
		     failures ? ": FAIL" : "");
	return failures ? 1 : 0;
}
