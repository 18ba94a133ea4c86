# QEMU scenarios (tests/qemu/*.scenario) through tools/qemu-test, and the
# harness's own self-tests.

QEMU_SCENARIOS := $(sort $(wildcard tests/qemu/*.scenario))
# Every manifest a scenario names on its `modules` line.
QEMU_MANIFESTS := $(sort $(foreach m,$(shell awk '$$1 == "modules" { for (i = 2; i <= NF; i++) \
	if ($$i != "none") print $$i }' $(QEMU_SCENARIOS)),$(BUILD)/manifest-$(m).bin))

TEST_SUITES += qemu qemu-test-selftest

test-qemu: $(BUILD)/kernel.bin $(BUILD)/measure/kernel.bin $(BUILD)/measure-nohandoff/kernel.bin \
		$(BUILD)/capos.iso $(QEMU_MANIFESTS)
	@$(RUN_SUITE) qemu tools/qemu-test --tap $(QEMU_SCENARIOS)

test-qemu-test-selftest: | $(DEPS_STAMP)
	@$(RUN_SUITE) qemu-test-selftest $(PYTHON) tests/qemu/test_harness.py

# The init-owned spawn boot (manifests/system-spawn.capnp), checked by its
# scenario: single-init boot, BootPackage validation, every child's exit
# record, and the clean halt.
HELP += "run-spawn|boot the spawn manifest and check it (tests/qemu/spawn.scenario)"
run-spawn: $(BUILD)/kernel.bin $(BUILD)/manifest-system-spawn.bin | $(DEPS_STAMP)
	@tools/qemu-test tests/qemu/spawn.scenario
.PHONY: run-spawn
