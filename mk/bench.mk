# `make bench`: capOS's ring and IPC figures next to Linux's (tools/bench);
# not part of `make test`, which runs only the bench smoke scenario.

$(BUILD)/bench/bench_linux: bench/linux/bench_linux.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $< -luring -pthread

HELP += "bench|measure the ring and IPC paths against Linux (build/bench/results.json)"
bench: $(BUILD)/measure/kernel.bin $(BUILD)/measure-nohandoff/kernel.bin \
		$(BUILD)/manifest-system-measure.bin $(BUILD)/bench/bench_linux
	@tools/bench
.PHONY: bench

MKMANIFEST_FLAGS_system-measure := --measurement
MKMANIFEST_FLAGS_bench-smoke := --measurement

# The Linux side's smoke: bench_linux runs a few iterations and prints
# every counterpart tools/bench pairs with a capOS figure.
TEST_SUITES += bench-linux
test-bench-linux: $(BUILD)/bench/bench_linux
	@$(RUN_SUITE) bench-linux tools/bench --linux-smoke
