#!/usr/bin/env bash
# bench/search.sh - systematic search as a user meets it (about 10 minutes
# here):
#
#   bench/search.sh [BOUND] [CAP_SECONDS] [DPOR_CAP_SECONDS]
#                   (default 3, 60 and 300)
#
# 1. lock_anon_vma, every variant: explore --strategy dfs --stop none with
#    its defaults (iterative deepening over delays 0, 1, ... BOUND, sleep
#    sets): the least bound each class shows within, schedules, seconds.
# 2. reorder16 (one delay among 16 CPUs): dfs's defaults against the
#    preemption bound 1 without reduction (CHESS's), and random.
# 3. dpor on serialized and v2.6.34 (noise 0): every execution up to
#    commuting independent steps, or how far it got in DPOR_CAP seconds.
# 4. The minimizer on random crashes of the mail's race (stale-reused on
#    v2.6.34, seed 1) at SCHED_NOISE 2, 4, 8: preemptions before and
#    after, seconds.
# 5. --jobs 2 against --jobs 1, the same command, median of 3 runs each:
#    random for 400000 schedules, and dfs over serialized to bound 3.
# The tables go into docs/generated/search.md (bench/page.sh; DOCS=none
# writes nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command -- bench/search.sh "$@"
BOUND=${1:-3}
CAP=${2:-60}
DPOR_CAP=${3:-300}
. bench/common.sh
X="$OUT/explore"

secs() { sed -n 's/.*, \([0-9.]*\) s.*/\1/p' | head -1; }

deepening() {
	echo "### Iterative deepening: the least delay bound of each class"
	echo
	echo "lock_anon_vma, noise 0: \`explore --strategy dfs --bound $BOUND --stop none\` (delays, sleep sets, bound 0, 1, ... $BOUND), at most $CAP s per variant."
	echo
	printf '| variant |'
	for c in $classes; do printf ' %s |' "$c"; done
	printf ' schedules | s | searched |\n|---|'
	for c in $classes; do printf -- '---:|'; done
	printf -- '---:|---:|---|\n'
	for v in $variants; do
		"$X" lock_anon_vma --variant "$v" --strategy dfs --bound "$BOUND" \
			--stop none --seconds "$CAP" -o "$tmp/d" >"$tmp/$v" || true
		printf '| %s |' "$v"
		for c in $classes; do
			b=$(sed -n "s/^explore: seen $c first at schedule [0-9]*, bound \([0-9]*\),.*/\1/p" "$tmp/$v")
			printf ' %s |' "${b:--}"
		done
		line=$(grep -E '^explore: (every schedule run|no violation)' "$tmp/$v" | head -1)
		n=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) schedules.*/\1/p')
		if echo "$line" | grep -q "within bound"; then
			done="all within $BOUND"
		else
			done="cut at $CAP s"
		fi
		printf ' %s | %s | %s |\n' "$n" "$(echo "$line" | secs)" "$done"
	done
	echo
	echo "A number is the least bound within which the class showed: a delay is any choice but the deterministic scheduler's, so it is at least the schedule's preemptions."
}

reorder() {
	echo "### reorder16: one delay among 16 CPUs"
	echo
	echo "| search | result | schedules | s |"
	echo "|---|---|---:|---:|"
	for args in "--strategy dfs" \
		    "--strategy dfs --cost preemptions --por none --deepen no --bound 1" \
		    "--strategy random --seed 1"; do
		line=$("$X" reorder16 $args --seconds 20 -o "$tmp/r" | head -1 || true)
		n=$(echo "$line" | sed -n 's/.* after \([0-9]*\) schedules.*/\1/p;s/.* in \([0-9]*\) schedules.*/\1/p')
		case $line in
		*" after "*) what="found${line##*)}" ;;
		*) what="not found in 20 s" ;;
		esac
		printf '| `%s` | %s | %s | %s |\n' "$args" "$what" "$n" "$(echo "$line" | secs)"
	done
}

dpor() {
	echo "### DPOR (source-DPOR with sleep sets), no bound"
	echo
	echo "lock_anon_vma, noise 0, \`explore --strategy dpor --stop none\`, at most $DPOR_CAP s."
	echo
	echo "| variant | result | executions | s | classes seen |"
	echo "|---|---|---:|---:|---|"
	for v in serialized v2.6.34; do
		"$X" lock_anon_vma --variant "$v" --strategy dpor --stop none \
			--seconds "$DPOR_CAP" -o "$tmp/p" >"$tmp/dpor-$v" 2>/dev/null || true
		line=$(grep -E '^explore: (every execution|no violation)' "$tmp/dpor-$v" | head -1)
		n=$(echo "$line" | sed -n 's/.*[^0-9]\([0-9][0-9]*\) \(executions\|schedules\).*/\1/p')
		seen=$(sed -n 's/^explore: seen \([a-z-]*\) first.*/\1/p' "$tmp/dpor-$v" | tr '\n' ' ')
		case $line in
		*"every execution"*) what="every execution run" ;;
		*) what="not finished in $DPOR_CAP s" ;;
		esac
		printf '| %s | %s | %s | %s | %s |\n' "$v" "$what" "$n" \
			"$(echo "$line" | secs)" "${seen:-none}"
	done
}

minimizer() {
	echo "### The minimizer on noisy crashes of the mail's race"
	echo
	echo "A random crash (\`explore --strategy random --seed 1 --stop stale-reused\`, v2.6.34), then \`replay --minimize\`."
	echo
	echo "| noise | steps before | preemptions before | preemptions after | runs after | minimize s |"
	echo "|---:|---:|---:|---:|---:|---:|"
	for N in 2 4 8; do
		"$X" lock_anon_vma --noise "$N" --strategy random --seed 1 \
			--stop stale-reused -o "$tmp/n$N.bin" >/dev/null 2>&1 || true
		t0=$(date +%s.%N)
		line=$("$OUT"/replay --minimize -o "$tmp/n$N-min.txt" "$tmp/n$N.bin.txt" 2>&1 | grep '^minimized' || true)
		t1=$(date +%s.%N)
		echo "$line" | sed -n "s/.*: \([0-9]*\) steps, \([0-9]*\) preemptions -> [0-9]* steps, \([0-9]*\) preemptions, \([0-9]*\) runs.*/| $N | \1 | \2 | \3 | \4 | $(echo "$t1 - $t0" | bc | xargs printf '%.2f') |/p"
	done
}

median3() { sort -n | sed -n 2p; }

jobs() {
	echo "### --jobs 2 against --jobs 1"
	echo
	echo "Wall seconds, median of 3 runs each, on a machine of $(nproc) cores shared with other work (load average at the start: $(cut -d' ' -f1 /proc/loadavg))."
	echo
	echo "| command | --jobs 1 s | --jobs 2 s | speed-up |"
	echo "|---|---:|---:|---:|"
	for args in "lock_anon_vma --strategy random --seed 1 --stop none --runs 400000" \
		    "lock_anon_vma --variant serialized --strategy dfs --bound 3 --stop none"; do
		for j in 1 2; do
			for r in 1 2 3; do
				t0=$(date +%s.%N)
				"$X" $args --jobs "$j" -o "$tmp/j" >/dev/null 2>&1 || true
				t1=$(date +%s.%N)
				echo "$t1 - $t0" | bc
			done | median3 >"$tmp/t$j"
		done
		printf '| `explore %s` | %.2f | %.2f | %.2f |\n' "$args" "$(cat "$tmp/t1")" \
			"$(cat "$tmp/t2")" "$(echo "$(cat "$tmp/t1") / $(cat "$tmp/t2")" | bc -l)"
	done
}

all() {
	echo "## Systematic search"
	echo
	deepening
	echo
	reorder
	echo
	dpor
	echo
	minimizer
	echo
	jobs
}
page_part generated/search.md "bench/search.sh" all
