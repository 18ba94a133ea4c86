/*
 * TerminalSession: the terminal UART (COM2) for its one holder.
 *
 * The cap is move-only and minted while no hold exists: whoever holds it
 * is the foreground
 * (a shell moving it to a child hands the terminal over). Input is polled
 * from the timer tick into lib/term's line discipline; bytes that arrive
 * with no read pending wait as typeahead. readLine completes later through
 * a reserved CQ slot, with the status of lib/term (ok, cancelled, too
 * long, end of input). A cancelled read, a read whose thread is gone and a
 * call from a new holder all scrub the line and the typeahead, so stale
 * bytes — possibly a password — never reach the next reader.
 *
 * [S] the kernel lock (single CPU: interrupts off).
 */
#include "kernel/cap/terminal.h"

#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "include/capos/limits.h"
#include "kernel/boot/manifest.h"
#include "kernel/cap/ring.h"
#include "kernel/dev/serial.h"
#include "kernel/proc/proc.h"
#include "lib/term/linedisc.h"

static struct linedisc ld;	     /* [S] */
static bool claimed;		     /* [S] a hold was minted */
static struct deferred_call pending; /* [S] the pending readLine */
static uint32_t last_pid, last_gen;  /* [S] the holder that called last */

static void echo(const uint8_t *bytes, uint32_t n);

struct kobj *terminal_mint(void)
{
	static bool greeted;
	if (claimed)
		return NULL;
	claimed = true;
	if (!greeted) { /* the manifest's message of the day, once per boot */
		struct capnp_text motd = manifest_motd();
		greeted = true;
		if (motd.len) {
			echo((const uint8_t *)motd.str, motd.len);
			echo((const uint8_t *)"\r\n", 2);
		}
	}
	return &terminal_obj;
}

/* A call from another process than the last one: the holder changed. A
 * read the last holder left pending ends here, cancelled, so what the new
 * holder's user types is never the old holder's to read. */
static void note_holder(const struct process *p)
{
	if (p->pid != last_pid || p->generation != last_gen) {
		if (pending.active && (pending.waiter.pid != p->pid ||
				       pending.waiter.process_generation != p->generation))
			deferred_cancel(&pending);
		ld_scrub(&ld);
		last_pid = p->pid;
		last_gen = p->generation;
	}
}

static void echo(const uint8_t *bytes, uint32_t n)
{
	serial_write_raw(CAPOS_COM2, bytes, n);
}

/* Encode readLine's results: (status, line) into buf; its length. */
static size_t encode_line(int status, uint64_t *buf, size_t size)
{
	struct capnp_builder b;
	struct capos_TerminalSession_readLine_Results_b r;
	const uint8_t *line = NULL;
	uint32_t len = 0;
	if (capnp_builder_init(&b, buf, size) < 0 ||
	    capos_TerminalSession_readLine_Results_init_root(&b, &r) < 0)
		return 0;
	capos_TerminalSession_readLine_Results_set_status(&r, (enum capos_LineStatus)status);
	if (status == LD_OK)
		ld_line(&ld, &line, &len);
	if (capos_TerminalSession_readLine_Results_set_line(&r, line, len) < 0)
		return 0;
	return capnp_builder_finish(&b);
}

static void finish_pending(int status)
{
	static uint64_t buf[(TERMINAL_LINE_MAX + 64) / 8];
	if (!deferred_live(&pending)) { /* the reader is gone: no line for anyone */
		deferred_cancel(&pending);
		ld_scrub(&ld);
		return;
	}
	deferred_finish(&pending, buf, encode_line(status, buf, sizeof(buf)));
	if (status != LD_OK)
		ld_scrub(&ld);
}

void terminal_poll(void)
{
	uint8_t byte, out[LD_ECHO_MAX];
	uint32_t n;
	while (serial_read(CAPOS_COM2, &byte)) {
		if (pending.active && !deferred_live(&pending)) {
			deferred_cancel(&pending); /* its reader exited */
			ld_scrub(&ld);
		}
		int st = ld_feed(&ld, byte, out, &n);
		if (n)
			echo(out, n);
		if (st != LD_MORE && pending.active)
			finish_pending(st);
	}
}

static int fail(struct capnp_exc *exc, enum capnp_exc_type t, const char *why)
{
	*exc = (struct capnp_exc){ t, why };
	return CAPNP_EXCEPTION;
}

static int t_write(void *self, const struct capos_TerminalSession_write_Params_r *p,
		   struct capos_TerminalSession_write_Results_b *r, struct capnp_exc *exc)
{
	struct capnp_data data;
	(void)r;
	note_holder(((struct call_ctx *)self)->proc);
	if (capos_TerminalSession_write_Params_get_data(p, &data) < 0)
		return fail(exc, CAPNP_EXC_FAILED, "terminal: malformed data");
	echo(data.ptr, data.len);
	return CAPNP_OK;
}

static int t_write_line(void *self, const struct capos_TerminalSession_writeLine_Params_r *p,
			struct capos_TerminalSession_writeLine_Results_b *r, struct capnp_exc *exc)
{
	struct capnp_text text;
	(void)r;
	note_holder(((struct call_ctx *)self)->proc);
	if (capos_TerminalSession_writeLine_Params_get_text(p, &text) < 0)
		return fail(exc, CAPNP_EXC_FAILED, "terminal: malformed text");
	echo((const uint8_t *)text.str, text.len);
	echo((const uint8_t *)"\r\n", 2);
	return CAPNP_OK;
}

static int t_read_line(void *self, const struct capos_TerminalSession_readLine_Params_r *p,
		       struct capos_TerminalSession_readLine_Results_b *r, struct capnp_exc *exc)
{
	struct call_ctx *ctx = self;
	struct capos_LineRequest_r req;
	static uint8_t out[LD_BEGIN_ECHO_MAX];
	uint32_t n = 0;
	(void)r;
	note_holder(ctx->proc);
	if (capos_TerminalSession_readLine_Params_get_request(p, &req) < 0)
		return fail(exc, CAPNP_EXC_FAILED, "terminal: malformed request");
	uint32_t max = capos_LineRequest_get_maxBytes(&req);
	if (max == 0)
		max = TERMINAL_LINE_MAX;
	if (max > TERMINAL_LINE_MAX)
		return fail(exc, CAPNP_EXC_FAILED, "terminal: maxBytes above the terminal's limit");
	if (deferred_live(&pending))
		return fail(exc, CAPNP_EXC_OVERLOADED, "terminal: another readLine is pending");
	if (pending.active) /* a gone reader's: its partial line is not this one's */
		ld_scrub(&ld);
	switch (deferred_begin(&pending, ctx)) {
	case DEFERRED_BUSY: /* checked above */
	case DEFERRED_NO_ROOM:
		return fail(exc, CAPNP_EXC_OVERLOADED, "terminal: no completion-queue room");
	}
	ctx->deferred = true;
	int st = ld_begin(&ld, max, capos_LineRequest_get_echo(&req) == CAPOS_LINE_ECHO_HIDDEN, out,
			  &n);
	if (n)
		echo(out, n);
	if (st != LD_MORE)
		finish_pending(st); /* typeahead completed it */
	return CAPNP_OK;
}

static const struct capos_TerminalSession_server server = {
	.write = t_write,
	.writeLine = t_write_line,
	.readLine = t_read_line,
};

static int t_call(struct kobj *o, struct call_ctx *ctx, uint16_t method, struct capnp_msg *params,
		  struct capnp_builder *results, struct capnp_exc *exc)
{
	(void)o;
	return capos_TerminalSession_dispatch(&server, ctx, method, params, results, exc);
}

/* The last hold went (or a mint was never used): the terminal may be
 * claimed again, with nothing of the old session left. */
static void t_release(struct kobj *o)
{
	(void)o;
	claimed = false;
	deferred_cancel(&pending); /* a read still pending ends with the session */
	ld_scrub(&ld);
}

static const struct kobj_ops terminal_ops = { CAPOS_TERMINAL_SESSION_INTERFACE_ID,
					      "TerminalSession", t_call, t_release };
struct kobj terminal_obj = { &terminal_ops, 0, 0 };
