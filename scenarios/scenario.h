/*
 * scenario.h - a scenario is an initial world, one small function per CPU
 * and the condition that must never hold, the way a litmus test reads.
 * The condition is checked by the model's oracle as the CPUs run.
 */
#ifndef SCENARIOS_SCENARIO_H
#define SCENARIOS_SCENARIO_H

#include "../sched/sched.h"

struct scenario {
	const char *name;
	const char *summary;
	struct sched_program prog;
	/* The size knob (SCHED_NOISE): extra CPUs that run unrelated work
	 * through the same code; max_noise 0 when the scenario has none. */
	int max_noise;
	void (*set_noise)(int n);
	/* Scenarios whose input also picks the CPUs' programs: the first
	 * header_size bytes of an input (fewer when it is shorter: the rest
	 * count as 0) are the programs, read by setup; any bytes are a valid
	 * program.  The rest of the input is the schedule. */
	size_t header_size;
	void (*setup)(const uint8_t *data, size_t size);
	/* Prints the programs the last setup chose, for people. */
	void (*describe)(FILE *out);
};

extern struct scenario scenario_lock_anon_vma, scenario_rmap_ops;

/* Reads SCHED_NOISE for sc; a bad value exits 2 with a one-line error. */
void scenario_noise_from_env(const struct scenario *sc);
int scenario_set_noise(const struct scenario *sc, int n);

/* NULL when there is no such scenario. */
const struct scenario *scenario_find(const char *name);
/* "lock_anon_vma, ..." for error messages. */
const char *scenario_names(void);

#endif
