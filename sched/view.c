/*
 * view.c - what the three views of an execution share: the options, the
 * cells cut with a marker, the choice of CPUs to draw.
 */
#include <string.h>

#include "view.h"

void sched_view_init(struct sched_view *v, int ncpus,
		     const struct sched_result *res)
{
	memset(v, 0, sizeof(*v));
	v->ncpus = ncpus;
	v->res = res;
}

int sched_view_cell(char *buf, size_t len, const char *text, int width)
{
	int n = (int)strlen(text);

	if (width < 1)
		width = 1;
	if (n <= width) {
		snprintf(buf, len, "%s", text);
		return n;
	}
	snprintf(buf, len, "%.*s%c", width - 1, text, SCHED_VIEW_CUT);
	return width;
}

int sched_view_wrap(const char **text, int cols)
{
	const char *p = *text;
	int n = (int)strlen(p);

	if (n > cols) {
		n = cols;
		while (n > 0 && p[n] != ' ')
			n--;
		if (n == 0)
			n = cols;
	}
	for (*text = p + n; **text == ' ' || **text == '\n';)
		(*text)++;
	return n;
}

bool sched_view_in_range(const struct sched_view *v,
			 const struct sched_event *e)
{
	if (v->cpus && (e->cpu < 0 || !(v->cpus >> e->cpu & 1)))
		return false;
	return e->step >= v->first && (!v->last || e->step <= v->last);
}

uint64_t sched_view_cpus(const struct sched_view *v,
			 bool (*keep)(size_t i, void *arg), void *arg,
			 bool *engine)
{
	uint64_t cpus = 0;

	*engine = false;
	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (!sched_view_in_range(v, e) || (keep && !keep(i, arg)))
			continue;
		if (e->cpu < 0)
			*engine = true;
		else
			cpus |= 1ull << e->cpu;
	}
	return cpus;
}
