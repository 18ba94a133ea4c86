# `make bench`: capOS's ring and IPC figures next to Linux's (tools/bench);
# not part of `make test`, which runs only the bench smoke scenario.

$(BUILD)/bench/bench_linux: bench/linux/bench_linux.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<

HELP += "bench|measure the ring and IPC paths against Linux (build/bench/results.json)"
bench: $(BUILD)/kernel.bin $(BUILD)/manifest-system-measure.bin $(BUILD)/bench/bench_linux
	@tools/bench
.PHONY: bench
