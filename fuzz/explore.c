/*
 * explore - the strategies a user would otherwise pick, on the same engine.
 *
 * Every strategy is a decision source (sched.h) run through the same loop;
 * the table below builds each one.  With --jobs N the work is cut into
 * numbered pieces that N processes share, and what they find is merged
 * as if one process had run the pieces in order: random and PCT restart
 * their streams every CHUNK schedules from a seed derived from --seed and
 * the chunk's number; dfs hands out the subtrees under one level of its
 * tree (strategy_dfs.c).  A process stops once it has passed the piece of
 * the first find any process made, so the first find is the one a single
 * process would have made.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "target.h"

static const char help[] =
	"usage: explore [SCENARIO] --strategy random|pct|dfs|dpor [OPTIONS]\n"
	"Runs schedules until one shows a violation of a class in --stop, then\n"
	"prints the class, the schedules and seconds it took, writes the\n"
	"schedule as bytes (-o, default explore-found) and as a\n"
	"self-describing text schedule beside it (explore-found.txt), and\n"
	"prints the replay command.  With --stop none it runs to its limit (or,\n"
	"for dfs and dpor, to the end of their space) and lists the classes\n"
	"seen; with -o FILE too, it keeps the first schedule of each\n"
	"(FILE-CLASS.txt).\n"
	"Options:\n"
	"  --strategy S        random, pct (--depth D, default 3), dfs or dpor\n"
	"                      (dpor: every execution up to commuting independent\n"
	"                      steps, no bound; source-DPOR, sc memory only)\n"
	"  --bound K           dfs: at most K delays or preemptions (default 2);\n"
	"                      bound 0, 1, ... K in turn unless --deepen no\n"
	"  --cost C            dfs: what the bound counts: delays (default: any\n"
	"                      choice but the running CPU, then the next one up)\n"
	"                      or preemptions (switching away from a CPU that\n"
	"                      could go on)\n"
	"  --por P             dfs: sleep (default under sc: sleep sets) or none\n"
	"  --deepen yes|no     dfs: iterative deepening (default yes)\n"
	"  --choices all|cpu   dfs, dpor: what branches: every decision (default)\n"
	"                      or only which CPU runs (the allocator, releases\n"
	"                      and weak memory take the deterministic choice)\n"
	"  --seed N            the strategy's seed (default 1)\n"
	"  --runs N            stop after N schedules\n"
	"  --seconds S         stop after S seconds (decimals allowed)\n"
	"  --jobs N            N processes (default 1), the same first find\n"
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

#define CHUNK 4096		/* random and pct: schedules per seed */
#define MAX_JOBS 64
#define SPLIT_DEPTH 20		/* dfs: the path entry whose subtrees jobs share */
#define NO_KEY UINT64_MAX

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

/* What one job found, in shared memory: the parent merges them. */
struct first {
	uint64_t key;		/* piece << 32 | schedule in it; NO_KEY */
	int level;		/* the bound it showed within, -1 none */
};
struct find {			/* the find that stopped a job */
	uint64_t key;
	int level, cls;
	uint32_t step;
	unsigned preemptions;
	uint64_t hash;
	char detail[240];
};
struct job {
	unsigned long long n;	/* schedules it ran */
	unsigned long long cut;	/* of them, ended by sleep sets */
	int level;		/* the bound of its last schedule, -1 none */
	bool exhausted, failed;
	struct first first[SCHED_MAX_CLASSES + 1];
	struct find find;
};
#define MAX_PIECES (1u << 20)
struct shared {
	uint64_t stop_key;	/* the least key of a find that stops */
	struct job job[MAX_JOBS];
	uint32_t piece_size[MAX_PIECES];	/* dfs: schedules per piece */
	int8_t owner[MAX_PIECES];	/* dfs: the job that claimed it, + 1 */
};

struct explore;
struct strategy {
	const char *name;
	/* The source for piece (random, pct: a chunk; dfs, dpor: piece 0 for
	 * the whole search, which numbers its own pieces). */
	struct sched_decisions *(*make)(struct explore *x, uint64_t piece);
	bool chunked;
};

struct explore {
	const struct scenario *sc;
	const struct strategy *strategy;
	struct target_settings user;
	const char *out, *program;
	bool out_given;		/* -o: keep the first schedule of each class */
	long depth, bound, seed, runs, jobs;
	double seconds;
	struct sched_dfs_options dfs_opt;
	bool por_given, choices_given;
	bool stop[SCHED_MAX_CLASSES + 1];
	uint8_t header[256];
	uint64_t program_seed;
	double start;
	int job;		/* this process's */
	struct shared *sh;
};

/* ---- the strategies --------------------------------------------------------- */

/* Chunk 0 keeps the seed itself (one job's first CHUNK schedules are the
 * stream they always were); the others' are scrambled, not shifted
 * copies of one splitmix stream. */
static uint64_t piece_seed(uint64_t seed, uint64_t piece)
{
	uint64_t t = piece;

	return piece ? seed ^ sched_rand64(&t) : seed;
}

static struct sched_decisions *make_random(struct explore *x, uint64_t piece)
{
	static struct sched_random_source rnd;

	sched_random_source_init(&rnd, piece_seed((uint64_t)x->seed, piece));
	return &rnd.base;
}

static struct sched_decisions *make_pct(struct explore *x, uint64_t piece)
{
	static struct sched_pct_source pct;

	sched_pct_source_init(&pct, piece_seed((uint64_t)x->seed, piece),
			      (int)x->depth);
	return &pct.base;
}

static struct sched_dfs_source dfs;

static struct sched_decisions *make_dfs(struct explore *x, uint64_t piece)
{
	(void)piece;
	x->dfs_opt.bound = (int)x->bound;
	x->dfs_opt.jobs = (int)x->jobs;
	x->dfs_opt.job = x->job;
	x->dfs_opt.split = SPLIT_DEPTH;
	x->dfs_opt.owners = x->sh->owner;
	x->dfs_opt.nowners = MAX_PIECES;
	sched_dfs_source_init_opts(&dfs, &x->dfs_opt);
	return &dfs.base;
}

static struct sched_decisions *make_dpor(struct explore *x, uint64_t piece)
{
	x->dfs_opt.por = SCHED_POR_DPOR;
	return make_dfs(x, piece);
}

static const struct strategy strategies[] = {
	{ "random", make_random, true },
	{ "pct", make_pct, true },
	{ "dfs", make_dfs, false },
	{ "dpor", make_dpor, false },
};

static bool is_search(const struct explore *x)
{
	return !x->strategy->chunked;
}

/* ---- finds ------------------------------------------------------------------ */

/* The text file that goes with out: out.txt, or out-CLASS.txt; a job's
 * own while jobs run (out.jobK...). */
static void text_path(char *buf, size_t len, const char *out, int job,
		      const struct sched_class *c)
{
	char jb[32] = "";

	if (job >= 0)
		snprintf(jb, sizeof(jb), ".job%d", job);
	snprintf(buf, len, "%s%s%s%s.txt", out, jb, c ? "-" : "", c ? c->name : "");
}

static int own_job(const struct explore *x)
{
	return x->jobs > 1 ? x->job : -1;
}

/* The find that stops: the schedule as bytes and as text. */
static int write_find(const struct explore *x)
{
	static uint8_t bytes[1u << 16];
	size_t len = sched_decisions_to_bytes(bytes, sizeof(bytes));
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", x->out, "");
	if (own_job(x) >= 0)
		snprintf(path, sizeof(path), "%s.job%d", x->out, x->job);
	f = fopen(path, "wb");
	if (!f || fwrite(target_programs(), 1, x->sc->header_size, f) !=
		  x->sc->header_size ||
	    fwrite(bytes, 1, len, f) != len || fclose(f)) {
		perror(path);
		return -1;
	}
	text_path(path, sizeof(path), x->out, own_job(x), NULL);
	return target_write_text("explore", path, x->sc);
}

/* The piece an execution belongs to, and whether this job runs it. */
static uint64_t piece_of(const struct explore *x, uint64_t chunk)
{
	return is_search(x) ? dfs.piece : chunk;
}

static void lower(uint64_t *at, uint64_t key)
{
	uint64_t old = __atomic_load_n(at, __ATOMIC_SEQ_CST);

	while (key < old && !__atomic_compare_exchange_n(at, &old, key, false,
							 __ATOMIC_SEQ_CST,
							 __ATOMIC_SEQ_CST))
		;
}

/* Looks at the verdicts of the execution with this key: true when one
 * stops the job. */
static bool judge(struct explore *x, const struct sched_result *res,
		  const struct sched_decisions *src, uint64_t key)
{
	struct job *j = &x->sh->job[x->job];

	for (int i = 0; i < res->nreports; i++) {
		const struct sched_class *v = res->reports[i].verdict;
		struct first *f = &j->first[v->id];

		if (f->key == NO_KEY) {
			f->key = key;
			f->level = src->level;
			if (!(v->flags & SCHED_CLASS_NOT_BUG) && !x->stop[v->id] &&
			    x->out_given) {
				char path[4096];

				text_path(path, sizeof(path), x->out, own_job(x), v);
				target_write_text("explore", path, x->sc);
			}
		}
		if (x->stop[v->id]) {
			struct find *fd = &j->find;

			*fd = (struct find){ .key = key, .level = src->level,
					     .cls = v->id,
					     .step = res->reports[i].step,
					     .preemptions = sched_preemptions(),
					     .hash = sched_trace_hash() };
			memcpy(fd->detail, res->reports[i].detail,
			       sizeof(fd->detail));
			if (write_find(x))
				j->failed = true;
			lower(&x->sh->stop_key, key);
			return true;
		}
	}
	return false;
}

static void status_line(const struct explore *x)
{
	const struct job *j = &x->sh->job[x->job];
	double t = now() - x->start;

	fprintf(stderr, "explore: %llu schedules, %.1f s, %.0f/s; seen:", j->n,
		t, j->n / (t > 0 ? t : 1e-9));
	for (size_t i = 0; i < sched_class_count(); i++)
		if (j->first[sched_class_at(i)->id].key != NO_KEY)
			fprintf(stderr, " %s", sched_class_at(i)->name);
	fprintf(stderr, "\n");
}

/* ---- one job ---------------------------------------------------------------- */

/* Runs this job's pieces until a find, the end of the space, a limit or
 * a piece past another job's find. */
static void run_job(struct explore *x)
{
	struct job *j = &x->sh->job[x->job];
	struct sched_decisions *src = NULL;
	uint64_t chunk = x->strategy->chunked ? (uint64_t)x->job : 0;
	uint64_t in_chunk = 0, last_piece = NO_KEY, in_piece = 0;
	double next_status = x->start + 5;
	struct sched_result res;

	for (size_t c = 0; c <= SCHED_MAX_CLASSES; c++)
		j->first[c].key = NO_KEY;
	src = x->strategy->make(x, chunk);
	while (!interrupted) {
		uint64_t piece, key;

		if (x->strategy->chunked && in_chunk == CHUNK) {
			chunk += (uint64_t)x->jobs;
			in_chunk = 0;
			src = x->strategy->make(x, chunk);
		}
		if (x->strategy->chunked && in_chunk == 0)
			x->program_seed = piece_seed((uint64_t)x->seed, chunk) ^
					  0x70726f6772616dULL;
		if (x->sc->setup && !x->program)
			for (size_t b = 0; b < x->sc->header_size; b++)
				x->header[b] = (uint8_t)sched_rand64(&x->program_seed);
		target_exec_source(x->sc, x->header, src, &res);
		piece = piece_of(x, chunk);
		if (piece != last_piece) {
			last_piece = piece;
			in_piece = 0;
		}
		key = piece << 32 | in_piece++;
		if (piece > __atomic_load_n(&x->sh->stop_key, __ATOMIC_SEQ_CST) >> 32)
			break;	/* past another job's find */
		if (src->error) {
			fprintf(stderr, "explore: %s\n", src->error);
			j->failed = true;
			return;
		}
		if (!is_search(x) || dfs.own) {
			j->n++;
			j->level = src->level;
			in_chunk++;
			if (is_search(x) && piece < MAX_PIECES)
				x->sh->piece_size[piece]++;
			if (!res.cut && judge(x, &res, src, key))
				return;
			j->cut += res.cut;
		}
		if (src->exhausted) {
			j->exhausted = true;
			break;
		}
		if ((j->n & 255) == 0) {
			double t = now();

			if (x->seconds > 0 && t - x->start >= x->seconds)
				break;
			if (t >= next_status && x->job == 0) {
				status_line(x);
				next_status = t + 5;
			}
		}
		if (x->runs && j->n * (unsigned long long)x->jobs >=
			       (unsigned long long)x->runs)
			break;
	}
}

/* ---- the jobs together ------------------------------------------------------ */

/* Schedules a single job would have run up to and including key. */
static unsigned long long schedules_to(const struct explore *x, uint64_t key)
{
	uint64_t piece = key >> 32;
	unsigned long long n = (key & 0xffffffffu) + 1;

	if (!is_search(x))
		return piece * CHUNK + n;
	for (uint64_t p = 0; p < piece && p < MAX_PIECES; p++)
		n += x->sh->piece_size[p];
	return n;
}

static int run_jobs(struct explore *x)
{
	pid_t pid[MAX_JOBS];

	if (x->jobs == 1) {
		run_job(x);
		return 0;
	}
	fflush(NULL);
	for (int k = 0; k < x->jobs; k++) {
		pid[k] = fork();
		if (pid[k] < 0) {
			fprintf(stderr, "explore: fork: %s\n", strerror(errno));
			return -1;
		}
		if (pid[k] == 0) {
			x->job = k;
			run_job(x);
			fflush(NULL);
			_exit(0);
		}
	}
	for (int k = 0; k < x->jobs; k++) {
		int st;

		while (waitpid(pid[k], &st, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			x->sh->job[k].failed = true;
	}
	return 0;
}

/* A job's file becomes the one the user asked for. */
static void take_file(const char *from, const char *to)
{
	if (strcmp(from, to) && rename(from, to))
		fprintf(stderr, "explore: %s: %s\n", to, strerror(errno));
}

static void remove_job_files(const struct explore *x)
{
	char path[4096];

	if (x->jobs == 1)
		return;
	for (int k = 0; k < x->jobs; k++) {
		snprintf(path, sizeof(path), "%s.job%d", x->out, k);
		unlink(path);
		text_path(path, sizeof(path), x->out, k, NULL);
		unlink(path);
		for (size_t i = 0; i < sched_class_count(); i++) {
			text_path(path, sizeof(path), x->out, k, sched_class_at(i));
			unlink(path);
		}
	}
}

static void bound_words(char *buf, size_t len, const struct explore *x,
			int level)
{
	buf[0] = 0;
	if (level >= 0 && is_search(x))
		snprintf(buf, len, ", bound %d", level);
}

/* The stopping find with the least key, printed as one job prints it. */
static int report_find(const struct explore *x, int k, double elapsed)
{
	const struct find *fd = &x->sh->job[k].find;
	const struct sched_class *v = sched_class_at((size_t)fd->cls - 1);
	unsigned long long n = schedules_to(x, fd->key);
	char text[4096], mine[4096], cmd[8192], bw[64];

	if (x->jobs > 1) {
		snprintf(mine, sizeof(mine), "%s.job%d", x->out, k);
		take_file(mine, x->out);
		text_path(mine, sizeof(mine), x->out, k, NULL);
		text_path(text, sizeof(text), x->out, -1, NULL);
		take_file(mine, text);
	}
	text_path(text, sizeof(text), x->out, -1, NULL);
	bound_words(bw, sizeof(bw), x, fd->level);
	printf("explore: %s after %llu schedules, %.3f s (%.0f schedules/s)%s\n",
	       v->name, n, elapsed, n / (elapsed > 0 ? elapsed : 1e-9), bw);
	printf("VIOLATION %s: %s (step %u)\n", v->name, fd->detail, fd->step);
	printf("trace-hash %016llx\n", (unsigned long long)fd->hash);
	target_replay_command(cmd, sizeof(cmd), "explore", text);
	printf("replay: %s\n", cmd);
	return TARGET_EXIT_FOUND;
}

/* ", of them N ended by sleep sets" */
static const char *cut_words(unsigned long long cut)
{
	static char buf[64];

	buf[0] = 0;
	if (cut)
		snprintf(buf, sizeof(buf), " (%llu ended early by sleep sets)",
			 cut);
	return buf;
}

/* Whether some job saw some class. */
static bool any_seen(const struct explore *x)
{
	for (int k = 0; k < x->jobs; k++)
		for (size_t c = 0; c <= SCHED_MAX_CLASSES; c++)
			if (x->sh->job[k].first[c].key != NO_KEY)
				return true;
	return false;
}

static int summary(struct explore *x)
{
	double elapsed = now() - x->start;
	unsigned long long n = 0, cut = 0;
	bool exhausted = true, seen_any = false;
	int best = -1, level = -1;	/* the least bound any job was in */
	char in_bound[64];

	for (int k = 0; k < x->jobs; k++) {
		const struct job *j = &x->sh->job[k];

		if (j->failed)
			return TARGET_EXIT_USAGE;
		n += j->n;
		cut += j->cut;
		if (j->n && (level < 0 || j->level < level))
			level = j->level;
		exhausted &= j->exhausted;
		if (j->find.key != NO_KEY && j->find.cls &&
		    (best < 0 || j->find.key < x->sh->job[best].find.key))
			best = k;
	}
	if (best >= 0) {
		int status = report_find(x, best, elapsed);

		remove_job_files(x);
		return status;
	}
	if (interrupted)
		fprintf(stderr, "explore: interrupted\n");
	bound_words(in_bound, sizeof(in_bound), x, level);
	if (!exhausted && any_seen(x))
		printf("explore: stopped at %llu schedules, %.3f s (%.0f "
		       "schedules/s)%s%s\n", n, elapsed,
		       n / (elapsed > 0 ? elapsed : 1e-9), in_bound,
		       cut_words(cut));
	if (exhausted && !strcmp(x->strategy->name, "dpor"))
		printf("explore: every execution run (dpor), %llu executions, "
		       "%.3f s%s\n", n - cut, elapsed, cut_words(cut));
	for (size_t i = 0; i < sched_class_count(); i++) {
		const struct sched_class *c = sched_class_at(i);
		uint64_t key = NO_KEY;
		int level = -1, from = -1;
		char path[4096], mine[4096], bw[64];
		bool kept;

		for (int k = 0; k < x->jobs; k++) {
			const struct first *f = &x->sh->job[k].first[c->id];

			if (f->key < key) {
				key = f->key;
				level = f->level;
				from = k;
			}
		}
		if (from < 0)
			continue;
		if (!seen_any && exhausted && is_search(x) &&
		    strcmp(x->strategy->name, "dpor"))
			printf("explore: every schedule run within bound %ld, "
			       "%llu schedules, %.3f s%s\n", x->bound, n,
			       elapsed, cut_words(cut));
		seen_any = true;
		kept = x->out_given && !(c->flags & SCHED_CLASS_NOT_BUG);
		text_path(path, sizeof(path), x->out, -1, c);
		if (x->jobs > 1 && kept) {
			text_path(mine, sizeof(mine), x->out, from, c);
			take_file(mine, path);
		}
		bound_words(bw, sizeof(bw), x, level);
		printf("explore: seen %s first at schedule %llu%s%s%s\n", c->name,
		       schedules_to(x, key), bw, kept ? ", kept in " : "",
		       kept ? path : "");
	}
	if (!seen_any) {
		if (exhausted && is_search(x) && strcmp(x->strategy->name, "dpor"))
			printf("explore: no violation within bound %ld, %llu "
			       "schedules, %.3f s%s\n", x->bound, n, elapsed,
			       cut_words(cut));
		else if (!exhausted)
			printf("explore: no violation in %llu schedules, %.3f s "
			       "(%.0f schedules/s)%s%s\n", n, elapsed,
			       n / (elapsed > 0 ? elapsed : 1e-9), in_bound,
			       cut_words(cut));
	}
	remove_job_files(x);
	return TARGET_EXIT_OK;
}

/* ---- options ---------------------------------------------------------------- */

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

static int pick(const char *opt, const char *v, const char *const *names,
		int n)
{
	char why[160];

	for (int i = 0; i < n; i++)
		if (!strcmp(v, names[i]))
			return i;
	snprintf(why, sizeof(why), "%s is %s or %s", opt, names[0], names[1]);
	usage(why);
}

static void dfs_option(struct explore *x, const char *a, const char *v)
{
	static const char *const costs[] = { "preemptions", "delays" };
	static const char *const pors[] = { "none", "sleep" };
	static const char *const yesno[] = { "no", "yes" };
	static const char *const choices[] = { "all", "cpu" };

	if (!strcmp(a, "--cost"))
		x->dfs_opt.cost = (enum sched_cost)pick(a, v, costs, 2);
	else if (!strcmp(a, "--por")) {
		x->dfs_opt.por = (enum sched_por)pick(a, v, pors, 2);
		x->por_given = true;
	} else if (!strcmp(a, "--deepen"))
		x->dfs_opt.deepen = pick(a, v, yesno, 2);
	else if (!strcmp(a, "--choices")) {
		x->dfs_opt.cpu_only = pick(a, v, choices, 2);
		x->choices_given = true;
	} else
		usage("unknown option");
}

static void parse_args(struct explore *x, int argc, char **argv)
{
	bool stop_given = false;
	const char *strategy = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		target_help_version(a, help);
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
			strategy = v;
		else if (!strcmp(a, "--depth"))
			x->depth = number(a, v);
		else if (!strcmp(a, "--bound"))
			x->bound = number(a, v);
		else if (!strcmp(a, "--seed"))
			x->seed = number(a, v);
		else if (!strcmp(a, "--runs"))
			x->runs = number(a, v);
		else if (!strcmp(a, "--jobs"))
			x->jobs = number(a, v);
		else if (!strcmp(a, "--seconds"))
			x->seconds = seconds_arg(v);
		else if (!strcmp(a, "--stop")) {
			if (!target_parse_classes("explore", "--stop", v, x->stop))
				exit(TARGET_EXIT_USAGE);
			stop_given = true;
		} else if (!strcmp(a, "-o")) {
			x->out = v;
			x->out_given = true;
		} else if (!strcmp(a, "--program"))
			x->program = v;
		else
			dfs_option(x, a, v);
	}
	if (!stop_given)
		target_parse_classes("explore", "--stop", "all", x->stop);
	if (!strategy)
		usage("--strategy is needed (random, pct, dfs or dpor)");
	for (size_t s = 0; s < sizeof(strategies) / sizeof(strategies[0]); s++)
		if (!strcmp(strategy, strategies[s].name))
			x->strategy = &strategies[s];
	if (!x->strategy)
		usage("--strategy is random, pct, dfs or dpor");
	if (x->depth < 1 || x->depth > 8)
		usage("--depth is 1 to 8");
	if (x->bound > 30000)
		usage("--bound is 0 to 30000");
	if (x->jobs < 1 || x->jobs > MAX_JOBS)
		usage("--jobs is 1 to 64");
}

/* The settings are in force: what the search can reduce. */
static void check_search(struct explore *x)
{
	bool sc_memory = !strcmp(target_setting(SCHED_SET_MEMORY), "sc");

	if (x->sc->setup && !x->program && is_search(x))
		usage("dfs and dpor explore the schedules of one --program");
	if (x->choices_given && !is_search(x))
		usage("--choices is for dfs and dpor");
	if (!strcmp(x->strategy->name, "dpor")) {
		if (!sc_memory)
			usage("dpor runs under --memory sc only");
		if (x->jobs > 1)
			usage("dpor runs as one job (its backtrack sets span "
			      "the whole tree)");
	}
	if (!x->por_given)
		x->dfs_opt.por = sc_memory ? SCHED_POR_SLEEP : SCHED_POR_NONE;
	else if (x->dfs_opt.por != SCHED_POR_NONE && !sc_memory)
		usage("--por sleep needs --memory sc");
}

int main(int argc, char **argv)
{
	static struct explore x = {
		.out = "explore-found", .depth = 3, .bound = 2, .seed = 1,
		.jobs = 1,
		.dfs_opt = { .cost = SCHED_COST_DELAYS, .deepen = true },
	};

	target_settings_env(&x.user, "explore");
	parse_args(&x, argc, argv);
	if (x.program)
		read_program(&x);
	else if (target_configure(&x.user, NULL, false, &x.sc)) {
		fprintf(stderr, "explore: %s\n", target_error());
		return TARGET_EXIT_USAGE;
	}
	check_search(&x);
	x.program_seed = (uint64_t)x.seed ^ 0x70726f6772616dULL;
	x.sh = mmap(NULL, sizeof(*x.sh), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (x.sh == MAP_FAILED) {
		fprintf(stderr, "explore: mmap: %s\n", strerror(errno));
		return TARGET_EXIT_USAGE;
	}
	x.sh->stop_key = NO_KEY;
	for (int k = 0; k < MAX_JOBS; k++)
		x.sh->job[k].find.key = NO_KEY;
	signal(SIGINT, on_sigint);
	x.start = now();
	if (run_jobs(&x))
		return TARGET_EXIT_USAGE;
	return summary(&x);
}
