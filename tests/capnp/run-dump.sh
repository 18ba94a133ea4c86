#!/usr/bin/env bash
# run-dump.sh DUMP CORPUSDIR — TAP: for every message in the corpus,
# capnp-c-dump's text must equal `capnp convert binary:text --short`.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dump=$1 dir=$2
n=0
fail=0
for f in "$dir"/*.bin; do
	n=$((n + 1))
	name=$(basename "$f" .bin)
	type=$(echo "$name" | cut -d. -f2)
	want=$(capnp convert binary:text --short "$here/conformance.capnp" "$type" <"$f" 2>&1)
	got=$("$dump" "$here/conformance.capnp" "$type" <"$f" 2>&1)
	if [ "$want" = "$got" ]; then
		echo "ok $n - capnp-c-dump prints $name as capnp does"
	else
		echo "not ok $n - capnp-c-dump prints $name as capnp does"
		diff <(echo "$want") <(echo "$got") | head -6 | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
