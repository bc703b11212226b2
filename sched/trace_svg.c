/*
 * trace_svg.c - the last execution as a picture: one lane per CPU, one row
 * per event, top to bottom.
 *
 * Drawn: each event as text in its CPU's lane (the function when it
 * changes, in bold); lock hold spans as bars beside the lane, from the
 * lock to its unlock (or to the end); an arrow from each free of an object
 * to the next allocation of the same object (reuse); an arrow from the
 * store a load read, when another CPU made it; RCU callbacks across all
 * lanes; violations as red bands.  Plain SVG 1.1, no script, no fonts
 * beyond monospace.
 */
#include <string.h>

#include "engine.h"

#define LANE 360	/* width of a CPU's lane */
#define ROW 16		/* height of an event's row */
#define LEFT 56		/* the step column */
#define TOP 40		/* the lane headers */

static void escaped(FILE *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
}

static int lane_x(int cpu)
{
	return LEFT + cpu * LANE;
}

static int row_y(size_t row)
{
	return TOP + (int)row * ROW;
}

/* The arrow colours: frees to reuses, reads-from (faint: in a long
 * schedule there are many), and a weak load that read an older store. */
static const char *const colours[] = { "darkorange", "blue", "crimson" };

static void arrow(FILE *out, int x1, int y1, int x2, int y2,
		  const char *colour, const char *title)
{
	bool faint = !strcmp(colour, "blue");

	fprintf(out, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' "
		"stroke-width='%s' marker-end='url(#head-%s)' opacity='%s'>"
		"<title>", x1, y1, x2, y2, colour, faint ? "1" : "1.5", colour,
		faint ? "0.35" : "0.8");
	escaped(out, title);
	fprintf(out, "</title></line>\n");
}

/* Same lock object and field. */
static bool same_place(const struct sched_event *a, const struct sched_event *b)
{
	return a->obj >= 0 && a->obj == b->obj && a->off == b->off;
}

void sched_print_svg(FILE *out, int ncpus)
{
	size_t n = sched_trace_len(), rows = 0;
	static size_t row_of[1 << 16];
	const char *func[SCHED_MAX_CPUS] = { 0 };
	int width = LEFT + ncpus * LANE + 20;
	char text[320], name[64];

	/* rows: an extra one where a CPU enters a new function */
	for (size_t i = 0; i < n && i < sizeof(row_of) / sizeof(row_of[0]); i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (e->cpu >= 0 && e->site && e->op != SCHED_OP_VERDICT &&
		    (!func[e->cpu] || strcmp(func[e->cpu], e->site->func))) {
			func[e->cpu] = e->site->func;
			rows++;
		}
		row_of[i] = rows++;
	}
	if (n > sizeof(row_of) / sizeof(row_of[0]))
		n = sizeof(row_of) / sizeof(row_of[0]);
	fprintf(out, "<?xml version='1.0' encoding='UTF-8'?>\n"
		"<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
		"font-family='monospace' font-size='11'>\n", width,
		row_y(rows) + ROW);
	fprintf(out, "<defs>");
	for (size_t k = 0; k < sizeof(colours) / sizeof(colours[0]); k++)
		fprintf(out, "<marker id='head-%s' markerWidth='8' "
			"markerHeight='8' refX='7' refY='4' orient='auto'>"
			"<path d='M0,0 L8,4 L0,8 z' fill='%s'/></marker>",
			colours[k], colours[k]);
	fprintf(out, "</defs>\n<rect width='100%%' height='100%%' fill='white'/>\n");
	for (int c = 0; c < ncpus; c++) {
		fprintf(out, "<rect x='%d' y='%d' width='%d' height='%d' "
			"fill='%s'/>\n", lane_x(c), TOP - 24, LANE - 8,
			row_y(rows) - TOP + 28, c % 2 ? "#f4f4f8" : "#fafafa");
		fprintf(out, "<text x='%d' y='%d' font-weight='bold' "
			"font-size='13'>CPU%d</text>\n", lane_x(c) + 6, TOP - 8, c);
	}

	memset(func, 0, sizeof(func));
	for (size_t i = 0; i < n; i++) {
		const struct sched_event *e = sched_trace_event(i);
		int y = row_y(row_of[i]) + 12;

		sched_describe_event(text, sizeof(text), e);
		if (e->op == SCHED_OP_VERDICT || e->cpu < 0) {
			bool bad = e->op == SCHED_OP_VERDICT;

			fprintf(out, "<rect x='%d' y='%d' width='%d' height='%d' "
				"fill='%s' opacity='0.3'/>\n", LEFT,
				row_y(row_of[i]), ncpus * LANE - 8, ROW,
				bad ? "red" : "#9c9");
			fprintf(out, "<text x='%d' y='%d'%s>%s", LEFT + 6, y,
				bad ? " fill='darkred' font-weight='bold'" : "",
				bad ? "" : "rcu: ");
			escaped(out, text);
			fprintf(out, "</text>\n");
			continue;
		}
		if (e->site && (!func[e->cpu] ||
				 strcmp(func[e->cpu], e->site->func))) {
			func[e->cpu] = e->site->func;
			fprintf(out, "<text x='%d' y='%d' font-weight='bold'>",
				lane_x(e->cpu) + 6, y - ROW);
			escaped(out, e->site->func);
			fprintf(out, "()</text>\n");
		}
		fprintf(out, "<text x='4' y='%d' fill='gray'>%u</text>", y,
			e->step);
		fprintf(out, "<text x='%d' y='%d'><title>", lane_x(e->cpu) + 14,
			y);
		if (e->site)
			fprintf(out, "%s:%d", e->site->file, e->site->line);
		fprintf(out, "</title>");
		escaped(out, text);
		fprintf(out, "</text>\n");
	}

	/* lock hold spans: from each lock to its unlock by the same CPU */
	for (size_t i = 0; i < n; i++) {
		const struct sched_event *e = sched_trace_event(i), *u = NULL;
		size_t j;

		if (e->op != SCHED_OP_LOCK || e->cpu < 0)
			continue;
		for (j = i + 1; j < n; j++) {
			u = sched_trace_event(j);
			if (u->op == SCHED_OP_UNLOCK && u->cpu == e->cpu &&
			    same_place(u, e))
				break;
		}
		fprintf(out, "<line x1='%d' y1='%d' x2='%d' y2='%d' "
			"stroke='%s' stroke-width='3' opacity='0.6'><title>",
			lane_x(e->cpu) + 4 + (int)(i % 3) * 3,
			row_y(row_of[i]) + 2, lane_x(e->cpu) + 4 + (int)(i % 3) * 3,
			j < n ? row_y(row_of[j]) + ROW - 2 : row_y(rows),
			e->aux ? "purple" : "seagreen");
		sched_describe_event(text, sizeof(text), e);
		escaped(out, text);
		fprintf(out, " held%s</title></line>\n", j < n ? "" : " to the end");
	}

	/* reuse: a free, then the next allocation of the same object */
	for (size_t i = 0; i < n; i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (e->op != SCHED_OP_FREE || e->cpu < 0)
			continue;
		for (size_t j = i + 1; j < n; j++) {
			const struct sched_event *a = sched_trace_event(j);

			if (a->op == SCHED_OP_FREE && a->obj == e->obj)
				break;
			if (a->op != SCHED_OP_ALLOC || a->obj != e->obj ||
			    a->cpu < 0)
				continue;
			sched_format_obj(name, sizeof(name), e->obj);
			snprintf(text, sizeof(text), "%s freed, then allocated "
				 "again", name);
			arrow(out, lane_x(e->cpu) + LANE - 40,
			      row_y(row_of[i]) + ROW / 2,
			      lane_x(a->cpu) + LANE - 40,
			      row_y(row_of[j]) + ROW / 2, "darkorange", text);
			break;
		}
	}

	/* reads-from: a load of what another CPU stored */
	for (size_t i = 0; i < n; i++) {
		const struct sched_event *l = sched_trace_event(i);

		/* weak memory: aux says which store the load read (its
		 * step + 1; 1: the initial value, no arrow) */
		uint32_t from = (uint32_t)l->aux;

		if (l->op != SCHED_OP_LOAD || l->cpu < 0 || l->obj < 0 ||
		    from == 1)
			continue;
		for (size_t j = i; j-- > 0;) {
			const struct sched_event *s = sched_trace_event(j);

			if ((s->op != SCHED_OP_STORE && s->op != SCHED_OP_RMW) ||
			    !same_place(s, l))
				continue;
			if (from && s->step != from - 1)
				continue;
			if (s->cpu >= 0 && (s->cpu != l->cpu || l->aux >> 32)) {
				sched_describe_event(text, sizeof(text), l);
				arrow(out, lane_x(s->cpu) + LANE - 12,
				      row_y(row_of[j]) + ROW / 2,
				      lane_x(l->cpu) + 4,
				      row_y(row_of[i]) + ROW / 2,
				      l->aux >> 32 ? "crimson" : "blue", text);
			}
			break;
		}
	}
	fprintf(out, "</svg>\n");
}
