/*
 * Application exceptions: a CALL that completes with
 * CAP_ERR_APPLICATION_EXCEPTION left a serialized CapException in the
 * result buffer; capos_exception() decodes it into a type and message.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

int capos_exception(const void *result, uint32_t len, struct capos_error *out)
{
	struct capnp_seg segs[2];
	struct capnp_msg m;
	struct capos_CapException_r e;
	struct capnp_text msg;

	memset(out, 0, sizeof(*out));
	if (capnp_msg_init(&m, result, len, segs, 2, NULL) != CAPNP_OK ||
	    capos_CapException_read_root(&m, &e) != CAPNP_OK ||
	    capos_CapException_get_message(&e, &msg) != CAPNP_OK)
		return -1;
	out->type = capos_CapException_get_type(&e);
	uint32_t n = msg.len < sizeof(out->message) - 1 ? msg.len : sizeof(out->message) - 1;
	memcpy(out->message, msg.str, n);
	return 0;
}
