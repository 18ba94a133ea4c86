# The kernel: build/kernel.elf (Multiboot2 + Multiboot1 headers),
# build/kernel.bin (the flat copy QEMU boots with -kernel), the GRUB ISO,
# the boot manifests, and `make run`.

KERNEL_CFLAGS := $(FREESTANDING_CFLAGS) -O2 -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
                 -fno-pie -fno-asynchronous-unwind-tables -fno-omit-frame-pointer
KERNEL_LIB_SRCS := lib/libc/string.c lib/fmt/fmt.c lib/bootinfo/bootinfo.c $(LIB_CAPNP_SRCS) \
                   lib/frame_bitmap/frame_bitmap.c lib/kheap/kheap.c lib/cap/cap_table.c lib/cap/transfer.c \
                   lib/cap/ledger.c lib/ring/ring.c lib/ring/decode.c lib/diag/diag.c lib/capset/capset.c lib/elf/elf.c \
                   lib/manifest/manifest.c lib/term/linedisc.c
KERNEL_SRCS := $(sort $(wildcard kernel/*.c kernel/*/*.c kernel/*/*/*.c)) $(KERNEL_LIB_SRCS)
KERNEL_ASM := $(sort $(wildcard kernel/arch/x86_64/*.S))
KERNEL_OBJS := $(patsubst %,$(BUILD)/kobj/%.o,$(KERNEL_SRCS) $(KERNEL_ASM))

$(BUILD)/kobj/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/kobj/%.S.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

-include $(KERNEL_OBJS:.o=.d)

$(BUILD)/kernel.elf: $(KERNEL_OBJS) kernel/kernel.ld
	ld -m elf_x86_64 -nostdlib -z max-page-size=0x1000 -T kernel/kernel.ld -o $@ $(KERNEL_OBJS)

$(BUILD)/kernel.bin: $(BUILD)/kernel.elf
	objcopy -O binary $< $@

# The measure build of the kernel: the same sources with -DCAPOS_MEASURE
# (kernel/measure.h: per-segment cycle counters, measurement-only kernel
# sources) into build/measure/kernel.bin. Only `make bench` boots it.
MEASURE_OBJS := $(patsubst %,$(BUILD)/mobj/%.o,$(KERNEL_SRCS) $(KERNEL_ASM))

$(BUILD)/mobj/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(KERNEL_CFLAGS) -DCAPOS_MEASURE -MMD -MP -c $< -o $@

$(BUILD)/mobj/%.S.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(KERNEL_CFLAGS) -DCAPOS_MEASURE -MMD -MP -c $< -o $@

-include $(MEASURE_OBJS:.o=.d)

$(BUILD)/measure/kernel.elf: $(MEASURE_OBJS) kernel/kernel.ld
	@mkdir -p $(@D)
	ld -m elf_x86_64 -nostdlib -z max-page-size=0x1000 -T kernel/kernel.ld -o $@ $(MEASURE_OBJS)

$(BUILD)/measure/kernel.bin: $(BUILD)/measure/kernel.elf
	objcopy -O binary $< $@

# Its no-handoff variant: the measure build with -DCAPOS_NO_HANDOFF (no
# direct IPC handoff; kernel/measure.h) into build/measure-nohandoff/, for
# make bench's round trips without the handoff.
NOHANDOFF_OBJS := $(patsubst %,$(BUILD)/mnhobj/%.o,$(KERNEL_SRCS) $(KERNEL_ASM))

$(BUILD)/mnhobj/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(KERNEL_CFLAGS) -DCAPOS_MEASURE -DCAPOS_NO_HANDOFF -MMD -MP -c $< -o $@

$(BUILD)/mnhobj/%.S.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(KERNEL_CFLAGS) -DCAPOS_MEASURE -DCAPOS_NO_HANDOFF -MMD -MP -c $< -o $@

-include $(NOHANDOFF_OBJS:.o=.d)

$(BUILD)/measure-nohandoff/kernel.elf: $(NOHANDOFF_OBJS) kernel/kernel.ld
	@mkdir -p $(@D)
	ld -m elf_x86_64 -nostdlib -z max-page-size=0x1000 -T kernel/kernel.ld -o $@ $(NOHANDOFF_OBJS)

$(BUILD)/measure-nohandoff/kernel.bin: $(BUILD)/measure-nohandoff/kernel.elf
	objcopy -O binary $< $@

# Manifests: manifests/NAME.capnp -> build/manifest-NAME.bin, evaluated,
# re-encoded and checked by tools/mkmanifest (docs/manifest.md). When the
# git-ignored operator overlay manifests/local.capnp exists, its
# KernelParams are merged over every manifest's. MKMANIFEST_FLAGS_NAME adds
# flags for one manifest (--measurement for a measurement build).
MANIFEST_OVERLAY := $(wildcard manifests/local.capnp)
# Which overlay the manifests were last built with, rewritten only when that
# changes: removing the overlay rebuilds them too.
MANIFEST_OVERLAY_STATE := $(BUILD)/.manifest-overlay
$(shell mkdir -p $(BUILD) && [ -f $(MANIFEST_OVERLAY_STATE) ] && \
	[ "$$(cat $(MANIFEST_OVERLAY_STATE))" = "$(MANIFEST_OVERLAY)" ] || \
	echo "$(MANIFEST_OVERLAY)" >$(MANIFEST_OVERLAY_STATE))

$(BUILD)/manifest-%.bin: manifests/%.capnp schema/capos.capnp $$(USER_ELFS) $$(MKMANIFEST) \
		$(MANIFEST_OVERLAY) $(MANIFEST_OVERLAY_STATE) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(strip $(MKMANIFEST) $(if $(MANIFEST_OVERLAY),--overlay $(MANIFEST_OVERLAY)) \
		$(MKMANIFEST_FLAGS_$*) $< $@)

# The manifests that exist to be refused by the kernel at boot (the
# boot-bad-init and boot-bad-version scenarios): mkmanifest would refuse
# them first, so they are only evaluated (--no-validate writes capnp's
# output unchecked and untouched). Nothing else may be built this way.
MANIFESTS_UNCHECKED := bad-init bad-version

$(MANIFESTS_UNCHECKED:%=$(BUILD)/manifest-%.bin): $(BUILD)/manifest-%.bin: manifests/%.capnp \
		schema/capos.capnp $$(USER_ELFS) $$(MKMANIFEST) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(MKMANIFEST) --no-validate $< $@

# A deliberately damaged manifest: the root pointer (the first word after
# the segment table) sent far out of bounds.
$(BUILD)/manifest-corrupt.bin: $(BUILD)/manifest-system.bin
	cp $< $@
	n=$$(od -An -tu4 -N4 $<); off=$$(( (4 * (n + 2) + 7) / 8 * 8 )); \
		printf '\374\377\377\177' | dd of=$@ bs=1 seek=$$off conv=notrunc status=none

# The distributable ISO: GRUB (Multiboot2) with the default manifest, no menu.
$(BUILD)/capos.iso: $(BUILD)/kernel.elf $(BUILD)/manifest-system.bin | $(DEPS_STAMP)
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	cp $(BUILD)/kernel.elf $(BUILD)/iso/boot/kernel.elf
	cp $(BUILD)/manifest-system.bin $(BUILD)/iso/boot/manifest.bin
	printf 'set timeout=0\nset default=0\nmenuentry "capOS" {\n  multiboot2 /boot/kernel.elf\n  module2 /boot/manifest.bin manifest\n  boot\n}\n' \
		> $(BUILD)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/iso >/dev/null 2>&1

kernel: $(BUILD)/kernel.bin
iso: $(BUILD)/capos.iso

ALL_TARGETS += $(BUILD)/kernel.bin
HELP += "kernel|build build/kernel.elf and the flat build/kernel.bin"
HELP += "iso|build the GRUB ISO build/capos.iso"
HELP += "run|boot the default manifest in QEMU (COM2 on stdio, COM1 in build/qemu-console.log)"

run: $(BUILD)/kernel.bin $(BUILD)/manifest-system.bin | $(DEPS_STAMP)
	@tools/qemu-run $(BUILD)/kernel.bin $(BUILD)/manifest-system.bin $(BUILD)/qemu-console.log

.PHONY: kernel iso run
