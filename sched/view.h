/*
 * view.h - the last execution drawn for people, three ways, all from the
 * same trace and the same causal slice (slice.h):
 *
 *   the column diagram (diagram.c)  every event, one column per CPU
 *   the mail view (mail.c)          the slice only, within a mail's width
 *   the picture (trace_svg.c)       SVG: the slice highlighted, the rest
 *                                   faded and long runs folded
 *
 * A cell too long for its column is cut with SCHED_VIEW_CUT as its last
 * character, never silently.
 */
#ifndef SCHED_VIEW_H
#define SCHED_VIEW_H

#include "sched.h"

#define SCHED_VIEW_CUT '~'
#define SCHED_MAIL_WIDTH 80

struct sched_view {
	int ncpus;			/* the program's CPUs */
	int width;			/* text: columns in all, 0 the default */
	uint64_t cpus;			/* a bit per CPU to draw (then no
					   engine events); 0: every CPU with
					   an event to draw */
	uint32_t first, last;		/* steps to draw; last 0: to the end */
	bool full;			/* SVG: nothing folded */
	const char *title;		/* what ran: scenario, variant, memory,
					   noise, file */
	void (*describe)(FILE *out);	/* the CPUs' programs, under it */
	const struct sched_result *res;	/* its reports (NULL: none) */
};

/* The default view of the last execution of a program of ncpus CPUs,
 * with its reports res (NULL: none). */
void sched_view_init(struct sched_view *v, int ncpus,
		     const struct sched_result *res);
void sched_view_diagram(FILE *out, const struct sched_view *v);
void sched_view_mail(FILE *out, const struct sched_view *v);
void sched_view_svg(FILE *out, const struct sched_view *v);

/* Shared by the views (view.c). */
/* Copies text into a cell of width columns: cut with SCHED_VIEW_CUT when
 * longer; returns the columns used. */
int sched_view_cell(char *buf, size_t len, const char *text, int width);
/* The length of the next line of *text, at most cols characters, broken
 * at a space when it can be; *text moves past it and the spaces after. */
int sched_view_wrap(const char **text, int cols);
/* Whether event e is in the view's CPUs (before the default) and steps. */
bool sched_view_in_range(const struct sched_view *v,
			 const struct sched_event *e);
/* The CPUs with an event in range for which keep (NULL: every event)
 * holds, a bit each; *engine: whether an engine event (an RCU callback's)
 * is among them. */
uint64_t sched_view_cpus(const struct sched_view *v,
			 bool (*keep)(size_t i, void *arg), void *arg,
			 bool *engine);

#endif
