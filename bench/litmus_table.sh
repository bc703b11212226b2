#!/usr/bin/env bash
# bench/litmus_table.sh - the weak memory model against LKMM, as a table:
# for each litmus test (out/replay --list), whether its "exists" outcome
# shows under SCHED_MEMORY=weak and weak-alpha, by dfs over every schedule
# and every store each load may read (preemption bound 64), and how many
# schedules that took.  tests/test_litmus.c checks the same verdicts;
# this is the table for people, in docs/generated/litmus.md (bench/page.sh;
# DOCS=none writes nothing).  Under a second; NOBUILD=1 uses the tools
# in OUT as they are (tests/docs.sh compares the page with a fresh run).
#
#   bench/litmus_table.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command -- bench/litmus_table.sh "$@"
OUT=${OUT:-out}
[ -n "${NOBUILD:-}" ] || ./build.sh tools >/dev/null

# verdict TEST MEMORY: "Sometimes N" or "Never N", N the schedules run
verdict() {
	"$OUT/explore" "litmus/$1" --memory "$2" --strategy dfs --bound 64 \
		--stop none | awk '
		/within bound/ { n = $(NF - 3) }
		/seen litmus-exists/ { seen = 1 }
		END { print (seen ? "Sometimes" : "Never"), n }'
}

table() {
	local name lkmm weak alpha
	echo "| test | LKMM | weak | weak-alpha | schedules (weak) |"
	echo "|---|---|---|---|---:|"
	"$OUT/replay" --list | sed -n 's/^litmus\/\([^ ]*\)  *LKMM: \(.*\)/\1 \2/p' |
	while read -r name lkmm; do
		weak=$(verdict "$name" weak)
		alpha=$(verdict "$name" weak-alpha)
		echo "| $name | $lkmm | ${weak% *} | ${alpha% *} | ${weak#* } |"
	done
}
page_part generated/litmus.md "bench/litmus_table.sh" table
