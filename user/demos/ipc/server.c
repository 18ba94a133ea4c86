/*
 * ipc-server: serves Echo on the endpoint it exports ("echo", its own
 * kernel endpoint); importers hold only client facets. It answers until a
 * stop call, then exits.
 */
#include "gen/capos.capnp.h"
#include "user/demos/ipc/echo.h"

int main(struct capos_rt *rt)
{
	struct echo_server s = { 0 };
	struct capos_request req;
	uint32_t ep;

	if (capos_lookup(rt, "echo", CAPOS_ENDPOINT_INTERFACE_ID, &ep) != 0)
		capos_panic("ipc-server: needs its \"echo\" endpoint");
	while (!s.stopped) {
		int32_t r = capos_serve_one(rt, ep, echo_dispatch, &s, &req);
		if (r < 0) {
			capos_printf(rt, "ipc-server: FAIL serving: %d", r);
			return 1;
		}
	}
	capos_printf(rt, "ipc-server: answered %u echo calls, then stop", s.served);
	return 0;
}
