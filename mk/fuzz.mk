# Fuzzing: every tests/fuzz/NAME.c is a libFuzzer target, built with clang
# under ASan+UBSan together with the library sources a fragment lists in
# FUZZ_SRCS_NAME, and seeded from tests/fuzz/corpus/NAME/. `make fuzz-smoke`
# (the fuzz-smoke suite of `make test`) runs each for FUZZ_SECONDS; `make
# fuzz` runs each for FUZZ_LONG_SECONDS, one after another.

FUZZ_TARGETS := $(basename $(notdir $(wildcard tests/fuzz/*.c)))
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=all -fno-omit-frame-pointer -I.
FUZZ_SECONDS ?= 30
FUZZ_LONG_SECONDS ?= 1800


$(BUILD)/fuzz/%: tests/fuzz/%.c $$(FUZZ_SRCS_$$*) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRCS_$*)

fuzz-build: $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))

fuzz-smoke: fuzz-build
	@tools/fuzz-run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz: fuzz-build
	@tools/fuzz-run $(FUZZ_LONG_SECONDS) $(FUZZ_TARGETS)
.PHONY: fuzz fuzz-smoke fuzz-build

TEST_SUITES += fuzz-smoke
test-fuzz-smoke: fuzz-build
	@$(RUN_SUITE) fuzz-smoke tools/fuzz-run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

HELP += "fuzz-build|build every libFuzzer target under build/fuzz/"
HELP += "fuzz-smoke|run every fuzz target for FUZZ_SECONDS (30) from its seed corpus (in make test)"
HELP += "fuzz|run every fuzz target for FUZZ_LONG_SECONDS (1800) from its seed corpus"

FUZZ_SRCS_capnp_reader := $(LIB_CAPNP_SRCS)
