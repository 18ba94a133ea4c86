# lib/shell: the native shell's command grammar (pure, host-tested, fuzzed).

LIB_SHELL_SRCS := lib/shell/parse.c

$(BUILD)/tests/unit/shell/test_parse: tests/unit/shell/test_parse.c $(LIB_SHELL_SRCS) \
		lib/shell/parse.h include/capos/limits.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += shell-parse
test-shell-parse: $(BUILD)/tests/unit/shell/test_parse
	@$(RUN_SUITE) shell-parse $<

FUZZ_SRCS_shell_parse := $(LIB_SHELL_SRCS)
