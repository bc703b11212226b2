/*
 * target.c - running inputs for the fuzz targets and the replay tool.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../rmap/rmap.h"
#include "../sched/view.h"
#include "target.h"

#define MAX_INPUT (64u << 20)

/* Reads a whole regular file; NULL with a one-line error otherwise. */
uint8_t *target_read_file(const char *tool, const char *path, size_t *size)
{
	struct stat st;
	uint8_t *data;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", tool, path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: %s: %s\n", tool, path,
			S_ISDIR(st.st_mode) ? "is a directory"
					    : "not a regular file");
		fclose(f);
		return NULL;
	}
	if ((uint64_t)st.st_size > MAX_INPUT) {
		fprintf(stderr, "%s: %s: larger than %u bytes\n", tool, path,
			MAX_INPUT);
		fclose(f);
		return NULL;
	}
	data = malloc((size_t)st.st_size + 1);
	*size = fread(data, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: %s\n", tool, path, strerror(errno));
		free(data);
		data = NULL;
	}
	fclose(f);
	return data;
}

int target_use_variant(const char *tool, const char *name)
{
	const struct rmap_variant *v = rmap_variant_find(name);

	if (!v) {
		fprintf(stderr, "%s: unknown variant '%s' (valid: %s)\n", tool,
			name, rmap_variant_names());
		return -1;
	}
	rmap_variant = v;
	return 0;
}

int target_use_memory(const char *tool, const char *name)
{
	if (sched_set_memory(name)) {
		fprintf(stderr, "%s: unknown memory model '%s' (valid: sc, weak, "
			"weak-alpha)\n", tool, name);
		return -1;
	}
	return 0;
}

void target_memory_from_env(const char *tool)
{
	const char *e = getenv("SCHED_MEMORY");

	if (e && *e && target_use_memory(tool, e))
		exit(2);
}

static char error[200];
static int text_failed_line;
static uint8_t programs[256];	/* the last run's, header_size bytes */

const uint8_t *target_programs(void)
{
	return programs;
}

static void set_programs(const struct scenario *sc, const uint8_t *data,
			 size_t size)
{
	memset(programs, 0, sizeof(programs));
	memcpy(programs, data, size < sc->header_size ? size : sc->header_size);
	sc->setup(programs, sc->header_size);
}

const char *target_error(void)
{
	return error;
}

int target_text_failed_line(void)
{
	return text_failed_line;
}

/* A text schedule: its programs, then its lines as the decisions. */
static int run_text(const struct scenario *sc, const uint8_t *data,
		    size_t size, struct sched_result *res)
{
	static struct sched_text t;
	struct sched_text_source src;

	if (sched_text_parse((const char *)data, size, &t, error,
			     sizeof(error)))
		return -1;
	if (t.has_programs && !sc->setup) {
		snprintf(error, sizeof(error), "%s takes no programs line",
			 sc->name);
		sched_text_free(&t);
		return -1;
	}
	if (sc->setup)
		set_programs(sc, t.programs, t.nprograms);
	for (size_t i = 0; i < t.q[SCHED_DECIDE_CPU].n; i++) {
		const struct sched_text_entry *e = &t.q[SCHED_DECIDE_CPU].v[i];

		if (e->label >= sc->prog.ncpus) {
			snprintf(error, sizeof(error), "line %d: cpu %d, but "
				 "this %s has %d CPUs", e->line, e->label,
				 sc->name, sc->prog.ncpus);
			sched_text_free(&t);
			return -1;
		}
	}
	sched_text_source_init(&src, &t);
	sched_run(&sc->prog, &src.base, res);
	text_failed_line = src.failed_line;
	sched_text_free(&t);
	return 0;
}

int target_run(const struct scenario *sc, const uint8_t *data, size_t size,
	       struct sched_result *res)
{
	struct sched_bytes_source src;

	error[0] = 0;
	text_failed_line = 0;
	if (sched_text_is(data, size))
		return run_text(sc, data, size, res);
	if (sc->setup) {
		size_t used = size < sc->header_size ? size : sc->header_size;

		set_programs(sc, data, used);
		data += used;
		size -= used;
	}
	sched_bytes_source_init(&src, data, size);
	sched_run(&sc->prog, &src.base, res);
	return 0;
}

bool target_print_verdicts(FILE *out, const struct sched_result *res)
{
	bool violation = false;

	for (int i = 0; i < res->nreports; i++) {
		const struct sched_report *r = &res->reports[i];

		if (r->verdict == SCHED_STEP_LIMIT) {
			fprintf(out, "STEP-LIMIT: %s\n", r->detail);
			continue;
		}
		fprintf(out, "VIOLATION %s: %s (step %u)\n",
			sched_verdict_name(r->verdict), r->detail, r->step);
		violation = true;
	}
	if (!res->nreports)
		fprintf(out, "OK\n");
	return violation;
}

/* ---- libFuzzer ---------------------------------------------------------- */

static struct {
	const struct scenario *sc;
	bool stop[SCHED_VERDICT_NR];
	const char *findings;
	bool found[SCHED_VERDICT_NR];
	struct timespec start;
	unsigned long long runs;
} fz;

static void parse_stop(const char *spec)
{
	char buf[256], *tok, *save;

	if (!spec || !*spec)
		spec = "all";
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		enum sched_verdict v = sched_verdict_from_name(tok);

		if (strcmp(tok, "all") == 0) {
			for (v = SCHED_OK + 1; v < SCHED_STEP_LIMIT; v++)
				fz.stop[v] = true;
		} else if (strcmp(tok, "none") != 0) {
			if (v == SCHED_VERDICT_NR || v == SCHED_OK ||
			    v == SCHED_STEP_LIMIT) {
				fprintf(stderr, "schedfuzz: unknown class '%s' "
					"in SCHED_STOP\n", tok);
				exit(2);
			}
			fz.stop[v] = true;
		}
	}
}

/*
 * Each input byte is one scheduling decision, and a race needs its first
 * few decisions right, not a short input: libFuzzer's length control
 * (inputs of 4 bytes at first, longer only after a stall) held back the
 * decisions the mail's race needs for ~500 runs.  So, unless the command
 * line says otherwise, -len_control=0 (bench/run.sh: the median schedules
 * to the first stale-reused went from 460 to 62 at N = 0, 582 to 60 at
 * N = 8).
 */
void target_fuzz_flags(int *argc, char ***argv)
{
	static char len_control[] = "-len_control=0";
	char **args;

	for (int i = 1; i < *argc; i++)
		if (!strncmp((*argv)[i], "-len_control=", 13))
			return;
	args = calloc((size_t)*argc + 2, sizeof(*args));
	if (!args)
		return;
	memcpy(args, *argv, (size_t)*argc * sizeof(*args));
	args[(*argc)++] = len_control;
	*argv = args;
}

void target_fuzz_init(const char *scenario)
{
	fz.sc = scenario_find(scenario);
	if (!fz.sc) {
		fprintf(stderr, "schedfuzz: unknown scenario '%s'\n", scenario);
		exit(2);
	}
	rmap_variant_from_env();
	target_memory_from_env("schedfuzz");
	scenario_noise_from_env(fz.sc);
	parse_stop(getenv("SCHED_STOP"));
	if (sched_cov_parse(getenv("SCHED_FEATURES") ? getenv("SCHED_FEATURES") :
			    target_default_features())) {
		fprintf(stderr, "schedfuzz: SCHED_FEATURES takes switch, rf, "
			"lock, alloc, all or none\n");
		exit(2);
	}
	fz.findings = getenv("SCHED_FINDINGS");
	clock_gettime(CLOCK_MONOTONIC, &fz.start);
}

/* Under weak memory which store a load read is half of what an input
 * decides, so the reads-from pairs are features too. */
const char *target_default_features(void)
{
	return strcmp(sched_memory_name(), "sc") ? "lock,alloc,rf" : "lock,alloc";
}

static double elapsed(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - fz.start.tv_sec) +
	       (now.tv_nsec - fz.start.tv_nsec) / 1e9;
}

/* Logs the first input of each class, with the time it took to find. */
static void log_finding(enum sched_verdict v, const uint8_t *data, size_t size)
{
	char path[4096];
	FILE *f;

	if (fz.found[v])
		return;
	fz.found[v] = true;
	fprintf(stderr, "schedfuzz: first %s on %s after %.3f s, %llu runs\n",
		sched_verdict_name(v), rmap_variant->name, elapsed(), fz.runs);
	snprintf(path, sizeof(path), "%s/%s", fz.findings, sched_verdict_name(v));
	f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, size, f);
		fclose(f);
	}
}

int target_fuzz_one(const char *scenario, const uint8_t *data, size_t size)
{
	struct sched_result res;
	bool stop = false;

	if (!fz.sc)
		target_fuzz_init(scenario);
	fz.runs++;
	if (target_run(fz.sc, data, size, &res))
		return 0;	/* a text schedule that does not parse */
	for (int i = 0; i < res.nreports; i++) {
		enum sched_verdict v = res.reports[i].verdict;

		if (fz.findings && v != SCHED_STEP_LIMIT)
			log_finding(v, data, size);
		stop |= fz.stop[v];
	}
	if (stop) {
		struct sched_view view;

		fprintf(stderr, "\n==schedfuzz== %s on %s, after %llu runs, "
			"%.3f s\n", fz.sc->name, rmap_variant->name, fz.runs,
			elapsed());
		/* what the first violation depends on, as for a mail */
		sched_view_init(&view, fz.sc->prog.ncpus, &res);
		view.describe = fz.sc->describe;
		sched_view_mail(stderr, &view);
		fprintf(stderr, "replay: out/replay --variant %s %s <crash file> "
			"(every event; --svg OUT.svg draws it)\n",
			rmap_variant->name, fz.sc->name);
		abort();
	}
	return 0;
}
