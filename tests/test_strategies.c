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

int main(void)
{
	test_dfs_counts();
	test_determinism("random");
	test_determinism("pct");
	test_dfs_classes();
	return harness_exit();
}
