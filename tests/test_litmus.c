/*
 * test_litmus - the weak memory mode against the Linux-kernel memory
 * model: every litmus test of scenarios/litmus.c, searched exhaustively
 * (dfs with no effective preemption bound: every schedule and every store
 * each load may read), must show its outcome exactly when the table says
 * the model gives "Sometimes"; the table's model column differs from
 * LKMM's only on the departures the README lists.  Under sc no outcome
 * that needs a weak read shows, and weak mode replays deterministically.
 */
#include <string.h>

#include "../scenarios/litmus.h"
#include "harness.h"

#define UNBOUNDED 64

struct search {
	unsigned long schedules;
	bool seen;		/* the exists clause held in some execution */
	bool diverged;
};

static struct search search(const struct scenario *sc)
{
	static struct sched_dfs_source dfs;
	struct sched_result res;
	struct search s = { 0 };

	sched_dfs_source_init(&dfs, UNBOUNDED);
	do {
		sched_run(&sc->prog, &dfs.base, &res);
		s.schedules++;
		s.seen |= first_verdict(&res) == SCHED_LITMUS_EXISTS;
		s.diverged |= dfs.diverged;
	} while (sched_dfs_next(&dfs));
	return s;
}

static const char *word(enum litmus_verdict v)
{
	return v == SOMETIMES ? "Sometimes" : "Never";
}

static void test_mode(const char *mode)
{
	bool alpha = !strcmp(mode, "weak-alpha");

	sched_set_memory(mode);
	for (size_t i = 0; i < litmus_count(); i++) {
		const struct litmus *t = litmus_test(i);
		const struct scenario *sc = litmus_scenario(t->name);
		enum litmus_verdict want = alpha ? t->alpha : t->model;
		struct search s = search(sc);

		ok(s.seen == (want == SOMETIMES) && !s.diverged,
		   "%s %s: %s (LKMM: %s%s), %lu schedules", mode, t->name,
		   word(s.seen ? SOMETIMES : NEVER), word(t->lkmm),
		   t->model != t->lkmm ? ", a listed departure" :
		   want != t->lkmm ? ", as on Alpha before v4.15" : "",
		   s.schedules);
	}
}

/* Under sc the weak outcomes never show: the model's Sometimes tests
 * that need a load to read an older store. */
static void test_sc(void)
{
	static const char *const weak_only[] = {
		"MP+poonceonces", "SB+poonceonces", "IRIW+poonceonces+OnceOnce",
		"WRC+poonceonces+Once", "ISA2+poonceonces", "R+poonceonces",
	};

	sched_set_memory("sc");
	for (size_t i = 0; i < sizeof(weak_only) / sizeof(weak_only[0]); i++) {
		struct search s = search(litmus_scenario(weak_only[i]));

		ok(!s.seen, "sc %s: Never, %lu schedules", weak_only[i],
		   s.schedules);
	}
}

/* The same bytes give the same execution, including which store each
 * load read. */
static void test_replay(void)
{
	const struct scenario *sc = litmus_scenario("IRIW+poonceonces+OnceOnce");
	struct sched_result res;
	uint8_t in[64];
	uint64_t seed = 7;
	int same = 1, weak_reads = 0;

	sched_set_memory("weak");
	for (int k = 0; k < 200; k++) {
		struct sched_bytes_source src;
		uint64_t h1;

		for (size_t j = 0; j < sizeof(in); j++)
			in[j] = (uint8_t)sched_rand64(&seed);
		sched_bytes_source_init(&src, in, sizeof(in));
		sched_run(&sc->prog, &src.base, &res);
		h1 = sched_trace_hash();
		for (size_t d = 0; d < sched_decision_count(); d++)
			weak_reads += sched_decision(d)->kind == SCHED_DECIDE_READ &&
				      sched_decision(d)->choice;
		sched_bytes_source_init(&src, in, sizeof(in));
		sched_run(&sc->prog, &src.base, &res);
		same &= sched_trace_hash() == h1;
	}
	ok(same && weak_reads > 0,
	   "weak: 200 random inputs replay to the same trace (%d loads read "
	   "an older store)", weak_reads);
}

int main(void)
{
	test_mode("weak");
	test_mode("weak-alpha");
	test_sc();
	test_replay();
	sched_set_memory("sc");
	return harness_exit();
}
