/*
 * replay - run inputs once each and show what happened, without libFuzzer.
 *
 *   out/replay [--variant NAME] [--memory MODEL] [--events] [--hash]
 *              [--quiet] SCENARIO FILE...
 *   out/replay --list
 *   out/replay [--variant NAME] --dump SCENARIO FILE...
 *   out/replay [--variant NAME] --binary OUT SCENARIO FILE
 *   out/replay [--variant NAME] --minimize -o OUT SCENARIO FILE
 *   out/replay [--variant NAME] [VIEW] --svg OUT.svg SCENARIO FILE
 *   out/replay [--variant NAME] [VIEW] --mail SCENARIO FILE...
 *
 * VIEW: --width N (columns of the text views), --cpus 0,2,... (the CPUs
 * drawn), --steps A-B (A-: to the end), --full (SVG: nothing folded).
 *
 * Prints the per-CPU column diagram and the verdict of each input, binary
 * or text schedule.  --dump prints each input as a text schedule instead;
 * --binary writes the input as a binary one (its programs, then one byte
 * per decision: the canonical form, which replays the same execution).
 * --minimize writes to OUT the text schedule with the fewest preemptions,
 * then the fewest context switches, that still shows the input's first
 * violation class, and says what it saved.  --svg draws the execution
 * (sched/trace_svg.c: the causal slice of the first violation highlighted,
 * its arrows, the rest faded).  --mail prints the slice within 80
 * columns (sched/mail.c), the picture for a mail.
 * Exit status: 0 no violation, 1 a violation, 2 a usage or input error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../rmap/rmap.h"
#include "../scenarios/litmus.h"
#include "../sched/slice.h"
#include "../sched/view.h"
#include "target.h"

static void usage(void)
{
	fprintf(stderr, "usage: replay [--variant NAME] [--memory sc|weak|"
		"weak-alpha] [--events] [--hash] "
		"[--quiet] [--width N] [--cpus N,...] [--steps A-B] [--full] "
		"[--dump | --binary OUT | --minimize -o OUT | --svg OUT.svg | "
		"--mail] SCENARIO FILE...\n");
	exit(2);
}

/* --list: the scenarios, the litmus tests with LKMM's verdict. */
static void list_scenarios(void)
{
	printf("lock_anon_vma\nrmap_ops\n");
	for (size_t i = 0; i < litmus_count(); i++)
		printf("litmus/%s\t# LKMM: %s\n", litmus_test(i)->name,
		       litmus_test(i)->lkmm == SOMETIMES ? "Sometimes" : "Never");
}

static uint8_t *minimize_data;
static size_t minimize_size;

/* --minimize: the input's first violation, with the fewest preemptions. */
static int minimize_to(const struct scenario *sc, const char *path,
		       const struct sched_result *res, const char *out)
{
	struct target_min_result m;
	enum sched_verdict v;
	FILE *f;

	if (!res->nreports || res->reports[0].verdict == SCHED_STEP_LIMIT) {
		fprintf(stderr, "replay: %s: no violation to keep\n", path);
		return 2;
	}
	v = res->reports[0].verdict;
	if (target_minimize(sc, minimize_data, minimize_size, v, &m)) {
		fprintf(stderr, "replay: %s: cannot minimize\n", path);
		return 2;
	}
	f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", out, strerror(errno));
		return 2;
	}
	sched_print_text(f, target_programs(), sc->header_size);
	if (fclose(f)) {
		fprintf(stderr, "replay: %s: %s\n", out, strerror(errno));
		return 2;
	}
	printf("minimized %s (%s): %u steps, %u preemptions -> %u steps, "
	       "%u preemptions, %zu runs, in %s\n", path,
	       sched_verdict_name(v), m.before_steps, m.before_preemptions,
	       m.after_steps, m.after_preemptions, m.runs, out);
	free(minimize_data);
	return 1;
}

/* The view options, and what the title says. */
static struct sched_view view;
static char title[512];

/* N, or N-M for --steps; exits 2 with one line when it is not. */
static unsigned long number(const char *opt, const char *s, char **end,
			    unsigned long min, unsigned long max)
{
	unsigned long n;

	errno = 0;
	n = strtoul(s, end, 10);
	if (errno || *end == s || *s == '-' || *s == '+' || n < min ||
	    n > max) {
		fprintf(stderr, "replay: %s: '%s' is not a number from %lu to "
			"%lu\n", opt, s, min, max);
		exit(2);
	}
	return n;
}

static void parse_view_option(const char *opt, const char *arg)
{
	const char *all = arg;
	char *end;

	if (!strcmp(opt, "--width")) {
		view.width = (int)number(opt, arg, &end, 40, 1000);
	} else if (!strcmp(opt, "--cpus")) {
		do {
			view.cpus |= 1u << number(opt, arg, &end, 0,
						  SCHED_MAX_CPUS - 1);
			arg = end + 1;
		} while (*end == ',');
	} else {
		view.first = (uint32_t)number(opt, arg, &end, 0, UINT32_MAX);
		if (*end == '-' && end[1])
			view.last = (uint32_t)number(opt, end + 1, &end,
						     view.first, UINT32_MAX);
		else if (*end == '-')
			end++;
	}
	if (*end) {
		fprintf(stderr, "replay: %s: '%s' is not %s\n", opt, all,
			!strcmp(opt, "--steps") ? "A-B or A-" :
			!strcmp(opt, "--cpus") ? "a list like 0,2" : "a number");
		exit(2);
	}
}

/* The view of the last run of FILE: its title, its reports; -1 after one
 * line when --cpus names a CPU the run does not have. */
static int view_of(const struct scenario *sc, const char *path,
		   const struct sched_result *res)
{
	const char *noise = getenv("SCHED_NOISE");

	if (view.cpus >> sc->prog.ncpus) {
		fprintf(stderr, "replay: --cpus: %s runs %d CPUs\n", path,
			sc->prog.ncpus);
		return -1;
	}
	view.ncpus = sc->prog.ncpus;
	view.res = res;
	view.describe = sc->describe;
	snprintf(title, sizeof(title), "%s on %s, memory %s%s%s: %s", sc->name,
		 rmap_variant->name, sched_memory_name(),
		 sc->max_noise ? ", noise " : "",
		 sc->max_noise ? (noise && *noise ? noise : "0") : "", path);
	view.title = title;
	return 0;
}

static int write_svg(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	sched_view_svg(f, &view);
	if (fclose(f)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The last execution as a canonical binary input. */
static int write_binary(const char *path, const struct scenario *sc)
{
	static uint8_t bytes[1u << 16];
	size_t n = sched_decisions_to_bytes(bytes, sizeof(bytes));
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(target_programs(), 1, sc->header_size, f) !=
			  sc->header_size ||
	    fwrite(bytes, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	bool events = false, hash = false, quiet = false, dump = false;
	const char *binary = NULL, *min_out = NULL, *svg = NULL;
	bool minimize = false, mail = false;
	const struct scenario *sc;
	int i, status = 0;

	rmap_variant_from_env();
	target_memory_from_env("replay");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--variant") == 0 && i + 1 < argc) {
			if (target_use_variant("replay", argv[++i]))
				return 2;
		} else if (strcmp(argv[i], "--memory") == 0 && i + 1 < argc) {
			if (target_use_memory("replay", argv[++i]))
				return 2;
		} else if (strcmp(argv[i], "--list") == 0) {
			list_scenarios();
			return 0;
		} else if (strcmp(argv[i], "--events") == 0) {
			events = true;
		} else if (strcmp(argv[i], "--hash") == 0) {
			hash = true;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			quiet = true;
		} else if (strcmp(argv[i], "--dump") == 0) {
			dump = true;
		} else if (strcmp(argv[i], "--binary") == 0 && i + 1 < argc) {
			binary = argv[++i];
		} else if (strcmp(argv[i], "--svg") == 0 && i + 1 < argc) {
			svg = argv[++i];
		} else if (strcmp(argv[i], "--mail") == 0) {
			mail = true;
		} else if (strcmp(argv[i], "--full") == 0) {
			view.full = true;
		} else if ((!strcmp(argv[i], "--width") ||
			    !strcmp(argv[i], "--cpus") ||
			    !strcmp(argv[i], "--steps")) && i + 1 < argc) {
			parse_view_option(argv[i], argv[i + 1]);
			i++;
		} else if (strcmp(argv[i], "--minimize") == 0) {
			minimize = true;
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			min_out = argv[++i];
		} else {
			usage();
		}
	}
	if (argc - i < 2 || (binary && (dump || argc - i != 2)) ||
	    minimize != (min_out != NULL) ||
	    (minimize && (dump || binary || argc - i != 2)) ||
	    (svg && (dump || binary || minimize || argc - i != 2)) ||
	    (mail && (dump || binary || minimize || svg)))
		usage();
	sc = scenario_find(argv[i]);
	if (!sc) {
		fprintf(stderr, "replay: unknown scenario '%s' (valid: %s)\n",
			argv[i], scenario_names());
		return 2;
	}
	scenario_noise_from_env(sc);
	for (i++; i < argc; i++) {
		struct sched_result res;
		size_t size = 0;
		uint8_t *data = target_read_file("replay", argv[i], &size);

		if (!data) {
			status = 2;
			continue;
		}
		if (target_run(sc, data, size, &res)) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
				target_error());
			free(data);
			status = 2;
			continue;
		}
		if (!minimize)
			free(data);
		else
			minimize_data = data, minimize_size = size;
		if (target_text_failed_line())
			fprintf(stderr, "replay: %s: line %d: not a choice the "
				"schedule had there; the default was taken\n",
				argv[i], target_text_failed_line());
		if (dump) {
			sched_print_text(stdout, target_programs(),
					 sc->header_size);
			continue;
		}
		if (minimize)
			return minimize_to(sc, argv[i], &res, min_out);
		if (binary) {
			if (write_binary(binary, sc))
				return 2;
			continue;
		}
		if (view_of(sc, argv[i], &res))
			return 2;
		if (svg && write_svg(svg))
			return 2;
		if (mail) {
			sched_view_mail(stdout, &view);
			if (sched_first_violation(&res) >= 0 && status == 0)
				status = 1;
			continue;
		}
		printf("== %s: %s on %s, memory %s, %zu bytes, %u steps\n",
		       argv[i], sc->name, rmap_variant->name,
		       sched_memory_name(), size, res.steps);
		if (sc->describe)
			sc->describe(stdout);
		if (events)
			sched_print_events(stdout);
		if (!quiet)
			sched_view_diagram(stdout, &view);
		if (hash)
			printf("trace-hash %016llx\n",
			       (unsigned long long)sched_trace_hash());
		if (target_print_verdicts(stdout, &res) && status == 0)
			status = 1;
	}
	return status;
}
