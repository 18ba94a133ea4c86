# Dependencies: pinned Debian source packages and the tests of tools/deps.sh.
# A build that needs source package NAME depends on $(BUILD)/deps/NAME/.ok.

PINNED_SOURCES := $(shell awk '!/^\#/ && NF { print $$1 }' tools/pins.list | sort -u)

$(BUILD)/deps/%/.ok: tools/pins.list tools/deps.sh | $(DEPS_STAMP)
	@tools/deps.sh --source $*
	@touch $@

deps-sources: $(foreach p,$(PINNED_SOURCES),$(BUILD)/deps/$(p)/.ok)

HELP += "deps-sources|fetch, verify and unpack every pinned Debian source package"

TEST_SUITES += deps
test-deps: $(DEPS_STAMP)
	@$(RUN_SUITE) deps tests/tools/test-deps.sh
