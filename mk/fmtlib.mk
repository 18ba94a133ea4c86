# lib/fmt: the printf-style formatter (pure, host-tested).

$(BUILD)/tests/unit/fmt/test_fmt: tests/unit/fmt/test_fmt.c lib/fmt/fmt.c lib/fmt/fmt.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -Wno-format -o $@ $< lib/fmt/fmt.c $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += fmt
test-fmt: $(BUILD)/tests/unit/fmt/test_fmt
	@$(RUN_SUITE) fmt $<
