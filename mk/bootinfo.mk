# lib/bootinfo: Multiboot1/2 boot information (pure, host-tested).

$(BUILD)/tests/unit/bootinfo/test_bootinfo: tests/unit/bootinfo/test_bootinfo.c \
		lib/bootinfo/bootinfo.c lib/bootinfo/bootinfo.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< lib/bootinfo/bootinfo.c $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += bootinfo
test-bootinfo: $(BUILD)/tests/unit/bootinfo/test_bootinfo
	@$(RUN_SUITE) bootinfo $<
