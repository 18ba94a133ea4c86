/*
 * lib/ring/decode — decode one SQE before anything is invoked. See decode.h.
 *
 * Order of the checks, and so which error a bad SQE gets: fields (by
 * ring_sqe_check, before decode is called), then the cap and its kind,
 * then sizes, then buffers, then transfer descriptors.
 */
#include "lib/ring/decode.h"

#include "include/capos/abi.h"

bool ring_range_ok(const struct ring_env *env, uint64_t addr, uint64_t len, bool write)
{
	if (len == 0)
		return true;
	if (addr + len < addr)
		return false;
	uint64_t lo = CAPOS_CAPSET_VADDR, hi = CAPOS_RING_VADDR + CAPOS_PAGE_SIZE;
	if (addr < hi && addr + len > lo)
		return false; /* the ring and CapSet pages are not buffers */
	return env->mapped(env->ctx, addr, len, write);
}

uint64_t ring_xfer_addr(const struct cap_sqe *sqe)
{
	uint64_t a = CAP_TRANSFER_DESCRIPTOR_ALIGNMENT;
	return sqe->addr + (((uint64_t)sqe->len + a - 1) & ~(a - 1));
}

/* The cap named by sqe->cap_id, which must be of kind want (or any kind
 * for RING_OBJ_OTHER). */
static int decode_cap(const struct cap_sqe *sqe, const struct ring_env *env,
		      struct ring_decoded *out, enum ring_obj_kind want)
{
	int err = captable_lookup(env->caps, sqe->cap_id, &out->hold);
	if (err == CAPTABLE_ERR_STALE)
		return CAP_ERR_STALE_CAP;
	if (err != CAPTABLE_OK)
		return CAP_ERR_INVALID_CAP;
	out->kind = env->kind(env->ctx, out->hold.object);
	if (want != RING_OBJ_OTHER && out->kind != want)
		return CAP_ERR_INVALID_REQUEST;
	return 0;
}

/* Copy in and check a CALL's or RETURN's transfer descriptors. */
static int decode_xfer(const struct cap_sqe *sqe, const struct ring_env *env,
		       struct ring_decoded *out)
{
	uint32_t n = sqe->xfer_cap_count;
	if (n == 0)
		return 0;
	if (n > CAP_XFER_MAX)
		return CAP_ERR_INVALID_TRANSFER_DESCRIPTOR;
	uint64_t at = ring_xfer_addr(sqe), size = n * sizeof(out->xd[0]);
	if (at < sqe->addr || !ring_range_ok(env, at, size, false))
		return CAP_ERR_INVALID_BUFFER;
	env->copy_in(env->ctx, out->xd, at, size);
	for (uint32_t i = 0; i < n; i++) {
		if (out->xd[i].reserved != 0 || (out->xd[i].mode != CAP_TRANSFER_MODE_COPY &&
						 out->xd[i].mode != CAP_TRANSFER_MODE_MOVE))
			return CAP_ERR_INVALID_TRANSFER_DESCRIPTOR;
	}
	out->xfer_count = n;
	return 0;
}

static int decode_call(const struct cap_sqe *sqe, const struct ring_env *env,
		       struct ring_decoded *out)
{
	int err = decode_cap(sqe, env, out, RING_OBJ_OTHER);
	if (err != 0)
		return err;
	if (sqe->xfer_cap_count && out->kind != RING_OBJ_ENDPOINT)
		return CAP_ERR_TRANSFER_NOT_SUPPORTED;
	if (sqe->len > CAP_MAX_PARAMS_BYTES)
		return CAP_ERR_PARAMS_TOO_LARGE;
	if (!ring_range_ok(env, sqe->addr, sqe->len, false) ||
	    !ring_range_ok(env, sqe->result_addr, sqe->result_len, true))
		return CAP_ERR_INVALID_BUFFER;
	return decode_xfer(sqe, env, out);
}

static int decode_recv(const struct cap_sqe *sqe, const struct ring_env *env,
		       struct ring_decoded *out)
{
	int err = decode_cap(sqe, env, out, RING_OBJ_ENDPOINT);
	if (err != 0)
		return err;
	if (!ring_range_ok(env, sqe->result_addr, sqe->result_len, true))
		return CAP_ERR_INVALID_BUFFER;
	return 0;
}

static int decode_return(const struct cap_sqe *sqe, const struct ring_env *env,
			 struct ring_decoded *out)
{
	int err = decode_cap(sqe, env, out, RING_OBJ_ENDPOINT);
	if (err != 0)
		return err;
	if (sqe->len > CAP_MAX_RESULT_BYTES)
		return CAP_ERR_PARAMS_TOO_LARGE;
	if (!ring_range_ok(env, sqe->addr, sqe->len, false))
		return CAP_ERR_INVALID_BUFFER;
	return decode_xfer(sqe, env, out);
}

/* PARK and UNPARK: the ParkSpace and an aligned user word address; PARK
 * reads the word, so it must be mapped (the ring page may hold it). */
static int decode_park(const struct cap_sqe *sqe, const struct ring_env *env,
		       struct ring_decoded *out)
{
	int err = decode_cap(sqe, env, out, RING_OBJ_PARK);
	if (err != 0)
		return err;
	if ((sqe->addr & 3) || sqe->addr >= CAPOS_USER_TOP)
		return CAP_ERR_INVALID_BUFFER;
	if (sqe->opcode == CAP_OP_PARK && !env->mapped(env->ctx, sqe->addr, 4, false))
		return CAP_ERR_INVALID_BUFFER;
	if (sqe->opcode == CAP_OP_UNPARK && sqe->len == 0)
		return CAP_ERR_INVALID_REQUEST; /* wake at most nobody */
	return 0;
}

int ring_sqe_decode(const struct cap_sqe *sqe, const struct ring_env *env, struct ring_decoded *out)
{
	/* Only what every opcode's invoke reads: xd[] beyond xfer_count never is. */
	out->kind = RING_OBJ_OTHER;
	out->xfer_count = 0;
	switch (sqe->opcode) {
	case CAP_OP_NOP:
		return 0;
	case CAP_OP_CALL:
		return decode_call(sqe, env, out);
	case CAP_OP_RECV:
		return decode_recv(sqe, env, out);
	case CAP_OP_RETURN:
		return decode_return(sqe, env, out);
	case CAP_OP_RELEASE:
		return decode_cap(sqe, env, out, RING_OBJ_OTHER);
	case CAP_OP_PARK:
	case CAP_OP_UNPARK:
		return decode_park(sqe, env, out);
	default: /* ring_sqe_check refuses it */
		return CAP_ERR_UNSUPPORTED_OPCODE;
	}
}
