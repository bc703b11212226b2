#!/usr/bin/env bash
# bench/race_table.sh - the data races of the 2010 rmap model, per
# variant, as the plain-C build finds them (docs/plain-c.md):
#
#   bench/race_table.sh [RUNS]      (default 20000)
#
# out/plainc/bench/race_table runs RUNS random and RUNS PCT schedules of
# each variant of lock_anon_vma and rmap_ops (rmap_ops with random
# programs) and lists every distinct pair of racing accesses; the tables
# go into docs/generated/races.md (bench/page.sh; DOCS=none writes
# nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command -- bench/race_table.sh "$@"
RUNS=${1:-20000}
case $RUNS in
''|*[!0-9]*|0) echo "race_table.sh: RUNS takes a number of schedules" >&2; exit 2 ;;
esac
OUT=${OUT:-out}
./build.sh "$OUT/plainc/bench/race_table" >/dev/null
page_part generated/races.md race_table.sh \
	"$OUT/plainc/bench/race_table" "$RUNS" lock_anon_vma rmap_ops
