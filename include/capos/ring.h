/*
 * The capability ring: the ABI between a process and the kernel.
 *
 * One 4 KiB page per process, mapped RW+NX in the process at CAPOS_RING_VADDR
 * (include/capos/abi.h): a 64-byte header, CAP_SQ_ENTRIES submission entries
 * of 64 bytes, then CAP_CQ_ENTRIES completion entries of 32 bytes. Head and
 * tail counters are free-running uint32_t, masked by the (power-of-two)
 * queue size. User space produces SQEs and consumes CQEs; the kernel
 * consumes SQEs and produces CQEs.
 *
 * The kernel treats every byte of the page as hostile: it copies each SQE out
 * before validating it, bounds sq_tail - sq_head by CAP_SQ_ENTRIES, and never
 * uses a value it has read twice. A full CQ is backpressure: the SQE stays
 * pending and no completion is ever dropped.
 *
 * Ownership legend: [U] written by user space, [K] written by the kernel,
 * [I] immutable after the kernel sets the page up.
 *
 * Spec: Capability Ring; DESIGN.md §5.
 */
#pragma once

#include <stdint.h>

#define CAP_RING_SIZE  4096
#define CAP_SQ_ENTRIES 16
#define CAP_CQ_ENTRIES 32

/* Opcodes (cap_sqe.opcode). */
enum cap_op {
	CAP_OP_NOP = 0,	       /* fixed ring path, no side effect */
	CAP_OP_CALL = 1,       /* invoke method_id on cap_id */
	CAP_OP_RECV = 2,       /* endpoint owner: receive the next call */
	CAP_OP_RETURN = 3,     /* endpoint owner: answer call_id */
	CAP_OP_RELEASE = 4,    /* drop the local cap cap_id */
	CAP_OP_FINISH = 5,     /* reserved: fails with CAP_ERR_UNSUPPORTED_OPCODE */
	CAP_OP_PARK = 6,       /* wait on a ParkSpace word */
	CAP_OP_UNPARK = 7,     /* wake ParkSpace waiters */
	CAP_OP_PARK_BENCH = 8, /* measurement builds only */
};

/* SQE flags (cap_sqe.flags). Unknown bits fail closed. */
#define CAP_SQE_THREAD_OWNED		     (1u << 0) /* call_id is the owning thread id */
#define CAP_SQE_RETURN_APPLICATION_EXCEPTION (1u << 1) /* RETURN payload is a CapException */
#define CAP_SQE_PIPELINE		     (1u << 2) /* reserved: promise pipelining */
#define CAP_SQE_KNOWN_FLAGS		     (CAP_SQE_THREAD_OWNED | CAP_SQE_RETURN_APPLICATION_EXCEPTION)

/* CQE flags (cap_cqe.flags). */
#define CAP_CQE_TRANSFER_RESULT_CAPS (1u << 0) /* cap_count transfer results follow the bytes */

/*
 * Transport errors: negative cap_cqe.result values. Application errors are a
 * serialized CapException in the result buffer with
 * CAP_ERR_APPLICATION_EXCEPTION (or ..._TRUNCATED when it did not fit).
 */
enum cap_err {
	CAP_ERR_UNSUPPORTED_OPCODE = -1,    /* unknown opcode, or reserved FINISH */
	CAP_ERR_INVALID_FLAGS = -2,	    /* an SQE flag the opcode does not accept */
	CAP_ERR_RESERVED_FIELD = -3,	    /* a reserved or unused field is not zero */
	CAP_ERR_INVALID_CAP = -4,	    /* cap_id names no live slot */
	CAP_ERR_STALE_CAP = -5,		    /* cap_id's generation is stale */
	CAP_ERR_INVALID_BUFFER = -6,	    /* a buffer is not mapped, writable user memory */
	CAP_ERR_PARAMS_TOO_LARGE = -7,	    /* len exceeds CAP_MAX_PARAMS_BYTES */
	CAP_ERR_RESULT_TRUNCATED = -8,	    /* results do not fit result_len */
	CAP_ERR_APPLICATION_EXCEPTION = -9, /* a CapException is in the result buffer */
	CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED = -10, /* ... and it was cut short */
	CAP_ERR_INVALID_REQUEST = -11,	      /* the operation does not apply to this cap */
	CAP_ERR_TRANSFER_NOT_SUPPORTED = -12, /* transfer descriptors on an opcode without them */
	CAP_ERR_INVALID_TRANSFER_DESCRIPTOR = -13,
	CAP_ERR_TRANSFER_ABORTED = -14,	    /* a transfer failed and was rolled back */
	CAP_ERR_QUOTA = -15,		    /* a ResourceLedger quota refused the work */
	CAP_ERR_PIPELINE_UNSUPPORTED = -16, /* promise pipelining is not implemented */
	CAP_ERR_NOT_OWNER = -17,	    /* thread-owned SQE drained by another thread */
	CAP_ERR_CLIENT_FACET = -18,	    /* RECV/RETURN on a ClientEndpoint facet */
	CAP_ERR_UNKNOWN_CALL = -19,	    /* RETURN names no in-flight call of this endpoint */
	CAP_ERR_CANCELLED = -20,	    /* a pending RECV whose endpoint lost its last owner */
};

/* Submission queue entry. */
struct cap_sqe {
	uint8_t opcode;		 /* [U] enum cap_op */
	uint8_t flags;		 /* [U] CAP_SQE_* */
	uint16_t method_id;	 /* [U] CALL: method ordinal in the cap's interface */
	uint32_t cap_id;	 /* [U] local CapId: generation:8 | index:24 */
	uint64_t user_data;	 /* [U] echoed in the CQE */
	uint64_t addr;		 /* [U] CALL/RETURN payload; PARK/UNPARK word address */
	uint32_t len;		 /* [U] payload bytes; PARK expected value; UNPARK max wake */
	uint32_t result_len;	 /* [U] capacity of the result buffer */
	uint64_t result_addr;	 /* [U] CALL/RECV result buffer */
	uint64_t pipeline_dep;	 /* [U] reserved for promise pipelining; PARK timeout ns */
	uint16_t pipeline_field; /* [U] reserved for promise pipelining */
	uint16_t xfer_cap_count; /* [U] transfer descriptors packed after the payload */
	uint32_t call_id;	 /* [U] RETURN: in-flight call; thread-owned SQEs: owner tid */
	uint64_t reserved0;	 /* [U] must be zero */
};

/* Completion queue entry. */
struct cap_cqe {
	uint64_t user_data; /* [K] from the SQE */
	int32_t result;	    /* [K] >= 0: bytes or status; < 0: enum cap_err */
	uint32_t flags;	    /* [K] CAP_CQE_* */
	uint32_t cap_count; /* [K] transfer-result records after the result bytes */
	uint32_t reserved0; /* [K] zero */
	uint64_t reserved1; /* [K] zero (a measure build's blocked PARK: the TSC at which its
			     * thread left the CPU; docs/performance.md) */
};

/* The page header. */
struct cap_ring_header {
	uint32_t sq_head;     /* [K] next SQE the kernel consumes */
	uint32_t sq_tail;     /* [U] next SQE slot user space fills */
	uint32_t cq_head;     /* [U] next CQE user space consumes */
	uint32_t cq_tail;     /* [K] next CQE slot the kernel fills */
	uint32_t sq_entries;  /* [I] CAP_SQ_ENTRIES */
	uint32_t cq_entries;  /* [I] CAP_CQ_ENTRIES */
	uint32_t sq_resets;   /* [K] times a corrupt sq_tail was recovered */
	uint32_t reserved[9]; /* [I] zero */
};

struct cap_ring {
	struct cap_ring_header hdr;
	struct cap_sqe sq[CAP_SQ_ENTRIES];
	struct cap_cqe cq[CAP_CQ_ENTRIES];
};

/* Capability transfer descriptors, packed after a CALL/RETURN payload at the
 * next 8-byte boundary; transfer results follow the result bytes likewise. */
#define CAP_TRANSFER_MODE_COPY		  0
#define CAP_TRANSFER_MODE_MOVE		  1
#define CAP_TRANSFER_DESCRIPTOR_ALIGNMENT 8

struct cap_transfer_descriptor {
	uint32_t cap_id;   /* sender's local CapId */
	uint32_t mode;	   /* CAP_TRANSFER_MODE_* */
	uint64_t reserved; /* must be zero */
};

struct cap_transfer_result {
	uint32_t cap_id;       /* receiver's new local CapId */
	uint32_t reserved;     /* zero */
	uint64_t interface_id; /* interface of the received cap */
};

#define CAP_TRANSFER_RESULT_SIZE 16

/*
 * What a RECV delivers ahead of the params in its result buffer: the
 * header, the params (params_len bytes), then at the next 8-byte boundary
 * xfer_cap_count transfer results. The CQE's result is
 * sizeof(header) + params_len; its cap_count the transfer results.
 */
struct cap_endpoint_message_header {
	uint32_t call_id;	    /* kernel-assigned, non-zero: RETURN names it */
	uint16_t method_id;	    /* the caller's method ordinal */
	uint16_t xfer_cap_count;    /* transfer results after the params */
	uint64_t interface_id;	    /* the interface the caller's cap names */
	uint32_t params_len;	    /* bytes of params after this header */
	uint32_t reserved0;	    /* zero */
	uint64_t caller_session[5]; /* reserved for session-bound invocation context: zero */
};

_Static_assert(sizeof(struct cap_sqe) == 64, "SQE is 64 bytes");
_Static_assert(sizeof(struct cap_cqe) == 32, "CQE is 32 bytes");
_Static_assert(sizeof(struct cap_ring_header) == 64, "ring header is 64 bytes");
_Static_assert(__builtin_offsetof(struct cap_sqe, cap_id) == 4, "SQE cap_id offset");
_Static_assert(__builtin_offsetof(struct cap_sqe, user_data) == 8, "SQE user_data offset");
_Static_assert(__builtin_offsetof(struct cap_sqe, addr) == 16, "SQE addr offset");
_Static_assert(__builtin_offsetof(struct cap_sqe, len) == 24, "SQE len offset");
_Static_assert(__builtin_offsetof(struct cap_sqe, result_len) == 28, "SQE result_len offset");
_Static_assert(__builtin_offsetof(struct cap_sqe, result_addr) == 32, "SQE result_addr offset");
_Static_assert(__builtin_offsetof(struct cap_sqe, pipeline_dep) == 40, "SQE pipeline_dep offset");
_Static_assert(__builtin_offsetof(struct cap_sqe, pipeline_field) == 48, "SQE pipeline_field");
_Static_assert(__builtin_offsetof(struct cap_sqe, xfer_cap_count) == 50, "SQE xfer_cap_count");
_Static_assert(__builtin_offsetof(struct cap_sqe, call_id) == 52, "SQE call_id offset");
_Static_assert(__builtin_offsetof(struct cap_sqe, reserved0) == 56, "SQE reserved0 offset");
_Static_assert(__builtin_offsetof(struct cap_cqe, result) == 8, "CQE result offset");
_Static_assert(__builtin_offsetof(struct cap_cqe, flags) == 12, "CQE flags offset");
_Static_assert(__builtin_offsetof(struct cap_cqe, cap_count) == 16, "CQE cap_count offset");
_Static_assert(__builtin_offsetof(struct cap_ring, sq) == 64, "SQ follows the header");
_Static_assert(__builtin_offsetof(struct cap_ring, cq) == 64 + 16 * 64, "CQ follows the SQ");
_Static_assert(sizeof(struct cap_ring) <= CAP_RING_SIZE, "ring fits its page");
_Static_assert((CAP_SQ_ENTRIES & (CAP_SQ_ENTRIES - 1)) == 0, "SQ size is a power of two");
_Static_assert((CAP_CQ_ENTRIES & (CAP_CQ_ENTRIES - 1)) == 0, "CQ size is a power of two");
_Static_assert(sizeof(struct cap_transfer_descriptor) == 16, "transfer descriptor size");
_Static_assert(sizeof(struct cap_transfer_result) == CAP_TRANSFER_RESULT_SIZE, "transfer result");
_Static_assert(sizeof(struct cap_endpoint_message_header) == 64, "endpoint message header");
_Static_assert(__builtin_offsetof(struct cap_endpoint_message_header, interface_id) == 8,
	       "header interface_id offset");
_Static_assert(__builtin_offsetof(struct cap_endpoint_message_header, params_len) == 16,
	       "header params_len offset");
_Static_assert(__builtin_offsetof(struct cap_endpoint_message_header, caller_session) == 24,
	       "header caller_session offset");
