/*
 * test_litmus - the weak memory mode against the Linux-kernel memory
 * model: every litmus test of scenarios/litmus.c, searched exhaustively
 * (dfs with no effective preemption bound: every schedule and every store
 * each load may read), must show its outcome exactly when the table says
 * the model gives "Sometimes"; the table's model column differs from
 * LKMM's only on the departures the README lists.  Under sc no outcome
 * that needs a weak read shows, and weak mode replays deterministically.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/target.h"
#include "../scenarios/litmus.h"
#include "harness.h"
#include "use.h"

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
		target_exec_source(sc, NULL, &dfs.base, &res);
		s.schedules++;
		s.seen |= first_verdict(&res) == LITMUS_EXISTS;
		s.diverged |= dfs.diverged;
	} while (sched_dfs_next(&dfs));
	return s;
}

static const char *word(enum litmus_verdict v)
{
	return v == SOMETIMES ? "Sometimes" : "Never";
}

/* What a search saw, in the table's words. */
static const char *outcome(const struct search *s)
{
	return word(s->seen ? SOMETIMES : NEVER);
}

/* The scenario "litmus/NAME", in force. */
static const struct scenario *litmus_scenario(const char *name)
{
	char full[128];

	snprintf(full, sizeof(full), "litmus/%s", name);
	return use_variant(full, NULL);
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

		ok(eq_str(outcome(&s), word(want)) && !s.diverged,
		   "%s %s: %s (LKMM: %s%s), %lu schedules", mode, t->name,
		   word(want), word(t->lkmm),
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

		ok_eq_str(outcome(&s), "Never", "sc %s: Never, %lu schedules",
			  weak_only[i], s.schedules);
	}
}

/* The same bytes give the same execution, including which store each
 * load read and where each store went; so does the text schedule
 * --dump writes of it. */
static void test_replay(const char *name)
{
	const struct scenario *sc = litmus_scenario(name);
	struct sched_result res;
	uint8_t in[64];
	uint64_t seed = 7;
	int same = 0, same_text = 0, weak = 0, runs = 200;

	sched_set_memory("weak");
	for (int k = 0; k < runs; k++) {
		struct sched_bytes_source src;
		uint64_t h1;
		char *text = NULL;
		size_t len = 0;
		FILE *f;

		for (size_t j = 0; j < sizeof(in); j++)
			in[j] = (uint8_t)sched_rand64(&seed);
		sched_bytes_source_init(&src, in, sizeof(in));
		target_exec_source(sc, NULL, &src.base, &res);
		h1 = sched_trace_hash();
		for (size_t d = 0; d < sched_decision_count(); d++)
			weak += sched_decision(d)->kind >= SCHED_DECIDE_READ &&
				sched_decision(d)->choice;
		f = open_memstream(&text, &len);
		sched_print_text(f, NULL, NULL, 0);
		fclose(f);
		sched_bytes_source_init(&src, in, sizeof(in));
		target_exec_source(sc, NULL, &src.base, &res);
		same += sched_trace_hash() == h1;
		same_text += target_run(sc, (uint8_t *)text, len, &res) == 0 &&
			     sched_trace_hash() == h1;
		free(text);
	}
	ok(eq_int(same, runs) && eq_int(same_text, runs) && cmp_int(weak, >, 0),
	   "weak %s: %d random inputs replay to the same trace, and so do "
	   "their text dumps (%d loads read an older store or stores went "
	   "before a newer one)", name, runs, weak);
}

int main(void)
{
	test_mode("weak");
	test_mode("weak-alpha");
	test_sc();
	test_replay("IRIW+poonceonces+OnceOnce");
	test_replay("2+2W+poonceonces");
	sched_set_memory("sc");
	return harness_exit();
}
