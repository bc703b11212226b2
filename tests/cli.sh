#!/usr/bin/env bash
# cli.sh - the command-line tools as a user runs them: replay's verdicts and
# exit codes, its errors on bad invocations, determinism across processes,
# and short runs of the fuzz targets.
#
# Runs from any folder, on the binaries in OUT (default out/ under the
# repository; a relative OUT is from the current folder).  TAP: "ok N -
# cli: ..." per check, and after a failing one where it is and what its
# command printed; the plan "1..N" at the end.
set -u
. "$(dirname "$0")/lib/tap.sh"
tap_setup cli


seed=corpus/lock_anon_vma/mail-race

check "no merge-conflict markers in the tracked files" bash -c \
	"! git grep -n -e '^<<<<<<< ' -e '^>>>>>>> ' -- ':!tests/lib/tap.sh'"

check "replay of the mail's race exits 1 with stale-reused" \
	expect_exit 1 0 "$OUT/replay" lock_anon_vma "$seed"
check "it prints the verdict line" has '^VIOLATION stale-reused: ' "$tmp/out"
check "the diagram has one column per CPU" \
	has '^  step | CPU0 .*| CPU1 .*| CPU2 .*| CPU3' "$tmp/out"
check "replay on serialized exits 0 with OK" \
	expect_exit 0 0 "$OUT/replay" --variant serialized lock_anon_vma "$seed"
check "RMAP_VARIANT picks the variant" \
	expect_exit 0 0 env RMAP_VARIANT=serialized "$OUT/replay" lock_anon_vma "$seed"
check "replay prints OK on serialized" has '^OK$' "$tmp/out"

: >"$tmp/empty"
check "the empty input is a valid schedule" \
	expect_exit 0 0 "$OUT/replay" lock_anon_vma "$tmp/empty"
# (seeded: a failure here replays)
python3 -c 'import random, sys; random.seed(1); sys.stdout.buffer.write(random.randbytes(100000))' >"$tmp/big"
check "a large random input is a valid schedule" \
	steps "'$OUT/replay' --quiet lock_anon_vma '$tmp/big'; [ \$? -le 1 ]"

check "missing file: one line, exit 2" \
	expect_exit 2 1 "$OUT/replay" lock_anon_vma "$tmp/nope"
check "directory: one line, exit 2" \
	expect_exit 2 1 "$OUT/replay" lock_anon_vma "$tmp"
check "unknown scenario: one line, exit 2" \
	expect_exit 2 1 "$OUT/replay" no_such_scenario "$seed"
check "unknown --variant: one line naming the valid ones, exit 2" \
	expect_exit 2 1 "$OUT/replay" --variant v9 lock_anon_vma "$seed"
check "the line lists the valid variants" has 'valid: v2.6.34, peterz' "$tmp/err"
check "unknown RMAP_VARIANT: one line, exit 2" \
	expect_exit 2 1 env RMAP_VARIANT=v9 "$OUT/replay" lock_anon_vma "$seed"
check "no arguments: usage, exit 2" expect_exit 2 1 "$OUT/replay"
check "unknown option: usage, exit 2" \
	expect_exit 2 1 "$OUT/replay" --frobnicate lock_anon_vma "$seed"

# Byte-identical traces across separate processes.
for i in 1 2 3; do
	"$OUT/replay" --events --hash lock_anon_vma "$seed" "$tmp/big" >"$tmp/trace$i"
done
check "three processes print byte-identical traces" \
	steps "cmp '$tmp/trace1' '$tmp/trace2' && cmp '$tmp/trace1' '$tmp/trace3'"
# (the "== FILE" lines name the temporary folder, whose name is random)
check "no raw address in a trace" steps "! grep -v '^== ' '$tmp/trace1' | grep -q 0x"

# The standalone replay builds with gcc too and agrees with the clang build.
if command -v gcc >/dev/null; then
	check "replay builds with gcc" env CC=gcc OUT="$tmp/gcc" ./build.sh tools
	"$tmp/gcc/replay" --events --hash lock_anon_vma "$seed" "$tmp/big" >"$tmp/trace-gcc"
	check "the gcc build prints the same trace" cmp "$tmp/trace1" "$tmp/trace-gcc"
fi

# Fuzz targets: the default variant finds the race from the seed corpus; the
# control runs clean.
seeds_before=$(ls corpus/lock_anon_vma | wc -l)
check "fuzz_lock_anon_vma stops with a stale anon_vma violation" steps \
	"mkdir -p '$tmp/corpus1' && '$OUT/fuzz_lock_anon_vma' -runs=100000 -artifact_prefix='$tmp/' '$tmp/corpus1' corpus/lock_anon_vma 2>'$tmp/fuzz.log';
	 [ \$? -ne 0 ] && has 'VIOLATION stale-' '$tmp/fuzz.log' && ls '$tmp'/crash-* >/dev/null"
check "the crash file replays to exit 1" steps \
	"'$OUT/replay' lock_anon_vma '$tmp'/crash-*; [ \$? -eq 1 ]"
check "the fuzz targets run without length control unless the command line sets it" steps \
	"mkdir -p '$tmp/lc1' '$tmp/lc2' &&
	 RMAP_VARIANT=serialized '$OUT/fuzz_lock_anon_vma' -runs=300 -seed=1 '$tmp/lc1' 2>'$tmp/lc1.log';
	 RMAP_VARIANT=serialized '$OUT/fuzz_lock_anon_vma' -runs=300 -seed=1 -len_control=100 '$tmp/lc2' 2>'$tmp/lc2.log';
	 has 'NEW.* lim: 4096 ' '$tmp/lc1.log' && ! grep -q 'NEW.* lim: 4096 ' '$tmp/lc2.log' && has 'NEW.* lim: 4 ' '$tmp/lc2.log'"
check "fuzz_lock_anon_vma on serialized: 20000 runs, no report" steps \
	"mkdir -p '$tmp/corpus2' && RMAP_VARIANT=serialized '$OUT/fuzz_lock_anon_vma' -runs=20000 -seed=1 '$tmp/corpus2' corpus/lock_anon_vma 2>'$tmp/ser.log'"
check "SCHED_FINDINGS logs the first input of each class, which replays to it" steps \
	"mkdir -p '$tmp/corpus3' '$tmp/found' && SCHED_STOP=none SCHED_FINDINGS='$tmp/found' '$OUT/fuzz_lock_anon_vma' -runs=3000 -seed=1 '$tmp/corpus3' corpus/lock_anon_vma 2>'$tmp/found.log';
	 has '^schedfuzz: first stale-reused on lock_anon_vma after' '$tmp/found.log' &&
	 '$OUT/replay' --quiet lock_anon_vma '$tmp/found/stale-reused' | has '^VIOLATION stale-reused'"
check "the fuzz runs leave the seed corpus alone" \
	test "$(ls corpus/lock_anon_vma | wc -l)" -eq "$seeds_before"
check "unknown SCHED_STOP class: exit 2" steps \
	"SCHED_STOP=bogus '$OUT/fuzz_lock_anon_vma' -runs=1 2>/dev/null; [ \$? -eq 2 ]"

# Strategies: every file explore writes replays to the same verdict.
for s in random pct dfs; do
	check "explore --strategy $s finds stale-reused and writes a replayable file" steps \
		"'$OUT/explore' lock_anon_vma --strategy $s --bound 1 --stop stale-reused --seconds 60 -o '$tmp/$s.bin' >'$tmp/$s.txt';
		 [ \$? -eq 1 ] && has '^explore: stale-reused after' '$tmp/$s.txt' &&
		 '$OUT/replay' --quiet lock_anon_vma '$tmp/$s.bin' | has '^VIOLATION stale-reused'"
done
check "explore dfs finds stale-not-current within 2 preemptions" steps \
	"'$OUT/explore' lock_anon_vma --strategy dfs --bound 2 --stop stale-not-current -o '$tmp/nc.bin' >/dev/null;
	 [ \$? -eq 1 ] && '$OUT/replay' --quiet lock_anon_vma '$tmp/nc.bin' | has '^VIOLATION stale-not-current'"
check "explore dfs clears serialized within 1 preemption" steps \
	"'$OUT/explore' lock_anon_vma --strategy dfs --bound 1 --variant serialized | has '^explore: no violation within bound 1'"
# (the size of the space is the model's: bound 1 has more schedules than
# bound 0, and the first stale-reused is where --stop stale-reused stops)
check "explore --stop none runs the whole bounded space and names each class seen first" steps \
	"'$OUT/explore' lock_anon_vma --strategy dfs --bound 1 --stop none >'$tmp/none1.txt'; [ \$? -eq 0 ] &&
	 '$OUT/explore' lock_anon_vma --strategy dfs --bound 0 --stop none >'$tmp/none0.txt'; [ \$? -eq 0 ] &&
	 n1=\$(sed -n 's/^explore: every schedule run within bound 1, \([0-9]*\) schedules.*/\\1/p' '$tmp/none1.txt') &&
	 n0=\$(sed -n 's/^explore: .* within bound 0, \([0-9]*\) schedules.*/\\1/p' '$tmp/none0.txt') &&
	 [ \"\$n0\" -gt 0 ] && [ \"\$n1\" -gt \"\$n0\" ] &&
	 first=\$(sed -n 's/^explore: seen stale-reused first at schedule \([0-9]*\).*/\\1/p' '$tmp/none1.txt') &&
	 '$OUT/explore' lock_anon_vma --strategy dfs --bound 1 --stop stale-reused -o '$tmp/first.bin' >'$tmp/first.out';
	 has \"^explore: stale-reused after \$first schedules\" '$tmp/first.out'"
check "explore --stop none stopped by --runs after a class showed: the count first" steps \
	"'$OUT/explore' lock_anon_vma --strategy random --runs 300 --stop none -o '$tmp/r300' >'$tmp/r300.txt'; [ \$? -eq 0 ] &&
	 sed -n 1p '$tmp/r300.txt' | has '^explore: stopped at 300 schedules, ' && has '^explore: seen ' '$tmp/r300.txt'"
check "explore: unknown strategy exits 2" expect_exit 2 - "$OUT/explore" lock_anon_vma --strategy bogus
check "explore: --choices other than all or cpu, or with random, exits 2" bash -c \
	"'$OUT/explore' lock_anon_vma --strategy dpor --choices some 2>/dev/null; [ \$? -eq 2 ] &&
	 '$OUT/explore' lock_anon_vma --strategy random --choices cpu 2>/dev/null; [ \$? -eq 2 ]"
check "explore: bad --runs exits 2" expect_exit 2 1 "$OUT/explore" lock_anon_vma --strategy random --runs x
# --jobs 2 merges to what one job finds: the class, the schedule count, the trace.
for args in "--strategy random --seed 2 --stop stale-freed" "--strategy dfs --bound 2 --stop stale-not-current"; do
	check "explore $args: --jobs 2 makes the first find of --jobs 1" steps \
		"'$OUT/explore' lock_anon_vma $args --jobs 1 -o '$tmp/j1.bin' | sed -n '1s/, [0-9.]* s.*//p;3p' >'$tmp/j1.txt';
		 '$OUT/explore' lock_anon_vma $args --jobs 2 -o '$tmp/j2.bin' | sed -n '1s/, [0-9.]* s.*//p;3p' >'$tmp/j2.txt';
		 [ -s '$tmp/j1.txt' ] && cmp '$tmp/j1.txt' '$tmp/j2.txt' && cmp '$tmp/j1.bin' '$tmp/j2.bin' && ! ls '$tmp'/j2.bin.job* 2>/dev/null"
done
check "explore dfs finds reorder16's one-delay bug among 16 CPUs at bound 1" steps \
	"'$OUT/explore' reorder16 --strategy dfs -o '$tmp/ro.bin' | has '^explore: assert after [0-9]* schedules, .*, bound 1\$'"
check "explore dpor refuses weak memory, exit 2" \
	expect_exit 2 - "$OUT/explore" reorder16 --strategy dpor --memory weak
check "explore dpor: one job only, exit 2" \
	expect_exit 2 - "$OUT/explore" reorder16 --strategy dpor --jobs 2

# Both backends run the same schedule to the same trace.
SCHED_BACKEND=pthread "$OUT/replay" --events --hash lock_anon_vma "$seed" "$tmp/big" >"$tmp/trace-pthread"
check "the pthread backend prints the same trace as the fiber backend" cmp "$tmp/trace1" "$tmp/trace-pthread"
check "unknown SCHED_BACKEND: one line, exit 2" \
	expect_exit 2 1 env SCHED_BACKEND=bogus "$OUT/replay" lock_anon_vma "$seed"
check "SCHED_NOISE out of range: one line, exit 2" \
	expect_exit 2 1 env SCHED_NOISE=99 "$OUT/replay" lock_anon_vma "$seed"
check "SCHED_NOISE=8 runs 12 CPUs" steps \
	"SCHED_NOISE=8 '$OUT/replay' lock_anon_vma '$tmp/big' | has '| CPU11'"

# rmap_ops: the corpus seeds, the fuzz target from an empty corpus, explore.
chain=rmap-unreachable,rmap-walk-missed,chain-mismatch,anon-vma-freed-in-use
ea=corpus/rmap_ops/ea90002b-child-swaps-in-first
check "replay rmap_ops prints each CPU's program, the diagram and the verdict, exit 1" \
	expect_exit 1 0 "$OUT/replay" --variant 646d87b4 rmap_ops "$ea"
check "the ea90002b seed: programs, columns, rmap-unreachable" steps \
	"has -x 'cpu0: fault(P0,0) fork(P0) swapout(page0) swapin(P1,0)' '$tmp/out' &&
	 has -x 'cpu1: swapin(P0,0) exit(P1)' '$tmp/out' &&
	 has '^  step | CPU0 .*| CPU1' '$tmp/out' &&
	 has '^VIOLATION rmap-unreachable: page0 is mapped by' '$tmp/out'"
check "SCHED_NOISE=2 on rmap_ops: two noise CPUs after the programs' CPUs" steps \
	"SCHED_NOISE=2 '$OUT/replay' --variant 646d87b4 rmap_ops '$ea' >'$tmp/noise.txt';
	 has '^cpu2\.\.cpu3: noise' '$tmp/noise.txt' && has '| CPU3' '$tmp/noise.txt' &&
	 has 'page_n1' '$tmp/noise.txt'"
check "SCHED_NOISE out of range on rmap_ops: one line, exit 2" \
	expect_exit 2 1 env SCHED_NOISE=13 "$OUT/replay" rmap_ops "$ea"
check "every rmap_ops seed replays OK on v2.6.34" \
	expect_exit 0 0 "$OUT/replay" --quiet rmap_ops corpus/rmap_ops/*
check "the 2.6.36-rc1 hang seed: lock-mismatch on v2.6.36-rc1, none on v2.6.36" steps \
	"'$OUT/replay' --quiet --variant v2.6.36-rc1 rmap_ops corpus/rmap_ops/v2.6.36-rc1-root-repointed | has '^VIOLATION lock-mismatch: cpu1 releases &root->lock' &&
	 ! '$OUT/replay' --quiet --variant v2.6.36 rmap_ops corpus/rmap_ops/v2.6.36-rc1-root-repointed | has lock-mismatch"
check "fuzz_rmap_ops finds a chain violation on v2.6.34-rc3 from an empty corpus" steps \
	"mkdir -p '$tmp/rc3' && cd '$tmp/rc3' && RMAP_VARIANT=v2.6.34-rc3 SCHED_STOP=$chain '$OUT/fuzz_rmap_ops' -seed=1 -max_total_time=60 . 2>log;
	 [ \$? -ne 0 ] && has '^==schedfuzz== rmap_ops, variant v2.6.34-rc3,' log &&
	 '$OUT/replay' --quiet --variant v2.6.34-rc3 rmap_ops crash-* | has -E '^VIOLATION (${chain//,/|})'"
check "fuzz_rmap_ops finds the ea90002b bug on 646d87b4: fork, swapout, the child swaps in first" steps \
	"mkdir -p '$tmp/646' && cd '$tmp/646' && RMAP_VARIANT=646d87b4 SCHED_STOP=rmap-unreachable '$OUT/fuzz_rmap_ops' -seed=1 -max_total_time=60 . 2>log;
	 [ \$? -ne 0 ] && '$OUT/replay' --variant 646d87b4 rmap_ops crash-* >r.txt;
	 has '^VIOLATION rmap-unreachable: .* is not on .*chain\|^VIOLATION rmap-unreachable: .* was freed' r.txt &&
	 has 'fork(P' r.txt && has 'swapout(page' r.txt && has 'swapin(P' r.txt"
check "explore rmap_ops: dfs needs --program, exit 2" \
	expect_exit 2 - "$OUT/explore" rmap_ops --strategy dfs
check "explore: --program is for rmap_ops, exit 2" \
	expect_exit 2 - "$OUT/explore" lock_anon_vma --strategy dfs --program "$ea"
check "explore dfs runs the schedules of the ea90002b program: none break v2.6.34 within 1 preemption" steps \
	"'$OUT/explore' rmap_ops --strategy dfs --bound 1 --program '$ea' --stop $chain >'$tmp/dfs.txt';
	 [ \$? -eq 0 ] && has ' within bound 1, [0-9]* schedules' '$tmp/dfs.txt' &&
	 ! grep -Eq '^explore: seen (${chain//,/|}) ' '$tmp/dfs.txt'"
check "explore random draws programs and finds a chain class on v2.6.34-rc3; its file replays to it" steps \
	"'$OUT/explore' rmap_ops --strategy random --variant v2.6.34-rc3 --stop $chain --seconds 60 -o '$tmp/ops.bin' >'$tmp/ops.txt';
	 [ \$? -eq 1 ] && c=\$(sed -n 's/^explore: \([a-z-]*\) after.*/\1/p' '$tmp/ops.txt') &&
	 '$OUT/replay' --quiet --variant v2.6.34-rc3 rmap_ops '$tmp/ops.bin' | has \"^VIOLATION \$c\""

# Text schedules: dump, edit, errors, back to binary; the fuzz targets take them.
txt=corpus/lock_anon_vma/mail-race.txt
check "replay --dump writes a text schedule that replays the same trace" steps \
	"'$OUT/replay' --dump lock_anon_vma '$seed' >'$tmp/d.txt' && head -1 '$tmp/d.txt' | has -x 'schedfuzz schedule v1' &&
	 [ \"\$('$OUT/replay' --quiet --hash lock_anon_vma '$tmp/d.txt' | grep trace-hash)\" = \"\$('$OUT/replay' --quiet --hash lock_anon_vma '$seed' | grep trace-hash)\" ]"
check "the hand-written mail-race.txt replays to stale-reused, exit 1" \
	expect_exit 1 0 "$OUT/replay" --quiet lock_anon_vma "$txt"
check "text -> binary (--binary) replays the same trace" steps \
	"'$OUT/replay' --binary '$tmp/t.bin' lock_anon_vma '$txt' &&
	 [ \"\$('$OUT/replay' --quiet --hash lock_anon_vma '$tmp/t.bin' | grep trace-hash)\" = \"\$('$OUT/replay' --quiet --hash lock_anon_vma '$txt' | grep trace-hash)\" ]"
check "rmap_ops: dump keeps the programs; the text replays the same verdict" steps \
	"'$OUT/replay' --dump --variant v2.6.36-rc1 rmap_ops corpus/rmap_ops/v2.6.36-rc1-root-repointed >'$tmp/r.txt' &&
	 has '^programs 02 02 01 31 00 09 ' '$tmp/r.txt' &&
	 '$OUT/replay' --quiet --variant v2.6.36-rc1 rmap_ops '$tmp/r.txt' | has '^VIOLATION lock-mismatch'"
printf 'schedfuzz schedule v1\ncpu 0 x6\ncpu 1 rnu\n' >"$tmp/typo.txt"
check "a typo in a text schedule: one line naming line and column, exit 2" \
	expect_exit 2 1 "$OUT/replay" lock_anon_vma "$tmp/typo.txt"
check "the line names the typo's line and column" \
	has 'typo.txt: line 3, column 7: expected xN' "$tmp/err"
printf 'schedfuzz schedule v1\ncpu 7\n' >"$tmp/cpu7.txt"
check "a CPU the scenario does not have: one line, exit 2" \
	expect_exit 2 1 "$OUT/replay" lock_anon_vma "$tmp/cpu7.txt"
printf 'schedfuzz schedule v1\nprograms 01\n' >"$tmp/prog.txt"
check "a programs line for lock_anon_vma: one line, exit 2" \
	expect_exit 2 1 "$OUT/replay" lock_anon_vma "$tmp/prog.txt"
truncate -s 65M "$tmp/huge"
check "a file over 64 MiB: one line, exit 2" \
	expect_exit 2 1 "$OUT/replay" lock_anon_vma "$tmp/huge"
rm -f "$tmp/huge"
check "fuzz_lock_anon_vma takes a text schedule as input" steps \
	"cd '$tmp' && '$OUT/fuzz_lock_anon_vma' -runs=0 '$repo/$txt' 2>'$tmp/ft.log'; has '^==schedfuzz== lock_anon_vma, variant v2.6.34,' '$tmp/ft.log'"
check "fuzz_schedule_text: 200000 inputs, the parser neither crashes nor leaks" steps \
	"mkdir -p '$tmp/st' && cp '$txt' '$tmp/st/' && cd '$tmp' && '$OUT/fuzz_schedule_text' -runs=200000 -seed=1 -max_len=512 '$tmp/st'"

# The minimizer: fewest preemptions, then fewest context switches.
check "explore random finds stale-reused with many preemptions; --minimize brings it to the mail's one" steps \
	"'$OUT/explore' lock_anon_vma --strategy random --stop stale-reused --seed 3 --seconds 60 -o '$tmp/rnd.bin' >/dev/null;
	 '$OUT/replay' --minimize -o '$tmp/min.txt' lock_anon_vma '$tmp/rnd.bin' >'$tmp/min.log';
	 [ \$? -eq 1 ] && has -E 'stale-reused\): [0-9]+ steps, ([2-9]|[1-9][0-9]+) preemptions -> [0-9]+ steps, 1 preemptions, 2 runs' '$tmp/min.log' &&
	 '$OUT/replay' --quiet lock_anon_vma '$tmp/min.txt' | has '^VIOLATION stale-reused'"
check "the minimized race is the mail's: CPU0 to its spin_lock, then CPU1 (the first two runs of mail-race)" steps \
	"grep '^cpu' '$tmp/min.txt' | sed -n 1,2p | cut -f1 >'$tmp/min.runs' &&
	 '$OUT/replay' --dump lock_anon_vma '$seed' | grep '^cpu' | sed -n 1,2p | cut -f1 >'$tmp/mail.runs' &&
	 has '^cpu 0 x' '$tmp/mail.runs' && diff '$tmp/mail.runs' '$tmp/min.runs'"
check "--minimize of an input without a violation: one line, exit 2" \
	expect_exit 2 1 "$OUT/replay" --variant serialized --minimize -o "$tmp/x.txt" lock_anon_vma "$seed"
check "--minimize without -o: usage, exit 2" \
	expect_exit 2 1 "$OUT/replay" --minimize lock_anon_vma "$seed"

# Weak memory: a load that reads an older store is a decision like any
# other, written and replayed as text; the serialized control stays silent.
cat >"$tmp/mp.txt" <<'EOF2'
schedfuzz schedule v1
# CPU0 stores x, then y; CPU1 reads the new y, then the old x
cpu 0 x3
cpu 1 run
read 0
read 1
EOF2
check "weak: MP without barriers shows its outcome, the diagram says which store each load read" steps \
	"'$OUT/replay' --memory weak litmus/MP+poonceonces '$tmp/mp.txt' >'$tmp/mp.out'; [ \$? -eq 1 ] &&
	 has 'read litmus->x: 0 \\[initial, 1 newer\\]' '$tmp/mp.out' && has 'VIOLATION litmus-exists' '$tmp/mp.out'"
check "sc: the same schedule cannot read the old x, OK" \
	expect_exit 0 - "$OUT/replay" --memory sc litmus/MP+poonceonces "$tmp/mp.txt"
check "weak: --dump writes the read choices; the text replays the same trace" steps \
	"'$OUT/replay' --memory weak --dump litmus/MP+poonceonces '$tmp/mp.txt' >'$tmp/mp2.txt' && has '^read 1' '$tmp/mp2.txt' &&
	 cmp <('$OUT/replay' --memory weak --events --hash litmus/MP+poonceonces '$tmp/mp.txt' | grep -v '^== ') \
	     <('$OUT/replay' --memory weak --events --hash litmus/MP+poonceonces '$tmp/mp2.txt' | grep -v '^== ')"
check "unknown --memory: one line, exit 2" \
	expect_exit 2 1 "$OUT/replay" --memory tso lock_anon_vma "$seed"
check "unknown SCHED_MEMORY in a fuzz target: one line, exit 2" \
	expect_exit 2 1 env SCHED_MEMORY=tso "$OUT/fuzz_lock_anon_vma" -runs=1
check "fuzz_lock_anon_vma on serialized, weak memory: 20000 runs, no report" steps \
	"mkdir -p '$tmp/corpusw' && SCHED_MEMORY=weak RMAP_VARIANT=serialized '$OUT/fuzz_lock_anon_vma' -runs=20000 -seed=1 '$tmp/corpusw' corpus/lock_anon_vma 2>'$tmp/serw.log'"
check "fuzz_rmap_ops on serialized, weak-alpha memory: 20000 runs, no report" steps \
	"mkdir -p '$tmp/corpusw2' && SCHED_MEMORY=weak-alpha RMAP_VARIANT=serialized '$OUT/fuzz_rmap_ops' -runs=20000 -seed=1 '$tmp/corpusw2' corpus/rmap_ops 2>'$tmp/serw2.log'"

# Found by fuzz_lock_anon_vma under weak-alpha: v2.6.36 loads anon_vma->root
# through the pointer it just read from page->mapping with no
# smp_read_barrier_depends, sees the root not yet written, and locks NULL.
root=tests/data/v2.6.36-root-without-read-barrier-depends.bin
check "weak-alpha: v2.6.36 reads a stale anon_vma->root and takes a NULL lock: null-deref, exit 1" steps \
	"'$OUT/replay' --memory weak-alpha --variant v2.6.36 lock_anon_vma '$root' >'$tmp/root.out'; [ \$? -eq 1 ] &&
	 has 'VIOLATION null-deref' '$tmp/root.out' && has 'anon_vma#1->root: 0 \\[initial' '$tmp/root.out'"
check "weak (dependencies ordered): the same input is clean" \
	expect_exit 0 - "$OUT/replay" --memory weak --variant v2.6.36 lock_anon_vma "$root"

# Triage: crash files grouped by signature, one minimized per group.
mkdir -p "$tmp/crashes"
cp corpus/lock_anon_vma/mail-race corpus/lock_anon_vma/mail-race.txt "$tmp/rnd.bin" "$tmp/crashes/"
"$OUT/explore" lock_anon_vma --strategy pct --stop stale-freed --seed 2 --seconds 30 -o "$tmp/sf.bin" >/dev/null
cp "$tmp/sf.bin" "$tmp/crashes/"
: >"$tmp/crashes/empty"
check "triage: one line per group, most members first, then the totals" steps \
	"'$OUT/triage' --minimize '$tmp/min' lock_anon_vma '$tmp/crashes' >'$tmp/tri.txt' &&
	 sed -n 1p '$tmp/tri.txt' | has -E '^ +2  stale-reused .*mail-race \($(wc -c <"$seed") bytes\)  stale-reused: cpuN: page_lock_anon_vma returns anon_vma#N' &&
	 has -E '^ +1  stale-freed ' '$tmp/tri.txt' &&
	 tail -1 '$tmp/tri.txt' | has -x '[34] groups; 1 files without a violation, 0 unreadable'"
check "triage --minimize: each group's file replays to its class" steps \
	"'$OUT/replay' --quiet lock_anon_vma '$tmp/min/group-1.txt' | has '^VIOLATION stale-reused' &&
	 ls '$tmp/min' | grep -c group- | has -x \"\$(tail -1 '$tmp/tri.txt' | cut -d' ' -f1)\""
check "triage: a missing file is one line, and exit 2 at the end" \
	expect_exit 2 1 "$OUT/triage" lock_anon_vma "$tmp/nope" "$tmp/crashes"
check "triage: unknown scenario, exit 2" expect_exit 2 1 "$OUT/triage" nope "$tmp/crashes"

# The OSS-Fuzz / ClusterFuzzLite build path, with the variables set as
# OSS-Fuzz sets them for an ASan build (but libc++, which this machine has
# not; C targets do not need it).
oss_flags="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
mkdir -p "$tmp/oss"
check "build.sh with OSS-Fuzz's CC, CXX, CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE and OUT" \
	env CC=clang CXX=clang++ CFLAGS="$oss_flags" CXXFLAGS="$oss_flags" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT="$tmp/oss" ./build.sh
check "OSS-Fuzz OUT: CI's targets, each with its scenario's seed corpus zip, .options and .dict" steps \
	"cd '$tmp/oss' && [ \$(ls ci_* | grep -vc '\\.') -eq \$(grep -c '^ci_' '$repo/fuzz/ci-targets') ] &&
	 for t in \$(sed -n 's/^\\(ci_[a-z0-9_]*\\) .*/\\1/p' '$repo/fuzz/ci-targets'); do
	   sc=\$(awk -v t=\$t '\$1 == t { print \$2 }' '$repo/fuzz/ci-targets');
	   [ -x \$t ] && [ -s \$t.options ] && [ -s \$t.dict ] &&
	   unzip -l \${t}_seed_corpus.zip | tail -1 | has -E \" \$(ls '$repo/corpus/'\$sc | wc -l) files?\$\" || exit 1; done;
	 unzip -l ci_lock_anon_vma_serialized_seed_corpus.zip | has mail-race.txt"
check "an OSS-Fuzz-built target runs its seed corpus with its options and dictionary, in OSS-Fuzz's environment (none of ours): clean" steps \
	"cd '$tmp/oss' && mkdir -p seeds && unzip -q -o ci_lock_anon_vma_serialized_seed_corpus.zip -d seeds &&
	 env -i PATH=\"\$PATH\" ./ci_lock_anon_vma_serialized -runs=2000 -max_len=4096 -dict=ci_lock_anon_vma_serialized.dict seeds 2>/dev/null"

# Hardening: one crash, replayed 1000 times in one process and once in each
# of 100 processes, gives one trace hash.
crash="$tmp/rnd.bin"
check "one crash replayed 1000 times in one process: one trace hash" steps \
	"files=\$(for i in \$(seq 1000); do printf '%s ' '$crash'; done);
	 '$OUT/replay' --quiet --hash lock_anon_vma \$files | grep trace-hash | sort | uniq -c >'$tmp/h1';
	 [ \$(wc -l <'$tmp/h1') -eq 1 ] && has '^ *1000 ' '$tmp/h1'"
check "the same crash in 100 processes: the same trace hash" steps \
	"for i in \$(seq 100); do '$OUT/replay' --quiet --hash lock_anon_vma '$crash' | grep trace-hash; done | sort | uniq -c >'$tmp/h2';
	 [ \$(wc -l <'$tmp/h2') -eq 1 ] && has '^ *100 ' '$tmp/h2' && [ \"\$(awk '{print \$3}' '$tmp/h2')\" = \"\$(awk '{print \$3}' '$tmp/h1')\" ]"

# The pictures (--svg, --mail) are checked by tests/picture.sh.
unpub=tests/data/v2.6.36-weak-root-unpublished.txt
check "rmap_ops weak: v2.6.36 finds a neighbour's anon_vma before its ->root is visible: null-deref, exit 1" steps \
	"'$OUT/replay' --memory weak --variant v2.6.36 rmap_ops '$unpub' >'$tmp/unpub.out'; [ \$? -eq 1 ] &&
	 has 'VIOLATION null-deref' '$tmp/unpub.out' && has 'read anon_vma#0->root: 0 \\[initial' '$tmp/unpub.out'"
check "rmap_ops sc: the same schedule is clean" \
	expect_exit 0 - "$OUT/replay" --variant v2.6.36 rmap_ops "$unpub"
check "the ASan fuzz target reports that NULL access as null-deref and, with SCHED_STOP=none, goes on (no UBSan stop)" steps \
	"SCHED_MEMORY=weak RMAP_VARIANT=v2.6.36 SCHED_STOP=none SCHED_FINDINGS='$tmp/nd' '$OUT/fuzz_rmap_ops' -runs=0 '$unpub' 2>'$tmp/nd.log' &&
	 ! grep -q UndefinedBehaviorSanitizer '$tmp/nd.log' && has 'first null-deref' '$tmp/nd.log'"
# Two weak schedules of today's code (docs/modern.md): the root still
# stored before the locks that publish the anon_vma (a finding), and a
# walker whose folio_mapped check reads the _mapcount from before an
# unmap that came first: what it promises is about what it saw, so no
# stale-unmapped (the oracle judges the state from the store it read).
nd2=tests/data/2555283e-weak-root-unpublished.txt
check "rmap_ops weak: 2555283e, today's anon_vma_prepare, the same null-deref" steps \
	"'$OUT/replay' rmap_ops '$nd2' >'$tmp/nd2.out'; [ \$? -eq 1 ] &&
	 has 'VIOLATION null-deref' '$tmp/nd2.out' && has 'read anon_vma#0->root: 0 \\[initial' '$tmp/nd2.out'"
fw=tests/data/2555283e-weak-mapcount-before-unmap.txt
check "rmap_ops weak: 2555283e, folio_mapped reads the _mapcount from before the unmap: OK, not stale-unmapped" steps \
	"'$OUT/replay' --events rmap_ops '$fw' >'$tmp/fw.out' &&
	 has '^OK' '$tmp/fw.out' && has 'atomic_add_negative(&page0->_mapcount): 0 -> -1' '$tmp/fw.out' &&
	 has 'read &page0->_mapcount: 0 \\[step [0-9]*, 1 newer\\], in page_mapped' '$tmp/fw.out' &&
	 has 'returns anon_vma#0' '$tmp/fw.out'"
# A page swapped in again through the anon_vma its ->mapping already
# holds: a walker returning that anon_vma between the _mapcount increment
# and the store of the same ->mapping is right (it was stale-unmapped).
same=tests/data/folio-remapped-same-anon_vma.txt
check "rmap_ops sc: folio returns the anon_vma a re-mapped page's ->mapping already holds, before the store: OK" steps \
	"'$OUT/replay' --events rmap_ops '$same' >'$tmp/same.out' && has '^OK' '$tmp/same.out' &&
	 inc=\$(grep -n 'cpu3: atomic_inc_and_test(&page0->_mapcount): -1 -> 0' '$tmp/same.out' | tail -1 | cut -d: -f1) &&
	 ret=\$(grep -n 'cpu1: returns anon_vma#0' '$tmp/same.out' | tail -1 | cut -d: -f1) &&
	 st=\$(grep -n 'cpu3: page0->mapping = anon_vma#0+1' '$tmp/same.out' | tail -1 | cut -d: -f1) &&
	 [ \"\$inc\" -lt \"\$ret\" ] && [ \"\$ret\" -lt \"\$st\" ]"
reuse=tests/data/ea90002b-weak-page-reuse.txt
check "weak: a page from the allocator is taken over as its last life left it (no false rmap-walk-missed)" steps \
	"'$OUT/replay' --memory weak --variant ea90002b rmap_ops '$reuse' >'$tmp/reuse.out' &&
	 has '^OK' '$tmp/reuse.out' && has 'page0->index = 0' '$tmp/reuse.out' && ! grep -q 'page0.*before' '$tmp/reuse.out'"
tap_end
