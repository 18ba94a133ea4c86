/*
 * BootPackage: read-only access to the boot manifest for init's executor.
 * readManifest returns at most maxBytes from offset, clamped to the end of
 * the manifest and to what fits the caller's result buffer (and the
 * kernel's results scratch); an offset beyond the end raises `failed`.
 */
#include "gen/capos.capnp.h"
#include "include/capos/limits.h"
#include "kernel/boot/boot.h"
#include "kernel/cap/object.h"

/* A readManifest results message around n data bytes: the segment table,
 * the root pointer, the struct's one pointer, then the bytes padded to a
 * word. */
#define READ_OVERHEAD 24

static int manifest_size(void *self, const struct capos_BootPackage_manifestSize_Params_r *p,
			 struct capos_BootPackage_manifestSize_Results_b *r, struct capnp_exc *exc)
{
	const uint8_t *bytes;
	size_t len;
	(void)self;
	(void)p;
	(void)exc;
	boot_manifest(&bytes, &len);
	capos_BootPackage_manifestSize_Results_set_size(r, len);
	return CAPNP_OK;
}

static int read_manifest(void *self, const struct capos_BootPackage_readManifest_Params_r *p,
			 struct capos_BootPackage_readManifest_Results_b *r, struct capnp_exc *exc)
{
	struct call_ctx *ctx = self;
	const uint8_t *bytes;
	size_t len;
	uint64_t offset = capos_BootPackage_readManifest_Params_get_offset(p);
	uint64_t want = capos_BootPackage_readManifest_Params_get_maxBytes(p);

	boot_manifest(&bytes, &len);
	if (offset > len) {
		*exc = (struct capnp_exc){ CAPNP_EXC_FAILED,
					   "bootPackage: offset beyond the manifest" };
		return CAPNP_EXCEPTION;
	}
	uint64_t room =
		ctx->result_len < CAP_MAX_RESULT_BYTES ? ctx->result_len : CAP_MAX_RESULT_BYTES;
	room = room > READ_OVERHEAD ? (room - READ_OVERHEAD) & ~7ULL : 0;
	if (want > len - offset)
		want = len - offset;
	if (want > room)
		want = room;
	return capos_BootPackage_readManifest_Results_set_data(r, bytes + offset, (uint32_t)want);
}

static const struct capos_BootPackage_server boot_package_server = {
	.manifestSize = manifest_size,
	.readManifest = read_manifest,
};

static int boot_package_call(struct kobj *o, struct call_ctx *ctx, uint16_t method,
			     struct capnp_msg *params, struct capnp_builder *results,
			     struct capnp_exc *exc)
{
	(void)o;
	return capos_BootPackage_dispatch(&boot_package_server, ctx, method, params, results, exc);
}

static const struct kobj_ops boot_package_ops = { CAPOS_BOOT_PACKAGE_INTERFACE_ID, "BootPackage",
						  boot_package_call, NULL };
struct kobj boot_package_obj = { &boot_package_ops, 0, 0 };
