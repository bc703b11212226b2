/*
 * test_plainc - plain C models (docs/plain-c.md): the compiler's load and
 * store callbacks make scheduling points of a scenario's plain accesses,
 * and the race checker calls a data race what LKMM calls one.
 *
 *   plain_counter   "balance += amount" on two CPUs: the lost deposit
 *                   needs a preemption between the load and the store,
 *                   and random, PCT and dfs find it; under the lock no
 *                   schedule loses one or races
 *   race/NAME       each of scenarios/races.c, every schedule (dfs), under
 *                   sc and weak memory: a data race reported in some
 *                   schedule exactly when LKMM says so, and where it says
 *                   none the conflicting accesses did happen
 * and what a report says, how often, and what a plain load reads under
 * weak memory.  tests/plainc.sh has the programs built without the
 * instrumentation, and libFuzzer.
 */
#include <string.h>

#include "../sched/kernel.h"
#include "harness.h"
#include "use.h"

#define UNBOUNDED 64

static bool has(const struct sched_result *res, const struct sched_class *c)
{
	for (int i = 0; i < res->nreports; i++)
		if (res->reports[i].verdict == c)
			return true;
	return false;
}

static int count(const struct sched_result *res, const struct sched_class *c)
{
	int n = 0;

	for (int i = 0; i < res->nreports; i++)
		n += res->reports[i].verdict == c;
	return n;
}

static bool is_access(const struct sched_event *e)
{
	return e->op == SCHED_OP_LOAD || e->op == SCHED_OP_STORE ||
	       e->op == SCHED_OP_RMW;
}

/* Two CPUs accessed one location and one of them wrote it. */
static bool conflict(void)
{
	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *a = sched_trace_event(i);

		if (!is_access(a) || a->obj < 0)
			continue;
		for (size_t j = i + 1; j < sched_trace_len(); j++) {
			const struct sched_event *b = sched_trace_event(j);

			if (is_access(b) && b->cpu != a->cpu &&
			    b->obj == a->obj && b->off == a->off &&
			    (a->op != SCHED_OP_LOAD || b->op != SCHED_OP_LOAD))
				return true;
		}
	}
	return false;
}

struct search {
	unsigned long schedules;
	bool race, conflict, diverged;
	const struct sched_class *other;	/* a class besides data-race */
};

static struct search search(const struct scenario *sc, int bound)
{
	static struct sched_dfs_source dfs;
	struct sched_result res;
	struct search s = { 0 };

	sched_dfs_source_init(&dfs, bound);
	do {
		target_exec_source(sc, NULL, &dfs.base, &res);
		s.schedules++;
		s.race |= has(&res, SCHED_DATA_RACE);
		s.conflict |= conflict();
		s.diverged |= dfs.diverged;
		for (int i = 0; i < res.nreports; i++)
			if (res.reports[i].verdict != SCHED_DATA_RACE)
				s.other = res.reports[i].verdict;
	} while (sched_dfs_next(&dfs));
	return s;
}

/* ---- race/NAME ---------------------------------------------------------- */

static void test_races(const char *memory)
{
	sched_set_memory(memory);
	for (size_t i = 0; i < scenario_count(); i++) {
		const struct scenario *sc = scenario_at(i);
		bool want;
		struct search s;

		if (strncmp(sc->name, "race/", 5))
			continue;
		want = !strcmp(sc->summary, "LKMM: a data race");
		sc = use_variant(sc->name, NULL);
		s = search(sc, UNBOUNDED);
		ok(s.race == want && s.conflict && !s.other && !s.diverged,
		   "%s %s: %s%s, %lu schedules", memory, sc->name,
		   s.race ? "a data race" : "no data race",
		   s.conflict ? "" : " (the accesses never conflicted)",
		   s.schedules);
	}
}

/* KCSAN's default leaves out races whose plain accesses are aligned
 * writes of a word or less. */
static void test_kcsan(void)
{
	static const struct {
		const char *name;
		bool race;
	} t[] = {
		{ "race/2W", false },
		{ "race/RW+once-read", false },
		{ "race/RW+once-write", true },
		{ "race/MP+onces", true },
	};

	sched_set_memory("sc");
	sched_set_race_mode("kcsan");
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct search s = search(use_variant(t[i].name, NULL), UNBOUNDED);

		ok(s.race == t[i].race, "SCHED_RACES=kcsan %s: %s", t[i].name,
		   t[i].race ? "a data race" : "none");
	}
	sched_set_race_mode("off");
	ok(!search(use_variant("race/2W", NULL), UNBOUNDED).race,
	   "SCHED_RACES=off: none");
	sched_set_race_mode("lkmm");
}

/* ---- plain_counter ------------------------------------------------------ */

/* Runs sc under src until an execution reports c (at most runs). */
static unsigned long until(const struct scenario *sc,
			   struct sched_decisions *src,
			   const struct sched_class *c, unsigned long runs)
{
	struct sched_result res;

	for (unsigned long n = 1; n <= runs; n++) {
		target_exec_source(sc, NULL, src, &res);
		if (has(&res, c))
			return n;
	}
	return 0;
}

static void test_counter(void)
{
	const struct scenario *sc;
	struct sched_random_source rnd;
	struct sched_pct_source pct;
	struct sched_dfs_source *dfs = malloc(sizeof(*dfs));
	struct search s;
	unsigned long n;

	sched_set_memory("sc");
	sc = use_variant("plain_counter", "racy");
	s = search(sc, 0);
	ok(!s.other && s.race,
	   "plain_counter: no deposit lost without a preemption (%lu schedules), "
	   "the accesses race", s.schedules);
	sched_dfs_source_init(dfs, 1);
	n = 0;
	do
		n++;
	while (!until(sc, &dfs->base, SCHED_ASSERT, 1) &&
	       sched_dfs_next(dfs));
	ok(n < 10, "plain_counter: dfs with 1 preemption loses one, schedule %lu",
	   n);
	sched_random_source_init(&rnd, 1);
	n = until(sc, &rnd.base, SCHED_ASSERT, 1000);
	ok(n > 0, "plain_counter: random loses one, run %lu", n);
	sched_pct_source_init(&pct, 1, 2);
	n = until(sc, &pct.base, SCHED_ASSERT, 1000);
	ok(n > 0, "plain_counter: pct loses one, run %lu", n);

	sc = use_variant("plain_counter", "locked");
	s = search(sc, UNBOUNDED);
	ok(!s.other && !s.race && s.conflict,
	   "plain_counter locked: nothing in %lu schedules", s.schedules);
	free(dfs);
}

/* ---- what a report says ------------------------------------------------- */

static const struct sched_report *report_of(const struct sched_result *res,
					    const struct sched_class *c)
{
	for (int i = 0; i < res->nreports; i++)
		if (res->reports[i].verdict == c)
			return &res->reports[i];
	return NULL;
}

/* The step of cpu's first access, -1 if none. */
static long access_step(int cpu)
{
	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (e->cpu == cpu && is_access(e))
			return e->step;
	}
	return -1;
}

static void test_report(void)
{
	static const struct sched_script_run runs[] = { { 0, 0 }, { 1, 0 } };
	const struct scenario *sc;
	struct sched_script_source src;
	struct sched_result res;
	const struct sched_report *r;

	sched_set_memory("sc");
	sc = use_variant("race/RW+once-write", NULL);
	sched_script_source_init(&src, runs, 2);
	target_exec_source(sc, NULL, &src.base, &res);
	r = report_of(&res, SCHED_DATA_RACE);
	ok(r && contains(r->detail, "v: cpu1 plain read at races.c:") &&
	   contains(r->detail, " in read_x() (step ") &&
	   contains(r->detail, "unordered with cpu0 marked write at races.c:") &&
	   contains(r->detail, " in write_once_x() (step ") &&
	   eq_int(r->cpu, 1),
	   "the report names both accesses: CPU, plain or marked, read or "
	   "write, file:line, function, step");
	ok(r && eq_int(r->nkeys, 2) && eq_int(r->keys[0].step, access_step(0)) &&
	   eq_int(r->keys[1].step, access_step(1)),
	   "its keys are the two accesses' steps");

	/* balance += amount on both CPUs, interleaved: three racing pairs of
	 * accesses, one pair of sites */
	sc = use_variant("plain_counter", "racy");
	{
		static const struct sched_script_run inter[] = {
			{ 0, 1 }, { 1, 2 }, { 0, 0 } };

		sched_script_source_init(&src, inter, 3);
		target_exec_source(sc, NULL, &src.base, &res);
	}
	ok(eq_int(count(&res, SCHED_DATA_RACE), 1) && has(&res, SCHED_ASSERT),
	   "one report per pair of sites per execution, and the lost deposit");
}

/* A plain access is a plain event: no expression, its store's value. */
static void test_trace(void)
{
	static const struct sched_script_run runs[] = { { 0, 0 }, { 1, 0 } };
	const struct scenario *sc = use_variant("plain_counter", "racy");
	struct sched_script_source src;
	struct sched_result res;
	const struct sched_event *e = NULL;
	char text[128];

	sched_set_memory("sc");
	sched_script_source_init(&src, runs, 2);
	target_exec_source(sc, NULL, &src.base, &res);
	for (size_t i = 0; i < sched_trace_len() && !e; i++)
		if (sched_trace_event(i)->op == SCHED_OP_STORE)
			e = sched_trace_event(i);
	sched_describe_event(text, sizeof(text), e);
	ok(e && (e->flags & SCHED_PLAIN) && !e->what && eq_str(text, "acct+8 = 110") &&
	   eq_str(e->site->func, "deposit") && contains(e->site->file, "plain_counter.c"),
	   "a plain store: flagged, its value, its site from the line table");
}

/* Under weak memory a plain load that does not race reads the latest
 * store that happens before it: after the flag and smp_rmb, the data. */
static void test_weak_plain_load(void)
{
	const struct scenario *sc;
	static struct sched_dfs_source dfs;
	struct sched_result res;
	unsigned long stale = 0, read = 0;

	sched_set_memory("weak");
	sc = use_variant("race/MP+wmb+rmb", NULL);
	sched_dfs_source_init(&dfs, UNBOUNDED);
	do {
		target_exec_source(sc, NULL, &dfs.base, &res);
		for (size_t i = 0; i < sched_trace_len(); i++) {
			const struct sched_event *e = sched_trace_event(i);

			if (e->op == SCHED_OP_LOAD && (e->flags & SCHED_PLAIN)) {
				read++;
				stale += e->value != 1;
			}
		}
	} while (sched_dfs_next(&dfs));
	ok(read > 0 && stale == 0,
	   "weak: a plain load after smp_rmb reads the data (%lu loads)", read);
	sched_set_memory("sc");
}

int main(void)
{
	test_races("sc");
	test_races("weak");
	test_kcsan();
	test_counter();
	test_report();
	test_trace();
	test_weak_plain_load();
	return harness_exit();
}
