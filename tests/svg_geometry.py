#!/usr/bin/env python3
"""svg_geometry.py - measure a picture of out/replay --svg in a real browser.

    tests/svg_geometry.py BROWSER FILE.svg [EXPECT...]

Wraps the SVG in an HTML page whose script measures, through the DOM
(getBBox, getPointAtLength), what the picture promises (sched/trace_svg.c):
each arrow starts on its source event's text box and ends on its target's,
no arrow runs through any other text, every text of a lane stays within
the lane, no text leaves the picture, and the title and the verdict hold
each EXPECT string.  The browser runs headless (--dump-dom); the script
writes its findings into the page, which this program reads back.

Prints one line per finding ("ok: ..." or "bad: ...") and exits 0 when
nothing is bad, 1 otherwise, 2 when the browser gives no result.
"""
import html
import json
import os
import re
import subprocess
import sys
import tempfile

SCRIPT = r"""
<script>
function box(el, grow) {
  const b = el.getBBox();
  return {x0: b.x - grow, x1: b.x + b.width + grow,
          y0: b.y - grow, y1: b.y + b.height + grow};
}
function inside(p, b) {
  return p.x >= b.x0 && p.x <= b.x1 && p.y >= b.y0 && p.y <= b.y1;
}
function show(b) {
  return '[' + [b.x0, b.y0, b.x1, b.y1].map(v => v.toFixed(1)).join(',') + ']';
}
function measure(expect) {
  const svg = document.querySelector('svg');
  const out = {bad: [], ok: []};
  const width = svg.viewBox.baseVal.width;
  const texts = Array.from(svg.querySelectorAll('text'));
  const lanes = {};
  svg.querySelectorAll('rect.lane').forEach(r => lanes[r.dataset.lane] = r.getBBox());
  /* the title and the verdict say what they must */
  const title = (svg.querySelector('#title') || {}).textContent || '';
  const verdict = (svg.querySelector('#verdict') || {}).textContent || '';
  for (const want of expect)
    if (!(title + ' ' + verdict).includes(want))
      out.bad.push('title and verdict lack "' + want + '"');
  out.ok.push('title: ' + title.slice(0, 60));
  /* text stays in its lane, and in the picture */
  let inlane = 0;
  for (const t of texts) {
    const b = box(t, 0);
    if (b.x1 > width + 0.5 || b.x0 < -0.5)
      out.bad.push('text leaves the picture: ' + t.textContent + ' ' + show(b));
    if (t.dataset.lane === undefined)
      continue;
    const l = lanes[t.dataset.lane];
    if (!l || b.x0 < l.x - 0.5 || b.x1 > l.x + l.width + 0.5)
      out.bad.push('text crosses its lane edge: ' + t.textContent + ' ' + show(b));
    inlane++;
  }
  out.ok.push(inlane + ' texts in ' + Object.keys(lanes).length + ' lanes');
  /* arrows: from text to text, through no other text */
  const arrows = Array.from(svg.querySelectorAll('path.arrow'));
  const kinds = {};
  for (const a of arrows) {
    const from = svg.getElementById(a.dataset.from);
    const to = svg.getElementById(a.dataset.to);
    const kind = a.getAttribute('class').split(' ')[1];
    kinds[kind] = (kinds[kind] || 0) + 1;
    if (!from || !to) {
      out.bad.push('arrow without its events: ' + a.dataset.from + ' -> ' + a.dataset.to);
      continue;
    }
    const len = a.getTotalLength();
    const p0 = a.getPointAtLength(0), p1 = a.getPointAtLength(len);
    if (!inside(p0, box(from, 1.5)))
      out.bad.push('arrow ' + a.dataset.from + ' starts off its text: (' +
                   p0.x.toFixed(1) + ',' + p0.y.toFixed(1) + ') ' + show(box(from, 0)));
    if (!inside(p1, box(to, 1.5)))
      out.bad.push('arrow ' + a.dataset.to + ' ends off its text: (' +
                   p1.x.toFixed(1) + ',' + p1.y.toFixed(1) + ') ' + show(box(to, 0)));
    for (let s = 3; s < len - 3; s += 2) {
      const p = a.getPointAtLength(s);
      for (const t of texts) {
        if (t === from || t === to)
          continue;
        if (inside(p, box(t, -1))) {
          out.bad.push('arrow ' + a.dataset.from + ' -> ' + a.dataset.to +
                       ' crosses "' + t.textContent + '"');
          s = len;
          break;
        }
      }
    }
  }
  out.ok.push(arrows.length + ' arrows ' + JSON.stringify(kinds));
  out.kinds = kinds;
  return out;
}
window.addEventListener('load', () => {
  let res;
  try {
    res = measure(JSON.parse(document.body.dataset.expect));
  } catch (e) {
    res = {bad: ['script: ' + e], ok: []};
  }
  const pre = document.createElement('pre');
  pre.id = 'result';
  pre.textContent = JSON.stringify(res);
  document.body.appendChild(pre);
});
</script>
"""


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    browser, svg_path, expect = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(svg_path, encoding="utf-8") as f:
        svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", f.read())
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "page.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write("<!DOCTYPE html><html><head><meta charset='utf-8'>"
                    "</head><body style='margin:0' data-expect='%s'>\n%s\n%s"
                    "</body></html>\n"
                    % (html.escape(json.dumps(expect), quote=True), svg,
                       SCRIPT))
        run = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--user-data-dir=" +
             os.path.join(tmp, "profile"), "--virtual-time-budget=5000",
             "--dump-dom", "file://" + page],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120,
            check=False)
    m = re.search(r"<pre id=\"result\">(.*?)</pre>",
                  run.stdout.decode("utf-8", "replace"), re.S)
    if not m:
        print("bad: the browser gave no result (exit %d)" % run.returncode)
        return 2
    res = json.loads(html.unescape(m.group(1)))
    for line in res["ok"]:
        print("ok: " + line)
    for line in res["bad"]:
        print("bad: " + line)
    return 1 if res["bad"] else 0


if __name__ == "__main__":
    sys.exit(main())
