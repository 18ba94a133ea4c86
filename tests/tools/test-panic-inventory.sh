#!/usr/bin/env bash
# The panic-inventory check on a fake tree (TAP): a complete inventory
# passes, and keeps passing when lines move; a new site without a row, a
# row for a site that is gone and a row with an unknown class each fail;
# comments, strings and declarations are not sites.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
n=0
fails=0
check() { n=$((n + 1)); if [ "$2" -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }
run() { "$top/tools/check-panic-inventory" --root "$scratch" >"$scratch/out" 2>&1; }
passes() { run; check "$1" $?; }
fails_with() {
	run
	local st=$? said=1
	grep -q "^not ok .*$2" "$scratch/out" && said=0
	check "$1" "$([ $st -ne 0 ] && [ $said -eq 0 ]; echo $?)"
}

mkdir -p "$scratch/kernel/mm" "$scratch/lib/x" "$scratch/docs"
cat >"$scratch/kernel/klog.h" <<'EOF'
/* kernel_halt_failure(...) in a comment is not a site */
noreturn void kernel_halt_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
EOF
cat >"$scratch/kernel/mm/frame.c" <<'EOF'
#include "kernel/klog.h"
static const char *why = "kernel_halt_failure(\"not a site\")";
void frame_free(unsigned long phys)
{
	if (phys == 0)
		kernel_halt_failure("frame_free: 0x%lx is not an allocated frame at all", phys);
	if (phys == 1)
		kernel_halt_failure("frame_free: twice");
	if (phys == 2)
		kernel_halt_failure("frame_free: twice");
}
static __attribute__((__noreturn__)) void die(void)
{
	kernel_halt_failure(
		"die: " "joined");
}
EOF
cat >"$scratch/lib/x/x.c" <<'EOF'
int x_get(int *p)
{
	if (p == 0)
		__builtin_unreachable();
	return *p;
}
EOF
row() { printf '| `%s` | f | g | c | %s | n |\n' "$1" "${2:-invariant}"; }
{
	echo '| key | file | function | condition | class | notes |'
	echo '|---|---|---|---|---|---|'
	row 'kernel/mm/frame.c:frame_free:"frame_free: 0x%lx is not an allocated fr"'
	row 'kernel/mm/frame.c:frame_free:"frame_free: twice"'
	row 'kernel/mm/frame.c:frame_free:"frame_free: twice" #2' boot
	row 'kernel/mm/frame.c:die:"die: joined"' hostile
	row 'lib/x/x.c:x_get:__builtin_unreachable()'
} >"$scratch/docs/panic-inventory.md"
cp "$scratch/docs/panic-inventory.md" "$scratch/complete.md"

passes "a complete inventory passes (comments, strings and declarations are no sites)"
check "it reports one line per site" "$([ "$(grep -c '^ok ' "$scratch/out")" -eq 5 ]; echo $?)"

sed -i '1i /* a new first line: every site moves down */\n' "$scratch/kernel/mm/frame.c"
passes "moved lines keep every key"

cat >>"$scratch/kernel/mm/frame.c" <<'EOF'
void frame_check(void)
{
	kernel_halt_failure("frame_check: a new site");
}
EOF
fails_with "an added site without a row fails" 'frame_check: a new site.*no row'

row 'kernel/mm/frame.c:frame_check:"frame_check: a new site"' boot >>"$scratch/docs/panic-inventory.md"
passes "its row makes the inventory complete again"

row 'kernel/mm/gone.c:gone:"gone: this site was removed"' >>"$scratch/docs/panic-inventory.md"
fails_with "a row naming a site that no longer exists fails" 'gone.c:gone.*names no site'

cp "$scratch/complete.md" "$scratch/docs/panic-inventory.md"
row 'kernel/mm/frame.c:frame_check:"frame_check: a new site"' maybe >>"$scratch/docs/panic-inventory.md"
fails_with "a row with an unknown class fails" "class 'maybe'"

echo "1..$n"
[ "$fails" -eq 0 ]
