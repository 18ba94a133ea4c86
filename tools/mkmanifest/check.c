/*
 * tools/mkmanifest: the checks. A manifest is refused here for anything the
 * kernel (manifest_validate) or init (manifest_validate_services) would
 * refuse at boot, and for an ELF image, named by init or by a service, that
 * the loader could not load: each is parsed with lib/elf against the
 * window the kernel's loader uses. Binaries no ServiceSpec names are not
 * parsed: init may hand them to ProcessSpawner later, and the loader checks
 * them then.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "lib/elf/elf.h"
#include "lib/manifest/manifest.h"
#include "tools/mkmanifest/mkmanifest.h"

/* The binary called `name`; the graph checks have shown that one exists. */
static struct capnp_data find_binary(const struct capnp_list *bins, const struct capnp_text *name)
{
	struct capos_NamedBlob_r blob;
	struct capnp_text n;
	struct capnp_data data = { 0 };

	for (uint32_t i = 0; i < bins->count; i++)
		if (capos_NamedBlob_list_at(bins, i, &blob) == CAPNP_OK &&
		    capos_NamedBlob_get_name(&blob, &n) == CAPNP_OK && n.len == name->len &&
		    memcmp(n.str, name->str, n.len) == 0 &&
		    capos_NamedBlob_get_data(&blob, &data) == CAPNP_OK)
			break;
	return data;
}

static int check_elf(const struct capnp_list *bins, const struct capos_ServiceSpec_r *spec,
		     struct mk_error *e)
{
	static const struct elf_window win = { CAPOS_USER_IMAGE_BASE, CAPOS_USER_IMAGE_END };
	static struct elf_image image;
	struct capnp_text name, binary;

	if (capos_ServiceSpec_get_name(spec, &name) < 0 ||
	    capos_ServiceSpec_get_binary(spec, &binary) < 0)
		return mk_fail(e, "service: cannot decode");
	struct capnp_data data = find_binary(bins, &binary);
	int err = elf_parse(data.ptr, data.len, &win, &image);
	if (err != ELF_OK)
		return mk_fail(
			e, "service \"%.64s\": binary \"%.64s\": %s: not a loadable ELF executable",
			name.str, binary.str, elf_strerror(err));
	return 0;
}

static int check_elves(const struct mk_blob *m, struct mk_error *e)
{
	struct capnp_seg segs[MANIFEST_MAX_SEGMENTS];
	struct capnp_msg msg;
	struct capos_SystemManifest_r root;
	struct capos_InitConfig_r cfg;
	struct capos_ServiceSpec_r spec;
	struct capnp_list bins, services;

	if (capnp_msg_init(&msg, m->words, m->len, segs, MANIFEST_MAX_SEGMENTS, NULL) < 0 ||
	    capos_SystemManifest_read_root(&msg, &root) < 0 ||
	    capos_SystemManifest_get_binaries(&root, &bins) < 0 ||
	    capos_SystemManifest_get_initConfig(&root, &cfg) < 0 ||
	    capos_InitConfig_get_init(&cfg, &spec) < 0 ||
	    capos_InitConfig_get_services(&cfg, &services) < 0)
		return mk_fail(e, "manifest: cannot decode");
	if (check_elf(&bins, &spec, e) < 0)
		return -1;
	for (uint32_t i = 0; i < services.count; i++) {
		if (capos_ServiceSpec_list_at(&services, i, &spec) < 0)
			return mk_fail(e, "service: cannot decode");
		if (check_elf(&bins, &spec, e) < 0)
			return -1;
	}
	return 0;
}

int mk_check(const struct mk_blob *m, bool measurement, struct mk_error *e)
{
	const struct manifest_policy policy = { .measurement = measurement };
	struct manifest_boot boot;
	struct manifest_report r;
	int err = manifest_validate(m->words, m->len, &policy, &boot, &r);

	if (err == MANIFEST_OK)
		err = manifest_validate_services(m->words, m->len, &policy, &r);
	if (err != MANIFEST_OK)
		return mk_fail(e, "%s: %s", r.detail, manifest_strerror(err));
	return check_elves(m, e);
}
