/*
 * strategy_pct.c - Probabilistic Concurrency Testing (Burckhardt, Kothari,
 * Musuvathi, Nagarakatte, "A Randomized Scheduler with Probabilistic
 * Guarantees of Finding Bugs", ASPLOS 2010).
 *
 * Each execution gives the CPUs distinct random priorities d .. d+n-1 and
 * picks d-1 change points among the first k steps; the highest-priority
 * runnable CPU always runs, and at the i-th change point the running CPU
 * drops to priority i.  Departures: k is the longest execution seen so far
 * (as Coyote and shuttle estimate it), and allocator and release decisions,
 * which the paper does not have, are uniform random.
 */
#include "sched.h"

static unsigned pct_choose(struct sched_decisions *base,
			   const struct sched_ask *ask)
{
	struct sched_pct_source *src = (struct sched_pct_source *)base;
	uint32_t step = ask->step + 1;
	int running = ask->cpu;
	const int *cands = ask->cands;
	unsigned n = ask->n, best = 0;

	if (n <= 1)
		return 0;
	if (ask->kind != SCHED_DECIDE_CPU)
		return (unsigned)(sched_rand64(&src->state) % n);
	for (int i = 0; i < src->depth - 1; i++)
		if (src->change_at[i] == step && running >= 0)
			src->prio[running] = i;
	for (unsigned i = 1; i < n; i++)
		if (src->prio[cands[i]] > src->prio[cands[best]])
			best = i;
	return best;
}

/* A new execution: new priorities, new change points. */
static void pct_begin(struct sched_decisions *base)
{
	struct sched_pct_source *src = (struct sched_pct_source *)base;
	int order[SCHED_MAX_CPUS];

	for (int c = 0; c < SCHED_MAX_CPUS; c++)
		order[c] = c;
	for (int c = SCHED_MAX_CPUS - 1; c > 0; c--) {	/* Fisher-Yates */
		int j = (int)(sched_rand64(&src->state) % (uint64_t)(c + 1));
		int t = order[c];

		order[c] = order[j];
		order[j] = t;
	}
	for (int c = 0; c < SCHED_MAX_CPUS; c++)
		src->prio[order[c]] = src->depth + c;
	for (int i = 0; i < src->depth - 1; i++)
		src->change_at[i] = 1 + (uint32_t)(sched_rand64(&src->state) %
						   src->steps_estimate);
}

static void pct_end(struct sched_decisions *base,
		    const struct sched_result *res)
{
	struct sched_pct_source *src = (struct sched_pct_source *)base;

	if (res->steps > src->steps_estimate)
		src->steps_estimate = res->steps;
}

void sched_pct_source_init(struct sched_pct_source *src, uint64_t seed,
			   int depth)
{
	src->base = (struct sched_decisions){ .choose = pct_choose,
					      .begin = pct_begin,
					      .end = pct_end, .level = -1 };
	src->state = seed;
	src->depth = depth < 1 ? 1 : depth > 9 ? 9 : depth;
	src->steps_estimate = 100;
	pct_begin(&src->base);	/* a first draw, as the streams always had */
}
