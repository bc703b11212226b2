/*
 * triage - group crash files by what they found.
 *
 *   out/triage [--variant NAME] [--minimize OUTDIR] SCENARIO DIR|FILE...
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
 * Exit status: 0 done (whatever was found), 2 a usage or input error.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../rmap/rmap.h"
#include "target.h"

#define MAX_GROUPS 256

struct group {
	char sig[400];
	enum sched_verdict v;
	unsigned count;
	char *smallest;
	size_t smallest_size;
};

static struct group groups[MAX_GROUPS];
static int ngroups;
static unsigned clean, unreadable;

static void usage(void)
{
	fprintf(stderr, "usage: triage [--variant NAME] [--minimize OUTDIR] "
		"SCENARIO DIR|FILE...\n");
	exit(2);
}

static bool chain_class(enum sched_verdict v)
{
	return v == SCHED_RMAP_UNREACHABLE || v == SCHED_RMAP_WALK_MISSED ||
	       v == SCHED_CHAIN_MISMATCH || v == SCHED_ANON_VMA_FREED_IN_USE;
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
	if (!chain_class(r->verdict))
		report_site(site, sizeof(site), r);
	snprintf(sig + o, len - o, "%s", site);
}

static void triage_file(const struct scenario *sc, const char *path)
{
	struct sched_result res;
	size_t size = 0;
	uint8_t *data = target_read_file("triage", path, &size);
	char sig[400];
	int g;

	if (!data) {
		unreadable++;
		return;
	}
	if (target_run(sc, data, size, &res)) {
		fprintf(stderr, "triage: %s: %s\n", path, target_error());
		unreadable++;
		free(data);
		return;
	}
	free(data);
	if (!res.nreports || res.reports[0].verdict == SCHED_STEP_LIMIT) {
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
			exit(2);
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
static void triage_dir(const struct scenario *sc, const char *dir)
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
	qsort(paths, n, sizeof(*paths), by_path);
	for (size_t i = 0; i < n; i++) {
		triage_file(sc, paths[i]);
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

static void minimize_group(const struct scenario *sc, int g, const char *dir)
{
	struct target_min_result m;
	char path[4096];
	size_t size;
	uint8_t *data = target_read_file("triage", groups[g].smallest, &size);
	FILE *f;

	if (!data || target_minimize(sc, data, size, groups[g].v, &m)) {
		fprintf(stderr, "triage: %s: cannot minimize\n",
			groups[g].smallest);
		free(data);
		return;
	}
	free(data);
	snprintf(path, sizeof(path), "%s/group-%d.txt", dir, g + 1);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "triage: %s: %s\n", path, strerror(errno));
		return;
	}
	sched_print_text(f, target_programs(), sc->header_size);
	fclose(f);
	printf("  group %d minimized: %u -> %u preemptions, in %s\n", g + 1,
	       m.before_preemptions, m.after_preemptions, path);
}

int main(int argc, char **argv)
{
	const char *min_dir = NULL;
	const struct scenario *sc;
	int i;

	rmap_variant_from_env();
	target_memory_from_env("triage");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--variant") && i + 1 < argc) {
			if (target_use_variant("triage", argv[++i]))
				return 2;
		} else if (!strcmp(argv[i], "--minimize") && i + 1 < argc) {
			min_dir = argv[++i];
		} else {
			usage();
		}
	}
	if (argc - i < 2)
		usage();
	sc = scenario_find(argv[i]);
	if (!sc) {
		fprintf(stderr, "triage: unknown scenario '%s' (valid: %s)\n",
			argv[i], scenario_names());
		return 2;
	}
	if (min_dir && mkdir(min_dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "triage: %s: %s\n", min_dir, strerror(errno));
		return 2;
	}
	scenario_noise_from_env(sc);
	for (i++; i < argc; i++) {
		struct stat st;

		if (!stat(argv[i], &st) && S_ISDIR(st.st_mode))
			triage_dir(sc, argv[i]);
		else
			triage_file(sc, argv[i]);
	}
	qsort(groups, (size_t)ngroups, sizeof(groups[0]), by_count);
	for (int g = 0; g < ngroups; g++) {
		printf("%6u  %-22s %s (%zu bytes)  %s\n", groups[g].count,
		       sched_verdict_name(groups[g].v), groups[g].smallest,
		       groups[g].smallest_size, groups[g].sig);
		if (min_dir)
			minimize_group(sc, g, min_dir);
	}
	printf("%d groups; %u files without a violation, %u unreadable\n",
	       ngroups, clean, unreadable);
	return unreadable ? 2 : 0;
}
