#!/usr/bin/env bash
# docs.sh - the docs run as written: every command README.md and docs/
# show with its output is run and compared, or marked as not run; sh
# blocks parse; links hold; generated pages say where they came from.
# The rules and the normalisation are in tests/docs_check.py and
# docs/README.md ("How the docs are checked").
#
#   tests/docs.sh        (OUT: the built tools, default out, relative to
#                         the repository root, as for build.sh)
#
# TAP: "ok N - ..." / "not ok N - ..." with the details as "# " lines,
# then "1..N"; the exit status is non-zero on a failure.  Works from any
# folder.
set -u
cd "$(dirname "$0")/.." || exit 2
OUT=$(cd "${OUT:-out}" 2>/dev/null && pwd) || {
	echo "not ok 1 - the tools are built (no folder ${OUT:-out}: run ./build.sh)"
	echo "1..1"
	exit 1
}
export OUT
exec python3 tests/docs_check.py
