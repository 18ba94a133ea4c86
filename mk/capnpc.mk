# tools/capnpc-c: the capnp compile plugin that generates C, the checked-in
# output for schema/capos.capnp in gen/, and its drift check.

CAPNPC_C := $(BUILD)/tools/capnpc-c
CAPNPC_C_SRCS := $(wildcard tools/capnpc-c/*.c)
CAPNPC_C_HDRS := $(wildcard tools/capnpc-c/*.h)
GEN_HDRS := gen/capos.capnp.h

$(CAPNPC_C): $(CAPNPC_C_SRCS) $(CAPNPC_C_HDRS) $(LIB_CAPNP_SRCS) $(LIB_CAPNP_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(CAPNPC_C_SRCS) $(LIB_CAPNP_SRCS) $(HOST_LDFLAGS)

# capnpc_run OUTDIR SCHEMA: generate OUTDIR/<schema basename>.h
capnpc_run = mkdir -p $(1) && capnp compile -I. --src-prefix=$(dir $(2)) \
	-o$(abspath $(CAPNPC_C)):$(1) $(2)

gen: $(CAPNPC_C)
	@$(call capnpc_run,gen,schema/capos.capnp)
	@echo "gen: regenerated $(GEN_HDRS)"

generated-code-check: test-generated-code-check

ALL_TARGETS += $(CAPNPC_C)
HELP += "gen|regenerate gen/ from schema/capos.capnp"
HELP += "generated-code-check|fail if gen/ differs from what the schema generates now"

TEST_SUITES += generated-code-check generated-code-compiles

test-generated-code-check: $(CAPNPC_C)
	@rm -rf $(BUILD)/gen-check && $(call capnpc_run,$(BUILD)/gen-check,schema/capos.capnp)
	@$(RUN_SUITE) generated-code-check tools/check-generated gen $(BUILD)/gen-check

# The generated header must compile alone, hosted and as the kernel builds it.
test-generated-code-compiles: $(GEN_HDRS) | $(DEPS_STAMP)
	@FREESTANDING_FLAGS='$(FREESTANDING_CFLAGS) $(LIB_KERNEL_FLAGS)' HOSTED_FLAGS='$(HOST_CFLAGS)' \
		$(RUN_SUITE) generated-code-compiles tools/check-header-compiles $(GEN_HDRS)

# tools/capnp-c-dump: schema-driven message printer (the reference's --short text).
CAPNP_C_DUMP := $(BUILD)/tools/capnp-c-dump
CAPNP_C_DUMP_SRCS := $(wildcard tools/capnp-c-dump/*.c) tools/capnpc-c/schema.c

$(CAPNP_C_DUMP): $(CAPNP_C_DUMP_SRCS) $(wildcard tools/capnp-c-dump/*.h) tools/capnpc-c/schema.h \
		$(LIB_CAPNP_SRCS) $(LIB_CAPNP_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(CAPNP_C_DUMP_SRCS) $(LIB_CAPNP_SRCS) $(HOST_LDFLAGS) -lm

ALL_TARGETS += $(CAPNP_C_DUMP)

# Unit tests of the generator's pure parts.
$(BUILD)/tests/unit/capnpc/test_names: tests/unit/capnpc/test_names.c tools/capnpc-c/names.c \
		tools/capnpc-c/schema.c $(CAPNPC_C_HDRS) $(LIB_CAPNP_SRCS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< tools/capnpc-c/names.c tools/capnpc-c/schema.c \
		$(LIB_CAPNP_SRCS) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += capnpc-names
test-capnpc-names: $(BUILD)/tests/unit/capnpc/test_names
	@$(RUN_SUITE) capnpc-names $<
