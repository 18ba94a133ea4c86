/*
 * tools/mkmanifest: re-encoding. The evaluated manifest is copied into one
 * fresh segment with lib/capnp (the root's data section, and a deep copy of
 * each pointer: binaries, initConfig and any field added later), except
 * kernelParams, which is rebuilt from the manifest's and the operator
 * overlay's: every pointer field (motd, and any text or struct added later)
 * the overlay sets wins; data fields are merged one by one below, because a
 * data field the overlay leaves out reads as its default and cannot be told
 * from one it sets to the default.
 */
#include <stdlib.h>
#include <string.h>

#include "gen/capos.capnp.h"
#include "lib/capnp/capnp.h"
#include "tools/mkmanifest/mkmanifest.h"

/* capnp eval lays out big messages in several segments; the output has one. */
#define MK_MAX_SEGMENTS 4096

static int open_msg(const struct mk_blob *b, struct capnp_msg *m, struct capnp_seg *segs,
		    const char *what, struct capnp_struct *root, struct mk_error *e)
{
	int err = capnp_msg_init(m, b->words, b->len, segs, MK_MAX_SEGMENTS, NULL);

	if (err >= 0)
		err = capnp_msg_root_struct(m, root);
	return err < 0 ? mk_fail(e, "%s: %s: cannot decode", what, capnp_strerror(err)) : 0;
}

static uint16_t max16(uint16_t a, uint16_t b)
{
	return a > b ? a : b;
}

/* Deep-copy pointer i of src (if any) into pointer i of dst. */
static int copy_ptr(const struct capnp_struct *src, struct capnp_bstruct *dst, uint16_t i)
{
	struct capnp_ptr p;
	int err = capnp_struct_ptr(src, i, &p);

	return err == CAPNP_OK ? capnp_bstruct_set_ptr(dst, i, &p) : err < 0 ? err : CAPNP_OK;
}

/* kernelParams: the manifest's (base), with the overlay's fields over it. */
static int merge_params(struct capos_KernelParams_b *dst, const struct capnp_struct *base,
			const struct capnp_struct *over)
{
	const struct capos_KernelParams_r o = { *over };
	uint32_t bytes = base->data_bytes < (uint32_t)dst->s.data_words * 8 ?
				 base->data_bytes :
				 (uint32_t)dst->s.data_words * 8;
	int err = CAPNP_OK;

	if (bytes)
		memcpy(dst->s.data, base->data, bytes);
	/* terminalPort: the overlay wins when it says anything but the default. */
	if (capos_KernelParams_get_terminalPort(&o) != CAPOS_SERIAL_PORT_COM2)
		capos_KernelParams_set_terminalPort(dst, capos_KernelParams_get_terminalPort(&o));
	for (uint16_t i = 0; err == CAPNP_OK && i < dst->s.nptrs; i++) {
		bool set = i < over->nptrs && over->ptrs[i] != 0;
		err = copy_ptr(set ? over : base, &dst->s, i);
	}
	return err;
}

static int encode_root(struct capnp_builder *b, const struct capnp_struct *src,
		       const struct capnp_struct *over)
{
	struct capnp_bstruct root;
	struct capos_KernelParams_b kp;
	struct capos_KernelParams_r base;
	int err = capnp_builder_root(
		b, max16((uint16_t)(src->data_bytes / 8), CAPOS_SYSTEM_MANIFEST_DATA_WORDS),
		max16(src->nptrs, CAPOS_SYSTEM_MANIFEST_PTR_COUNT), &root);
	struct capos_SystemManifest_b dst = { root };

	if (err < 0)
		return err;
	if (src->data_bytes)
		memcpy(root.data, src->data, src->data_bytes);
	if (over == NULL) {
		for (uint16_t i = 0; err == CAPNP_OK && i < src->nptrs; i++)
			err = copy_ptr(src, &root, i);
		return err;
	}
	/* kernelParams first: the one pointer it sets is the slot to skip. */
	if ((err = capos_SystemManifest_init_kernelParams(&dst, &kp)) < 0)
		return err;
	const struct capos_SystemManifest_r r = { *src };
	if ((err = capos_SystemManifest_get_kernelParams(&r, &base)) < 0)
		return err;
	for (uint16_t i = 0; err == CAPNP_OK && i < src->nptrs; i++)
		if (root.ptrs[i] == 0)
			err = copy_ptr(src, &root, i);
	return err == CAPNP_OK ? merge_params(&kp, &base.s, over) : err;
}

int mk_encode(const struct mk_blob *in, const struct mk_blob *overlay, struct mk_blob *out,
	      struct mk_error *e)
{
	static struct capnp_seg segs[MK_MAX_SEGMENTS], osegs[MK_MAX_SEGMENTS];
	struct capnp_msg m, om;
	struct capnp_struct root, over;
	struct capnp_builder b;

	if (open_msg(in, &m, segs, "manifest", &root, e) < 0 ||
	    (overlay && open_msg(overlay, &om, osegs, "overlay", &over, e) < 0))
		return -1;
	/* A deep copy is never larger than its source. */
	size_t words = in->len / 8 + (overlay ? overlay->len / 8 : 0) + 16;
	if (words > UINT32_MAX || (out->words = calloc(words, 8)) == NULL)
		return mk_fail(e, "manifest of %zu bytes: too large to re-encode", in->len);
	int err = capnp_builder_init(&b, out->words, words * 8);
	if (err == CAPNP_OK)
		err = encode_root(&b, &root, overlay ? &over : NULL);
	if (err != CAPNP_OK) {
		mk_blob_free(out);
		return mk_fail(e, "re-encoding: %s: cannot re-encode", capnp_strerror(err));
	}
	out->len = capnp_builder_finish(&b);
	return 0;
}
