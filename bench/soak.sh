#!/usr/bin/env bash
# bench/soak.sh - long runs that must not leak: RUNS executions (default
# 5,000,000) of each fuzz target from an empty corpus, as libFuzzer runs
# them, in the ASan+UBSan build (LeakSanitizer checks inputs as it goes
# and at exit) and without sanitizers.  Prints the RSS libFuzzer reports
# at 65,536 runs, at 1, 2 and 4 Mi runs (its status lines come at powers
# of two) and at the end, and any leak report.
#
#   bench/soak.sh [RUNS]
#
# The table goes into docs/generated/soak.md (bench/page.sh; DOCS=none
# writes nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command -- bench/soak.sh "$@"
RUNS=${1:-5000000}
. bench/common.sh
./build.sh bench >/dev/null

soak() {	# soak TARGET BUILD BINARY
	local d="$tmp/$1-$2" rc=0
	mkdir -p "$d/corpus"
	SCHED_STOP=none "$3" -seed=1 -runs="$RUNS" "$d/corpus" >"$d/log" 2>&1 || rc=$?
	local rss=() n end secs leaks
	for n in 65536 1048576 2097152 4194304; do
		rss+=("$(awk -F'\t' -v want="$n" '/^#[0-9]+\t/ { n = substr($1, 2) + 0 }
			n >= want && match($0, /rss: [0-9]+Mb/) {
				print substr($0, RSTART + 5, RLENGTH - 5); exit }' "$d/log")")
	done
	end=$(sed -n 's/^#[0-9]*\tDONE .* rss: \([0-9]*Mb\).*/\1/p' "$d/log" | tail -1)
	secs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$d/log")
	leaks=$(grep -c 'ERROR: LeakSanitizer' "$d/log" || true)
	echo "| $1 | $2 | $RUNS | ${secs:-?} | ${rss[0]:-?} | ${rss[1]:-?} | ${rss[2]:-?} | ${rss[3]:-?} | ${end:-?} | $leaks | $rc |"
}
export -f soak
export tmp RUNS

table() {
	echo "$RUNS executions of each target from an empty corpus, \`SCHED_STOP=none\`; RSS as libFuzzer's status lines report it."
	echo
	echo "| target | build | runs | seconds | RSS at 64 Ki runs | 1 Mi | 2 Mi | 4 Mi | at the end | leak reports | exit |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	{
		echo "lock_anon_vma ASan+UBSan+LSan $OUT/fuzz_lock_anon_vma"
		echo "rmap_ops ASan+UBSan+LSan $OUT/fuzz_rmap_ops"
		echo "lock_anon_vma none $OUT/bench/fuzz_lock_anon_vma_nosan"
		echo "rmap_ops none $OUT/bench/fuzz_rmap_ops_nosan"
	} | xargs -P 2 -L 1 bash -c 'soak "$0" "$1" "$2"' | sort
}
page_part generated/soak.md "bench/soak.sh" table
