/*
 * Starting init: the only process the kernel starts itself. Its caps are
 * the manifest's initConfig.init.caps, resolved to kernel objects, inserted
 * into its cap table in manifest order and listed in its CapSet page. Every
 * source is resolved before the process is created (decode, then invoke);
 * a source this kernel does not implement yet ends the boot with a clear
 * line. The kernel cap sources are kernel/cap/object.c's table.
 */
#include "kernel/boot/init.h"

#include <string.h>

#include "gen/capos.capnp.h"
#include "kernel/boot/boot.h"
#include "kernel/boot/manifest.h"
#include "kernel/cap/endpoint.h"
#include "kernel/cap/object.h"
#include "kernel/klog.h"
#include "kernel/proc/proc.h"
#include "lib/capset/capset.h"

struct init_cap {
	char name[CAPSET_NAME_MAX + 1];
	uint32_t name_len;
	struct kernel_source src;
};

static struct init_cap init_caps[MANIFEST_MAX_INIT_CAPS];
static uint32_t ninit_caps;

/* Decode: resolve every init cap (the manifest already passed validation). */
static void resolve_caps(void)
{
	const uint8_t *bytes;
	size_t len;
	struct capnp_seg segs[MANIFEST_MAX_SEGMENTS];
	struct capnp_msg msg;
	struct capos_SystemManifest_r root;
	struct capos_InitConfig_r cfg;
	struct capos_ServiceSpec_r init;
	struct capnp_list caps;

	boot_manifest(&bytes, &len);
	if (capnp_msg_init(&msg, bytes, len, segs, MANIFEST_MAX_SEGMENTS, NULL) < 0 ||
	    capos_SystemManifest_read_root(&msg, &root) < 0 ||
	    capos_SystemManifest_get_initConfig(&root, &cfg) < 0 ||
	    capos_InitConfig_get_init(&cfg, &init) < 0 ||
	    capos_ServiceSpec_get_caps(&init, &caps) < 0)
		kernel_halt_failure("init: manifest changed after validation");
	for (uint32_t i = 0; i < caps.count; i++) {
		struct capos_CapRef_r cap;
		struct capnp_text name;
		capos_CapRef_list_at(&caps, i, &cap);
		capos_CapRef_get_name(&cap, &name);
		struct capos_CapRef_source_r src = capos_CapRef_get_source(&cap);
		uint16_t source = capos_CapRef_source_get_kernel(&src);
		struct init_cap *c = &init_caps[ninit_caps++];
		memcpy(c->name, name.str, name.len);
		c->name_len = name.len;
		if (!kernel_source(source, &c->src))
			kernel_halt_failure(
				"init: cap \"%s\": kernel source %u is not implemented yet",
				c->name, source);
	}
}

/* Invoke: the caps into the new process's table and CapSet. */
static int grant(struct process *p, void *ctx)
{
	(void)ctx;
	for (uint32_t i = 0; i < ninit_caps; i++) {
		const struct init_cap *c = &init_caps[i];
		struct kobj *obj = c->src.mint ? c->src.mint() : c->src.obj;
		if (obj == NULL)
			return -1;
		struct cap_hold hold = kobj_hold(obj, c->src.mode, CAP_ORIGIN_KERNEL);
		struct cap_reservation r;
		if (captable_reserve(&p->caps, &r) != CAPTABLE_OK) {
			if (c->src.mint)
				kobj_discard(obj);
			return -1;
		}
		uint32_t cap_id = kobj_commit(&p->caps, r, &hold);
		if (capset_add(capset_of(p), c->name, c->name_len, cap_id, hold.interface_id) !=
		    CAPSET_OK)
			return -1;
	}
	return 0;
}

void init_start(void)
{
	resolve_caps();
	const struct capnp_data *bin = &boot_manifest_info.init_binary;
	const struct process_spec spec = { "init", 4, bin->ptr, bin->len, grant, NULL, NULL };
	struct process *p;
	if (process_create(&spec, &p) != PROC_OK)
		kernel_halt_failure("init: could not be started");
}
