/*
 * scenario.h - a scenario is an initial world, one small function per CPU
 * and the condition that must never hold, the way a litmus test reads:
 *
 *	static void P0(void) { ... }
 *	static void P1(void) { ... }
 *	static void check(void) { BUG_ON(READ_ONCE(w->count) != 2); }
 *
 *	SCENARIO(counter) = {
 *		.name = "counter",
 *		.summary = "two CPUs increment a counter without a lock",
 *		.init = init,
 *		.cpu = { P0, P1 },
 *		.check = check,
 *	};
 *
 * A file under scenarios/ that defines one is all it takes: the build
 * compiles every file there, and SCENARIO puts the scenario in a linker
 * section the registry reads, so every tool knows it by name.
 * docs/writing-a-scenario.md is the tutorial.
 */
#ifndef SCENARIOS_SCENARIO_H
#define SCENARIOS_SCENARIO_H

#include "../sched/kernel.h"
#include "../sched/sched.h"

struct scenario {
	const char *name;	/* as the tools take it: lower case, [a-z0-9_/+.-] */
	const char *summary;	/* one line, for replay --list */
	/* The program: init builds the world (sched_world_alloc,
	 * kmem_cache_create); cpu[c] is what CPU c runs; check, optional,
	 * runs once every CPU has finished and reads the final state. */
	void (*init)(void);
	void (*cpu[SCHED_MAX_CPUS])(void);
	int ncpus;		/* 0: as many as cpu[] names */
	void (*check)(void);
	/* Variants ({ .name = NULL } ends the list; the first is the
	 * default): set_variant hands the chosen one to the model.
	 * variant_env is an older name of SCHED_VARIANT for this scenario
	 * (RMAP_VARIANT for the rmap scenarios). */
	const struct sched_variant *variants;
	void (*set_variant)(const struct sched_variant *v);
	const char *variant_env;
	/* The size knob (SCHED_NOISE=N): N more CPUs after the scenario's
	 * own that run noise_cpu; set_noise(N) before init, so that init
	 * builds their world.  max_noise 0: no noise. */
	int max_noise;
	void (*set_noise)(int n);
	void (*noise_cpu)(void);
	/* Scenarios whose input also picks the CPUs' programs: the first
	 * header_size bytes of an input (fewer when it is shorter: the rest
	 * count as 0) are the programs, read by setup, which returns how
	 * many CPUs of its own run them; any bytes are a valid program.  The
	 * rest of the input is the schedule.  describe prints the programs
	 * the last setup chose, for people. */
	size_t header_size;
	int (*setup)(const uint8_t *header, size_t size);
	void (*describe)(FILE *out);
	const void *data;	/* the scenario's own, see scenario_running() */
};

/*
 * Plain C (docs/plain-c.md): a file that has the line
 *
 *	#define SCENARIO_PLAIN_C
 *
 * before it includes scenario.h is compiled with clang's load and store
 * instrumentation (the Makefile looks for that line), so that its plain
 * loads and stores of shared memory are scheduling points like the
 * shims, and its executions are checked for data races.  The Makefile
 * says SCHED_PLAIN_C to the files it so compiles (and to the rmap
 * scenarios in the plain-C build of the rmap model, out/plainc/), and
 * SCHED_PLAIN_C_OFF to a test's copy compiled without it on purpose.
 */
enum scenario_build {
	SCENARIO_MARKED,	/* the shims only */
	SCENARIO_INSTRUMENTED,	/* plain C, instrumented */
	SCENARIO_NOT_INSTRUMENTED,	/* plain C compiled without it (not
					   by clang?): refused */
	SCENARIO_OFF,		/* plain C without it, for a test */
};
#if defined(SCHED_PLAIN_C)
#define SCENARIO_BUILD_ SCENARIO_INSTRUMENTED
#elif defined(SCENARIO_PLAIN_C) && defined(SCHED_PLAIN_C_OFF)
#define SCENARIO_BUILD_ SCENARIO_OFF
#elif defined(SCENARIO_PLAIN_C)
#define SCENARIO_BUILD_ SCENARIO_NOT_INSTRUMENTED
#else
#define SCENARIO_BUILD_ SCENARIO_MARKED
#endif

/* A SCENARIO, or a SCENARIO_SET's function, and how its file was built. */
struct scenario_unit {
	const struct scenario *sc;
	const struct scenario *(*set)(size_t);
	enum scenario_build build;
	const char *file;
};

/* Defines and registers a scenario: SCENARIO(name) = { ... };  Built
 * without the engine (sched/plain/, the benchmark's baseline) there is
 * no registry: the scenario is a variable of that name. */
#ifdef SCHED_BASELINE
#define SCENARIO(var)                                                      \
	extern const struct scenario var;                                  \
	const struct scenario var
#else
#define SCENARIO(var)                                                      \
	static const struct scenario var;                                  \
	static const struct scenario *const var##_entry_                   \
		SCHED_SECTION_(sched_scenarios) = &var;                    \
	static const struct scenario_unit var##_unit_                      \
		SCHED_SECTION_(sched_scenario_units) = {                   \
			&var, NULL, SCENARIO_BUILD_, __FILE__ };           \
	static const struct scenario var
#endif

/* For a file that defines a table of scenarios (the litmus tests):
 * fn(i) returns the i-th, NULL past the last. */
#define SCENARIO_SET(fn)                                                   \
	static const struct scenario *(*const fn##_entry_)(size_t)        \
		SCHED_SECTION_(sched_scenario_sets) = fn;                  \
	static const struct scenario_unit fn##_unit_                       \
		SCHED_SECTION_(sched_scenario_units) = {                   \
			NULL, fn, SCENARIO_BUILD_, __FILE__ }

/* ---- the registry (scenario.c) ------------------------------------------ */

#define SCENARIO_MAX 512
size_t scenario_count(void);
const struct scenario *scenario_at(size_t i);	/* sorted by name */
/* NULL when there is no such scenario. */
const struct scenario *scenario_find(const char *name);
/* How sc's file was built, and that file. */
enum scenario_build scenario_build(const struct scenario *sc,
				   const char **file);
/* Why sc cannot run in this build (a plain-C scenario whose file was
 * compiled without the callbacks), or NULL. */
const char *scenario_unusable(const struct scenario *sc);

/* ---- settings of a scenario ---------------------------------------------- */

/* The variant in force (the first until one is chosen), NULL when the
 * scenario has none. */
const struct sched_variant *scenario_variant(const struct scenario *sc);
/* NULL when sc has no variant of that name. */
const struct sched_variant *scenario_variant_find(const struct scenario *sc,
						  const char *name);
void scenario_use_variant(const struct scenario *sc,
			  const struct sched_variant *v);
/* "v2.6.34, peterz, ..." or "none" (no cut), for errors. */
const char *scenario_variant_names(const struct scenario *sc, char *buf,
				   size_t len);
int scenario_noise(const struct scenario *sc);
/* 0, or -1 when n is out of sc's range. */
int scenario_set_noise(const struct scenario *sc, int n);

/* ---- running ------------------------------------------------------------ */

/* The program of one execution of sc: its programs taken from header (sc
 * ->header_size bytes, when sc has them), then its noise. */
const struct sched_program *scenario_program(const struct scenario *sc,
					     const uint8_t *header);
/* The scenario whose program was built last (for its own init). */
const struct scenario *scenario_running(void);

#endif
