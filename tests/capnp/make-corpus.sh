#!/usr/bin/env bash
# make-corpus.sh OUTDIR — encode every messages/NAME.TYPE.txt with the
# reference capnp tool into OUTDIR/NAME.TYPE.bin, plus re-framed copies with
# small segments (NAME.TYPE.segN.bin) so far and double-far pointers appear.
# Large messages get only a 512-word variant: capnp refuses >512 segments.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out"
for f in "$here"/messages/*.txt; do
	base=$(basename "$f" .txt)
	type=${base##*.}
	capnp convert text:binary "$here/conformance.capnp" "$type" <"$f" >"$out/$base.bin"
	case $base in
	*large*) sizes="512" ;;
	*) sizes="1 2 8" ;;
	esac
	for n in $sizes; do
		capnp convert --segment-size="$n" binary:binary <"$out/$base.bin" >"$out/$base.seg$n.bin"
	done
done
