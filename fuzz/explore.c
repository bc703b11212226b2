/*
 * explore - the strategies a user would otherwise pick, on the same engine:
 *
 *   out/explore SCENARIO --strategy random|pct|dfs [--depth D] [--bound K]
 *               [--seed N] [--runs N | --seconds S] [--variant NAME]
 *               [--noise N] [--program FILE] [--stop CLASS,...] [-o FILE]
 *
 * Runs schedules until one shows a violation of a class in --stop (default:
 * every violation class), then prints the class, the schedules and seconds
 * it took, and writes the schedule as an input that out/replay and the
 * fuzz targets accept.  With --stop none it runs to its limit (or, for dfs,
 * to the end of the bounded space) and prints the first schedule at which
 * each class appeared.  Exit status: 1 found, 0 not found, 2 usage.
 *
 * Scenarios whose input starts with the CPUs' programs (rmap_ops) take
 * them from the front of --program FILE; without it, random and pct draw
 * new programs for every schedule from their seed, and dfs refuses.  The
 * written input is the programs, then the schedule.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../rmap/rmap.h"
#include "target.h"

__attribute__((noreturn)) static void usage(const char *why)
{
	fprintf(stderr, "explore: %s\nusage: explore SCENARIO --strategy "
		"random|pct|dfs [--depth D] [--bound K] [--seed N] "
		"[--runs N | --seconds S] [--variant NAME] [--memory MODEL] "
		"[--noise N] "
		"[--program FILE] [--stop CLASS,...] [-o FILE]\n", why);
	exit(2);
}

static long number(const char *opt, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0) {
		fprintf(stderr, "explore: %s takes a number, not '%s'\n", opt, s);
		exit(2);
	}
	return v;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void parse_stop(const char *spec, bool *stop)
{
	char buf[256], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		enum sched_verdict v = sched_verdict_from_name(tok);

		if (!strcmp(tok, "none"))
			continue;
		if (v == SCHED_VERDICT_NR || v == SCHED_OK ||
		    v == SCHED_STEP_LIMIT) {
			fprintf(stderr, "explore: unknown class '%s'\n", tok);
			exit(2);
		}
		stop[v] = true;
	}
}

/* The programs at the front of path, zero-filled to the header size. */
static void read_program(const char *path, uint8_t *header, size_t size)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		exit(2);
	}
	memset(header, 0, size);
	if (fread(header, 1, size, f) == 0 && ferror(f)) {
		fprintf(stderr, "explore: %s: cannot read\n", path);
		exit(2);
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *strategy = NULL, *out = "explore-found.bin", *program = NULL;
	uint8_t header[256];
	uint64_t program_seed;
	long depth = 3, bound = 2, seed = 1, runs = 0, noise = -1;
	double seconds = 0, start, elapsed;
	bool stop[SCHED_VERDICT_NR] = { false };
	bool any_stop = false;
	struct sched_random_source rnd;
	struct sched_pct_source pct;
	static struct sched_dfs_source dfs;
	struct sched_decisions *src;
	const struct scenario *sc = NULL;
	struct sched_result res;
	unsigned long long n = 0, first_seen[SCHED_VERDICT_NR] = { 0 };
	uint32_t last_steps = 0;
	bool exhausted = false, seen_any = false;

	rmap_variant_from_env();
	target_memory_from_env("explore");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (a[0] != '-') {
			if (sc)
				usage("one scenario only");
			sc = scenario_find(a);
			if (!sc) {
				fprintf(stderr, "explore: unknown scenario '%s' "
					"(valid: %s)\n", a, scenario_names());
				return 2;
			}
			continue;
		}
		if (!v)
			usage("an option lacks its value");
		i++;
		if (!strcmp(a, "--strategy"))
			strategy = v;
		else if (!strcmp(a, "--depth"))
			depth = number(a, v);
		else if (!strcmp(a, "--bound"))
			bound = number(a, v);
		else if (!strcmp(a, "--seed"))
			seed = number(a, v);
		else if (!strcmp(a, "--runs"))
			runs = number(a, v);
		else if (!strcmp(a, "--seconds"))
			seconds = (double)number(a, v);
		else if (!strcmp(a, "--noise"))
			noise = number(a, v);
		else if (!strcmp(a, "--stop"))
			parse_stop(v, stop), any_stop = true;
		else if (!strcmp(a, "-o"))
			out = v;
		else if (!strcmp(a, "--program"))
			program = v;
		else if (!strcmp(a, "--variant")) {
			if (target_use_variant("explore", v))
				return 2;
		} else if (!strcmp(a, "--memory")) {
			if (target_use_memory("explore", v))
				return 2;
		} else
			usage("unknown option");
	}
	if (!sc || !strategy)
		usage("a scenario and --strategy are needed");
	if (noise >= 0 ? scenario_set_noise(sc, (int)noise) != 0 : 0)
		usage("--noise is out of range for this scenario");
	if (noise < 0)
		scenario_noise_from_env(sc);
	if (!any_stop)
		for (int v = SCHED_OK + 1; v < SCHED_STEP_LIMIT; v++)
			stop[v] = true;
	if (program && !sc->setup)
		usage("--program is for scenarios whose input holds programs");
	if (sc->setup && !program && !strcmp(strategy, "dfs"))
		usage("dfs explores the schedules of one --program");
	if (program)
		read_program(program, header, sc->header_size);
	program_seed = (uint64_t)seed ^ 0x70726f6772616dULL;

	if (!strcmp(strategy, "random")) {
		sched_random_source_init(&rnd, (uint64_t)seed);
		src = &rnd.base;
	} else if (!strcmp(strategy, "pct")) {
		sched_pct_source_init(&pct, (uint64_t)seed, (int)depth);
		src = &pct.base;
	} else if (!strcmp(strategy, "dfs")) {
		sched_dfs_source_init(&dfs, (int)bound);
		src = &dfs.base;
	} else {
		usage("--strategy is random, pct or dfs");
	}

	start = now();
	for (;;) {
		if (!strcmp(strategy, "pct"))
			sched_pct_next(&pct, last_steps);
		if (sc->setup && !program)
			for (size_t b = 0; b < sc->header_size; b++)
				header[b] = (uint8_t)sched_rand64(&program_seed);
		if (sc->setup)
			sc->setup(header, sc->header_size);
		sched_run(&sc->prog, src, &res);
		n++;
		last_steps = res.steps;
		for (int i = 0; i < res.nreports; i++) {
			enum sched_verdict v = res.reports[i].verdict;
			uint8_t bytes[SCHED_DFS_MAX_DEPTH];
			size_t len;
			FILE *f;

			if (!first_seen[v])
				first_seen[v] = n;
			if (!stop[v])
				continue;
			elapsed = now() - start;
			len = sched_decisions_to_bytes(bytes, sizeof(bytes));
			f = fopen(out, "wb");
			if (!f || (sc->setup && fwrite(header, 1, sc->header_size,
						       f) != sc->header_size) ||
			    fwrite(bytes, 1, len, f) != len || fclose(f)) {
				perror(out);
				return 2;
			}
			printf("explore: %s after %llu schedules, %.3f s "
			       "(%.0f schedules/s)\n", sched_verdict_name(v), n,
			       elapsed, n / (elapsed > 0 ? elapsed : 1e-9));
			printf("VIOLATION %s: %s (step %u)\n",
			       sched_verdict_name(v), res.reports[i].detail,
			       res.reports[i].step);
			printf("replay: out/replay --variant %s --memory %s "
			       "%s %s\n", rmap_variant->name,
			       sched_memory_name(), sc->name, out);
			return 1;
		}
		if (!strcmp(strategy, "dfs")) {
			if (dfs.diverged) {
				fprintf(stderr, "explore: dfs replay diverged: "
					"the scenario is not deterministic\n");
				return 3;
			}
			if (!sched_dfs_next(&dfs)) {
				exhausted = true;
				break;
			}
		}
		if ((runs && n >= (unsigned long long)runs) ||
		    (seconds > 0 && (n & 255) == 0 && now() - start >= seconds))
			break;
	}
	elapsed = now() - start;
	for (int v = SCHED_OK + 1; v < SCHED_VERDICT_NR; v++)
		seen_any |= first_seen[v] != 0;
	if (exhausted)
		printf("explore: %s within bound %ld, %llu schedules, %.3f s\n",
		       seen_any ? "every schedule run" : "no violation", bound,
		       n, elapsed);
	else
		printf("explore: no violation in %llu schedules, %.3f s (%.0f "
		       "schedules/s)\n", n, elapsed,
		       n / (elapsed > 0 ? elapsed : 1e-9));
	for (int v = SCHED_OK + 1; v < SCHED_VERDICT_NR; v++)
		if (first_seen[v])
			printf("explore: seen %s first at schedule %llu\n",
			       sched_verdict_name(v), first_seen[v]);
	return 0;
}
