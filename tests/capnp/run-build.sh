#!/usr/bin/env bash
# run-build.sh TEST_BUILD CORPUSDIR OUTDIR — the generated setters build
# messages (the cmocka tests in test_build.c write OUTDIR/NAME.TYPE.bin);
# each must decode, with the reference capnp tool, to exactly the text of
# the hand-written messages/NAME.TYPE.txt it claims to build.
set -u
here=$(cd "$(dirname "$0")" && pwd)
test_build=$1 corpus=$2 out=$3
mkdir -p "$out"
rm -f "$out"/*.bin
"$test_build" "$out"
st=$?
n=100
for f in "$out"/*.bin; do
	[ -e "$f" ] || break
	n=$((n + 1))
	name=$(basename "$f" .bin)
	type=$(echo "$name" | cut -d. -f2)
	want=$(capnp convert binary:text --short "$here/conformance.capnp" "$type" <"$corpus/$name.bin")
	got=$(capnp convert binary:text --short "$here/conformance.capnp" "$type" <"$f" 2>&1)
	if [ "$want" = "$got" ]; then
		echo "ok $n - capnp decodes the C-built $name as messages/$name.txt"
	else
		echo "not ok $n - capnp decodes the C-built $name as messages/$name.txt"
		diff <(echo "$want") <(echo "$got") | head -6 | sed 's/^/# /'
		st=1
	fi
done
exit $st
