# lib/ring and lib/capset: the ring and CapSet ABIs' pure logic (host-tested).

LIB_RING_SRCS := lib/ring/ring.c

$(BUILD)/tests/unit/ring/test_ring: tests/unit/ring/test_ring.c $(LIB_RING_SRCS) lib/ring/ring.h \
		include/capos/ring.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += ring
test-ring: $(BUILD)/tests/unit/ring/test_ring
	@$(RUN_SUITE) ring $<

# lib/capset: CapSet page building and lookup.
$(BUILD)/tests/unit/capset/test_capset: tests/unit/capset/test_capset.c lib/capset/capset.c \
		lib/capset/capset.h include/capos/capset.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += capset
test-capset: $(BUILD)/tests/unit/capset/test_capset
	@$(RUN_SUITE) capset $<

# lib/diag: rate-limited diagnostics of invalid submissions.
$(BUILD)/tests/unit/diag/test_diag: tests/unit/diag/test_diag.c lib/diag/diag.c lib/diag/diag.h \
		| $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< lib/diag/diag.c $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += diag
test-diag: $(BUILD)/tests/unit/diag/test_diag
	@$(RUN_SUITE) diag $<

# lib/ring/decode: the decode half of an SQE, against a fake cap table.
LIB_RING_DECODE_SRCS := lib/ring/decode.c $(LIB_RING_SRCS) $(LIB_CAP_SRCS)

$(BUILD)/tests/unit/ring/test_decode: tests/unit/ring/test_decode.c $(LIB_RING_DECODE_SRCS) \
		lib/ring/decode.h lib/ring/ring.h tests/unit/ring/decode_fake.h \
		include/capos/ring.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += ring-decode
test-ring-decode: $(BUILD)/tests/unit/ring/test_decode
	@$(RUN_SUITE) ring-decode $<

FUZZ_SRCS_sqe_decode := $(LIB_RING_DECODE_SRCS)
