/*
 * bootpkg-check: BootPackage from the holder's side (it runs as init, the
 * only process that may hold one). The manifest read in chunks of 1, 7,
 * 512 and 4096 bytes is the same every time and validates; a read at the
 * end returns nothing; a read past the end is refused with `failed`; a
 * result buffer too small for any results is a transport error; and a
 * maxBytes beyond what the buffer holds is clamped, never overrun.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "lib/manifest/manifest.h"
#include "user/rt/capos.h"

#define MAX (512u << 10)

static uint64_t first[MAX / 8], again[MAX / 8];
static struct capos_rt *rt;
static uint32_t boot;
static int failures;

static void check(bool ok, const char *what)
{
	if (!ok) {
		failures++;
		capos_printf(rt, "bootpkg-check: FAIL %s", what);
	}
}

static bool read_all(uint64_t size, uint32_t chunk, uint64_t *buf)
{
	struct capos_status st;
	uint32_t got;
	for (uint64_t off = 0; off < size; off += got)
		if (capos_manifest_read(rt, boot, off, (uint8_t *)buf + off, chunk, &got, &st) <
			    0 ||
		    got == 0 || got > chunk)
			return false;
	return true;
}

/* One raw readManifest with an explicit result buffer size. */
static int32_t raw_read(uint64_t offset, uint32_t max, void *result, uint32_t result_len)
{
	uint64_t params[8];
	struct capnp_builder b;
	struct capos_BootPackage_readManifest_Params_b p;
	capnp_builder_init(&b, params, sizeof(params));
	capos_BootPackage_readManifest_request(&b, &p);
	capos_BootPackage_readManifest_Params_set_offset(&p, offset);
	capos_BootPackage_readManifest_Params_set_maxBytes(&p, max);
	return capos_call(rt, boot, CAPOS_BOOT_PACKAGE_READ_MANIFEST, params,
			  (uint32_t)capnp_builder_finish(&b), result, result_len);
}

int main(struct capos_rt *r)
{
	struct capos_status st;
	uint64_t size = 0;
	uint32_t got = 1;
	uint8_t tail[16];

	rt = r;
	if (capos_lookup(rt, "boot", CAPOS_BOOT_PACKAGE_INTERFACE_ID, &boot) != 0)
		capos_panic("bootpkg-check: needs \"boot\"");
	check(capos_manifest_size(rt, boot, &size, &st) == 0 && size > 0 && size <= MAX,
	      "manifestSize");
	check(read_all(size, 4096, first), "read in 4096-byte chunks");
	static const uint32_t chunks[] = { 1, 7, 512 };
	for (unsigned i = 0; i < 3; i++) {
		memset(again, 0, size);
		check(read_all(size, chunks[i], again) && memcmp(first, again, size) == 0,
		      "a read in other chunk sizes differs");
	}
	const struct manifest_policy policy = { .measurement = false };
	struct manifest_boot info;
	struct manifest_report report;
	check(manifest_validate(first, size, &policy, &info, &report) == MANIFEST_OK,
	      "the manifest read back does not validate");

	check(capos_manifest_read(rt, boot, size, tail, sizeof(tail), &got, &st) == 0 && got == 0,
	      "a read at the end returns nothing");
	check(capos_manifest_read(rt, boot, size + 1, tail, sizeof(tail), &got, &st) ==
			      CAP_ERR_APPLICATION_EXCEPTION &&
		      st.exc.type == CAPOS_CAP_EXCEPTION_TYPE_FAILED &&
		      strcmp(st.exc.message, "bootPackage: offset beyond the manifest") == 0,
	      "a read past the end is refused");
	uint64_t small[2];
	check(raw_read(0, 64, small, sizeof(small)) == CAP_ERR_RESULT_TRUNCATED,
	      "a result buffer too small for any results");
	uint64_t mid[8]; /* room for 64 - 24 = 40 data bytes */
	int32_t n = raw_read(0, 4096, mid, sizeof(mid));
	check(n > 0 && n <= (int32_t)sizeof(mid), "maxBytes beyond the buffer is clamped");
	capos_printf(rt,
		     "bootpkg-check: %lu bytes read alike in 1/7/512/4096-byte chunks and "
		     "validated; end, past-end and small-buffer reads answered%s",
		     size, failures ? ": FAIL" : "");
	return failures ? 1 : 0;
}
