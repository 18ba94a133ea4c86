# ThreadSanitizer: the ring protocol of lib/ring/ring.h driven by a user and
# a kernel thread (tests/tsan/ring_stress.c), plus one mutant per acquire or
# release in ring.h, each of which ThreadSanitizer must catch.

TSAN_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=thread \
               -fno-omit-frame-pointer -I.
TSAN_ENTRIES ?= 1000000

$(BUILD)/tsan/ring_stress: tests/tsan/ring_stress.c $(LIB_RING_SRCS) lib/ring/ring.h \
		include/capos/ring.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CLANG) $(TSAN_CFLAGS) -o $@ $< $(LIB_RING_SRCS) -lpthread

TEST_SUITES += tsan
test-tsan: $(BUILD)/tsan/ring_stress
	@CLANG=$(CLANG) $(RUN_SUITE) tsan tests/tsan/run.sh $(BUILD)/tsan $(TSAN_ENTRIES)
