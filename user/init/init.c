/*
 * init: the one process the kernel starts. It holds Console ("console"),
 * BootPackage ("boot") and ProcessSpawner ("spawner").
 *
 *  1. Read the manifest through BootPackage in bounded chunks.
 *  2. Preflight: the kernel-owned checks and the service-graph checks of
 *     lib/manifest, then resolve every service cap to a spawn grant —
 *     before anything is spawned, so an unstartable graph starts nothing.
 *  3. Spawn initConfig.services in declaration order.
 *  4. Wait for them by their waitPolicy, reporting each exit on Console;
 *     exit 0 when every waited child exited 0, else the first non-zero
 *     code (haltOnExit: at once, with that child's code).
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "lib/manifest/manifest.h"
#include "user/rt/capos.h"

#define MAX_SERVICES 64
#define MAX_MANIFEST (2u << 20) /* what init reads; the rest is a clear failure */
#define MAX_GRANTS   CAPSET_MAX_ENTRIES
#define CHUNK	     4096

static uint64_t manifest[MAX_MANIFEST / 8];

struct child {
	char name[32];
	uint16_t policy; /* enum capos_WaitPolicy */
	uint32_t handle;
	bool started, waiting;
	uint64_t wait_ud;
	uint64_t wait_buf[CAPOS_WAIT_BUF_WORDS];
};

static struct child children[MAX_SERVICES];
static uint32_t nchildren;

/* An export of a started service: the client facet ProcessSpawner gave
 * init for the exported endpoint, which importers get client grants of. */
struct export
{
	char service[32], name[32];
	uint32_t facet;
};
static struct export exports[MAX_SERVICES];
static uint32_t nexports;
static uint32_t facets[MAX_GRANTS];

static bool text_is(const struct capnp_text *t, const char *s)
{
	return strlen(s) == t->len && memcmp(s, t->str, t->len) == 0;
}

static void copy_text(char *dst, uint32_t size, const struct capnp_text *t)
{
	uint32_t n = t->len < size - 1 ? t->len : size - 1;
	memcpy(dst, t->str, n);
	dst[n] = 0;
}

static const struct export *find_export(const struct capnp_text *service,
					const struct capnp_text *name)
{
	for (uint32_t i = 0; i < nexports; i++)
		if (text_is(service, exports[i].service) && text_is(name, exports[i].name))
			return &exports[i];
	return NULL;
}
static struct capos_grant grants[MAX_GRANTS];
static char grant_names[MAX_GRANTS][CAPSET_NAME_MAX + 1];

static struct capos_rt *rt;
static uint32_t boot, spawner;

static uint64_t read_manifest(void)
{
	struct capos_status st;
	uint64_t size = 0;
	uint32_t got;

	if (capos_manifest_size(rt, boot, &size, &st) < 0) {
		capos_printf(rt, "init: BootPackage.manifestSize failed: %s",
			     capos_status_str(&st));
		return 0;
	}
	if (size > MAX_MANIFEST) {
		capos_printf(rt, "init: manifest of %lu bytes is over init's %u", size,
			     MAX_MANIFEST);
		return 0;
	}
	for (uint64_t off = 0; off < size; off += got) {
		if (capos_manifest_read(rt, boot, off, (uint8_t *)manifest + off, CHUNK, &got,
					&st) < 0 ||
		    got == 0) {
			capos_printf(rt, "init: BootPackage.readManifest at %lu failed: %s", off,
				     got == 0 ? "no progress" : capos_status_str(&st));
			return 0;
		}
	}
	return size;
}

/* Sources init passes on from its own caps rather than asking the spawner
 * to mint: its bootstrap authority. */
static bool passed_on(uint16_t source, const char **own)
{
	switch (source) {
	case CAPOS_KERNEL_CAP_SOURCE_PROCESS_SPAWNER:
		*own = "spawner";
		return true;
	default:
		return false;
	}
}

/* Resolve one service's caps to grants; NULL or why it cannot start. In
 * the preflight pass imports are only checked to exist in the graph
 * (manifest_validate_services did that); in the spawn pass they become
 * client grants of the exporter's facet. */
static const char *resolve(const struct capos_ServiceSpec_r *svc, uint32_t *n, bool preflight)
{
	struct capnp_list caps;
	if (capos_ServiceSpec_get_caps(svc, &caps) < 0 || caps.count > MAX_GRANTS)
		return "too many caps";
	for (uint32_t i = 0; i < caps.count; i++) {
		struct capos_CapRef_r cap;
		struct capnp_text name;
		capos_CapRef_list_at(&caps, i, &cap);
		capos_CapRef_get_name(&cap, &name);
		copy_text(grant_names[i], sizeof(grant_names[i]), &name);
		struct capos_grant *g = &grants[i];
		*g = (struct capos_grant){ .name = grant_names[i],
					   .interface_id =
						   capos_CapRef_get_expectedInterfaceId(&cap) };
		struct capos_CapRef_source_r src = capos_CapRef_get_source(&cap);
		const char *own;
		if (capos_CapRef_source_which(&src) == CAPOS_CAP_REF_SOURCE_SERVICE) {
			struct capos_ServiceCapSource_r from;
			struct capnp_text svcname, export;
			capos_CapRef_source_get_service(&src, &from);
			capos_ServiceCapSource_get_service(&from, &svcname);
			capos_ServiceCapSource_get_export(&from, &export);
			g->kind = CAPOS_GRANT_CLIENT;
			const struct export *e = find_export(&svcname, &export);
			if (e != NULL)
				g->cap = e->facet;
			else if (!preflight)
				return "its import's exporter did not start";
			continue;
		}
		uint16_t source = capos_CapRef_source_get_kernel(&src);
		if (source == CAPOS_KERNEL_CAP_SOURCE_BOOT_PACKAGE)
			return "BootPackage never leaves init";
		if (passed_on(source, &own)) {
			g->kind = CAPOS_GRANT_COPY;
			if (capos_lookup(rt, own, g->interface_id, &g->cap) != 0)
				return "init holds no such cap to pass on";
		} else {
			g->kind = CAPOS_GRANT_KERNEL;
			g->source = source;
		}
	}
	*n = caps.count;
	return NULL;
}

/* Record svc's exports (facets[i]: what spawn returned for its cap i) and
 * let go of the facets no export needs. */
static void record_exports(const struct capos_ServiceSpec_r *svc, const char *service)
{
	struct capnp_list caps, list;
	capos_ServiceSpec_get_caps(svc, &caps);
	capos_ServiceSpec_get_exports(svc, &list);
	for (uint32_t i = 0; i < caps.count; i++) {
		struct capos_CapRef_r cap;
		struct capnp_text name;
		bool exported = false;
		if (facets[i] == 0)
			continue;
		capos_CapRef_list_at(&caps, i, &cap);
		capos_CapRef_get_name(&cap, &name);
		for (uint32_t j = 0; j < list.count && nexports < MAX_SERVICES; j++) {
			struct capos_Export_r e;
			struct capnp_text ecap, ename;
			capos_Export_list_at(&list, j, &e);
			capos_Export_get_cap(&e, &ecap);
			capos_Export_get_name(&e, &ename);
			if (ecap.len != name.len || memcmp(ecap.str, name.str, name.len) != 0)
				continue;
			struct export *x = &exports[nexports++];
			memcpy(x->service, service, sizeof(x->service));
			copy_text(x->name, sizeof(x->name), &ename);
			x->facet = facets[i];
			exported = true;
		}
		if (!exported)
			capos_release(rt, facets[i]);
	}
}

/* The services list of the validated manifest. */
static bool services(uint64_t size, struct capnp_msg *msg, struct capnp_seg *segs,
		     struct capnp_list *list)
{
	struct capos_SystemManifest_r root;
	struct capos_InitConfig_r cfg;
	return capnp_msg_init(msg, manifest, size, segs, MANIFEST_MAX_SEGMENTS, NULL) == 0 &&
	       capos_SystemManifest_read_root(msg, &root) == 0 &&
	       capos_SystemManifest_get_initConfig(&root, &cfg) == 0 &&
	       capos_InitConfig_get_services(&cfg, list) == 0;
}

static bool preflight(uint64_t size)
{
	const struct manifest_policy policy = { .measurement = false };
	struct manifest_boot boot_info;
	struct manifest_report report;
	struct capnp_seg segs[MANIFEST_MAX_SEGMENTS];
	struct capnp_msg msg;
	struct capnp_list list;

	if (manifest_validate(manifest, size, &policy, &boot_info, &report) != MANIFEST_OK ||
	    manifest_validate_services(manifest, size, &policy, &report) != MANIFEST_OK) {
		capos_printf(rt, "init: manifest rejected (%s): %s", manifest_strerror(report.err),
			     report.detail);
		return false;
	}
	if (!services(size, &msg, segs, &list) || list.count > MAX_SERVICES) {
		capos_printf(rt, "init: more than %u services", MAX_SERVICES);
		return false;
	}
	for (uint32_t i = 0; i < list.count; i++) {
		struct capos_ServiceSpec_r svc;
		struct capnp_text name;
		uint32_t n;
		capos_ServiceSpec_list_at(&list, i, &svc);
		capos_ServiceSpec_get_name(&svc, &name);
		const char *why = resolve(&svc, &n, true);
		if (why != NULL) {
			capos_printf(rt, "init: preflight: service \"%.*s\": %s", (int)name.len,
				     name.str, why);
			return false;
		}
	}
	capos_printf(rt, "init: manifest %lu bytes via BootPackage; preflight ok, %u services",
		     size, list.count);
	return true;
}

static bool spawn_all(uint64_t size)
{
	struct capnp_seg segs[MANIFEST_MAX_SEGMENTS];
	struct capnp_msg msg;
	struct capnp_list list;

	services(size, &msg, segs, &list);
	for (uint32_t i = 0; i < list.count; i++) {
		struct capos_ServiceSpec_r svc;
		struct capnp_text name, binary;
		struct capos_status st;
		uint32_t n;
		struct child *c = &children[nchildren];
		capos_ServiceSpec_list_at(&list, i, &svc);
		capos_ServiceSpec_get_name(&svc, &name);
		capos_ServiceSpec_get_binary(&svc, &binary);
		memset(c, 0, sizeof(*c));
		memcpy(c->name, name.str, name.len < 31 ? name.len : 31);
		char bin[64] = { 0 };
		memcpy(bin, binary.str, binary.len < 63 ? binary.len : 63);
		c->policy = capos_ServiceSpec_get_waitPolicy(&svc);
		const char *why = resolve(&svc, &n, false);
		if (why != NULL) {
			capos_printf(rt, "init: cannot start %s: %s", c->name, why);
			return false;
		}
		if (capos_spawn_ex(rt, spawner, c->name, bin, grants, n, &c->handle, facets, &st) <
		    0) {
			capos_printf(rt, "init: cannot start %s: %s", c->name,
				     capos_status_str(&st));
			return false;
		}
		c->started = true;
		nchildren++;
		record_exports(&svc, c->name);
	}
	return true;
}

/* init never keeps a child's endpoint: the exporters' facets go before it
 * waits, so its waits never hold a service's endpoint alive. */
static void drop_facets(void)
{
	for (uint32_t i = 0; i < nexports; i++)
		capos_release(rt, exports[i].facet);
	nexports = 0;
	capos_release_flush(rt);
}

/* Wait for the children by policy; returns init's exit code. */
static int wait_all(int code)
{
	uint64_t uds[MAX_SERVICES];
	struct child *by[MAX_SERVICES];
	unsigned pending = 0;

	for (uint32_t i = 0; i < nchildren; i++) {
		struct child *c = &children[i];
		if (c->policy == CAPOS_WAIT_POLICY_RESIDENT)
			continue;
		c->wait_ud = capos_process_wait_submit(rt, c->handle, c->wait_buf);
		uds[pending] = c->wait_ud;
		by[pending++] = c;
	}
	while (pending > 0) {
		struct cap_cqe cqe;
		struct capos_status st;
		int64_t exit_code;
		int k = capos_wait_any(rt, uds, pending, &cqe);
		struct child *c = by[k];
		uds[k] = uds[--pending];
		by[k] = by[pending];
		if (capos_process_exit_code(&cqe, c->wait_buf, &exit_code, &st) < 0) {
			capos_printf(rt, "init: waiting for %s failed: %s", c->name,
				     capos_status_str(&st));
			exit_code = -1;
		} else {
			capos_printf(rt, "init: %s exited with code %ld", c->name, exit_code);
		}
		if (exit_code != 0 && code == 0)
			code = (int)exit_code;
		if (c->policy == CAPOS_WAIT_POLICY_HALT_ON_EXIT)
			return (int)exit_code;
	}
	return code;
}

int main(struct capos_rt *r)
{
	rt = r;
	if (capos_lookup(rt, "boot", CAPOS_BOOT_PACKAGE_INTERFACE_ID, &boot) != 0 ||
	    capos_lookup(rt, "spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &spawner) != 0) {
		capos_printf(rt, "init: needs \"boot\" (BootPackage) and \"spawner\" "
				 "(ProcessSpawner)");
		return 2;
	}
	uint64_t size = read_manifest();
	if (size == 0 || !preflight(size))
		return 1;
	int code = spawn_all(size) ? 0 : 1;
	drop_facets();
	code = wait_all(code);
	capos_printf(rt, "init: every waited child has exited; init exits with code %d", code);
	return code;
}
