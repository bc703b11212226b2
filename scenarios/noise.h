/*
 * noise.h - the size knob of the rmap scenarios (SCHED_NOISE=N): N more
 * CPUs that run unrelated work through the same rmap code and slab caches.
 */
#ifndef SCENARIOS_NOISE_H
#define SCENARIOS_NOISE_H

#include "../sched/sched.h"

#define NOISE_MAX 12

/* A scenario's noise: it sets n (0 .. NOISE_MAX), the rest is noise.c's. */
struct noise {
	int n, first_cpu;
	struct vm_area_struct *vma[NOISE_MAX];
	struct page *page[NOISE_MAX];
};

/* From the scenario's init, after its own world: the noise processes, for
 * CPUs first_cpu .. first_cpu + nz->n - 1. */
void noise_init(struct noise *nz, int first_cpu);
/* What each noise CPU runs (the scenario's noise_cpu). */
void noise_cpu(void);
/* One line for people, after the scenario's own programs. */
void noise_describe(const struct noise *nz, FILE *out);

#endif
