#!/usr/bin/env bash
# tests/tsan/run.sh BUILD_DIR ENTRIES — the tsan suite: run the ring stress
# test (BUILD_DIR/ring_stress, built by mk/tsan.mk) over ENTRIES entries per
# case, then show that it is sharp: for each acquire or release in
# lib/ring/ring.h, build a mutant with that one order made relaxed and
# require ThreadSanitizer to report a data race in it. Prints TAP.
set -u
dir=$1
entries=$2
clang=${CLANG:-clang}
flags="-std=gnu11 -g -O1 -fsanitize=thread -fno-omit-frame-pointer"
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
n=0
fail=0

n=$((n + 1))
if out=$("$dir/ring_stress" "$entries" 2>&1); then
	echo "ok $n - ring_stress: $(grep -c '^ok ' <<<"$out") cases, no data race"
else
	echo "not ok $n - ring_stress failed"
	sed 's/^/# /' <<<"$out" | head -40
	fail=1
fi

# A race needs the right interleaving: up to ten runs to show one. The
# relaxed cq_head release shows in about half the runs, so five left the
# suite failing about one time in twenty.
caught() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		"$1/ring_stress" 50000 >"$1/run.log" 2>&1
		grep -q 'ThreadSanitizer: data race' "$1/run.log" && return 0
	done
	return 1
}

lines=$(grep -n '__ATOMIC_\(ACQUIRE\|RELEASE\))' lib/ring/ring.h | cut -d: -f1)
for l in $lines; do
	n=$((n + 1))
	m=$dir/mutant-$l
	mkdir -p "$m/lib/ring"
	sed "${l}s/__ATOMIC_\(ACQUIRE\|RELEASE\))/__ATOMIC_RELAXED)/" lib/ring/ring.h \
		>"$m/lib/ring/ring.h"
	what=$(sed -n "${l}p" lib/ring/ring.h | sed 's/^[[:space:]]*//')
	if ! $clang $flags -I"$m" -I. -o "$m/ring_stress" tests/tsan/ring_stress.c \
		lib/ring/ring.c -lpthread 2>"$m/build.log"; then
		echo "not ok $n - mutant at ring.h:$l does not build (see $m/build.log)"
		fail=1
	elif ! caught "$m"; then
		echo "not ok $n - relaxed at ring.h:$l survives: $what"
		fail=1
	else
		echo "ok $n - relaxed at ring.h:$l is a data race: $what"
	fi
done
echo "1..$n"
exit $fail
