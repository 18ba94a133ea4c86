/*
 * term-handover: a readLine left pending by the terminal's last holder
 * never gets the next holder's input. The parent (init, holding the
 * terminal) submits a readLine and, while it is pending, moves the
 * terminal to a child -- this binary again, told apart by having no
 * spawner. The child's first call makes it the holder: the parent's read
 * completes with CAP_ERR_CANCELLED, and the line typed next is the
 * child's alone (the scenario types it after the child's prompt).
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/limits.h"
#include "user/rt/capos.h"

#define TERMINAL_ID CAPOS_TERMINAL_SESSION_INTERFACE_ID

static struct capos_rt *rt;
static uint32_t term;

static uint32_t read_request(uint64_t *buf, size_t size)
{
	struct capnp_builder b;
	struct capos_TerminalSession_readLine_Params_b p;
	struct capos_LineRequest_b req;
	capnp_builder_init(&b, buf, size);
	capos_TerminalSession_readLine_request(&b, &p);
	capos_TerminalSession_readLine_Params_init_request(&p, &req);
	capos_LineRequest_set_maxBytes(&req, 64);
	return (uint32_t)capnp_builder_finish(&b);
}

static int32_t write_line(const char *text)
{
	uint64_t params[32], result[8];
	struct capnp_builder b;
	struct capos_TerminalSession_writeLine_Params_b p;
	capnp_builder_init(&b, params, sizeof(params));
	capos_TerminalSession_writeLine_request(&b, &p);
	capos_TerminalSession_writeLine_Params_set_text(&p, text, (uint32_t)strlen(text));
	return capos_call(rt, term, CAPOS_TERMINAL_SESSION_WRITE_LINE, params,
			  (uint32_t)capnp_builder_finish(&b), result, sizeof(result));
}

/* The new holder: prompt, read one line, report its length. */
static int child(void)
{
	uint64_t params[8], result[(TERMINAL_LINE_MAX + 64) / 8];
	struct capnp_seg segs[2];
	struct capnp_msg m;
	struct capos_TerminalSession_readLine_Results_r r;
	struct capnp_data line = { 0 };
	if (write_line("term-handover: the new holder is reading") < 0)
		return 2;
	int32_t n = capos_call(rt, term, CAPOS_TERMINAL_SESSION_READ_LINE, params,
			       read_request(params, sizeof(params)), result, sizeof(result));
	if (n < 0 || capnp_msg_init(&m, result, (size_t)n, segs, 2, NULL) != CAPNP_OK ||
	    capos_TerminalSession_readLine_Results_read_root(&m, &r) != CAPNP_OK ||
	    capos_TerminalSession_readLine_Results_get_line(&r, &line) != CAPNP_OK)
		return 3;
	capos_printf(rt, "term-handover: the new holder read \"%.*s\"", (int)line.len,
		     (const char *)line.ptr);
	return line.len == 6 && memcmp(line.ptr, "handed", 6) == 0 ? 0 : 4;
}

int main(struct capos_rt *r)
{
	uint32_t spawner, console, handle;
	struct capos_status st;
	int64_t code = -1;
	struct cap_cqe c;
	rt = r;
	if (capos_lookup(rt, "terminal", TERMINAL_ID, &term) != 0)
		return 1;
	if (capos_lookup(rt, "spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &spawner) != 0)
		return child();
	uint64_t params[8], result[(TERMINAL_LINE_MAX + 64) / 8];
	uint64_t ud =
		capos_call_submit(rt, term, CAPOS_TERMINAL_SESSION_READ_LINE, params,
				  read_request(params, sizeof(params)), result, sizeof(result));
	capos_cap_enter(0, 0); /* the kernel takes it: pending, nothing typed yet */
	if (capos_lookup(rt, "console", CAPOS_CONSOLE_INTERFACE_ID, &console) != 0)
		return 1;
	struct capos_grant g[] = {
		{ "terminal", TERMINAL_ID, CAPOS_GRANT_MOVE, term, 0 },
		{ "console", CAPOS_CONSOLE_INTERFACE_ID, CAPOS_GRANT_COPY, console, 0 },
	};
	if (capos_spawn(rt, spawner, "term-child", "term-handover", g, 2, &handle, &st) < 0) {
		capos_printf(rt, "term-handover: FAIL spawn: %s", capos_status_str(&st));
		return 1;
	}
	capos_wait_any(rt, &ud, 1, &c);
	bool cancelled = c.result == CAP_ERR_CANCELLED;
	bool child_ok = capos_process_wait(rt, handle, &code, &st) == 0 && code == 0;
	capos_printf(rt, "term-handover: %s; %s",
		     cancelled ? "the old holder's pending read was cancelled" :
				 "FAIL the old holder's read was not cancelled",
		     child_ok ? "the new holder read its own line" : "FAIL the new holder did not");
	return cancelled && child_ok ? 0 : 1;
}
