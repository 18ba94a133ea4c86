/*
 * lib/manifest — the init-owned service graph (initConfig.services),
 * checked before anything is spawned: by tools/mkmanifest when the manifest
 * is built and by init's preflight at boot. See manifest.h; the rules and
 * their reasons are in docs/manifest.md.
 *
 * Services are checked in list order, each one completely, so that when
 * the imports of service i are resolved every earlier service (the only
 * ones it may import from) is already known to be sound: its exports name
 * its own kernel endpoints and declare an interface id.
 */
#include "lib/manifest/manifest.h"

#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/capset.h"
#include "lib/fmt/fmt.h"

#define NAME_CUT 40 /* longest name quoted in a report */

/* The graph being checked, and where its failure is reported. */
struct graph {
	struct capnp_list bins;
	struct capnp_list services;
	struct capnp_text init_name;
	const struct manifest_policy *policy;
	struct manifest_report *r;
};

/* One service being checked: its name and its CapSet. */
struct svc {
	uint32_t index;
	struct capnp_text name;
	struct capnp_list caps;
};

static int cut(uint32_t len)
{
	return (int)(len > NAME_CUT ? NAME_CUT : len);
}

static bool text_eq(const struct capnp_text *a, const struct capnp_text *b)
{
	return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

/* Report `service "S": RULE`, or `service "S": KIND "NAME": RULE`. */
static int fail(struct graph *g, int err, const struct svc *s, const char *kind,
		const struct capnp_text *item, const char *rule)
{
	g->r->err = err;
	if (kind)
		fmt_snprintf(g->r->detail, sizeof(g->r->detail),
			     "service \"%.*s\": %s \"%.*s\": %s", cut(s->name.len), s->name.str,
			     kind, cut(item->len), item->str, rule);
	else
		fmt_snprintf(g->r->detail, sizeof(g->r->detail), "service \"%.*s\": %s",
			     cut(s->name.len), s->name.str, rule);
	return err;
}

static int fail_decode(struct graph *g, const char *what, int capnp_err)
{
	g->r->err = MANIFEST_ERR_DECODE;
	fmt_snprintf(g->r->detail, sizeof(g->r->detail), "%s: %s", what, capnp_strerror(capnp_err));
	return MANIFEST_ERR_DECODE;
}

/* The name of service j (services[j]); 0 or a decode error. */
static int service_name(const struct graph *g, uint32_t j, struct capnp_text *name)
{
	struct capos_ServiceSpec_r spec;
	int err = capos_ServiceSpec_list_at(&g->services, j, &spec);

	return err < 0 ? err : capos_ServiceSpec_get_name(&spec, name);
}

/* Name rules: non-empty, unique among init and every service. */
static int check_name(struct graph *g, const struct svc *s)
{
	struct capnp_text other;
	int err;

	if (s->name.len == 0) {
		g->r->err = MANIFEST_ERR_SERVICE_NAME;
		fmt_snprintf(g->r->detail, sizeof(g->r->detail),
			     "initConfig.services[%u]: empty service name", s->index);
		return MANIFEST_ERR_SERVICE_NAME;
	}
	if (text_eq(&s->name, &g->init_name))
		return fail(g, MANIFEST_ERR_SERVICE_DUPLICATE, s, NULL, NULL,
			    "duplicate service name (init has it)");
	for (uint32_t j = 0; j < s->index; j++) {
		if ((err = service_name(g, j, &other)) < 0)
			return fail_decode(g, "service", err);
		if (text_eq(&s->name, &other))
			return fail(g, MANIFEST_ERR_SERVICE_DUPLICATE, s, NULL, NULL,
				    "duplicate service name");
	}
	return MANIFEST_OK;
}

static int check_binary(struct graph *g, const struct svc *s, const struct capnp_text *binary)
{
	struct capos_NamedBlob_r blob;
	struct capnp_text name;
	int err;

	for (uint32_t i = 0; i < g->bins.count; i++) {
		if ((err = capos_NamedBlob_list_at(&g->bins, i, &blob)) < 0 ||
		    (err = capos_NamedBlob_get_name(&blob, &name)) < 0)
			return fail_decode(g, "binary", err);
		if (text_eq(&name, binary))
			return MANIFEST_OK;
	}
	return fail(g, MANIFEST_ERR_SERVICE_BINARY, s, "binary", binary,
		    "names no binary of the manifest");
}

static int check_kernel_cap(struct graph *g, const struct svc *s, const struct capnp_text *name,
			    uint16_t source, uint64_t expected)
{
	uint64_t iface = manifest_kernel_source_interface(source, g->policy);

	if (iface == 0)
		return fail(g, MANIFEST_ERR_SERVICE_CAP_UNAVAILABLE, s, "cap", name,
			    "kernel source not offered by this kernel");
	if (iface != expected)
		return fail(g, MANIFEST_ERR_SERVICE_CAP_INTERFACE, s, "cap", name,
			    "expectedInterfaceId does not match the kernel source");
	return MANIFEST_OK;
}

/* The export named `want` of service j, if it has one (CAPNP_NULL if not). */
static int find_export(const struct graph *g, uint32_t j, const struct capnp_text *want,
		       struct capos_Export_r *out)
{
	struct capos_ServiceSpec_r spec;
	struct capnp_list exports;
	struct capnp_text name;
	int err;

	if ((err = capos_ServiceSpec_list_at(&g->services, j, &spec)) < 0 ||
	    (err = capos_ServiceSpec_get_exports(&spec, &exports)) < 0)
		return err;
	for (uint32_t k = 0; k < exports.count; k++) {
		if ((err = capos_Export_list_at(&exports, k, out)) < 0 ||
		    (err = capos_Export_get_name(out, &name)) < 0)
			return err;
		if (text_eq(&name, want))
			return CAPNP_OK;
	}
	return CAPNP_NULL;
}

/* An import: an export of an earlier service, with that export's interface. */
static int check_import(struct graph *g, const struct svc *s, const struct capnp_text *name,
			const struct capos_CapRef_source_r *src, uint64_t expected)
{
	struct capos_ServiceCapSource_r imp;
	struct capnp_text from, what, other;
	struct capos_Export_r exp;
	char rule[128];
	int err;

	if ((err = capos_CapRef_source_get_service(src, &imp)) < 0 ||
	    (err = capos_ServiceCapSource_get_service(&imp, &from)) < 0 ||
	    (err = capos_ServiceCapSource_get_export(&imp, &what)) < 0)
		return fail_decode(g, "service cap source", err);
	uint32_t j = 0;
	for (; j < s->index; j++) {
		if ((err = service_name(g, j, &other)) < 0)
			return fail_decode(g, "service", err);
		if (text_eq(&other, &from))
			break;
	}
	if (j == s->index) {
		fmt_snprintf(rule, sizeof(rule), "imports from \"%.*s\": no earlier service",
			     cut(from.len), from.str);
		return fail(g, MANIFEST_ERR_IMPORT_SERVICE, s, "cap", name, rule);
	}
	if ((err = find_export(g, j, &what, &exp)) < 0)
		return fail_decode(g, "export", err);
	if (err == CAPNP_NULL) {
		fmt_snprintf(rule, sizeof(rule), "imports \"%.*s\" from \"%.*s\": no such export",
			     cut(what.len), what.str, cut(from.len), from.str);
		return fail(g, MANIFEST_ERR_IMPORT_EXPORT, s, "cap", name, rule);
	}
	if (capos_Export_get_interfaceId(&exp) != expected) {
		fmt_snprintf(rule, sizeof(rule),
			     "expectedInterfaceId is not the interfaceId of export \"%.*s\" of "
			     "\"%.*s\"",
			     cut(what.len), what.str, cut(from.len), from.str);
		return fail(g, MANIFEST_ERR_IMPORT_INTERFACE, s, "cap", name, rule);
	}
	return MANIFEST_OK;
}

static int check_cap(struct graph *g, const struct svc *s, uint32_t i)
{
	struct capos_CapRef_r cap, other;
	struct capnp_text name, oname;
	int err;

	if ((err = capos_CapRef_list_at(&s->caps, i, &cap)) < 0 ||
	    (err = capos_CapRef_get_name(&cap, &name)) < 0)
		return fail_decode(g, "service cap", err);
	if (name.len == 0 || name.len > CAPSET_NAME_MAX)
		return fail(g, MANIFEST_ERR_SERVICE_CAP_NAME, s, "cap", &name,
			    "cap name empty or over 32 bytes");
	for (uint32_t j = 0; j < i; j++) {
		if ((err = capos_CapRef_list_at(&s->caps, j, &other)) < 0 ||
		    (err = capos_CapRef_get_name(&other, &oname)) < 0)
			return fail_decode(g, "service cap", err);
		if (text_eq(&name, &oname))
			return fail(g, MANIFEST_ERR_SERVICE_CAP_DUPLICATE, s, "cap", &name,
				    "duplicate cap name");
	}
	struct capos_CapRef_source_r src = capos_CapRef_get_source(&cap);
	uint64_t expected = capos_CapRef_get_expectedInterfaceId(&cap);
	switch (capos_CapRef_source_which(&src)) {
	case CAPOS_CAP_REF_SOURCE_KERNEL:
		return check_kernel_cap(g, s, &name, capos_CapRef_source_get_kernel(&src),
					expected);
	case CAPOS_CAP_REF_SOURCE_SERVICE:
		return check_import(g, s, &name, &src, expected);
	default: /* unset, or a source this schema does not define */
		return fail(g, MANIFEST_ERR_SERVICE_CAP_SOURCE, s, "cap", &name,
			    "cap source unset");
	}
}

/* The cap an export names must be one of the service's own kernel endpoints;
 * the service serves calls on it, importers only call. */
static int check_export_cap(struct graph *g, const struct svc *s, const struct capnp_text *ename,
			    const struct capnp_text *capname)
{
	struct capos_CapRef_r cap;
	struct capnp_text name;
	int err;

	for (uint32_t i = 0; i < s->caps.count; i++) {
		if ((err = capos_CapRef_list_at(&s->caps, i, &cap)) < 0 ||
		    (err = capos_CapRef_get_name(&cap, &name)) < 0)
			return fail_decode(g, "service cap", err);
		if (!text_eq(&name, capname))
			continue;
		struct capos_CapRef_source_r src = capos_CapRef_get_source(&cap);
		if (capos_CapRef_source_which(&src) == CAPOS_CAP_REF_SOURCE_SERVICE)
			return fail(g, MANIFEST_ERR_EXPORT_REEXPORT, s, "export", ename,
				    "names an imported cap (no re-export of imports)");
		if (capos_CapRef_source_get_kernel(&src) != CAPOS_KERNEL_CAP_SOURCE_ENDPOINT)
			return fail(g, MANIFEST_ERR_EXPORT_NOT_ENDPOINT, s, "export", ename,
				    "names a cap that is not a kernel endpoint");
		return MANIFEST_OK;
	}
	return fail(g, MANIFEST_ERR_EXPORT_CAP, s, "export", ename, "names no cap of the service");
}

static int check_export(struct graph *g, const struct svc *s, const struct capnp_list *exports,
			uint32_t i)
{
	struct capos_Export_r exp, other;
	struct capnp_text name, oname, capname;
	int err;

	if ((err = capos_Export_list_at(exports, i, &exp)) < 0 ||
	    (err = capos_Export_get_name(&exp, &name)) < 0 ||
	    (err = capos_Export_get_cap(&exp, &capname)) < 0)
		return fail_decode(g, "export", err);
	if (name.len == 0)
		return fail(g, MANIFEST_ERR_EXPORT_NAME, s, "export", &name, "empty export name");
	for (uint32_t j = 0; j < i; j++) {
		if ((err = capos_Export_list_at(exports, j, &other)) < 0 ||
		    (err = capos_Export_get_name(&other, &oname)) < 0)
			return fail_decode(g, "export", err);
		if (text_eq(&name, &oname))
			return fail(g, MANIFEST_ERR_EXPORT_DUPLICATE, s, "export", &name,
				    "duplicate export name");
	}
	if ((err = check_export_cap(g, s, &name, &capname)) != MANIFEST_OK)
		return err;
	if (capos_Export_get_interfaceId(&exp) == 0)
		return fail(g, MANIFEST_ERR_EXPORT_INTERFACE, s, "export", &name,
			    "export declares no interfaceId");
	return MANIFEST_OK;
}

static int check_service(struct graph *g, uint32_t index)
{
	struct capos_ServiceSpec_r spec;
	struct svc s = { .index = index };
	struct capnp_text binary;
	struct capnp_list exports;
	int err;

	if ((err = capos_ServiceSpec_list_at(&g->services, index, &spec)) < 0 ||
	    (err = capos_ServiceSpec_get_name(&spec, &s.name)) < 0 ||
	    (err = capos_ServiceSpec_get_binary(&spec, &binary)) < 0 ||
	    (err = capos_ServiceSpec_get_caps(&spec, &s.caps)) < 0 ||
	    (err = capos_ServiceSpec_get_exports(&spec, &exports)) < 0)
		return fail_decode(g, "service", err);
	if ((err = check_name(g, &s)) != MANIFEST_OK ||
	    (err = check_binary(g, &s, &binary)) != MANIFEST_OK)
		return err;
	if (capos_ServiceSpec_get_waitPolicy(&spec) > CAPOS_WAIT_POLICY_RESIDENT)
		return fail(g, MANIFEST_ERR_SERVICE_WAIT_POLICY, &s, NULL, NULL,
			    "unknown waitPolicy");
	if (s.caps.count > MANIFEST_MAX_SERVICE_CAPS)
		return fail(g, MANIFEST_ERR_SERVICE_TOO_MANY, &s, NULL, NULL,
			    "more caps than a service may hold");
	if (exports.count > MANIFEST_MAX_EXPORTS)
		return fail(g, MANIFEST_ERR_SERVICE_TOO_MANY, &s, NULL, NULL,
			    "more exports than a service may declare");
	for (uint32_t i = 0; i < s.caps.count; i++)
		if ((err = check_cap(g, &s, i)) != MANIFEST_OK)
			return err;
	for (uint32_t i = 0; i < exports.count; i++)
		if ((err = check_export(g, &s, &exports, i)) != MANIFEST_OK)
			return err;
	return MANIFEST_OK;
}

/* Init is checked by manifest_validate, except for the one graph rule that
 * concerns it: it has no exports (nothing earlier than the graph could
 * serve them). */
static int check_init(struct graph *g, const struct capos_InitConfig_r *cfg)
{
	struct capos_ServiceSpec_r init;
	struct capnp_list exports;
	struct capos_Export_r exp;
	struct capnp_text name;
	int err;

	if ((err = capos_InitConfig_get_init(cfg, &init)) < 0 ||
	    (err = capos_ServiceSpec_get_name(&init, &g->init_name)) < 0 ||
	    (err = capos_ServiceSpec_get_exports(&init, &exports)) < 0)
		return fail_decode(g, "initConfig.init", err);
	struct svc s = { .name = g->init_name };
	if (g->init_name.len == 0) {
		g->r->err = MANIFEST_ERR_SERVICE_NAME;
		fmt_snprintf(g->r->detail, sizeof(g->r->detail),
			     "initConfig.init: empty service name");
		return MANIFEST_ERR_SERVICE_NAME;
	}
	if (exports.count == 0)
		return MANIFEST_OK;
	if ((err = capos_Export_list_at(&exports, 0, &exp)) < 0 ||
	    (err = capos_Export_get_name(&exp, &name)) < 0)
		return fail_decode(g, "initConfig.init export", err);
	return fail(g, MANIFEST_ERR_INIT_EXPORTS, &s, "export", &name,
		    "init may not declare exports");
}

int manifest_validate_services(const void *buf, size_t len, const struct manifest_policy *policy,
			       struct manifest_report *report)
{
	struct capnp_seg segs[MANIFEST_MAX_SEGMENTS];
	struct capnp_msg msg;
	struct capos_SystemManifest_r root;
	struct capos_InitConfig_r cfg;
	struct graph g = { .policy = policy, .r = report };
	int err;

	*report = (struct manifest_report){ 0 };
	if ((err = capnp_msg_init(&msg, buf, len, segs, MANIFEST_MAX_SEGMENTS, NULL)) < 0)
		return fail_decode(&g, "framing", err);
	if ((err = capos_SystemManifest_read_root(&msg, &root)) < 0 ||
	    (err = capos_SystemManifest_get_binaries(&root, &g.bins)) < 0 ||
	    (err = capos_SystemManifest_get_initConfig(&root, &cfg)) < 0 ||
	    (err = capos_InitConfig_get_services(&cfg, &g.services)) < 0)
		return fail_decode(&g, "root", err);
	if ((err = check_init(&g, &cfg)) != MANIFEST_OK)
		return err;
	if (g.services.count > MANIFEST_MAX_SERVICES) {
		report->err = MANIFEST_ERR_SERVICE_TOO_MANY;
		fmt_snprintf(report->detail, sizeof(report->detail),
			     "initConfig.services: %u services, init starts at most %u",
			     g.services.count, (unsigned)MANIFEST_MAX_SERVICES);
		return MANIFEST_ERR_SERVICE_TOO_MANY;
	}
	for (uint32_t i = 0; i < g.services.count; i++)
		if ((err = check_service(&g, i)) != MANIFEST_OK)
			return err;
	return MANIFEST_OK;
}
