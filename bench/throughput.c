/*
 * throughput - cost per scheduling point of lock_anon_vma, per backend.
 *
 *   throughput [SECONDS_PER_CELL]
 *
 * For each backend: executions with no switching at all (the empty input:
 * every CPU runs to its end in turn; the floor, with every operation still
 * going through the engine) and executions under random schedules (about
 * one switch every other point).  Prints executions/s, ns per scheduling
 * point and switches per execution; the median of five runs of each cell.
 * Each cell under the sc and the weak memory model (under weak, random
 * schedules also pick which store each load reads).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../fuzz/target.h"
#include "../rmap/rmap.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct cell {
	double execs_per_s, ns_per_point, switches;
};

static struct cell measure(const struct scenario *sc, bool random,
			   double seconds)
{
	struct sched_random_source rnd;
	struct sched_bytes_source none;
	struct sched_result res;
	double t0 = now(), t;
	unsigned long long n = 0, points = 0, switches = 0;

	sched_random_source_init(&rnd, 1);
	do {
		for (int i = 0; i < 256; i++) {
			sched_bytes_source_init(&none, NULL, 0);
			sched_run(&sc->prog, random ? &rnd.base : &none.base, &res);
			points += res.steps;
			for (size_t k = 1; k < sched_trace_len(); k++)
				switches += sched_trace_event(k)->cpu !=
					    sched_trace_event(k - 1)->cpu;
			n++;
		}
		t = now() - t0;
	} while (t < seconds);
	return (struct cell){ n / t, t * 1e9 / (double)points,
			      (double)switches / (double)n };
}

int main(int argc, char **argv)
{
	const struct scenario *sc = scenario_find("lock_anon_vma");
	double seconds = argc > 1 ? atof(argv[1]) : 0.5;
	static const char *const backends[] = { "fiber", "pthread" };
	static const char *const memories[] = { "sc", "weak" };

	rmap_variant = rmap_variant_find("v2.6.34");
	printf("| backend | memory | schedule | executions/s | ns per point | switches per execution |\n");
	printf("|---|---|---|---:|---:|---:|\n");
	for (int b = 0; b < 2; b++) {
		if (sched_set_backend(backends[b]))
			continue;
		for (int m = 0; m < 2; m++)
			for (int random = 0; random < 2; random++) {
				struct cell c[5];
				double e[5], ns[5];

				sched_set_memory(memories[m]);
				for (int r = 0; r < 5; r++) {
					c[r] = measure(sc, random, seconds);
					e[r] = c[r].execs_per_s;
					ns[r] = c[r].ns_per_point;
				}
				qsort(e, 5, sizeof(e[0]), cmp_double);
				qsort(ns, 5, sizeof(ns[0]), cmp_double);
				printf("| %s | %s | %s | %.0f | %.1f | %.1f |\n",
				       backends[b], memories[m],
				       random ? "random" : "no switch (floor)",
				       e[2], ns[2], c[0].switches);
			}
	}
	return 0;
}
