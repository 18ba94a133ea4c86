# Formatting is mechanical: clang-format with the repository's .clang-format.
# Generated code (gen/) is the generator's business and is left alone.

FMT_SRCS = $(shell (git ls-files '*.c' '*.h' 2>/dev/null || find include lib kernel user tools tests -name '*.[ch]') | grep -v '^gen/')

fmt: | $(DEPS_STAMP)
	@clang-format -i $(FMT_SRCS)

TEST_SUITES += fmt-check
test-fmt-check: | $(DEPS_STAMP)
	@$(RUN_SUITE) fmt-check tools/check-format $(FMT_SRCS)

fmt-check: test-fmt-check

HELP += "fmt|reformat the C sources with clang-format"
HELP += "fmt-check|fail if any C source is not clang-format clean"
