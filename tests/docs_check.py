"""docs_check.py - the checks of tests/docs.sh (which runs it from the
repository root with OUT set): the docs say what the tools do.

Every fenced block of README.md and docs/*.md has an info string:
  sh       commands to type as written: no "$ " prompt, and bash -n parses
           them;
  text     a synopsis, a format or a grammar: not run;
  c        C source, with <!-- example: PATH --> on the line before it:
           a test writes it to PATH in a scratch copy and builds it
           (tests/scenario_sdk.sh for docs/writing-a-scenario.md);
  console  "$ COMMAND" lines with their output, and on the line before the
           block either <!-- checked --> (or <!-- checked: NOTE -->), or
           <!-- not run: REASON -->.
A checked block's commands run in order in one scratch folder holding
links to OUT (as out), corpus and tests, without the caller's RMAP_* and
SCHED_* variables, stdout and stderr together.  Each command's output is
compared with the lines shown under it after normalise(): a shown line
may be a prefix of the real one (columns cut), and a "..." line stands
for any number of lines; without one at the start (end) the output must
start (end) as shown.

Also: every relative link of README.md, docs/ and docs/generated/ names a
file and heading that exist; every block of a generated page says where
it came from; and docs/generated/litmus.md is what bench/litmus_table.sh
prints now.

Prints TAP: "ok N - what" or "not ok N - what" with the detail as "# "
lines, "# SKIP" for blocks not run, and the plan "1..N" last.  Exits 1
on any failure.
"""
import difflib
import glob
import os
import re
import subprocess
import sys
import tempfile

TIMEOUT = 120		# seconds per checked command
PAGES = ["README.md"] + sorted(glob.glob("docs/*.md"))
LINKED = PAGES + sorted(glob.glob("docs/generated/*.md"))

results = []


def report(ok, what, detail=(), skip=None):
    results.append((ok, what, list(detail), skip))


def normalise(line):
    """What may differ between two runs of the same command, masked."""
    line = re.sub(r"[ \t]+", " ", line).rstrip()
    line = re.sub(r"\b\d+\.\d+ s\b", "N s", line)		# seconds
    line = re.sub(r"\b\d+ schedules/s\b", "N schedules/s", line)
    line = re.sub(r"(\.[ch]):\d+\b", r"\1:N", line)		# source lines
    # absolute paths (the printed replay commands): the folder differs
    line = re.sub(r"(?<![\w.])/(?:[^\s/]+/)+([^\s/]+)", r".../\1", line)
    return line


def matches(shown, real):
    return real == shown if shown == "" else real.startswith(shown)


def compare(shown, real):
    """None when the real output shows as shown, else why not."""
    shown = [normalise(l) for l in shown]
    real = [normalise(l) for l in real]
    segments, seg = [], []
    for line in shown:
        if line.strip() == "...":
            segments.append(seg)
            seg = []
        else:
            seg.append(line)
    segments.append(seg)
    anchored_start = bool(segments[0])
    anchored_end = bool(segments[-1])
    segments_left = [s for s in segments if s]
    pos = 0
    for k, seg in enumerate(segments_left):
        last = k == len(segments_left) - 1
        starts = range(pos, len(real) - len(seg) + 1)
        if k == 0 and anchored_start:
            starts = [0] if real or not seg else []
        if last and anchored_end:
            starts = [s for s in starts if s == len(real) - len(seg)]
        for s in starts:
            if all(matches(a, b) for a, b in zip(seg, real[s:s + len(seg)])):
                pos = s + len(seg)
                break
        else:
            where = ("at the start" if k == 0 and anchored_start else
                     "at the end" if last and anchored_end else "")
            return ["expected, %s:" % (where or "in order")] + \
                ["  | " + l for l in seg] + \
                ["got (the nearest lines of %d, normalised):" % len(real)] + \
                ["  | " + l[:160] for l in nearest(seg[0], real, len(seg))]
    return None


def nearest(line, real, n):
    """The n + 2 lines of real around the one most like line."""
    def common(a):
        k = 0
        while k < min(len(a), len(line)) and a[k] == line[k]:
            k += 1
        return k
    best = max(range(len(real)), key=lambda i: common(real[i]), default=0)
    return real[max(0, best - 1):best + n + 1]


def fences(path):
    """(line, info, marker, body lines) of each fenced block."""
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\S*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        start, info = i, m.group(1)
        marker = ""
        for j in range(start - 1, -1, -1):
            if lines[j].strip():
                marker = lines[j].strip()
                break
        j = i + 1
        while j < len(lines) and lines[j] != "```":
            j += 1
        yield start + 1, info, marker, lines[i + 1:j]
        i = j + 1


def commands(body):
    """(command, shown output lines) of a console block."""
    out = []
    lines = iter(body)
    for line in lines:
        if line.startswith("$ "):
            cmd = line[2:]
            while cmd.endswith("\\"):
                cmd = cmd[:-1] + "\n" + next(lines, "")
            out.append([cmd, []])
        elif out:
            out[-1][1].append(line)
    return out


def clean_env():
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("SCHED_", "RMAP_"))}


def run_checked(where, body):
    cmds = commands(body)
    if not cmds:
        report(False, where + ": checked, but no $ command in it")
        return
    with tempfile.TemporaryDirectory() as scratch:
        os.symlink(os.environ["OUT"], os.path.join(scratch, "out"))
        for d in ("corpus", "tests"):
            os.symlink(os.path.abspath(d), os.path.join(scratch, d))
        for cmd, shown in cmds:
            try:
                p = subprocess.run(["bash", "-c", cmd], cwd=scratch,
                                   env=clean_env(), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT,
                                   timeout=TIMEOUT)
                real = p.stdout.decode(errors="replace").split("\n")
                if real and real[-1] == "":
                    real.pop()
                why = compare(shown, real)
            except subprocess.TimeoutExpired:
                why = ["did not end within %d s" % TIMEOUT]
            if why:
                report(False, "%s: $ %s" % (where, cmd), why)
                return
    report(True, where + ": shown output is what the commands print")


def check_blocks(path):
    for line, info, marker, body in fences(path):
        where = "%s:%d" % (path, line)
        if info == "text":
            continue
        if info == "sh":
            prompts = [l for l in body if l.startswith("$ ")]
            p = subprocess.run(["bash", "-n"], input="\n".join(body) + "\n",
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            report(not prompts and p.returncode == 0,
                   where + ": sh block is commands as typed",
                   (["a $ prompt: not copy-pasteable"] if prompts else []) +
                   p.stdout.splitlines())
        elif info == "console":
            m = re.match(r"^<!-- (checked(?::.*)?|not run: (.+)) -->$",
                         marker)
            if not m:
                report(False, where + ": console block marked checked "
                       "or not run", ["the line before it is: " + marker,
                                      "add <!-- checked --> or "
                                      "<!-- not run: REASON -->"])
            elif m.group(2):
                report(True, where + ": console block", skip="not run: " +
                       m.group(2).strip())
            else:
                run_checked(where, body)
        elif info == "c":
            m = re.match(r"^<!-- example: (\S+) -->$", marker)
            report(bool(m), where + ": c block names the file a test "
                   "builds it as", [] if m else
                   ["the line before it is: " + marker,
                    "add <!-- example: PATH -->"])
        else:
            report(False, where + ": fenced block has an info string "
                   "(sh, text, console or c)", ["it has '%s'" % info])


def anchors(path):
    """The heading anchors of a page, as GitHub makes them."""
    seen, out = {}, set()
    in_fence = False
    for line in open(path):
        if line.startswith("```"):
            in_fence = not in_fence
        m = None if in_fence else re.match(r"^#+\s+(.*?)\s*$", line)
        if not m:
            continue
        a = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
        n = seen.get(a, 0)
        seen[a] = n + 1
        out.add(a if n == 0 else "%s-%d" % (a, n))
    return out


def check_links(path):
    bad = []
    text = re.sub(r"```.*?```", "", open(path).read(), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue		# http:, mailto:
        file, _, anchor = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) \
            if file else path
        if not os.path.exists(dest):
            bad.append("%s: no file %s" % (target, dest))
        elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
            bad.append("%s: no heading #%s in %s" % (target, anchor, dest))
    report(not bad, path + ": relative links name files and headings", bad)


def check_generated(path):
    lines = open(path).read().split("\n")
    bad = []
    for i, line in enumerate(lines):
        m = re.match(r"^<!-- (.*): begin -->$", line)
        if not m:
            continue
        head = [l for l in lines[i + 1:i + 6] if l.startswith("_")]
        if not head or not re.match(r"^_(Generated by `.*` on .* at commit "
                                    r"|From an earlier run at commit )",
                                    head[0]):
            bad.append("block '%s' (line %d) does not say its command and "
                       "commit" % (m.group(1), i + 1))
    report(not bad, path + ": every block says where it came from", bad)


def block(text, key):
    """The lines of block key, without its provenance line."""
    m = re.search(r"<!-- %s: begin -->\n(.*?)<!-- %s: end -->" %
                  (re.escape(key), re.escape(key)), text, re.S)
    return [l for l in m.group(1).split("\n")
            if not l.startswith("_Generated by")] if m else None


def check_litmus():
    page = "docs/generated/litmus.md"
    key = "bench/litmus_table.sh"
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(clean_env(), DOCS=scratch, NOBUILD="1")
        p = subprocess.run(["bench/litmus_table.sh"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        fresh_path = os.path.join(scratch, "generated/litmus.md")
        fresh = block(open(fresh_path).read(), key) \
            if os.path.exists(fresh_path) else None
    kept = block(open(page).read(), key)
    ok = p.returncode == 0 and fresh is not None and fresh == kept
    detail = []
    if not ok:
        detail = ["regenerate it: bench/litmus_table.sh"] + (
            list(difflib.unified_diff(kept or [], fresh, "page", "now",
                                      lineterm=""))
            if fresh is not None else p.stdout.splitlines()[:40])
    report(ok, page + " is what bench/litmus_table.sh prints now", detail)


def main():
    for path in PAGES:
        check_blocks(path)
    for path in LINKED:
        check_links(path)
    for path in ["docs/benchmark.md"] + sorted(glob.glob("docs/generated/*.md")):
        check_generated(path)
    check_litmus()
    failed = 0
    for n, (ok, what, detail, skip) in enumerate(results, 1):
        failed += not ok
        print("%s %d - %s%s" % ("ok" if ok else "not ok", n, what,
                                " # SKIP " + skip if skip else ""))
        for line in detail if not ok else []:
            print("# " + line)
    print("1..%d" % len(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
