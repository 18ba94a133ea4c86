# lib/: every freestanding source must build exactly as the kernel builds it.

LIB_FREESTANDING_SRCS = $(sort $(wildcard lib/*/*.c))
LIB_KERNEL_FLAGS := -mcmodel=kernel -mno-red-zone -mgeneral-regs-only

TEST_SUITES += lib-freestanding
test-lib-freestanding: | $(DEPS_STAMP)
	@FREESTANDING_FLAGS='$(FREESTANDING_CFLAGS) $(LIB_KERNEL_FLAGS)' CC=$(HOSTCC) \
		$(RUN_SUITE) lib-freestanding tools/check-freestanding $(LIB_FREESTANDING_SRCS)
