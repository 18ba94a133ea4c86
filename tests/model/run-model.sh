#!/usr/bin/env bash
# run-model.sh OUTDIR — check tests/model/ring.pml with SPIN, honest and
# corrupting user; one TAP line each. Any assertion violation, invalid end
# state (deadlock) or unfinished search fails.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$1
n=0
fail=0
for variant in honest corrupt; do
	n=$((n + 1))
	dir=$out/$variant
	rm -rf "$dir" && mkdir -p "$dir" && cp "$here/ring.pml" "$dir/"
	flags=""
	[ "$variant" = corrupt ] && flags="-DCORRUPT"
	if (cd "$dir" && spin -a $flags ring.pml >spin.log 2>&1 &&
		gcc -O2 -DSAFETY -o pan pan.c >>spin.log 2>&1 && ./pan -m100000 >pan.log 2>&1) &&
		grep -q 'errors: 0' "$dir/pan.log" && ! grep -q 'search depth too small' "$dir/pan.log"; then
		states=$(grep -o '[0-9]* states, stored' "$dir/pan.log" | head -1)
		echo "ok $n - ring model ($variant user): no violation, $states"
	else
		echo "not ok $n - ring model ($variant user)"
		tail -20 "$dir/pan.log" "$dir/spin.log" 2>/dev/null | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
