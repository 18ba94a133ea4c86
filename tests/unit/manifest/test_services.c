/*
 * Host tests of manifest_validate_services: a valid graph (init, a "net"
 * service exporting an endpoint, a "chat" service importing it), then one
 * mutation per rule, each refused with its own error and a report naming
 * the offending service and cap or export.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "gen/capos.capnp.h"
#include "lib/manifest/manifest.h"

#define NET_CTL_IFACE 0xa1b2c3d4e5f60718ull /* the interface "net" serves on "ctl" */

enum kind {
	UNSET,
	KERNEL,
	SERVICE
};

struct tcap {
	const char *name;
	enum kind kind;
	uint16_t source;	   /* KERNEL */
	const char *from, *export; /* SERVICE */
	uint64_t iface;
};

struct texport {
	const char *name, *cap;
	uint64_t iface;
};

struct tsvc {
	const char *name, *binary;
	uint16_t wait;
	uint32_t ncaps, nexports;
	struct tcap caps[MANIFEST_MAX_SERVICE_CAPS + 1];
	struct texport exports[MANIFEST_MAX_EXPORTS + 1];
};

struct tgraph {
	struct tsvc init;
	uint32_t nservices;
	struct tsvc services[MANIFEST_MAX_SERVICES + 1];
};

static struct tgraph g;
static uint64_t buf[1 << 16];
static size_t len;
static char names[MANIFEST_MAX_SERVICES + MANIFEST_MAX_SERVICE_CAPS + 2][8];

#define OK(x) assert_int_equal((x), CAPNP_OK)

static const struct tcap console = { "console", KERNEL, CAPOS_KERNEL_CAP_SOURCE_CONSOLE,
				     NULL,	NULL,	CAPOS_CONSOLE_INTERFACE_ID };

/* init; "net" with a console and an endpoint "ctl" it exports as "control";
 * "chat" with a console, "net" imported from net's "control", and a timer. */
static void valid_graph(void)
{
	memset(&g, 0, sizeof(g));
	g.init = (struct tsvc){ .name = "init", .binary = "init", .ncaps = 1, .caps = { console } };
	g.nservices = 2;
	g.services[0] = (struct tsvc){
		.name = "net",
		.binary = "net",
		.wait = CAPOS_WAIT_POLICY_RESIDENT,
		.ncaps = 2,
		.caps = { console,
			  { "ctl", KERNEL, CAPOS_KERNEL_CAP_SOURCE_ENDPOINT, NULL, NULL,
			    CAPOS_ENDPOINT_INTERFACE_ID } },
		.nexports = 1,
		.exports = { { "control", "ctl", NET_CTL_IFACE } },
	};
	g.services[1] = (struct tsvc){
		.name = "chat",
		.binary = "chat",
		.ncaps = 3,
		.caps = { console,
			  { "net", SERVICE, 0, "net", "control", NET_CTL_IFACE },
			  { "timer", KERNEL, CAPOS_KERNEL_CAP_SOURCE_TIMER, NULL, NULL,
			    CAPOS_TIMER_INTERFACE_ID } },
	};
}

static void set_text(int (*set)(struct capos_ServiceSpec_b *, const char *, uint32_t),
		     struct capos_ServiceSpec_b *b, const char *s)
{
	OK(set(b, s, (uint32_t)strlen(s)));
}

static void encode_cap(struct capnp_blist *caps, uint32_t i, const struct tcap *c)
{
	struct capos_CapRef_b cap;
	OK(capos_CapRef_blist_at(caps, i, &cap));
	OK(capos_CapRef_set_name(&cap, c->name, (uint32_t)strlen(c->name)));
	capos_CapRef_set_expectedInterfaceId(&cap, c->iface);
	struct capos_CapRef_source_b src = capos_CapRef_init_source(&cap);
	if (c->kind == KERNEL) {
		capos_CapRef_source_set_kernel(&src, c->source);
	} else if (c->kind == SERVICE) {
		struct capos_ServiceCapSource_b svc;
		OK(capos_CapRef_source_init_service(&src, &svc));
		OK(capos_ServiceCapSource_set_service(&svc, c->from, (uint32_t)strlen(c->from)));
		OK(capos_ServiceCapSource_set_export(&svc, c->export, (uint32_t)strlen(c->export)));
	}
}

static void encode_service(struct capos_ServiceSpec_b *b, const struct tsvc *s)
{
	struct capnp_blist caps, exports;
	struct capos_Export_b exp;

	set_text(capos_ServiceSpec_set_name, b, s->name);
	set_text(capos_ServiceSpec_set_binary, b, s->binary);
	capos_ServiceSpec_set_waitPolicy(b, (enum capos_WaitPolicy)s->wait);
	OK(capos_ServiceSpec_init_caps(b, s->ncaps, &caps));
	for (uint32_t i = 0; i < s->ncaps; i++)
		encode_cap(&caps, i, &s->caps[i]);
	if (s->nexports == 0)
		return;
	OK(capos_ServiceSpec_init_exports(b, s->nexports, &exports));
	for (uint32_t i = 0; i < s->nexports; i++) {
		const struct texport *e = &s->exports[i];
		OK(capos_Export_blist_at(&exports, i, &exp));
		OK(capos_Export_set_name(&exp, e->name, (uint32_t)strlen(e->name)));
		OK(capos_Export_set_cap(&exp, e->cap, (uint32_t)strlen(e->cap)));
		capos_Export_set_interfaceId(&exp, e->iface);
	}
}

static void encode(void)
{
	static const char *const bin_names[] = { "init", "net", "chat" };
	struct capnp_builder bld;
	struct capos_SystemManifest_b root;
	struct capnp_blist bins, services;
	struct capos_NamedBlob_b blob;
	struct capos_InitConfig_b cfg;
	struct capos_ServiceSpec_b spec;

	OK(capnp_builder_init(&bld, buf, sizeof(buf)));
	OK(capos_SystemManifest_init_root(&bld, &root));
	capos_SystemManifest_set_schemaVersion(&root, CAPOS_MANIFEST_SCHEMA_VERSION);
	OK(capos_SystemManifest_init_binaries(&root, 3, &bins));
	for (uint32_t i = 0; i < 3; i++) {
		OK(capos_NamedBlob_blist_at(&bins, i, &blob));
		OK(capos_NamedBlob_set_name(&blob, bin_names[i], (uint32_t)strlen(bin_names[i])));
		OK(capos_NamedBlob_set_data(&blob,
					    "\x7f"
					    "ELF",
					    4));
	}
	OK(capos_SystemManifest_init_initConfig(&root, &cfg));
	OK(capos_InitConfig_init_init(&cfg, &spec));
	encode_service(&spec, &g.init);
	OK(capos_InitConfig_init_services(&cfg, g.nservices, &services));
	for (uint32_t i = 0; i < g.nservices; i++) {
		OK(capos_ServiceSpec_blist_at(&services, i, &spec));
		encode_service(&spec, &g.services[i]);
	}
	len = capnp_builder_finish(&bld);
}

static int check(bool measurement, struct manifest_report *r)
{
	const struct manifest_policy policy = { .measurement = measurement };
	struct manifest_boot boot;

	encode();
	/* Every mutation keeps the kernel-owned part valid. */
	assert_int_equal(manifest_validate(buf, len, &policy, &boot, r), MANIFEST_OK);
	return manifest_validate_services(buf, len, &policy, r);
}

static struct tsvc *net = &g.services[0], *chat = &g.services[1];

static void test_valid(void **state)
{
	(void)state;
	struct manifest_report r;
	valid_graph();
	assert_int_equal(check(false, &r), MANIFEST_OK);
	assert_int_equal(r.err, MANIFEST_OK);
	g.nservices = 0;
	assert_int_equal(check(false, &r), MANIFEST_OK);
}

/* Mutations too long for one expression. */
static void too_many_caps(void)
{
	for (uint32_t i = chat->ncaps; i <= MANIFEST_MAX_SERVICE_CAPS; i++) {
		snprintf(names[i], sizeof(names[i]), "c%u", i);
		chat->caps[i] = console;
		chat->caps[i].name = names[i];
	}
	chat->ncaps = MANIFEST_MAX_SERVICE_CAPS + 1;
}

static void too_many_exports(void)
{
	for (uint32_t i = 0; i <= MANIFEST_MAX_EXPORTS; i++) {
		snprintf(names[i], sizeof(names[i]), "e%u", i);
		net->exports[i] = (struct texport){ names[i], "ctl", NET_CTL_IFACE };
	}
	net->nexports = MANIFEST_MAX_EXPORTS + 1;
}

static void too_many_services(void)
{
	for (uint32_t i = 2; i <= MANIFEST_MAX_SERVICES; i++) {
		snprintf(names[i], sizeof(names[i]), "s%u", i);
		g.services[i] = (struct tsvc){ .name = names[i], .binary = "chat" };
	}
	g.nservices = MANIFEST_MAX_SERVICES + 1;
}

/* chat first: its import names a service that comes later. */
static void swap_services(void)
{
	g.services[2] = g.services[0];
	g.services[0] = g.services[1];
	g.services[1] = g.services[2];
}

/* One rule: mutate the valid graph, expect err and every fragment in the
 * report (the offending service, cap or export, and the rule). */
#define RULE(test, mutation, want_err, ...)                                          \
	static void test(void **state)                                               \
	{                                                                            \
		(void)state;                                                         \
		struct manifest_report r;                                            \
		const char *want[] = { __VA_ARGS__ };                                \
		valid_graph();                                                       \
		mutation;                                                            \
		assert_int_equal(check(false, &r), want_err);                        \
		assert_int_equal(r.err, want_err);                                   \
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)          \
			if (strstr(r.detail, want[i]) == NULL)                       \
				fail_msg("\"%s\" not in \"%s\"", want[i], r.detail); \
	}

RULE(test_init_exports,
     (g.init.nexports = 1, g.init.exports[0] = (struct texport){ "log", "console", 1 }),
     MANIFEST_ERR_INIT_EXPORTS, "service \"init\": export \"log\": init may not declare exports")
RULE(test_init_empty_name, g.init.name = "", MANIFEST_ERR_SERVICE_NAME,
     "initConfig.init: empty service name")
RULE(test_service_empty_name, chat->name = "", MANIFEST_ERR_SERVICE_NAME,
     "initConfig.services[1]: empty service name")
RULE(test_service_named_init, chat->name = "init", MANIFEST_ERR_SERVICE_DUPLICATE,
     "service \"init\": duplicate service name (init has it)")
RULE(test_service_duplicate, chat->name = "net", MANIFEST_ERR_SERVICE_DUPLICATE,
     "service \"net\": duplicate service name")
RULE(test_service_binary, chat->binary = "ghost", MANIFEST_ERR_SERVICE_BINARY,
     "service \"chat\": binary \"ghost\": names no binary")
RULE(test_wait_policy, chat->wait = 3, MANIFEST_ERR_SERVICE_WAIT_POLICY,
     "service \"chat\": unknown waitPolicy")
RULE(test_too_many_caps, too_many_caps(), MANIFEST_ERR_SERVICE_TOO_MANY,
     "service \"chat\": more caps")
RULE(test_too_many_exports, too_many_exports(), MANIFEST_ERR_SERVICE_TOO_MANY,
     "service \"net\": more exports")
RULE(test_too_many_services, too_many_services(), MANIFEST_ERR_SERVICE_TOO_MANY,
     "65 services, init starts at most 64")
RULE(test_cap_empty_name, chat->caps[2].name = "", MANIFEST_ERR_SERVICE_CAP_NAME,
     "service \"chat\": cap \"\": cap name empty or over 32 bytes")
RULE(test_cap_long_name, chat->caps[2].name = "a-name-that-is-longer-than-32-bytes",
     MANIFEST_ERR_SERVICE_CAP_NAME, "service \"chat\": cap \"a-name-that-is", "over 32 bytes")
RULE(test_cap_duplicate, chat->caps[2].name = "net", MANIFEST_ERR_SERVICE_CAP_DUPLICATE,
     "service \"chat\": cap \"net\": duplicate cap name")
RULE(test_cap_unset, chat->caps[2].kind = UNSET, MANIFEST_ERR_SERVICE_CAP_SOURCE,
     "service \"chat\": cap \"timer\": cap source unset")
RULE(test_cap_unavailable, chat->caps[2].source = CAPOS_KERNEL_CAP_SOURCE_NETWORK_MANAGER,
     MANIFEST_ERR_SERVICE_CAP_UNAVAILABLE,
     "service \"chat\": cap \"timer\": kernel source not offered")
RULE(test_cap_nullcap,
     (chat->caps[2].source = CAPOS_KERNEL_CAP_SOURCE_NULL_CAP,
      chat->caps[2].iface = CAPOS_NULL_CAP_INTERFACE_ID),
     MANIFEST_ERR_SERVICE_CAP_UNAVAILABLE, "service \"chat\": cap \"timer\"")
RULE(test_cap_kernel_interface, chat->caps[2].iface = CAPOS_CONSOLE_INTERFACE_ID,
     MANIFEST_ERR_SERVICE_CAP_INTERFACE,
     "service \"chat\": cap \"timer\": expectedInterfaceId does not match the kernel source")
RULE(test_import_unknown_service, chat->caps[1].from = "ghost", MANIFEST_ERR_IMPORT_SERVICE,
     "service \"chat\": cap \"net\": imports from \"ghost\": no earlier service")
RULE(test_import_self, chat->caps[1].from = "chat", MANIFEST_ERR_IMPORT_SERVICE,
     "service \"chat\": cap \"net\": imports from \"chat\": no earlier service")
RULE(test_import_init, chat->caps[1].from = "init", MANIFEST_ERR_IMPORT_SERVICE,
     "service \"chat\": cap \"net\": imports from \"init\"")
RULE(test_import_later_service, swap_services(), MANIFEST_ERR_IMPORT_SERVICE,
     "service \"chat\": cap \"net\": imports from \"net\": no earlier service")
RULE(test_import_unknown_export, chat->caps[1].export = "data", MANIFEST_ERR_IMPORT_EXPORT,
     "service \"chat\": cap \"net\": imports \"data\" from \"net\": no such export")
RULE(test_import_interface, chat->caps[1].iface = CAPOS_ENDPOINT_INTERFACE_ID,
     MANIFEST_ERR_IMPORT_INTERFACE,
     "service \"chat\": cap \"net\": expectedInterfaceId is not the interfaceId of export "
     "\"control\" of \"net\"")
RULE(test_export_empty_name, net->exports[0].name = "", MANIFEST_ERR_EXPORT_NAME,
     "service \"net\": export \"\": empty export name")
RULE(test_export_duplicate, (net->nexports = 2, net->exports[1] = net->exports[0]),
     MANIFEST_ERR_EXPORT_DUPLICATE, "service \"net\": export \"control\": duplicate export name")
RULE(test_export_no_cap, net->exports[0].cap = "ghost", MANIFEST_ERR_EXPORT_CAP,
     "service \"net\": export \"control\": names no cap of the service")
RULE(test_reexport,
     (chat->nexports = 1, chat->exports[0] = (struct texport){ "relay", "net", NET_CTL_IFACE }),
     MANIFEST_ERR_EXPORT_REEXPORT, "service \"chat\": export \"relay\": names an imported cap")
RULE(test_export_not_endpoint, net->exports[0].cap = "console", MANIFEST_ERR_EXPORT_NOT_ENDPOINT,
     "service \"net\": export \"control\": names a cap that is not a kernel endpoint")
RULE(test_export_no_interface, net->exports[0].iface = 0, MANIFEST_ERR_EXPORT_INTERFACE,
     "service \"net\": export \"control\": export declares no interfaceId")

static void test_measurement_allows_nullcap(void **state)
{
	(void)state;
	struct manifest_report r;
	valid_graph();
	chat->caps[2].source = CAPOS_KERNEL_CAP_SOURCE_NULL_CAP;
	chat->caps[2].iface = CAPOS_NULL_CAP_INTERFACE_ID;
	assert_int_equal(check(true, &r), MANIFEST_OK);
}

/* A long name is cut in the report, which still ends with the rule. */
static void test_long_names_fit(void **state)
{
	(void)state;
	struct manifest_report r;
	static const char long_name[] =
		"a-service-name-of-well-over-forty-bytes-in-length-and-more";
	valid_graph();
	net->name = long_name;
	chat->caps[1].from = long_name;
	chat->caps[1].export = "an-export-name-of-well-over-forty-bytes-in-length-too";
	chat->name = "a-chat-service-name-of-well-over-forty-bytes-in-length";
	chat->caps[1].name = "a-cap-name-of-exactly-thirty-two";
	assert_int_equal(check(false, &r), MANIFEST_ERR_IMPORT_EXPORT);
	assert_non_null(strstr(r.detail, "\": no such export"));
}

static void test_undecodable(void **state)
{
	(void)state;
	struct manifest_report r;
	const struct manifest_policy policy = { 0 };
	valid_graph();
	encode();
	assert_int_equal(manifest_validate_services(buf, 4, &policy, &r), MANIFEST_ERR_DECODE);
	assert_non_null(strstr(r.detail, "framing"));
	assert_string_equal(manifest_strerror(MANIFEST_ERR_EXPORT_REEXPORT),
			    "re-export of an import");
	assert_string_equal(manifest_strerror(MANIFEST_ERR_EXPORT_INTERFACE),
			    "export without interface id");
	assert_string_equal(manifest_strerror(-MANIFEST_ERR_COUNT), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_init_exports),
		cmocka_unit_test(test_init_empty_name),
		cmocka_unit_test(test_service_empty_name),
		cmocka_unit_test(test_service_named_init),
		cmocka_unit_test(test_service_duplicate),
		cmocka_unit_test(test_service_binary),
		cmocka_unit_test(test_wait_policy),
		cmocka_unit_test(test_too_many_caps),
		cmocka_unit_test(test_too_many_exports),
		cmocka_unit_test(test_too_many_services),
		cmocka_unit_test(test_cap_empty_name),
		cmocka_unit_test(test_cap_long_name),
		cmocka_unit_test(test_cap_duplicate),
		cmocka_unit_test(test_cap_unset),
		cmocka_unit_test(test_cap_unavailable),
		cmocka_unit_test(test_cap_nullcap),
		cmocka_unit_test(test_cap_kernel_interface),
		cmocka_unit_test(test_import_unknown_service),
		cmocka_unit_test(test_import_self),
		cmocka_unit_test(test_import_init),
		cmocka_unit_test(test_import_later_service),
		cmocka_unit_test(test_import_unknown_export),
		cmocka_unit_test(test_import_interface),
		cmocka_unit_test(test_export_empty_name),
		cmocka_unit_test(test_export_duplicate),
		cmocka_unit_test(test_export_no_cap),
		cmocka_unit_test(test_reexport),
		cmocka_unit_test(test_export_not_endpoint),
		cmocka_unit_test(test_export_no_interface),
		cmocka_unit_test(test_measurement_allows_nullcap),
		cmocka_unit_test(test_long_names_fit),
		cmocka_unit_test(test_undecodable),
	};
	return cmocka_run_group_tests_name("manifest-services", tests, NULL, NULL);
}
