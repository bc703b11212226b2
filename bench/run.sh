#!/usr/bin/env bash
# bench/run.sh - the benchmark, in one command (about 10 minutes here):
#
#   bench/run.sh [SEEDS]     (default 10 seeds per strategy)
#
# 1. Schedules and seconds to the first stale-reused on v2.6.34, for
#    SCHED_NOISE N = 0, 2, 4, 8: libFuzzer from an empty corpus (-seed=S,
#    no sanitizers, default schedule features), random, PCT d=2 and d=3,
#    and dfs with preemption bound 2 (deterministic: one run).  Each run is
#    capped at CAP seconds (default 10; libFuzzer 30, dfs 30); a capped run
#    counts as not found, and the median is "-" when half or more were not
#    found.  PARTS="strategies throughput ablation ops" picks the parts.
# 2. Throughput: the engine's cost per scheduling point as ratios to the
#    model's own code run without it (the floor's, goal <= 3x, and
#    random's to the floor's, goal <= 2x); ns per scheduling point
#    against the no-switch floor, per backend, with and without
#    ASan+UBSan; libFuzzer executions/s.
# 3. Ablation: libFuzzer's schedules to the first stale-reused with each
#    schedule feature alone, in combinations, all and none, at N = 0 and 8.
# 4. rmap_ops: schedules and seconds to the first chain violation on
#    v2.6.34-rc3 for N = 0, 2, 4, 8, and to the bug ea90002b fixed on
#    646d87b4 (N = 0), per strategy (libFuzzer picks programs and schedules
#    from its input; random and PCT draw a new program per schedule from
#    their seed).
#
# Each part's table goes into docs/benchmark.md, in place of the block of
# the previous run of that part (bench/page.sh; DOCS=none writes nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/page.sh
page_command CAP FUZZ_CAP DFS_CAP PARTS -- bench/run.sh "$@"
SEEDS=${1:-10}
CAP=${CAP:-10}
FUZZ_CAP=${FUZZ_CAP:-30}
DFS_CAP=${DFS_CAP:-30}
PARTS=${PARTS:-strategies throughput ablation ops}
SC=lock_anon_vma		# what fuzz_run and explore_run look for
STOP=stale-reused
part() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
OUT=${OUT:-out}
export OUT
./build.sh bench >/dev/null
B=$OUT/bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Each run appends "found|miss SCHEDULES SECONDS" to a file; stats prints
# found/total, median and max schedules, median seconds, schedules/s.
stats() {
	sort -t' ' -k2,2n "$1" | awk -v total="$2" '
	{ found += ($1 == "found"); n[NR] = $2; s[NR] = $3; miss[NR] = ($1 != "found")
	  rate[NR] = ($3 > 0) ? $2 / $3 : 0; allrun += $2; allsec += $3 }
	END {
		# Misses sort last: they count as infinitely many schedules.
		k = 0; for (i = 1; i <= NR; i++) if (!miss[i]) { k++; f[k] = n[i]; fs[k] = s[i] }
		half = int((total + 1) / 2)
		med = (k >= half && k > 0) ? f[half] : "-"
		max = (k == total) ? f[k] : "-"
		# median seconds over found runs, in schedule order
		msec = (k >= half && k > 0) ? sprintf("%.3f", fs[half]) : "-"
		printf "%d/%d | %s | %s | %s | %.0f", found, total, med, max, msec, (allsec > 0 ? allrun / allsec : 0)
	}'
}

fuzz_run() {	# fuzz_run OUTFILE NOISE SEED [ENV...]
	local out=$1 noise=$2 seed=$3 log="$tmp/fuzz.log"
	shift 3
	rm -rf "$tmp/corpus" && mkdir "$tmp/corpus"
	env "$@" SCHED_NOISE="$noise" SCHED_STOP="$STOP" \
		"$B/fuzz_${SC}_nosan" -seed="$seed" -max_total_time="$FUZZ_CAP" \
		-artifact_prefix="$tmp/" "$tmp/corpus" >"$log" 2>&1 || true
	if grep -q '^==schedfuzz==' "$log"; then
		sed -n 's/^==schedfuzz==.* after \([0-9]*\) runs, \([0-9.]*\) s$/found \1 \2/p' "$log" >>"$out"
	else
		awk '/DONE/ { sub("#", "", $1); print "miss", $1, '"$FUZZ_CAP"' }' "$log" >>"$out"
	fi
}

explore_run() {	# explore_run OUTFILE NOISE CAP ARGS...
	local out=$1 noise=$2 cap=$3 line
	shift 3
	line=$("$OUT"/explore "$SC" --noise "$noise" --stop "$STOP" \
		--seconds "$cap" -o "$tmp/x.bin" "$@" | head -1 || true)
	case "$line" in
	*" after "*" schedules, "*)
		echo "$line" | sed 's/.* after \([0-9]*\) schedules, \([0-9.]*\) s.*/found \1 \2/' >>"$out" ;;
	*)
		echo "$line" | sed 's/.*[^0-9]\([0-9][0-9]*\) schedules, \([0-9.]*\) s.*/miss \1 \2/' >>"$out" ;;
	esac
}

strategies() {
echo "## Strategies: schedules to the first stale-reused on v2.6.34"
echo
echo "$SEEDS seeds per strategy (dfs: one run), cap $CAP s per run (libFuzzer $FUZZ_CAP s)."
echo
echo "| N | strategy | found | median schedules | max schedules | median s | schedules/s |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for N in 0 2 4 8; do
	for strat in libfuzzer random pct2 pct3 dfs; do
		f="$tmp/$strat-$N"
		: >"$f"
		runs=$SEEDS
		[ "$strat" = dfs ] && runs=1
		for seed in $(seq 1 "$runs"); do
			case $strat in
			libfuzzer) fuzz_run "$f" "$N" "$seed" ;;
			random) explore_run "$f" "$N" "$CAP" --strategy random --seed "$seed" ;;
			pct2) explore_run "$f" "$N" "$CAP" --strategy pct --depth 2 --seed "$seed" ;;
			pct3) explore_run "$f" "$N" "$CAP" --strategy pct --depth 3 --seed "$seed" ;;
			dfs) explore_run "$f" "$N" "$DFS_CAP" --strategy dfs --bound 2 ;;
			esac
		done
		echo "| $N | $strat | $(stats "$f" "$runs") |"
	done
done
}

throughput() {
echo "## Throughput (lock_anon_vma, N = 0, median of 5 runs per cell)"
echo
echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg), on $(nproc) cores shared with other work."
echo
echo "Engine cost: the baseline is lock_anon_vma's own code with kernel.h's shims compiled as plain accesses and calls (bench/baseline.c, sched/plain/: no engine, no trace, no oracle), every CPU to its end in turn; the floor is the same code through the engine, the empty input; random switches about every other point. The three take turns in one process, five rounds; each ratio is the median of the rounds' ratios. What each part costs: bench/cost.sh."
echo
echo "Without sanitizers (-O2):"
echo
"$B/throughput" 0.5
echo
echo "With ASan+UBSan (-O1):"
echo
"$B/throughput_asan" 0.5
echo
echo "libFuzzer, N = 0, SCHED_STOP=none, empty corpus, 10 s per run, median of 3:"
echo
echo "| build | memory | executions/s |"
echo "|---|---|---:|"
for build in "fuzz_lock_anon_vma_nosan:no sanitizers" "../fuzz_lock_anon_vma:ASan+UBSan"; do
	bin=${build%%:*}
	for memory in sc weak; do
		for seed in 1 2 3; do
			rm -rf "$tmp/corpus" && mkdir "$tmp/corpus"
			SCHED_MEMORY=$memory SCHED_STOP=none "$B/$bin" -seed="$seed" \
				-max_total_time=10 "$tmp/corpus" 2>&1 |
				sed -n 's/.*DONE.*exec\/s: \([0-9]*\).*/\1/p'
		done | sort -n | sed -n 2p | sed "s/^/| ${build#*:} | $memory | /; s/$/ |/"
	done
done
}

ablation() {
echo "## Ablation: libFuzzer schedules to the first stale-reused, by schedule feature"
echo
echo "| N | SCHED_FEATURES | found | median schedules | max schedules | median s | schedules/s |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for N in 0 8; do
	for feat in none switch rf lock alloc lock,alloc rf,lock,alloc all; do
		f="$tmp/abl-$feat-$N"
		: >"$f"
		for seed in $(seq 1 "$SEEDS"); do
			fuzz_run "$f" "$N" "$seed" SCHED_FEATURES="$feat"
		done
		echo "| $N | ${feat//,/ + } | $(stats "$f" "$SEEDS") |"
	done
done
}

ops() {
echo "## rmap_ops: schedules to the first find, per strategy"
echo
echo "$SEEDS seeds per strategy, cap $CAP s per run (libFuzzer $FUZZ_CAP s); no dfs (it needs one program)."
echo
echo "| variant | looking for | N | strategy | found | median schedules | max schedules | median s | schedules/s |"
echo "|---|---|---:|---|---:|---:|---:|---:|---:|"
SC=rmap_ops
for target in "v2.6.34-rc3 rmap-unreachable,rmap-walk-missed,chain-mismatch,anon-vma-freed-in-use 0 2 4 8" \
	      "646d87b4 rmap-unreachable 0"; do
	read -r variant STOP sizes <<<"$target"
	what=$([ "$STOP" = rmap-unreachable ] && echo "the ea90002b bug (rmap-unreachable)" || echo "any chain class")
	for N in $sizes; do
		for strat in libfuzzer random pct2 pct3; do
			f="$tmp/ops-$variant-$N-$strat"
			: >"$f"
			for seed in $(seq 1 "$SEEDS"); do
				case $strat in
				libfuzzer) fuzz_run "$f" "$N" "$seed" RMAP_VARIANT="$variant" ;;
				random) explore_run "$f" "$N" "$CAP" --variant "$variant" --strategy random --seed "$seed" ;;
				pct2) explore_run "$f" "$N" "$CAP" --variant "$variant" --strategy pct --depth 2 --seed "$seed" ;;
				pct3) explore_run "$f" "$N" "$CAP" --variant "$variant" --strategy pct --depth 3 --seed "$seed" ;;
				esac
			done
			echo "| $variant | $what | $N | $strat | $(stats "$f" "$SEEDS") |"
		done
	done
done
}

for p in strategies throughput ablation ops; do
	part "$p" || continue
	page_part benchmark.md "bench/run.sh $p" "$p"
	echo
done
