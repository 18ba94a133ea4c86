# lib/capnp: the freestanding Cap'n Proto runtime and its host tests.
# Fixtures are encoded at build time by the reference `capnp` tool from
# tests/unit/capnp/unit.capnp: the `sample` constant as one segment and
# re-framed into one-word segments (far and double-far pointers).

LIB_CAPNP_SRCS := $(wildcard lib/capnp/*.c)
LIB_CAPNP_HDRS := lib/capnp/capnp.h lib/capnp/internal.h
CAPNP_UNIT := $(BUILD)/tests/unit/capnp

$(CAPNP_UNIT)/sample.bin: tests/unit/capnp/unit.capnp | $(DEPS_STAMP)
	@mkdir -p $(@D)
	capnp eval -b $< sample > $@

$(CAPNP_UNIT)/sample-seg1.bin: $(CAPNP_UNIT)/sample.bin
	capnp convert --segment-size=1 binary:binary < $< > $@

$(CAPNP_UNIT)/test_%: tests/unit/capnp/test_%.c tests/unit/capnp/capnp_test.h \
		$(LIB_CAPNP_SRCS) $(LIB_CAPNP_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(LIB_CAPNP_SRCS) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += capnp-read capnp-build capnp-hostile

test-capnp-read: $(CAPNP_UNIT)/test_read $(CAPNP_UNIT)/sample.bin $(CAPNP_UNIT)/sample-seg1.bin
	@$(RUN_SUITE) capnp-read $^

test-capnp-build: $(CAPNP_UNIT)/test_build $(CAPNP_UNIT)/sample-seg1.bin
	@$(RUN_SUITE) capnp-build tests/unit/capnp/run-build-suite.sh $^ $(CAPNP_UNIT)

test-capnp-hostile: $(CAPNP_UNIT)/test_hostile
	@$(RUN_SUITE) capnp-hostile $<
