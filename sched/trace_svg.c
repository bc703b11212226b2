/*
 * trace_svg.c - the last execution as a picture: a lane per CPU that has
 * something to show (and one for the engine's RCU callbacks), a row per
 * event, top to bottom, under a title (what ran), the full verdicts, a
 * legend and the key steps with their file:line.
 *
 * The causal slice of the first violation (slice.h) is what the picture
 * is about: only the CPUs with an event in it get a lane; the events the
 * verdict names on a yellow ground, the events they depend on in black,
 * the rest faded grey, and runs of FOLD_MIN or more events of one CPU
 * outside the slice folded into one row (--full, view->full: every CPU,
 * nothing folded or faded).  The slice's edges are arrows
 * from an event's text to another's: read-from, the newer store a weak
 * load did not read (dashed), free then reallocation, release then
 * acquire.  An arrow leaves its event sideways into the gutter right of
 * the leftmost of its two lanes, runs down the gutter on a track of its
 * own and enters the other event's text from the side; a row holds one
 * event, so the horizontal parts cross only empty lanes, and text is cut
 * to its lane, so no arrow crosses text.
 *
 * Every text gets a textLength, so its box is the same in every renderer
 * (CHAR_W per character), and an id or class the browser test
 * (tests/picture.sh) measures.  Plain SVG 1.1, no script, a viewBox.
 */
#include <stdlib.h>
#include <string.h>

#include "slice.h"
#include "view.h"

#define FONT 12
#define CHAR_W 7.2		/* monospace: 0.6 em */
#define ROW 18
#define PAD 12
#define STEP_W 56		/* the step column */
#define LANE_CHARS 50		/* a lane's text, in characters */
#define TEXT_X 12		/* text's offset in its lane (lock bars) */
#define LANE_W (TEXT_X + LANE_CHARS * CHAR_W + 6)
#define GUTTER 14
#define TRACK 7
#define FOLD_MIN 6
#define MAX_ARROWS 256
#define MAX_LANES (SCHED_MAX_CPUS + 1)
#define ENGINE SCHED_MAX_CPUS	/* the engine's lane, in cpu_lane */

enum row_kind { ROW_FUNC, ROW_EVENT, ROW_FOLD };

struct row {
	uint8_t kind;
	int8_t lane;
	uint32_t ev, last;	/* the event; a fold: its first and last */
	uint32_t n;		/* a fold: events folded */
};

struct arrow {
	uint32_t from, to;	/* events */
	enum sched_edge_kind kind;
	int gutter, track;
};

static struct sched_slice slice;
static struct row rows[2 * SCHED_TRACE_MAX];
static uint32_t row_of[SCHED_TRACE_MAX];
static size_t nrows;
static struct arrow arrows[MAX_ARROWS];
static int narrows;
/* Weak loads that read an older store, slice or not: their arrows, and
 * both ends kept out of folds. */
static struct sched_edge weak_edges[MAX_ARROWS];
static int nweak;
static bool weak[SCHED_TRACE_MAX];

static int lane_cpu[MAX_LANES], nlanes, cpu_lane[MAX_LANES];
static int tracks[MAX_LANES];
static double lane_left[MAX_LANES];
static double top;		/* of the first row */

static const char *const edge_class[SCHED_EDGE_NR] = {
	"rf", "missed", "reuse", "lock" };
static const char *const edge_colour[SCHED_EDGE_NR] = {
	"#1f5fbf", "crimson", "darkorange", "purple" };
static const char *const edge_meaning[SCHED_EDGE_NR] = {
	"read-from", "newer store not read", "freed, then allocated again",
	"lock released, then taken" };

static void escaped(FILE *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default: fputc(*s, out);
		}
}

/* A text of known width: x, y the baseline's start; attrs more
 * attributes; hover its <title>, NULL for none. */
static void text_at(FILE *out, double x, double y, const char *attrs,
		    const char *text, const char *hover)
{
	fprintf(out, "<text x='%.1f' y='%.1f' textLength='%.1f' "
		"lengthAdjust='spacingAndGlyphs' %s>", x, y,
		strlen(text) * CHAR_W, attrs);
	if (hover) {
		fputs("<title>", out);
		escaped(out, hover);
		fputs("</title>", out);
	}
	escaped(out, text);
	fputs("</text>\n", out);
}

static int lane_of(const struct sched_event *e)
{
	return cpu_lane[e->cpu < 0 ? ENGINE : e->cpu];
}

static bool visible(const struct sched_view *v, size_t i)
{
	const struct sched_event *e = sched_trace_event(i);

	return sched_view_in_range(v, e) && lane_of(e) >= 0;
}

static void add_row(enum row_kind kind, int lane, size_t ev)
{
	rows[nrows] = (struct row){ (uint8_t)kind, (int8_t)lane,
				    (uint32_t)ev, (uint32_t)ev, 1 };
	if (kind != ROW_FUNC)
		row_of[ev] = (uint32_t)nrows;
	nrows++;
}

static void add_weak_edge(size_t from, size_t to, enum sched_edge_kind kind)
{
	if (nweak == MAX_ARROWS)
		return;
	weak_edges[nweak++] = (struct sched_edge){ (uint32_t)from,
						   (uint32_t)to, kind };
	weak[from] = weak[to] = true;
}

static void find_weak_loads(const struct sched_view *v)
{
	nweak = 0;
	memset(weak, 0, slice.nevents * sizeof(weak[0]));
	for (size_t i = 0; i < slice.nevents; i++) {
		size_t read, missed;

		if (sched_trace_event(i)->op != SCHED_OP_LOAD ||
		    !visible(v, i))
			continue;
		read = sched_read_from(i, &missed);
		if (missed == SIZE_MAX || !visible(v, missed))
			continue;
		if (read != SIZE_MAX && visible(v, read))
			add_weak_edge(read, i, SCHED_EDGE_RF);
		add_weak_edge(i, missed, SCHED_EDGE_MISSED);
	}
}

/* A visible event outside the slice, which a fold may take. */
static bool foldable(const struct sched_view *v, size_t i)
{
	return !v->full && visible(v, i) && !slice.mark[i] && !weak[i] &&
	       sched_trace_event(i)->op != SCHED_OP_VERDICT;
}

/* The events from i on that one fold row takes: the visible events of
 * i's CPU, up to the next visible event of another CPU or in the slice;
 * returns the index after the last. */
static size_t run_end(const struct sched_view *v, size_t i)
{
	int cpu = sched_trace_event(i)->cpu;
	size_t j = i;

	for (; j < slice.nevents; j++) {
		if (!visible(v, j))
			continue;
		if (!foldable(v, j) || sched_trace_event(j)->cpu != cpu)
			break;
	}
	return j;
}

static size_t count_visible(const struct sched_view *v, size_t i, size_t end)
{
	size_t n = 0;

	for (; i < end; i++)
		n += visible(v, i);
	return n;
}

static void build_rows(const struct sched_view *v)
{
	const char *func[MAX_LANES] = { 0 };

	nrows = 0;
	for (size_t i = 0; i < slice.nevents; i++) {
		const struct sched_event *e = sched_trace_event(i);
		int lane;

		if (!visible(v, i))
			continue;
		lane = lane_of(e);
		if (foldable(v, i)) {
			size_t end = run_end(v, i), n = count_visible(v, i, end);

			if (n >= FOLD_MIN) {
				add_row(ROW_FOLD, lane, i);
				for (size_t j = i; j < end; j++)
					row_of[j] = (uint32_t)(nrows - 1);
				rows[nrows - 1].n = (uint32_t)n;
				while (!visible(v, end - 1))
					end--;
				rows[nrows - 1].last = (uint32_t)(end - 1);
				func[lane] = NULL;
				i = end - 1;
				continue;
			}
		}
		if (e->cpu >= 0 && e->site && e->op != SCHED_OP_VERDICT &&
		    (!func[lane] || strcmp(func[lane], e->site->func))) {
			func[lane] = e->site->func;
			add_row(ROW_FUNC, lane, i);
		}
		add_row(ROW_EVENT, lane, i);
	}
}

static bool sliced(size_t i, void *arg)
{
	(void)arg;
	return slice.mark[i];
}

/* The lanes: the CPUs with something to draw (unless --cpus or --full
 * says otherwise, something in the slice when there is one), then the
 * engine. */
static void pick_lanes(const struct sched_view *v)
{
	bool engine;
	uint64_t cpus = sched_view_cpus(v, !v->cpus && !v->full &&
					   slice.report >= 0 ? sliced : NULL,
					NULL, &engine);

	nlanes = 0;
	for (int c = 0; c < MAX_LANES; c++) {
		bool shown = c == ENGINE ? engine
					 : c < v->ncpus && cpus >> c & 1;

		cpu_lane[c] = shown ? nlanes : -1;
		if (shown)
			lane_cpu[nlanes++] = c;
	}
}

static double row_top(size_t r)
{
	return top + (double)r * ROW;
}

static double row_mid(size_t r)
{
	return row_top(r) + ROW / 2.0;
}

static bool overlaps(const struct arrow *a, const struct arrow *b)
{
	uint32_t a0 = row_of[a->from], a1 = row_of[a->to];
	uint32_t b0 = row_of[b->from], b1 = row_of[b->to];

	if (a0 > a1)
		a0 = row_of[a->to], a1 = row_of[a->from];
	if (b0 > b1)
		b0 = row_of[b->to], b1 = row_of[b->from];
	return a0 <= b1 && b0 <= a1;
}

static bool drawn(const struct sched_edge *ed)
{
	for (int a = 0; a < narrows; a++)
		if (arrows[a].from == ed->from && arrows[a].to == ed->to &&
		    arrows[a].kind == ed->kind)
			return true;
	return false;
}

/* The slice's edges and the weak loads' between drawn events, each on a
 * track of the gutter right of the leftmost of its lanes that no other
 * arrow there uses over its rows. */
static void route_arrows(const struct sched_view *v)
{
	memset(tracks, 0, sizeof(tracks));
	narrows = 0;
	for (int k = 0; k < slice.nedges + nweak && narrows < MAX_ARROWS; k++) {
		const struct sched_edge *ed = k < slice.nedges ?
			&slice.edges[k] : &weak_edges[k - slice.nedges];
		struct arrow *a = &arrows[narrows];
		int ls, lt;

		if (!visible(v, ed->from) || !visible(v, ed->to) || drawn(ed))
			continue;
		ls = lane_of(sched_trace_event(ed->from));
		lt = lane_of(sched_trace_event(ed->to));
		*a = (struct arrow){ ed->from, ed->to, ed->kind,
				     ls < lt ? ls : lt, 0 };
		for (bool clash = true; clash; a->track += !!clash) {
			clash = false;
			for (int b = 0; b < narrows && !clash; b++)
				clash = arrows[b].gutter == a->gutter &&
					arrows[b].track == a->track &&
					overlaps(&arrows[b], a);
		}
		if (a->track + 1 > tracks[a->gutter])
			tracks[a->gutter] = a->track + 1;
		narrows++;
	}
}

static double gutter_width(int lane)
{
	return GUTTER + tracks[lane] * TRACK;
}

/* The text of a row, cut to its lane. */
static void row_text(char *buf, size_t len, const struct row *r)
{
	const struct sched_event *e = sched_trace_event(r->ev);
	char text[320];

	if (r->kind == ROW_FUNC) {
		snprintf(text, sizeof(text), "%s()", e->site->func);
	} else if (r->kind == ROW_FOLD) {
		const struct sched_event *l = sched_trace_event(r->last);
		const char *last = NULL;
		size_t n;

		n = (size_t)snprintf(text, sizeof(text), "... %u events, "
				     "steps %u-%u:", r->n, e->step, l->step);
		for (size_t j = r->ev; j <= r->last && n < sizeof(text); j++) {
			const struct sched_event *f = sched_trace_event(j);

			if (!f->site || (last && !strcmp(last, f->site->func)) ||
			    f->cpu != e->cpu)
				continue;
			n += (size_t)snprintf(text + n, sizeof(text) - n,
					      "%s %s", last ? "," : "",
					      f->site->func);
			last = f->site->func;
		}
	} else if (e->op == SCHED_OP_VERDICT) {
		snprintf(text, sizeof(text), "VIOLATION %s", e->what);
	} else {
		sched_describe_event(text, sizeof(text), e);
	}
	sched_view_cell(buf, len, text, LANE_CHARS);
}

/* The text box of event i: its row's text, from the lane's text start. */
static void event_box(size_t i, double *x0, double *x1)
{
	const struct row *r = &rows[row_of[i]];
	char text[LANE_CHARS + 2];

	row_text(text, sizeof(text), r);
	*x0 = lane_left[r->lane] + TEXT_X;
	*x1 = *x0 + strlen(text) * CHAR_W;
}

static void draw_arrow(FILE *out, const struct arrow *a)
{
	int ls = rows[row_of[a->from]].lane, lt = rows[row_of[a->to]].lane;
	double s0, s1, t0, t1, gx, ys = row_mid(row_of[a->from]);
	double yt = row_mid(row_of[a->to]);
	char what[640], from[300], to[300];

	event_box(a->from, &s0, &s1);
	event_box(a->to, &t0, &t1);
	gx = lane_left[a->gutter] + LANE_W + GUTTER / 2.0 + a->track * TRACK;
	sched_describe_event(from, sizeof(from), sched_trace_event(a->from));
	sched_describe_event(to, sizeof(to), sched_trace_event(a->to));
	fprintf(out, "<path class='arrow %s' data-from='e%u' data-to='e%u' "
		"d='M%.1f,%.1f H%.1f V%.1f H%.1f' fill='none' stroke='%s' "
		"stroke-width='1.6'%s marker-end='url(#head-%s)'><title>",
		edge_class[a->kind], a->from, a->to, lt >= ls ? s1 : s0, ys,
		gx, yt, lt > ls ? t0 : t1, edge_colour[a->kind],
		a->kind == SCHED_EDGE_MISSED ? " stroke-dasharray='5,3'" : "",
		edge_class[a->kind]);
	snprintf(what, sizeof(what), "%s: %s -> %s", edge_meaning[a->kind],
		 from, to);
	escaped(out, what);
	fprintf(out, "</title></path>\n");
}

/* ---- the header: title, programs, verdicts, legend, key steps ---------- */

/* Text lines of at most cols characters, broken at spaces; returns the
 * y after the last. */
static double wrapped(FILE *out, double y, const char *text, int cols,
		      const char *attrs)
{
	char line[1024];

	while (*text) {
		const char *start = text;
		int n = sched_view_wrap(&text, cols);

		snprintf(line, sizeof(line), "%.*s", n, start);
		if (out)
			text_at(out, PAD, y, attrs, line, NULL);
		y += ROW;
	}
	return y;
}

/* The programs, as the scenario prints them, line by line. */
static double programs(FILE *out, double y, const struct sched_view *v,
		       int cols)
{
	char *buf = NULL, *line, *save;
	size_t len = 0;
	FILE *f;

	if (!v->describe || !(f = open_memstream(&buf, &len)))
		return y;
	v->describe(f);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		y = wrapped(out, y, line, cols, "class='program'");
	free(buf);
	return y;
}

static double verdicts(FILE *out, double y, const struct sched_view *v,
		       int cols)
{
	const struct sched_result *res = v->res;
	char line[512];

	if (!res || !res->nreports)
		return wrapped(out, y, "OK: no violation", cols,
			       "class='verdict' fill='darkgreen' "
			       "font-weight='bold'");
	for (int i = 0; i < res->nreports; i++) {
		const struct sched_report *r = &res->reports[i];

		if (r->verdict->flags & SCHED_CLASS_NOT_BUG)
			snprintf(line, sizeof(line), "STEP-LIMIT: %s",
				 r->detail);
		else
			snprintf(line, sizeof(line), "VIOLATION %s (step %u): "
				 "%s", sched_verdict_name(r->verdict), r->step,
				 r->detail);
		y = wrapped(out, y, line, cols, "class='verdict' "
			    "fill='darkred' font-weight='bold'");
	}
	return y;
}

/* One legend item: a sample 24 px wide, then its text. */
static double legend_item(FILE *out, double x, double y, int kind,
			  const char *text)
{
	double mid = y - 4;

	if (out && kind < SCHED_EDGE_NR)
		fprintf(out, "<path d='M%.1f,%.1f h22' stroke='%s' "
			"stroke-width='1.6'%s marker-end='url(#head-%s)'/>\n",
			x, mid, edge_colour[kind], kind == SCHED_EDGE_MISSED ?
			" stroke-dasharray='5,3'" : "", edge_class[kind]);
	else if (out && kind == SCHED_EDGE_NR)
		fprintf(out, "<rect x='%.1f' y='%.1f' width='22' height='14' "
			"fill='#ffe680'/>\n", x, y - 11);
	else if (out)
		fprintf(out, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' "
			"stroke='seagreen' stroke-width='3'/>\n", x + 11,
			y - 12, x + 11, y + 3);
	if (out)
		text_at(out, x + 28, y, "class='legend'", text, NULL);
	return x + 28 + strlen(text) * CHAR_W + 18;
}

static double legend(FILE *out, double y, double width)
{
	static const char *const extra[] = {
		"named by the verdict (bold: what it depends on, grey: "
		"the rest)", "lock held" };
	double x = PAD;

	for (int k = 0; k < SCHED_EDGE_NR + 2; k++) {
		const char *text = k < SCHED_EDGE_NR ? edge_meaning[k]
						     : extra[k - SCHED_EDGE_NR];
		double end = legend_item(NULL, x, y, k, text);

		if (end - 18 > width - PAD && x > PAD) {
			x = PAD;
			y += ROW;
			end = legend_item(NULL, x, y, k, text);
		}
		legend_item(out, x, y, k, text);
		x = end;
	}
	return y + ROW;
}

/* The events the verdict names, each with its file:line. */
static double key_steps(FILE *out, double y, int cols)
{
	char line[640], text[320], cell[640];

	for (size_t i = 0; i < slice.nevents; i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (!(slice.mark[i] & SCHED_SLICE_KEY) ||
		    e->op == SCHED_OP_VERDICT)
			continue;
		sched_describe_event(text, sizeof(text), e);
		if (e->site)
			snprintf(line, sizeof(line), "step %u cpu%d %s() %s:%d: "
				 "%s", e->step, e->cpu, e->site->func,
				 e->site->file, e->site->line, text);
		else
			snprintf(line, sizeof(line), "step %u cpu%d: %s",
				 e->step, e->cpu, text);
		sched_view_cell(cell, sizeof(cell), line, cols);
		if (out)
			text_at(out, PAD, y, "class='key'", cell, line);
		y += ROW;
	}
	return y;
}

/* Draws the header into out (NULL: only measures); returns its height. */
static double header(FILE *out, const struct sched_view *v, double width)
{
	int cols = (int)((width - 2 * PAD) / CHAR_W);
	double y = PAD + 14;

	if (out)
		fputs("<g id='title'>\n", out);
	y = wrapped(out, y, v->title ? v->title : "schedfuzz", cols,
		    "font-weight='bold'");
	y = programs(out, y, v, cols);
	if (out)
		fputs("</g>\n<g id='verdict'>\n", out);
	y = verdicts(out, y, v, cols);
	if (out)
		fputs("</g>\n<g id='legend'>\n", out);
	y = legend(out, y + 6, width);
	if (out)
		fputs("</g>\n<g id='keys'>\n", out);
	y = key_steps(out, y, cols);
	if (out)
		fputs("</g>\n", out);
	return y + ROW;
}

/* ---- the lanes ------------------------------------------------------- */

static void draw_lanes(FILE *out, double bottom)
{
	char name[16];

	for (int l = 0; l < nlanes; l++) {
		fprintf(out, "<rect class='lane' data-lane='%d' x='%.1f' "
			"y='%.1f' width='%.1f' height='%.1f' fill='%s'/>\n", l,
			lane_left[l], top - ROW - 6, LANE_W,
			bottom - top + ROW + 10, l % 2 ? "#f3f3f7" : "#fafafa");
		if (lane_cpu[l] == ENGINE)
			snprintf(name, sizeof(name), "rcu");
		else
			snprintf(name, sizeof(name), "CPU%d", lane_cpu[l]);
		text_at(out, lane_left[l] + TEXT_X, top - 6,
			"font-weight='bold' font-size='13'", name, NULL);
	}
}

/* Each lock to its unlock by the same CPU: a bar at the lane's edge. */
static void draw_lock_spans(FILE *out, const struct sched_view *v)
{
	char text[320];

	for (size_t i = 0; i < slice.nevents; i++) {
		const struct sched_event *e = sched_trace_event(i), *u = NULL;
		size_t j;
		double x, y1;

		if (e->op != SCHED_OP_LOCK || !visible(v, i))
			continue;
		for (j = i + 1; j < slice.nevents; j++) {
			u = sched_trace_event(j);
			if (u->op == SCHED_OP_UNLOCK && u->cpu == e->cpu &&
			    u->obj == e->obj && u->off == e->off)
				break;
		}
		x = lane_left[cpu_lane[e->cpu]] + 3 + (double)(i % 3) * 3;
		y1 = j < slice.nevents && visible(v, j) ?
		     row_top(row_of[j]) + ROW - 3 : row_top(nrows);
		fprintf(out, "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' "
			"stroke='%s' stroke-width='2.5' opacity='0.6'><title>",
			x, row_top(row_of[i]) + 3, x, y1,
			e->aux ? "purple" : "seagreen");
		sched_describe_event(text, sizeof(text), e);
		escaped(out, text);
		fprintf(out, " held%s</title></line>\n",
			j < slice.nevents ? "" : " to the end");
	}
}

static void draw_row(FILE *out, size_t r, const struct sched_view *v)
{
	const struct row *row = &rows[r];
	const struct sched_event *e = sched_trace_event(row->ev);
	uint8_t mark = row->kind != ROW_FOLD ? slice.mark[row->ev] : 0;
	bool faded = slice.report >= 0 && !v->full && !mark &&
		     e->op != SCHED_OP_VERDICT;
	double x = lane_left[row->lane] + TEXT_X, base = row_top(r) + 13;
	char text[LANE_CHARS + 2], attrs[160], id[16], hover[640];
	char where[320];

	row_text(text, sizeof(text), row);
	if (row->kind == ROW_FUNC) {
		snprintf(attrs, sizeof(attrs), "class='fn' data-lane='%d' "
			 "font-weight='bold'%s", row->lane,
			 faded ? " fill='#9a9a9a'" : "");
		text_at(out, x, base, attrs, text, NULL);
		return;
	}
	if (row->kind == ROW_FOLD) {
		snprintf(attrs, sizeof(attrs), "class='fold' data-lane='%d' "
			 "fill='#9a9a9a' font-style='italic'", row->lane);
		text_at(out, x, base, attrs, text, NULL);
		return;
	}
	snprintf(id, sizeof(id), "%u", e->step);
	text_at(out, PAD, base, faded ? "class='step' fill='#b0b0b0'"
				      : "class='step' fill='#555'", id, NULL);
	if (e->op == SCHED_OP_VERDICT)
		fprintf(out, "<rect x='%.1f' y='%.1f' width='%.1f' "
			"height='%d' fill='#f8c8c8'/>\n", x - 3,
			row_top(r) + 1, strlen(text) * CHAR_W + 6, ROW - 2);
	else if (mark & SCHED_SLICE_KEY)
		fprintf(out, "<rect x='%.1f' y='%.1f' width='%.1f' "
			"height='%d' fill='#ffe680'/>\n", x - 3,
			row_top(r) + 1, strlen(text) * CHAR_W + 6, ROW - 2);
	sched_describe_event(hover, sizeof(hover), e);
	if (e->site) {
		snprintf(where, sizeof(where), ", in %s %s:%d", e->site->func,
			 e->site->file, e->site->line);
		strncat(hover, where, sizeof(hover) - strlen(hover) - 1);
	}
	snprintf(attrs, sizeof(attrs), "class='ev' id='e%u' data-lane='%d'%s",
		 row->ev, row->lane, e->op == SCHED_OP_VERDICT ?
		 " fill='darkred' font-weight='bold'" : faded ?
		 " fill='#a8a8a8'" : mark ? " font-weight='bold'" : "");
	text_at(out, x, base, attrs, text, hover);
}

void sched_view_svg(FILE *out, const struct sched_view *v)
{
	static const struct sched_result none;
	const struct sched_result *res = v->res ? v->res : &none;
	double width, height, x;

	sched_slice(&slice, res, sched_first_violation(res));
	pick_lanes(v);
	find_weak_loads(v);
	build_rows(v);
	route_arrows(v);
	x = PAD + STEP_W;
	for (int l = 0; l < nlanes; l++) {
		lane_left[l] = x;
		x += LANE_W + gutter_width(l);
	}
	width = x + PAD;
	if (width < 640)
		width = 640;
	top = header(NULL, v, width) + ROW;
	height = row_top(nrows) + 2 * PAD;
	fprintf(out, "<?xml version='1.0' encoding='UTF-8'?>\n"
		"<svg xmlns='http://www.w3.org/2000/svg' width='%.0f' "
		"height='%.0f' viewBox='0 0 %.0f %.0f' "
		"font-family='DejaVu Sans Mono, monospace' font-size='%d'>\n",
		width, height, width, height, FONT);
	fprintf(out, "<defs>");
	for (int k = 0; k < SCHED_EDGE_NR; k++)
		fprintf(out, "<marker id='head-%s' markerWidth='8' "
			"markerHeight='8' refX='7' refY='4' orient='auto' "
			"markerUnits='userSpaceOnUse'><path d='M0,0 L8,4 L0,8 "
			"z' fill='%s'/></marker>", edge_class[k],
			edge_colour[k]);
	fprintf(out, "</defs>\n<rect width='100%%' height='100%%' "
		"fill='white'/>\n");
	header(out, v, width);
	draw_lanes(out, row_top(nrows));
	draw_lock_spans(out, v);
	for (size_t r = 0; r < nrows; r++)
		draw_row(out, r, v);
	for (int a = 0; a < narrows; a++)
		draw_arrow(out, &arrows[a]);
	fprintf(out, "</svg>\n");
}
