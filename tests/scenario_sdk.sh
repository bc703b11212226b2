#!/usr/bin/env bash
# scenario_sdk.sh - a scenario of a user's own is one new file and nothing
# else: in a scratch copy of the repository, writes the example of
# docs/writing-a-scenario.md (from the page's own text) into scenarios/,
# plus one that uses a plain static through READ_ONCE, builds, and checks
# that every tool takes the new scenario: replay --list, explore (random,
# pct, dfs), libFuzzer through out/fuzz NAME, the printed replay command,
# --minimize, --svg; that the fixed variant is clean over every
# interleaving; and that the plain static stops with one line.
#
#   OUT=out bash tests/scenario_sdk.sh
#
# The copy reuses $OUT's objects (their times kept), so only the new files
# compile.  TAP output, the plan last.
set -u
cd "$(dirname "$0")/.." || exit 2
repo=$(pwd)
built=$(cd "${OUT:-out}" 2>/dev/null && pwd) || { echo "1..0 # SKIP no OUT"; exit 0; }
export OUT=out		# the copy's own, from here on
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/lib/tap.sh"
tap_begin sdk

# The scratch copy: the tracked and new files, and the built objects, with
# their times.
copy=$tmp/repo
mkdir -p "$copy"
git ls-files -z --cached --others --exclude-standard |
	xargs -0 cp -a --parents -t "$copy" 2>/dev/null
cp -a "$built" "$copy/out"

# The page's example, as the page has it.
awk '/^<!-- example: scenarios\/conn_limit.c -->$/ { found = 1; next }
     found && /^```c$/ { body = 1; next }
     body && /^```$/ { exit }
     body { print }' docs/writing-a-scenario.md >"$copy/scenarios/conn_limit.c"
cat >"$copy/scenarios/static_counter.c" <<'EOF'
/* static_counter - shared state in a plain static: refused. */
#include "scenario.h"

static int counter;

static void bump(void)
{
	WRITE_ONCE(counter, READ_ONCE(counter) + 1);
}

SCENARIO(static_counter) = {
	.name = "static_counter",
	.summary = "a counter in a plain static",
	.cpu = { bump, bump },
};
EOF
cd "$copy" || exit 2
R=out/replay E=out/explore F=out/fuzz

check "the page's example is a C file" grep -q '^SCENARIO(conn_limit)' scenarios/conn_limit.c
check "./build.sh builds it with no other edit" ./build.sh replay explore fuzz
check "replay --list lists it, its summary and variants" bash -c \
	"$R --list | grep -A1 '^conn_limit ' | grep -q 'variants (SCHED_VARIANT): racy, locked' &&
	 $R --list | grep -q '^conn_limit  *a connection limit checked, then bumped, by two CPUs'"
for s in random pct "dfs --bound 1"; do
	check "explore --strategy $s finds the BUG_ON of the check (exit 1)" bash -c \
		"$E conn_limit --strategy $s --seconds 20 -o w-${s%% *} >log; [ \$? -eq 1 ] &&
		 grep -q '^VIOLATION assert: BUG_ON(1 + atomic_read(&srv->opened) > MAX_CONNS) at conn_limit.c:[0-9]* in check()' log &&
		 [ -s w-${s%% *} ] && head -1 w-${s%% *}.txt | grep -qx 'schedfuzz schedule v1'"
done
check "the fixed variant: no violation in every interleaving (dfs, bound 10)" bash -c \
	"$E conn_limit --variant locked --strategy dfs --bound 10 >log; [ \$? -eq 0 ] &&
	 grep -q '^explore: no violation within bound 10' log"
check "libFuzzer (out/fuzz conn_limit) finds it from an empty corpus" bash -c \
	"mkdir -p corp && $F conn_limit -seed=1 -max_total_time=30 -artifact_prefix=fz- corp 2>fz.log; [ \$? -ne 0 ] &&
	 grep -q '^schedfuzz: conn_limit, variant racy' fz.log && grep -q '^VIOLATION assert' fz.log &&
	 ls fz-crash-* | grep -q '\.txt$'"
check "the printed replay command, pasted as is, replays the same trace" bash -c \
	"cmd=\$(sed -n 's/^replay: //p' fz.log); want=\$(sed -n 's/^trace-hash //p' fz.log);
	 (cd / && \$cmd) >rp.log; [ \$? -eq 1 ] && grep -q '^VIOLATION assert' rp.log &&
	 grep -qx \"trace-hash \$want\" rp.log"
check "replay --minimize and --svg take it" bash -c \
	"$R --minimize -o min.txt w-dfs.txt >m.log; [ \$? -eq 1 ] &&
	 grep -q '(assert): .* -> .* 1 preemptions' m.log &&
	 $R --svg p.svg min.txt >/dev/null; [ \$? -eq 1 ] && grep -q '<svg' p.svg &&
	 $R min.txt | grep -q '^VIOLATION assert'"
check "SCHED_VARIANT picks the variant; an unknown one lists the scenario's" bash -c \
	"SCHED_VARIANT=locked $R conn_limit w-dfs >/dev/null; [ \$? -eq 0 ] &&
	 $R --variant nope conn_limit w-dfs 2>err; [ \$? -eq 2 ] && [ \$(wc -l <err) -eq 1 ] &&
	 grep -q \"unknown variant 'nope' of conn_limit (valid: racy, locked)\" err"
check "a plain static through READ_ONCE stops with one line naming the fix (exit 2)" bash -c \
	"$R static_counter /dev/null >/dev/null 2>err; [ \$? -eq 2 ] && [ \$(wc -l <err) -eq 1 ] &&
	 grep -q 'not shared memory.*sched_world_alloc' err"
tap_end
