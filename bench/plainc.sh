#!/usr/bin/env bash
# bench/plainc.sh - what the plain-C mode costs (docs/plain-c.md):
#
#   bench/plainc.sh [SECONDS_PER_CELL]      (default 0.5; about a minute)
#
# out/bench/plainc: ns per scheduling point of two CPUs adding to a
# shared counter with the shims and in plain C, with the race checker on
# and off, and of lock_anon_vma with the shims; then the cost of a plain
# access that the callbacks filter out (the stack).  out/plainc/bench/
# plainc: lock_anon_vma with the rmap model as plain C.  The tables go
# into docs/generated/plain-c-cost.md (bench/page.sh; DOCS=none writes
# nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command -- bench/plainc.sh "$@"
SECONDS_PER_CELL=${1:-0.5}
OUT=${OUT:-out}
./build.sh "$OUT/bench/plainc" "$OUT/plainc/bench/plainc" >/dev/null
costs() {
	local t
	t=$(mktemp)
	"$OUT/bench/plainc" "$SECONDS_PER_CELL" >"$t"
	echo "Each cell the median of five runs of $SECONDS_PER_CELL s, no sanitizers, the fiber backend, memory sc."
	echo
	sed '/^$/,$d' "$t"
	"$OUT/plainc/bench/plainc" --lock-only "$SECONDS_PER_CELL"
	echo
	sed -n '/^A plain access/p' "$t"
	rm -f "$t"
}
page_part generated/plain-c-cost.md plainc.sh costs
