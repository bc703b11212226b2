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

#define STEP_COL 6
#define MIN_GAP 8	/* columns between two CPUs' cells */
#define MAX_GAP 24
#define MAX_ROWS 512

static struct sched_slice slice;

struct mail_row {
	int lane;		/* -1: the engine (RCU callbacks) */
	char step[16];		/* empty for a function's row */
	char text[320];
};

static struct mail_row rows[MAX_ROWS];
static int nrows;

static void add_row(int lane, const char *step, const char *text)
{
	if (nrows == MAX_ROWS)
		return;
	rows[nrows].lane = lane;
	snprintf(rows[nrows].step, sizeof(rows[nrows].step), "%s", step);
	snprintf(rows[nrows].text, sizeof(rows[nrows].text), "%s", text);
	nrows++;
}

static bool shown(size_t i, void *arg)
{
	(void)arg;
	return slice.mark[i] && sched_trace_event(i)->op != SCHED_OP_VERDICT;
}

/* The rows of the sliced events of the CPUs in lane (-1: not shown). */
static void build_rows(const struct sched_view *v, const int *lane)
{
	const char *func[SCHED_MAX_CPUS] = { 0 };
	size_t last[SCHED_MAX_CPUS];	/* the CPU's last event shown, +1 */
	char text[320], step[16];

	memset(last, 0, sizeof(last));
	nrows = 0;
	for (size_t i = 0; i < slice.nevents; i++) {
		const struct sched_event *e = sched_trace_event(i);
		bool skipped = false;

		if (!shown(i, NULL) || !sched_view_in_range(v, e))
			continue;
		snprintf(step, sizeof(step), "%u%c", e->step,
			 slice.mark[i] & SCHED_SLICE_KEY ? '*' :
			 slice.mark[i] & SCHED_SLICE_MISSED ? '!' : ' ');
		sched_describe_event(text, sizeof(text), e);
		if (e->cpu < 0) {
			char rcu[330];

			snprintf(rcu, sizeof(rcu), "rcu: %s", text);
			add_row(-1, step, rcu);
			continue;
		}
		if (lane[e->cpu] < 0)
			continue;
		for (size_t j = last[e->cpu]; j < i && !skipped; j++)
			skipped = sched_trace_event(j)->cpu == e->cpu;
		last[e->cpu] = i + 1;
		if (e->site && (!func[e->cpu] ||
				 strcmp(func[e->cpu], e->site->func))) {
			char head[96];

			func[e->cpu] = e->site->func;
			snprintf(head, sizeof(head), "%s%s()",
				 skipped ? "... " : "", e->site->func);
			add_row(lane[e->cpu], "", head);
		} else if (skipped) {
			add_row(lane[e->cpu], "", "...");
		}
		add_row(lane[e->cpu], step, text);
	}
}

/* Cells a gap of columns apart would cut, in width. */
static int cuts(int gap, int width)
{
	int n = 0;

	for (int r = 0; r < nrows; r++) {
		int at = STEP_COL + (rows[r].lane < 0 ? 0 : rows[r].lane) * gap;

		n += at + (int)strlen(rows[r].text) > width;
	}
	return n;
}

/* The widest gap that cuts the fewest cells. */
static int pick_gap(int nlanes, int width)
{
	int best = MIN_GAP, best_cuts = cuts(MIN_GAP, width);

	for (int gap = MIN_GAP + 1; gap <= MAX_GAP; gap++) {
		int n = cuts(gap, width);

		if (STEP_COL + (nlanes - 1) * gap + MIN_GAP > width)
			break;
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
	char cell[320];

	for (int r = 0; r < nrows; r++) {
		int lane = rows[r].lane < 0 ? 0 : rows[r].lane;
		int at = STEP_COL + lane * gap;

		fprintf(out, "%5s ", rows[r].step);
		for (int l = 0; l < lane && l < nlanes; l++)
			fprintf(out, "%-*s", gap, "|");
		sched_view_cell(cell, sizeof(cell), rows[r].text, width - at);
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
				" %s (step %u)%s",
				sched_verdict_name(res->reports[i].verdict),
				res->reports[i].step,
				i + 1 < res->nreports ? "," : "");
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
	unsigned cpus;
	char head[16];

	if (v->title)
		print_wrapped(out, v->title, width);
	if (v->describe)
		v->describe(out);
	if (report < 0) {
		fprintf(out, "no violation: nothing to slice\n");
		return;
	}
	sched_slice(&slice, res, report);
	cpus = sched_view_cpus(v, shown, NULL);
	for (int c = 0; c < SCHED_MAX_CPUS; c++)
		lane[c] = c < v->ncpus && cpus & (1u << c) ? nlanes++ : -1;
	build_rows(v, lane);
	gap = pick_gap(nlanes ? nlanes : 1, width);
	fprintf(out, "%-*s", STEP_COL, " step");
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
