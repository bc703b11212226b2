#!/usr/bin/env bash
# bench/cost.sh - what each part of the engine costs per scheduling point,
# in instructions (a few minutes here):
#
#   bench/cost.sh [EXECUTIONS]      (default 2000)
#
# Runs lock_anon_vma (v2.6.34, noise 0, fiber, sc) under valgrind's
# callgrind, which counts instructions: the load of other work on the
# machine does not change them.  EXECUTIONS each of the baseline (the
# model's code without the engine), the no-switch floor, random
# schedules, and the floor with the fuzz targets' default schedule
# coverage (lock,alloc).  The build is out/cost: no link-time
# optimization (callgrind needs the functions apart) and DWARF 4 (what
# this valgrind reads), so its totals are above the LTO build's; the
# shares are what to read.  Each function's own instructions go to the
# part its file is (the table's first column names them).  The table goes
# into docs/benchmark.md (bench/page.sh; DOCS=none writes nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command -- bench/cost.sh "$@"
N=${1:-2000}
command -v valgrind >/dev/null || { echo "bench/cost.sh: valgrind not found: apt-get install valgrind" >&2; exit 2; }
O=${OUT:-out}/cost
make --no-print-directory -s OUT="$O" LTO_CC= \
	COMMON="-std=gnu11 -gdwarf-4 -pthread -MMD -MP" "$O/bench/throughput" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# counted OUT KIND RUNS FEATURES: "file:function instructions" lines of
# RUNS executions in OUT.fn, their points in OUT.points
counted() {
	valgrind --tool=callgrind --callgrind-out-file="$1.cg" \
		"$O/bench/throughput" --runs "$2" "$3" "$4" 2>/dev/null |
		sed -n 's/ points$//p' >"$1.points"
	callgrind_annotate --inclusive=no --auto=no --threshold=100 "$1.cg" |
		grep -v 'PROGRAM TOTALS' |
		sed -n 's/^ *\([0-9,]*\) ([ 0-9.%]*)  \(.*\)$/\2\t\1/p' | tr -d , \
		>"$1.fn"
}

# profile NAME KIND [FEATURES]: per function, the instructions of the
# last 9/10 of N executions (N less N/10: what the process does once,
# loading and the registries, cancels out), in $tmp/NAME.fn; their points
# in $tmp/NAME.points
profile() {
	counted "$tmp/$1-all" "$2" "$N" "${3:-none}"
	counted "$tmp/$1-first" "$2" $((N / 10)) "${3:-none}"
	echo $(( $(cat "$tmp/$1-all.points") - $(cat "$tmp/$1-first.points") )) >"$tmp/$1.points"
	awk -F'\t' 'FNR == NR { first[$1] = $2; next } { print $1 "\t" $2 - first[$1] }' \
		"$tmp/$1-first.fn" "$tmp/$1-all.fn" >"$tmp/$1.fn"
}

# The part of schedfuzz each "FILE:FUNCTION [BINARY]<tab>instructions"
# line belongs to, by its file (paths are relative to the repository's
# root); a line of a header goes where the function it was inlined into
# lives.  Prints "part<tab>instructions per point".
parts() {
	awk -F'\t' -v points="$1" '
	function part(f) {
		if (f ~ /^rmap\/(oracle|classes)/) return "oracle"
		if (f ~ /^(rmap\/|scenarios\/lock_anon_vma|scenarios\/noise)/) return "model"
		if (f ~ /^(sched\/plain\/|bench\/baseline)/) return "plain"
		if (f ~ /^sched\/trace\.c/) return "trace"
		if (f ~ /^sched\/coverage/) return "coverage"
		if (f ~ /^sched\/(engine|decisions|strategy_)/) return "decisions"
		if (f ~ /^sched\/backend_fiber|fiber_switch/) return "switches"
		if (f ~ /^sched\/(memory|access)/) return "memory"
		if (f ~ /^sched\/(lock|slab|rcu|weak|seqcount)/) return "primitives"
		if (f ~ /^(scenarios|fuzz|bench)\//) return "tool"
		return "libc"
	}
	{ sub(/ \[.*/, "", $1); file = $1; fn = $1; sub(/:.*/, "", file); sub(/^[^:]*:/, "", fn)
	  n++; f[n] = $1; ir[n] = $2; fnname[n] = fn
	  if (file !~ /\.h$/) home[fn] = part($1) }
	END {
		for (i = 1; i <= n; i++) {
			p = part(f[i])
			if (f[i] ~ /\.h:/ && (fnname[i] in home)) p = home[fnname[i]]
			s[p] += ir[i]; t += ir[i]
		}
		for (k in s) printf "%s\t%.1f\n", k, s[k] / points
		printf "total\t%.1f\n", t / points
	}'
}

for run in baseline:baseline floor:floor random:random coverage:floor:lock,alloc; do
	IFS=: read -r name kind features <<<"$run"
	profile "$name" "$kind" "$features"
	parts "$(cat "$tmp/$name.points")" <"$tmp/$name.fn" >"$tmp/$name.parts"
done

row() {	# row PART LABEL
	printf '| %s |' "$2"
	for name in baseline floor random coverage; do
		printf ' %s |' "$(awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$tmp/$name.parts" | grep . || echo -)"
	done
	echo
}

table() {
	echo "## What each part costs (instructions per scheduling point)"
	echo
	echo "lock_anon_vma v2.6.34, noise 0, fiber, sc; the last $((N - N / 10)) of $N executions of each (so that what the process does once does not count), counted by callgrind in a build without LTO (its totals are above the LTO tools', the parts' shares are what to read). A function's own instructions count for the part its file belongs to (a header's, for the function it was inlined into); \`-\`: none."
	echo
	echo "| part | baseline | no-switch floor | random | floor with coverage (lock,alloc) |"
	echo "|---|---:|---:|---:|---:|"
	row model "the model (rmap/, lock_anon_vma.c, noise.c)"
	row plain "the baseline's plain shims (sched/plain/)"
	row oracle "oracle checks (rmap/oracle*.c)"
	row trace "trace recording (sched/trace.c)"
	row decisions "points and decisions: the run queue, sched_decide, the source (engine.c, engine.h, decisions.c, strategy_*.c)"
	row switches "CPU switches (backend_fiber.c)"
	row memory "shared memory: access checks, arena, objects (memory.c, access.h)"
	row primitives "primitives: locks, lists, slab, RCU, weak-memory hooks (lock.c, slab.c, rcu.c, weak.c)"
	row coverage "schedule coverage (coverage.c)"
	row tool "the tool around (fuzz/, scenario.c, bench/)"
	row libc "libc (memset of new objects, printf of reports)"
	row total "**total**"
}
page_part benchmark.md "bench/cost.sh" table
