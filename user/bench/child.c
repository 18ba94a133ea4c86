/*
 * bench-child: for bench's spawn+wait figure the smallest process (it
 * starts, returns 0 and is reaped); granted an endpoint named "serve", the
 * server of the cross-process round trip: it returns each call's params
 * as its results, until an empty call, then exits.
 */
#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

int main(struct capos_rt *rt)
{
	static uint64_t in[32];
	struct capos_request req;
	uint32_t ep;
	if (capos_lookup(rt, "serve", CAPOS_ENDPOINT_INTERFACE_ID, &ep) != 0)
		return 0;
	for (;;) {
		if (capos_recv(rt, ep, in, sizeof(in), &req) < 0)
			return 1;
		capos_return(rt, ep, req.call_id, in, req.params_len, false, NULL, 0);
		if (req.params_len == 0)
			return 0;
	}
}
