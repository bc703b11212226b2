#!/usr/bin/env bash
# bench/pictures.sh - the pictures of docs/picture.md, made again: the SVG
# of the mail's race, of an rmap_ops crash and of a weak-memory NULL root
# (out/replay --svg), each as a PNG by headless Chromium, in docs/img/.
# About 5 seconds.  (tests/docs.sh checks the page's text views.)
#
#   bench/pictures.sh		needs out/replay (./build.sh tools) and
#				chromium (apt-get install chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-out}
browser=$(command -v chromium || command -v chromium-browser ||
	  command -v google-chrome) || {
	echo "pictures.sh: no Chromium (apt-get install chromium)" >&2
	exit 2
}
[ -x "$OUT/replay" ] || ./build.sh tools >/dev/null
mkdir -p docs/img

# png SVG PNG: the picture at its own size, as the docs show it.
png() {
	local size profile
	size=$(sed -n "s/^<svg .* width='\([0-9]*\)' height='\([0-9]*\)'.*/\1,\2/p" "$1")
	profile=$(mktemp -d)
	"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$profile" \
		--window-size="$size" --screenshot="$2" "file://$PWD/$1" \
		>/dev/null 2>&1
	rm -rf "$profile"
	[ -s "$2" ] || { echo "pictures.sh: no $2" >&2; exit 1; }
	echo "$2 ($size)"
}

# picture NAME REPLAY-ARGS...: docs/img/NAME.svg and .png.
picture() {
	local name=$1
	shift
	"$OUT/replay" --quiet --svg "docs/img/$name.svg" "$@" >/dev/null || [ $? -eq 1 ]
	png "docs/img/$name.svg" "docs/img/$name.png"
}

picture mail-race lock_anon_vma corpus/lock_anon_vma/mail-race
picture ea90002b-child-swaps-in-first --variant 646d87b4 rmap_ops \
	corpus/rmap_ops/ea90002b-child-swaps-in-first
picture weak-alpha-null-root --memory weak-alpha --variant v2.6.36 \
	lock_anon_vma tests/data/v2.6.36-root-without-read-barrier-depends.bin
