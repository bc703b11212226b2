#!/usr/bin/env bash
# picture.sh - the pictures of an execution as a user gets them: the mail
# view (replay --mail), the column diagram's options and cut cells, the
# SVG (replay --svg) and, with Chromium, its geometry measured in the
# browser (tests/svg_geometry.py).  TAP: "ok N - ...", then "1..N".
set -u
. "$(dirname "$0")/lib/tap.sh"
tap_setup picture
REPLAY=$OUT/replay
seed=corpus/lock_anon_vma/mail-race
alpha=tests/data/v2.6.36-root-without-read-barrier-depends.bin
unpub=tests/data/v2.6.36-weak-root-unpublished.txt
ea=corpus/rmap_ops/ea90002b-child-swaps-in-first
cowr=tests/data/cowr-read-older.txt


# status CODE COMMAND...: the command exits CODE; its output in $tmp/out.
status() {
	local code=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq "$code" ] || { echo "exit $? (want $code)"; cat "$tmp/err"; return 1; }
}

# at_most COLUMNS FILE: no line longer.
at_most() {
	awk -v w="$1" 'length > w { print "line " NR " has " length " columns: " $0; bad = 1 } END { exit bad }' "$2"
}

# ---- the mail view --------------------------------------------------------

# The mail's race, in about 20 rows of 80 columns, in the mail's order:
# CPU0 loads page->mapping, CPU1 unmaps page_A and frees its anon_vma,
# CPU2 gets the object back, CPU0 locks it, the verdict.
mail_race() {
	status 1 "$REPLAY" --mail lock_anon_vma "$seed" || return 1
	cp "$tmp/out" "$tmp/mail.txt"
	at_most 80 "$tmp/mail.txt" || return 1
	python3 - "$tmp/mail.txt" <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
assert 12 <= len(lines) <= 24, "%d rows" % len(lines)
def find(pattern, after):
    for i in range(after + 1, len(lines)):
        if re.search(pattern, lines[i]):
            return i
    raise SystemExit("not after row %d: %s" % (after + 1, pattern))
load = find(r"^ +5\* read page_A->mapping: anon_vma#0", -1)
unmap = find(r"page_remove_rmap\(\)", load)
find(r"\* .*atomic_add_negative\(&page_A->_mapcount\): 0 -> -1", unmap)
free = find(r"^ +\d+ .*free anon_vma#0$", unmap)
alloc = find(r"^ +\d+ .*alloc: anon_vma#0 \(gen 2\)", free)
col = lambda i, s: lines[i].index(s)
assert col(alloc, "alloc:") != col(free, "free"), "reallocated on the same CPU"
lock = find(r"^ +94\* spin_lock\(&anon_vma#0->lock\)", alloc)
find(r"^VIOLATION stale-reused \(step 94\): cpu0: page_lock_anon_vma", lock)
EOF
}
check "--mail: the mail's race in at most 24 rows of 80 columns: the stale load, the unmap and free, the reallocation by another CPU, the lock, the verdict, in that order" mail_race

# Every seed on every variant: within 80 columns; a violation has its
# verdict at the bottom and a row the verdict names ('*').
every_seed() {
	local variants v f code bad=0
	variants=$("$REPLAY" --variant '?' lock_anon_vma x 2>&1 | sed -n 's/.*(valid: \(.*\))$/\1/p' | tr -d ,)
	[ -n "$variants" ] || { echo "no variants"; return 1; }
	for v in $variants; do
		for f in corpus/lock_anon_vma/* corpus/rmap_ops/*; do
			"$REPLAY" --mail --variant "$v" "$(basename "$(dirname "$f")")" "$f" >"$tmp/seed.txt" 2>&1
			code=$?
			at_most 80 "$tmp/seed.txt" || bad=1
			case $code in
			0) grep -q '^no violation' "$tmp/seed.txt" || { echo "$v $f: exit 0 without 'no violation'"; bad=1; } ;;
			1) { grep -q '^VIOLATION ' "$tmp/seed.txt" && grep -Eq '^ +[0-9]+\* ' "$tmp/seed.txt"; } ||
				{ echo "$v $f: no verdict or no key row"; bad=1; } ;;
			*) echo "$v $f: exit $code"; bad=1 ;;
			esac
		done
	done
	return $bad
}
check "--mail: every seed of corpus/ on every variant stays within 80 columns, with its verdict and a key row" every_seed

# Weak memory: the stale read is a key ('*'), the newer store it missed
# is marked ('!'), and where the pointer came from is there too.
weak_alpha() {
	status 1 "$REPLAY" --mail --memory weak-alpha --variant v2.6.36 lock_anon_vma "$alpha" &&
	at_most 80 "$tmp/out" &&
	grep -Eq '^ +98\* read anon_vma#1->root: 0 \[initial, 1 newer\]$' "$tmp/out" &&
	grep -Eq '^ +69! .*anon_vma#1->root = anon_vma#1$' "$tmp/out" &&
	grep -Eq '^ +96  read page_A->mapping: anon_vma#1\+1 \[step 88\]$' "$tmp/out" &&
	grep -q '^VIOLATION null-deref (step 99)' "$tmp/out"
}
check "--mail, weak-alpha: the read of the NULL root is marked, with the store it missed and the load of its pointer" weak_alpha
weak_root() {
	status 1 "$REPLAY" --mail --memory weak --variant v2.6.36 rmap_ops "$unpub" &&
	at_most 80 "$tmp/out" &&
	grep -Eq '^ +116\* .*read anon_vma#0->root: 0 \[initial, 1 newer\]$' "$tmp/out" &&
	grep -Eq '^ +64! .*anon_vma#0->root = anon_vma#0$' "$tmp/out"
}
check "--mail, weak rmap_ops: the read of anon_vma->root before its store is visible is marked" weak_root

check "a fuzz target that stops prints the mail view of what it found" bash -c \
	"mkdir -p '$tmp/fz' && '$OUT/fuzz_lock_anon_vma' -runs=1000 -artifact_prefix='$tmp/fz/' '$tmp/fz' corpus/lock_anon_vma 2>'$tmp/fz.log';
	 [ \$? -ne 0 ] && grep -Eq '^ +5\\* read page_A->mapping: anon_vma#0\\+1$' '$tmp/fz.log' &&
	 grep -q '^VIOLATION stale-reused (step 94): ' '$tmp/fz.log'"
check "--mail on serialized: no violation, nothing to slice, exit 0" bash -c \
	"'$REPLAY' --mail --variant serialized lock_anon_vma '$seed' >'$tmp/ser.txt' && grep -qx 'no violation: nothing to slice' '$tmp/ser.txt'"
check "the column diagram marks no step on serialized (the slice is silent without a violation)" bash -c \
	"'$REPLAY' --variant serialized lock_anon_vma '$seed' >'$tmp/ser.txt' && ! grep -Eq '^ +[0-9]+[*+!] ' '$tmp/ser.txt'"
check "--mail --width 120: lines up to 120 columns, the lanes further apart" bash -c \
	"'$REPLAY' --mail --width 120 lock_anon_vma '$seed' >'$tmp/w.txt'; [ \$? -eq 1 ] &&
	 awk 'length > 120 { exit 1 }' '$tmp/w.txt' && awk 'length > 80 { found = 1 } END { exit !found }' '$tmp/w.txt'"
check "--mail --cpus 0,2: the other CPUs' rows are left out" bash -c \
	"'$REPLAY' --mail --cpus 0,2 lock_anon_vma '$seed' >'$tmp/c.txt'; [ \$? -eq 1 ] &&
	 grep -q '^ step CPU0 *CPU2$' '$tmp/c.txt' && ! grep -q 'free anon_vma#0' '$tmp/c.txt' && grep -q 'alloc: anon_vma#0' '$tmp/c.txt'"

# ---- the column diagram -----------------------------------------------------

# No cell loses text silently: each event's cell is its whole description
# (as --events prints it) or a prefix of it ending in '~'.
no_silent_cut() {
	"$REPLAY" --events --memory weak-alpha --variant v2.6.36 "$@" >"$tmp/diag.txt"
	python3 - "$tmp/diag.txt" <<'EOF'
import re, sys
events, cells = {}, []
for line in open(sys.argv[1]).read().splitlines():
    m = re.match(r"\[ *(\d+)\] cpu\d+: (.*), in \S+ \S+$", line)
    if m:
        events.setdefault(m.group(1), []).append(m.group(2))
        continue
    m = re.match(r" *(\d+)[*+! ] \|(.*)$", line)
    if m:
        cells += [(m.group(1), c.strip()) for c in m.group(2).split("| ") if c.strip()]
assert cells, "no cells"
cut = 0
for step, cell in cells:
    whole = events.get(step, [])
    if cell in whole:
        continue
    assert cell.endswith("~") and any(w.startswith(cell[:-1]) for w in whole), \
        "step %s: %r is not an event of the step nor a marked cut" % (step, cell)
    cut += 1
assert cut, "nothing was cut: the check checked nothing"
EOF
}
check "the column diagram cuts a long cell with '~', never silently" \
	no_silent_cut lock_anon_vma "$alpha"
check "--width 400: the same cells whole, weak-memory annotations included" bash -c \
	"'$REPLAY' --width 400 --memory weak-alpha --variant v2.6.36 lock_anon_vma '$alpha' >'$tmp/wide.txt';
	 grep -q 'read anon_vma#1->root: 0 \\[initial, 1 newer\\] ' '$tmp/wide.txt' && ! grep -q '~' '$tmp/wide.txt'"
check "--cpus 0,3 --steps 85-99: two columns, steps 85 to 99 only" bash -c \
	"'$REPLAY' --cpus 0,3 --steps 85-99 --memory weak-alpha --variant v2.6.36 lock_anon_vma '$alpha' >'$tmp/part.txt';
	 grep -Eq '^  step \| CPU0 +\| CPU3 +$' '$tmp/part.txt' &&
	 [ \"\$(grep -Eo '^ +[0-9]+' '$tmp/part.txt' | sort -n | sed -n '1p;\$p' | tr -d ' ' | tr '\n' ' ')\" = '85 99 ' ]"
bad_options() {
	local args
	for args in "--width 20" "--width x" "--cpus 7" "--cpus 1,,2" "--steps 5-2" "--steps x" "--steps 3-4-5"; do
		# shellcheck disable=SC2086
		"$REPLAY" --mail $args lock_anon_vma "$seed" >/dev/null 2>"$tmp/err"
		[ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "$args: exit or message"; cat "$tmp/err"; return 1; }
	done
}
check "bad --width, --cpus, --steps: one line, exit 2" bad_options

# ---- the SVG ------------------------------------------------------------------

svg_mail() {
	status 1 "$REPLAY" --quiet --svg "$tmp/mail.svg" lock_anon_vma "$seed" || return 1
	python3 - "$tmp/mail.svg" <<'EOF'
import sys, xml.dom.minidom as m
doc = m.parse(sys.argv[1])
svg = doc.documentElement
assert svg.getAttribute("viewBox").startswith("0 0 "), "no viewBox"
def shown(t):	# a text's own characters, not its <title>
    return "".join(c.data for c in t.childNodes if c.nodeType == c.TEXT_NODE)
def text(id):
    g = next(g for g in doc.getElementsByTagName("g") if g.getAttribute("id") == id)
    return " ".join(shown(t) for t in g.getElementsByTagName("text"))
title = text("title")
for want in ("lock_anon_vma", "v2.6.34", "memory sc", "noise 0", "corpus/lock_anon_vma/mail-race"):
    assert want in title, want
assert "VIOLATION stale-reused (step 94): cpu0: page_lock_anon_vma returns anon_vma#0 (gen 2), freed and reused" in text("verdict")
assert "anon_vma#1 (gen 1)" in text("verdict"), "the verdict is cut"
assert "read-from" in text("legend") and "newer store not read" in text("legend")
keys = text("keys")
assert "step 5 cpu0 load_mapping() rmap/page_lock_anon_vma.c:" in keys, keys
assert "spin_lock(&anon_vma#0->lock)" in keys
lanes = [r for r in doc.getElementsByTagName("rect") if r.getAttribute("class") == "lane"]
assert len(lanes) == 4, len(lanes)
paths = [p.getAttribute("class") for p in doc.getElementsByTagName("path")]
assert "arrow reuse" in paths and "arrow lock" in paths, paths
cls = [t.getAttribute("class") for t in doc.getElementsByTagName("text")]
assert cls.count("fold") >= 3, "long runs are not folded"
faded = [t for t in doc.getElementsByTagName("text") if t.getAttribute("class") == "ev" and t.getAttribute("fill") == "#a8a8a8"]
assert faded, "nothing faded"
EOF
}
check "--svg: title (scenario, variant, memory, noise, file), the whole verdict, legend, key steps with file:line, 4 lanes, arrows, folds, faded rest" svg_mail
check "--svg --full: nothing folded or faded, every event drawn" bash -c \
	"'$REPLAY' --quiet --full --svg '$tmp/full.svg' lock_anon_vma '$seed' >/dev/null;
	 ! grep -q \"class='fold'\" '$tmp/full.svg' && ! grep -q \"fill='#a8a8a8'\" '$tmp/full.svg' &&
	 [ \$(grep -c \"class='ev'\" '$tmp/full.svg') -eq \$('$REPLAY' --events lock_anon_vma '$seed' | grep -c '^\\[') ]"
check "--svg: a CPU without a program gets no lane (287d97ac: 2 CPUs, 1 lane)" bash -c \
	"'$REPLAY' --quiet --variant d0e9fe17 --svg '$tmp/one.svg' rmap_ops corpus/rmap_ops/287d97ac-merge-clones-itself >/dev/null;
	 [ \$(grep -c \"rect class='lane'\" '$tmp/one.svg') -eq 1 ]"
check "--svg: the noise CPUs, outside the slice, get a lane with --full only (SCHED_NOISE=4: 4 lanes, 8)" bash -c \
	"SCHED_NOISE=4 '$REPLAY' --quiet --svg '$tmp/n.svg' lock_anon_vma '$seed' >/dev/null;
	 SCHED_NOISE=4 '$REPLAY' --quiet --full --svg '$tmp/nf.svg' lock_anon_vma '$seed' >/dev/null;
	 [ \$(grep -c \"rect class='lane'\" '$tmp/n.svg') -eq 4 ] && [ \$(grep -c \"rect class='lane'\" '$tmp/nf.svg') -eq 8 ]"
check "--svg, weak: a dashed arrow from the load of the NULL root to the store it did not read" bash -c \
	"'$REPLAY' --quiet --memory weak --variant v2.6.36 --svg '$tmp/weak.svg' rmap_ops '$unpub' >/dev/null;
	 id=\$(grep -o \"id='e[0-9]*' data-lane='[0-9]'[^>]*><title>read anon_vma#0-&gt;root: 0 \\[initial, 1 newer\\]\" '$tmp/weak.svg' | grep -o \"e[0-9]*\" | head -1);
	 [ -n \"\$id\" ] && grep \"class='arrow missed' data-from='\$id'\" '$tmp/weak.svg' | grep -q 'stroke-dasharray'"
check "--svg, weak: CoWR's load of an older store gets the dashed arrow, and none when it reads the latest" bash -c \
	"'$REPLAY' --quiet --memory weak --svg '$tmp/cowr.svg' litmus/CoWR+poonceonce+Once '$cowr' >/dev/null &&
	 grep -q \"class='arrow missed' data-from='e2' data-to='e1'\" '$tmp/cowr.svg' &&
	 grep -v 'read 1' '$cowr' >'$tmp/cowr-latest.txt' &&
	 '$REPLAY' --quiet --memory weak --svg '$tmp/cowr2.svg' litmus/CoWR+poonceonce+Once '$tmp/cowr-latest.txt' >/dev/null &&
	 ! grep -q \"class='arrow missed'\" '$tmp/cowr2.svg'"

# ---- in a browser -------------------------------------------------------------

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
geometry() {	# geometry SVG EXPECT...: svg_geometry.py finds nothing bad
	python3 tests/svg_geometry.py "$browser" "$@"
}
# A picture with an arrow moved off its event, or a text longer than its
# lane: the measure must say so (or it checks nothing).
broken() {
	python3 - "$tmp/mail.svg" "$tmp/broken1.svg" "$tmp/broken2.svg" <<'EOF'
import re, sys
s = open(sys.argv[1]).read()
moved = re.sub(r"(class='arrow reuse'[^>]*d='M\S+ H\S+ V\S+ H)([0-9.]+)",
               lambda m: m.group(1) + str(float(m.group(2)) - 40), s, count=1)
long = re.sub(r"textLength='[0-9.]+'( lengthAdjust='spacingAndGlyphs' class='ev')",
              r"textLength='900'\1", s, count=1)
assert moved != s and long != s
open(sys.argv[2], "w").write(moved)
open(sys.argv[3], "w").write(long)
EOF
	geometry "$tmp/broken1.svg" >"$tmp/b1.txt"
	[ $? -eq 1 ] && grep -q 'ends off its text' "$tmp/b1.txt" || { cat "$tmp/b1.txt"; return 1; }
	geometry "$tmp/broken2.svg" >"$tmp/b2.txt"
	[ $? -eq 1 ] && grep -q 'crosses its lane edge' "$tmp/b2.txt" || { cat "$tmp/b2.txt"; return 1; }
}
if [ -n "$browser" ]; then
	check "Chromium: the mail's race, arrows from text to text through no text, text within lanes, title and verdict" \
		geometry "$tmp/mail.svg" lock_anon_vma v2.6.34 mail-race "VIOLATION stale-reused" "page_A is mapped through anon_vma#1"
	"$REPLAY" --quiet --variant 646d87b4 --svg "$tmp/ops.svg" rmap_ops "$ea" >/dev/null
	check "Chromium: an rmap_ops crash (ea90002b-child-swaps-in-first on 646d87b4)" \
		geometry "$tmp/ops.svg" rmap_ops 646d87b4 "VIOLATION rmap-unreachable" "cpu1: swapin(P0,0) exit(P1)"
	check "Chromium: the weak-memory NULL root, its dashed arrow included" \
		geometry "$tmp/weak.svg" rmap_ops "memory weak" "VIOLATION null-deref"
	"$REPLAY" --quiet --full --svg "$tmp/full.svg" lock_anon_vma "$seed" >/dev/null
	check "Chromium: the mail's race with --full" geometry "$tmp/full.svg" "VIOLATION stale-reused"
	check "Chromium: the measure finds an arrow moved off its event and a text past its lane" broken
else
	for what in "the mail's race" "an rmap_ops crash" "the weak-memory NULL root" "--full" "a broken picture"; do
		TAP_N=$((TAP_N + 1))
		echo "ok $TAP_N - picture: Chromium: $what # SKIP no chromium (apt-get install chromium)"
	done
fi
tap_end
