/*
 * strategy_dfs.c - systematic search, as in CHESS (Musuvathi and Qadeer,
 * "Iterative Context Bounding for Systematic Testing of Multithreaded
 * Programs", PLDI 2007), delay bounding (Emmi, Qadeer, Rakamaric, "Delay-
 * Bounded Scheduling", POPL 2011), sleep sets (Godefroid, 1996) and
 * source-DPOR (Abdulla, Aronis, Jonsson, Sagonas, "Optimal Dynamic
 * Partial Order Reduction", POPL 2014, Algorithm 1).  sched.h says what
 * each option does.
 *
 * The path holds the decisions of the last execution, one entry per CPU
 * decision (single candidates too: the sleep sets follow every step) and
 * per other decision with a choice.  The next execution replays its
 * prefix up to the deepest entry with an alternative left, takes that
 * alternative, and from there the first candidate that is not asleep.
 *
 * Departures: a delay is any choice but the deterministic scheduler's,
 * one delay however many CPUs it skips (Emmi et al. count one per CPU
 * skipped), so that which CPU interrupts does not hang on its number; and
 * under a bound the sleep sets prune a schedule whose equivalent was
 * explored from a sibling, whatever that equivalent cost (Coons, Musuvathi
 * and McKinley, OOPSLA 2013, make the pair exact; here the tests check the
 * minimal bounds against the search without reduction).
 */
#include <string.h>

#include "engine.h"

#define NO_ENTRY ((size_t)-1)

static bool is_cpu(const struct sched_dfs_entry *e)
{
	return e->kind == SCHED_DECIDE_CPU;
}

/* Candidate i of a CPU entry: its enabled CPUs, upwards from the running
 * one (the engine's order: the mask rotated so that it is bit 0). */
static int cand_cpu(const struct sched_dfs_entry *e, unsigned i)
{
	unsigned from = (unsigned)e->cpu & 63;
	uint64_t m = e->enabled >> from |
		     (from ? e->enabled << (64 - from) : 0);

	while (i-- && m)
		m &= m - 1;
	return m ? (int)((__builtin_ctzll(m) + from) & 63) : -1;
}

static unsigned cost_of(const struct sched_dfs_source *src,
			const struct sched_dfs_entry *e, unsigned choice)
{
	if (choice == 0)
		return 0;
	if (src->opt.cost == SCHED_COST_DELAYS)
		return 1;
	return is_cpu(e) && e->can_go_on;
}

static bool reducing(const struct sched_dfs_source *src)
{
	return src->opt.por != SCHED_POR_NONE;
}

/*
 * The step of CPU entry p is over: its footprint goes into the entry, and
 * the sleep set passes on to the next CPU decision.  It is p's, with the
 * CPUs explored at p before (their steps as they were then), less every
 * CPU whose next step depends on this one.  Only under a reduction.
 */
static void step_done(struct sched_dfs_source *src, size_t p)
{
	struct sched_dfs_entry *e = &src->path[p];
	int taken = cand_cpu(e, e->choice);

	sched_step_footprint(e->step, &src->trace_seen, &e->fp);
	src->sleep = e->sleep;
	for (uint32_t k = e->first_slept; k < e->first_slept + e->nslept; k++) {
		const struct sched_dfs_slept *s = &src->slept[k];

		if (s->cpu != taken) {
			src->sleep |= 1ull << s->cpu;
			src->sleep_fp[s->cpu] = s->fp;
		}
	}
	for (int c = 0; c < SCHED_MAX_CPUS; c++)
		if (src->sleep >> c & 1 &&
		    sched_footprints_depend(&src->sleep_fp[c], &e->fp))
			src->sleep &= ~(1ull << c);
}

/* The first candidate of a new CPU entry that is awake and within the
 * bound; -1 when there is none (every schedule from here was run). */
static int first_choice(struct sched_dfs_source *src,
			const struct sched_dfs_entry *e)
{
	for (unsigned i = 0; i < e->n; i++) {
		if (e->sleep >> cand_cpu(e, i) & 1)
			continue;
		if (e->cost + cost_of(src, e, i) <= (unsigned)src->bound)
			return (int)i;
		src->pruned = true;
	}
	return -1;
}

/* A decision past the end of the path: a new entry, and its first
 * choice. */
static unsigned branch(struct sched_dfs_source *src,
		       const struct sched_ask *ask)
{
	size_t before = src->pos;
	struct sched_dfs_entry *e;
	int choice;

	if (src->len == SCHED_DFS_MAX_DEPTH)
		return 0;	/* too deep to branch: the default */
	e = &src->path[src->len++];
	src->pos = src->len;
	e->kind = (uint8_t)ask->kind;
	e->n = (uint8_t)ask->n;
	e->choice = 0;
	e->cpu = (int8_t)ask->cpu;
	e->can_go_on = ask->can_go_on;
	e->dead = false;
	e->cost = 0;
	e->step = ask->step + 1;
	e->enabled = e->sleep = e->done = e->backtrack = 0;
	e->first_slept = src->nslept;
	e->nslept = 0;
	e->fp = (struct sched_footprint){ 0 };
	if (before > 0) {
		const struct sched_dfs_entry *up = &src->path[before - 1];

		e->cost = (uint16_t)(up->cost + cost_of(src, up, up->choice));
	}
	if (!is_cpu(e)) {
		src->piece += src->len - 1 == (size_t)src->opt.split;
		return 0;
	}
	for (unsigned i = 0; i < ask->n; i++)
		e->enabled |= 1ull << ask->cands[i];
	e->sleep = src->sleep & e->enabled;
	choice = first_choice(src, e);
	if (choice < 0) {
		src->len--;
		src->pos = src->len;
		return SCHED_CHOICE_CUT;
	}
	e->choice = (uint8_t)choice;
	e->done = e->backtrack = 1ull << cand_cpu(e, e->choice);
	src->open = src->len - 1;
	if (src->open == (size_t)src->opt.split)
		src->piece++;
	return e->choice;
}

static unsigned dfs_choose(struct sched_decisions *base,
			   const struct sched_ask *ask)
{
	struct sched_dfs_source *src = (struct sched_dfs_source *)base;
	struct sched_dfs_entry *e;

	if (ask->n <= 1 && !reducing(src))
		return 0;	/* a wrapping source's single (minimize.c) */
	if (ask->kind == SCHED_DECIDE_CPU) {
		if (src->open != NO_ENTRY && reducing(src))
			step_done(src, src->open);
		src->open = NO_ENTRY;
	} else if (ask->n <= 1 || src->opt.cpu_only) {
		return ask->dflt;
	}
	if (src->pos == src->len)
		return branch(src, ask);
	e = &src->path[src->pos++];
	if (e->n != ask->n || e->kind != ask->kind)
		src->diverged = 1;
	if (is_cpu(e))
		src->open = src->pos - 1;
	return e->choice < ask->n ? e->choice : 0;
}

static void dfs_begin(struct sched_decisions *base)
{
	struct sched_dfs_source *src = (struct sched_dfs_source *)base;

	src->pos = 0;
	src->sleep = 0;
	src->trace_seen = 0;
	src->open = NO_ENTRY;
	src->base.level = src->opt.por == SCHED_POR_DPOR ? -1 : src->bound;
}

/* ---- source-DPOR: races of the last execution -------------------------- */

/* Per step of the last execution: its CPU, its index among that CPU's
 * steps (1..), its entry, and its vector clock of happens-before. */
static struct {
	int8_t cpu;
	uint32_t idx;
	size_t entry;
	uint32_t clock[SCHED_MAX_CPUS];
} steps[SCHED_DFS_MAX_DEPTH + 1];

static bool hb(uint32_t a, uint32_t b)	/* step a happens before step b */
{
	return steps[b].clock[steps[a].cpu] >= steps[a].idx;
}

/*
 * Race (i, j): the CPUs that can go first in notdep(i).j from i's entry
 * (its initials, Abdulla et al. Def. 4.1): a CPU's first step there with
 * no step of that sequence happening before it.  One of them goes into
 * the entry's backtrack set unless one is there already; every enabled
 * CPU when none is enabled there.
 */
static void reverse(struct sched_dfs_source *src, uint32_t i, uint32_t j)
{
	struct sched_dfs_entry *e = &src->path[steps[i].entry];
	uint32_t first[SCHED_MAX_CPUS] = { 0 };	/* first step in v, by CPU */
	uint64_t initials = 0, seen = 0;

	for (uint32_t k = i + 1; k <= j; k++) {
		int c = steps[k].cpu;
		bool initial = true;

		if ((k < j && hb(i, k)) || seen >> c & 1)
			continue;
		seen |= 1ull << c;
		first[c] = steps[k].idx;
		for (int r = 0; r < SCHED_MAX_CPUS && initial; r++)
			if (r != c && seen >> r & 1 &&
			    steps[k].clock[r] >= first[r])
				initial = false;
		if (initial)
			initials |= 1ull << c;
	}
	if (initials & e->backtrack)
		return;
	initials &= e->enabled;	/* none: i's step cannot go second */
	if (initials >> steps[j].cpu & 1)
		e->backtrack |= 1ull << steps[j].cpu;
	else
		e->backtrack |= initials & -initials;
}

static void find_races(struct sched_dfs_source *src)
{
	uint32_t count[SCHED_MAX_CPUS] = { 0 };
	uint32_t last[SCHED_MAX_CPUS] = { 0 };	/* a CPU's latest step */
	uint32_t nsteps = 0;

	for (size_t k = 0; k < src->len; k++) {
		const struct sched_dfs_entry *e = &src->path[k];

		if (is_cpu(e)) {
			nsteps = e->step;
			memset(&steps[nsteps], 0, sizeof(steps[0]));
			steps[nsteps].cpu = (int8_t)cand_cpu(e, e->choice);
			steps[nsteps].entry = k;
		}
	}
	for (uint32_t j = 1; j <= nsteps; j++) {
		int c = steps[j].cpu;
		const struct sched_footprint *fj =
			&src->path[steps[j].entry].fp;

		steps[j].idx = ++count[c];
		if (last[c])
			memcpy(steps[j].clock, steps[last[c]].clock,
			       sizeof(steps[j].clock));
		steps[j].clock[c] = steps[j].idx;
		last[c] = j;
		for (uint32_t i = j - 1; i >= 1; i--) {
			if (steps[i].cpu == c || hb(i, j) ||
			    !sched_footprints_depend(&src->path[steps[i].entry].fp,
						     fj))
				continue;
			reverse(src, i, j);
			for (int r = 0; r < SCHED_MAX_CPUS; r++)
				if (steps[i].clock[r] > steps[j].clock[r])
					steps[j].clock[r] = steps[i].clock[r];
		}
	}
}

/* ---- to the next execution ----------------------------------------------- */

/* The next alternative of entry e within the bound, -1 for none. */
static int next_choice(struct sched_dfs_source *src,
		       const struct sched_dfs_entry *e)
{
	for (unsigned i = is_cpu(e) ? 0 : e->choice + 1u; i < e->n; i++) {
		if (e->cost + cost_of(src, e, i) > (unsigned)src->bound) {
			src->pruned = true;
			continue;
		}
		if (!is_cpu(e))
			return (int)i;
		uint64_t c = 1ull << cand_cpu(e, i);

		if (c & (e->done | e->sleep))
			continue;
		if (src->opt.por == SCHED_POR_DPOR && !(c & e->backtrack))
			continue;
		return (int)i;
	}
	return -1;
}

/* Entry k's subtree under its choice is done: its CPU and that step's
 * footprint join the entry's explored CPUs (the pool is a stack: deeper
 * entries are gone). */
static void explored(struct sched_dfs_source *src, size_t k)
{
	struct sched_dfs_entry *e = &src->path[k];

	src->nslept = e->first_slept + e->nslept;
	if (!is_cpu(e) || !reducing(src) ||
	    src->nslept == sizeof(src->slept) / sizeof(src->slept[0]))
		return;
	src->slept[src->nslept++] = (struct sched_dfs_slept){
		(int8_t)cand_cpu(e, e->choice), e->fp };
	e->nslept++;
}

static void advance(struct sched_dfs_source *src)
{
	while (src->len) {
		size_t k = src->len - 1;
		struct sched_dfs_entry *e = &src->path[k];
		int choice;

		explored(src, k);
		choice = next_choice(src, e);
		if (choice >= 0) {
			e->choice = (uint8_t)choice;
			if (is_cpu(e))
				e->done |= 1ull << cand_cpu(e, e->choice);
			src->nslept = e->first_slept + e->nslept;
			src->piece += k == (size_t)src->opt.split;
			return;
		}
		src->len--;
		src->nslept = e->first_slept;
	}
	/* the next bound, unless this one cut nothing: then it was all */
	if (src->opt.deepen && src->bound < src->opt.bound && src->pruned) {
		src->bound++;
		src->pruned = false;
		src->nslept = 0;
		return;
	}
	src->base.exhausted = true;
}

/* Whether the last execution's piece is this job's: claimed first by it
 * (sched_dfs_options), or by number. */
static bool owns_piece(struct sched_dfs_source *src)
{
	uint64_t p = src->piece;
	int8_t me = (int8_t)(src->opt.job + 1), none = 0;

	if (src->opt.jobs <= 1)
		return true;
	if (!src->opt.owners || p >= src->opt.nowners)
		return p % (uint64_t)src->opt.jobs == (uint64_t)src->opt.job;
	__atomic_compare_exchange_n(&src->opt.owners[p], &none, me, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return __atomic_load_n(&src->opt.owners[p], __ATOMIC_SEQ_CST) == me;
}

static void dfs_end(struct sched_decisions *base, const struct sched_result *res)
{
	struct sched_dfs_source *src = (struct sched_dfs_source *)base;

	if (src->diverged) {
		base->error = "dfs replay diverged: the scenario is not "
			      "deterministic";
		base->exhausted = true;
		return;
	}
	src->cut += res->cut;
	src->len = src->pos;	/* a cut execution ends early */
	src->own = owns_piece(src);
	if (!src->own && src->len > (size_t)src->opt.split + 1)
		src->len = (size_t)src->opt.split + 1;	/* another job's */
	if (src->open != NO_ENTRY && reducing(src))
		sched_step_footprint(src->path[src->open].step,
				     &src->trace_seen, &src->path[src->open].fp);
	if (src->opt.por == SCHED_POR_DPOR)
		find_races(src);
	advance(src);
}

void sched_dfs_source_init_opts(struct sched_dfs_source *src,
				const struct sched_dfs_options *opt)
{
	/* the sleep sets follow every step, single candidates too */
	src->base = (struct sched_decisions){ .choose = dfs_choose,
					      .begin = dfs_begin,
					      .end = dfs_end,
					      .singles = opt->por != SCHED_POR_NONE };
	src->opt = *opt;
	src->bound = opt->deepen ? 0 : opt->bound;
	if (opt->por == SCHED_POR_DPOR)
		src->bound = src->opt.bound = 1 << 15;
	src->len = src->pos = 0;
	src->nslept = 0;
	src->diverged = 0;
	src->cut = 0;
	src->sleep = 0;
	src->pruned = false;
	src->piece = 0;
	src->own = true;
	if (opt->jobs <= 1)
		src->opt.split = -1;
}

void sched_dfs_source_init(struct sched_dfs_source *src, int bound)
{
	struct sched_dfs_options opt = { .bound = bound };

	sched_dfs_source_init_opts(src, &opt);
}

int sched_dfs_next(struct sched_dfs_source *src)
{
	return !src->base.exhausted;
}
