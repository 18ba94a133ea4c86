/*
 * Typed clients of init's bootstrap authority: BootPackage (the manifest
 * in bounded chunks), ProcessSpawner (spawn with grants; the ProcessHandle
 * comes back as a result cap, adopted here with its interface checked) and
 * ProcessHandle (wait, blocking or submitted). Failures come back as a
 * capos_status: a transport error or the decoded CapException.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "lib/ring/ring.h"
#include "user/rt/capos.h"

int32_t capos_status_of(int32_t result, const void *buf, uint32_t buf_len, struct capos_status *st)
{
	memset(st, 0, sizeof(*st));
	st->exc.type = -1;
	if (result >= 0)
		return 0;
	st->err = result;
	if (result == CAP_ERR_APPLICATION_EXCEPTION && capos_exception(buf, buf_len, &st->exc) != 0)
		st->exc.type = -1;
	return result;
}

const char *capos_status_str(const struct capos_status *st)
{
	if (st->err == 0)
		return "ok";
	if (st->exc.type >= 0)
		return st->exc.message;
	return ring_strerror(st->err);
}

/* Decode a results message into a reader root; false if malformed. */
static bool results_root(const void *buf, int32_t len, struct capnp_msg *m, struct capnp_seg *segs,
			 struct capnp_struct *root)
{
	return capnp_msg_init(m, buf, (size_t)len, segs, 2, NULL) == CAPNP_OK &&
	       capnp_msg_root_struct(m, root) >= 0;
}

int32_t capos_manifest_size(struct capos_rt *rt, uint32_t boot, uint64_t *size,
			    struct capos_status *st)
{
	uint64_t params[4], result[16];
	struct capnp_builder b;
	struct capos_BootPackage_manifestSize_Params_b p;
	struct capnp_seg segs[2];
	struct capnp_msg m;
	struct capos_BootPackage_manifestSize_Results_r r;

	capnp_builder_init(&b, params, sizeof(params));
	capos_BootPackage_manifestSize_request(&b, &p);
	int32_t n = capos_call(rt, boot, CAPOS_BOOT_PACKAGE_MANIFEST_SIZE, params,
			       (uint32_t)capnp_builder_finish(&b), result, sizeof(result));
	if (capos_status_of(n, result, sizeof(result), st) < 0)
		return st->err;
	if (!results_root(result, n, &m, segs, &r.s))
		return capos_status_of(CAP_ERR_INVALID_REQUEST, NULL, 0, st);
	*size = capos_BootPackage_manifestSize_Results_get_size(&r);
	return 0;
}

int32_t capos_manifest_read(struct capos_rt *rt, uint32_t boot, uint64_t offset, void *buf,
			    uint32_t max, uint32_t *got, struct capos_status *st)
{
	static uint64_t result[(4096 + 64) / 8];
	uint64_t params[8];
	struct capnp_builder b;
	struct capos_BootPackage_readManifest_Params_b p;
	struct capnp_seg segs[2];
	struct capnp_msg m;
	struct capos_BootPackage_readManifest_Results_r r;
	struct capnp_data data;

	if (max > 4096)
		max = 4096;
	capnp_builder_init(&b, params, sizeof(params));
	capos_BootPackage_readManifest_request(&b, &p);
	capos_BootPackage_readManifest_Params_set_offset(&p, offset);
	capos_BootPackage_readManifest_Params_set_maxBytes(&p, max);
	int32_t n = capos_call(rt, boot, CAPOS_BOOT_PACKAGE_READ_MANIFEST, params,
			       (uint32_t)capnp_builder_finish(&b), result, sizeof(result));
	if (capos_status_of(n, result, sizeof(result), st) < 0)
		return st->err;
	if (!results_root(result, n, &m, segs, &r.s) ||
	    capos_BootPackage_readManifest_Results_get_data(&r, &data) != CAPNP_OK ||
	    data.len > max)
		return capos_status_of(CAP_ERR_INVALID_REQUEST, NULL, 0, st);
	memcpy(buf, data.ptr, data.len);
	*got = data.len;
	return 0;
}

static int set_grant(struct capnp_blist *list, uint32_t i, const struct capos_grant *g)
{
	struct capos_CapGrant_b cg;
	int err = capos_CapGrant_blist_at(list, i, &cg);
	if (err < 0 || (err = capos_CapGrant_set_name(&cg, g->name, (uint32_t)strlen(g->name))) < 0)
		return err;
	capos_CapGrant_set_expectedInterfaceId(&cg, g->interface_id);
	struct capos_CapGrant_source_b src = capos_CapGrant_init_source(&cg);
	switch (g->kind) {
	case CAPOS_GRANT_COPY:
	case CAPOS_GRANT_MOVE: {
		struct capos_CapGrant_source_raw_b raw = capos_CapGrant_source_init_raw(&src);
		capos_CapGrant_source_raw_set_capId(&raw, g->cap);
		capos_CapGrant_source_raw_set_mode(&raw, g->kind == CAPOS_GRANT_MOVE ?
								 CAPOS_TRANSFER_MODE_MOVE :
								 CAPOS_TRANSFER_MODE_COPY);
		break;
	}
	case CAPOS_GRANT_CLIENT:
		capos_CapGrant_source_set_client(&src, g->cap);
		break;
	case CAPOS_GRANT_KERNEL:
		capos_CapGrant_source_set_kernel(&src, (enum capos_KernelCapSource)g->source);
		break;
	case CAPOS_GRANT_UNSET:
		capos_CapGrant_source_set_unset(&src);
		break;
	}
	return 0;
}

int32_t capos_spawn(struct capos_rt *rt, uint32_t spawner, const char *name, const char *binary,
		    const struct capos_grant *grants, uint32_t n, uint32_t *handle,
		    struct capos_status *st)
{
	return capos_spawn_ex(rt, spawner, name, binary, grants, n, handle, NULL, st);
}

int32_t capos_spawn_ex(struct capos_rt *rt, uint32_t spawner, const char *name, const char *binary,
		       const struct capos_grant *grants, uint32_t n, uint32_t *handle,
		       uint32_t *facets, struct capos_status *st)
{
	static uint64_t params[2048];
	uint64_t result[64];
	struct capnp_builder b;
	struct capos_ProcessSpawner_spawn_Params_b p;
	struct capnp_blist list;
	struct cap_cqe cqe;

	capnp_builder_init(&b, params, sizeof(params));
	if (capos_ProcessSpawner_spawn_request(&b, &p) < 0 ||
	    capos_ProcessSpawner_spawn_Params_set_name(&p, name, (uint32_t)strlen(name)) < 0 ||
	    capos_ProcessSpawner_spawn_Params_set_binaryName(&p, binary, (uint32_t)strlen(binary)) <
		    0 ||
	    capos_ProcessSpawner_spawn_Params_init_grants(&p, n, &list) < 0)
		return capos_status_of(CAP_ERR_PARAMS_TOO_LARGE, NULL, 0, st);
	for (uint32_t i = 0; i < n; i++)
		if (set_grant(&list, i, &grants[i]) < 0)
			return capos_status_of(CAP_ERR_PARAMS_TOO_LARGE, NULL, 0, st);
	int32_t r =
		capos_call_cqe(rt, spawner, CAPOS_PROCESS_SPAWNER_SPAWN, params,
			       (uint32_t)capnp_builder_finish(&b), result, sizeof(result), &cqe);
	if (capos_status_of(r, result, sizeof(result), st) < 0)
		return st->err;
	if (capos_adopt(result, &cqe, 0, CAPOS_PROCESS_HANDLE_INTERFACE_ID, handle) != 0)
		return capos_status_of(CAP_ERR_INVALID_REQUEST, NULL, 0, st);
	uint32_t k = 1; /* the facets follow the handle, in grant order */
	for (uint32_t i = 0; facets != NULL && i < n; i++) {
		facets[i] = 0;
		if (grants[i].kind == CAPOS_GRANT_KERNEL &&
		    grants[i].source == CAPOS_KERNEL_CAP_SOURCE_ENDPOINT &&
		    capos_adopt(result, &cqe, k++, CAPOS_ENDPOINT_INTERFACE_ID, &facets[i]) != 0)
			return capos_status_of(CAP_ERR_INVALID_REQUEST, NULL, 0, st);
	}
	return 0;
}

uint64_t capos_process_wait_submit(struct capos_rt *rt, uint32_t handle,
				   uint64_t buf[CAPOS_WAIT_BUF_WORDS])
{
	uint64_t params[4];
	struct capnp_builder b;
	struct capos_ProcessHandle_wait_Params_b p;

	capnp_builder_init(&b, params, sizeof(params));
	capos_ProcessHandle_wait_request(&b, &p);
	return capos_call_submit(rt, handle, CAPOS_PROCESS_HANDLE_WAIT, params,
				 (uint32_t)capnp_builder_finish(&b), buf,
				 CAPOS_WAIT_BUF_WORDS * sizeof(uint64_t));
}

int32_t capos_process_exit_code(const struct cap_cqe *cqe, const uint64_t buf[CAPOS_WAIT_BUF_WORDS],
				int64_t *code, struct capos_status *st)
{
	struct capnp_seg segs[2];
	struct capnp_msg m;
	struct capos_ProcessHandle_wait_Results_r r;

	if (capos_status_of(cqe->result, buf, CAPOS_WAIT_BUF_WORDS * sizeof(uint64_t), st) < 0)
		return st->err;
	if (!results_root(buf, cqe->result, &m, segs, &r.s))
		return capos_status_of(CAP_ERR_INVALID_REQUEST, NULL, 0, st);
	*code = capos_ProcessHandle_wait_Results_get_exitCode(&r);
	return 0;
}

int32_t capos_process_wait(struct capos_rt *rt, uint32_t handle, int64_t *code,
			   struct capos_status *st)
{
	uint64_t buf[CAPOS_WAIT_BUF_WORDS];
	struct cap_cqe cqe;
	uint64_t ud = capos_process_wait_submit(rt, handle, buf);
	capos_wait_any(rt, &ud, 1, &cqe);
	return capos_process_exit_code(&cqe, buf, code, st);
}
