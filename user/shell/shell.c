/*
 * capos-shell: the native capability shell on the terminal.
 *
 * It holds the terminal ("terminal", TerminalSession), a restricted
 * launcher ("launcher": allowlisted binaries, grants of the shell's own
 * caps only), and an endpoint it serves StdIO on ("stdio"); never
 * BootPackage or a broad ProcessSpawner. Every child gets a client facet
 * of that endpoint as its "stdio", and the shell bridges it to the
 * terminal while the child runs in the foreground: a child reaches the
 * terminal only through that explicit grant.
 *
 * Commands (lib/shell): help, caps, inspect <cap>, run "bin" [with {...}],
 * spawn "bin" [with {...}] -> $name, wait $name, release $name, exit.
 */
#include <stdarg.h>
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/capset.h"
#include "include/capos/limits.h"
#include "lib/fmt/fmt.h"
#include "lib/shell/parse.h"
#include "user/rt/capos.h"

#define MAX_JOBS 8

static struct capos_rt *rt;
static uint32_t term, launcher, stdio_ep;

struct job {
	bool used;
	char name[33];
	uint32_t handle;
};
static struct job jobs[MAX_JOBS];

/* ---- the terminal ---- */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int32_t term_call(uint16_t method, const uint64_t *params, uint32_t len, void *result,
			 uint32_t result_len)
{
	return capos_call(rt, term, method, params, len, result, result_len);
}

static void write_line(const char *text)
{
	uint64_t params[80], result[16];
	struct capnp_builder b;
	struct capos_TerminalSession_writeLine_Params_b p;
	capnp_builder_init(&b, params, sizeof(params));
	capos_TerminalSession_writeLine_request(&b, &p);
	capos_TerminalSession_writeLine_Params_set_text(&p, text, (uint32_t)strlen(text));
	term_call(CAPOS_TERMINAL_SESSION_WRITE_LINE, params, (uint32_t)capnp_builder_finish(&b),
		  result, sizeof(result));
}

static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	write_line(line);
}

static void write_raw(const void *data, uint32_t len)
{
	uint64_t params[(TERMINAL_LINE_MAX + 64) / 8], result[16];
	struct capnp_builder b;
	struct capos_TerminalSession_write_Params_b p;
	capnp_builder_init(&b, params, sizeof(params));
	capos_TerminalSession_write_request(&b, &p);
	capos_TerminalSession_write_Params_set_data(&p, data, len);
	term_call(CAPOS_TERMINAL_SESSION_WRITE, params, (uint32_t)capnp_builder_finish(&b), result,
		  sizeof(result));
}

/* readLine on the terminal: the LineStatus, the line in buf (len). */
static int read_line(uint32_t max, bool hidden, char *buf, uint32_t *len)
{
	uint64_t params[8], result[(TERMINAL_LINE_MAX + 64) / 8];
	struct capnp_builder b;
	struct capos_TerminalSession_readLine_Params_b p;
	struct capos_LineRequest_b req;
	struct capnp_seg segs[2];
	struct capnp_msg m;
	struct capos_TerminalSession_readLine_Results_r r;
	struct capnp_data line;
	capnp_builder_init(&b, params, sizeof(params));
	capos_TerminalSession_readLine_request(&b, &p);
	capos_TerminalSession_readLine_Params_init_request(&p, &req);
	capos_LineRequest_set_maxBytes(&req, max);
	capos_LineRequest_set_echo(&req, hidden ? CAPOS_LINE_ECHO_HIDDEN : CAPOS_LINE_ECHO_VISIBLE);
	int32_t n = term_call(CAPOS_TERMINAL_SESSION_READ_LINE, params,
			      (uint32_t)capnp_builder_finish(&b), result, sizeof(result));
	*len = 0;
	if (n < 0 || capnp_msg_init(&m, result, (size_t)n, segs, 2, NULL) != CAPNP_OK ||
	    capos_TerminalSession_readLine_Results_read_root(&m, &r) != CAPNP_OK ||
	    capos_TerminalSession_readLine_Results_get_line(&r, &line) != CAPNP_OK)
		return CAPOS_LINE_STATUS_END_OF_INPUT;
	memcpy(buf, line.ptr, line.len);
	*len = line.len;
	return capos_TerminalSession_readLine_Results_get_status(&r);
}

/* ---- the CapSet ---- */

static const struct capset_entry *capset_entries(uint32_t *n)
{
	const struct capset_header *h = rt->capset;
	*n = h->count;
	return (const struct capset_entry *)(h + 1);
}

static const struct capset_entry *find_cap(const char *name)
{
	uint32_t n;
	const struct capset_entry *e = capset_entries(&n);
	for (uint32_t i = 0; i < n; i++)
		if (e[i].name_len == strlen(name) && memcmp(e[i].name, name, e[i].name_len) == 0)
			return &e[i];
	return NULL;
}

static const char *interface_name(uint64_t id)
{
	static const struct {
		uint64_t id;
		const char *name;
	} names[] = {
		{ CAPOS_CONSOLE_INTERFACE_ID, "Console" },
		{ CAPOS_TERMINAL_SESSION_INTERFACE_ID, "TerminalSession" },
		{ CAPOS_STD_IO_INTERFACE_ID, "StdIO" },
		{ CAPOS_PROCESS_SPAWNER_INTERFACE_ID, "ProcessSpawner" },
		{ CAPOS_PROCESS_HANDLE_INTERFACE_ID, "ProcessHandle" },
		{ CAPOS_BOOT_PACKAGE_INTERFACE_ID, "BootPackage" },
		{ CAPOS_TIMER_INTERFACE_ID, "Timer" },
		{ CAPOS_ENDPOINT_INTERFACE_ID, "Endpoint" },
		{ CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, "FrameAllocator" },
		{ CAPOS_MEMORY_OBJECT_INTERFACE_ID, "MemoryObject" },
		{ CAPOS_VIRTUAL_MEMORY_INTERFACE_ID, "VirtualMemory" },
		{ CAPOS_THREAD_SPAWNER_INTERFACE_ID, "ThreadSpawner" },
		{ CAPOS_THREAD_CONTROL_INTERFACE_ID, "ThreadControl" },
		{ CAPOS_PARK_SPACE_INTERFACE_ID, "ParkSpace" },
		{ CAPOS_ECHO_INTERFACE_ID, "Echo" },
	};
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].id == id)
			return names[i].name;
	return "(unknown interface)";
}

static void cmd_caps(void)
{
	uint32_t n;
	const struct capset_entry *e = capset_entries(&n);
	for (uint32_t i = 0; i < n; i++)
		say("  %-10.*s %s", (int)e[i].name_len, e[i].name,
		    interface_name(e[i].interface_id));
}

static void cmd_inspect(const char *name)
{
	const struct capset_entry *e = find_cap(name);
	if (e == NULL) {
		say("error: no cap named %s", name);
		return;
	}
	say("%s: cap 0x%x, interface %s (0x%lx)", name, e->cap_id, interface_name(e->interface_id),
	    e->interface_id);
}

/* ---- launching ---- */

static char grant_names[SH_MAX_GRANTS + 1][33];

/* Spawn the command's binary with its grants plus the child's "stdio";
 * false after saying why. */
static bool launch(const struct sh_command *c, uint32_t *handle)
{
	struct capos_grant g[SH_MAX_GRANTS + 1];
	struct capos_status st;
	uint32_t n = 0;
	for (uint32_t i = 0; i < c->ngrants; i++) {
		const struct capset_entry *e = find_cap(c->grants[i].cap);
		if (e == NULL) {
			say("error: no cap named %s to grant", c->grants[i].cap);
			return false;
		}
		memcpy(grant_names[n], c->grants[i].child, sizeof(grant_names[n]));
		g[n] = (struct capos_grant){ grant_names[n], e->interface_id,
					     c->grants[i].client ? CAPOS_GRANT_CLIENT :
								   CAPOS_GRANT_COPY,
					     e->cap_id, 0 };
		n++;
	}
	g[n++] = (struct capos_grant){ "stdio", CAPOS_STD_IO_INTERFACE_ID, CAPOS_GRANT_CLIENT,
				       stdio_ep, 0 };
	if (capos_spawn(rt, launcher, c->binary, c->binary, g, n, handle, &st) != 0) {
		say("error: %s: %s", c->binary, capos_status_str(&st));
		return false;
	}
	return true;
}

/* The StdIO bridge: one RECV kept outstanding on the shell's endpoint. */
static uint64_t recv_buf[(sizeof(struct cap_endpoint_message_header) + CAPOS_MAX_PAYLOAD) / 8];
static uint64_t recv_ud;

static void serve_stdio(const struct cap_cqe *cqe)
{
	static uint64_t params[CAPOS_MAX_PAYLOAD / 8], result[(TERMINAL_LINE_MAX + 128) / 8];
	struct capos_request req;
	if (capos_request_of(cqe, recv_buf, sizeof(recv_buf), &req) == 0) {
		/* StdIO's methods and params are TerminalSession's: forward them. */
		memcpy(params, req.params, req.params_len);
		int32_t n = req.method_id <= CAPOS_STD_IO_READ_LINE ?
				    term_call(req.method_id, params, req.params_len, result,
					      sizeof(result)) :
				    CAP_ERR_INVALID_REQUEST;
		capos_return(rt, stdio_ep, req.call_id, result, n > 0 ? (uint32_t)n : 0,
			     n == CAP_ERR_APPLICATION_EXCEPTION, NULL, 0);
	}
	recv_ud = capos_recv_submit(rt, stdio_ep, recv_buf, sizeof(recv_buf));
}

/* Wait for handle's exit, bridging StdIO meanwhile; the exit code. */
static int64_t foreground(uint32_t handle)
{
	uint64_t wait_buf[CAPOS_WAIT_BUF_WORDS];
	struct capos_status st;
	struct cap_cqe cqe;
	int64_t code = -1;
	uint64_t uds[2] = { capos_process_wait_submit(rt, handle, wait_buf), 0 };
	for (;;) {
		uds[1] = recv_ud;
		if (capos_wait_any(rt, uds, 2, &cqe) == 1) {
			serve_stdio(&cqe);
			continue;
		}
		if (capos_process_exit_code(&cqe, wait_buf, &code, &st) != 0)
			say("error: wait: %s", capos_status_str(&st));
		return code;
	}
}

static struct job *find_job(const char *name)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].used && strcmp(jobs[i].name, name) == 0)
			return &jobs[i];
	return NULL;
}

static void execute(const struct sh_command *c, bool *done)
{
	uint32_t handle;
	struct job *j;
	switch (c->cmd) {
	case SH_EMPTY:
		break;
	case SH_HELP:
		say("commands:");
		say("  caps                                  the caps this shell holds");
		say("  inspect <cap>                         one cap in detail");
		say("  run \"bin\" [with { n: @cap, n: client @cap }]   run in the foreground");
		say("  spawn \"bin\" [with {...}] -> $name     run in the background");
		say("  wait $name | release $name            a background child");
		say("  exit                                  leave (halts the machine)");
		break;
	case SH_CAPS:
		cmd_caps();
		break;
	case SH_INSPECT:
		cmd_inspect(c->name);
		break;
	case SH_RUN:
		if (launch(c, &handle)) {
			int64_t code = foreground(handle);
			say("[%s exited with code %ld]", c->binary, code);
			capos_release(rt, handle);
		}
		break;
	case SH_SPAWN:
		if (find_job(c->name) != NULL) {
			say("error: $%s is taken", c->name);
			break;
		}
		for (j = jobs; j < jobs + MAX_JOBS && j->used; j++)
			;
		if (j == jobs + MAX_JOBS) {
			say("error: too many background children");
			break;
		}
		if (launch(c, &handle)) {
			*j = (struct job){ true, { 0 }, handle };
			memcpy(j->name, c->name, sizeof(j->name));
			say("[$%s started]", c->name);
		}
		break;
	case SH_WAIT:
		if ((j = find_job(c->name)) == NULL) {
			say("error: no child $%s", c->name);
			break;
		}
		say("[$%s exited with code %ld]", c->name, foreground(j->handle));
		capos_release(rt, j->handle);
		j->used = false;
		break;
	case SH_RELEASE:
		if ((j = find_job(c->name)) == NULL) {
			say("error: no child $%s", c->name);
			break;
		}
		capos_release(rt, j->handle);
		j->used = false;
		say("[$%s released]", c->name);
		break;
	case SH_EXIT:
		*done = true;
		break;
	}
}

int main(struct capos_rt *r)
{
	char line[TERMINAL_LINE_MAX];
	uint32_t len;
	bool done = false;
	rt = r;
	if (capos_lookup(rt, "terminal", CAPOS_TERMINAL_SESSION_INTERFACE_ID, &term) != 0 ||
	    capos_lookup(rt, "launcher", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &launcher) != 0 ||
	    capos_lookup(rt, "stdio", CAPOS_ENDPOINT_INTERFACE_ID, &stdio_ep) != 0)
		capos_panic("capos-shell: needs terminal, launcher and stdio");
	recv_ud = capos_recv_submit(rt, stdio_ep, recv_buf, sizeof(recv_buf));
	say("capOS native shell. Type 'help' for the commands.");
	while (!done) {
		write_raw("capos> ", 7);
		int status = read_line(0, false, line, &len);
		if (status == CAPOS_LINE_STATUS_END_OF_INPUT)
			break;
		if (status == CAPOS_LINE_STATUS_CANCELLED)
			continue;
		if (status == CAPOS_LINE_STATUS_TOO_LONG) {
			say("error: line too long");
			continue;
		}
		struct sh_command c;
		struct sh_error err;
		if (sh_parse(line, len, &c, &err) != SH_OK) {
			say("error: %s (column %u)", err.msg, err.column + 1);
			continue;
		}
		execute(&c, &done);
	}
	say("bye");
	return 0;
}
