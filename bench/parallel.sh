#!/usr/bin/env bash
# bench/parallel.sh - what libFuzzer's -fork=N buys on this machine:
# executions in SECONDS (default 60) from an empty corpus, one process
# against -fork=2, for each target (ASan+UBSan, as users run it), median
# of 3 runs each.
#
#   bench/parallel.sh [SECONDS]
#
# The table goes into docs/generated/parallel.md (bench/page.sh; DOCS=none
# writes nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command -- bench/parallel.sh "$@"
SECONDS_PER_RUN=${1:-60}
. bench/common.sh

# runs TARGET FORK SEED: executions in the time, from libFuzzer's log
runs() {
	local d="$tmp/$1-$2-$3" fork=()
	mkdir -p "$d/c"
	[ "$2" -gt 1 ] && fork=(-fork="$2")
	(cd "$d" && SCHED_STOP=none "$OLDPWD/$OUT/fuzz_$1" "${fork[@]}" -seed="$3" \
		-max_total_time="$SECONDS_PER_RUN" c >log 2>&1) || true
	if [ "$2" -gt 1 ]; then	# fork mode: "#TOTAL: cov: ..." lines
		sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$d/log" | tail -1
	else
		sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$d/log"
	fi
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

table() {
	echo "Executions in $SECONDS_PER_RUN s from an empty corpus, ASan+UBSan targets, \`SCHED_STOP=none\`, median of 3 seeds each."
	echo
	echo "| target | processes | executions in ${SECONDS_PER_RUN} s (median of 3) | speed-up |"
	echo "|---|---:|---:|---:|"
	for t in lock_anon_vma rmap_ops; do
		one=$(for s in 1 2 3; do runs "$t" 1 "$s"; done | median)
		two=$(for s in 1 2 3; do runs "$t" 2 "$s"; done | median)
		echo "| $t | 1 | $one | 1.00 |"
		echo "| $t | -fork=2 | $two | $(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", b / a }') |"
	done
}
page_part generated/parallel.md "bench/parallel.sh" table
