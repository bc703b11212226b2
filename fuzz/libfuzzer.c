/*
 * libfuzzer.c - the body of every libFuzzer target: configuration, one
 * input, what a find prints and writes.
 *
 * Environment: the settings (target.h), SCHED_STOP (classes that abort,
 * default all), SCHED_FEATURES (schedule coverage, coverage.c),
 * SCHED_FINDINGS=DIR (the first input of each class, bytes and text).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../sched/view.h"
#include "sha1.h"
#include "target.h"

static struct {
	const struct scenario *sc;
	struct target_settings user;
	bool stop[SCHED_MAX_CLASSES + 1];
	const char *stop_spec;
	const char *findings;
	/* per class: when first found, after how many runs, where kept */
	bool found[SCHED_MAX_CLASSES + 1];
	double found_at[SCHED_MAX_CLASSES + 1];
	unsigned long long found_run[SCHED_MAX_CLASSES + 1];
	struct timespec start;
	unsigned long long runs;
	bool files;		/* run on files, not fuzzing: strict inputs */
	const char *artifact_prefix, *exact_artifact;
	const char *argv0;
} fz;

static const char help[] =
	"usage: fuzz_SCENARIO [libFuzzer flags] [CORPUS_DIR... | FILE...]\n"
	"       fuzz SCENARIO [libFuzzer flags] [CORPUS_DIR... | FILE...]\n"
	"A libFuzzer target: each input is one schedule of the scenario (its\n"
	"programs first, for scenarios that have them); a text schedule\n"
	"(docs/schedules.md) is read as one.  libFuzzer's own flags: -help=1.\n"
	"Settings (the environment):\n"
	"%s"
	"  SCHED_STOP=all|none|CLASS,...   classes that stop the run (default all)\n"
	"  SCHED_FEATURES=LIST|all|none    coverage: switch, rf, lock, alloc, model\n"
	"                                  (default lock,alloc,model; weak: +rf)\n"
	"  SCHED_FINDINGS=DIR              keep the first input of each class\n"
	"  SCHED_BACKEND=fiber|pthread     how CPUs run (default fiber)\n"
	"  SCHED_RACES=lkmm|kcsan|off      data races of plain-C scenarios\n"
	"On a find: the verdict, the diagram, crash-<sha1> (bytes) and\n"
	"crash-<sha1>.txt (the same schedule as self-describing text) beside\n"
	"it, and the replay command.\n"
	"Exit status: 0 done; 1 (libFuzzer's) a find; 2 a bad setting.\n";

static double elapsed(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - fz.start.tv_sec) +
	       (now.tv_nsec - fz.start.tv_nsec) / 1e9;
}

const char *target_default_features(void)
{
	return strcmp(sched_memory_name(), "sc") ? "lock,alloc,rf,model"
						 : "lock,alloc,model";
}

/*
 * Each input byte is one scheduling decision, and a race needs its first
 * few decisions right, not a short input: libFuzzer's length control
 * (inputs of 4 bytes at first, longer only after a stall) held back the
 * decisions the mail's race needs.  So -len_control=0 unless the command
 * line says (measured in docs/benchmark.md, "Measurements behind design
 * choices").
 */
static void add_default_flags(int *argc, char ***argv)
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

/* The generic target's scenario: SCHED_SCENARIO, or its first argument
 * when that names one (taken off, so libFuzzer never sees it). */
static const char *scenario_argument(int *argc, char ***argv)
{
	const char *env = getenv("SCHED_SCENARIO");

	if (*argc > 1 && (*argv)[1][0] != '-' && scenario_find((*argv)[1])) {
		const char *name = (*argv)[1];

		memmove(*argv + 1, *argv + 2, (size_t)(*argc - 1) * sizeof(char *));
		(*argc)--;
		return name;
	}
	return env && *env ? env : NULL;
}

/* A file given to run: its input must load and its settings hold, checked
 * here, before libFuzzer watches exit(). */
static void check_file(const char *path)
{
	const struct scenario *sc;
	struct target_input in;
	size_t size;
	uint8_t *data = target_read_file("schedfuzz", path, &size);
	bool bad;

	if (!data)
		exit(TARGET_EXIT_USAGE);
	bad = target_load(&in, data, size, true) ||
	      target_configure(&fz.user, &in, false, &sc);
	target_unload(&in);
	free(data);
	if (bad) {
		fprintf(stderr, "schedfuzz: %s: %s\n", path, target_error());
		exit(TARGET_EXIT_USAGE);
	}
}

/* What libFuzzer will do with its arguments: files to run (checked),
 * where it writes a crash. */
static void read_flags(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (!strncmp(argv[i], "-artifact_prefix=", 17))
			fz.artifact_prefix = argv[i] + 17;
		else if (!strncmp(argv[i], "-exact_artifact_path=", 21))
			fz.exact_artifact = argv[i] + 21;
		else if (argv[i][0] != '-' && !stat(argv[i], &st) &&
			 S_ISREG(st.st_mode)) {
			fz.files = true;
			check_file(argv[i]);
		}
	}
}

/* SCHED_FINDINGS: a folder (made when missing) this process can write
 * to. */
static void check_findings(void)
{
	struct stat st;

	fz.findings = getenv("SCHED_FINDINGS");
	if (!fz.findings)
		return;
	if (*fz.findings)
		mkdir(fz.findings, 0777);
	if (!*fz.findings || stat(fz.findings, &st) || !S_ISDIR(st.st_mode) ||
	    access(fz.findings, W_OK)) {
		fprintf(stderr, "schedfuzz: SCHED_FINDINGS=%s: %s\n", fz.findings,
			!*fz.findings ? "empty" :
			stat(fz.findings, &st) ? strerror(errno) :
			!S_ISDIR(st.st_mode) ? "not a folder" :
			"not writable");
		exit(TARGET_EXIT_USAGE);
	}
}

static void summary(void);

/* A built-in value: NULL for none ("-" in fuzz/ci-targets). */
static const char *given(const char *v)
{
	return v && *v && strcmp(v, "-") ? v : NULL;
}

/* Expected classes leave the stop set: any other class is a finding. */
static void stop_but_expected(const char *expect)
{
	bool exp[SCHED_MAX_CLASSES + 1];

	target_parse_classes("schedfuzz", "SCHED_STOP", "all", fz.stop);
	if (!given(expect))
		return;
	if (!target_parse_classes("schedfuzz", "its expected classes", expect,
				  exp))
		exit(TARGET_EXIT_USAGE);
	for (int c = 0; c <= SCHED_MAX_CLASSES; c++)
		fz.stop[c] &= !exp[c];
}

void target_fuzz_init(const struct target_fuzz_config *cfg, int *argc,
		      char ***argv)
{
	const char *spec, *features, *scenario = given(cfg->scenario);
	static char stop_line[512];

	fz.argv0 = (*argv)[0];
	for (int i = 1; i < *argc; i++)
		target_help_version((*argv)[i], help);
	if (!scenario)
		scenario = scenario_argument(argc, argv);
	add_default_flags(argc, argv);
	target_settings_env(&fz.user, "schedfuzz");
	if (scenario)
		target_settings_option(&fz.user, "schedfuzz", "--scenario",
				       scenario);
	if (given(cfg->variant) && !fz.user.from[SCHED_SET_VARIANT])
		target_settings_option(&fz.user, "schedfuzz", "--variant",
				       cfg->variant);
	if (given(cfg->memory) && !fz.user.from[SCHED_SET_MEMORY])
		target_settings_option(&fz.user, "schedfuzz", "--memory",
				       cfg->memory);
	if (target_configure(&fz.user, NULL, false, &fz.sc)) {
		fprintf(stderr, "schedfuzz: %s\n", target_error());
		exit(TARGET_EXIT_USAGE);
	}
	read_flags(*argc, *argv);
	target_configure(&fz.user, NULL, false, &fz.sc);
	if (getenv("SCHED_BACKEND") && sched_set_backend(getenv("SCHED_BACKEND"))) {
		fprintf(stderr, "schedfuzz: unknown SCHED_BACKEND '%s' (fiber, "
			"pthread)\n", getenv("SCHED_BACKEND"));
		exit(TARGET_EXIT_USAGE);
	}
	if (getenv("SCHED_RACES") && sched_set_race_mode(getenv("SCHED_RACES"))) {
		fprintf(stderr, "schedfuzz: unknown SCHED_RACES '%s' (valid: "
			"lkmm, kcsan, off)\n", getenv("SCHED_RACES"));
		exit(TARGET_EXIT_USAGE);
	}
	spec = getenv("SCHED_STOP");
	if (spec) {
		fz.stop_spec = spec;
		if (!target_parse_classes("schedfuzz", "SCHED_STOP", spec,
					  fz.stop))
			exit(TARGET_EXIT_USAGE);
	} else {
		stop_but_expected(cfg->expect);
		snprintf(stop_line, sizeof(stop_line), "all%s%s",
			 given(cfg->expect) ? " but the expected " : "",
			 given(cfg->expect) ? cfg->expect : "");
		fz.stop_spec = stop_line;
	}
	features = getenv("SCHED_FEATURES");
	if (!features)
		features = target_default_features();
	if (sched_cov_parse(features)) {
		fprintf(stderr, "schedfuzz: SCHED_FEATURES=%s: takes switch, rf, "
			"lock, alloc, model, all or none\n", features);
		exit(TARGET_EXIT_USAGE);
	}
	check_findings();
	fprintf(stderr, "schedfuzz: %s, %s; stops on %s; features %s%s%s\n",
		fz.sc->name, target_settings_line(), fz.stop_spec, features,
		fz.findings ? "; findings in " : "",
		fz.findings ? fz.findings : "");
	atexit(summary);
	clock_gettime(CLOCK_MONOTONIC, &fz.start);
}

/* At the end of a run that went on past its finds: a table of them. */
static void summary(void)
{
	bool any = false;

	for (size_t i = 0; i < sched_class_count(); i++)
		any |= fz.found[sched_class_at(i)->id];
	if (!any)
		return;
	fprintf(stderr, "schedfuzz: found, %llu runs in %.1f s:\n", fz.runs,
		elapsed());
	fprintf(stderr, "  %-24s %10s %12s  %s\n", "class", "first (s)",
		"after runs", "kept in");
	for (size_t i = 0; i < sched_class_count(); i++) {
		const struct sched_class *c = sched_class_at(i);

		if (fz.found[c->id])
			fprintf(stderr, "  %-24s %10.3f %12llu  %s%s%s\n", c->name,
				fz.found_at[c->id], fz.found_run[c->id],
				fz.findings ? fz.findings : "-",
				fz.findings ? "/" : "", fz.findings ? c->name : "");
	}
}

/* The input as bytes at path and as self-describing text at path.txt. */
static void keep(const char *path, const uint8_t *data, size_t size)
{
	char text[4096];
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		fprintf(stderr, "schedfuzz: %s: %s\n", path, strerror(errno));
	snprintf(text, sizeof(text), "%s.txt", path);
	target_write_text("schedfuzz", text, fz.sc);
}

/* Logs the first input of each class, with the time it took to find. */
static void log_finding(const struct sched_class *c, const uint8_t *data,
			size_t size)
{
	char path[4096];

	if (fz.found[c->id])
		return;
	fz.found[c->id] = true;
	fz.found_at[c->id] = elapsed();
	fz.found_run[c->id] = fz.runs;
	fprintf(stderr, "schedfuzz: first %s on %s after %.3f s, %llu runs\n",
		c->name, fz.sc->name, fz.found_at[c->id], fz.runs);
	if (fz.findings) {
		snprintf(path, sizeof(path), "%s/%s", fz.findings, c->name);
		keep(path, data, size);
	}
}

/* A find the user stops on: say everything needed to see and replay it,
 * write the text schedule beside libFuzzer's crash file, then abort (for
 * libFuzzer to write that file). */
static void crash(const struct sched_result *res, const uint8_t *data,
		  size_t size)
{
	char sha[41], path[4096], cmd[8192];
	struct sched_view view;

	sha1_hex(data, size, sha);
	if (fz.exact_artifact)
		snprintf(path, sizeof(path), "%s.txt", fz.exact_artifact);
	else
		snprintf(path, sizeof(path), "%scrash-%s.txt",
			 fz.artifact_prefix ? fz.artifact_prefix : "", sha);
	fprintf(stderr, "\n==schedfuzz== %s, %s, after %llu runs, %.3f s\n",
		fz.sc->name, target_settings_line(), fz.runs, elapsed());
	/* what the first violation depends on, as for a mail; replay
	 * draws every event */
	sched_view_init(&view, target_ncpus(), res);
	view.describe = fz.sc->describe;
	sched_view_mail(stderr, &view);
	fprintf(stderr, "trace-hash %016llx\n",
		(unsigned long long)sched_trace_hash());
	target_print_verdicts(stderr, res);
	if (target_write_text("schedfuzz", path, fz.sc) == 0) {
		target_replay_command(cmd, sizeof(cmd), fz.argv0, path);
		fprintf(stderr, "schedfuzz: the schedule as text: %s\n", path);
		fprintf(stderr, "replay: %s\n", cmd);
	}
	abort();
}

int target_fuzz_one(const uint8_t *data, size_t size)
{
	struct target_input in;
	struct sched_result res;
	bool stop = false, bad;

	fz.runs++;
	if (fz.files) {		/* a file the user gave: its header counts */
		bad = target_load(&in, data, size, true) ||
		      target_configure(&fz.user, &in, false, &fz.sc) ||
		      target_exec(fz.sc, &in, &res);
		target_unload(&in);
		if (bad) {	/* checked at start: not met here */
			fprintf(stderr, "schedfuzz: %s\n", target_error());
			_exit(TARGET_EXIT_USAGE);
		}
	} else if (target_run(fz.sc, data, size, &res)) {
		return 0;	/* a text input that cannot run is no input */
	}
	for (int i = 0; i < res.nreports; i++) {
		const struct sched_class *c = res.reports[i].verdict;

		if (!(c->flags & SCHED_CLASS_NOT_BUG))
			log_finding(c, data, size);
		stop |= fz.stop[c->id];
	}
	if (stop)
		crash(&res, data, size);
	return 0;
}
