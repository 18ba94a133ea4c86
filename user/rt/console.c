/*
 * Console output through the "console" cap: writeLine and a printf that
 * formats with lib/fmt and sends one line per call.
 */
#include <stdarg.h>
#include <string.h>

#include "gen/capos.capnp.h"
#include "lib/fmt/fmt.h"
#include "user/rt/capos.h"

int32_t capos_console_line(struct capos_rt *rt, const char *text)
{
	uint64_t msg[64], result[16];
	struct capnp_builder b;
	struct capos_Console_writeLine_Params_b p;
	uint32_t cap;

	if (capos_lookup(rt, "console", CAPOS_CONSOLE_INTERFACE_ID, &cap) != 0)
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
