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
#    found.  PARTS="strategies throughput ablation" picks the parts to run.
# 2. Throughput: ns per scheduling point against the no-switch floor, per
#    backend, with and without ASan+UBSan; libFuzzer executions/s.
# 3. Ablation: libFuzzer's schedules to the first stale-reused with each
#    schedule feature alone, in combinations, all and none, at N = 0 and 8.
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${1:-10}
CAP=${CAP:-10}
FUZZ_CAP=${FUZZ_CAP:-30}
DFS_CAP=${DFS_CAP:-30}
PARTS=${PARTS:-strategies throughput ablation}
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
	env "$@" SCHED_NOISE="$noise" SCHED_STOP=stale-reused \
		"$B/fuzz_lock_anon_vma_nosan" -seed="$seed" -max_total_time="$FUZZ_CAP" \
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
	line=$("$OUT"/explore lock_anon_vma --noise "$noise" --stop stale-reused \
		--seconds "$cap" -o "$tmp/x.bin" "$@" | head -1 || true)
	case "$line" in
	*"stale-reused after"*)
		echo "$line" | sed 's/.* after \([0-9]*\) schedules, \([0-9.]*\) s.*/found \1 \2/' >>"$out" ;;
	*)
		echo "$line" | sed 's/.*[^0-9]\([0-9][0-9]*\) schedules, \([0-9.]*\) s.*/miss \1 \2/' >>"$out" ;;
	esac
}

if part strategies; then
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
fi

if part throughput; then
echo
echo "## Throughput (lock_anon_vma, N = 0, median of 5 runs per cell)"
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
echo "| build | executions/s |"
echo "|---|---:|"
for build in "fuzz_lock_anon_vma_nosan:no sanitizers" "../fuzz_lock_anon_vma:ASan+UBSan"; do
	bin=${build%%:*}
	for seed in 1 2 3; do
		rm -rf "$tmp/corpus" && mkdir "$tmp/corpus"
		SCHED_STOP=none "$B/$bin" -seed="$seed" -max_total_time=10 "$tmp/corpus" 2>&1 |
			sed -n 's/.*DONE.*exec\/s: \([0-9]*\).*/\1/p'
	done | sort -n | sed -n 2p | sed "s/^/| ${build#*:} | /; s/$/ |/"
done
fi

part ablation || exit 0
echo
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
