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
};

/* NULL when there is no such scenario. */
const struct scenario *scenario_find(const char *name);
/* "lock_anon_vma, ..." for error messages. */
const char *scenario_names(void);

#endif
