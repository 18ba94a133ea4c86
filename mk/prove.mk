# Proofs: Frama-C WP over the pure lib/ invariants (tests/proof/run-prove.sh).
# A unit is name:files; its ACSL contracts live in the lib/ sources and
# headers. docs/verification.md lists what each unit proves and what not.

PROVE_UNITS := ring:lib/ring/ring.c ledger:lib/cap/ledger.c

TEST_SUITES += prove
test-prove: | $(DEPS_STAMP)
	@$(RUN_SUITE) prove tests/proof/run-prove.sh $(BUILD)/prove $(PROVE_UNITS)

# `make prove` shows the TAP lines and fails unless every goal is proved.
prove: | $(DEPS_STAMP)
	@tests/proof/run-prove.sh $(BUILD)/prove $(PROVE_UNITS)

HELP += "prove|prove the lib/ contracts with Frama-C WP (every goal, or it fails)"
.PHONY: prove test-prove
