/*
 * explore - the strategies a user would otherwise pick, on the same engine.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "target.h"

static const char help[] =
	"usage: explore [SCENARIO] --strategy random|pct|dfs [OPTIONS]\n"
	"Runs schedules until one shows a violation of a class in --stop, then\n"
	"prints the class, the schedules and seconds it took, writes the\n"
	"schedule as bytes (-o, default explore-found) and as a\n"
	"self-describing text schedule beside it (explore-found.txt), and\n"
	"prints the replay command.  With --stop none it runs to its limit (or,\n"
	"for dfs, to the end of the bounded space) and lists the classes seen;\n"
	"with -o FILE too, it keeps the first schedule of each (FILE-CLASS.txt).\n"
	"Options:\n"
	"  --strategy S        random, pct (--depth D, default 3) or dfs (every\n"
	"                      schedule with at most --bound K preemptions,\n"
	"                      default 2)\n"
	"  --seed N            the strategy's seed (default 1)\n"
	"  --runs N            stop after N schedules\n"
	"  --seconds S         stop after S seconds (decimals allowed)\n"
	"  --stop CLASSES      all (default), none, or a,b,... (replay\n"
	"                      --list-classes)\n"
	"  --program FILE      the CPUs' programs, for scenarios whose input\n"
	"                      holds them (a text schedule's programs line, or\n"
	"                      the first bytes); without it random and pct\n"
	"                      draw new programs per schedule, dfs refuses\n"
	"  -o FILE             where to write a find (default explore-found)\n"
	"%s"
	"A status line goes to stderr every 5 s; Ctrl-C stops with the summary.\n"
	"Exit status: 1 found, 0 not found, 2 a usage or setting error.\n";

__attribute__((noreturn)) static void usage(const char *why)
{
	fprintf(stderr, "explore: %s (explore --help)\n", why);
	exit(TARGET_EXIT_USAGE);
}

static long number(const char *opt, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > 1000000000L) {
		fprintf(stderr, "explore: %s takes a number from 0 to 10^9, not "
			"'%s'\n", opt, s);
		exit(TARGET_EXIT_USAGE);
	}
	return v;
}

static double seconds_arg(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || !(v > 0) || v > 1e7) {
		fprintf(stderr, "explore: --seconds takes a positive number of "
			"seconds, not '%s'\n", s);
		exit(TARGET_EXIT_USAGE);
	}
	return v;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

struct explore {
	const struct scenario *sc;
	struct target_settings user;
	const char *strategy, *out, *program;
	bool out_given;		/* -o: keep the first schedule of each class */
	long depth, bound, seed, runs;
	double seconds;
	bool stop[SCHED_MAX_CLASSES + 1];
	uint8_t header[256];
	unsigned long long n, first_seen[SCHED_MAX_CLASSES + 1];
	double start;
};

/* The text file that goes with out: out.txt, or out-CLASS.txt. */
static void text_path(char *buf, size_t len, const char *out,
		      const struct sched_class *c)
{
	snprintf(buf, len, "%s%s%s.txt", out, c ? "-" : "", c ? c->name : "");
}

/* The find: the schedule as bytes and as text, and the replay command. */
static int keep(const struct explore *x, const struct sched_report *r)
{
	static uint8_t bytes[1u << 16];
	size_t len = sched_decisions_to_bytes(bytes, sizeof(bytes));
	const struct sched_class *v = r->verdict;
	char text[4096], cmd[8192];
	double elapsed = now() - x->start;
	FILE *f = fopen(x->out, "wb");

	if (!f || fwrite(target_programs(), 1, x->sc->header_size, f) !=
		  x->sc->header_size ||
	    fwrite(bytes, 1, len, f) != len || fclose(f)) {
		perror(x->out);
		return TARGET_EXIT_USAGE;
	}
	text_path(text, sizeof(text), x->out, NULL);
	if (target_write_text("explore", text, x->sc))
		return TARGET_EXIT_USAGE;
	printf("explore: %s after %llu schedules, %.3f s (%.0f schedules/s)\n",
	       v->name, x->n, elapsed, x->n / (elapsed > 0 ? elapsed : 1e-9));
	printf("VIOLATION %s: %s (step %u)\n", v->name, r->detail, r->step);
	printf("trace-hash %016llx\n", (unsigned long long)sched_trace_hash());
	target_replay_command(cmd, sizeof(cmd), "explore", text);
	printf("replay: %s\n", cmd);
	return TARGET_EXIT_FOUND;
}

/* --program FILE: the programs at its front, or its programs line; a
 * text schedule's header settings count as for replay. */
static void read_program(struct explore *x)
{
	struct target_input in;
	size_t size;
	uint8_t *data = target_read_file("explore", x->program, &size);

	if (!data)
		exit(TARGET_EXIT_USAGE);
	if (target_load(&in, data, size, true) ||
	    target_configure(&x->user, &in, false, &x->sc)) {
		fprintf(stderr, "explore: %s: %s\n", x->program, target_error());
		exit(TARGET_EXIT_USAGE);
	}
	if (!x->sc->setup)
		usage("--program is for scenarios whose input holds programs");
	memset(x->header, 0, sizeof(x->header));
	if (in.text)
		memcpy(x->header, in.t.programs, in.t.nprograms);
	else
		memcpy(x->header, data, size < x->sc->header_size ? size :
					x->sc->header_size);
	target_unload(&in);
	free(data);
}

static void status_line(const struct explore *x)
{
	double t = now() - x->start;

	fprintf(stderr, "explore: %llu schedules, %.1f s, %.0f/s; seen:", x->n,
		t, x->n / (t > 0 ? t : 1e-9));
	for (size_t i = 0; i < sched_class_count(); i++)
		if (x->first_seen[sched_class_at(i)->id])
			fprintf(stderr, " %s", sched_class_at(i)->name);
	fprintf(stderr, "\n");
}

static void parse_args(struct explore *x, int argc, char **argv)
{
	bool stop_given = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf(help, target_settings_help);
			exit(TARGET_EXIT_OK);
		}
		if (!strcmp(a, "--version")) {
			printf("schedfuzz " SCHED_VERSION "\n");
			exit(TARGET_EXIT_OK);
		}
		if (a[0] != '-') {
			if (x->user.from[SCHED_SET_SCENARIO] &&
			    !strcmp(x->user.from[SCHED_SET_SCENARIO], "SCENARIO"))
				usage("one scenario only");
			target_settings_option(&x->user, "explore", "--scenario", a);
			x->user.from[SCHED_SET_SCENARIO] = "SCENARIO";
			continue;
		}
		if (!v)
			usage(strncmp(a, "--", 2) && strcmp(a, "-o") ?
			      "unknown option" : "an option lacks its value");
		i++;
		if (target_settings_option(&x->user, "explore", a, v))
			continue;
		if (!strcmp(a, "--strategy"))
			x->strategy = v;
		else if (!strcmp(a, "--depth"))
			x->depth = number(a, v);
		else if (!strcmp(a, "--bound"))
			x->bound = number(a, v);
		else if (!strcmp(a, "--seed"))
			x->seed = number(a, v);
		else if (!strcmp(a, "--runs"))
			x->runs = number(a, v);
		else if (!strcmp(a, "--seconds"))
			x->seconds = seconds_arg(v);
		else if (!strcmp(a, "--stop")) {
			if (!target_parse_classes("explore", "--stop", v, x->stop))
				exit(TARGET_EXIT_USAGE);
			stop_given = true;
		} else if (!strcmp(a, "-o")) {
			x->out = v;
			x->out_given = true;
		}
		else if (!strcmp(a, "--program"))
			x->program = v;
		else
			usage("unknown option");
	}
	if (!stop_given)
		target_parse_classes("explore", "--stop", "all", x->stop);
	if (!x->strategy)
		usage("--strategy is needed (random, pct or dfs)");
	if (strcmp(x->strategy, "random") && strcmp(x->strategy, "pct") &&
	    strcmp(x->strategy, "dfs"))
		usage("--strategy is random, pct or dfs");
	if (x->depth < 1 || x->depth > 8)
		usage("--depth is 1 to 8");
}

int main(int argc, char **argv)
{
	static struct explore x = { .out = "explore-found", .depth = 3,
				    .bound = 2, .seed = 1 };
	static struct sched_dfs_source dfs;
	struct sched_random_source rnd;
	struct sched_pct_source pct;
	struct sched_decisions *src;
	struct sched_result res;
	uint64_t program_seed;
	uint32_t last_steps = 0;
	bool exhausted = false, seen_any = false;
	double elapsed, next_status;

	target_settings_env(&x.user, "explore");
	parse_args(&x, argc, argv);
	if (x.program)
		read_program(&x);
	else if (target_configure(&x.user, NULL, false, &x.sc)) {
		fprintf(stderr, "explore: %s\n", target_error());
		return TARGET_EXIT_USAGE;
	}
	if (x.sc->setup && !x.program && !strcmp(x.strategy, "dfs"))
		usage("dfs explores the schedules of one --program");
	program_seed = (uint64_t)x.seed ^ 0x70726f6772616dULL;

	if (!strcmp(x.strategy, "random")) {
		sched_random_source_init(&rnd, (uint64_t)x.seed);
		src = &rnd.base;
	} else if (!strcmp(x.strategy, "pct")) {
		sched_pct_source_init(&pct, (uint64_t)x.seed, (int)x.depth);
		src = &pct.base;
	} else {
		sched_dfs_source_init(&dfs, (int)x.bound);
		src = &dfs.base;
	}

	signal(SIGINT, on_sigint);
	x.start = now();
	next_status = x.start + 5;
	while (!interrupted) {
		if (src == &pct.base)
			sched_pct_next(&pct, last_steps);
		if (x.sc->setup && !x.program)
			for (size_t b = 0; b < x.sc->header_size; b++)
				x.header[b] = (uint8_t)sched_rand64(&program_seed);
		target_exec_source(x.sc, x.header, src, &res);
		x.n++;
		last_steps = res.steps;
		for (int i = 0; i < res.nreports; i++) {
			const struct sched_class *v = res.reports[i].verdict;

			if (!x.first_seen[v->id]) {
				x.first_seen[v->id] = x.n;
				if (!(v->flags & SCHED_CLASS_NOT_BUG) &&
				    !x.stop[v->id] && x.out_given) {
					char path[4096];

					text_path(path, sizeof(path), x.out, v);
					target_write_text("explore", path, x.sc);
				}
			}
			if (x.stop[v->id])
				return keep(&x, &res.reports[i]);
		}
		if (src == &dfs.base) {
			if (dfs.diverged) {
				fprintf(stderr, "explore: dfs replay diverged: "
					"the scenario is not deterministic\n");
				return TARGET_EXIT_USAGE;
			}
			if (!sched_dfs_next(&dfs)) {
				exhausted = true;
				break;
			}
		}
		if ((x.n & 255) == 0) {
			double t = now();

			if (x.seconds > 0 && t - x.start >= x.seconds)
				break;
			if (t >= next_status) {
				status_line(&x);
				next_status = t + 5;
			}
		}
		if (x.runs && x.n >= (unsigned long long)x.runs)
			break;
	}
	elapsed = now() - x.start;
	if (interrupted)
		fprintf(stderr, "explore: interrupted\n");
	for (size_t i = 0; i < sched_class_count(); i++)
		seen_any |= x.first_seen[sched_class_at(i)->id] != 0;
	if (exhausted)
		printf("explore: %s within bound %ld, %llu schedules, %.3f s\n",
		       seen_any ? "every schedule run" : "no violation",
		       x.bound, x.n, elapsed);
	else
		printf("explore: no violation in %llu schedules, %.3f s (%.0f "
		       "schedules/s)\n", x.n, elapsed,
		       x.n / (elapsed > 0 ? elapsed : 1e-9));
	for (size_t i = 0; i < sched_class_count(); i++) {
		const struct sched_class *c = sched_class_at(i);
		char path[4096];

		if (!x.first_seen[c->id])
			continue;
		text_path(path, sizeof(path), x.out, c);
		printf("explore: seen %s first at schedule %llu%s%s\n", c->name,
		       x.first_seen[c->id],
		       c->flags & SCHED_CLASS_NOT_BUG || !x.out_given ? "" :
		       ", kept in ",
		       c->flags & SCHED_CLASS_NOT_BUG || !x.out_given ? "" : path);
	}
	return TARGET_EXIT_OK;
}
