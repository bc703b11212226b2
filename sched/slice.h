/*
 * slice.h - the causal slice of a violation: the events of the last
 * execution that the report depends on, for every view (the column
 * diagram, the mail view, the SVG) to show and the rest to fold.
 *
 * It starts from the report's keys (sched_report_key: the stale load, the
 * lock, the return ...) and the verdict, and adds, one level deep: where
 * a key load's pointer came from (the CPU's last load of a pointer into
 * its object), the stores those loads read, and for a weak load the newer
 * store it did not read; the release a key lock acquired from; and the
 * frees and allocations of the objects the keys touch or point at, from
 * the first key to the verdict.  Functions around them are the views'
 * business.
 */
#ifndef SCHED_SLICE_H
#define SCHED_SLICE_H

#include "sched.h"

enum {
	SCHED_SLICE_KEY = 1,	/* named by the oracle, or the verdict */
	SCHED_SLICE_CAUSE = 2,	/* added by the rules above */
	SCHED_SLICE_MISSED = 4,	/* a newer store a key load did not read */
};

enum sched_edge_kind {
	SCHED_EDGE_RF,		/* a store, and a load that read it */
	SCHED_EDGE_MISSED,	/* a weak load, and the newer store it missed */
	SCHED_EDGE_REUSE,	/* a free, and the next allocation of the object */
	SCHED_EDGE_LOCK,	/* a release, and the acquire that followed it */
	SCHED_EDGE_NR
};

#define SCHED_SLICE_EDGES 64	/* edges past these are left out */

struct sched_edge {
	uint32_t from, to;	/* trace indices */
	enum sched_edge_kind kind;
};

struct sched_slice {
	int report;			/* the report sliced, -1 for none */
	size_t nevents;			/* the trace's length */
	uint32_t verdict;		/* trace index of its verdict */
	uint8_t mark[SCHED_TRACE_MAX];	/* SCHED_SLICE_* per event */
	int nedges;
	struct sched_edge edges[SCHED_SLICE_EDGES];
};

/* The store a load read, by trace index (SIZE_MAX: the initial value or
 * none in the trace), and in *missed, under weak memory, the newer store
 * it did not read (SIZE_MAX when it read the latest). */
size_t sched_read_from(size_t load, size_t *missed);

/* The first violation's report in res (step-limit is none: its class is
 * SCHED_CLASS_NOT_BUG), -1 if none. */
int sched_first_violation(const struct sched_result *res);

/* Slices the last execution for res->reports[report]; report -1 leaves
 * every mark clear. */
void sched_slice(struct sched_slice *s, const struct sched_result *res,
		 int report);

#endif
