# The Cap'n Proto conformance suite (tests/capnp/): the reference capnp tool
# against lib/capnp, the generated C and capnp-c-dump, in both directions.

CONF := $(BUILD)/conformance
CONF_MSGS := $(wildcard tests/capnp/messages/*.txt)
CONF_GEN := $(CONF)/gen/conformance.capnp.h

$(CONF)/corpus/.stamp: $(CONF_MSGS) tests/capnp/conformance.capnp tests/capnp/make-corpus.sh \
		| $(DEPS_STAMP)
	@rm -rf $(@D) && tests/capnp/make-corpus.sh $(@D) && touch $@

$(CONF_GEN): tests/capnp/conformance.capnp $(CAPNPC_C)
	@rm -rf $(@D) && $(call capnpc_run,$(@D),$<)

$(CONF)/test_conf_%: tests/capnp/test_conf_%.c tests/capnp/conf_test.h $(CONF_GEN) \
		$(LIB_CAPNP_SRCS) $(LIB_CAPNP_HDRS)
	$(HOSTCC) $(HOST_CFLAGS) -I$(CONF)/gen -o $@ $< $(LIB_CAPNP_SRCS) $(HOST_LDFLAGS) \
		$(CMOCKA_LIBS) -lm

TEST_SUITES += conformance-read conformance-build conformance-dump

test-conformance-read: $(CONF)/test_conf_read $(CONF)/corpus/.stamp
	@$(RUN_SUITE) conformance-read $< $(CONF)/corpus

test-conformance-build: $(CONF)/test_conf_build $(CONF)/corpus/.stamp
	@$(RUN_SUITE) conformance-build tests/capnp/run-build.sh $< $(CONF)/corpus $(CONF)/built

test-conformance-dump: $(CAPNP_C_DUMP) $(CONF)/corpus/.stamp
	@$(RUN_SUITE) conformance-dump tests/capnp/run-dump.sh $< $(CONF)/corpus
