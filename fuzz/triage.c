/*
 * triage - group crash files by what they found.
 *
 * Runs every file (binary or text schedule) once and groups those with a
 * violation by signature: the first violation's class, its message with
 * every number and object index blanked, and, for classes raised at the
 * step itself (all but the chain classes, checked between operations),
 * the function and line of the reporting CPU's last step.  Prints one line
 * per group, most members first: the count, the class, the smallest member
 * and the signature; then how many files showed nothing or could not be
 * read.  --minimize writes, per group, the smallest member minimized
 * (replay --minimize) to OUTDIR/group-N.txt.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "target.h"

#define MAX_GROUPS 256

struct group {
	char sig[400];
	const struct sched_class *v;
	unsigned count;
	char *smallest;
	size_t smallest_size;
};

static struct group groups[MAX_GROUPS];
static int ngroups;
static unsigned clean, unreadable;
static struct target_settings user;
static bool override;

static const char help[] =
	"usage: triage [OPTIONS] [SCENARIO] DIR|FILE...\n"
	"Runs every file (bytes or a text schedule; a folder's regular files in\n"
	"name order) once and groups those with a violation by signature: the\n"
	"first violation's class, its message with every number blanked, and,\n"
	"for classes raised at an access, the function and line of the\n"
	"reporting CPU's last step.  Prints one line per group, most members\n"
	"first (count, class, smallest member, signature), then how many files\n"
	"showed nothing or could not be read.  A text schedule's header names\n"
	"its scenario and settings; SCENARIO is for files that do not.\n"
	"Options:\n"
	"  --minimize OUTDIR   per group, the smallest member minimized (replay\n"
	"                      --minimize) in OUTDIR/group-N.txt\n"
	"%s"
	"  --override          the settings above win over a file's header\n"
	"Exit status: 0 done (whatever was found), 2 a usage or input error.\n";

static void usage(const char *why)
{
	fprintf(stderr, "triage: %s (triage --help)\n", why);
	exit(TARGET_EXIT_USAGE);
}

/* The reporting CPU's last step before the verdict: "func file:line". */
static void report_site(char *buf, size_t len, const struct sched_report *r)
{
	const struct sched_site *site = NULL;

	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (e->step > r->step)
			break;
		if (e->cpu == r->cpu && e->site && e->op != SCHED_OP_VERDICT)
			site = e->site;
	}
	if (site)
		snprintf(buf, len, " at %s %s:%d", site->func, site->file,
			 site->line);
	else
		buf[0] = 0;
}

static void signature(char *sig, size_t len, const struct sched_report *r)
{
	char site[160] = "";
	size_t o = 0;

	o += (size_t)snprintf(sig, len, "%s: ", sched_verdict_name(r->verdict));
	for (const char *c = r->detail; *c && o + 2 < len; c++) {
		if (*c >= '0' && *c <= '9') {
			while (c[1] >= '0' && c[1] <= '9')
				c++;
			sig[o++] = 'N';
		} else {
			sig[o++] = *c;
		}
	}
	sig[o] = 0;
	if (!(r->verdict->flags & SCHED_CLASS_STATE))
		report_site(site, sizeof(site), r);
	snprintf(sig + o, len - o, "%s", site);
}

static void triage_file(const char *path)
{
	struct target_input in;
	struct sched_result res;
	const struct scenario *sc;
	size_t size = 0;
	uint8_t *data = target_read_file("triage", path, &size);
	char sig[400];
	int g, bad;

	if (!data) {
		unreadable++;
		return;
	}
	bad = target_load(&in, data, size, true) ||
	      target_configure(&user, &in, override, &sc) ||
	      target_exec(sc, &in, &res);
	target_unload(&in);
	free(data);
	if (bad) {
		fprintf(stderr, "triage: %s: %s\n", path, target_error());
		unreadable++;
		return;
	}
	if (!res.nreports || res.reports[0].verdict->flags & SCHED_CLASS_NOT_BUG) {
		clean++;
		return;
	}
	signature(sig, sizeof(sig), &res.reports[0]);
	for (g = 0; g < ngroups && strcmp(groups[g].sig, sig); g++)
		;
	if (g == ngroups) {
		if (ngroups == MAX_GROUPS) {
			fprintf(stderr, "triage: more than %d groups\n",
				MAX_GROUPS);
			exit(TARGET_EXIT_USAGE);
		}
		snprintf(groups[g].sig, sizeof(groups[g].sig), "%s", sig);
		groups[g].v = res.reports[0].verdict;
		ngroups++;
	}
	groups[g].count++;
	if (!groups[g].smallest || size < groups[g].smallest_size ||
	    (size == groups[g].smallest_size &&
	     strcmp(path, groups[g].smallest) < 0)) {
		free(groups[g].smallest);
		groups[g].smallest = strdup(path);
		groups[g].smallest_size = size;
	}
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder's regular files, in name order (so the output is stable). */
static void triage_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **paths = NULL;
	size_t n = 0;

	if (!d) {
		fprintf(stderr, "triage: %s: %s\n", dir, strerror(errno));
		unreadable++;
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;
		char *p;

		if (e->d_name[0] == '.')
			continue;
		p = malloc(strlen(dir) + strlen(e->d_name) + 2);
		sprintf(p, "%s/%s", dir, e->d_name);
		if (stat(p, &st) || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		paths = realloc(paths, (n + 1) * sizeof(*paths));
		paths[n++] = p;
	}
	closedir(d);
	if (n)
		qsort(paths, n, sizeof(*paths), by_path);
	for (size_t i = 0; i < n; i++) {
		triage_file(paths[i]);
		free(paths[i]);
	}
	free(paths);
}

static int by_count(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->sig, y->sig);
}

static void minimize_group(int g, const char *dir)
{
	struct target_min_result m;
	struct target_input in;
	const struct scenario *sc;
	char path[4096];
	size_t size;
	uint8_t *data = target_read_file("triage", groups[g].smallest, &size);
	int bad;

	if (!data)
		return;
	bad = target_load(&in, data, size, true) ||
	      target_configure(&user, &in, override, &sc);
	target_unload(&in);
	if (bad || target_minimize(sc, data, size, groups[g].v, &m)) {
		fprintf(stderr, "triage: %s: cannot minimize\n",
			groups[g].smallest);
		free(data);
		unreadable++;
		return;
	}
	free(data);
	snprintf(path, sizeof(path), "%s/group-%d.txt", dir, g + 1);
	if (target_write_text("triage", path, sc)) {
		unreadable++;
		return;
	}
	printf("  group %d minimized: %u -> %u preemptions, in %s\n", g + 1,
	       m.before_preemptions, m.after_preemptions, path);
}

/* OUTDIR: a folder (made when missing) this process can write to. */
static void check_outdir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "triage: %s: %s\n", dir, strerror(errno));
		exit(TARGET_EXIT_USAGE);
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode) || access(dir, W_OK)) {
		fprintf(stderr, "triage: %s: %s\n", dir,
			!stat(dir, &st) && !S_ISDIR(st.st_mode) ?
			"not a folder" : "not writable");
		exit(TARGET_EXIT_USAGE);
	}
}

int main(int argc, char **argv)
{
	const char *min_dir = NULL;
	int i;

	target_settings_env(&user, "triage");
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		target_help_version(a, help);
		if (!strcmp(a, "--override")) {
			override = true;
		} else if (!v) {
			usage("an option lacks its value, or is unknown");
		} else if (target_settings_option(&user, "triage", a, v)) {
			i++;
		} else if (!strcmp(a, "--minimize")) {
			min_dir = argv[++i];
		} else {
			usage("unknown option");
		}
	}
	i = target_scenario_arg("triage", &user, argc, argv, i);
	if (i >= argc)
		usage("no file or folder");
	if (user.from[SCHED_SET_SCENARIO]) {
		const struct scenario *sc;

		if (target_configure(&user, NULL, false, &sc)) {
			fprintf(stderr, "triage: %s\n", target_error());
			return TARGET_EXIT_USAGE;
		}
	}
	if (min_dir)
		check_outdir(min_dir);
	for (; i < argc; i++) {
		struct stat st;

		if (!stat(argv[i], &st) && S_ISDIR(st.st_mode))
			triage_dir(argv[i]);
		else
			triage_file(argv[i]);
	}
	if (ngroups)
		qsort(groups, (size_t)ngroups, sizeof(groups[0]), by_count);
	for (int g = 0; g < ngroups; g++) {
		printf("%6u  %-22s %s (%zu bytes)  %s\n", groups[g].count,
		       groups[g].v->name, groups[g].smallest,
		       groups[g].smallest_size, groups[g].sig);
		if (min_dir)
			minimize_group(g, min_dir);
	}
	printf("%d groups; %u files without a violation, %u unreadable\n",
	       ngroups, clean, unreadable);
	return unreadable ? TARGET_EXIT_USAGE : TARGET_EXIT_OK;
}
