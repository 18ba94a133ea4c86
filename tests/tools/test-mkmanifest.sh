#!/usr/bin/env bash
# tools/mkmanifest on the manifests in tests/manifests/ (TAP). Every
# bad-*.capnp must be refused: exit status 1, exactly the expected line on
# stderr, no output file. good-graph.capnp must build into one segment with
# every field as capnp evaluates it; with an overlay, kernelParams must be
# the overlay's and nothing else may change.
# Usage: tests/tools/test-mkmanifest.sh build/tools/mkmanifest
set -u
mk=$(realpath "${1:?usage: test-mkmanifest.sh MKMANIFEST}")
cd "$(dirname "$0")/../.." || exit 1 # the repository root, as `capnp eval -I.` needs
dir=tests/manifests
scratch=build/tests/mkmanifest
mkdir -p "$scratch" && rm -f "$scratch"/*.bin "$scratch"/*.err "$scratch"/*.tmp
# bad-elf-dynamic.capnp embeds this: an ELF the loader refuses (not ET_EXEC).
cp "$(type -P true)" "$scratch/host-true.elf" || exit 1

n=0
fails=0
check() {
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then echo "ok $n - $1"; else
		echo "not ok $n - $1"
		fails=$((fails + 1))
	fi
}
decode() { capnp decode --short -I. schema/capos.capnp SystemManifest <"$1"; }
raw() { capnp eval -I. -b "$dir/$1.capnp" manifest; }

# refused NAME LINE: mkmanifest must print exactly
# "mkmanifest: tests/manifests/NAME.capnp: LINE" and nothing else, exit 1, and
# leave no output behind.
declare -A covered
refused() {
	local name=$1 want="mkmanifest: $dir/$1.capnp: $2" out=$scratch/$1.bin st got
	covered[$name]=1
	"$mk" "$dir/$name.capnp" "$out" 2>"$scratch/$name.err"
	st=$?
	got=$(cat "$scratch/$name.err")
	[ "$st" -eq 1 ] && [ "$got" = "$want" ] && [ ! -e "$out" ] && [ ! -e "$out.tmp" ]
	local ok=$?
	[ $ok -eq 0 ] || printf '# status %s, stderr:\n# %s\n# wanted:\n# %s\n' "$st" "$got" "$want"
	check "$name is refused: ${2##*: }" $ok
}

refused bad-service-duplicate 'service "log": duplicate service name: duplicate service'
refused bad-service-named-init 'service "init": duplicate service name (init has it): duplicate service'
refused bad-service-name 'initConfig.services[1]: empty service name: empty service name'
refused bad-service-binary 'service "chat": binary "ghost": names no binary of the manifest: service binary missing'
refused bad-import-service 'service "chat": cap "log": imports from "mail": no earlier service: import from no earlier service'
refused bad-import-later 'service "log": cap "peer": imports from "chat": no earlier service: import from no earlier service'
refused bad-import-export 'service "chat": cap "log": imports "journal" from "log": no such export: import of no such export'
refused bad-import-interface 'service "chat": cap "log": expectedInterfaceId is not the interfaceId of export "console" of "log": import interface id mismatch'
refused bad-reexport 'service "chat": export "relay": names an imported cap (no re-export of imports): re-export of an import'
refused bad-export-name 'service "log": export "": empty export name: empty export name'
refused bad-export-duplicate 'service "log": export "console": duplicate export name: duplicate export'
refused bad-export-cap 'service "log": export "console": names no cap of the service: export names no cap'
refused bad-export-not-endpoint 'service "log": export "console": names a cap that is not a kernel endpoint: export is not an endpoint'
refused bad-export-interface 'service "log": export "console": export declares no interfaceId: export without interface id'
refused bad-cap-name 'service "chat": cap "a-timer-cap-name-longer-than-32-bytes": cap name empty or over 32 bytes: bad service cap name'
refused bad-cap-duplicate 'service "chat": cap "log": duplicate cap name: duplicate service cap'
refused bad-cap-unset 'service "chat": cap "timer": cap source unset: service cap source unset'
refused bad-cap-unavailable 'service "chat": cap "timer": kernel source not offered by this kernel: service cap kernel source unavailable'
refused bad-cap-interface 'service "chat": cap "timer": expectedInterfaceId does not match the kernel source: service cap interface id mismatch'
refused bad-init-exports 'service "init": export "log": init may not declare exports: init has exports'
refused bad-init-binary 'initConfig.init.binary names no binary: "ghost": init binary missing'
refused bad-elf 'service "chat": binary "chat": ELF_ERR_BAD_MAGIC: not a loadable ELF executable'
refused bad-init-elf 'service "init": binary "init": ELF_ERR_BAD_MAGIC: not a loadable ELF executable'
refused bad-elf-dynamic 'service "chat": binary "chat": ELF_ERR_NOT_EXEC: not a loadable ELF executable'
refused bad-syntax 'capnp eval: tests/manifests/bad-syntax.capnp:23:31-38: error: Parse error.'

for f in "$dir"/bad-*.capnp; do
	name=$(basename "$f" .capnp)
	[ -n "${covered[$name]:-}" ]
	check "$name has an expected message here" $?
done

# The good graph: built, one segment, every field as capnp evaluated it.
out=$scratch/good.bin
"$mk" "$dir/good-graph.capnp" "$out" 2>"$scratch/good.err"
check "good-graph builds, silently" $([ $? -eq 0 ] && [ ! -s "$scratch/good.err" ]; echo $?)
check "the output is one segment" $([ "$(od -An -tu4 -N4 "$out" | tr -d ' ')" = 0 ]; echo $?)
raw good-graph >"$scratch/good-raw.bin"
check "re-encoding keeps every field" \
	$([ -n "$(decode "$out")" ] && [ "$(decode "$out")" = "$(decode "$scratch/good-raw.bin")" ]; echo $?)

# With the overlay: kernelParams are the overlay's, the rest is unchanged.
"$mk" --overlay "$dir/local-motd.capnp" "$dir/good-graph.capnp" "$scratch/motd.bin"
check "good-graph builds with an overlay" $?
want_params='kernelParams = (motd = "hello from the overlay", terminalPort = com1))'
got=$(decode "$scratch/motd.bin")
check "the overlay's motd and terminalPort win" $([ "${got##*, kernelParams = }" = "${want_params#kernelParams = }" ]; echo $?)
check "the overlay changes nothing else" \
	$([ "${got%%, kernelParams = *}" = "$(decode "$out" | sed 's/, kernelParams = .*//')" ]; echo $?)
"$mk" --overlay "$dir/local-empty.capnp" "$dir/good-graph.capnp" "$scratch/empty.bin"
check "an empty overlay keeps the manifest's kernelParams" \
	$([ "$(decode "$scratch/empty.bin")" = "$(decode "$out")" ]; echo $?)
err=$("$mk" --overlay "$dir/local-bad.capnp" "$dir/good-graph.capnp" "$scratch/badov.bin" 2>&1)
check "a broken overlay is refused on one line" $([ $? -eq 1 ] && [ "$err" = \
	"mkmanifest: $dir/good-graph.capnp: overlay $dir/local-bad.capnp: capnp eval: $dir/local-bad.capnp:6:37-38: error: Type mismatch; expected Text." ] &&
	[ ! -e "$scratch/badov.bin" ]; echo $?)

# A failed build leaves an existing output alone.
echo old >"$scratch/keep.bin"
"$mk" "$dir/bad-reexport.capnp" "$scratch/keep.bin" 2>/dev/null
check "a refused manifest leaves an old output untouched" $([ "$(cat "$scratch/keep.bin")" = old ]; echo $?)

# Measurement-only kernel sources.
"$mk" "$dir/measurement-nullcap.capnp" "$scratch/m.bin" 2>/dev/null
check "NullCap is refused without --measurement" $([ $? -eq 1 ]; echo $?)
"$mk" --measurement "$dir/measurement-nullcap.capnp" "$scratch/m.bin"
check "NullCap is accepted with --measurement" $?

# --no-validate: capnp's bytes, untouched, for manifests meant to be refused at boot.
"$mk" --no-validate "$dir/bad-init-binary.capnp" "$scratch/raw.bin"
check "--no-validate writes what capnp evaluated" \
	$(raw bad-init-binary | cmp -s - "$scratch/raw.bin"; echo $?)

"$mk" >/dev/null 2>&1
check "a bad command line exits 2" $([ $? -eq 2 ]; echo $?)
"$mk" --no-validate --overlay "$dir/local-motd.capnp" "$dir/good-graph.capnp" "$scratch/x.bin" 2>/dev/null
check "--no-validate takes no overlay" $([ $? -eq 2 ]; echo $?)

echo "1..$n"
[ "$fails" -eq 0 ]
