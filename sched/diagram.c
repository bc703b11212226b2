/*
 * diagram.c - the column diagram: one column per CPU, one row per event,
 * the function a CPU enters on a row of its own, the way the 2010 mail
 * draws it; engine events (RCU callbacks) and verdicts across all columns.
 * The step column marks the causal slice of the first violation: '*' an
 * event the verdict names, '+' one it depends on, '!' a newer store a
 * weak load did not read.
 */
#include <string.h>

#include "slice.h"
#include "view.h"

#define COL 40		/* a column's default width, "| " included */
#define MIN_COL 12

static struct sched_slice slice;

struct columns {
	int lane[SCHED_MAX_CPUS];	/* CPU -> column, -1 not drawn */
	int n, width;
};

static void print_row(FILE *out, const char *step, const struct columns *c,
		      int cpu, const char *text)
{
	char cell[320];

	fprintf(out, "%6s ", step);
	for (int l = 0; l < c->n; l++) {
		sched_view_cell(cell, sizeof(cell),
				l == c->lane[cpu] ? text : "", c->width - 2);
		fprintf(out, "| %-*s", c->width - 2, cell);
	}
	fprintf(out, "\n");
}

/* "  94*": the step and its slice mark (none on a verdict's row). */
static void step_label(char *buf, size_t len, size_t i)
{
	uint8_t m = sched_trace_event(i)->op == SCHED_OP_VERDICT ? 0
							: slice.mark[i];

	snprintf(buf, len, "%u%c", sched_trace_event(i)->step,
		 m & SCHED_SLICE_KEY ? '*' : m & SCHED_SLICE_CAUSE ? '+' :
		 m & SCHED_SLICE_MISSED ? '!' : ' ');
}

void sched_view_diagram(FILE *out, const struct sched_view *v)
{
	const char *func[SCHED_MAX_CPUS] = { 0 };
	bool engine;
	uint64_t cpus = sched_view_cpus(v, NULL, NULL, &engine);
	char text[320], head[64], step[16];
	struct columns c = { .n = 0 };

	sched_slice(&slice, v->res ? v->res : &(struct sched_result){ 0 },
		    v->res ? sched_first_violation(v->res) : -1);
	for (int cpu = 0; cpu < v->ncpus; cpu++)
		c.lane[cpu] = cpus >> cpu & 1 ? c.n++ : -1;
	c.width = COL;
	if (v->width && c.n)
		c.width = (v->width - 7) / c.n;
	if (c.width < MIN_COL)
		c.width = MIN_COL;
	fprintf(out, "%6s ", "step");
	for (int cpu = 0; cpu < v->ncpus; cpu++) {
		if (c.lane[cpu] < 0)
			continue;
		snprintf(head, sizeof(head), "CPU%d", cpu);
		fprintf(out, "| %-*s", c.width - 2, head);
	}
	fprintf(out, "\n");
	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (!sched_view_in_range(v, e))
			continue;
		step_label(step, sizeof(step), i);
		sched_describe_event(text, sizeof(text), e);
		if (e->cpu < 0 || e->op == SCHED_OP_VERDICT) {
			fprintf(out, "%6s   --- %s%s ---\n", step,
				e->cpu < 0 && e->op != SCHED_OP_VERDICT ?
				"rcu: " : "", text);
			continue;
		}
		if (c.lane[e->cpu] < 0)
			continue;
		if (e->site && (!func[e->cpu] ||
				 strcmp(func[e->cpu], e->site->func))) {
			func[e->cpu] = e->site->func;
			snprintf(head, sizeof(head), "%s():", e->site->func);
			print_row(out, "", &c, e->cpu, head);
		}
		print_row(out, step, &c, e->cpu, text);
	}
}
