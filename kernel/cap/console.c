/*
 * Console: output-only text on the kernel log UART (COM1). Every process's
 * output is charged to its ledger's log token bucket (64 KiB/s, 256 KiB
 * burst); a write that would exceed it writes nothing and raises
 * `overloaded`, so no process can flood the log or stall the kernel in it.
 */
#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "kernel/arch/x86_64/time.h"
#include "kernel/cap/object.h"
#include "kernel/dev/serial.h"
#include "kernel/proc/proc.h"

static bool charge_log(struct call_ctx *ctx, uint32_t bytes, struct capnp_exc *exc)
{
	struct process *p = ctx->proc;
	struct token_bucket *b = &p->ledger.log_bytes;
	uint64_t now = clock_ns();
	uint64_t got = bucket_take(b, bytes, now);
	if (got == bytes)
		return true;
	b->tokens += got; /* all or nothing: give back a partial grant */
	*exc = (struct capnp_exc){ CAPNP_EXC_OVERLOADED, "console: log budget exhausted" };
	return false;
}

static int console_write(void *self, const struct capos_Console_write_Params_r *p,
			 struct capos_Console_write_Results_b *r, struct capnp_exc *exc)
{
	struct capnp_data data;
	(void)r;
	if (capos_Console_write_Params_get_data(p, &data) < 0) {
		*exc = (struct capnp_exc){ CAPNP_EXC_FAILED, "console: malformed data" };
		return CAPNP_EXCEPTION;
	}
	if (!charge_log(self, data.len, exc))
		return CAPNP_EXCEPTION;
	serial_write(CAPOS_COM1, (const char *)data.ptr, data.len);
	return CAPNP_OK;
}

static int console_write_line(void *self, const struct capos_Console_writeLine_Params_r *p,
			      struct capos_Console_writeLine_Results_b *r, struct capnp_exc *exc)
{
	struct capnp_text text;
	(void)r;
	if (capos_Console_writeLine_Params_get_text(p, &text) < 0) {
		*exc = (struct capnp_exc){ CAPNP_EXC_FAILED, "console: malformed text" };
		return CAPNP_EXCEPTION;
	}
	if (!charge_log(self, text.len + 1, exc))
		return CAPNP_EXCEPTION;
	serial_write(CAPOS_COM1, text.str, text.len);
	serial_write(CAPOS_COM1, "\n", 1);
	return CAPNP_OK;
}

static const struct capos_Console_server console_server = {
	.write = console_write,
	.writeLine = console_write_line,
};

static int console_call(struct kobj *o, struct call_ctx *caller, uint16_t method,
			struct capnp_msg *params, struct capnp_builder *results,
			struct capnp_exc *exc)
{
	(void)o;
	return capos_Console_dispatch(&console_server, caller, method, params, results, exc);
}

static const struct kobj_ops console_ops = { CAPOS_CONSOLE_INTERFACE_ID, "Console", console_call,
					     NULL };
struct kobj console_obj = { &console_ops, 0, 0 };
