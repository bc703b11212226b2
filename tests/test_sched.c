/*
 * test_sched - the engine on tiny programs, loom-style: a plain function
 * per CPU written against the shims; the script decides the interleaving.
 */
#include <string.h>

#include "../sched/kernel.h"
#include "harness.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct world {
	spinlock_t *a, *b;
	int *x, *flag;
	struct kmem_cache *cache;
	struct obj { int v; } **gp;
	bool reader_uses_rcu;
} w;

static int ctor_calls;

static void obj_ctor(void *p)
{
	(void)p;
	ctor_calls++;
}

static void init(void *arg)
{
	unsigned flags = arg ? *(unsigned *)arg : SLAB_DESTROY_BY_RCU;

	w.a = sched_world_alloc("A", sizeof(spinlock_t));
	w.b = sched_world_alloc("B", sizeof(spinlock_t));
	w.x = sched_world_alloc("x", 3 * sizeof(int));
	w.flag = sched_world_alloc("flag", sizeof(int));
	w.gp = sched_world_alloc("gp", sizeof(*w.gp));
	w.cache = kmem_cache_create("obj", sizeof(struct obj), flags, obj_ctor);
	*w.gp = kmem_cache_alloc(w.cache, GFP_KERNEL);
}

static struct sched_result run(struct sched_program *prog,
			       const struct sched_script_run *runs, size_t n,
			       const int *allocs, size_t nallocs,
			       const int *releases, size_t nreleases)
{
	struct sched_script_source src;
	struct sched_result res;

	sched_script_source_init(&src, runs, n);
	src.labels[SCHED_DECIDE_ALLOC] = allocs;
	src.nlabels[SCHED_DECIDE_ALLOC] = nallocs;
	src.labels[SCHED_DECIDE_RELEASE] = releases;
	src.nlabels[SCHED_DECIDE_RELEASE] = nreleases;
	sched_run(prog, &src.base, &res);
	ok(!src.failed, "the script fits the program");
	return res;
}

/* Index of the first event of op by cpu at or after from, or -1. */
static long find_event(int cpu, enum sched_op op, size_t from)
{
	for (size_t i = from; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (e->cpu == cpu && e->op == op)
			return (long)i;
	}
	return -1;
}

/* ---- locks -------------------------------------------------------------- */

static void lock_writer(void *arg)
{
	(void)arg;
	spin_lock(w.a);
	WRITE_ONCE(*w.x, 1);
	spin_unlock(w.a);
}

static void lock_reader(void *arg)
{
	(void)arg;
	spin_lock(w.a);
	ok_eq_int(READ_ONCE(*w.x), 1,
		  "lock: the reader sees the write made under the lock");
	spin_unlock(w.a);
}

static void test_lock_blocks(void)
{
	struct sched_program prog = { .ncpus = 2, .init = init, .cpu = { lock_writer, lock_reader } };
	static const struct sched_script_run runs[] = { { 0, 1 }, { 1, 1 } };
	struct sched_result res = run(&prog, runs, 2, NULL, 0, NULL, 0);
	long block = find_event(1, SCHED_OP_BLOCK, 0);
	long unlock0 = find_event(0, SCHED_OP_UNLOCK, 0);
	long lock1 = find_event(1, SCHED_OP_LOCK, 0);

	ok(verdict_is(&res, SCHED_OK), "lock: no report");
	ok(cmp_int(block, >=, 0) && cmp_int(block, <, unlock0) &&
	   cmp_int(unlock0, <, lock1),
	   "lock: cpu1 blocks on the held lock and takes it after cpu0's unlock");
	ok_eq_int(res.steps, 7, "lock: no busy-wait steps (6 operations and "
		  "one blocked attempt)");
}

static void ab(void *arg)
{
	(void)arg;
	spin_lock(w.a);
	spin_lock(w.b);
	spin_unlock(w.b);
	spin_unlock(w.a);
}

static void ba(void *arg)
{
	(void)arg;
	spin_lock(w.b);
	spin_lock(w.a);
	spin_unlock(w.a);
	spin_unlock(w.b);
}

static void test_deadlock(void)
{
	struct sched_program prog = { .ncpus = 2, .init = init, .cpu = { ab, ba } };
	static const struct sched_script_run runs[] = { { 0, 1 }, { 1, 1 } };
	struct sched_result res = run(&prog, runs, 2, NULL, 0, NULL, 0);
	const char *d = res.reports[0].detail;

	ok(verdict_is(&res, SCHED_DEADLOCK), "deadlock: AB-BA is reported");
	ok(contains(d, "cpu0 waits for w.b [B] held by cpu1") &&
	   contains(d, "cpu1 waits for w.a [A] held by cpu0"),
	   "deadlock: says who waits for which lock held by whom");

	static const struct sched_script_run fine[] = { { 0, 0 }, { 1, 0 } };
	res = run(&prog, fine, 2, NULL, 0, NULL, 0);
	ok(verdict_is(&res, SCHED_OK), "deadlock: none when cpu0 goes first");
}

static void unlock_unheld(void *arg)
{
	(void)arg;
	spin_unlock(w.a);
}

static void lock_only(void *arg)
{
	(void)arg;
	spin_lock(w.a);
}

static void test_lock_mismatch(void)
{
	struct sched_program prog = { .ncpus = 1, .init = init, .cpu = { unlock_unheld } };
	static const struct sched_script_run runs[] = { { 0, 0 } };
	struct sched_result res = run(&prog, runs, 1, NULL, 0, NULL, 0);

	ok(verdict_is(&res, SCHED_LOCK_MISMATCH) &&
	   contains(res.reports[0].detail, "which nobody holds"),
	   "lock-mismatch: unlock of a free lock");

	struct sched_program two = { .ncpus = 2, .init = init, .cpu = { lock_only, unlock_unheld } };
	static const struct sched_script_run order[] = { { 0, 1 }, { 1, 0 } };
	res = run(&two, order, 2, NULL, 0, NULL, 0);
	ok(verdict_is(&res, SCHED_LOCK_MISMATCH) &&
	   contains(res.reports[0].detail, "held by cpu0"),
	   "lock-mismatch: unlock of a lock another CPU holds");
}

/* ---- RCU ---------------------------------------------------------------- */

static void rcu_reader(void *arg)
{
	(void)arg;
	rcu_read_lock();
	(void)READ_ONCE(*w.flag);
	(void)READ_ONCE(*w.x);
	rcu_read_unlock();
}

static void rcu_updater(void *arg)
{
	(void)arg;
	WRITE_ONCE(*w.x, 1);
	synchronize_rcu();
	WRITE_ONCE(*w.flag, 1);
}

static void test_rcu_grace_period(void)
{
	struct sched_program prog = { .ncpus = 2, .init = init, .cpu = { rcu_reader, rcu_updater } };
	static const struct sched_script_run inside[] = { { 0, 2 }, { 1, 0 } };
	struct sched_result res = run(&prog, inside, 2, NULL, 0, NULL, 0);
	long unlock = find_event(0, SCHED_OP_RCU_UNLOCK, 0);
	long sync = find_event(1, SCHED_OP_SYNC_RCU, 0);
	long flag = find_event(1, SCHED_OP_STORE, (size_t)sync);

	ok(verdict_is(&res, SCHED_OK), "rcu: no report");
	ok(cmp_int(find_event(1, SCHED_OP_BLOCK, 0), >, sync) &&
	   cmp_int(unlock, <, flag),
	   "rcu: synchronize_rcu waits for a reader inside its section");

	static const struct sched_script_run before[] = { { 1, 2 }, { 0, 2 },
							   { 1, 0 } };
	res = run(&prog, before, 3, NULL, 0, NULL, 0);
	ok_cmp_int(find_event(1, SCHED_OP_BLOCK, 0), <, 0,
	   "rcu: a reader that starts after the grace period does not delay it");
}

static void rcu_callback(struct rcu_head *head)
{
	(void)head;
	WRITE_ONCE(*w.flag, 2);
}

static void rcu_caller(void *arg)
{
	(void)arg;
	call_rcu((struct rcu_head *)w.x, rcu_callback);
}

static void test_call_rcu(void)
{
	struct sched_program prog = { .ncpus = 2, .init = init,
				      .cpu = { rcu_reader, rcu_caller } };
	static const struct sched_script_run runs[] = { { 0, 2 }, { 1, 0 } };
	struct sched_result res = run(&prog, runs, 2, NULL, 0, NULL, 0);
	long unlock = find_event(0, SCHED_OP_RCU_UNLOCK, 0);
	long cb = find_event(-1, SCHED_OP_STORE, 0);

	ok(verdict_is(&res, SCHED_OK) && cmp_int(cb, >, unlock) &&
	   cmp_int(unlock, >=, 0) &&
	   cmp_int(find_event(1, SCHED_OP_CALL_RCU, 0), <, unlock),
	   "rcu: a call_rcu callback runs after the reader's rcu_read_unlock");
}

/* ---- slab --------------------------------------------------------------- */

static void realloc_cpu(void *arg)
{
	struct obj *p, *q;

	(void)arg;
	p = kmem_cache_alloc(w.cache, GFP_KERNEL);
	kmem_cache_free(w.cache, p);
	q = kmem_cache_alloc(w.cache, GFP_KERNEL);
	ok(eq_ptr(q, p) && eq_int(sched_obj_gen(q), 2),
	   "slab: a freed object is handed out again at once (gen 2)");
}

static void test_slab_reuse(void)
{
	struct sched_program prog = { .ncpus = 1, .init = init, .cpu = { realloc_cpu } };
	static const struct sched_script_run runs[] = { { 0, 0 } };
	static const int allocs[] = { 1, 1 };	/* slot 1 twice */

	ctor_calls = 0;
	run(&prog, runs, 1, allocs, 2, NULL, 0);
	ok_eq_int(ctor_calls, 2, "slab: the constructor ran once per object "
		  "of the one slab page (2 objects), never on allocation");
}

static void slab_reader(void *arg)
{
	struct obj *p;

	(void)arg;
	if (w.reader_uses_rcu)
		rcu_read_lock();
	p = READ_ONCE(*w.gp);
	(void)READ_ONCE(p->v);
	if (w.reader_uses_rcu)
		rcu_read_unlock();
}

static void slab_freer(void *arg)
{
	struct obj *p = READ_ONCE(*w.gp);

	(void)arg;
	WRITE_ONCE(*w.gp, NULL);
	kmem_cache_free(w.cache, p);
}

static struct sched_result run_release(bool rcu, int release, unsigned flags)
{
	struct sched_program prog = { .ncpus = 2, .init = init, .cpu = { slab_reader, slab_freer },
				      .arg = &flags };
	static const struct sched_script_run rcu_runs[] = { { 0, 2 }, { 1, 0 } };
	static const struct sched_script_run plain[] = { { 0, 1 }, { 1, 0 } };
	static int label;

	label = release;
	w.reader_uses_rcu = rcu;
	return run(&prog, rcu ? rcu_runs : plain, 2, NULL, 0, &label,
		   flags & SLAB_DESTROY_BY_RCU ? 1 : 0);
}

static void test_slab_release(void)
{
	struct sched_result res = run_release(true, 1, SLAB_DESTROY_BY_RCU);
	long unlock = find_event(0, SCHED_OP_RCU_UNLOCK, 0);
	long release = find_event(-1, SCHED_OP_RELEASE_PAGE, 0);

	ok(verdict_is(&res, SCHED_OK),
	   "slab: a reader inside rcu_read_lock may touch a freed object");
	ok(cmp_int(release, >, unlock) && cmp_int(unlock, >=, 0),
	   "slab: the empty page goes back after the reader's grace period");

	res = run_release(false, 1, SLAB_DESTROY_BY_RCU);
	ok(verdict_is(&res, SCHED_USE_AFTER_FREE) &&
	   contains(res.reports[0].detail, "slab page that went back"),
	   "slab: touching a page that went back is use-after-free");

	res = run_release(false, 0, SLAB_DESTROY_BY_RCU);
	ok(verdict_is(&res, SCHED_OK) &&
	   cmp_int(find_event(-1, SCHED_OP_RELEASE_PAGE, 0), <, 0),
	   "slab: a kept empty page stays type-stable memory");

	res = run_release(false, 0, 0);
	ok(verdict_is(&res, SCHED_USE_AFTER_FREE) &&
	   contains(res.reports[0].detail, "a freed object"),
	   "slab: without DESTROY_BY_RCU a freed object is off limits");
}

/* ---- step limit and fallback -------------------------------------------- */

static void spin_forever(void *arg)
{
	(void)arg;
	for (;;)
		(void)READ_ONCE(*w.flag);
}

static void test_step_limit(void)
{
	struct sched_program prog = { .ncpus = 1, .init = init, .cpu = { spin_forever } };
	struct sched_bytes_source src;
	struct sched_result res;

	sched_set_max_steps(100);
	sched_bytes_source_init(&src, NULL, 0);
	sched_run(&prog, &src.base, &res);
	sched_set_max_steps(SCHED_DEFAULT_MAX_STEPS);
	ok(eq_int(res.nreports, 1) && verdict_is(&res, SCHED_STEP_LIMIT) &&
	   res.step_limit_hit && eq_int(res.steps, 101),
	   "step-limit: an endless CPU is stopped and reported as step-limit");
}

static void three_stores(void *arg)
{
	int cpu = sched_current_cpu();

	(void)arg;
	for (int i = 0; i < 3; i++)
		WRITE_ONCE(w.x[cpu], i);
}

/* The CPUs of the trace's first nine events (the stores), as digits. */
static const char *cpu_order(void)
{
	static char order[10];
	size_t i;

	for (i = 0; i < sched_trace_len() && i < 9; i++)
		order[i] = (char)('0' + sched_trace_event(i)->cpu);
	order[i] = '\0';
	return order;
}

static void test_fallback(void)
{
	struct sched_program prog = { .ncpus = 3, .init = init, .cpu = { three_stores, three_stores,
						 three_stores } };
	static const uint8_t two[] = { 1, 1 };
	struct sched_bytes_source src;
	struct sched_result res;

	sched_bytes_source_init(&src, NULL, 0);
	sched_run(&prog, &src.base, &res);
	ok_eq_str(cpu_order(), "000111222",
		  "fallback: the empty input runs each CPU to its end, in order");

	sched_bytes_source_init(&src, two, sizeof(two));
	sched_run(&prog, &src.base, &res);
	ok(eq_str(cpu_order(), "122200011") && eq_int(src.pos, 2),
	   "fallback: after the bytes, the current CPU keeps running, then the "
	   "next one upwards");
}

/* ---- assertions and the end-of-execution check ------------------------- */

static void inc_unlocked(void *arg)
{
	(void)arg;
	WRITE_ONCE(*w.flag, READ_ONCE(*w.flag) + 1);
}

static void bug_if_lost(void *arg)
{
	(void)arg;
	BUG_ON(READ_ONCE(*w.flag) != 2);
}

static void warn_then_go_on(void *arg)
{
	(void)arg;
	if (WARN(READ_ONCE(*w.flag) == 0, "flag is %d", 0))
		WRITE_ONCE(*w.flag, 5);
	WARN_ON(READ_ONCE(*w.flag) != 5);
}

/* BUG_ON in the check: found when the increments interleave, silent when
 * they do not; the check reads the final values. */
static void test_bug_on_check(void)
{
	struct sched_program prog = { .ncpus = 2, .init = init,
		.cpu = { inc_unlocked, inc_unlocked }, .check = bug_if_lost };
	static const struct sched_script_run lost[] = { { 0, 1 }, { 1, 0 },
							{ 0, 0 } };
	static const struct sched_script_run serial[] = { { 0, 0 }, { 1, 0 } };
	struct sched_result res = run(&prog, lost, ARRAY_SIZE(lost), NULL, 0,
				      NULL, 0);

	ok(verdict_is(&res, SCHED_ASSERT) &&
	   contains(res.reports[0].detail, "BUG_ON(READ_ONCE(*w.flag) != 2)") &&
	   contains(res.reports[0].detail, "test_sched.c:") &&
	   contains(res.reports[0].detail, "in bug_if_lost()") &&
	   eq_int(res.reports[0].cpu, -1),
	   "check: BUG_ON(count != 2) finds the lost update, with its "
	   "condition, file, line and function");
	res = run(&prog, serial, ARRAY_SIZE(serial), NULL, 0, NULL, 0);
	ok(verdict_is(&res, SCHED_OK),
	   "check: silent when the increments do not interleave");
	prog.cpu[1] = NULL;
	prog.ncpus = 1;
	prog.check = NULL;
	prog.cpu[0] = bug_if_lost;
	res = run(&prog, serial, 1, NULL, 0, NULL, 0);
	ok(verdict_is(&res, SCHED_ASSERT) && eq_int(res.reports[0].cpu, 0) &&
	   eq_int(res.nreports, 1),
	   "BUG_ON in a CPU ends the execution with assert");
}

static void test_warn(void)
{
	struct sched_program prog = { .ncpus = 1, .init = init,
		.cpu = { warn_then_go_on } };
	static const struct sched_script_run one[] = { { 0, 0 } };
	struct sched_result res = run(&prog, one, 1, NULL, 0, NULL, 0);

	ok(verdict_is(&res, SCHED_WARN) && eq_int(res.nreports, 1) &&
	   contains(res.reports[0].detail, "flag is 0 (WARN(READ_ONCE(*w.flag) == 0)") &&
	   cmp_int(res.steps, >=, 3),
	   "WARN reports warn with its message and goes on; the WARN_ON that "
	   "does not hold is silent");
}

/* ---- 64 CPUs ------------------------------------------------------------ */

static void inc_sync(void *arg)
{
	(void)arg;
	rcu_read_lock();
	atomic_inc((atomic_t *)w.x);
	rcu_read_unlock();
	synchronize_rcu();
}

static void count_all(void *arg)
{
	(void)arg;
	BUG_ON(READ_ONCE(w.x[0]) != SCHED_MAX_CPUS);
}

/* Every CPU of SCHED_MAX_CPUS runs, in read-side sections and grace
 * periods (one bit per CPU), under random schedules. */
static void test_max_cpus(void)
{
	struct sched_program prog = { .ncpus = SCHED_MAX_CPUS, .init = init,
				      .check = count_all };
	struct sched_random_source src;
	struct sched_result res;
	int bad = 0, cpus_seen = 0;

	for (int c = 0; c < SCHED_MAX_CPUS; c++)
		prog.cpu[c] = inc_sync;
	sched_random_source_init(&src, 3);
	for (int i = 0; i < 20; i++) {
		bool seen[SCHED_MAX_CPUS] = { false };

		sched_run(&prog, &src.base, &res);
		bad += res.nreports != 0;
		for (size_t k = 0; k < sched_trace_len(); k++)
			if (sched_trace_event(k)->cpu >= 0)
				seen[sched_trace_event(k)->cpu] = true;
		for (int c = 0; c < SCHED_MAX_CPUS; c++)
			cpus_seen += seen[c];
	}
	ok(eq_int(SCHED_MAX_CPUS, 64) && eq_int(bad, 0) &&
	   eq_int(cpus_seen, 20 * SCHED_MAX_CPUS),
	   "%d CPUs: every one runs, the count is right, no report, in 20 "
	   "random schedules", SCHED_MAX_CPUS);
}

int main(void)
{
	test_bug_on_check();
	test_warn();
	test_max_cpus();
	test_lock_blocks();
	test_deadlock();
	test_lock_mismatch();
	test_rcu_grace_period();
	test_call_rcu();
	test_slab_reuse();
	test_slab_release();
	test_step_limit();
	test_fallback();
	return harness_exit();
}
