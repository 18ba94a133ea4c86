/*
 * ipc-zerocopy: a producer hands one MemoryObject to a consumer over an
 * endpoint CALL (a copy transfer), then passes four records through the
 * shared mapping while each CALL carries only a sequence number and a
 * checksum; the consumer checks every record in place and answers.
 *
 * The consumer is this binary again, told by its cap "inbox" (the endpoint
 * it owns); the producer holds the client facet ProcessSpawner returned.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "lib/fmt/fmt.h"
#include "user/demos/ipc/echo.h"

#define PAGE	4096ull
#define RW	(CAPOS_PROT_READ | CAPOS_PROT_WRITE)
#define RECORDS 4
#define RECORD	512

static uint32_t checksum(const uint8_t *p, uint32_t n)
{
	uint32_t s = 2166136261u;
	for (uint32_t i = 0; i < n; i++)
		s = (s ^ p[i]) * 16777619u;
	return s;
}

/* Consumer: serve Echo calls; the first carries the buffer. */
static int consumer(struct capos_rt *rt, uint32_t inbox)
{
	static uint64_t in[512], out[64];
	struct capos_request req;
	struct capos_status st;
	uint64_t a = 0;
	uint32_t mo = 0, good = 0;
	for (;;) {
		if (capos_recv(rt, inbox, in, sizeof(in), &req) != 0)
			return 2;
		if (req.method_id == CAPOS_ECHO_STOP) {
			capos_return(rt, inbox, req.call_id, NULL, 0, false, NULL, 0);
			break;
		}
		struct capnp_seg segs[2];
		struct capnp_msg m;
		struct capos_Echo_echo_Params_r p;
		struct capnp_text text;
		static uint64_t aligned[64];
		char line[64] = { 0 }, reply[64];
		memcpy(aligned, req.params, req.params_len < sizeof(aligned) ? req.params_len : 0);
		if (capnp_msg_init(&m, aligned, req.params_len, segs, 2, NULL) != CAPNP_OK ||
		    capnp_msg_root_struct(&m, &p.s) < 0 ||
		    capos_Echo_echo_Params_get_text(&p, &text) != CAPNP_OK || text.len >= 64)
			return 3;
		memcpy(line, text.str, text.len);
		if (req.ncaps == 1 && mo == 0) { /* the buffer */
			mo = req.caps[0].cap_id;
			if (req.caps[0].interface_id != CAPOS_MEMORY_OBJECT_INTERFACE_ID ||
			    capos_mo_map(rt, mo, 0, 0, PAGE, CAPOS_PROT_READ, &a, &st) != 0)
				return 4;
			fmt_snprintf(reply, sizeof(reply), "mapped");
		} else {
			unsigned seq = 0, sum = 0;
			for (const char *c = line + 4; *c >= '0' && *c <= '9'; c++)
				seq = seq * 10 + (unsigned)(*c - '0');
			const char *s = strchr(line, ' ');
			for (s = s ? s + 5 : ""; *s >= '0' && *s <= '9'; s++)
				sum = sum * 10 + (unsigned)(*s - '0');
			bool ok = a && seq < RECORDS &&
				  checksum((const uint8_t *)a + seq * RECORD, RECORD) == sum;
			good += ok;
			fmt_snprintf(reply, sizeof(reply), "%s %u", ok ? "ok" : "bad", seq);
		}
		struct capnp_builder b;
		struct capos_Echo_echo_Results_b r;
		capnp_builder_init(&b, out, sizeof(out));
		capos_Echo_echo_Results_init_root(&b, &r);
		capos_Echo_echo_Results_set_text(&r, reply, (uint32_t)strlen(reply));
		capos_return(rt, inbox, req.call_id, out, (uint32_t)capnp_builder_finish(&b), false,
			     NULL, 0);
	}
	if (a)
		capos_mo_unmap(rt, mo, a, PAGE, &st);
	return good == RECORDS ? 0 : 1;
}

int main(struct capos_rt *rt)
{
	struct capos_status st;
	uint32_t inbox, fa, spawner, handle, facets[2], mo, served;
	uint64_t a;
	int64_t code = -1;
	char text[64], want[64];
	int ok = 1;

	if (capos_lookup(rt, "inbox", CAPOS_ENDPOINT_INTERFACE_ID, &inbox) == 0)
		return consumer(rt, inbox);
	if (capos_lookup(rt, "frames", CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, &fa) != 0 ||
	    capos_lookup(rt, "spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &spawner) != 0)
		capos_panic("ipc-zerocopy: needs \"frames\" and \"spawner\"");
	struct capos_grant g[2] = {
		{ "console", CAPOS_CONSOLE_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_CONSOLE },
		{ "inbox", CAPOS_ENDPOINT_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_ENDPOINT },
	};
	if (capos_spawn_ex(rt, spawner, "zerocopy-consumer", "ipc-zerocopy", g, 2, &handle, facets,
			   &st) != 0 ||
	    capos_frame_alloc(rt, fa, 1, &mo, &st) != 0 ||
	    capos_mo_map(rt, mo, 0, 0, PAGE, RW, &a, &st) != 0) {
		capos_printf(rt, "ipc-zerocopy: FAIL setup: %s", capos_status_str(&st));
		return 1;
	}
	/* Hand over the buffer: one CALL with a copy transfer. */
	static uint64_t params[32], result[32];
	struct cap_transfer_descriptor d = { mo, CAP_TRANSFER_MODE_COPY, 0 };
	struct cap_cqe cqe;
	uint32_t len = echo_params(params, sizeof(params), "buffer");
	uint64_t ud = capos_call_xfer_submit(rt, facets[1], CAPOS_ECHO_ECHO, params, len, &d, 1,
					     result, sizeof(result));
	capos_wait_any(rt, &ud, 1, &cqe);
	ok &= echo_results(result, cqe.result, text, sizeof(text), &served) == 0 &&
	      strcmp(text, "mapped") == 0;
	for (unsigned seq = 0; seq < RECORDS; seq++) {
		uint8_t *rec = (uint8_t *)a + seq * RECORD;
		for (unsigned i = 0; i < RECORD; i++)
			rec[i] = (uint8_t)(seq * 31 + i * 7);
		fmt_snprintf(want, sizeof(want), "seq=%u sum=%u", seq, checksum(rec, RECORD));
		char expect[16];
		fmt_snprintf(expect, sizeof(expect), "ok %u", seq);
		ok &= echo_call(rt, facets[1], want, text, sizeof(text), &served, &st) == 0 &&
		      strcmp(text, expect) == 0;
	}
	ok &= echo_stop(rt, facets[1], &st) == 0;
	ok &= capos_process_wait(rt, handle, &code, &st) == 0 && code == 0;
	capos_mo_unmap(rt, mo, a, PAGE, &st);
	capos_release(rt, mo);
	capos_release(rt, facets[1]);
	capos_release(rt, handle);
	capos_release_flush(rt);
	capos_printf(rt,
		     "ipc-zerocopy: one MemoryObject handed over, %u records passed through "
		     "the shared mapping, calls carried only sequence numbers and checksums%s",
		     RECORDS, ok ? "" : ": FAIL");
	return ok ? 0 : 1;
}
