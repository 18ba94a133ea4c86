# lib/term: the terminal line discipline (pure, host-tested, fuzzed).

LIB_TERM_SRCS := lib/term/linedisc.c

$(BUILD)/tests/unit/term/test_linedisc: tests/unit/term/test_linedisc.c $(LIB_TERM_SRCS) \
		lib/term/linedisc.h include/capos/limits.h $(GEN_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(LIB_TERM_SRCS) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += linedisc
test-linedisc: $(BUILD)/tests/unit/term/test_linedisc
	@$(RUN_SUITE) linedisc $<

FUZZ_SRCS_linedisc := $(LIB_TERM_SRCS)
