# lib/cap: capability tables and resource ledgers (pure, host-tested).

LIB_CAP_SRCS := lib/cap/cap_table.c lib/cap/ledger.c lib/cap/transfer.c

$(BUILD)/tests/unit/cap/test_cap_table: tests/unit/cap/test_cap_table.c $(LIB_CAP_SRCS) \
		lib/cap/cap_table.h lib/cap/ledger.h include/capos/limits.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += cap-table
test-cap-table: $(BUILD)/tests/unit/cap/test_cap_table
	@$(RUN_SUITE) cap-table $<

$(BUILD)/tests/unit/cap/test_transfer: tests/unit/cap/test_transfer.c $(LIB_CAP_SRCS) \
		lib/cap/transfer.h lib/cap/cap_table.h lib/cap/ledger.h include/capos/limits.h \
		include/capos/ring.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += cap-transfer
test-cap-transfer: $(BUILD)/tests/unit/cap/test_transfer
	@$(RUN_SUITE) cap-transfer $<
