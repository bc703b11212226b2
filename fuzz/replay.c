/*
 * replay - run inputs once each and show what happened, without libFuzzer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../sched/slice.h"
#include "../sched/view.h"
#include "target.h"

static const char help[] =
	"usage: replay [OPTIONS] [SCENARIO] FILE...   (FILE - : standard input)\n"
	"       replay --list | --list-classes | --help | --version\n"
	"Runs each input (a text schedule, or bytes) once and prints the\n"
	"programs, the per-CPU diagram, the verdict and the trace hash.  A text\n"
	"schedule's header names its scenario and settings; SCENARIO is needed\n"
	"for inputs that do not.\n"
	"Options:\n"
	"%s"
	"  --override          the settings above win over a file's header\n"
	"  --events            the numbered event list too\n"
	"  --quiet             no diagram\n"
	"  --dump              print each input as a self-describing text\n"
	"                      schedule instead\n"
	"  --binary OUT        write the input as bytes (its programs, then one\n"
	"                      byte per decision: the canonical form)\n"
	"  --minimize -o OUT   write the text schedule with the fewest\n"
	"                      preemptions, then switches, that still shows the\n"
	"                      input's first violation\n"
	"  --svg OUT.svg       draw the execution: the causal slice of its first\n"
	"                      violation highlighted, the rest faded and folded\n"
	"  --full              the SVG with nothing folded or faded\n"
	"  --mail              only the slice, within 80 columns, for a mail\n"
	"  --width N           the text views' columns in all (40 to 1000)\n"
	"  --cpus N,...        draw these CPUs only\n"
	"  --steps A-B         draw these steps only (A-: to the end)\n"
	"Environment: the variables above, SCHED_BACKEND=fiber|pthread.\n"
	"Exit status: 0 no violation, 1 a violation, 2 a usage, input or\n"
	"setting error.\n";

static void usage(const char *why)
{
	fprintf(stderr, "replay: %s (replay --help)\n", why);
	exit(TARGET_EXIT_USAGE);
}

/* --list: every scenario, its summary and variants. */
static void list_scenarios(void)
{
	char names[2048];

	for (size_t i = 0; i < scenario_count(); i++) {
		const struct scenario *sc = scenario_at(i);

		printf("%-40s %s\n", sc->name, sc->summary ? sc->summary : "");
		if (sc->variants)
			printf("%-40s   variants (SCHED_VARIANT%s%s): %s\n", "",
			       sc->variant_env ? " or " : "",
			       sc->variant_env ? sc->variant_env : "",
			       scenario_variant_names(sc, names, sizeof(names)));
	}
}

static void list_classes(void)
{
	for (size_t i = 0; i < sched_class_count(); i++) {
		const struct sched_class *c = sched_class_at(i);

		printf("%-24s %s%s\n", c->name, c->meaning,
		       c->flags & SCHED_CLASS_FATAL ? "" :
		       " (the execution goes on)");
	}
}

struct options {
	struct target_settings user;
	bool override, events, quiet, dump, minimize, mail;
	const char *binary, *min_out, *svg;
	struct sched_view view;	/* --width, --cpus, --steps, --full */
};

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
		exit(TARGET_EXIT_USAGE);
	}
	return n;
}

/* --width, --cpus, --steps into v; false for another option. */
static bool view_option(struct sched_view *v, const char *opt,
			const char *arg)
{
	const char *all = arg;
	char *end;

	if (!strcmp(opt, "--width")) {
		v->width = (int)number(opt, arg, &end, 40, 1000);
	} else if (!strcmp(opt, "--cpus")) {
		do {
			v->cpus |= 1ull << number(opt, arg, &end, 0,
						  SCHED_MAX_CPUS - 1);
			arg = end + 1;
		} while (*end == ',');
	} else if (!strcmp(opt, "--steps")) {
		v->first = (uint32_t)number(opt, arg, &end, 0, UINT32_MAX);
		if (*end == '-' && end[1])
			v->last = (uint32_t)number(opt, end + 1, &end,
						   v->first, UINT32_MAX);
		else if (*end == '-')
			end++;
	} else {
		return false;
	}
	if (*end) {
		fprintf(stderr, "replay: %s: '%s' is not %s\n", opt, all,
			!strcmp(opt, "--steps") ? "A-B or A-" :
			!strcmp(opt, "--cpus") ? "a list like 0,2" : "a number");
		exit(TARGET_EXIT_USAGE);
	}
	return true;
}

/* The view of the last run of path; -1 after one line when --cpus names
 * a CPU the run does not have. */
static int view_of(const struct options *o, const struct scenario *sc,
		   const char *path, const struct sched_result *res,
		   struct sched_view *v)
{
	static char title[4608];
	int ncpus = target_ncpus();

	*v = o->view;
	if (ncpus < SCHED_MAX_CPUS && v->cpus >> ncpus) {
		fprintf(stderr, "replay: --cpus: %s runs %d CPUs\n", path,
			ncpus);
		return -1;
	}
	v->ncpus = ncpus;
	v->res = res;
	v->describe = sc->describe;
	snprintf(title, sizeof(title), "%s, %s: %s", sc->name,
		 target_settings_line(), path);
	v->title = title;
	return 0;
}

/* --minimize: the input's first violation, with the fewest preemptions. */
static int minimize_to(const struct scenario *sc, const char *path,
		       const uint8_t *data, size_t size,
		       const struct sched_result *res, const char *out)
{
	struct target_min_result m;
	const struct sched_class *v;

	if (!res->nreports || res->reports[0].verdict->flags & SCHED_CLASS_NOT_BUG) {
		fprintf(stderr, "replay: %s: no violation to keep\n", path);
		return TARGET_EXIT_USAGE;
	}
	v = res->reports[0].verdict;
	if (target_minimize(sc, data, size, v, &m)) {
		fprintf(stderr, "replay: %s: cannot minimize\n", path);
		return TARGET_EXIT_USAGE;
	}
	if (target_write_text("replay", out, sc))
		return TARGET_EXIT_USAGE;
	printf("minimized %s (%s): %u steps, %u preemptions -> %u steps, "
	       "%u preemptions, %zu runs, in %s%s\n", path, v->name,
	       m.before_steps, m.before_preemptions, m.after_steps,
	       m.after_preemptions, m.runs, out,
	       m.interrupted ? " (interrupted: the best found until then)" : "");
	return TARGET_EXIT_FOUND;
}

static int write_svg(const char *path, const struct sched_view *v)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	sched_view_svg(f, v);
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

/* Prints what the execution did; returns its exit status. */
static int show(const struct options *o, const struct scenario *sc,
		const char *path, size_t size, const struct sched_result *res,
		const struct sched_view *v)
{
	printf("== %s: %s, %s, %zu bytes, %u steps\n", path, sc->name,
	       target_settings_line(), size, res->steps);
	if (sc->describe)
		sc->describe(stdout);
	if (o->events)
		sched_print_events(stdout);
	if (!o->quiet)
		sched_view_diagram(stdout, v);
	printf("trace-hash %016llx\n", (unsigned long long)sched_trace_hash());
	return target_print_verdicts(stdout, res) ? TARGET_EXIT_FOUND
						  : TARGET_EXIT_OK;
}

static int replay_file(const struct options *o, const char *path)
{
	struct target_input in;
	struct sched_result res;
	struct sched_view view;
	const struct scenario *sc;
	const char *unused;
	size_t size = 0;
	uint8_t *data = target_read_file("replay", path, &size);
	int status = TARGET_EXIT_USAGE;

	if (!data)
		return status;
	if (target_load(&in, data, size, true) ||
	    target_configure(&o->user, &in, o->override, &sc) ||
	    target_exec(sc, &in, &res)) {
		fprintf(stderr, "replay: %s: %s\n", path, target_error());
		goto out;
	}
	if (target_text_failed_line())
		fprintf(stderr, "replay: %s: line %d: not a choice the schedule "
			"had there; the default was taken\n", path,
			target_text_failed_line());
	unused = target_unused_lines(&in);
	if (unused)
		fprintf(stderr, "replay: %s: warning: line%s %s never came to "
			"be used (%s)\n", path, strchr(unused, ',') ||
			strchr(unused, '-') ? "s" : "", unused,
			in.t.q[SCHED_DECIDE_READ].n && !strcmp(target_setting(
			SCHED_SET_MEMORY), "sc") ? "read lines need --memory "
			"weak" : "the execution ended first");
	if (view_of(o, sc, path, &res, &view))
		goto out;
	if (o->mail) {
		sched_view_mail(stdout, &view);
		status = sched_first_violation(&res) >= 0 ? TARGET_EXIT_FOUND
							   : TARGET_EXIT_OK;
	} else if (o->dump) {
		sched_print_text(stdout, target_header(), target_programs(),
				 sc->header_size);
		status = TARGET_EXIT_OK;
	} else if (o->minimize) {
		status = minimize_to(sc, path, data, size, &res, o->min_out);
	} else if (o->binary) {
		status = write_binary(o->binary, sc) ? TARGET_EXIT_USAGE
						     : TARGET_EXIT_OK;
	} else if (o->svg && write_svg(o->svg, &view)) {
		status = TARGET_EXIT_USAGE;
	} else {
		status = show(o, sc, path, size, &res, &view);
	}
out:
	target_unload(&in);
	free(data);
	return status;
}

/* The first argument is the scenario when it names one and is no file. */
static int scenario_arg(struct options *o, int argc, char **argv, int i)
{
	struct stat st;

	if (i < argc && scenario_find(argv[i]) && stat(argv[i], &st)) {
		target_settings_option(&o->user, "replay", "--scenario", argv[i]);
		return i + 1;
	}
	if (i < argc && argc - i >= 2 && stat(argv[i], &st) &&
	    !strchr(argv[i], '/')) {
		fprintf(stderr, "replay: unknown scenario '%s' (replay --list "
			"lists them)\n", argv[i]);
		exit(TARGET_EXIT_USAGE);
	}
	return i;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	int i, status = TARGET_EXIT_OK, nfiles;

	target_settings_env(&o.user, "replay");
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf(help, target_settings_help);
			return TARGET_EXIT_OK;
		} else if (!strcmp(a, "--version")) {
			printf("schedfuzz " SCHED_VERSION "\n");
			return TARGET_EXIT_OK;
		} else if (!strcmp(a, "--list")) {
			list_scenarios();
			return TARGET_EXIT_OK;
		} else if (!strcmp(a, "--list-classes")) {
			list_classes();
			return TARGET_EXIT_OK;
		} else if (!strcmp(a, "--override")) {
			o.override = true;
		} else if (!strcmp(a, "--events")) {
			o.events = true;
		} else if (!strcmp(a, "--hash")) {
			;	/* the trace hash is always printed now */
		} else if (!strcmp(a, "--quiet")) {
			o.quiet = true;
		} else if (!strcmp(a, "--dump")) {
			o.dump = true;
		} else if (!strcmp(a, "--minimize")) {
			o.minimize = true;
		} else if (!strcmp(a, "--mail")) {
			o.mail = true;
		} else if (!strcmp(a, "--full")) {
			o.view.full = true;
		} else if (!v) {
			usage("an option lacks its value, or is unknown");
		} else if (target_settings_option(&o.user, "replay", a, v) ||
			   view_option(&o.view, a, v)) {
			i++;
		} else if (!strcmp(a, "--binary")) {
			o.binary = argv[++i];
		} else if (!strcmp(a, "--svg")) {
			o.svg = argv[++i];
		} else if (!strcmp(a, "-o")) {
			o.min_out = argv[++i];
		} else {
			usage("unknown option");
		}
	}
	i = scenario_arg(&o, argc, argv, i);
	nfiles = argc - i;
	if (nfiles < 1)
		usage("no input file");
	if (o.minimize != (o.min_out != NULL))
		usage("--minimize and -o OUT go together");
	if ((o.dump + o.minimize + !!o.binary + !!o.svg + o.mail) > 1)
		usage("one of --dump, --binary, --minimize, --svg, --mail");
	if ((o.binary || o.minimize || o.svg) && nfiles != 1)
		usage("--binary, --minimize and --svg take one file");
	/* The user's settings, checked before any file when they name the
	 * scenario. */
	if (o.user.from[SCHED_SET_SCENARIO]) {
		const struct scenario *sc;

		if (target_configure(&o.user, NULL, false, &sc)) {
			fprintf(stderr, "replay: %s\n", target_error());
			return TARGET_EXIT_USAGE;
		}
	}
	for (; i < argc; i++) {
		int s = replay_file(&o, argv[i]);

		if (s > status)
			status = s;
	}
	return status;
}
