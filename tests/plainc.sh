#!/usr/bin/env bash
# plainc.sh - plain-C scenarios as a user runs them (docs/plain-c.md):
# plain_counter's lost deposit, which needs a preemption between the load
# and the store of "balance += amount", is found by explore's random, pct
# and dfs and by libFuzzer, and the same program built without the
# instrumentation (out/plainc-off/) finds it under none of them; a data
# race stops a fuzz target like any class and its replay marks both
# accesses; the rmap model's plain-C build (out/plainc/) reports the
# 2010 races; SCHED_RACES takes lkmm, kcsan or off and nothing else.
# TAP: "ok N - plainc: ...", then "1..N".
set -u
. "$(dirname "$0")/lib/tap.sh"
tap_setup plainc

# ---- the lost deposit, with and without the instrumentation -------------

for strategy in random pct dfs; do
	check "explore --strategy $strategy finds the lost deposit (exit 1)" \
		expect_exit 1 - "$OUT/explore" plain_counter --strategy "$strategy" \
		--stop assert --runs 2000 -o "$tmp/found-$strategy"
	check "built without the instrumentation, $strategy does not (exit 0)" \
		expect_exit 0 - "$OUT/plainc-off/explore" plain_counter \
		--strategy "$strategy" --stop assert --runs 2000
done
check "dfs without a preemption does not find it, with one it does" steps "
	'$OUT/explore' plain_counter --strategy dfs --bound 0 --stop assert
	[ \$? -eq 0 ] || exit 1
	'$OUT/explore' plain_counter --strategy dfs --bound 1 --stop assert >/dev/null
	[ \$? -eq 1 ]"
check "the replay shows the preemption between a load and a store" steps "
	'$OUT/replay' '$tmp/found-dfs.txt' >'$tmp/replay'
	grep -q '^  *1 | read acct+8: 100' '$tmp/replay'
	grep -q '| read acct+8: 100 *\$' '$tmp/replay'
	grep -q '^VIOLATION assert: BUG_ON(acct->balance != 130)' '$tmp/replay'"

mkdir -p "$tmp/corpus" "$tmp/corpus-off"
check "libFuzzer finds it: exit 77, a crash file" steps "
	SCHED_STOP=assert '$OUT/fuzz' plain_counter -seed=1 -runs=20000 \
		-artifact_prefix='$tmp/lf-' '$tmp/corpus' 2>'$tmp/lf.log'
	[ \$? -eq 77 ] && ls '$tmp'/lf-crash-*.txt"
check "libFuzzer on the build without the instrumentation does not (exit 0)" \
	env SCHED_STOP=assert "$OUT/plainc-off/fuzz" plain_counter -seed=1 \
	-runs=20000 -artifact_prefix="$tmp/off-" "$tmp/corpus-off"

# A plain-C file compiled without the callbacks (no clang for it) is
# refused, at start: a fuzz target linked from the build's objects and
# such a plain_counter.c.
lib=$(ls "$OUT"/obj/san-edges/{rmap,scenarios,fuzz}/*.o | grep -v \
	-e /plain_counter.o -e '/fuzz[-_.][^/]*$' -e /ci-)
check "a plain-C scenario compiled without the callbacks: refused, one line, exit 2" steps "
	clang -std=gnu11 -g -O1 -fsanitize=address,undefined \
		-fsanitize=fuzzer-no-link -c scenarios/plain_counter.c -o '$tmp/pc.o'
	clang -fsanitize=fuzzer,address,undefined -pthread \
		'$OUT'/obj/san-sched/sched/*.o $(echo $lib) '$tmp/pc.o' \
		'$OUT/obj/san-edges/fuzz/fuzz.o' -o '$tmp/fuzz-uninstrumented'
	'$tmp/fuzz-uninstrumented' plain_counter -runs=1 2>'$tmp/refused'
	[ \$? -eq 2 ] && [ \$(wc -l <'$tmp/refused') -eq 1 ] &&
	grep -q 'scenario plain_counter is plain C (SCENARIO_PLAIN_C) but scenarios/plain_counter.c was compiled without' '$tmp/refused'"

# ---- data-race as a class -------------------------------------------------

check "SCHED_STOP=data-race stops a fuzz target at a data race (exit 77)" steps "
	SCHED_STOP=data-race '$OUT/fuzz' race/2W -seed=1 -runs=1000 \
		-artifact_prefix='$tmp/race-' '$tmp/corpus' 2>'$tmp/race.log'
	[ \$? -eq 77 ] && grep -q 'first data-race' '$tmp/race.log'"
check "the race/ scenarios where LKMM sees none run clean under dfs" steps "
	'$OUT/explore' 'race/MP+release+acquire' --strategy dfs --bound 64
	[ \$? -eq 0 ]"
check "a data race's replay marks both accesses" steps "
	'$OUT/explore' race/RW+once-write --strategy dfs --stop data-race \
		-o '$tmp/rw' >/dev/null
	'$OUT/replay' '$tmp/rw.txt' >'$tmp/rw.out'
	grep -q '^  *1\* | WRITE_ONCE\\|^  *1\* | v->x = 1' '$tmp/rw.out'
	grep -q '^  *2\* | *| read v: 1' '$tmp/rw.out'
	grep -q 'VIOLATION data-race: v: cpu1 plain read at races.c:[0-9]* in read_x() (step 2), unordered with cpu0 marked write at races.c:[0-9]* in write_once_x() (step 1)' '$tmp/rw.out'"
check "and so does its picture" steps "
	'$OUT/replay' --svg '$tmp/rw.svg' '$tmp/rw.txt' >/dev/null
	grep -q \"class='key'><title>step 1 cpu0 write_once_x()\" '$tmp/rw.svg'
	grep -q \"class='key'><title>step 2 cpu1 read_x()\" '$tmp/rw.svg'"

check "SCHED_RACES=kcsan leaves out a race of aligned plain writes" steps "
	SCHED_RACES=kcsan '$OUT/explore' race/2W --strategy dfs --bound 64
	[ \$? -eq 0 ]"
check "SCHED_RACES=bogus: one line, exit 2" \
	expect_exit 2 1 env SCHED_RACES=bogus "$OUT/explore" race/2W \
	--strategy dfs
check "it names the valid values" has "SCHED_RACES 'bogus' (valid: lkmm, kcsan, off)" "$tmp/err"

# ---- the rmap model as plain C ---------------------------------------------

check "out/plainc/: lock_anon_vma reports the 2010 race on page->mapping" steps "
	'$OUT/plainc/explore' lock_anon_vma --strategy random --stop data-race \
		--runs 200 -o '$tmp/lav' >'$tmp/lav.log'
	'$OUT/plainc/replay' '$tmp/lav.txt' | grep -q 'VIOLATION data-race: page_A+8: .* plain write at page_rmap.c:[0-9]* in __page_set_anon_rmap()'"
check "the default build's rmap model has no plain access: no data race" steps "
	'$OUT/explore' lock_anon_vma --strategy random --stop data-race --runs 200
	[ \$? -eq 0 ]"

tap_end
