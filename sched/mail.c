/*
 * mail.c - the mail view: the causal slice of the first violation within
 * a mail's 80 columns, the way Peter Zijlstra drew the race on LKML in
 * April 2010: a column per CPU in the slice, a row per sliced event, the
 * function a CPU enters above it ("..." first when the CPU did things
 * that are left out), steps on the left ('*' the events the verdict names,
 * '!' a newer store a weak load did not read), the violation and the
 * oracle's explanation at the bottom.
 *
 * Each row holds one CPU's event, so a cell runs on over the columns to
 * its right, which are empty on that row; the columns are as far apart
 * as the longest cells allow.
 */
#include <string.h>

#include "slice.h"
#include "view.h"

#define MIN_GAP 8	/* columns between two CPUs' cells */
#define MAX_GAP 24

static struct sched_slice slice;

enum row_kind {
	ROW_EVENT,
	ROW_FUNC,		/* the function the event's CPU enters */
	ROW_SKIPPED_FUNC,	/* the same, after events left out */
	ROW_SKIPPED,		/* events left out, same function */
};

struct mail_row {
	uint32_t ev;
	int8_t lane;		/* -1: the engine (RCU callbacks) */
	uint8_t kind;
};

static struct mail_row rows[2 * SCHED_TRACE_MAX];
static size_t nrows;
static int step_col;		/* the step column, its space included */

static void add_row(int lane, size_t ev, enum row_kind kind)
{
	rows[nrows++] = (struct mail_row){ (uint32_t)ev, (int8_t)lane,
					   (uint8_t)kind };
}

static bool shown(size_t i, void *arg)
{
	(void)arg;
	return slice.mark[i] && sched_trace_event(i)->op != SCHED_OP_VERDICT;
}

/* "94*": a row's step and its mark, empty but for an event's row. */
static void row_step(char *buf, size_t len, const struct mail_row *r)
{
	uint8_t m = slice.mark[r->ev];

	if (r->kind != ROW_EVENT)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "%u%c", sched_trace_event(r->ev)->step,
			 m & SCHED_SLICE_KEY ? '*' :
			 m & SCHED_SLICE_MISSED ? '!' : ' ');
}

static void row_text(char *buf, size_t len, const struct mail_row *r)
{
	const struct sched_event *e = sched_trace_event(r->ev);
	char text[320];

	switch ((enum row_kind)r->kind) {
	case ROW_FUNC:
	case ROW_SKIPPED_FUNC:
		snprintf(buf, len, "%s%s()", r->kind == ROW_SKIPPED_FUNC ?
			 "... " : "", e->site->func);
		break;
	case ROW_SKIPPED:
		snprintf(buf, len, "...");
		break;
	case ROW_EVENT:
		sched_describe_event(text, sizeof(text), e);
		snprintf(buf, len, "%s%s", e->cpu < 0 ? "rcu: " : "", text);
		break;
	}
}

/* The rows of the sliced events of the CPUs in lane (-1: not shown). */
static void build_rows(const struct sched_view *v, const int *lane)
{
	const char *func[SCHED_MAX_CPUS] = { 0 };
	size_t last[SCHED_MAX_CPUS];	/* the CPU's last event shown, +1 */
	char step[16];

	memset(last, 0, sizeof(last));
	nrows = 0;
	step_col = 6;
	for (size_t i = 0; i < slice.nevents; i++) {
		const struct sched_event *e = sched_trace_event(i);
		bool skipped = false;

		if (!shown(i, NULL) || !sched_view_in_range(v, e) ||
		    (e->cpu >= 0 && lane[e->cpu] < 0))
			continue;
		if (e->cpu < 0) {
			add_row(-1, i, ROW_EVENT);
			continue;
		}
		for (size_t j = last[e->cpu]; j < i && !skipped; j++)
			skipped = sched_trace_event(j)->cpu == e->cpu;
		last[e->cpu] = i + 1;
		if (e->site && (!func[e->cpu] ||
				 strcmp(func[e->cpu], e->site->func))) {
			func[e->cpu] = e->site->func;
			add_row(lane[e->cpu], i, skipped ? ROW_SKIPPED_FUNC
							 : ROW_FUNC);
		} else if (skipped) {
			add_row(lane[e->cpu], i, ROW_SKIPPED);
		}
		add_row(lane[e->cpu], i, ROW_EVENT);
		row_step(step, sizeof(step), &rows[nrows - 1]);
		if ((int)strlen(step) + 1 > step_col)
			step_col = (int)strlen(step) + 1;
	}
}

/* Cells a gap of columns apart would cut, in width. */
static int cuts(int gap, int width)
{
	char text[340];
	int n = 0;

	for (size_t r = 0; r < nrows; r++) {
		int at = step_col + (rows[r].lane < 0 ? 0 : rows[r].lane) * gap;

		row_text(text, sizeof(text), &rows[r]);
		n += at + (int)strlen(text) > width;
	}
	return n;
}

/* The widest gap that cuts the fewest cells; narrower than MIN_GAP when
 * that many lanes need it (down to 2: a slice has a few CPUs). */
static int pick_gap(int nlanes, int width)
{
	int least = nlanes > 1 ? (width - step_col - MIN_GAP) / (nlanes - 1)
			       : MIN_GAP;
	int best, best_cuts;

	if (least > MIN_GAP)
		least = MIN_GAP;
	if (least < 2)
		least = 2;
	best = least;
	best_cuts = cuts(least, width);
	for (int gap = least + 1; gap <= MAX_GAP; gap++) {
		int n;

		if (step_col + (nlanes - 1) * gap + MIN_GAP > width)
			break;
		n = cuts(gap, width);
		if (n <= best_cuts)
			best = gap, best_cuts = n;
	}
	return best;
}

/* text as lines of at most width columns, broken at spaces, the lines
 * after the first indented by two. */
static void print_wrapped(FILE *out, const char *text, int width)
{
	for (int indent = 0; *text; indent = 2) {
		const char *line = text;
		int n = sched_view_wrap(&text, width - indent);

		fprintf(out, "%*s%.*s\n", indent, "", n, line);
	}
}

static void print_rows(FILE *out, int nlanes, int gap, int width)
{
	char text[340], cell[340], step[16];

	for (size_t r = 0; r < nrows; r++) {
		int lane = rows[r].lane < 0 ? 0 : rows[r].lane;
		int at = step_col + lane * gap;

		row_step(step, sizeof(step), &rows[r]);
		row_text(text, sizeof(text), &rows[r]);
		fprintf(out, "%*s ", step_col - 1, step);
		for (int l = 0; l < lane && l < nlanes; l++)
			fprintf(out, "%-*s", gap, "|");
		sched_view_cell(cell, sizeof(cell), text, width - at);
		fprintf(out, "%s\n", cell);
	}
}

static void print_verdicts(FILE *out, const struct sched_result *res,
			   int report, int width)
{
	const struct sched_report *r = &res->reports[report];
	char line[512];
	size_t used;

	snprintf(line, sizeof(line), "VIOLATION %s (step %u): %s",
		 sched_verdict_name(r->verdict), r->step, r->detail);
	print_wrapped(out, line, width);
	used = (size_t)snprintf(line, sizeof(line), "also:");
	for (int i = 0; i < res->nreports && used < sizeof(line); i++)
		if (i != report)
			used += (size_t)snprintf(line + used, sizeof(line) - used,
				"%s %s (step %u)", used > 5 ? "," : "",
				sched_verdict_name(res->reports[i].verdict),
				res->reports[i].step);
	if (res->nreports > 1)
		print_wrapped(out, line, width);
}

void sched_view_mail(FILE *out, const struct sched_view *v)
{
	static const struct sched_result none;
	const struct sched_result *res = v->res ? v->res : &none;
	int width = v->width ? v->width : SCHED_MAIL_WIDTH;
	int report = sched_first_violation(res), lane[SCHED_MAX_CPUS];
	int nlanes = 0, gap;
	uint64_t cpus;
	bool engine;
	char head[16];

	if (v->title)
		print_wrapped(out, v->title, width);
	if (v->describe)
		v->describe(out);
	if (report < 0) {
		fprintf(out, "no violation: nothing to slice\n");
		for (int i = 0; i < res->nreports; i++) {
			char line[300];

			snprintf(line, sizeof(line), "STEP-LIMIT: %s",
				 res->reports[i].detail);
			print_wrapped(out, line, width);
		}
		return;
	}
	sched_slice(&slice, res, report);
	cpus = sched_view_cpus(v, shown, NULL, &engine);
	for (int c = 0; c < SCHED_MAX_CPUS; c++)
		lane[c] = c < v->ncpus && cpus >> c & 1 ? nlanes++ : -1;
	build_rows(v, lane);
	gap = pick_gap(nlanes ? nlanes : 1, width);
	fprintf(out, "%*s ", step_col - 1, "step");
	for (int c = 0, l = 0; c < SCHED_MAX_CPUS; c++) {
		if (lane[c] < 0)
			continue;
		snprintf(head, sizeof(head), "CPU%d", c);
		fprintf(out, ++l < nlanes ? "%-*s" : "%.*s\n", gap, head);
	}
	if (!nlanes)
		fprintf(out, "\n");
	print_rows(out, nlanes, gap, width);
	print_verdicts(out, res, report, width);
}
