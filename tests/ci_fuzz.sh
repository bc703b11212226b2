#!/usr/bin/env bash
# ci_fuzz.sh - CI's fuzzing, ClusterFuzzLite-style, on this machine: every
# target of fuzz/ci-targets (out/ci/NAME) runs for CI_FUZZ_SECONDS
# (default 10; .ci/run sets 60) from its scenario's seed corpus, with the
# targets' options and an empty environment, as ClusterFuzzLite runs
# them, two at a time: on unchanged code none may report.  Then the other
# side: the same targets with a broken variant put in (SCHED_VARIANT)
# must report, within seconds.
#
#   OUT=out CI_FUZZ_SECONDS=60 bash tests/ci_fuzz.sh
#
# TAP output, the plan last; a failing target shows the end of its log.
set -u
cd "$(dirname "$0")/.." || exit 2
OUT=$(cd "${OUT:-out}" 2>/dev/null && pwd) || { echo "1..0 # SKIP no OUT"; exit 0; }
SECONDS_EACH=${CI_FUZZ_SECONDS:-10}
case $SECONDS_EACH in
''|*[!0-9]*|0) echo "ci_fuzz.sh: CI_FUZZ_SECONDS takes seconds" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
report() {	# report OK DESCRIPTION LOG
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - ci: $2"
	else
		echo "not ok $n - ci: $2"
		grep -v '^INFO\|^#[0-9]' "$3" | tail -15 | sed 's/^/#   /'
		failed=1
	fi
}

# run NAME LOG [VAR=VALUE...]: one ClusterFuzzLite-style run of a target.
run() {
	local t=$1 log=$2 sc corpus
	shift 2
	sc=$(awk -v t="$t" '$1 == t { print $2 }' fuzz/ci-targets)
	corpus=$tmp/corpus-$t-$RANDOM
	mkdir -p "$corpus" && cp corpus/"$sc"/* "$corpus"/
	(cd "$tmp" && env -i PATH="$PATH" "$@" "$OUT/ci/$t" -max_len=4096 \
		-max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=2560 \
		-artifact_prefix="$tmp/$t-" "$corpus") >"$log" 2>&1
}

targets=$(sed -n 's/^\(ci_[a-z0-9_]*\) .*/\1/p' fuzz/ci-targets)
set -- $targets
while [ $# -gt 0 ]; do		# two at a time: the two cores
	run "$1" "$tmp/$1.log" & a=$!
	b=
	[ $# -gt 1 ] && { run "$2" "$tmp/$2.log" & b=$!; }
	wait $a; sa=$?
	[ -n "$b" ] && { wait $b; sb=$?; }
	for t in "$1" ${b:+"$2"}; do
		[ "$t" = "$1" ] && s=$sa || s=$sb
		if [ "$s" -eq 0 ] && ! grep -q '^==schedfuzz==' "$tmp/$t.log"; then
			report ok "$t: $SECONDS_EACH s from its seeds, nothing reported" "$tmp/$t.log"
		else
			report "not ok" "$t: $SECONDS_EACH s from its seeds, nothing reported (exit $s)" "$tmp/$t.log"
		fi
	done
	shift; [ -n "$b" ] && shift
done

# A broken variant put in: each must fail the run, naming the class.
broken() {	# broken TARGET VARIANT CLASS-PATTERN
	run "$1" "$tmp/broken.log" SCHED_VARIANT="$2"
	if [ $? -ne 0 ] && grep -qE "^VIOLATION ($3)" "$tmp/broken.log" &&
	   grep -q '^replay: ' "$tmp/broken.log"; then
		report ok "$1 with variant $2 put in: reports $3" "$tmp/broken.log"
	else
		report "not ok" "$1 with variant $2 put in: reports $3" "$tmp/broken.log"
	fi
}
broken ci_lock_anon_vma_serialized v2.6.34 'stale-[a-z-]+'
broken ci_rmap_ops_v2_6_36 v2.6.34-rc3 'rmap-unreachable|rmap-walk-missed|chain-mismatch|anon-vma-freed-in-use|stale-reused|stale-freed|stale-not-current|use-after-free'
echo "1..$n"
exit "$failed"
