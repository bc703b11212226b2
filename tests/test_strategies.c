/*
 * test_strategies - random, PCT and dfs: determinism per seed, dfs's exact
 * schedule counts on a tiny program, and dfs finding every class that the
 * model's tests find.
 */
#include <string.h>

#include "../fuzz/target.h"
#include "../rmap/oracle.h"
#include "../sched/kernel.h"
#include "harness.h"
#include "use.h"

static int *cells;
static int ops_per_cpu;

static void init(void *arg)
{
	(void)arg;
	cells = sched_world_alloc("cells", 2 * sizeof(int));
}

static void stores(void *arg)
{
	(void)arg;
	for (int i = 0; i < ops_per_cpu; i++)
		WRITE_ONCE(cells[sched_current_cpu()], i);
}

static unsigned long count_dfs(const struct sched_program *prog, int bound)
{
	static struct sched_dfs_source dfs;
	struct sched_result res;
	unsigned long n = 0;

	sched_dfs_source_init(&dfs, bound);
	do {
		sched_run(prog, &dfs.base, &res);
		n++;
	} while (sched_dfs_next(&dfs));
	return n;
}

/*
 * Two CPUs of k stores each: every interleaving is one schedule, C(2k, k)
 * of them.  For k = 2: 0011 and 1100 need no preemption (who goes first is
 * free); 0110 and 1001 need one; 0101 and 1010 two.  For k = 3, C(6,3) = 20.
 */
static void test_dfs_counts(void)
{
	struct sched_program prog = { .ncpus = 2, .init = init,
				      .cpu = { stores, stores } };

	ops_per_cpu = 2;
	ok_eq_int(count_dfs(&prog, 0), 2,
		  "dfs: 2 stores x 2 CPUs, bound 0: 2 schedules");
	ok_eq_int(count_dfs(&prog, 1), 4,
		  "dfs: 2 stores x 2 CPUs, bound 1: 4 schedules");
	ok_eq_int(count_dfs(&prog, 2), 6,
		  "dfs: 2 stores x 2 CPUs, bound 2: 6 schedules");
	ops_per_cpu = 3;
	ok_eq_int(count_dfs(&prog, 9), 20,
		  "dfs: 3 stores x 2 CPUs, unbounded: C(6,3) = 20 schedules");
}

/* Hashes of the first 200 executions of a strategy with a seed. */
static uint64_t strategy_hash(const char *strategy, uint64_t seed)
{
	const struct scenario *sc = use_variant("lock_anon_vma", "v2.6.34");
	struct sched_random_source rnd;
	struct sched_pct_source pct;
	struct sched_decisions *src;
	struct sched_result res;
	uint64_t h = 0;

	sched_random_source_init(&rnd, seed);
	sched_pct_source_init(&pct, seed, 3);
	src = strcmp(strategy, "pct") ? &rnd.base : &pct.base;
	for (int i = 0; i < 200; i++) {
		target_exec_source(sc, NULL, src, &res);
		h = h * 31 + sched_trace_hash();
	}
	return h;
}

static void test_determinism(const char *strategy)
{
	uint64_t five = strategy_hash(strategy, 5);

	ok(eq_u64(strategy_hash(strategy, 5), five) &&
	   strategy_hash(strategy, 6) != five,
	   "%s: the same seed gives the same executions, another seed others",
	   strategy);
}

/* stale-not-current needs two preemptions: tests/cli.sh runs that search
 * (3 million schedules) with the unsanitized out/explore. */

/* First class dfs finds on a variant within a bound, SCHED_OK if none. */
static const struct sched_class *dfs_finds(const char *variant, int bound,
				    const struct sched_class *want, unsigned long *n)
{
	const struct scenario *sc = use_variant("lock_anon_vma", variant);
	static struct sched_dfs_source dfs;
	struct sched_result res;

	sched_dfs_source_init(&dfs, bound);
	*n = 0;
	do {
		target_exec_source(sc, NULL, &dfs.base, &res);
		++*n;
		if (has_verdict(&res, want))
			return want;
	} while (sched_dfs_next(&dfs));
	return SCHED_OK;
}

static void test_dfs_classes(void)
{
	static const struct {
		const char *variant;
		const struct sched_class *v;
		int bound;
	} cases[] = {
		{ "v2.6.34", RMAP_STALE_REUSED, 1 },
		{ "v2.6.34", RMAP_STALE_FREED, 1 },
		{ "v2.6.34", RMAP_STALE_UNMAPPED, 1 },
		{ "no-rcu", SCHED_USE_AFTER_FREE, 1 },
	};
	unsigned long n;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok_eq_verdict(dfs_finds(cases[i].variant, cases[i].bound,
					cases[i].v, &n), cases[i].v,
		   "dfs: finds %s on %s within %d preemption (%lu schedules)",
		   sched_verdict_name(cases[i].v), cases[i].variant,
		   cases[i].bound, n);
}


/* ---- reductions against the search without them -------------------------- */

/* Small programs for DPOR against plain dfs: what each CPU runs, and the
 * final state as a string the check writes. */
static int program_kind;
static struct kmem_cache *objs;
static spinlock_t *lock;
static char final_state[128];

static void small_init(void *arg)
{
	(void)arg;
	cells = sched_world_alloc("cells", 8 * sizeof(int));
	lock = sched_world_alloc("lock", sizeof(*lock));
	objs = kmem_cache_create("objs", 2 * sizeof(int), 0, NULL);
}

/* 0: racy increments; 1: an increment under a lock and a flag read
 * outside it; 2: allocate, publish, free (the allocator's choice is
 * shared); 3: stores to a CPU's own cell, and one shared load. */
static void small_cpu(void *arg)
{
	int me = sched_current_cpu(), v;
	int *o;

	(void)arg;
	switch (program_kind) {
	case 0:
		v = READ_ONCE(cells[0]);
		WRITE_ONCE(cells[0], v + 1);
		break;
	case 1:
		spin_lock(lock);
		WRITE_ONCE(cells[0], READ_ONCE(cells[0]) + 1);
		spin_unlock(lock);
		WRITE_ONCE(cells[1 + me], READ_ONCE(cells[0]));
		break;
	case 2:
		o = kmem_cache_alloc(objs, GFP_KERNEL);
		WRITE_ONCE(cells[1 + me], sched_obj_id(o));
		WRITE_ONCE(o[0], me);
		kmem_cache_free(objs, o);
		break;
	default:
		WRITE_ONCE(cells[1 + me], 1);
		WRITE_ONCE(cells[1 + me], READ_ONCE(cells[0]) + 2);
		break;
	}
}

static void small_check(void *arg)
{
	(void)arg;
	snprintf(final_state, sizeof(final_state), "%d %d %d %d",
		 READ_ONCE(cells[0]), READ_ONCE(cells[1]), READ_ONCE(cells[2]),
		 READ_ONCE(cells[3]));
}

#define MAX_OUTCOMES 64
struct outcomes {
	char v[MAX_OUTCOMES][160];
	int n;
	unsigned long runs;
};

/* Every execution of the search: its final state and verdicts. */
static void outcomes_of(const struct sched_program *prog,
			const struct sched_dfs_options *opt, struct outcomes *out)
{
	static struct sched_dfs_source dfs;
	struct sched_result res;

	memset(out, 0, sizeof(*out));
	sched_dfs_source_init_opts(&dfs, opt);
	do {
		char o[160];
		int i;

		final_state[0] = 0;
		sched_run(prog, &dfs.base, &res);
		if (res.cut)
			continue;
		out->runs++;
		snprintf(o, sizeof(o), "%s | %s", final_state,
			 res.nreports ? res.reports[0].verdict->name : "ok");
		for (i = 0; i < out->n && strcmp(out->v[i], o); i++)
			;
		if (i == out->n && out->n < MAX_OUTCOMES)
			snprintf(out->v[out->n++], sizeof(out->v[0]), "%s", o);
	} while (!dfs.base.exhausted);
}

static bool same_outcomes(const struct outcomes *a, const struct outcomes *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++) {
		int j;

		for (j = 0; j < b->n && strcmp(a->v[i], b->v[j]); j++)
			;
		if (j == b->n)
			return false;
	}
	return true;
}

static void test_dpor_small(void)
{
	static const char *const names[] = {
		"racy increments", "a lock and a flag", "alloc, publish, free",
		"own cells and one shared load",
	};
	struct sched_dfs_options all = { .bound = 1000 };
	struct sched_dfs_options dpor = { .por = SCHED_POR_DPOR };
	struct sched_dfs_options sleep = { .bound = 1000,
					   .por = SCHED_POR_SLEEP };
	static struct outcomes a, b, c;

	for (int k = 0; k < 4; k++) {
		struct sched_program prog = {
			.ncpus = 3, .init = small_init, .check = small_check,
			.cpu = { small_cpu, small_cpu, small_cpu } };

		program_kind = k;
		outcomes_of(&prog, &all, &a);
		outcomes_of(&prog, &dpor, &b);
		outcomes_of(&prog, &sleep, &c);
		ok(same_outcomes(&a, &b) && same_outcomes(&a, &c) &&
		   cmp_int(b.runs, <=, c.runs) && cmp_int(c.runs, <=, a.runs),
		   "dpor and sleep sets on %s (3 CPUs): the %d final states and "
		   "verdicts of plain dfs, in %lu and %lu executions instead of "
		   "%lu", names[k], a.n, b.runs, c.runs, a.runs);
	}
	ok_eq_int(b.runs, 1, "dpor: CPUs that store only to their own cells "
		  "and load what nobody stores: one execution");
}

/* --choices cpu: only the CPU order branches; allocations take the lowest
 * free object.  DPOR and plain dfs agree there too, on fewer outcomes and
 * executions than with every choice. */
static void test_cpu_only(void)
{
	struct sched_dfs_options all = { .bound = 1000 };
	struct sched_dfs_options cpu = { .bound = 1000, .cpu_only = true };
	struct sched_dfs_options dpor_all = { .por = SCHED_POR_DPOR };
	struct sched_dfs_options dpor_cpu = { .por = SCHED_POR_DPOR,
					      .cpu_only = true };
	struct sched_program prog = {
		.ncpus = 3, .init = small_init, .check = small_check,
		.cpu = { small_cpu, small_cpu, small_cpu } };
	static struct outcomes a, b, c, d;

	program_kind = 2;	/* allocate, publish, free */
	outcomes_of(&prog, &all, &a);
	outcomes_of(&prog, &cpu, &b);
	outcomes_of(&prog, &dpor_all, &c);
	outcomes_of(&prog, &dpor_cpu, &d);
	ok(same_outcomes(&a, &c) && same_outcomes(&b, &d) &&
	   cmp_int(b.n, <, a.n) && cmp_int(d.runs, <, c.runs),
	   "--choices cpu on alloc, publish, free (3 CPUs): dpor and plain dfs "
	   "agree, %d final states in %lu executions against %d in %lu with "
	   "every choice", d.n, d.runs, c.n, c.runs);
}

/* The least bound of each class: by iterative deepening with sleep sets,
 * and by the fixed-bound search without reduction at bound 0, 1, ... */
static void least_bounds(const char *scenario, const char *variant,
			 int upto, bool deepen, int *least)
{
	const struct scenario *sc = use_variant(scenario, variant);
	static struct sched_dfs_source dfs;
	struct sched_result res;

	for (size_t c = 0; c <= SCHED_MAX_CLASSES; c++)
		least[c] = -1;
	for (int k = deepen ? upto : 0; k <= upto; k++) {
		struct sched_dfs_options opt = {
			.bound = k, .cost = SCHED_COST_DELAYS, .deepen = deepen,
			.por = deepen ? SCHED_POR_SLEEP : SCHED_POR_NONE };

		sched_dfs_source_init_opts(&dfs, &opt);
		do {
			target_exec_source(sc, NULL, &dfs.base, &res);
			for (int i = 0; i < res.nreports; i++) {
				int id = res.reports[i].verdict->id;

				if (least[id] < 0)
					least[id] = dfs.base.level;
			}
		} while (!dfs.base.exhausted);
	}
}

static void test_deepening(void)
{
	static const struct { const char *sc, *variant; int upto; } cases[] = {
		{ "lock_anon_vma", "v2.6.34", 1 },
		{ "lock_anon_vma", "no-rcu", 1 },
		{ "reorder16", "racy", 1 },
	};
	int a[SCHED_MAX_CLASSES + 1], b[SCHED_MAX_CLASSES + 1];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char list[512] = "";
		bool same = true;
		size_t used = 0;

		least_bounds(cases[i].sc, cases[i].variant, cases[i].upto,
			     true, a);
		least_bounds(cases[i].sc, cases[i].variant, cases[i].upto,
			     false, b);
		for (size_t c = 0; c < sched_class_count(); c++) {
			int id = sched_class_at(c)->id;

			same &= a[id] == b[id];
			if (a[id] >= 0 && used < sizeof(list))
				used += (size_t)snprintf(list + used,
					sizeof(list) - used, " %s:%d",
					sched_class_at(c)->name, a[id]);
		}
		ok(same && used > 0, "iterative deepening with sleep sets on %s "
		   "%s gives the least delay bounds of the fixed-bound search "
		   "without reduction:%s", cases[i].sc, cases[i].variant, list);
	}
}

int main(void)
{
	test_dfs_counts();
	test_determinism("random");
	test_determinism("pct");
	test_dfs_classes();
	test_dpor_small();
	test_cpu_only();
	test_deepening();
	return harness_exit();
}
