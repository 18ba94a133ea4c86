# The panic-surface inventory (docs/panic-inventory.md): every failure-halt
# site of the C kernel (kernel/, lib/) has a row with its reachability
# class, and every row names a site that exists (tools/check-panic-inventory).

TEST_SUITES += panic-inventory panic-inventory-selftest
test-panic-inventory:
	@$(RUN_SUITE) panic-inventory $(PYTHON) tools/check-panic-inventory

test-panic-inventory-selftest:
	@$(RUN_SUITE) panic-inventory-selftest tests/tools/test-panic-inventory.sh

HELP += "panic-inventory|print every failure-halt site's inventory key and line"
panic-inventory:
	@$(PYTHON) tools/check-panic-inventory --list
.PHONY: panic-inventory
