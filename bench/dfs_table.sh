#!/usr/bin/env bash
# bench/dfs_table.sh - the minimal number of preemptions of each violation
# class, per variant, by exhaustive search:
#
#   bench/dfs_table.sh [BOUND2_CAP_SECONDS]      (default 200)
#
# For each variant, dfs runs the whole space of schedules with at most 0,
# then at most 1 preemption (explore --strategy dfs --bound K --stop none),
# and then bound 2 for at most the cap (the whole bound-2 space is about
# 50 million schedules, under 3 minutes at this machine's speed).  A class
# first seen within bound K, after bound K-1 was exhausted without it,
# needs exactly K preemptions.  Two variants run at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
CAP=${1:-200}
OUT=${OUT:-out}
export OUT
./build.sh >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
variants="v2.6.34 peterz v2.6.36 v2.6.36-rc1 clear-mapping no-rcu serialized"
classes="stale-reused stale-freed stale-unmapped stale-not-current use-after-free lock-mismatch deadlock"

run_variant() {
	local v=$1
	for k in 0 1 2; do
		"$OUT"/explore lock_anon_vma --variant "$v" --strategy dfs --bound "$k" \
			--stop none --seconds "$CAP" >"$tmp/$v.$k" || true
	done
}
export -f run_variant
export tmp CAP
printf '%s\n' $variants | xargs -P 2 -I{} bash -c 'run_variant {}'

printf '| variant |'
for c in $classes; do printf ' %s |' "$c"; done
printf ' schedules at bound 0 / 1 / 2 |\n|---|'
for c in $classes; do printf -- '---:|'; done
printf -- '---|\n'
for v in $variants; do
	printf '| %s |' "$v"
	for c in $classes; do
		cell=""
		for k in 0 1 2; do
			if grep -q "seen $c first" "$tmp/$v.$k"; then cell=$k; break; fi
		done
		if [ -z "$cell" ]; then
			if grep -q "within bound 2" "$tmp/$v.2"; then cell="none within 2"
			else cell="none within 1 (bound 2 not finished)"; fi
		fi
		printf ' %s |' "$cell"
	done
	sched=""
	for k in 0 1 2; do
		n=$(sed -n 's/.*[^0-9]\([0-9][0-9]*\) schedules, .*/\1/p' "$tmp/$v.$k" | head -1)
		grep -q "within bound $k" "$tmp/$v.$k" || n="> $n"
		sched="$sched${sched:+ / }$n"
	done
	printf ' %s |\n' "$sched"
done
