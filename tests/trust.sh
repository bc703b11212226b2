#!/usr/bin/env bash
# trust.sh - results you can trust and reproduce (issue 14): a crash found
# under each kind of setting replays from the command the tool prints,
# pasted as is, to the same verdict and trace hash; every bad input and
# setting is one line on stderr and exit 2, and nothing hangs.
#
#   OUT=out bash tests/trust.sh
#
# TAP output, the plan last; a failing check shows its command's output.
set -u
. "$(dirname "$0")/lib/tap.sh"
tap_setup trust
unset RMAP_VARIANT SCHED_VARIANT SCHED_SCENARIO SCHED_MEMORY SCHED_NOISE \
	SCHED_MAX_STEPS SCHED_STOP SCHED_FINDINGS SCHED_FEATURES
# one_line CODE PATTERN COMMAND...: exit CODE, exactly one line on stderr,
# matching PATTERN (grep -E), and none of it a raw control byte.
one_line() {
	local code=$1 pat=$2
	shift 2
	timeout 20 "$@" >"$tmp/o" 2>"$tmp/e"
	local got=$?
	echo "exit $got (want $code); stderr:"
	cat "$tmp/e"
	[ "$got" -eq "$code" ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] &&
		grep -qE -e "$pat" "$tmp/e" && ! grep -q $'\x1b' "$tmp/e"
}

# ---- crashes replay from the printed command -------------------------------

# found NAME LOG: the fuzz target's or explore's log has a replay command;
# run it from another folder: exit 1, the same first verdict and hash.
replays() {
	local log=$1 cmd want_hash want_verdict
	cmd=$(sed -n 's/^replay: //p' "$log" | tail -1)
	want_hash=$(sed -n 's/^trace-hash //p' "$log" | tail -1)
	want_verdict=$(grep -m1 -E '^VIOLATION [a-z-]+: ' "$log")
	echo "command: $cmd"
	[ -n "$cmd" ] && [ -n "$want_hash" ] || return 1
	(cd / && $cmd) >"$tmp/replayed" 2>&1
	local got=$?
	echo "exit $got; verdict: $want_verdict; hash $want_hash"
	tail -3 "$tmp/replayed"
	[ "$got" -eq 1 ] && grep -qxF "trace-hash $want_hash" "$tmp/replayed" &&
		grep -qxF "$want_verdict" "$tmp/replayed"
}
fuzz_until() {	# fuzz_until LOG ENV... TARGET: from an empty corpus
	local log=$1
	shift
	mkdir -p "$tmp/c$n" && (cd "$tmp" && env "$@" -seed=1 -max_total_time=60 \
		-artifact_prefix="$tmp/a$n-" "$tmp/c$n") >"$log" 2>&1
	ls "$tmp"/a$n-crash-*.txt >/dev/null 2>&1
}

check "sc: fuzz_lock_anon_vma's crash replays from the printed command" bash -c \
	"$(declare -f fuzz_until replays); tmp='$tmp' n=1;
	 fuzz_until '$tmp/sc.log' '$OUT/fuzz_lock_anon_vma' && replays '$tmp/sc.log'"
check "weak-alpha: the v2.6.36 NULL root's crash replays from the printed command (no --memory needed)" bash -c \
	"$(declare -f fuzz_until replays); tmp='$tmp' n=2;
	 fuzz_until '$tmp/wa.log' SCHED_MEMORY=weak-alpha RMAP_VARIANT=v2.6.36 SCHED_STOP=null-deref '$OUT/fuzz_lock_anon_vma' &&
	 grep -q 'VIOLATION null-deref' '$tmp/wa.log' && replays '$tmp/wa.log'"
check "SCHED_NOISE=4: the crash replays the same execution from the printed command" bash -c \
	"$(declare -f fuzz_until replays); tmp='$tmp' n=3;
	 fuzz_until '$tmp/nz.log' SCHED_NOISE=4 '$OUT/fuzz_lock_anon_vma' &&
	 grep -q 'noise 4' '$tmp/nz.log' && replays '$tmp/nz.log' && grep -q 'noise 4' '$tmp/replayed'"
check "rmap_ops: the ea90002b bug's crash replays from the printed command" bash -c \
	"$(declare -f fuzz_until replays); tmp='$tmp' n=4;
	 fuzz_until '$tmp/ops.log' RMAP_VARIANT=646d87b4 SCHED_STOP=rmap-unreachable '$OUT/fuzz_rmap_ops' &&
	 replays '$tmp/ops.log'"
check "explore with --noise and weak memory: its replay command reproduces the same trace" bash -c \
	"$(declare -f replays); tmp='$tmp';
	 cd '$tmp' && '$OUT/explore' lock_anon_vma --strategy random --noise 2 --memory weak --seconds 30 --stop stale-freed -o ex >ex.log;
	 [ \$? -eq 1 ] && replays ex.log && grep -q 'memory weak, noise 2' '$tmp/replayed'"
check "a crash file's bytes replay the same with the settings on the command line (replay --noise, --memory)" bash -c \
	"crash=\$(ls '$tmp'/a3-crash-* | grep -v txt | head -1);
	 '$OUT/replay' --noise 4 lock_anon_vma \"\$crash\" | grep -xF \"\$(grep '^trace-hash' '$tmp/nz.log' | tail -1)\""
check "triage takes --memory and --noise (and text files bring their own)" bash -c \
	"mkdir -p '$tmp/tri' && cp '$tmp'/a2-crash-*.txt '$tmp'/a3-crash-*.txt '$tmp/tri/' &&
	 '$OUT/triage' '$tmp/tri' | grep -q '^2 groups' &&
	 cp '$tmp'/a3-crash-* '$tmp/tri/' 2>/dev/null; rm -f '$tmp'/tri/*.txt; cp '$tmp'/a3-crash-* '$tmp/tri/';
	 '$OUT/triage' --noise 4 --memory sc lock_anon_vma '$tmp/tri' | grep -q '^1 groups; 0 files without a violation, 0 unreadable'"

# ---- progress and summaries ----------------------------------------------

check "explore: a status line every 5 s, and Ctrl-C ends with the summary" bash -c \
	"timeout -s INT 7 '$OUT/explore' lock_anon_vma --variant serialized --strategy random >'$tmp/ex.out' 2>'$tmp/ex.err';
	 grep -q '^explore: [0-9]* schedules, 5.0 s, ' '$tmp/ex.err' && grep -q '^explore: interrupted' '$tmp/ex.err' &&
	 grep -q '^explore: no violation in [0-9]* schedules' '$tmp/ex.out'"
# A weak-memory crash with 8 noise CPUs whose minimization takes several
# seconds (its search under weak memory has no sleep sets).
check "the minimizer: a status line every 2 s, and Ctrl-C keeps the best found until then" bash -c \
	"cd '$tmp' && timeout -s INT 3 '$OUT/replay' --minimize -o snc.txt '$repo/tests/data/weak-noise8-stale-not-current.txt' >min.out 2>min.err;
	 grep -q '^minimize: [0-9]* runs; best so far' min.err &&
	 grep -q 'preemptions, [0-9]* runs, in snc.txt (interrupted: the best found until then)' min.out &&
	 '$OUT/replay' --quiet snc.txt | grep -q '^VIOLATION stale-not-current'"

# ---- no silent misread ----------------------------------------------------

printf '\xef\xbb\xbfschedfuzz schedule v1\ncpu 1\n' >"$tmp/bom.txt"
printf 'schedfuzz schedule v1 \ncpu 1\n' >"$tmp/trail.txt"
printf 'schedfuzz schedule v2\ncpu 1\n' >"$tmp/v2.txt"
printf 'schedfuzz schedule v1\nscenario litmus/MP+poonceonces\nread 1\n' >"$tmp/read.txt"
printf 'schedfuzz schedule v1\n\033[31mboom\n' >"$tmp/esc.txt"
printf 'schedfuzz schedule v1\nscenario lock_anon_vma\nmemory weak\ncpu 1 x3\n' >"$tmp/weak.txt"
check "a byte-order mark before the first line: one line naming it, exit 2" \
	one_line 2 'bom.txt: line 1, column 1: a UTF-8 byte-order mark' "$OUT/replay" lock_anon_vma "$tmp/bom.txt"
check "a trailing blank on the first line: one line naming it, exit 2" \
	one_line 2 "trail.txt: line 1, column 22: ' ' after" "$OUT/replay" lock_anon_vma "$tmp/trail.txt"
check "another version: one line naming it, exit 2" \
	one_line 2 "version 'v2': this schedfuzz reads v1" "$OUT/replay" lock_anon_vma "$tmp/v2.txt"
check "a read line under sc: a warning that it was never used, and why" \
	one_line 0 'line 3 never came to be used \(read lines need --memory weak\)' "$OUT/replay" "$tmp/read.txt"
check "control bytes in a parse error are escaped" \
	one_line 2 "unknown keyword '\\\\x1b\[31mboom'" "$OUT/replay" lock_anon_vma "$tmp/esc.txt"
check "a fuzz target run on a text file that does not parse: one line, exit 2" \
	one_line 2 '^schedfuzz: .*bom.txt: line 1, column 1: a UTF-8 byte-order mark' "$OUT/fuzz_lock_anon_vma" "$tmp/bom.txt"
check "a file's setting against the environment's: one line naming both, exit 2" \
	one_line 2 'line 3 says memory weak, but SCHED_MEMORY says sc \(drop one, or --override' env SCHED_MEMORY=sc "$OUT/replay" "$tmp/weak.txt"
check "--override runs with the user's setting" bash -c \
	"SCHED_MEMORY=sc '$OUT/replay' --override '$tmp/weak.txt' | grep -q '^== .*memory sc'"
check "the file's setting counts when the user gives none" bash -c \
	"'$OUT/replay' '$tmp/weak.txt' | grep -q '^== .*memory weak'"
check "explore --program takes a text schedule's programs line (and header)" bash -c \
	"'$OUT/replay' --dump --variant 646d87b4 rmap_ops corpus/rmap_ops/ea90002b-child-swaps-in-first >'$tmp/prog.txt' &&
	 '$OUT/explore' --program '$tmp/prog.txt' --strategy dfs --bound 1 --stop rmap-unreachable -o '$tmp/pe' >'$tmp/pe.log';
	 [ \$? -eq 1 ] && grep -q '^variant 646d87b4' '$tmp/pe.txt' &&
	 grep '^programs' '$tmp/prog.txt' | cmp - <(grep '^programs' '$tmp/pe.txt')"
check "standard input: replay -" bash -c \
	"'$OUT/replay' lock_anon_vma - <corpus/lock_anon_vma/mail-race | grep -q '^VIOLATION stale-reused'"
mkfifo "$tmp/fifo"
check "a FIFO nobody writes to: read at once as empty, no hang" \
	timeout 10 "$OUT/replay" --quiet lock_anon_vma "$tmp/fifo"
check "a FIFO with a writer: read to its end" bash -c \
	"(cat corpus/lock_anon_vma/mail-race.txt >'$tmp/fifo' &) ; sleep 0.2;
	 timeout 10 '$OUT/replay' --quiet '$tmp/fifo' | grep -q '^VIOLATION stale-reused'"

# ---- every setting checked -------------------------------------------------

for v in 4294967296 0 -1 abc ''; do
	check "SCHED_MAX_STEPS='$v': one line, exit 2" \
		one_line 2 "SCHED_MAX_STEPS=.*(out of range|not a number|empty)" env SCHED_MAX_STEPS="$v" "$OUT/replay" lock_anon_vma corpus/lock_anon_vma/mail-race
done
check "SCHED_MAX_STEPS in a fuzz target: one line, exit 2" \
	one_line 2 'SCHED_MAX_STEPS=4294967296: out of range' env SCHED_MAX_STEPS=4294967296 "$OUT/fuzz_lock_anon_vma" -runs=1
check "--max-steps 5: the bound holds (STEP-LIMIT after 5 steps)" bash -c \
	"'$OUT/replay' --quiet --max-steps 5 lock_anon_vma corpus/lock_anon_vma/mail-race | grep -q '^STEP-LIMIT: no end after 5 steps'"
for v in 13 -1 x; do
	check "SCHED_NOISE='$v': one line, exit 2" \
		one_line 2 'noise|NOISE' env SCHED_NOISE="$v" "$OUT/replay" lock_anon_vma corpus/lock_anon_vma/mail-race
done
check "an unknown SCHED_VARIANT: one line listing the scenario's variants, exit 2" \
	one_line 2 "unknown variant 'v9' of lock_anon_vma \(valid: v2.6.34, peterz" env SCHED_VARIANT=v9 "$OUT/replay" lock_anon_vma corpus/lock_anon_vma/mail-race
check "SCHED_VARIANT and RMAP_VARIANT disagreeing: one line, exit 2" \
	one_line 2 'SCHED_VARIANT says peterz, but RMAP_VARIANT says serialized' env SCHED_VARIANT=peterz RMAP_VARIANT=serialized "$OUT/replay" lock_anon_vma corpus/lock_anon_vma/mail-race
check "a variant for a scenario without variants: one line, exit 2" \
	one_line 2 'has no variants' "$OUT/replay" --variant peterz litmus/MP+poonceonces "$tmp/read.txt"
: >"$tmp/afile"
check "SCHED_FINDINGS naming a file: one line, exit 2, before any run" \
	one_line 2 'SCHED_FINDINGS=.*not a folder' env SCHED_FINDINGS="$tmp/afile" "$OUT/fuzz_lock_anon_vma" -runs=1
check "SCHED_FINDINGS in a folder that cannot be made: one line, exit 2" \
	one_line 2 'SCHED_FINDINGS=' env SCHED_FINDINGS="$tmp/afile/sub" "$OUT/fuzz_lock_anon_vma" -runs=1
check "triage --minimize OUT where OUT is a file: one line, exit 2, at once" \
	one_line 2 'afile: not a folder' "$OUT/triage" --minimize "$tmp/afile" lock_anon_vma corpus/lock_anon_vma
mkdir -p "$tmp/empty"
check "triage of an empty folder: 0 groups, exit 0" bash -c \
	"'$OUT/triage' lock_anon_vma '$tmp/empty' | grep -qx '0 groups; 0 files without a violation, 0 unreadable'"
check "explore --seconds 1.5 is taken" bash -c \
	"'$OUT/explore' lock_anon_vma --variant serialized --strategy random --seconds 1.5 | grep -q '^explore: no violation in'"
check "explore --stop '': one line, exit 2" \
	one_line 2 '--stop is empty' "$OUT/explore" lock_anon_vma --strategy random --stop ''
check "explore --stop with an unknown class: one line listing the classes, exit 2" \
	one_line 2 "unknown class 'bogus'.*stale-reused" "$OUT/explore" lock_anon_vma --strategy random --stop bogus
check "SCHED_BACKEND unknown: one line, exit 2" \
	one_line 2 'SCHED_BACKEND' env SCHED_BACKEND=green "$OUT/fuzz_lock_anon_vma" -runs=1
for p in replay explore triage fuzz fuzz_lock_anon_vma fuzz_rmap_ops; do
	check "$p --help: usage, settings and exit status on stdout, exit 0" bash -c \
		"'$OUT/$p' --help >'$tmp/h' 2>'$tmp/he' && grep -q 'SCHED_MEMORY' '$tmp/h' &&
		 grep -qi 'exit status' '$tmp/h' && [ ! -s '$tmp/he' ] && '$OUT/$p' --version | grep -q '^schedfuzz '"
done
check "build.sh --help: exit 0, on stdout" bash -c "./build.sh --help | grep -q 'Exit status'"
check "no exit(3) left: the tools exit 0, 1 or 2" bash -c \
	"! grep -rn 'exit(3)\|return 3;' sched fuzz scenarios rmap"
tap_end
