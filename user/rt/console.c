/*
 * Console output through the "console" cap: writeLine and a printf that
 * formats with lib/fmt and sends one line per call.
 */
#include <stdarg.h>
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/limits.h"
#include "lib/fmt/fmt.h"
#include "user/rt/capos.h"

int32_t capos_console_line(struct capos_rt *rt, const char *text)
{
	uint64_t msg[64], result[16];
	struct capnp_builder b;
	struct capos_Console_writeLine_Params_b p;
	uint32_t cap;

	/* A child with a terminal (StdIO) writes there; writeLine has the same
	 * ordinal and params in both interfaces. */
	if (capos_lookup(rt, "stdio", CAPOS_STD_IO_INTERFACE_ID, &cap) != 0 &&
	    capos_lookup(rt, "console", CAPOS_CONSOLE_INTERFACE_ID, &cap) != 0)
		return CAP_ERR_INVALID_CAP;
	if (capnp_builder_init(&b, msg, sizeof(msg)) < 0 ||
	    capos_Console_writeLine_request(&b, &p) < 0 ||
	    capos_Console_writeLine_Params_set_text(&p, text, (uint32_t)strlen(text)) < 0)
		return CAP_ERR_PARAMS_TOO_LARGE;
	size_t len = capnp_builder_finish(&b);
	return capos_call(rt, cap, CAPOS_CONSOLE_WRITE_LINE, msg, (uint32_t)len, result,
			  sizeof(result));
}

int capos_printf(struct capos_rt *rt, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return capos_console_line(rt, line);
}

int capos_stdio_read_line(struct capos_rt *rt, char *buf, uint32_t max, bool hidden, uint32_t *len)
{
	uint64_t params[8], result[(TERMINAL_LINE_MAX + 64) / 8];
	struct capnp_builder b;
	struct capos_StdIO_readLine_Params_b p;
	struct capos_LineRequest_b req;
	struct capnp_seg segs[2];
	struct capnp_msg m;
	struct capos_StdIO_readLine_Results_r r;
	struct capnp_data line;
	uint32_t cap;

	*len = 0;
	if (capos_lookup(rt, "stdio", CAPOS_STD_IO_INTERFACE_ID, &cap) != 0)
		return CAP_ERR_INVALID_CAP;
	capnp_builder_init(&b, params, sizeof(params));
	capos_StdIO_readLine_request(&b, &p);
	capos_StdIO_readLine_Params_init_request(&p, &req);
	capos_LineRequest_set_maxBytes(&req, max);
	capos_LineRequest_set_echo(&req, hidden ? CAPOS_LINE_ECHO_HIDDEN : CAPOS_LINE_ECHO_VISIBLE);
	int32_t n = capos_call(rt, cap, CAPOS_STD_IO_READ_LINE, params,
			       (uint32_t)capnp_builder_finish(&b), result, sizeof(result));
	if (n < 0)
		return n;
	if (capnp_msg_init(&m, result, (size_t)n, segs, 2, NULL) != CAPNP_OK ||
	    capos_StdIO_readLine_Results_read_root(&m, &r) != CAPNP_OK ||
	    capos_StdIO_readLine_Results_get_line(&r, &line) != CAPNP_OK || line.len > max)
		return CAP_ERR_INVALID_REQUEST;
	memcpy(buf, line.ptr, line.len);
	*len = line.len;
	return capos_StdIO_readLine_Results_get_status(&r);
}
