# Proofs: Frama-C WP over the pure lib/ invariants (tests/proof/run-prove.sh).
# The ACSL contracts live in the lib/ sources and headers. A unit NAME proves
# PROVE_FILES_NAME with the extra frama-c options PROVE_OPTS_NAME.
# docs/verification.md lists what each unit proves and what it does not.

PROVE_UNITS := cap_table frame_bitmap ring ledger cap_remove transfer transfer_commit transfer_undo lemmas

PROVE_FILES_ring := lib/ring/ring.c
PROVE_FILES_ledger := lib/cap/ledger.c
# captable_clear calls a caller's function pointer: not proved (see the docs).
PROVE_FILES_cap_table := lib/cap/cap_table.c
PROVE_OPTS_cap_table := -wp-skip-fct captable_remove,captable_reserve,slot_vacate,captable_clear
# captable_remove, captable_reserve and slot_vacate need their goals split
# into their conjuncts to go through.
PROVE_FILES_cap_remove := lib/cap/cap_table.c
PROVE_OPTS_cap_remove := -wp-fct captable_remove,captable_reserve,slot_vacate -wp-split

# The transfer's table halves. xfer_pin and xfer_unpin call the caller's
# reference functions, which WP cannot follow (docs/verification.md).
PROVE_FILES_transfer := lib/cap/transfer.c
PROVE_OPTS_transfer := -wp-fct abort_moves,pin_one,pin_descs,take_descs,take_holds,pin_slots,unpin_slots,abort_reservations,xfer_reserve,xfer_unreserve,publish_holds,vacate_moves,from_table -wp-split

# xfer_commit composed from its proved halves: a unit of its own, so that
# it runs beside the others. About one goal in ten falls to Z3 after CVC4
# gives up, so both provers run at once (-wp-par 2).
PROVE_FILES_transfer_commit := lib/cap/transfer.c
PROVE_OPTS_transfer_commit := -wp-fct commit_tables,fill_results,xfer_commit -wp-split -wp-par 2

# Undoing a transfer before commit, composed from the proved steps: each
# table comes back as it was (tests/proof/transfer_undo.c).
PROVE_FILES_transfer_undo := tests/proof/transfer_undo.c
PROVE_OPTS_transfer_undo := -wp-fct sender_undone,receiver_undone,transfer_undone -wp-split

# The ACSL lemmas of the headers: a unit restricted to functions proves no
# lemma, so they get a unit of their own. transfer.c includes every header
# that states one.
PROVE_FILES_lemmas := lib/cap/transfer.c
PROVE_OPTS_lemmas := -wp-prop=@lemma

PROVE_FILES_frame_bitmap := lib/frame_bitmap/frame_bitmap.c

PROVE_ARGS = $(foreach u,$(PROVE_UNITS),'$(u)' '$(PROVE_FILES_$(u))' '$(PROVE_OPTS_$(u))')

TEST_SUITES += prove
test-prove: | $(DEPS_STAMP)
	@$(RUN_SUITE) prove tests/proof/run-prove.sh $(BUILD)/prove $(PROVE_ARGS)

# `make prove` shows the TAP lines and fails unless every goal is proved.
prove: | $(DEPS_STAMP)
	@tests/proof/run-prove.sh $(BUILD)/prove $(PROVE_ARGS)

HELP += "prove|prove the lib/ contracts with Frama-C WP (every goal, or it fails)"
.PHONY: prove test-prove
