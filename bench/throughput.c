/*
 * throughput - cost per scheduling point of lock_anon_vma: the engine's
 * against the model's own code, and per backend and memory model.
 *
 *   throughput [SECONDS_PER_CELL]
 *   throughput --runs floor|random|baseline N [FEATURES]
 *
 * The second form runs N executions of one kind and prints their points,
 * for bench/cost.sh to count instructions in (FEATURES: the fuzz
 * targets' schedule coverage, as SCHED_FEATURES; default none).
 *
 * Engine cost (fiber, sc, the build without sanitizers): the baseline
 * is lock_anon_vma's code with the shims compiled as plain accesses and
 * calls (bench/baseline.c, no engine), every CPU to its end in turn; the
 * no-switch floor runs the same code through the engine under the empty
 * input (every CPU to its end in turn, every operation a scheduling
 * point); random schedules switch about every other point.  The three
 * take turns, five rounds; each ratio is the median of the rounds'
 * ratios, so that a machine whose load changes compares like with like.
 * The baseline is checked to take as many points as the floor.
 *
 * Then, for each backend and memory model: executions/s, ns per point
 * and switches per execution, no-switch floor and random (under weak,
 * random also picks which store each load reads); the median of five
 * runs per cell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../fuzz/target.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#include "baseline.h"
#endif

#define ROUNDS 5

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

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	return v[n / 2];
}

struct cell {
	double execs_per_s, ns_per_point, switches;
};

static const struct scenario *sc;

static struct cell measure(bool random, double seconds)
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
			target_exec_source(sc, NULL,
					   random ? &rnd.base : &none.base, &res);
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

#ifndef SANITIZED
/* The floor's points per execution (the empty input's), which the
 * baseline must take too. */
static uint32_t floor_points(void)
{
	struct sched_bytes_source none;
	struct sched_result res;

	sched_bytes_source_init(&none, NULL, 0);
	target_exec_source(sc, NULL, &none.base, &res);
	return res.steps;
}

/* ns per point of the baseline, over at least seconds. */
static double measure_baseline(uint32_t points, double seconds)
{
	double t0 = now(), t;
	unsigned long long n = 0;

	do {
		baseline_run(256);
		n += 256;
		t = now() - t0;
	} while (t < seconds);
	return t * 1e9 / ((double)n * points);
}

static void engine_cost(double seconds)
{
	uint32_t points = floor_points();
	unsigned long counted = baseline_run_count(1);
	double base[ROUNDS], flo[ROUNDS], rnd[ROUNDS];
	double flo_x[ROUNDS], rnd_x[ROUNDS];

	if (counted != points) {
		fprintf(stderr, "throughput: the baseline takes %lu points, the "
			"floor %u: they do not run the same code\n", counted,
			points);
		exit(1);
	}
	for (int r = 0; r < ROUNDS; r++) {
		base[r] = measure_baseline(points, seconds);
		flo[r] = measure(false, seconds).ns_per_point;
		rnd[r] = measure(true, seconds).ns_per_point;
		flo_x[r] = flo[r] / base[r];
		rnd_x[r] = rnd[r] / flo[r];
	}
	printf("| run (fiber, sc; %u points per execution) | ns per point | ratio | goal |\n",
	       points);
	printf("|---|---:|---:|---|\n");
	printf("| baseline: the model's code, shims as plain accesses and calls | %.2f | 1 | |\n",
	       median(base, ROUNDS));
	printf("| no-switch floor: the same through the engine | %.2f | %.2f x baseline | at most 3 x baseline |\n",
	       median(flo, ROUNDS), median(flo_x, ROUNDS));
	printf("| random schedules | %.2f | %.2f x floor | at most 2 x floor |\n",
	       median(rnd, ROUNDS), median(rnd_x, ROUNDS));
	printf("\n");
}
#endif

/* --runs: n executions of one kind, nothing timed. */
static int runs(const char *kind, long n, const char *features)
{
	struct sched_random_source rnd;
	struct sched_bytes_source none;
	struct sched_result res;
	unsigned long long points = 0;
	bool random = !strcmp(kind, "random");

	if ((!random && strcmp(kind, "floor") && strcmp(kind, "baseline")) ||
	    n < 1 || sched_cov_parse(features)) {
		fprintf(stderr, "throughput: --runs floor|random|baseline N "
			"[FEATURES]\n");
		return 2;
	}
#ifndef SANITIZED
	if (!strcmp(kind, "baseline")) {
		baseline_run((unsigned long)n);
		printf("%llu points\n", (unsigned long long)n * floor_points());
		return 0;
	}
#endif
	sched_random_source_init(&rnd, 1);
	for (long i = 0; i < n; i++) {
		sched_bytes_source_init(&none, NULL, 0);
		target_exec_source(sc, NULL, random ? &rnd.base : &none.base,
				   &res);
		points += res.steps;
	}
	printf("%llu points\n", points);
	return 0;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0.5;
	static const char *const backends[] = { "fiber", "pthread" };
	static const char *const memories[] = { "sc", "weak" };
	struct target_settings user = { 0 };

	target_settings_option(&user, "throughput", "--scenario",
			       "lock_anon_vma");
	target_settings_option(&user, "throughput", "--variant", "v2.6.34");
	if (target_configure(&user, NULL, false, &sc)) {
		fprintf(stderr, "throughput: %s\n", target_error());
		return 2;
	}
	if (argc > 3 && !strcmp(argv[1], "--runs"))
		return runs(argv[2], atol(argv[3]), argc > 4 ? argv[4] : "none");
#ifndef SANITIZED
	sched_set_backend("fiber");
	sched_set_memory("sc");
	engine_cost(seconds);
#endif
	printf("| backend | memory | schedule | executions/s | ns per point | switches per execution |\n");
	printf("|---|---|---|---:|---:|---:|\n");
	for (int b = 0; b < 2; b++) {
		if (sched_set_backend(backends[b]))
			continue;
		for (int m = 0; m < 2; m++)
			for (int random = 0; random < 2; random++) {
				struct cell c[ROUNDS];
				double e[ROUNDS], ns[ROUNDS];

				sched_set_memory(memories[m]);
				for (int r = 0; r < ROUNDS; r++) {
					c[r] = measure(random, seconds);
					e[r] = c[r].execs_per_s;
					ns[r] = c[r].ns_per_point;
				}
				printf("| %s | %s | %s | %.0f | %.1f | %.1f |\n",
				       backends[b], memories[m],
				       random ? "random" : "no switch (floor)",
				       median(e, ROUNDS), median(ns, ROUNDS),
				       c[0].switches);
			}
	}
	return 0;
}
