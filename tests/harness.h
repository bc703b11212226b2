/*
 * harness.h - kselftest-style results: one "ok N desc" or "not ok N desc"
 * line per check; build.sh adds them up into "N passed, N failed".
 */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../sched/sched.h"

static int harness_count, harness_failed;

static inline void harness_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	harness_count++;
	harness_failed += !cond;
	printf("%s %d ", cond ? "ok" : "not ok", harness_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#define ok(cond, ...) harness_ok(!!(cond), __VA_ARGS__)

static inline int harness_exit(void)
{
	printf("# %s: %d checks, %d failed\n", __FILE__, harness_count,
	       harness_failed);
	return harness_failed ? 1 : 0;
}

/* The first report's class, SCHED_OK when there is none. */
static inline enum sched_verdict first_verdict(const struct sched_result *r)
{
	return r->nreports ? r->reports[0].verdict : SCHED_OK;
}

static inline int has_verdict(const struct sched_result *r, enum sched_verdict v)
{
	for (int i = 0; i < r->nreports; i++)
		if (r->reports[i].verdict == v)
			return 1;
	return 0;
}

static inline uint64_t harness_rand(uint64_t *s)
{
	return sched_rand64(s);
}

#endif
