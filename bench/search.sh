#!/usr/bin/env bash
# bench/search.sh - systematic search as a user meets it (about 30 minutes
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
# 3. dpor (noise 0) on every variant with only the CPU order branching,
#    and on serialized and v2.6.34 with every choice: every execution up
#    to commuting independent steps, or how far it got in DPOR_CAP
#    seconds.
# 4. The minimizer on random crashes of the mail's race (stale-reused on
#    v2.6.34, seed 1) at SCHED_NOISE 2, 4, 8: preemptions before and
#    after, seconds.
# 5. --jobs 2 against --jobs 1, the same command, five runs of each taking
#    turns, the median of wall and CPU seconds: random and pct for 400000
#    schedules each, dfs by preemptions to bound 1 without reduction, and dfs's
#    defaults over serialized to bound 5.
# PARTS="deepening reorder dpor minimizer jobs" (the default) picks the
# parts.  Each part's table goes into docs/generated/search.md, in place
# of that part's block (bench/page.sh; DOCS=none writes nothing), after
# the machine's load average when it started: the machine is shared, and
# every time here is wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command PARTS -- bench/search.sh "$@"
BOUND=${1:-3}
CAP=${2:-60}
DPOR_CAP=${3:-300}
PARTS=${PARTS:-deepening reorder dpor minimizer jobs}
. bench/common.sh
X="$OUT/explore"

# From explore's first line: the seconds ("N schedules, S s"), the
# schedules or executions (the first count before a comma: not the rate
# in parentheses), the bound of a find or of where it stopped.
secs() { grep -o '[0-9.]* s\b' | head -1 | cut -d' ' -f1; }
count() { grep -o '[0-9][0-9]* \(schedules\|executions\),' | head -1 | cut -d' ' -f1; }
bound() { grep -o ', bound [0-9]*' | head -1 | grep -o '[0-9]*$' || true; }

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
			--stop none --seconds "$CAP" -o "$tmp/d" >"$tmp/$v" 2>/dev/null || true
		printf '| %s |' "$v"
		for c in $classes; do
			b=$(sed -n "s/^explore: seen $c first at schedule [0-9]*, bound \([0-9]*\),.*/\1/p" "$tmp/$v")
			printf ' %s |' "${b:--}"
		done
		line=$(grep -E '^explore: (every schedule run|no violation|stopped at)' "$tmp/$v" | head -1)
		case $line in
		*"within bound"*) done="all within $BOUND" ;;
		*) done="bounds below $(echo "$line" | bound) all, then cut at $CAP s" ;;
		esac
		printf ' %s | %s | %s |\n' "$(echo "$line" | count)" "$(echo "$line" | secs)" "$done"
	done
	echo
	echo "A number is the least bound within which the class showed: a delay is any choice but the deterministic scheduler's, so it is at least the schedule's preemptions. Deepening runs each bound to its end before the next, so a class first seen within bound K does not show within K-1. \`-\`: not seen within the bounds searched."
}

reorder() {
	echo "### reorder16: one delay among 16 CPUs"
	echo
	echo "scenarios/reorder16.c: 16 CPUs, a bug that needs one preemption; \`explore reorder16 ARGS --seconds 20\`."
	echo
	echo "| search | result | schedules | s |"
	echo "|---|---|---:|---:|"
	for args in "--strategy dfs" \
		    "--strategy dfs --cost preemptions --por none --deepen no --bound 1" \
		    "--strategy random --seed 1"; do
		line=$("$X" reorder16 $args --seconds 20 -o "$tmp/r" 2>/dev/null | head -1 || true)
		case $line in
		*" after "*) what="found ${line#explore: }"; what="${what%% after *}$(echo "$line" | grep -o ', bound [0-9]*' || true)" ;;
		*) what="not found in 20 s" ;;
		esac
		printf '| `%s` | %s | %s | %s |\n' "$args" "$what" "$(echo "$line" | count)" "$(echo "$line" | secs)"
	done
}

dpor() {
	echo "### DPOR (source-DPOR with sleep sets), no bound"
	echo
	echo "lock_anon_vma, noise 0, \`explore --strategy dpor --choices C --stop none\`, at most $DPOR_CAP s. Choices cpu: only the CPU order branches, the allocator keeps to its deterministic choice (the lowest free object, keep the slab page); all: every allocator and release choice too. Executions: those run to their end, one per class of interleavings equivalent up to commuting independent steps; ended early: executions the sleep sets cut, because what followed had been run."
	echo
	echo "| variant | choices | result | executions | ended early | s | classes seen |"
	echo "|---|---|---|---:|---:|---:|---|"
	for run in $(printf '%s:cpu ' $variants) serialized:all v2.6.34:all; do
		IFS=: read -r v choices <<<"$run"
		"$X" lock_anon_vma --variant "$v" --strategy dpor --choices "$choices" \
			--stop none --seconds "$DPOR_CAP" -o "$tmp/p" >"$tmp/dpor" 2>/dev/null || true
		line=$(grep -E '^explore: (every execution|no violation|stopped at)' "$tmp/dpor" | head -1)
		cut=$(echo "$line" | grep -o '([0-9]* ended early' | grep -o '[0-9][0-9]*' || echo 0)
		seen=$(sed -n 's/^explore: seen \([a-z-]*\) first.*/\1/p' "$tmp/dpor" | tr '\n' ' ')
		case $line in	# "every execution run" counts complete ones
		*"every execution"*) what="every execution run"; n=$(echo "$line" | count) ;;
		*) what="not finished in $DPOR_CAP s"; n=$(( $(echo "$line" | count) - cut )) ;;
		esac
		printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$v" "$choices" "$what" "$n" \
			"$cut" "$(echo "$line" | secs)" "${seen:-none}"
	done
}

minimizer() {
	echo "### The minimizer on noisy crashes of the mail's race"
	echo
	echo "A random crash (\`explore --strategy random --seed 1 --stop stale-reused\`, v2.6.34), then \`replay --minimize\` on its text schedule."
	echo
	echo "| noise | steps before | preemptions before | preemptions after | runs after | minimize s |"
	echo "|---:|---:|---:|---:|---:|---:|"
	for N in 2 4 8; do
		"$X" lock_anon_vma --noise "$N" --strategy random --seed 1 \
			--stop stale-reused -o "$tmp/n$N.bin" >/dev/null 2>&1 || true
		t0=$(date +%s.%N)
		line=$("$OUT"/replay --minimize -o "$tmp/n$N-min.txt" "$tmp/n$N.bin.txt" 2>/dev/null | grep '^minimized' || true)
		t1=$(date +%s.%N)
		echo "$line" | sed -n "s/.*: \([0-9]*\) steps, \([0-9]*\) preemptions -> [0-9]* steps, \([0-9]*\) preemptions, \([0-9]*\) runs.*/| $N | \1 | \2 | \3 | \4 | $(echo "$t1 - $t0" | bc | xargs printf '%.2f') |/p"
	done
}

jobs() {
	local runs=5
	echo "### --jobs 2 against --jobs 1"
	echo
	echo "The same command with --jobs 1 and --jobs 2, $runs runs of each taking turns: the median wall seconds, and the median CPU seconds (user and system, of all the command's processes), which say what splitting the work costs whether or not a second core was free; the speed-up is the median of the runs' wall ratios."
	echo
	echo "| command | --jobs 1 s | --jobs 2 s | speed-up | --jobs 1 CPU s | --jobs 2 CPU s |"
	echo "|---|---:|---:|---:|---:|---:|"
	for args in "lock_anon_vma --strategy random --seed 1 --stop none --runs 400000" \
		    "lock_anon_vma --strategy pct --seed 1 --stop none --runs 400000" \
		    "lock_anon_vma --strategy dfs --bound 1 --cost preemptions --por none --deepen no --stop none" \
		    "lock_anon_vma --variant serialized --strategy dfs --bound 5 --stop none"; do
		: >"$tmp/t"
		for r in $(seq "$runs"); do
			for j in 1 2; do
				/usr/bin/time -f '%e %U %S' -o "$tmp/one" \
					"$X" $args --jobs "$j" -o "$tmp/j" >/dev/null 2>&1 || true
				printf '%s ' $(cat "$tmp/one") >>"$tmp/t"
			done
			echo >>"$tmp/t"
		done
		awk 'function med(v,   n, i, j, t) { n = NR
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			return v[int((n + 1) / 2)] }
		     { w1[NR] = $1; c1[NR] = $2 + $3; w2[NR] = $4; c2[NR] = $5 + $6
		       r[NR] = $1 / ($4 > 0 ? $4 : 0.001) }
		     END { printf "| `explore %s` | %.2f | %.2f | %.2f | %.2f | %.2f |\n",
			   args, med(w1), med(w2), med(r), med(c1), med(c2) }' \
			args="$args" "$tmp/t"
	done
}

# headed PART: the part's output, the load it started under after its
# heading.
headed() {
	local load
	load="Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg), on $(nproc) cores shared with other work; every time is wall time."
	"$1" | awk -v load="$load" '{ print } NR == 2 { print load; print "" }'
}

part() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

for p in deepening reorder dpor minimizer jobs; do
	part "$p" || continue
	page_part generated/search.md "bench/search.sh $p" headed "$p"
done
