# lib/manifest: the kernel-owned manifest boundary and the init-owned service
# graph (pure, host-tested, fuzzed).

LIB_MANIFEST_SRCS := lib/manifest/manifest.c lib/manifest/services.c lib/fmt/fmt.c $(LIB_CAPNP_SRCS)

$(BUILD)/tests/unit/manifest/test_manifest: tests/unit/manifest/test_manifest.c \
		$(LIB_MANIFEST_SRCS) lib/manifest/manifest.h $(GEN_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(LIB_MANIFEST_SRCS) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += manifest
test-manifest: $(BUILD)/tests/unit/manifest/test_manifest
	@$(RUN_SUITE) manifest $<

$(BUILD)/tests/unit/manifest/test_services: tests/unit/manifest/test_services.c \
		$(LIB_MANIFEST_SRCS) lib/manifest/manifest.h $(GEN_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(LIB_MANIFEST_SRCS) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += manifest-services
test-manifest-services: $(BUILD)/tests/unit/manifest/test_services
	@$(RUN_SUITE) manifest-services $<

FUZZ_SRCS_manifest := $(LIB_MANIFEST_SRCS)
