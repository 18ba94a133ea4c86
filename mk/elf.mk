# lib/elf: the ELF64 parser for static x86_64 executables (pure, host-tested,
# fuzzed; docs/elf.md). The host suite `elf` runs the in-memory image tests
# and parses real programs linked here with the machine's gcc, comparing the
# result with what `readelf -lW` says about the same files.

LIB_ELF_SRCS := lib/elf/elf.c
ELF_TEST_DIR := $(BUILD)/tests/unit/elf

# Test programs: static, freestanding, non-PIE, linked at 0x400000. They are
# parsed, never run. tls-merged puts text and rodata in one segment.
ELF_PROGS := tls-sep tls-merged plain
ELF_PROG_CFLAGS := -std=gnu11 -O1 -Wall -Wextra -Werror -static -nostdlib -ffreestanding \
	-fno-pie -no-pie -fno-asynchronous-unwind-tables \
	-Wl,-Ttext-segment=0x400000 -Wl,--build-id=none

$(ELF_TEST_DIR)/tls-sep.elf: tests/unit/elf/prog_tls.c
$(ELF_TEST_DIR)/tls-merged.elf: tests/unit/elf/prog_tls.c
$(ELF_TEST_DIR)/tls-merged.elf: ELF_PROG_LDFLAGS := -Wl,-z,noseparate-code
$(ELF_TEST_DIR)/plain.elf: tests/unit/elf/prog_plain.c

$(ELF_TEST_DIR)/%.elf: mk/elf.mk | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(ELF_PROG_CFLAGS) $(ELF_PROG_LDFLAGS) -o $@ $(filter %.c,$^)

# What binutils says about each program, as C initializers for the test.
$(ELF_TEST_DIR)/%.facts.h: $(ELF_TEST_DIR)/%.elf tests/unit/elf/readelf-facts.awk
	readelf -lW $< >$@.txt
	awk -f tests/unit/elf/readelf-facts.awk $@.txt >$@
	@rm -f $@.txt

ELF_TEST_SRCS := tests/unit/elf/test_elf.c tests/unit/elf/test_elf_binaries.c
ELF_TEST_HDRS := lib/elf/elf.h include/capos/limits.h tests/unit/elf/elf_builder.h \
	tests/unit/elf/elf_invariants.h $(ELF_PROGS:%=$(ELF_TEST_DIR)/%.facts.h)

$(ELF_TEST_DIR)/test_elf: $(ELF_TEST_SRCS) $(LIB_ELF_SRCS) $(ELF_TEST_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -I$(BUILD) -DELF_BIN_DIR='"$(abspath $(ELF_TEST_DIR))"' \
		-o $@ $(filter %.c,$^) $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += elf
test-elf: $(ELF_TEST_DIR)/test_elf $(ELF_PROGS:%=$(ELF_TEST_DIR)/%.elf)
	@$(RUN_SUITE) elf $<

HELP += "test-elf|host tests of lib/elf, on built and on linked ELF images"
FUZZ_SRCS_elf := $(LIB_ELF_SRCS)
