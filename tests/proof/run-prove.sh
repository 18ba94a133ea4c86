#!/usr/bin/env bash
# run-prove.sh OUTDIR NAME FILES OPTIONS [NAME FILES OPTIONS]... — Frama-C WP
# proofs of the lib/ contracts.
#
# Each unit is three words: a name, its C files (space-separated) and extra
# frama-c options (say, which functions it proves). Every unit is proved by
# `frama-c -wp -wp-rte` (runtime-error guards on) with Z3 and CVC4 through
# Why3, one TAP line each. A unit passes only when frama-c exits 0 and every
# goal is proved: no unknown, no timeout, no failure. Nothing is cached: the
# Why3 prover list is detected afresh into OUTDIR/why3.conf, the WP cache is
# off and each unit's session directory is wiped first. The annotated
# sources may not assume anything: an ACSL `axiom`, `admit` or `assume`
# fails the run (docs/verification.md says what the proofs do not cover).
set -u
out=$1
shift
mkdir -p "$out"
export WHY3CONFIG=$out/why3.conf
rm -f "$WHY3CONFIG"
if ! why3 --config="$WHY3CONFIG" config detect >"$out/why3-detect.log" 2>&1; then
	echo "not ok 1 - why3 config detect"
	sed 's/^/# /' "$out/why3-detect.log"
	echo "1..1"
	exit 1
fi

timeout=${PROVE_TIMEOUT:-10}
par=${PROVE_PAR:-2}
n=0
fail=0
while [ $# -ge 3 ]; do
	n=$((n + 1))
	name=$1 files=$2 opts=$3
	shift 3
	log=$out/$name.log
	rm -rf "$out/$name.session"
	if grep -nE '\b(axiom|admit|assume)\b' $files >"$out/$name.assumes"; then
		echo "not ok $n - $name: the sources assume what the proof should show"
		sed 's/^/# /' "$out/$name.assumes"
		fail=1
		continue
	fi
	start=$(date +%s)
	frama-c -c11 -machdep x86_64 -cpp-extra-args="-I." \
		-wp -wp-rte -wp-prover z3,cvc4 -wp-par "$par" -wp-timeout "$timeout" \
		-wp-cache none -wp-session "$out/$name.session" $opts $files >"$log" 2>&1
	status=$?
	secs=$(($(date +%s) - start))
	summary=$(grep -E '^\[wp\] Proved goals:' "$log" | tail -1)
	proved=$(echo "$summary" | awk '{ print $4 }')
	total=$(echo "$summary" | awk '{ print $6 }')
	if [ "$status" -eq 0 ] && [ -n "$total" ] && [ "$proved" = "$total" ] &&
		! grep -qE '\[Failed\]|Unknown|Timeout' "$log"; then
		echo "ok $n - $name: $proved/$total goals proved (${secs}s)"
	else
		echo "not ok $n - $name: ${proved:-?}/${total:-?} goals proved, frama-c status $status"
		grep -E -A2 '\[Failed\]|Unknown|Timeout|rror' "$log" | head -60 | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
