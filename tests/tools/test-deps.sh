#!/usr/bin/env bash
# Tests of tools/deps.sh's pinned-source mechanism (TAP output): the pin list
# is well formed, tampered or missing files are refused with a specific
# message, and a real pinned package is fetched, verified and unpacked.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
deps=$top/tools/deps.sh
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
n=0
fails=0

check() { # check NAME STATUS
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi
}

# 1. every pin line: name version file sha256; one .dsc per package.
bad=$(awk '!/^#/ && NF && (NF != 4 || length($4) != 64 || $4 ~ /[^0-9a-f]/ || index($3, $1 "_") != 1)' \
	"$top/tools/pins.list")
check "pins.list lines are 'name version file sha256'" "$([ -z "$bad" ]; echo $?)"
dsc=$(awk '!/^#/ && NF && $3 ~ /\.dsc$/ { c[$1]++ } !/^#/ && NF { p[$1] = 1 }
	END { for (k in p) if (c[k] != 1) print k }' "$top/tools/pins.list")
check "each pinned package has exactly one .dsc" "$([ -z "$dsc" ]; echo $?)"

# 2. a tampered file is refused and named.
for f in $(awk '$1 == "lwip" { print $3 }' "$top/tools/pins.list"); do
	echo "not the real $f" >"$scratch/$f"
done
out=$("$deps" --verify lwip "$scratch" 2>&1)
st=$?
echo "$out" | sed 's/^/# /'
check "tampered source files are refused" "$([ $st -ne 0 ] && echo "$out" | grep -q 'SHA-256 mismatch for lwip_2.1.3+dfsg1.orig.tar.xz'; echo $?)"

# 3. a missing file is refused and named.
rm -f "$scratch"/*.dsc
out=$("$deps" --verify lwip "$scratch" 2>&1)
st=$?
check "a missing source file is refused" "$([ $st -ne 0 ] && echo "$out" | grep -q 'missing lwip_2.1.3+dfsg1-2.dsc'; echo $?)"

# 4. an unknown package has no pins.
out=$("$deps" --verify no-such-package "$scratch" 2>&1)
st=$?
check "an unpinned package is refused" "$([ $st -ne 0 ] && echo "$out" | grep -q "no pins for source package 'no-such-package'"; echo $?)"

# 5. the real thing: fetch, verify, unpack.
BUILD=$scratch/build "$deps" --source lwip 2>&1 | sed 's/^/# /'
check "lwip is fetched, verified and unpacked" \
	"$([ -f "$scratch/build/deps/lwip/src/core/tcp.c" ] && [ -f "$scratch/build/deps/lwip/.verified-2.1.3+dfsg1-2" ]; echo $?)"

echo "1..$n"
[ "$fails" -eq 0 ]
