# The panic-surface inventory check (tools/check-panic-inventory): every
# failure-halt site of the C kernel (kernel/, lib/) has a row with its
# reachability class, and every row names a site that exists.

TEST_SUITES += panic-inventory-selftest
test-panic-inventory-selftest:
	@$(RUN_SUITE) panic-inventory-selftest tests/tools/test-panic-inventory.sh

HELP += "panic-inventory|print every failure-halt site's inventory key and line"
panic-inventory:
	@$(PYTHON) tools/check-panic-inventory --list
.PHONY: panic-inventory
