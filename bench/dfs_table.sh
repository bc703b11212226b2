#!/usr/bin/env bash
# bench/dfs_table.sh - the minimal number of preemptions of each violation
# class, per variant, by exhaustive search:
#
#   bench/dfs_table.sh [BOUND2_CAP_SECONDS]      (default 200)
#
# For each variant, dfs runs the whole space of schedules with at most 0,
# then at most 1 preemption, as CHESS counts them, without reduction
# (explore --strategy dfs --bound K --cost preemptions --por none
# --deepen no --stop none),
# and then bound 2 for at most the cap (the whole bound-2 space is about
# 50 million schedules, under 3 minutes at this machine's speed).  A class
# first seen within bound K, after bound K-1 was exhausted without it,
# needs exactly K preemptions.  Two variants run at a time.  The table
# goes into docs/generated/dfs-preemptions.md (bench/page.sh; DOCS=none
# writes nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command -- bench/dfs_table.sh "$@"
CAP=${1:-200}
. bench/common.sh

run_variant() {
	local v=$1
	for k in 0 1 2; do
		"$OUT"/explore lock_anon_vma --variant "$v" --strategy dfs --bound "$k" \
			--cost preemptions --por none --deepen no \
			--stop none --seconds "$CAP" >"$tmp/$v.$k" || true
	done
}
export -f run_variant
export tmp CAP
printf '%s\n' $variants | xargs -P 2 -I{} bash -c 'run_variant {}'

table() {
	echo "### lock_anon_vma, by exhaustive search"
	echo
	echo "lock_anon_vma: dfs with preemption bound 0, 1, then 2 for at most $CAP s, per variant; two variants at a time."
	echo
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
				if grep -q "seen $c first" "$tmp/$v.$k"; then
					# exactly k only if bound k-1 was searched to the end
					if [ "$k" -gt 0 ] && ! grep -q "within bound $((k - 1))" "$tmp/$v.$((k - 1))"; then
						cell="<= $k"
					else
						cell=$k
					fi
					break
				fi
			done
			if [ -z "$cell" ]; then
				if grep -q "within bound 2" "$tmp/$v.2"; then cell="none within 2"
				elif grep -q "within bound 1" "$tmp/$v.1"; then cell="none within 1 (bound 2 not finished)"
				elif grep -q "within bound 0" "$tmp/$v.0"; then cell="none within 0 (bound 1 not finished)"
				else cell="not searched to the end"; fi
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
}
page_part generated/dfs-preemptions.md "bench/dfs_table.sh" table
