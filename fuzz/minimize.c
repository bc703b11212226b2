/*
 * minimize.c - the schedule with the fewest preemptions, then the fewest
 * context switches, that still shows a given violation class.
 *
 * The execution is recorded as runs, "CPU c performs its next n steps",
 * plus the allocator's and release choices in order: a script
 * (struct sched_script_source) that replays it exactly.  Runs name each
 * CPU's own steps, so a change to one run leaves the others meaning what
 * they meant.  Moves, tried until none helps:
 *   - fold a run into the previous run of the same CPU (that CPU is not
 *     preempted there) or into its next run (it waits until then): two
 *     switches go;
 *   - drop the tail of the runs: the engine's default (no preemption)
 *     finishes the execution;
 *   - drop an allocator or release choice: the default takes its place.
 * A move is kept when the class still shows, with no more preemptions and
 * fewer runs, or fewer preemptions.  Before that, a preemption-bounded
 * search (dfs, bound 0, 1, ... while it stays small) looks for a schedule
 * with fewer preemptions than the input's.  The result is written as a
 * text schedule of the final execution.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "target.h"

#define MAX_RUNS 8192
#define MAX_LABELS 4096

struct plan {
	struct sched_script_run runs[MAX_RUNS];
	size_t nruns;
	int labels[SCHED_DECIDE_NR][MAX_LABELS];
	size_t nlabels[SCHED_DECIDE_NR];
	unsigned preemptions, steps;
};

/* Wraps a source and writes down every choice, single candidates too. */
struct recorder {
	struct sched_decisions base;
	struct sched_decisions *inner;
	struct plan *plan;
};

static unsigned record(struct sched_decisions *base,
		       enum sched_decision_kind kind, unsigned n,
		       const int *cands, unsigned dflt)
{
	struct recorder *r = (struct recorder *)base;
	struct plan *p = r->plan;
	unsigned c = r->inner->choose(r->inner, kind, n, cands, dflt);

	if (c >= n)
		c = dflt;
	if (kind != SCHED_DECIDE_CPU) {
		if (p->nlabels[kind] < MAX_LABELS)
			p->labels[kind][p->nlabels[kind]++] = cands[c];
	} else if (p->nruns && p->runs[p->nruns - 1].cpu == cands[c]) {
		p->runs[p->nruns - 1].count++;
	} else if (p->nruns < MAX_RUNS) {
		p->runs[p->nruns++] = (struct sched_script_run){ cands[c], 1 };
	}
	return c;
}

/* Progress for people: a status line every 5 s; Ctrl-C ends the search
 * with the best schedule so far. */
static struct {
	volatile sig_atomic_t interrupted;
	size_t runs;
	double next;
	const struct plan *best;
} status;

static void on_sigint(int sig)
{
	(void)sig;
	status.interrupted = 1;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Counts a run; true when the search is to stop. */
static bool tick(void)
{
	if ((++status.runs & 255) == 0 && now() >= status.next) {
		fprintf(stderr, "minimize: %zu runs; best so far %u preemptions, "
			"%zu runs of CPUs\n", status.runs,
			status.best->preemptions, status.best->nruns);
		status.next = now() + 5;
	}
	return status.interrupted;
}

static bool replay_plan(const struct scenario *sc, struct plan *p,
			const struct sched_class *v)
{
	struct sched_script_source src;
	struct sched_result res;
	bool found = false;

	sched_script_source_init(&src, p->runs, p->nruns);
	for (int k = 1; k < SCHED_DECIDE_NR; k++) {
		src.labels[k] = p->labels[k];
		src.nlabels[k] = p->nlabels[k];
	}
	target_exec_source(sc, target_programs(), &src.base, &res);
	tick();
	for (int i = 0; i < res.nreports; i++)
		found |= res.reports[i].verdict == v;
	p->preemptions = sched_preemptions();
	p->steps = res.steps;
	return found;
}

static bool better(const struct plan *c, const struct plan *best)
{
	return c->preemptions < best->preemptions ||
	       (c->preemptions == best->preemptions && c->nruns < best->nruns);
}

/* Keeps c in best when it still shows v and is better. */
static bool keep_if_better(const struct scenario *sc, struct plan *best,
			   struct plan *c, const struct sched_class *v)
{
	if (!replay_plan(sc, c, v) || !better(c, best))
		return false;
	*best = *c;
	return true;
}

/* Run i goes into the previous (later: the next) run of its CPU. */
static bool fold(struct plan *c, size_t i, bool later)
{
	size_t j = i;

	do {
		if (later ? ++j >= c->nruns : j-- == 0)
			return false;
	} while (c->runs[j].cpu != c->runs[i].cpu);
	c->runs[j].count += c->runs[i].count;
	memmove(&c->runs[i], &c->runs[i + 1],
		(c->nruns - i - 1) * sizeof(c->runs[0]));
	c->nruns--;
	/* neighbours of one CPU become one run */
	for (size_t k = 1; k < c->nruns;)
		if (c->runs[k].cpu == c->runs[k - 1].cpu) {
			c->runs[k - 1].count += c->runs[k].count;
			memmove(&c->runs[k], &c->runs[k + 1],
				(c->nruns - k - 1) * sizeof(c->runs[0]));
			c->nruns--;
		} else {
			k++;
		}
	return true;
}

/* The moves, until none helps. */
static void greedy(const struct scenario *sc, struct plan *best,
		   const struct sched_class *v)
{
	static struct plan c;
	bool progress = true;

	while (progress && !tick()) {
		progress = false;
		for (size_t len = best->nruns / 2; len >= 1; len /= 2) {
			c = *best;
			c.nruns -= len;
			if (keep_if_better(sc, best, &c, v))
				progress = true;
		}
		for (int later = 0; later < 2; later++)
			for (size_t i = best->nruns; i-- > 0;) {
				c = *best;
				if (i < c.nruns && fold(&c, i, later) &&
				    keep_if_better(sc, best, &c, v))
					progress = true;
			}
		for (int k = 1; k < SCHED_DECIDE_NR; k++)
			for (size_t i = best->nlabels[k]; i-- > 0;) {
				c = *best;
				memmove(&c.labels[k][i], &c.labels[k][i + 1],
					(c.nlabels[k] - i - 1) * sizeof(int));
				c.nlabels[k]--;
				if (replay_plan(sc, &c, v) &&
				    c.preemptions <= best->preemptions) {
					*best = c;
					progress = true;
				}
			}
	}
}

#define DFS_BUDGET 300000	/* schedules, over all bounds */

/*
 * Preemption-bounded search (dfs) from bound 0 up: the first schedule that
 * shows v within the smallest bound has the fewest preemptions there are.
 * Small programs only: it gives up after DFS_BUDGET schedules.
 */
static bool search_fewer(const struct scenario *sc, struct plan *best,
			 const struct sched_class *v)
{
	static struct sched_dfs_source dfs;
	static struct plan c;
	struct recorder rec = { .base.choose = record, .inner = &dfs.base,
				.plan = &c };
	unsigned long budget = DFS_BUDGET;

	for (int bound = 0; (unsigned)bound < best->preemptions && budget;
	     bound++) {
		sched_dfs_source_init(&dfs, bound);
		do {
			struct sched_result res;
			bool found = false;

			memset(&c, 0, sizeof(c));
			target_exec_source(sc, target_programs(), &rec.base, &res);
			for (int i = 0; i < res.nreports; i++)
				found |= res.reports[i].verdict == v;
			if (found && replay_plan(sc, &c, v) && better(&c, best)) {
				*best = c;
				return true;
			}
		} while (--budget && !tick() && sched_dfs_next(&dfs));
	}
	return false;
}

int target_minimize(const struct scenario *sc, const uint8_t *data,
		    size_t size, const struct sched_class *v,
		    struct target_min_result *out)
{
	static struct plan best;
	struct recorder rec = { .base.choose = record, .plan = &best };
	struct sched_bytes_source bytes;
	struct sched_text_source text;
	static struct sched_text t;
	struct sched_result res;

	void (*old)(int);

	/* the input once, through the recorder */
	memset(&best, 0, sizeof(best));
	status.best = &best;
	status.runs = 0;
	status.interrupted = 0;
	status.next = now() + 5;
	if (target_run(sc, data, size, &res))
		return -1;
	out->before_steps = res.steps;
	out->before_preemptions = sched_preemptions();
	if (sched_text_is(data, size)) {
		sched_text_parse((const char *)data, size, &t, NULL, 0);
		sched_text_source_init(&text, &t);
		rec.inner = &text.base;
	} else {
		sched_bytes_source_init(&bytes, data + sc->header_size,
					size > sc->header_size ?
						size - sc->header_size : 0);
		rec.inner = &bytes.base;
	}
	target_exec_source(sc, target_programs(), &rec.base, &res);
	if (sched_text_is(data, size))
		sched_text_free(&t);
	if (!replay_plan(sc, &best, v))
		return -1;

	old = signal(SIGINT, on_sigint);
	greedy(sc, &best, v);
	if (search_fewer(sc, &best, v))
		greedy(sc, &best, v);
	signal(SIGINT, old);
	replay_plan(sc, &best, v);	/* its trace is the last one */
	out->after_steps = best.steps;
	out->after_preemptions = best.preemptions;
	out->runs = best.nruns;
	out->interrupted = status.interrupted;
	return 0;
}
