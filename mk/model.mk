# Models checked with SPIN (tests/model): the ring's SQ/CQ protocol, two
# threads waiting on one ring, and reserved CQ credits.

TEST_SUITES += ring-model
test-ring-model: | $(DEPS_STAMP)
	@$(RUN_SUITE) ring-model tests/model/run-model.sh $(BUILD)/model

# `make model-check` (also `make model`) shows the TAP lines and fails on
# any violation; `make test` runs the same checks as the ring-model suite.
model-check: | $(DEPS_STAMP)
	@tests/model/run-model.sh $(BUILD)/model
model: model-check
HELP += "model-check|model-check the ring protocol, ring waiters and CQ credits with SPIN"
.PHONY: model model-check
