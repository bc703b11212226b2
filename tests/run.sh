#!/usr/bin/env bash
# run.sh - runs the tests: every test program $OUT/test_* and every script
# tests/*.sh but this one, from the repository's root, and prints their
# output, a line per program and, last, "N passed, N failed".
#
#   tests/run.sh [NAME...]	only the programs or scripts named
#				(test_rmap, cli.sh)
#
# Each program speaks TAP ("ok N - ...", "not ok N - ..." and a plan
# "1..N", here at its end).  A program fails as a whole, with a "not ok"
# line of this script's naming it, when its plan is missing or does not
# match its checks, or when it exits non-zero with no failing check (a
# crash, a sanitizer report).  A script with nothing to check prints
# "# skip: why" and no plan.  The exit status is 1 on any failure, 2 on
# bad usage.  OUT (default out/ under the repository; a relative OUT is
# from the current folder) and CC are passed on to the scripts.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/out}
OUT=$(cd "$out" 2>/dev/null && pwd) ||
	{ echo "run.sh: no folder $out (build first: ./build.sh)" >&2; exit 2; }
export OUT
# tests/quickstart.sh does not run the suite again inside the suite
export SCHEDFUZZ_IN_TESTS=1
[ -n "${CC:-}" ] && export CC
cd "$root" || exit 2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tests=()
for t in "$OUT"/test_*; do
	[ -f "$t" ] && [ -x "$t" ] && tests+=("$t")
done
for t in tests/*.sh; do
	[ "$t" = tests/run.sh ] || tests+=("$t")
done
if [ $# -gt 0 ]; then
	wanted=()
	for name in "$@"; do
		found=
		for t in "${tests[@]}"; do
			[ "$(basename "$t")" = "$(basename "$name")" ] &&
				found=$t && wanted+=("$t")
		done
		[ -n "$found" ] || { echo "run.sh: no test $name" >&2; exit 2; }
	done
	tests=("${wanted[@]}")
fi

passed=0 failed=0
summary=()	# one line per program
failures=()	# every "not ok" line, with its program's name
if ! compgen -G "$OUT/test_*" >/dev/null; then
	echo "not ok - no test program in $OUT (build first: ./build.sh)"
	failures+=("no test program in $OUT")
	failed=1
fi

# tally NAME LOG STATUS SECONDS: adds up one program's output; a problem
# with the program as a whole counts as one failed check of its own.
tally() {
	local name=$1 log=$2 status=$3 nok nfail plans plan skip problem=
	nok=$(grep -c '^ok ' "$log")
	nfail=$(grep -c '^not ok ' "$log")
	plans=$(grep -cE '^1\.\.[0-9]+' "$log")
	plan=$(sed -nE 's/^1\.\.([0-9]+).*/\1/p' "$log" | tail -1)
	skip=$(sed -n 's/^# skip: //p' "$log" | head -1)
	if [ "$plans" -eq 0 ] && [ $((nok + nfail)) -eq 0 ] &&
	   [ -n "$skip" ] && [ "$status" -eq 0 ]; then
		summary+=("$(printf '#   %-18s skipped: %s' "$name" "$skip")")
		return
	fi
	if [ "$plans" -eq 0 ]; then
		problem="no plan line 1..N: it stopped early (exit status $status)"
	elif [ "$plans" -gt 1 ]; then
		problem="$plans plan lines"
	elif [ "$plan" -ne $((nok + nfail)) ]; then
		problem="its plan says $plan checks, $((nok + nfail)) ran"
	elif [ "$status" -ne 0 ] && [ "$nfail" -eq 0 ]; then
		problem="exit status $status, but no check failed"
	fi
	while IFS= read -r line; do
		failures+=("$name: $line")
	done < <(grep '^not ok ' "$log")
	if [ -n "$problem" ]; then
		echo "not ok - $name: $problem"
		failures+=("$name: $problem")
		nfail=$((nfail + 1))
	fi
	passed=$((passed + nok))
	failed=$((failed + nfail))
	summary+=("$(printf '#   %-18s %4d passed, %d failed, %s s' "$name" \
		"$nok" "$nfail" "$4")")
}

for t in "${tests[@]}"; do
	name=$(basename "$t")
	echo "# $name"
	start=$(date +%s%N)
	case $t in
	*.sh) bash "$t" </dev/null 2>&1 | tee "$tmp/log" ;;
	*) "$t" </dev/null 2>&1 | tee "$tmp/log" ;;
	esac
	status=${PIPESTATUS[0]}
	secs=$(( ($(date +%s%N) - start) / 100000000 ))
	tally "$name" "$tmp/log" "$status" "$((secs / 10)).$((secs % 10))"
done

echo "# summary"
printf '%s\n' "${summary[@]}"
if [ ${#failures[@]} -gt 0 ]; then
	echo "# failed:"
	printf '#   %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
