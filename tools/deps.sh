#!/usr/bin/env bash
# tools/deps.sh — install what capOS needs on a Debian 12 machine.
#
#   tools/deps.sh                    install the missing packages of tools/deps.list
#   tools/deps.sh --source NAME      fetch, verify and unpack the pinned source
#                                    package NAME (tools/pins.list) under build/deps/NAME
#   tools/deps.sh --verify NAME DIR  check the files of NAME in DIR against the pins
#
# Idempotent: an installed package is left alone, and a verified, unpacked
# source package is not fetched again. Source packages come from the
# machine's own Debian mirror (its deb entries, turned into deb-src in a
# private apt state under build/deps/apt), never from anywhere else.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
pins=$top/tools/pins.list

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
	local missing=() p
	for p in $(grep -v '^#' "$top/tools/deps.list" | awk 'NF { print $1 }'); do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "deps: installing ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

# The pinned lines of one package: "version file sha256".
pins_of() {
	awk -v n="$1" '!/^#/ && $1 == n { print $2, $3, $4 }' "$pins"
}

# verify NAME DIR: every pinned file present with its hash. Prints what is wrong.
verify() {
	local name=$1 dir=$2 version file sum actual ok=0
	[ -n "$(pins_of "$name")" ] || { echo "deps: no pins for source package '$name'" >&2; return 1; }
	while read -r version file sum; do
		if [ ! -f "$dir/$file" ]; then
			echo "deps: $name $version: missing $file" >&2
			ok=1
			continue
		fi
		actual=$(sha256sum "$dir/$file" | awk '{ print $1 }')
		if [ "$actual" != "$sum" ]; then
			echo "deps: $name $version: SHA-256 mismatch for $file (want $sum, got $actual)" >&2
			ok=1
		fi
	done < <(pins_of "$name")
	return $ok
}

# A private apt state whose sources are the machine's Debian deb entries as deb-src.
apt_private() {
	local d=$build/deps/apt
	mkdir -p "$d/sources.list.d" "$d/lists/partial" "$d/cache/archives/partial"
	if [ ! -f "$d/.updated" ]; then
		: >"$d/sources.list"
		[ -f /etc/apt/sources.list ] &&
			sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list >"$d/sources.list"
		rm -f "$d"/sources.list.d/*
		local f
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			grep -qi 'debian' "$f" || continue
			sed 's/^Types: deb$/Types: deb-src/' "$f" >"$d/sources.list.d/$(basename "$f")"
		done
		apt-get $(apt_opts) update -qq
		touch "$d/.updated"
	fi
}

apt_opts() {
	local d=$build/deps/apt
	echo "-o APT::Sandbox::User=root -o Dir::Etc::SourceList=$d/sources.list" \
		"-o Dir::Etc::SourceParts=$d/sources.list.d" \
		"-o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache"
}

fetch_source() {
	local name=$1 version dest src
	version=$(pins_of "$name" | awk 'NR == 1 { print $1 }')
	[ -n "$version" ] || { echo "deps: no pins for source package '$name'" >&2; exit 1; }
	dest=$build/deps/$name
	[ -f "$dest/.verified-$version" ] && return 0
	src=$build/deps/src/$name-$version
	mkdir -p "$src"
	if ! verify "$name" "$src" 2>/dev/null; then
		apt_private
		(cd "$src" && apt-get $(apt_opts) source --download-only -qq "$name=$version")
	fi
	verify "$name" "$src"
	rm -rf "$dest"
	dpkg-source --no-check -x "$src/$(pins_of "$name" | awk '$2 ~ /\.dsc$/ { print $2 }')" \
		"$dest" >/dev/null
	touch "$dest/.verified-$version"
	echo "deps: $name $version verified and unpacked in ${dest#$top/}"
}

case "${1:-}" in
"") install_packages ;;
--source)
	install_packages
	fetch_source "${2:?usage: deps.sh --source NAME}"
	;;
--verify) verify "${2:?usage: deps.sh --verify NAME DIR}" "${3:?usage: deps.sh --verify NAME DIR}" ;;
*)
	echo "usage: tools/deps.sh [--source NAME | --verify NAME DIR]" >&2
	exit 2
	;;
esac
