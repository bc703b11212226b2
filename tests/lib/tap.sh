# tap.sh - what the shell tests share (sourced, not run): TAP lines that
# say why a check failed.
#
#   tap_setup NAME      OUT, repo, tmp and the folder set up, then tap_begin
#   tap_begin NAME      the prefix of every line ("ok N - NAME: ...")
#   check DESC CMD...   ok when CMD succeeds; else where the check is and
#                       what CMD printed
#   steps SCRIPT        SCRIPT in bash, each command traced (for check)
#   expect_exit CODE LINES CMD...   exit CODE and LINES lines on stderr
#   has [-E|-x] PATTERN [FILE]      a line matching, else what was there
#   tap_end             the plan "1..N"; exit 1 when a check failed
#
# Each script sets tmp (a scratch folder) before checking: tap_setup does.

# tap_setup NAME: what a shell test starts with.  repo is the repository
# and the current folder; OUT (default out/ under it; a relative OUT is
# from the folder the script was started in) made absolute, or "Bail out!"
# and exit 2 when there is no such folder; tmp a scratch folder removed at
# exit; then tap_begin NAME.
tap_setup() {
	local out
	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	out=${OUT:-$repo/out}
	OUT=$(cd "$out" 2>/dev/null && pwd) || { echo "Bail out! no folder $out"; exit 2; }
	cd "$repo" || exit 2
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	tap_begin "$1"
}

tap_begin() {
	TAP_NAME=$1
	TAP_N=0
	TAP_FAILED=0
}

tap_end() {
	echo "1..$TAP_N"
	exit "$TAP_FAILED"
}

# show FILE: the file as "#   " lines; of a long one the first 5 and the
# last 15.
show() {
	local lines
	lines=$(wc -l <"$1")
	if [ "$lines" -le 20 ]; then
		sed 's/^/#   /' "$1"
	else
		head -5 "$1" | sed 's/^/#   /'
		echo "#   ... ($((lines - 20)) lines left out)"
		tail -15 "$1" | sed 's/^/#   /'
	fi
}

# check DESCRIPTION COMMAND...: ok when the command succeeds; when not,
# the line of the check and what the command printed (stdout and stderr).
check() {
	local desc=$1 line=${BASH_LINENO[0]} file=${BASH_SOURCE[1]##*/}
	shift
	TAP_N=$((TAP_N + 1))
	if "$@" >"$tmp/check.log" 2>&1; then
		echo "ok $TAP_N - $TAP_NAME: $desc"
	else
		echo "not ok $TAP_N - $TAP_NAME: $desc"
		echo "#   at tests/$file:$line"
		show "$tmp/check.log"
		TAP_FAILED=1
	fi
}

# steps SCRIPT: SCRIPT in bash with each command traced, so that a failing
# check shows which of its steps failed.
steps() {
	bash -xc "$1"
}

# expect_exit CODE LINES COMMAND...: exit status CODE and, when LINES is
# not "-", exactly that many lines on stderr; stdout and stderr stay in
# $tmp/out and $tmp/err, and are printed when they are not as expected.
expect_exit() {
	local code=$1 lines=$2 got nerr want
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	nerr=$(wc -l <"$tmp/err")
	[ "$got" -eq "$code" ] && { [ "$lines" = - ] || [ "$nerr" -eq "$lines" ]; } &&
		return 0
	want="exit $code"
	[ "$lines" = - ] || want="$want, $lines lines on stderr"
	echo "expected: $want"
	echo "got: exit $got, $nerr lines on stderr"
	echo "stdout:" && cat "$tmp/out"
	echo "stderr:" && cat "$tmp/err"
	return 1
}

# has [-E|-x] PATTERN [FILE]: FILE (or stdin) has a line matching PATTERN,
# as grep -q [-E|-x] says; when not, the pattern and the last 10 lines.
# Exported for the steps' scripts; a subshell, so that it is not traced.
has() (
	{ set +x; } 2>/dev/null
	opt=()
	case $1 in -E|-x) opt=("$1"); shift ;; esac
	text=$(cat "${2:-/dev/stdin}")
	grep -q "${opt[@]}" -e "$1" <<<"$text" && exit 0
	lines=$(wc -l <<<"$text")
	echo "expected: a line matching ${opt[*]:+${opt[*]} }$1"
	if [ "$lines" -le 10 ]; then
		echo "got${2:+ in $2} ($lines lines):"
	else
		echo "got${2:+ in $2} ($lines lines), the last 10:"
	fi
	tail -10 <<<"$text"
	exit 1
)
export -f has
