/*
 * Host tests of lib/ring: pending/space arithmetic across counter wrap and
 * for corrupted indexes, and the per-opcode SQE field checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/ring/ring.h"

static void test_sq_pending(void **state)
{
	(void)state;
	assert_int_equal(ring_sq_pending(0, 0), 0);
	assert_int_equal(ring_sq_pending(3, 7), 4);
	assert_int_equal(ring_sq_pending(5, 5 + CAP_SQ_ENTRIES), CAP_SQ_ENTRIES);
	/* Free-running counters wrap. */
	assert_int_equal(ring_sq_pending(UINT32_MAX - 1, 3), 5);
	/* Corrupt tails: too far ahead, or behind the head. */
	assert_int_equal(ring_sq_pending(5, 5 + CAP_SQ_ENTRIES + 1), -1);
	assert_int_equal(ring_sq_pending(5, 4), -1);
	assert_int_equal(ring_sq_pending(0, 0x80000000u), -1);
}

static void test_cq_space(void **state)
{
	(void)state;
	assert_int_equal(ring_cq_space(0, 0), CAP_CQ_ENTRIES);
	assert_int_equal(ring_cq_space(10, 4), CAP_CQ_ENTRIES - 6);
	assert_int_equal(ring_cq_space(CAP_CQ_ENTRIES, 0), 0);
	assert_int_equal(ring_cq_space(2, UINT32_MAX), CAP_CQ_ENTRIES - 3);
	/* A head ahead of the tail, or too far behind, reads as full. */
	assert_int_equal(ring_cq_space(4, 5), 0);
	assert_int_equal(ring_cq_space(CAP_CQ_ENTRIES + 1, 0), 0);
}

static void test_slots_in_bounds(void **state)
{
	(void)state;
	for (uint64_t i = 0; i < (1ull << 32); i += 0x10001) {
		assert_true(ring_sq_slot((uint32_t)i) < CAP_SQ_ENTRIES);
		assert_true(ring_cq_slot((uint32_t)i) < CAP_CQ_ENTRIES);
	}
}

static struct cap_sqe call(void)
{
	return (struct cap_sqe){ .opcode = CAP_OP_CALL,
				 .cap_id = 1,
				 .method_id = 1,
				 .addr = 0x1000,
				 .len = 16,
				 .result_addr = 0x2000,
				 .result_len = 64,
				 .user_data = 99 };
}

static void test_sqe_valid(void **state)
{
	(void)state;
	struct cap_sqe s = call();
	assert_int_equal(ring_sqe_check(&s), 0);
	s = (struct cap_sqe){ .opcode = CAP_OP_NOP, .user_data = 5 };
	assert_int_equal(ring_sqe_check(&s), 0);
	s = (struct cap_sqe){ .opcode = CAP_OP_RELEASE, .cap_id = 0x01000003 };
	assert_int_equal(ring_sqe_check(&s), 0);
	s = call();
	s.flags = CAP_SQE_THREAD_OWNED;
	s.call_id = 2;
	assert_int_equal(ring_sqe_check(&s), 0);
}

static void test_sqe_opcodes(void **state)
{
	(void)state;
	struct cap_sqe s = { .opcode = CAP_OP_FINISH };
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_UNSUPPORTED_OPCODE);
	s.opcode = 9;
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_UNSUPPORTED_OPCODE);
	s.opcode = 255;
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_UNSUPPORTED_OPCODE);
	s.opcode = CAP_OP_PARK_BENCH;
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_UNSUPPORTED_OPCODE);
}

static void test_sqe_flags(void **state)
{
	(void)state;
	struct cap_sqe s = call();
	s.flags = 0x80;
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_INVALID_FLAGS);
	s.flags = CAP_SQE_RETURN_APPLICATION_EXCEPTION; /* RETURN-only flag */
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_INVALID_FLAGS);
	s.flags = CAP_SQE_PIPELINE;
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_PIPELINE_UNSUPPORTED);
	s = (struct cap_sqe){ .opcode = CAP_OP_NOP, .flags = CAP_SQE_THREAD_OWNED };
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_INVALID_FLAGS);
}

static void test_sqe_reserved_fields(void **state)
{
	(void)state;
	struct cap_sqe s = call();
	s.reserved0 = 1;
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = call();
	s.pipeline_dep = 1;
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = call();
	s.pipeline_field = 1;
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = call();
	s.call_id = 7; /* only with THREAD_OWNED */
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = (struct cap_sqe){ .opcode = CAP_OP_NOP, .cap_id = 1 };
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = (struct cap_sqe){ .opcode = CAP_OP_RELEASE, .cap_id = 1, .len = 4 };
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = (struct cap_sqe){ .opcode = CAP_OP_RELEASE, .cap_id = 1, .xfer_cap_count = 1 };
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
}

static void test_sqe_park_ops(void **state)
{
	(void)state;
	struct cap_sqe s = { .opcode = CAP_OP_PARK,
			     .flags = CAP_SQE_THREAD_OWNED,
			     .cap_id = 1,
			     .call_id = 3,
			     .addr = 64,
			     .len = 7,
			     .pipeline_dep = 1000 };
	assert_int_equal(ring_sqe_check(&s), 0);
	s.flags = 0; /* a park wait is always thread-owned */
	s.call_id = 0;
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_INVALID_FLAGS);
	s = (struct cap_sqe){ .opcode = CAP_OP_PARK,
			      .flags = CAP_SQE_THREAD_OWNED,
			      .cap_id = 1,
			      .call_id = 3,
			      .addr = 64,
			      .result_addr = 8 };
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = (struct cap_sqe){ .opcode = CAP_OP_UNPARK, .cap_id = 1, .addr = 64, .len = 2 };
	assert_int_equal(ring_sqe_check(&s), 0);
	s.pipeline_dep = 5; /* only PARK has a timeout */
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = (struct cap_sqe){ .opcode = CAP_OP_UNPARK,
			      .cap_id = 1,
			      .addr = 64,
			      .len = 2,
			      .flags = CAP_SQE_THREAD_OWNED,
			      .call_id = 1 };
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_INVALID_FLAGS);
}

static void test_sqe_endpoint_ops(void **state)
{
	(void)state;
	struct cap_sqe s = {
		.opcode = CAP_OP_RECV, .cap_id = 1, .result_addr = 8, .result_len = 8
	};
	assert_int_equal(ring_sqe_check(&s), 0);
	s.addr = 16; /* RECV has no payload */
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = (struct cap_sqe){ .opcode = CAP_OP_RECV, .cap_id = 1, .call_id = 3 };
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = (struct cap_sqe){ .opcode = CAP_OP_RETURN,
			      .cap_id = 1,
			      .call_id = 3,
			      .addr = 8,
			      .len = 8,
			      .xfer_cap_count = 1,
			      .flags = CAP_SQE_RETURN_APPLICATION_EXCEPTION };
	assert_int_equal(ring_sqe_check(&s), 0);
	s.result_len = 8; /* RETURN writes no result buffer of its own */
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = (struct cap_sqe){ .opcode = CAP_OP_RETURN, .cap_id = 1, .call_id = 3, .method_id = 1 };
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_RESERVED_FIELD);
	s = (struct cap_sqe){ .opcode = CAP_OP_RECV,
			      .cap_id = 1,
			      .flags = CAP_SQE_RETURN_APPLICATION_EXCEPTION };
	assert_int_equal(ring_sqe_check(&s), CAP_ERR_INVALID_FLAGS);
	assert_string_equal(ring_strerror(CAP_ERR_CANCELLED),
			    "cancelled: the endpoint lost its owner");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sq_pending),	    cmocka_unit_test(test_cq_space),
		cmocka_unit_test(test_slots_in_bounds),	    cmocka_unit_test(test_sqe_valid),
		cmocka_unit_test(test_sqe_opcodes),	    cmocka_unit_test(test_sqe_flags),
		cmocka_unit_test(test_sqe_reserved_fields), cmocka_unit_test(test_sqe_endpoint_ops),
		cmocka_unit_test(test_sqe_park_ops),
	};
	return cmocka_run_group_tests_name("ring", tests, NULL, NULL);
}
