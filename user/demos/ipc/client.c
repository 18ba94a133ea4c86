/*
 * ipc-client: calls Echo through the client facet init wired from
 * ipc-server's export ("echo"), checks each answer, shows that the facet
 * can neither RECV nor RETURN, then stops the server.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "lib/fmt/fmt.h"
#include "user/demos/ipc/echo.h"

int main(struct capos_rt *rt)
{
	struct capos_status st;
	uint32_t echo, served = 0, last = 0;
	char text[32], want[32];
	int failures = 0;

	if (capos_lookup(rt, "echo", CAPOS_ECHO_INTERFACE_ID, &echo) != 0)
		capos_panic("ipc-client: needs an Echo import");
	for (int i = 1; i <= 3; i++) {
		fmt_snprintf(want, sizeof(want), "hello %d", i);
		if (echo_call(rt, echo, want, text, sizeof(text), &served, &st) != 0 ||
		    strcmp(text, want) != 0 || served <= last) {
			capos_printf(rt, "ipc-client: FAIL echo %d: %s", i, capos_status_str(&st));
			failures++;
		}
		last = served;
	}
	uint64_t buf[16];
	struct capos_request req;
	int32_t recv = capos_recv(rt, echo, buf, sizeof(buf), &req);
	int32_t ret = capos_return(rt, echo, 1, buf, 0, false, NULL, 0);
	if (recv != CAP_ERR_CLIENT_FACET || ret != CAP_ERR_CLIENT_FACET) {
		capos_printf(rt, "ipc-client: FAIL RECV/RETURN on a facet gave %d/%d", recv, ret);
		failures++;
	}
	if (echo_stop(rt, echo, &st) != 0) {
		capos_printf(rt, "ipc-client: FAIL stop: %s", capos_status_str(&st));
		failures++;
	}
	capos_printf(rt,
		     "ipc-client: 3 echoes over the imported facet (server count %u); RECV "
		     "and RETURN on it refused; server stopped%s",
		     last, failures ? ": FAIL" : "");
	return failures ? 1 : 0;
}
