#!/usr/bin/env bash
# bench/reuse.sh - CVE-2022-42703 from an empty corpus:
#
#   bench/reuse.sh [BUDGET_SECONDS]          (default 600)
#   SEEDS=N (default 5, at least 5) JOBS=N (default 1) FEATURES=LIST
#
# For seeds 1 .. SEEDS, the fuzz target as users run it (out/fuzz_rmap_ops,
# ASan+UBSan) on 7a3ef208, stopping at the first chain class:
#   RMAP_VARIANT=7a3ef208 SCHED_STOP=<the chain classes> \
#     out/fuzz_rmap_ops -seed=S -max_total_time=BUDGET EMPTY_DIR
# then the find's programs cut to the fewest operations that still show its
# class (bench/min_programs.py).  The median time to the first find counts
# a seed that found nothing as never.  Then 2555283e for the same budget
# under sc and weak memory, with SCHED_STOP=none and SCHED_FINDINGS: every
# class it finds.  FEATURES sets SCHED_FEATURES (default: the target's
# own, lock,alloc,model), for ablations: then only 7a3ef208 runs.  Runs
# JOBS fuzz processes at a time (one: the two cores here are shared).
#
# The tables go into docs/generated/reuse.md (bench/page.sh; DOCS=none
# writes nothing), a block per FEATURES setting.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command SEEDS JOBS FEATURES -- bench/reuse.sh "$@"
BUDGET=${1:-600}
SEEDS=${SEEDS:-5}
JOBS=${JOBS:-1}
[ "$SEEDS" -ge 5 ] || { echo "bench/reuse.sh: SEEDS=$SEEDS: at least 5" >&2; exit 2; }
. bench/common.sh
stop=$(echo $rmap_ops_chain_classes | tr ' ' ,)

# fuzz NAME VARIANT MEMORY SEED STOP: one run, its log in $tmp/NAME
fuzz() {
	local d="$tmp/$1"
	mkdir -p "$d/corpus" "$d/findings"
	env ${FEATURES:+SCHED_FEATURES=$FEATURES} SCHED_MEMORY="$3" \
		RMAP_VARIANT="$2" SCHED_STOP="$5" SCHED_FINDINGS="$d/findings" \
		"$OUT/fuzz_rmap_ops" -seed="$4" -max_total_time="$BUDGET" \
		-artifact_prefix="$d/" "$d/corpus" >"$d/log" 2>&1 || true
}
export -f fuzz
export tmp BUDGET OUT FEATURES
{
	for s in $(seq 1 "$SEEDS"); do echo "7a3ef208-$s 7a3ef208 sc $s $stop"; done
	[ -n "${FEATURES:-}" ] || echo "2555283e-sc 2555283e sc 1 none"
	[ -n "${FEATURES:-}" ] || echo "2555283e-weak 2555283e weak 1 none"
} | xargs -P "$JOBS" -L 1 bash -c 'fuzz "$@"' fuzz

# first LOG: "CLASS SECONDS RUNS" of the first find of a chain class
first() {
	local c
	for c in $rmap_ops_chain_classes; do
		sed -n "s/^schedfuzz: first $c on .* after \([0-9.]*\) s, \([0-9]*\) runs$/$c \1 \2/p" "$1"
	done | sort -k2 -g | head -1
}

runs() { sed -n 's/^#\([0-9]*\).*DONE.*/\1/p' "$1" | tail -1; }

table() {
	local s f class secs n crash min times="" found=0 shortest="" m classes
	echo "### 7a3ef208 from an empty corpus"
	echo
	echo "Budget $BUDGET s per seed, ASan+UBSan, $JOBS run at a time," \
		"features ${FEATURES:-lock,alloc,model (the default)}; stops on $stop."
	echo
	echo "| seed | first find | after (s) | runs | cut to |"
	echo "|---:|---|---:|---:|---|"
	for s in $(seq 1 "$SEEDS"); do
		f=$(first "$tmp/7a3ef208-$s/log")
		if [ -z "$f" ]; then
			echo "| $s | none in $BUDGET s | | $(runs "$tmp/7a3ef208-$s/log") | |"
			continue
		fi
		read -r class secs n <<<"$f"
		found=$((found + 1))
		times="$times $secs"
		crash=$(ls "$tmp/7a3ef208-$s"/crash-* | grep -v '\.txt$' | head -1)
		min=$(python3 bench/min_programs.py "$OUT/replay" 7a3ef208 "$class" \
			"$crash" "$tmp/min-$s")
		[ -n "$shortest" ] && [ "${shortest%% *}" -le "${min%% *}" ] ||
			shortest=$min
		echo "| $s | $class | $secs | $n | $min |"
	done
	echo
	echo "Median time to the first find: $(echo "$times" | tr ' ' '\n' |
		grep . | sort -g | awk -v n="$SEEDS" -v b="$BUDGET" '
		{ t[NR] = $1 }
		END { m = int((n + 1) / 2);
		      if (m <= NR) printf "%.1f s", t[m];
		      else printf "> %s s", b }') ($found of $SEEDS seeds found one)."
	[ -z "$shortest" ] || echo "The fewest operations: $shortest."
	[ -z "${FEATURES:-}" ] || return 0
	echo
	echo "### 2555283e, the same budget"
	echo
	echo "| memory | runs | classes found |"
	echo "|---|---:|---|"
	for m in sc weak; do
		classes=$(cd "$tmp/2555283e-$m/findings" && ls | grep -v '\.txt$' |
			paste -sd, - | sed 's/,/, /g' || true)
		echo "| $m | $(runs "$tmp/2555283e-$m/log") | ${classes:-none} |"
	done
}

page_part generated/reuse.md "bench/reuse.sh${FEATURES:+ features $FEATURES}" table
