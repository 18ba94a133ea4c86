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

timeout=${PROVE_TIMEOUT:-60}
# Frama-C prepares each goal for Why3 on one core, so two units run side by
# side (PROVE_JOBS), each with one prover process (PROVE_PAR).
jobs=${PROVE_JOBS:-2}
par=${PROVE_PAR:-1}

# prove_unit N NAME FILES OPTS: one TAP line (N ok/not ok) into OUTDIR/NAME.tap.
prove_unit() {
	local n=$1 name=$2 files=$3 opts=$4 log=$out/$2.log tap=$out/$2.tap
	rm -rf "$out/$name.session"
	if grep -nE '\b(axiom|admit|assume)\b' $files >"$out/$name.assumes"; then
		{
			echo "not ok $n - $name: the sources assume what the proof should show"
			sed 's/^/# /' "$out/$name.assumes"
		} >"$tap"
		return
	fi
	local start=$(date +%s)
	frama-c -c11 -machdep x86_64 -cpp-extra-args="-I." \
		-wp -wp-rte -wp-prover cvc4,z3 -wp-par "$par" -wp-timeout "$timeout" \
		-wp-cache none -wp-session "$out/$name.session" $opts $files >"$log" 2>&1
	local status=$?
	local secs=$(($(date +%s) - start))
	local summary proved total
	summary=$(grep -E '^\[wp\] Proved goals:' "$log" | tail -1)
	proved=$(echo "$summary" | awk '{ print $4 }')
	total=$(echo "$summary" | awk '{ print $6 }')
	if [ "$status" -eq 0 ] && [ -n "$total" ] && [ "$proved" = "$total" ] &&
		! grep -qE '\[Failed\]|Unknown|Timeout' "$log"; then
		echo "ok $n - $name: $proved/$total goals proved (${secs}s)" >"$tap"
	else
		{
			echo "not ok $n - $name: ${proved:-?}/${total:-?} goals proved, frama-c status $status"
			grep -E -A2 '\[Failed\]|Unknown|Timeout|rror' "$log" | head -60 | sed 's/^/# /'
		} >"$tap"
	fi
}

n=0
names=()
while [ $# -ge 3 ]; do
	n=$((n + 1))
	names+=("$1")
	rm -f "$out/$1.tap"
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	prove_unit "$n" "$1" "$2" "$3" &
	shift 3
done
wait
fail=0
for name in "${names[@]}"; do
	if [ -f "$out/$name.tap" ]; then
		cat "$out/$name.tap"
		grep -q '^not ok' "$out/$name.tap" && fail=1
	else
		echo "not ok - $name: no result"
		fail=1
	fi
done
echo "1..$n"
exit $fail
