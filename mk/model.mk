# Models checked with SPIN (tests/model): the ring's SQ/CQ protocol, two
# threads waiting on one ring, and reserved CQ credits.

TEST_SUITES += ring-model
test-ring-model: | $(DEPS_STAMP)
	@$(RUN_SUITE) ring-model tests/model/run-model.sh $(BUILD)/model

model: test-ring-model
HELP += "model|model-check the ring protocol, ring waiters and CQ credits with SPIN"
.PHONY: model
