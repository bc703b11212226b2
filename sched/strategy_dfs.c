/*
 * strategy_dfs.c - bounded exhaustive search, as in CHESS (Musuvathi and
 * Qadeer, "Iterative Context Bounding for Systematic Testing of
 * Multithreaded Programs", PLDI 2007) and loom: depth-first over the tree
 * of decisions, counting a preemption each time a CPU that could go on is
 * switched away from, and pruning every branch over the bound.  Unlike
 * CHESS, the allocator's and the release decisions are branches too.
 *
 * The path holds the decisions of the last execution; the next execution
 * replays its prefix up to the deepest decision that still has an
 * alternative within the bound, takes that alternative, and then takes
 * choice 0 (go on with the current CPU, lowest free object, keep) at every
 * new decision.
 */
#include "sched.h"

static unsigned dfs_choose(struct sched_decisions *base,
			   enum sched_decision_kind kind, unsigned n,
			   const int *cands, unsigned dflt)
{
	struct sched_dfs_source *src = (struct sched_dfs_source *)base;
	struct sched_dfs_entry *e;

	(void)dflt;
	if (n <= 1)
		return 0;
	if (src->pos < src->len) {
		e = &src->path[src->pos++];
		if (e->n != n)
			src->diverged = 1;
		return e->choice < n ? e->choice : 0;
	}
	if (src->len == SCHED_DFS_MAX_DEPTH)
		return 0;
	e = &src->path[src->len++];
	src->pos = src->len;
	e->n = (uint8_t)n;
	e->choice = 0;
	e->preemptive = kind == SCHED_DECIDE_CPU && sched_current_step() > 0 &&
			cands[0] == sched_current_cpu();
	return 0;
}

void sched_dfs_source_init(struct sched_dfs_source *src, int bound)
{
	src->base.choose = dfs_choose;
	src->bound = bound;
	src->len = src->pos = 0;
	src->diverged = 0;
}

int sched_dfs_next(struct sched_dfs_source *src)
{
	int used = 0;
	size_t i;

	for (i = 0; i < src->len; i++)
		used += src->path[i].preemptive && src->path[i].choice;
	while (src->len) {
		struct sched_dfs_entry *e = &src->path[src->len - 1];

		used -= e->preemptive && e->choice;
		if (e->choice + 1 < e->n && used + e->preemptive <= src->bound) {
			e->choice++;
			src->pos = 0;
			return 1;
		}
		src->len--;
	}
	return 0;
}
