#!/usr/bin/env bash
# bench/findings.sh - the findings tables of docs/findings.md, measured:
#
#   bench/findings.sh [BUDGET_SECONDS] [SEED]          lock_anon_vma
#   TARGET=rmap_ops SEEDS=5 SHORT=45 bench/findings.sh [BUDGET_SECONDS]
#
# For every variant, runs of the fuzz target as users run it
# (out/fuzz_TARGET, ASan+UBSan) from an empty corpus:
#   RMAP_VARIANT=V SCHED_STOP=none SCHED_FINDINGS=DIR \
#     out/fuzz_TARGET -seed=S -max_total_time=T EMPTY_DIR
# SCHED_STOP=none keeps it going after a find, and SCHED_FINDINGS logs the
# first input of each class with the time it took.  Seed SEED runs the
# whole BUDGET (default 600 s): a class it does not find is "not found in
# BUDGET s".  With SEEDS=N > 1, seeds SEED+1 .. SEED+N-1 run SHORT seconds
# each (default 45), and a found class shows the median time to first find
# over the N seeds (a seed that did not find it counts as never) and how
# many found it.  VARIANTS="..." runs only those; SCHED_MEMORY=weak or
# weak-alpha runs the weak memory columns, MEMORIES="weak weak-alpha" both
# (a table each, all runs in one pool).  JOBS runs at a time (default 2,
# one per core here).  FROM=DIR prints the tables again from the logs of an
# earlier run kept in DIR (its MEMORY/VARIANT/SEED/log files), running
# nothing.
#
# BUILD=plainc runs the plain-C build of the rmap model
# (out/plainc/fuzz_TARGET: its plain accesses interposed, data races
# checked; docs/plain-c.md) and adds the class data-race.
#
# Each table (one per memory model) goes into
# docs/generated/findings-TARGET.md, in place of the previous run's table
# of the same memory model, seeds, VARIANTS and BUILD (bench/page.sh;
# DOCS=none writes nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command TARGET SEEDS SHORT VARIANTS MEMORIES SCHED_MEMORY JOBS FROM BUILD \
	-- bench/findings.sh "$@"
BUDGET=${1:-600}
SEED=${2:-1}
TARGET=${TARGET:-lock_anon_vma}
SEEDS=${SEEDS:-1}
SHORT=${SHORT:-45}
. bench/common.sh
if [ "$TARGET" = rmap_ops ]; then
	variants=$rmap_ops_variants
	classes=$rmap_ops_classes
fi
variants=${VARIANTS:-$variants}
case ${BUILD:-} in
'') ;;
plainc) classes="$classes data-race" ;;
*) echo "findings.sh: BUILD takes plainc or nothing" >&2; exit 2 ;;
esac
fuzz=$OUT/${BUILD:+$BUILD/}fuzz_$TARGET

memories=${MEMORIES:-${SCHED_MEMORY:-sc}}

logs=${FROM:-$tmp}

run_one() {	# run_one MEMORY VARIANT SEED
	local m=$1 v=$2 s=$3 d="$logs/$1/$2/$3" t=$BUDGET
	[ "$s" = "$SEED" ] || t=$SHORT
	mkdir -p "$d/corpus" "$d/findings"
	SCHED_MEMORY=$m RMAP_VARIANT=$v SCHED_STOP=none SCHED_FINDINGS="$d/findings" \
		"$fuzz" -seed="$s" -max_total_time="$t" \
		-artifact_prefix="$d/" "$d/corpus" >"$d/log" 2>&1 || true
}
export -f run_one
JOBS=${JOBS:-2}
export logs BUDGET SEED SHORT TARGET OUT fuzz
[ -n "${FROM:-}" ] || for m in $memories; do
	for v in $variants; do
		for s in $(seq "$SEED" $((SEED + SEEDS - 1))); do
			echo "$m $v $s"
		done
	done
done | xargs -P "$JOBS" -L 1 bash -c 'run_one $0 $1 $2'

# first CLASS LOG: "seconds runs" of the first find, or nothing
first() {
	sed -n "s/^schedfuzz: first $1 on .* after \([0-9.]*\) s, \([0-9]*\) runs$/\1 \2/p" "$2"
}

# table MEMORY: the table of one memory model, from the logs
table() {
	local m=$1 long found missing c f times k med runs
	echo "### $TARGET, memory $m${VARIANTS:+ ($VARIANTS)}${BUILD:+, the rmap model as plain C (out/plainc/)}"
	echo
	echo "Budget $BUDGET s per variant (-seed=$SEED)$( [ "$SEEDS" -gt 1 ] &&
		echo ", plus $((SEEDS - 1)) seeds of $SHORT s each"), empty corpus, ASan+UBSan, $JOBS runs at a time."
	echo
	if [ "$SEEDS" -gt 1 ]; then
		echo "| variant | found: median time to first find (seeds that found it) | not found in $BUDGET s | runs (seed $SEED) |"
	else
		echo "| variant | found (time to first find, runs) | not found in $BUDGET s | runs |"
	fi
	echo "|---|---|---|---:|"
	for v in $variants; do
		long="$logs/$m/$v/$SEED/log"
		found="" missing=""
		for c in $classes; do
			if [ "$SEEDS" -gt 1 ]; then
				times=$(for s in $(seq "$SEED" $((SEED + SEEDS - 1))); do
					first "$c" "$logs/$m/$v/$s/log" | cut -d' ' -f1
				done)
				k=$(echo -n "$times" | grep -c . || true)
				if [ "$k" -gt 0 ]; then
					med=$(echo "$times" | sort -g | awk -v n="$SEEDS" '
						{ t[NR] = $1 }
						END { m = int((n + 1) / 2);
						      if (m <= NR) printf "%.2f s", t[m];
						      else printf "> %s s", "'"$SHORT"'" }')
					found="$found${found:+; }$c $med ($k/$SEEDS)"
				fi
			else
				f=$(first "$c" "$long")
				[ -n "$f" ] && found="$found${found:+; }$c ($(echo "$f" |
					awk '{ printf "%s s, %s", $1, $2 }'))"
			fi
			[ -n "$(first "$c" "$long")" ] || missing="$missing${missing:+, }$c"
		done
		runs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' "$long" | tail -1)
		echo "| $v | ${found:-none} | ${missing:-none} | ${runs:-?} |"
	done
}

for m in $memories; do
	key="bench/findings.sh $TARGET $m"
	[ "$SEEDS" -eq 1 ] || key="$key, $SEEDS seeds"
	[ -z "${VARIANTS:-}" ] || key="$key, $VARIANTS"
	[ -z "${BUILD:-}" ] || key="$key, $BUILD"
	page_part "generated/findings-$TARGET.md" "$key" table "$m"
	echo
done
