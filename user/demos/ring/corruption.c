/*
 * ring-corruption: feed the kernel every kind of bad submission and check
 * that each is answered with its own CQE error while the process keeps
 * running: unknown and reserved opcodes, unknown flags, non-zero reserved
 * fields, promise pipelining, stale and out-of-range CapIds, buffers in
 * kernel memory, unmapped memory, the ring and the CapSet pages, oversized
 * params, transfers, unknown methods (a CapException), a result buffer too
 * small for the exception, a corrupted sq_tail, a released cap, a bad
 * min_complete, and a cap_enter timeout with nothing to complete.
 */
#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "include/capos/syscall.h"
#include "lib/capnp/capnp.h"
#include "user/rt/capos.h"

static struct capos_rt *rt;
static uint32_t console;
static int failures, cases;
static uint64_t params[64], result[64];
static uint32_t params_len;

static void check(const char *name, int32_t got, int32_t want)
{
	cases++;
	if (got == want)
		return;
	failures++;
	capos_printf(rt, "ring-corruption: FAIL %s: got %d, want %d", name, got, want);
}

static int32_t call(struct cap_sqe sqe)
{
	return capos_submit_wait(rt, &sqe);
}

static struct cap_sqe good_call(void)
{
	return (struct cap_sqe){ .opcode = CAP_OP_CALL,
				 .cap_id = console,
				 .method_id = CAPOS_CONSOLE_WRITE_LINE,
				 .addr = (uint64_t)params,
				 .len = params_len,
				 .result_addr = (uint64_t)result,
				 .result_len = sizeof(result) };
}

static void build_params(void)
{
	struct capnp_builder b;
	struct capos_Console_writeLine_Params_b p;
	capnp_builder_init(&b, params, sizeof(params));
	capos_Console_writeLine_request(&b, &p);
	capos_Console_writeLine_Params_set_text(&p, "ring-corruption: a good call", 28);
	params_len = (uint32_t)capnp_builder_finish(&b);
}

static void opcodes_and_fields(void)
{
	struct cap_sqe s;
	check("nop", call((struct cap_sqe){ .opcode = CAP_OP_NOP }), 0);
	check("good call", call(good_call()), 16); /* an empty results message */
	check("unknown opcode", call((struct cap_sqe){ .opcode = 42 }), CAP_ERR_UNSUPPORTED_OPCODE);
	check("finish", call((struct cap_sqe){ .opcode = CAP_OP_FINISH }),
	      CAP_ERR_UNSUPPORTED_OPCODE);
	s = good_call();
	s.flags = 0x80;
	check("unknown flag", call(s), CAP_ERR_INVALID_FLAGS);
	s = good_call();
	s.flags = CAP_SQE_PIPELINE;
	check("pipelining", call(s), CAP_ERR_PIPELINE_UNSUPPORTED);
	s = good_call();
	s.reserved0 = 1;
	check("reserved0", call(s), CAP_ERR_RESERVED_FIELD);
	s = (struct cap_sqe){ .opcode = CAP_OP_NOP, .len = 4 };
	check("nop with a payload", call(s), CAP_ERR_RESERVED_FIELD);
	s = good_call();
	s.xfer_cap_count = 1;
	check("transfer", call(s), CAP_ERR_TRANSFER_NOT_SUPPORTED);
}

static void caps(void)
{
	struct cap_sqe s = good_call();
	s.cap_id = console + (1u << 24);
	check("stale cap", call(s), CAP_ERR_STALE_CAP);
	s.cap_id = 200;
	check("empty slot", call(s), CAP_ERR_INVALID_CAP);
	s.cap_id = 0xffffff;
	check("index out of range", call(s), CAP_ERR_INVALID_CAP);
}

static void buffers(void)
{
	struct cap_sqe s = good_call();
	s.addr = 0xffffffff80100000ULL;
	check("params in kernel memory", call(s), CAP_ERR_INVALID_BUFFER);
	s = good_call();
	s.addr = 0x1000;
	check("params unmapped", call(s), CAP_ERR_INVALID_BUFFER);
	s = good_call();
	s.result_addr = CAPOS_RING_VADDR + 512;
	s.result_len = 64;
	check("result in the ring page", call(s), CAP_ERR_INVALID_BUFFER);
	s = good_call();
	s.addr = CAPOS_CAPSET_VADDR;
	check("params in the CapSet page", call(s), CAP_ERR_INVALID_BUFFER);
	s = good_call();
	s.result_addr = (uint64_t)rt->capset;
	check("result in the CapSet page", call(s), CAP_ERR_INVALID_BUFFER);
	s = good_call();
	s.len = 1u << 20;
	check("params too large", call(s), CAP_ERR_PARAMS_TOO_LARGE);
	s = good_call();
	s.addr = (uint64_t)result;
	s.len = 8;
	result[0] = 0xffffffffffffffffULL;
	check("garbage params", call(s), CAP_ERR_APPLICATION_EXCEPTION);
}

static void exceptions(void)
{
	struct cap_sqe s = good_call();
	s.method_id = 99;
	check("unknown method", call(s), CAP_ERR_APPLICATION_EXCEPTION);
	struct capnp_seg seg[2];
	struct capnp_msg m;
	struct capos_CapException_r e;
	cases++;
	if (capnp_msg_init(&m, result, sizeof(result), seg, 2, NULL) != CAPNP_OK ||
	    capos_CapException_read_root(&m, &e) != CAPNP_OK ||
	    capos_CapException_get_type(&e) != CAPOS_CAP_EXCEPTION_TYPE_UNIMPLEMENTED) {
		failures++;
		capos_printf(
			rt, "ring-corruption: FAIL the exception does not decode as unimplemented");
	}
	s.result_len = 8;
	check("exception truncated", call(s), CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED);
}

static void indexes(void)
{
	struct cap_ring_header *h = &rt->ring->hdr;
	uint32_t resets = h->sq_resets;
	h->sq_tail = h->sq_head + 1000; /* a corrupt tail */
	capos_cap_enter(0, 0);
	cases++;
	if (h->sq_resets != resets + 1 || h->sq_head != h->sq_tail) {
		failures++;
		capos_printf(rt, "ring-corruption: FAIL the corrupt tail was not recovered");
	}
	check("nop after recovery", call((struct cap_sqe){ .opcode = CAP_OP_NOP }), 0);
	check("min_complete above the CQ", (int32_t)capos_cap_enter(CAP_CQ_ENTRIES + 1, 0),
	      CAP_ERR_INVALID_REQUEST);
	check("timeout with nothing to complete", (int32_t)capos_cap_enter(1, 20000000), 0);
}

/* The same bad submission many times: every one is refused; the kernel
 * logs the first few and summarizes the rest. */
static void flood(void)
{
	int refused = 0;
	for (int i = 0; i < 40; i++)
		refused += call((struct cap_sqe){ .opcode = CAP_OP_NOP, .reserved0 = 1 }) ==
			   CAP_ERR_RESERVED_FIELD;
	check("flood of bad submissions", refused, 40);
}

static void release(void)
{
	check("release", call((struct cap_sqe){ .opcode = CAP_OP_RELEASE, .cap_id = console }), 0);
	check("call a released cap", call(good_call()), CAP_ERR_INVALID_CAP);
	check("release twice",
	      call((struct cap_sqe){ .opcode = CAP_OP_RELEASE, .cap_id = console }),
	      CAP_ERR_INVALID_CAP);
}

int main(struct capos_rt *r)
{
	rt = r;
	if (capos_lookup(rt, "console", CAPOS_CONSOLE_INTERFACE_ID, &console) != 0)
		return 2;
	build_params();
	opcodes_and_fields();
	caps();
	buffers();
	exceptions();
	indexes();
	flood();
	/* The console goes last: release it, then report through nothing. */
	capos_printf(rt, "ring-corruption: %d of %d cases passed before release", cases - failures,
		     cases);
	release();
	return failures ? 1 : 0;
}
