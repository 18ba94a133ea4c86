# tools/mkmanifest: builds build/manifest-NAME.bin from manifests/NAME.capnp
# (rules in mk/kernel.mk): evaluates it with capnp, merges the operator
# overlay manifests/local.capnp over kernelParams, re-encodes it with
# lib/capnp and refuses it for anything the kernel or init would refuse,
# ELF images included (docs/manifest.md). The suite `mkmanifest` runs it on
# tests/manifests/*.capnp.

MKMANIFEST := $(BUILD)/tools/mkmanifest
MKMANIFEST_SRCS := $(wildcard tools/mkmanifest/*.c) $(LIB_MANIFEST_SRCS) $(LIB_ELF_SRCS)

$(MKMANIFEST): $(MKMANIFEST_SRCS) tools/mkmanifest/mkmanifest.h lib/manifest/manifest.h \
		lib/elf/elf.h include/capos/abi.h $(GEN_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(MKMANIFEST_SRCS) $(HOST_LDFLAGS)

mkmanifest: $(MKMANIFEST)
.PHONY: mkmanifest

ALL_TARGETS += $(MKMANIFEST)
HELP += "mkmanifest|build build/tools/mkmanifest, the manifest builder and checker"

TEST_SUITES += mkmanifest
test-mkmanifest: $(MKMANIFEST) $(BUILD)/user/hello.elf
	@$(RUN_SUITE) mkmanifest tests/tools/test-mkmanifest.sh $(MKMANIFEST)
