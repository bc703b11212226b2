#!/usr/bin/env bash
# quickstart.sh - the README's Quick start as a new user runs it: a fresh
# clone of the repository's committed state (git clone of HEAD: changes
# not committed are not tested), then the block after the line
# <!-- quickstart --> in README.md, run command by command from the
# clone's root in a clean environment.  Each command must exit with the
# status its comment names ("... exit 77"), 0 when it names none.
#
#   tests/quickstart.sh
#
# QUICKSTART_MAX_TIME=S (default 30) replaces every -max_total_time=N of
# the block with S, so that a fuzz run that does not find what the README
# says fails in S seconds rather than N.  The block builds its own out/
# in the clone, so OUT is not used.  It takes as long as the block (two
# builds and the test suite: about 2 minutes here).
#
# The block's "./build.sh test" runs the test suite, which runs this
# script: inside a run of itself (SCHEDFUZZ_IN_QUICKSTART set) it only
# says so and skips.
#
# TAP: "ok N - COMMAND (exit S, T s)" or "not ok N - ..." with the
# expected and actual status and the end of the command's output as "# "
# lines; it stops at the first failing command; the plan "1..N" comes
# last and the exit status is non-zero on a failure.  Works from any
# folder.
set -u
cd "$(dirname "$0")/.." || exit 2
if [ -n "${SCHEDFUZZ_IN_QUICKSTART:-}" ]; then
	echo "1..0 # SKIP inside tests/quickstart.sh's own run"
	exit 0
fi
MAX_TIME=${QUICKSTART_MAX_TIME:-30}
case $MAX_TIME in
''|*[!0-9]*) echo "quickstart.sh: QUICKSTART_MAX_TIME takes seconds" >&2
	exit 2 ;;
esac

n=0 failed=0
tap() {	# tap OK DESCRIPTION [DETAIL_FILE]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
		[ -z "${3:-}" ] || sed 's/^/# /' "$3"
	fi
}
finish() {
	echo "1..$n"
	exit "$failed"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The block: the lines between "```sh" after the marker and "```", one
# command per entry (a line ending in \ goes on), NUL-separated.
awk '
	/^<!-- quickstart -->$/ { marked = 1; next }
	marked && /^```/ { if (inside) exit; inside = 1; next }
	inside {
		line = line $0
		if (line ~ /\\$/) { line = line "\n"; next }
		if (line !~ /^[ \t]*(#.*)?$/) printf "%s%c", line, 0
		line = ""
	}' README.md >"$tmp/commands"
if [ ! -s "$tmp/commands" ]; then
	echo "no sh block after <!-- quickstart --> in README.md" >"$tmp/why"
	tap "not ok" "README.md has a Quick start block" "$tmp/why"
	finish
fi

if ! git clone -q "$(git rev-parse --show-toplevel)" "$tmp/clone" \
	>"$tmp/why" 2>&1; then
	tap "not ok" "a fresh clone of HEAD" "$tmp/why"
	finish
fi
tap ok "a fresh clone of HEAD ($(git -C "$tmp/clone" rev-parse --short HEAD))"

while IFS= read -r -d '' cmd; do
	cmd=$(printf '%s' "$cmd" |
		sed -E "s/-max_total_time=[0-9]+/-max_total_time=$MAX_TIME/g")
	# the status the comment names, 0 when none
	want=$(printf '%s\n' "$cmd" | tail -1 |
		sed -nE 's/.*[[:space:]]#.*exit ([0-9]+).*/\1/p')
	want=${want:-0}
	short=$(printf '%s\n' "$cmd" | sed -E 's/[[:space:]]+#.*//' |
		tr '\n' ' ' | sed -E 's/\\ +/ /g; s/ +/ /g; s/ $//')
	if [ "$short" = "./build.sh test" ] && [ -n "${SCHEDFUZZ_IN_TESTS:-}" ]; then
		tap ok "$short # SKIP this test run is one (CI runs it on a clean clone)"
		continue
	fi
	start=$(date +%s)
	(cd "$tmp/clone" && env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
		TMPDIR="${TMPDIR:-/tmp}" SCHEDFUZZ_IN_QUICKSTART=1 \
		bash -c "$cmd") >"$tmp/log" 2>&1
	got=$?
	secs=$(($(date +%s) - start))
	if [ "$got" -eq "$want" ]; then
		tap ok "$short (exit $got, $secs s)"
	else
		{
			echo "README.md's Quick start line: $short"
			echo "expected exit $want, got $got (after $secs s); the end of its output:"
			tail -20 "$tmp/log" | cut -c1-200
		} >"$tmp/why"
		tap "not ok" "$short (exit $got, $secs s)" "$tmp/why"
		break
	fi
done <"$tmp/commands"
finish
