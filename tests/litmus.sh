#!/usr/bin/env bash
# litmus.sh - out/litmus as a user runs it: the whole corpus of
# tests/litmus/ agrees with LKMM (or departs as each file documents) under
# weak and weak-alpha, files written in the kernel's exact syntax parse,
# the output is herd7's, and every kind of bad input is one line
# "FILE:LINE:COL: message" and exit 2.  TAP: "ok N - ...", then "1..N".
set -u
OUT=$(cd "${OUT:-out}" && pwd)
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

check() {	# check DESCRIPTION COMMAND...: ok when the command succeeds
	local desc=$1
	shift
	n=$((n + 1))
	if "$@" >/dev/null 2>&1; then echo "ok $n - litmus: $desc"
	else echo "not ok $n - litmus: $desc"; fi
}

# fails FILE PATTERN: out/litmus FILE exits 2 with exactly one line on
# stderr, "FILE:LINE:COL: ..." matching PATTERN, and nothing on stdout.
fails() {
	"$OUT/litmus" "$1" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		grep -Eq "^$1:[0-9]+:[0-9]+: $2" "$tmp/err"
}

# ---- the corpus -------------------------------------------------------------

corpus=(tests/litmus/*.litmus)
for memory in weak weak-alpha; do
	"$OUT/litmus" --memory "$memory" "${corpus[@]}" >"$tmp/$memory" 2>&1
	echo $? >"$tmp/$memory.rc"
	check "$memory: all ${#corpus[@]} files agree with their Result line or depart as they document (exit 0)" \
		bash -c "[ \$(cat '$tmp/$memory.rc') -eq 0 ] &&
			 [ \$(grep -c '^Observation ' '$tmp/$memory') -eq ${#corpus[@]} ] &&
			 [ \$(grep -Ec '^Verdict .*: (agrees|departure)' '$tmp/$memory') -eq ${#corpus[@]} ]"
done
check "weak: the departures are LB+poonceonces (no load buffering) and MP+polockonce+poacquiresilsil (exact lock state)" \
	bash -c "[ \"\$(grep '^Verdict .*: departure' '$tmp/weak' | cut -d: -f1)\" = \"Verdict LB+poonceonces
Verdict MP+polockonce+poacquiresilsil\" ]"
check "weak-alpha: the address dependencies depart too, as on Alpha before v4.15" \
	bash -c "grep -q '^Verdict MP+fencewmbonceonce+addronce: departure (Result: Never; Sometimes, as on Alpha' '$tmp/weak-alpha' &&
		 grep -q '^Verdict MP+pooncerelease+derefdatarfiaddr: departure' '$tmp/weak-alpha' &&
		 grep -q '^Verdict MP+fencewmbonceonce+fencerbdepaddronce: agrees' '$tmp/weak-alpha'"
check "the three shapes of issue 15 are Never and agree" \
	bash -c "for t in ISA2+pooncelock+pooncelock+pombonce S+syncrcuonceonce+ctrlonceonce \
			 S+atomicreturnonceonce+ctrlonceonce MP+pooncerelease+derefdatarfiaddr; do
			 grep -q \"^Observation \$t Never 0 \" '$tmp/weak' &&
			 grep -q \"^Verdict \$t: agrees\" '$tmp/weak' || exit 1; done"
check "their controls without the dependency are Sometimes and agree" \
	bash -c "for t in S+syncrcuonceonce+poonceonce S+syncrcuonceonce+ctrlafterif S+fencewmbonceonce+poonceonce; do
			 grep -q \"^Observation \$t Sometimes \" '$tmp/weak' &&
			 grep -q \"^Verdict \$t: agrees\" '$tmp/weak' || exit 1; done"
check "deadlocking and filtered-out tests report herd7's Never 0 0 and say why" \
	bash -c "grep -q '^Observation RCU+sync-in-reader Never 0 0' '$tmp/weak' &&
		 grep -q '^Note RCU+sync-in-reader: 1 of 1 executions deadlock: no final state' '$tmp/weak' &&
		 grep -q '^Observation SB+filter-rejects-all Never 0 0' '$tmp/weak' &&
		 grep -q '^Note SB+filter-rejects-all: the filter rejects 20 of 20 executions: no final state' '$tmp/weak' &&
		 grep -q '^Verdict RM-broken: agrees (Result: DEADLOCK)' '$tmp/weak'"
check "the same corpus twice: the same output, byte for byte" \
	bash -c "'$OUT/litmus' '${corpus[0]}' tests/litmus/IRIW+poonceonces+OnceOnce.litmus tests/litmus/DCL-broken.litmus >'$tmp/a';
		 '$OUT/litmus' '${corpus[0]}' tests/litmus/IRIW+poonceonces+OnceOnce.litmus tests/litmus/DCL-broken.litmus >'$tmp/b'; cmp '$tmp/a' '$tmp/b'"

# ---- herd7's output ---------------------------------------------------------

"$OUT/litmus" --states tests/litmus/MP+poonceonces.litmus >"$tmp/mp" 2>&1
check "--states lists the four final states of MP+poonceonces, then herd7's Observation line" \
	bash -c "[ \"\$(sed -n '1,2p' '$tmp/mp')\" = 'Test MP+poonceonces
States 4' ] && [ \"\$(sed -n '3,6p' '$tmp/mp' | sort)\" = '1:r0=0; 1:r1=0;
1:r0=0; 1:r1=1;
1:r0=1; 1:r1=0;
1:r0=1; 1:r1=1;' ] && grep -qx 'Condition exists (1:r0=1 /\\\\ 1:r1=0)' '$tmp/mp' &&
		 grep -qx 'Observation MP+poonceonces Sometimes 1 3' '$tmp/mp' &&
		 grep -qx 'Verdict MP+poonceonces: agrees (Result: Sometimes)' '$tmp/mp'"
check "--states prints pointer values as the variable they point to" \
	bash -c "'$OUT/litmus' --states tests/litmus/MP+onceassign+derefonce.litmus | grep -qx '1:r0=x; 1:r1=1;'"
check "under sc a weak outcome never shows: MP+poonceonces is Never, disagrees, exit 1" \
	bash -c "'$OUT/litmus' --memory sc tests/litmus/MP+poonceonces.litmus >'$tmp/sc'; [ \$? -eq 1 ] &&
		 grep -qx 'Observation MP+poonceonces Never 0 3' '$tmp/sc' &&
		 grep -q '^Verdict MP+poonceonces: DISAGREES (Result: Sometimes, line 4)' '$tmp/sc'"
check "SCHED_MEMORY picks the model when --memory does not" \
	bash -c "SCHED_MEMORY=sc '$OUT/litmus' tests/litmus/MP+poonceonces.litmus | grep -q 'Never 0 3'"
check "--witness draws an execution that shows the outcome, with the store each load read; none for a Never" \
	bash -c "'$OUT/litmus' --witness tests/litmus/S+poonceonces.litmus tests/litmus/S+fencewmbonceonce+poacquireonce.litmus >'$tmp/wit' &&
		 grep -q '| read y: 1 \\[step 2\\]' '$tmp/wit' && grep -q '| x = 1 \\[before 1 newer\\]' '$tmp/wit' &&
		 [ \$(grep -c '^  step | CPU0' '$tmp/wit') -eq 1 ]"
check "--stats gives the executions, the time and the longest decision path" \
	bash -c "'$OUT/litmus' --stats tests/litmus/SB+poonceonces.litmus | grep -Eq '^Stats SB\\+poonceonces: 20 executions in [0-9.]+ s \\([0-9]+/s\\), longest [0-9]+ decisions, weak$'"

# A Result line that is wrong, and a departure that does not happen.
sed 's/Result: Sometimes/Result: Never/' tests/litmus/SB+poonceonces.litmus >"$tmp/wrong.litmus"
check "a file whose Result line the model contradicts: DISAGREES, exit 1" \
	bash -c "'$OUT/litmus' '$tmp/wrong.litmus' >'$tmp/w'; [ \$? -eq 1 ] && grep -q '^Verdict SB+poonceonces: DISAGREES (Result: Never, line 4)' '$tmp/w'"
sed 's/^ \* Result: Never$/ * Result: Never\n * schedfuzz: Sometimes (a departure that is not there)/' \
	tests/litmus/SB+fencembonceonces.litmus >"$tmp/stale.litmus"
check "a documented departure the model does not make: DISAGREES, exit 1" \
	bash -c "'$OUT/litmus' '$tmp/stale.litmus' >'$tmp/s'; [ \$? -eq 1 ] && grep -q 'documented departure: Sometimes, not seen: remove it' '$tmp/s'"
check "the exit status of several files is the worst: 1 for one disagreement" \
	bash -c "'$OUT/litmus' tests/litmus/SB+poonceonces.litmus '$tmp/wrong.litmus' >/dev/null; [ \$? -eq 1 ]"

# ---- the kernel's syntax ----------------------------------------------------

# Written here in the form of the kernel's files: a header comment with
# the Result line, "{}" or typed init blocks with pointers, C comments in
# the bodies, undeclared registers, casts, a locations clause with a
# comment after it, exists on its own line.
cat >"$tmp/K1.litmus" <<'EOF'
C K1+typedinit+comments

(*
 * Result: Never
 *
 * (* A nested comment, as OCaml allows. *)
 *)

{
	int x = 0;
	int y = 0;
	int *p = &y;
	spinlock_t lck;
}

P0(int *x, int **p, spinlock_t *lck) // the writer
{
	/* publish x through p */
	spin_lock(lck);
	WRITE_ONCE(*x, 1);
	spin_unlock(lck);
	rcu_assign_pointer(*p, x);
}

P1(int *x, int **p)
{
	int *r0;

	rcu_read_lock();
	r0 = rcu_dereference(*p);
	r1 = READ_ONCE(*r0);	// r1 is not declared: herd7 takes it
	(void)READ_ONCE(*x);
	rcu_read_unlock();
}

locations [x; 1:r0] (* shown in every state *)
exists
(1:r0=x /\ 1:r1=0)
EOF
cat >"$tmp/K2.litmus" <<'EOF'
C K2+bareinit

{
	y=x;
	1:r2=3;
}

P0(int *x)
{
	WRITE_ONCE(*x, 1);
}

P1(int *x, int **y)
{
	int *r0;
	int r1;
	int r2;

	r0 = READ_ONCE(*y);
	if (r0 == x) {
		r1 = READ_ONCE(*r0);
	} else
		r1 = -1;
	r2 = r2 + 1;
}

exists (1:r1=1 /\ 1:r2=4 /\ ~y=x \/ false)
EOF
check "kernel syntax: typed init with a pointer, C and nested OCaml comments, an undeclared register, a cast, locations, exists on its own line" \
	bash -c "'$OUT/litmus' --states '$tmp/K1.litmus' >'$tmp/k1' && grep -qx 'Observation K1+typedinit+comments Never 0 2' '$tmp/k1' &&
		 grep -qx 'x=1; 1:r0=x; 1:r1=1;' '$tmp/k1' && grep -qx 'x=1; 1:r0=y; 1:r1=0;' '$tmp/k1'"
check "kernel syntax: bare init (y=x), a register's initial value, if/else, no Result line" \
	bash -c "'$OUT/litmus' '$tmp/K2.litmus' >'$tmp/k2'; [ \$? -eq 0 ] && grep -qx 'Observation K2+bareinit Never 0 2' '$tmp/k2' &&
		 grep -qx 'Verdict K2+bareinit: no Result line to check' '$tmp/k2'"

# ---- bad input: one line FILE:LINE:COL: message, exit 2 --------------------

bad() {	# bad NAME BODY: a file with this body after "C NAME" and {}
	printf 'C %s\n\n{}\n\n%s\n' "$1" "$2" >"$tmp/$1.litmus"
	echo "$tmp/$1.litmus"
}
f=$(bad syntax 'P0(int *x)
{
	WRITE_ONCE(*x, 1)
}

exists (x=1)')
check "a parse error: FILE:LINE:COL and what was expected" fails "$f" "expected ';', found '}'"
check "... at the line and column of the offending token" grep -q "^$f:8:1: " "$tmp/err"
f=$(bad loop 'P0(int *x)
{
	while (1)
		WRITE_ONCE(*x, 1);
}

exists (x=1)')
check "an unknown construct (a loop) names it" fails "$f" "unsupported construct 'while'"
f=$(bad plain 'P0(int *x)
{
	int r0;

	r0 = *x;
}

exists (0:r0=0)')
check "a plain access is refused, not read as a marked one" fails "$f" "unsupported construct: a plain \\(unmarked\\) access"
f=$(bad srcu 'P0(int *x, struct srcu_struct *s)
{
	int r0;

	r0 = srcu_read_lock(s);
}

exists (0:r0=0)')
check "an unsupported primitive of LKMM says which and why" fails "$f" "unsupported primitive 'srcu_read_lock' \\(no SRCU in the engine\\)"
f=$(bad unknown 'P0(int *x)
{
	frob(x);
}

exists (x=0)')
check "an unknown primitive says which" fails "$f" "unknown primitive 'frob'"
f=$(bad arity 'P0(int *x)
{
	WRITE_ONCE(*x);
}

exists (x=0)')
check "a primitive with the wrong number of arguments" fails "$f" "WRITE_ONCE takes 2 arguments"
f=$(bad noderef 'P0(int *x)
{
	int r0;

	r0 = READ_ONCE(x);
}

exists (x=0)')
check "READ_ONCE of a pointer instead of *p" fails "$f" "READ_ONCE takes a location written \\*p"
f=$(bad noname 'P0(int *x)
{
	int r0;

	r0 = READ_ONCE(*q);
}

exists (x=0)')
check "a name that is neither a register nor a parameter" fails "$f" "'q' is neither a register of P0 nor one of its parameters"
f=$(bad void 'P0(int *x, spinlock_t *s)
{
	int r0;

	r0 = spin_lock(s);
}

exists (x=0)')
check "the value of a call that returns nothing" fails "$f" "spin_lock returns nothing"
f=$(bad order 'P1(int *x)
{
	WRITE_ONCE(*x, 1);
}

exists (x=0)')
check "processes out of order" fails "$f" "expected P0, found 'P1'"
f=$(bad nocond 'P0(int *x)
{
	WRITE_ONCE(*x, 1);
}')
check "no condition" fails "$f" "expected locations, filter, exists, ~exists or forall, found the end of the file"
f=$(bad comment 'P0(int *x)
{
	WRITE_ONCE(*x, 1); /* never closed
}

exists (x=0)')
check "an unterminated comment points at its start" fails "$f" "unterminated comment"
f=$(bad nested 'P0(int *x)
{
	int r0;

	r0 = ((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))));
}

exists (x=0)')
check "nesting too deep to interpret on a CPU's stack" fails "$f" "nested more than 40 deep"
printf 'C Result\n(*\n * Result: Perhaps\n *)\n{}\nP0(int *x)\n{\n}\nexists (x=0)\n' >"$tmp/result.litmus"
check "a Result line with another word" fails "$tmp/result.litmus" "Result: must be followed by Never, Sometimes, Always or DEADLOCK"
printf 'P0(int *x)\n{\n}\n' >"$tmp/noc.litmus"
check "a file that is not a C litmus test" fails "$tmp/noc.litmus" "expected 'C' and the test's name"
f=$(bad deref 'P0(int *x)
{
	int r0;
	int r1;

	r0 = READ_ONCE(*x);
	r1 = READ_ONCE(*r0);
}

exists (x=0)')
check "a register used as a pointer to no variable: an error at its place, not a guess" fails "$f" "a pointer to no shared variable \\(0\\)"
check "a missing file: one line, exit 2" bash -c "'$OUT/litmus' '$tmp/none.litmus' 2>'$tmp/e' >/dev/null; [ \$? -eq 2 ] && [ \"\$(cat '$tmp/e')\" = '$tmp/none.litmus: No such file or directory' ]"
check "a directory: one line, exit 2" bash -c "'$OUT/litmus' '$tmp' 2>'$tmp/e' >/dev/null; [ \$? -eq 2 ] && [ \"\$(cat '$tmp/e')\" = '$tmp: is a directory' ]"
check "--max-executions that runs out: no verdict, one line, exit 2" \
	bash -c "'$OUT/litmus' --max-executions 5 tests/litmus/SB+poonceonces.litmus 2>'$tmp/e' >/dev/null; [ \$? -eq 2 ] &&
		 grep -qx 'tests/litmus/SB+poonceonces.litmus: more than 5 executions: the search was stopped, no verdict (--max-executions)' '$tmp/e'"
check "an unknown memory model, an unknown option, a bad count, no file: exit 2" \
	bash -c "'$OUT/litmus' --memory tso x 2>/dev/null; [ \$? -eq 2 ] || exit 1
		 '$OUT/litmus' --frob x 2>/dev/null; [ \$? -eq 2 ] || exit 1
		 '$OUT/litmus' --max-executions 0 x 2>/dev/null; [ \$? -eq 2 ] || exit 1
		 '$OUT/litmus' 2>/dev/null; [ \$? -eq 2 ]"

# ---- the parser under libFuzzer ----------------------------------------------

if [ -x "$OUT/fuzz_litmus" ]; then
	mkdir -p "$tmp/fz" && cp tests/litmus/*.litmus "$tmp/fz/"
	check "fuzz_litmus: 100000 inputs from the corpus, no crash, no refusal without a place" \
		bash -c "cd '$tmp' && '$OUT/fuzz_litmus' -runs=100000 -seed=1 -max_len=2048 '$tmp/fz'"
fi

echo "1..$n"
