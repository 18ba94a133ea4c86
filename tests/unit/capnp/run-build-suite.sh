#!/usr/bin/env bash
# The capnp-build suite: the builder's cmocka tests, then the reference
# decoder's verdict on what they built (TAP lines continue the numbering).
# Usage: run-build-suite.sh TEST_BUILD REF.bin OUTDIR
set -u
test_build=$1 ref=$2 out=$3
schema=tests/unit/capnp/unit.capnp
"$test_build" "$ref" "$out/built.bin" "$out/copied.bin"
st=$?
want=$(capnp eval "$schema" sample)
n=100
for f in built copied; do
	n=$((n + 1))
	got=$(capnp convert binary:text "$schema" Outer <"$out/$f.bin" 2>&1)
	if [ "$got" = "$want" ]; then
		echo "ok $n - reference capnp decodes the $f message as unit.capnp sample"
	else
		echo "not ok $n - reference capnp decodes the $f message as unit.capnp sample"
		diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
		st=1
	fi
done
exit $st
