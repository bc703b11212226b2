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
	/* Scenarios whose input also picks the CPUs' programs: read them
	 * from the front of the input (any bytes are a valid program) and
	 * return how many bytes that took; the rest is the schedule. */
	size_t (*setup)(const uint8_t *data, size_t size);
	/* Prints the programs the last setup chose, for people. */
	void (*describe)(FILE *out);
};

/* Reads SCHED_NOISE for sc; a bad value exits 2 with a one-line error. */
void scenario_noise_from_env(const struct scenario *sc);
int scenario_set_noise(const struct scenario *sc, int n);

/* NULL when there is no such scenario. */
const struct scenario *scenario_find(const char *name);
/* "lock_anon_vma, ..." for error messages. */
const char *scenario_names(void);

#endif
