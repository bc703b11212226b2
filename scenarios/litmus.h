/*
 * litmus.h - the litmus tests of the Linux-kernel memory model that the
 * weak memory mode is checked against (litmus.c).
 */
#ifndef SCENARIOS_LITMUS_H
#define SCENARIOS_LITMUS_H

#include "scenario.h"

enum litmus_verdict { NEVER, SOMETIMES };

struct litmus {
	const char *name;
	enum litmus_verdict lkmm;	/* the test's "Result:" line */
	enum litmus_verdict model;	/* SCHED_MEMORY=weak, by dfs */
	enum litmus_verdict alpha;	/* SCHED_MEMORY=weak-alpha */
	int init;
	bool (*exists)(void);
	const char *exists_text;
	int ncpus;
	void (*cpu[4])(void);
};

size_t litmus_count(void);
const struct litmus *litmus_test(size_t i);

extern struct sched_class litmus_exists;
#define LITMUS_EXISTS (&litmus_exists)

#endif
