/*
 * plainc - what the plain-C mode costs (docs/plain-c.md):
 *
 *   plainc [SECONDS_PER_CELL]          the synthetic programs and
 *                                      lock_anon_vma as this build has it
 *   plainc --lock-only [SECONDS]       lock_anon_vma only
 *
 * Two CPUs each add 1 to a shared counter N times, written with the shims
 * (WRITE_ONCE(*x, READ_ONCE(*x) + 1)) or in plain C (*x = *x + 1, compiled
 * with the callbacks, bench/plainc_loop.c): 2N scheduling points per CPU
 * either way; with the race checker on (as for a plain-C scenario) and
 * off.  Then one callback on a stack address, which the plain-C mode
 * filters out, against the same loop without the call; and lock_anon_vma
 * (v2.6.34) as this build has it: out/bench/plainc with the shims,
 * out/plainc/bench/plainc with the rmap model as plain C.  Each cell is
 * the median of five, ns per scheduling point with no switching at all
 * (every CPU runs to its end in turn) and under random schedules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../fuzz/target.h"
#include "plainc.h"

#define N 500

void __sanitizer_cov_load8(void *p);

static long *x;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double p = *(const double *)a, q = *(const double *)b;

	return p < q ? -1 : p > q;
}

static void init(void *arg)
{
	(void)arg;
	x = sched_world_alloc("x", sizeof(*x));
}

static void marked(void *arg)
{
	(void)arg;
	for (int i = 0; i < N; i++)
		WRITE_ONCE(*x, READ_ONCE(*x) + 1);
}

static void plain(void *arg)
{
	(void)arg;
	plainc_loop(x, N);
}

static const struct sched_program marked_prog = {
	.ncpus = 2, .init = init, .cpu = { marked, marked } };
static const struct sched_program plain_prog = {
	.ncpus = 2, .init = init, .cpu = { plain, plain } };

/* ns per scheduling point of prog (sc NULL) or of the scenario sc. */
static double measure(const struct sched_program *prog,
		      const struct scenario *sc, bool random, double seconds)
{
	struct sched_random_source rnd;
	struct sched_bytes_source none;
	struct sched_result res;
	unsigned long long points = 0;
	double t0 = now(), t;

	sched_random_source_init(&rnd, 1);
	do {
		for (int i = 0; i < 64; i++) {
			sched_bytes_source_init(&none, NULL, 0);
			if (sc)
				target_exec_source(sc, NULL, random ? &rnd.base
							: &none.base, &res);
			else
				sched_run(prog, random ? &rnd.base : &none.base,
					  &res);
			points += res.steps;
		}
		t = now() - t0;
	} while (t < seconds);
	return t * 1e9 / (double)points;
}

static void row(const char *what, const struct sched_program *prog,
		const struct scenario *sc, bool races, double seconds)
{
	double ns[2][5];

	for (int random = 0; random < 2; random++) {
		for (int r = 0; r < 5; r++) {
			if (!sc)
				sched_set_races(races);
			ns[random][r] = measure(prog, sc, random, seconds);
		}
		qsort(ns[random], 5, sizeof(double), cmp_double);
	}
	printf("| %s | %.1f | %.1f |\n", what, ns[0][2], ns[1][2]);
}

/* ns per call of a callback that filters its address out, called as
 * the instrumented code calls it: not inlined (here, through a pointer). */
static double filtered(double seconds)
{
	void (*volatile cb)(void *) = __sanitizer_cov_load8;
	long local = 0;
	long *volatile p = &local;
	double cell[5];

	for (int r = 0; r < 5; r++) {
		unsigned long long n = 0;
		double t0 = now(), t, base;

		do {
			for (int i = 0; i < 1 << 20; i++)
				cb(p);
			n += 1 << 20;
			t = now() - t0;
		} while (t < seconds);
		t0 = now();
		for (unsigned long long i = 0; i < n; i++)
			(void)*p;	/* the loop, without the call */
		base = now() - t0;
		cell[r] = (t - base) * 1e9 / (double)n;
	}
	qsort(cell, 5, sizeof(double), cmp_double);
	return cell[2];
}

static void lock_anon_vma(double seconds)
{
	struct target_settings s = { 0 };
	const struct scenario *sc;

	target_settings_option(&s, "plainc", "--scenario", "lock_anon_vma");
	target_settings_option(&s, "plainc", "--variant", "v2.6.34");
	if (target_configure(&s, NULL, false, &sc)) {
		fprintf(stderr, "plainc: %s\n", target_error());
		exit(2);
	}
	row(scenario_build(sc, NULL) == SCENARIO_INSTRUMENTED ?
	    "lock_anon_vma, the rmap model as plain C (out/plainc/)" :
	    "lock_anon_vma, the rmap model with the shims", NULL, sc, false,
	    seconds);
}

int main(int argc, char **argv)
{
	bool lock_only = argc > 1 && !strcmp(argv[1], "--lock-only");
	double seconds = argc > 1 + lock_only ? atof(argv[1 + lock_only]) : 0.2;

	if (!(seconds > 0)) {
		fprintf(stderr, "usage: plainc [--lock-only] [SECONDS]\n");
		return 2;
	}
	if (lock_only) {
		lock_anon_vma(seconds);
		return 0;
	}
	printf("| program | ns per point, no switch | ns per point, random |\n"
	       "|---|---:|---:|\n");
	row("2 CPUs x 500 READ_ONCE + WRITE_ONCE (shims), race checker off",
	    &marked_prog, NULL, false, seconds);
	row("the same, race checker on", &marked_prog, NULL, true, seconds);
	row("2 CPUs x 500 *x = *x + 1 in plain C, race checker on",
	    &plain_prog, NULL, true, seconds);
	row("the same, race checker off (SCHED_RACES=off)", &plain_prog,
	    NULL, false, seconds);
	lock_anon_vma(seconds);
	printf("\nA plain access to memory that is not shared (the stack): "
	       "%.2f ns per callback.\n", filtered(seconds));
	return 0;
}
