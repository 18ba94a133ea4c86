#!/usr/bin/env bash
# run-model.sh OUTDIR — check the SPIN models of tests/model exhaustively;
# one TAP line each. A model that must hold fails on any assertion
# violation, invalid end state (deadlock, lost wake-up), non-progress
# cycle or unfinished search. A model that must fail (a mutant: the
# protection it checks taken out) fails the suite when SPIN finds nothing,
# or something other than the expected error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$1
n=0
fail=0

# check NAME MODEL FLAGS MODE EXPECT [WHY]: MODE is safety or liveness
# (non-progress cycles under weak fairness); EXPECT is "holds" or the pan
# error that must be found, WHY what that error is.
check() {
	local name=$1 model=$2 flags=$3 mode=$4 expect=$5 why=${6:-as it must}
	local dir=$out/$name cc="-DSAFETY" run="-m200000"
	n=$((n + 1))
	[ "$mode" = liveness ] && cc="-DNP" && run="-m200000 -l -f"
	rm -rf "$dir" && mkdir -p "$dir" && cp "$here/$model" "$dir/"
	if ! (cd "$dir" && spin -a $flags "$model" >spin.log 2>&1 &&
		gcc -O2 $cc -o pan pan.c >>spin.log 2>&1); then
		echo "not ok $n - $name: does not build"
		tail -20 "$dir/spin.log" | sed 's/^/# /'
		fail=1
		return
	fi
	(cd "$dir" && ./pan $run >pan.log 2>&1)
	local states found
	states=$(grep -o '[0-9]* states, stored' "$dir/pan.log" | head -1)
	found=$(grep -m1 '^pan:1: ' "$dir/pan.log" | sed 's/^pan:1: //; s/ (at depth.*//')
	if grep -q 'search depth too small' "$dir/pan.log"; then
		echo "not ok $n - $name: search depth too small"
		fail=1
	elif [ "$expect" = holds ] && grep -q 'errors: 0' "$dir/pan.log"; then
		echo "ok $n - $name: holds, $states"
	elif [ "$expect" != holds ] && [[ "$found" == "$expect"* ]]; then
		echo "ok $n - $name: fails $why ($found), $states"
	else
		echo "not ok $n - $name: expected ${expect}, got ${found:-no error}"
		tail -20 "$dir/pan.log" | sed 's/^/# /'
		fail=1
	fi
}

# The SQ/CQ protocol (ring.pml): an honest and a corrupting user.
check ring-honest ring.pml "" safety holds
check ring-corrupt ring.pml -DCORRUPT safety holds
# Two threads waiting on one ring (waiters.pml), as user/rt/rt.c waits:
# cap_enter is told the CQ head the thread saw. Negative check: without it
# (-DNOSEEN), SPIN must find a lost wake-up.
check waiters waiters.pml "" safety holds
check waiters-live waiters.pml "" liveness holds
check waiters-no-seen waiters.pml -DNOSEEN safety "invalid end state"
# Reserved CQ credits for deferred completions (credits.pml).
check credits credits.pml "" safety holds
check credits-no-reserve credits.pml -DNORESERVE safety "assertion violated"
echo "1..$n"
exit $fail
