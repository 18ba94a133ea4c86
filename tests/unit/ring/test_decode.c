/*
 * Host tests of ring_sqe_decode (lib/ring/decode.c) against a fake cap
 * table and fake user memory (decode_fake.h): the success path of every
 * opcode, then every error decode returns, in the order it checks them;
 * and that decode changes nothing, whatever it returns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/ring/ring.h"
#include "tests/unit/ring/decode_fake.h"

#define RW FAKE_MEM_BASE		 /* writable user memory */
#define RO (FAKE_MEM_BASE + FAKE_MEM_RW) /* read-only user memory */

static struct fake f;
static struct ring_decoded d;

static int setup(void **state)
{
	(void)state;
	fake_init(&f);
	return 0;
}

/* Check and decode s as the kernel does (the fields once, then decode),
 * and check that nothing in the table or ledger moved. */
static int decode(struct cap_sqe s)
{
	static struct cap_table before;
	static struct ledger ledger_before;
	before = f.caps;
	ledger_before = f.ledger;
	int r = ring_sqe_check(&s);
	if (r == 0)
		r = ring_sqe_decode(&s, &f.env, &d);
	assert_memory_equal(&before, &f.caps, sizeof(before));
	assert_memory_equal(&ledger_before, &f.ledger, sizeof(ledger_before));
	return r;
}

static struct cap_sqe call(uint32_t cap)
{
	return (struct cap_sqe){ .opcode = CAP_OP_CALL,
				 .cap_id = cap,
				 .method_id = 1,
				 .addr = RO,
				 .len = 16,
				 .result_addr = RW,
				 .result_len = 64 };
}

/* Two descriptors after a 12-byte payload at RW: at RW + 16. */
static struct cap_sqe call_xfer(void)
{
	struct cap_transfer_descriptor xd[2] = { { f.plain, CAP_TRANSFER_MODE_COPY, 0 },
						 { f.park, CAP_TRANSFER_MODE_MOVE, 0 } };
	memcpy(f.mem + 16, xd, sizeof(xd));
	struct cap_sqe s = call(f.endpoint);
	s.addr = RW;
	s.len = 12;
	s.xfer_cap_count = 2;
	return s;
}

static void test_nop_and_fields(void **state)
{
	(void)state;
	assert_int_equal(decode((struct cap_sqe){ .opcode = CAP_OP_NOP, .user_data = 7 }), 0);
	assert_int_equal(decode((struct cap_sqe){ .opcode = CAP_OP_FINISH }),
			 CAP_ERR_UNSUPPORTED_OPCODE);
	assert_int_equal(decode((struct cap_sqe){ .opcode = 200 }), CAP_ERR_UNSUPPORTED_OPCODE);
	struct cap_sqe s = call(f.plain);
	s.flags = CAP_SQE_RETURN_APPLICATION_EXCEPTION;
	assert_int_equal(decode(s), CAP_ERR_INVALID_FLAGS);
	s = call(f.plain);
	s.reserved0 = 1;
	assert_int_equal(decode(s), CAP_ERR_RESERVED_FIELD);
	/* Fields come first: a bad field on a bad cap is a field error. */
	s.cap_id = 0xdead;
	assert_int_equal(decode(s), CAP_ERR_RESERVED_FIELD);
}

static void test_call_ok(void **state)
{
	(void)state;
	assert_int_equal(decode(call(f.plain)), 0);
	assert_ptr_equal(d.hold.object, &fake_obj_plain);
	assert_int_equal(d.kind, RING_OBJ_OTHER);
	assert_int_equal(d.xfer_count, 0);
	struct cap_sqe s = call(f.plain);
	s.addr = s.len = s.result_addr = s.result_len = 0; /* empty buffers are fine */
	assert_int_equal(decode(s), 0);
	s = call(f.plain);
	s.addr = FAKE_BIG_BASE;
	s.len = CAP_MAX_PARAMS_BYTES; /* at the limit */
	assert_int_equal(decode(s), 0);
	s.len++;
	assert_int_equal(decode(s), CAP_ERR_PARAMS_TOO_LARGE);
	assert_int_equal(decode(call_xfer()), 0);
	assert_int_equal(d.kind, RING_OBJ_ENDPOINT);
	assert_int_equal(d.xfer_count, 2);
	assert_int_equal(d.xd[0].cap_id, f.plain);
	assert_int_equal(d.xd[1].mode, CAP_TRANSFER_MODE_MOVE);
}

static void test_call_cap_errors(void **state)
{
	(void)state;
	assert_int_equal(decode(call(f.stale)), CAP_ERR_STALE_CAP);
	assert_int_equal(decode(call(capid_make(0, 100))), CAP_ERR_INVALID_CAP); /* empty slot */
	assert_int_equal(decode(call(capid_make(0, CAP_TABLE_SLOTS))), CAP_ERR_INVALID_CAP);
	struct cap_sqe s = call_xfer();
	s.cap_id = f.plain; /* transfers need an endpoint */
	assert_int_equal(decode(s), CAP_ERR_TRANSFER_NOT_SUPPORTED);
}

static void test_call_size_and_buffers(void **state)
{
	(void)state;
	struct cap_sqe s = call(f.plain);
	s.len = CAP_MAX_PARAMS_BYTES + 1;
	assert_int_equal(decode(s), CAP_ERR_PARAMS_TOO_LARGE);
	s = call(f.plain);
	s.addr = 0x5000; /* unmapped */
	assert_int_equal(decode(s), CAP_ERR_INVALID_BUFFER);
	s = call(f.plain);
	s.addr = RO + FAKE_MEM_SIZE - FAKE_MEM_RW - 8; /* runs off the end */
	assert_int_equal(decode(s), CAP_ERR_INVALID_BUFFER);
	s = call(f.plain);
	s.addr = UINT64_MAX - 4; /* wraps */
	assert_int_equal(decode(s), CAP_ERR_INVALID_BUFFER);
	s = call(f.plain);
	s.result_addr = RO; /* results into read-only memory */
	assert_int_equal(decode(s), CAP_ERR_INVALID_BUFFER);
	s = call(f.plain);
	s.addr = CAPOS_CAPSET_VADDR; /* mapped, but the CapSet page is no buffer */
	assert_int_equal(decode(s), CAP_ERR_INVALID_BUFFER);
	s = call(f.plain);
	s.result_addr = CAPOS_RING_VADDR + 64; /* nor the ring page */
	assert_int_equal(decode(s), CAP_ERR_INVALID_BUFFER);
}

static void test_call_descriptors(void **state)
{
	(void)state;
	struct cap_sqe s = call_xfer();
	s.xfer_cap_count = CAP_XFER_MAX + 1;
	assert_int_equal(decode(s), CAP_ERR_INVALID_TRANSFER_DESCRIPTOR);
	s = call_xfer();
	s.addr = RO + FAKE_MEM_SIZE - FAKE_MEM_RW - 16; /* payload fits, descriptors do not */
	assert_int_equal(decode(s), CAP_ERR_INVALID_BUFFER);
	s = call_xfer();
	f.mem[16 + 4] = 2; /* first descriptor's mode: neither copy nor move */
	assert_int_equal(decode(s), CAP_ERR_INVALID_TRANSFER_DESCRIPTOR);
	s = call_xfer();
	f.mem[16 + 16 + 8] = 1; /* second descriptor's reserved bits */
	assert_int_equal(decode(s), CAP_ERR_INVALID_TRANSFER_DESCRIPTOR);
	assert_int_equal(ring_xfer_addr(&(struct cap_sqe){ .addr = 8, .len = 1 }), 16);
	assert_int_equal(ring_xfer_addr(&(struct cap_sqe){ .addr = 8, .len = 8 }), 16);
}

static void test_recv(void **state)
{
	(void)state;
	struct cap_sqe s = {
		.opcode = CAP_OP_RECV, .cap_id = f.endpoint, .result_addr = RW, .result_len = 128
	};
	assert_int_equal(decode(s), 0);
	assert_ptr_equal(d.hold.object, &fake_obj_endpoint);
	s.cap_id = f.plain;
	assert_int_equal(decode(s), CAP_ERR_INVALID_REQUEST);
	s.cap_id = f.stale;
	assert_int_equal(decode(s), CAP_ERR_STALE_CAP);
	s.cap_id = f.endpoint;
	s.result_addr = RO;
	assert_int_equal(decode(s), CAP_ERR_INVALID_BUFFER);
}

static void test_return(void **state)
{
	(void)state;
	struct cap_sqe s = call_xfer();
	s.opcode = CAP_OP_RETURN;
	s.method_id = 0;
	s.result_addr = 0;
	s.result_len = 0;
	s.call_id = 5;
	assert_int_equal(decode(s), 0);
	assert_int_equal(d.xfer_count, 2);
	struct cap_sqe t = s;
	t.cap_id = f.park;
	assert_int_equal(decode(t), CAP_ERR_INVALID_REQUEST);
	t = s;
	t.len = CAP_MAX_RESULT_BYTES + 1;
	assert_int_equal(decode(t), CAP_ERR_PARAMS_TOO_LARGE);
	t = s;
	t.addr = CAPOS_RING_VADDR;
	assert_int_equal(decode(t), CAP_ERR_INVALID_BUFFER);
	t = s;
	t.xfer_cap_count = CAP_XFER_MAX + 1;
	assert_int_equal(decode(t), CAP_ERR_INVALID_TRANSFER_DESCRIPTOR);
}

static void test_release(void **state)
{
	(void)state;
	struct cap_sqe s = { .opcode = CAP_OP_RELEASE, .cap_id = f.endpoint };
	assert_int_equal(decode(s), 0);
	s.cap_id = f.stale;
	assert_int_equal(decode(s), CAP_ERR_STALE_CAP);
	s.cap_id = capid_make(3, 200);
	assert_int_equal(decode(s), CAP_ERR_INVALID_CAP);
}

static void test_park(void **state)
{
	(void)state;
	struct cap_sqe s = { .opcode = CAP_OP_PARK,
			     .flags = CAP_SQE_THREAD_OWNED,
			     .cap_id = f.park,
			     .addr = RO + 4,
			     .len = 1,
			     .call_id = 2,
			     .pipeline_dep = 1000 };
	assert_int_equal(decode(s), 0);
	struct cap_sqe t = s;
	t.addr = CAPOS_RING_VADDR + 8; /* a word in the ring page is fine */
	assert_int_equal(decode(t), 0);
	t.cap_id = f.endpoint;
	assert_int_equal(decode(t), CAP_ERR_INVALID_REQUEST);
	t = s;
	t.addr = RO + 2;
	assert_int_equal(decode(t), CAP_ERR_INVALID_BUFFER);
	t.addr = CAPOS_USER_TOP;
	assert_int_equal(decode(t), CAP_ERR_INVALID_BUFFER);
	t.addr = 0x5000; /* PARK reads the word: it must be mapped */
	assert_int_equal(decode(t), CAP_ERR_INVALID_BUFFER);
	s = (struct cap_sqe){ .opcode = CAP_OP_UNPARK, .cap_id = f.park, .addr = 0x5000, .len = 1 };
	assert_int_equal(decode(s), 0); /* UNPARK only compares addresses */
	s.len = 0;
	assert_int_equal(decode(s), CAP_ERR_INVALID_REQUEST);
	s.len = 1;
	s.cap_id = f.stale;
	assert_int_equal(decode(s), CAP_ERR_STALE_CAP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_nop_and_fields, setup),
		cmocka_unit_test_setup(test_call_ok, setup),
		cmocka_unit_test_setup(test_call_cap_errors, setup),
		cmocka_unit_test_setup(test_call_size_and_buffers, setup),
		cmocka_unit_test_setup(test_call_descriptors, setup),
		cmocka_unit_test_setup(test_recv, setup),
		cmocka_unit_test_setup(test_return, setup),
		cmocka_unit_test_setup(test_release, setup),
		cmocka_unit_test_setup(test_park, setup),
	};
	return cmocka_run_group_tests_name("ring-decode", tests, NULL, NULL);
}
