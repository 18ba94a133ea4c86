# capOS top-level build. `make help` lists the targets.
#
# Everything is built under build/. Each subsystem keeps its rules in a
# fragment under mk/ (included below in name order). Conventions every
# fragment follows:
#   - rules that need an installed tool depend order-only on $(DEPS_STAMP);
#   - a test suite registers itself with `TEST_SUITES += NAME` and provides
#     the phony rule `test-NAME`, whose recipe runs the suite through
#     $(RUN_SUITE) NAME COMMAND...; `make test` runs them all and sums up.
#   - `HELP += "target|what it does"` adds a line to `make help`.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
.SECONDEXPANSION:
.SECONDARY:

BUILD      := build
HOSTCC     := gcc
CLANG      := clang
PYTHON     := python3

# Host builds (tools and unit tests): sanitizers on, warnings are errors,
# include paths rooted at the project.
HOST_CFLAGS  := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
                -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer -I.
HOST_LDFLAGS := -fsanitize=address,undefined
CMOCKA_LIBS  := -lcmocka

# Freestanding builds (kernel and userspace): no host headers at all, only the
# compiler's own freestanding headers and lib/libc/include.
GCC_INCLUDE        := $(shell $(HOSTCC) -print-file-name=include)
FREESTANDING_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
                      -ffreestanding -fno-builtin -nostdinc -isystem $(GCC_INCLUDE) \
                      -Ilib/libc/include -I. -fno-stack-protector -fno-pic

DEPS_STAMP := $(BUILD)/.deps-ok
RUN_SUITE  := tools/run-suite

TEST_SUITES :=
HELP :=
ALL_TARGETS :=

include $(sort $(wildcard mk/*.mk))

.PHONY: all deps test help clean $(addprefix test-,$(TEST_SUITES))

all: $(ALL_TARGETS)

$(DEPS_STAMP): tools/deps.sh tools/deps.list tools/pins.list
	@tools/deps.sh
	@mkdir -p $(@D) && touch $@

deps: $(DEPS_STAMP)

# Run every suite, keep going past failures, then print one summary line.
test: $(DEPS_STAMP)
	@rm -rf $(BUILD)/test-results && mkdir -p $(BUILD)/test-results
	@$(MAKE) --no-print-directory -k $(addprefix test-,$(TEST_SUITES)); st=$$?; \
	 tools/test-summary $(BUILD)/test-results $(TEST_SUITES) || st=1; exit $$st

clean:
	rm -rf $(BUILD)

HELP += "all|build everything that can be built"
HELP += "deps|install missing Debian packages and pinned source packages"
HELP += "test|run every test suite; ends with 'N passed, N failed'"
HELP += "clean|remove build/"

help:
	@printf '%s\n' 'capOS make targets:'
	@for h in $(HELP); do printf '  %-24s %s\n' "$${h%%|*}" "$${h#*|}"; done
