#!/usr/bin/env bash
# bench/findings.sh - the findings table of README.md, measured:
#
#   bench/findings.sh [BUDGET_SECONDS] [SEED]     (default 600 s, seed 1)
#
# For every variant, one run of the fuzz target as users run it
# (out/fuzz_lock_anon_vma, ASan+UBSan) from an empty corpus:
#   RMAP_VARIANT=V SCHED_STOP=none SCHED_FINDINGS=DIR \
#     out/fuzz_lock_anon_vma -seed=SEED -max_total_time=BUDGET EMPTY_DIR
# SCHED_STOP=none keeps it going after a find, and SCHED_FINDINGS logs the
# first input of each class with the time it took.  Two variants run at a
# time (2 cores): seven variants take about 4 x BUDGET.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${1:-600}
SEED=${2:-1}
. bench/common.sh

run_variant() {
	local v=$1 d="$tmp/$1"
	mkdir -p "$d/corpus" "$d/findings"
	RMAP_VARIANT=$v SCHED_STOP=none SCHED_FINDINGS="$d/findings" \
		"$OUT"/fuzz_lock_anon_vma -seed="$SEED" -max_total_time="$BUDGET" \
		-artifact_prefix="$d/" "$d/corpus" >"$d/log" 2>&1 || true
}
export -f run_variant
export tmp BUDGET SEED
printf '%s\n' $variants | xargs -P 2 -I{} bash -c 'run_variant {}'

echo "Budget $BUDGET s per variant, -seed=$SEED, empty corpus."
echo
echo "| variant | found (time to first find, runs) | not found in $BUDGET s | runs |"
echo "|---|---|---|---:|"
for v in $variants; do
	log="$tmp/$v/log"
	found=$(sed -n 's/^schedfuzz: first \([a-z-]*\) on .* after \([0-9.]*\) s, \([0-9]*\) runs$/\1 (\2 s, \3)/p' "$log" |
		paste -sd';' - | sed 's/;/; /g')
	missing=""
	for c in $classes; do
		grep -q "^schedfuzz: first $c on" "$log" || missing="$missing${missing:+, }$c"
	done
	runs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' "$log" | tail -1)
	echo "| $v | ${found:-none} | ${missing:-none} | ${runs:-?} |"
done
