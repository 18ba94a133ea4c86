/*
 * Host tests of lib/manifest: a valid manifest built with the generated
 * setters, then one broken manifest per rule, each refused with its own
 * error and a report naming the offending name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "gen/capos.capnp.h"
#include "lib/manifest/manifest.h"

static uint64_t buf[1024];
static size_t len;

enum breakage {
	NONE,
	BAD_VERSION,
	EMPTY_NAME,
	DUP_BINARY,
	EMPTY_BINARY,
	NO_INIT_BINARY,
	EMPTY_CAP_NAME,
	LONG_CAP_NAME,
	DUP_CAP,
	UNSET_SOURCE,
	SERVICE_SOURCE,
	WRONG_IFACE,
	UNAVAILABLE,
	NULLCAP,
};

#define OK(x) assert_int_equal((x), CAPNP_OK)

static void add_cap(struct capnp_blist *caps, uint32_t i, const char *name, uint16_t source,
		    uint64_t iface, int kind)
{
	struct capos_CapRef_b cap;
	OK(capos_CapRef_blist_at(caps, i, &cap));
	OK(capos_CapRef_set_name(&cap, name, (uint32_t)strlen(name)));
	capos_CapRef_set_expectedInterfaceId(&cap, iface);
	struct capos_CapRef_source_b src = capos_CapRef_init_source(&cap);
	if (kind == 1) {
		capos_CapRef_source_set_kernel(&src, source);
	} else if (kind == 2) {
		struct capos_ServiceCapSource_b svc;
		OK(capos_CapRef_source_init_service(&src, &svc));
		OK(capos_ServiceCapSource_set_service(&svc, "net", 3));
	}
}

static void build(enum breakage b)
{
	struct capnp_builder bld;
	struct capos_SystemManifest_b root;
	struct capnp_blist bins, caps;
	struct capos_NamedBlob_b blob;
	struct capos_InitConfig_b cfg;
	struct capos_ServiceSpec_b init;

	OK(capnp_builder_init(&bld, buf, sizeof(buf)));
	OK(capos_SystemManifest_init_root(&bld, &root));
	capos_SystemManifest_set_schemaVersion(&root, b == BAD_VERSION ? 7 : 1);
	OK(capos_SystemManifest_init_binaries(&root, 2, &bins));
	OK(capos_NamedBlob_blist_at(&bins, 0, &blob));
	OK(capos_NamedBlob_set_name(&blob, b == EMPTY_NAME ? "" : "init", b == EMPTY_NAME ? 0 : 4));
	OK(capos_NamedBlob_set_data(&blob,
				    "\x7f"
				    "ELF",
				    4));
	OK(capos_NamedBlob_blist_at(&bins, 1, &blob));
	OK(capos_NamedBlob_set_name(&blob, b == DUP_BINARY ? "init" : "shell",
				    b == DUP_BINARY ? 4 : 5));
	OK(capos_NamedBlob_set_data(&blob, "x", b == EMPTY_BINARY ? 0 : 1));
	OK(capos_SystemManifest_init_initConfig(&root, &cfg));
	OK(capos_InitConfig_init_init(&cfg, &init));
	OK(capos_ServiceSpec_set_name(&init, "init", 4));
	OK(capos_ServiceSpec_set_binary(&init, b == NO_INIT_BINARY ? "ghost" : "init",
					b == NO_INIT_BINARY ? 5 : 4));
	OK(capos_ServiceSpec_init_caps(&init, 3, &caps));
	add_cap(&caps, 0, "console", CAPOS_KERNEL_CAP_SOURCE_CONSOLE, CAPOS_CONSOLE_INTERFACE_ID,
		1);
	add_cap(&caps, 1, "spawner", CAPOS_KERNEL_CAP_SOURCE_PROCESS_SPAWNER,
		b == WRONG_IFACE ? CAPOS_CONSOLE_INTERFACE_ID : CAPOS_PROCESS_SPAWNER_INTERFACE_ID,
		1);
	const char *third = b == EMPTY_CAP_NAME ? "" :
			    b == LONG_CAP_NAME	? "a-name-that-is-longer-than-32-bytes" :
			    b == DUP_CAP	? "console" :
						  "timer";
	uint16_t src = b == UNAVAILABLE ? CAPOS_KERNEL_CAP_SOURCE_NETWORK_MANAGER :
		       b == NULLCAP	? CAPOS_KERNEL_CAP_SOURCE_NULL_CAP :
					  CAPOS_KERNEL_CAP_SOURCE_TIMER;
	uint64_t iface = b == NULLCAP ? CAPOS_NULL_CAP_INTERFACE_ID : CAPOS_TIMER_INTERFACE_ID;
	add_cap(&caps, 2, third, src, iface, b == UNSET_SOURCE ? 0 : b == SERVICE_SOURCE ? 2 : 1);
	len = capnp_builder_finish(&bld);
}

static int validate(enum breakage b, struct manifest_report *r)
{
	struct manifest_boot boot;
	const struct manifest_policy policy = { .measurement = false };
	build(b);
	return manifest_validate(buf, len, &policy, &boot, r);
}

static void test_valid(void **state)
{
	(void)state;
	struct manifest_boot boot;
	struct manifest_report r;
	const struct manifest_policy policy = { .measurement = false };

	build(NONE);
	assert_int_equal(manifest_validate(buf, len, &policy, &boot, &r), MANIFEST_OK);
	assert_int_equal(boot.init_binary.len, 4);
	assert_memory_equal(boot.init_binary.ptr,
			    "\x7f"
			    "ELF",
			    4);
	assert_int_equal(boot.init_caps, 3);
}

#define RULE(test, breakage, want_err, want_detail)                 \
	static void test(void **state)                              \
	{                                                           \
		(void)state;                                        \
		struct manifest_report r;                           \
		assert_int_equal(validate(breakage, &r), want_err); \
		assert_int_equal(r.err, want_err);                  \
		assert_non_null(strstr(r.detail, want_detail));     \
	}
RULE(test_version, BAD_VERSION, MANIFEST_ERR_VERSION, "schema version 7")
RULE(test_empty_binary_name, EMPTY_NAME, MANIFEST_ERR_BINARY_NAME, "empty name")
RULE(test_duplicate_binary, DUP_BINARY, MANIFEST_ERR_BINARY_DUPLICATE, "\"init\"")
RULE(test_empty_binary, EMPTY_BINARY, MANIFEST_ERR_BINARY_EMPTY, "\"shell\"")
RULE(test_init_binary_missing, NO_INIT_BINARY, MANIFEST_ERR_INIT_BINARY, "\"ghost\"")
RULE(test_empty_cap_name, EMPTY_CAP_NAME, MANIFEST_ERR_CAP_NAME, "empty or over 32")
RULE(test_long_cap_name, LONG_CAP_NAME, MANIFEST_ERR_CAP_NAME, "a-name-that-is")
RULE(test_duplicate_cap, DUP_CAP, MANIFEST_ERR_CAP_DUPLICATE, "\"console\"")
RULE(test_unset_source, UNSET_SOURCE, MANIFEST_ERR_CAP_SOURCE, "\"timer\"")
RULE(test_service_source, SERVICE_SOURCE, MANIFEST_ERR_CAP_SOURCE, "kernel source")
RULE(test_wrong_interface, WRONG_IFACE, MANIFEST_ERR_CAP_INTERFACE, "\"spawner\"")
RULE(test_unavailable_source, UNAVAILABLE, MANIFEST_ERR_CAP_UNAVAILABLE, "\"timer\"")
RULE(test_nullcap_outside_measurement, NULLCAP, MANIFEST_ERR_CAP_UNAVAILABLE, "\"timer\"")

static void test_measurement_allows_nullcap(void **state)
{
	(void)state;
	struct manifest_boot boot;
	struct manifest_report r;
	const struct manifest_policy policy = { .measurement = true };
	build(NULLCAP);
	assert_int_equal(manifest_validate(buf, len, &policy, &boot, &r), MANIFEST_OK);
}

static void test_undecodable(void **state)
{
	(void)state;
	struct manifest_boot boot;
	struct manifest_report r;
	const struct manifest_policy policy = { 0 };
	build(NONE);
	assert_int_equal(manifest_validate(buf, 4, &policy, &boot, &r), MANIFEST_ERR_DECODE);
	assert_non_null(strstr(r.detail, "framing"));
	buf[1] = 0x000000007ffffffcull; /* root pointer far out of bounds */
	assert_int_equal(manifest_validate(buf, len, &policy, &boot, &r), MANIFEST_ERR_DECODE);
	assert_non_null(strstr(r.detail, "out of bounds"));
	assert_string_equal(manifest_strerror(MANIFEST_ERR_CAP_INTERFACE), "interface id mismatch");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_empty_binary_name),
		cmocka_unit_test(test_duplicate_binary),
		cmocka_unit_test(test_empty_binary),
		cmocka_unit_test(test_init_binary_missing),
		cmocka_unit_test(test_empty_cap_name),
		cmocka_unit_test(test_long_cap_name),
		cmocka_unit_test(test_duplicate_cap),
		cmocka_unit_test(test_unset_source),
		cmocka_unit_test(test_service_source),
		cmocka_unit_test(test_wrong_interface),
		cmocka_unit_test(test_unavailable_source),
		cmocka_unit_test(test_nullcap_outside_measurement),
		cmocka_unit_test(test_measurement_allows_nullcap),
		cmocka_unit_test(test_undecodable),
	};
	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
