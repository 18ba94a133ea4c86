#!/usr/bin/env bash
# The runtime-surface check must refuse objects that define _start, issue
# syscall or define an allocator, and accept one that does none (TAP).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
n=0
fails=0
check() { n=$((n + 1)); if [ "$2" -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }
build() { printf '%s\n' "$2" >"$scratch/$1.c" && gcc -c -O1 -o "$scratch/$1.o" "$scratch/$1.c"; }
build good 'int helper(int x) { return x + 1; }'
build start 'void _start(void) {}'
build sys 'long f(void) { long r; __asm__ volatile("syscall" : "=a"(r) : "a"(0) : "rcx", "r11"); return r; }'
build alloc 'void *malloc(unsigned long n) { (void)n; return 0; }'
build realloc 'void *capos_realloc(void *p, unsigned long n) { (void)n; return p; }'
"$top/tools/check-user-surface" "$scratch/good.o" >/dev/null
check "a plain object passes" $?
for bad in start sys alloc realloc; do
	out=$("$top/tools/check-user-surface" "$scratch/$bad.o")
	st=$?
	check "an object that $(echo "$out" | sed -n 's/^not ok 1 - [^:]*: *//p' | head -1) is refused" "$([ $st -ne 0 ]; echo $?)"
done
echo "1..$n"
[ "$fails" -eq 0 ]
