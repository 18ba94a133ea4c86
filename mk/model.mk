# Models: the ring's SQ/CQ protocol checked with SPIN (tests/model).

TEST_SUITES += ring-model
test-ring-model: | $(DEPS_STAMP)
	@$(RUN_SUITE) ring-model tests/model/run-model.sh $(BUILD)/model

model: test-ring-model
HELP += "model|model-check the ring protocol with SPIN"
.PHONY: model
