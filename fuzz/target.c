/*
 * target.c - saying what happened: verdicts, self-describing text
 * schedules, class sets, the replay command.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target.h"

bool target_print_verdicts(FILE *out, const struct sched_result *res)
{
	bool violation = false;

	for (int i = 0; i < res->nreports; i++) {
		const struct sched_report *r = &res->reports[i];

		if (r->verdict->flags & SCHED_CLASS_NOT_BUG) {
			fprintf(out, "STEP-LIMIT: %s\n", r->detail);
			continue;
		}
		fprintf(out, "VIOLATION %s: %s (step %u)\n", r->verdict->name,
			r->detail, r->step);
		violation = true;
	}
	if (!res->nreports)
		fprintf(out, "OK\n");
	return violation;
}

int target_write_text(const char *tool, const char *path,
		      const struct scenario *sc)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", tool, path, strerror(errno));
		return -1;
	}
	sched_print_text(f, target_header(), target_programs(),
			 sc->header_size);
	if (fclose(f)) {
		fprintf(stderr, "%s: %s: %s\n", tool, path, strerror(errno));
		return -1;
	}
	return 0;
}

bool target_parse_classes(const char *tool, const char *what,
			  const char *spec, bool set[SCHED_MAX_CLASSES + 1])
{
	char buf[1024], *tok, *save;

	memset(set, 0, (SCHED_MAX_CLASSES + 1) * sizeof(set[0]));
	if (!*spec) {
		fprintf(stderr, "%s: %s is empty (all, none, or classes: %s)\n",
			tool, what, sched_class_names());
		return false;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		struct sched_class *c = sched_class_find(tok);

		if (!strcmp(tok, "all")) {
			for (size_t i = 0; i < sched_class_count(); i++)
				set[sched_class_at(i)->id] =
					!(sched_class_at(i)->flags &
					  SCHED_CLASS_NOT_BUG);
		} else if (strcmp(tok, "none")) {
			char esc[64];

			if (c && !(c->flags & SCHED_CLASS_NOT_BUG)) {
				set[c->id] = true;
				continue;
			}
			sched_escape(esc, sizeof(esc), tok, strlen(tok));
			fprintf(stderr, "%s: unknown class '%s' in %s (all, none, "
				"or: %s)\n", tool, esc, what,
				sched_class_names());
			return false;
		}
	}
	return true;
}

void target_help_version(const char *arg, const char *help)
{
	if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
		printf(help, target_settings_help);
		exit(TARGET_EXIT_OK);
	}
	if (!strcmp(arg, "--version")) {
		printf("schedfuzz " SCHED_VERSION "\n");
		exit(TARGET_EXIT_OK);
	}
}

int target_scenario_arg(const char *tool, struct target_settings *user,
			int argc, char **argv, int i)
{
	if (i < argc && scenario_find(argv[i]) && access(argv[i], F_OK)) {
		target_settings_option(user, tool, "--scenario", argv[i]);
		return i + 1;
	}
	if (argc - i >= 2 && access(argv[i], F_OK) && !strchr(argv[i], '/')) {
		fprintf(stderr, "%s: unknown scenario '%s' (replay --list lists "
			"them)\n", tool, argv[i]);
		exit(TARGET_EXIT_USAGE);
	}
	return i;
}

void target_replay_command(char *buf, size_t len, const char *argv0,
			   const char *path)
{
	char self[PATH_MAX], file[PATH_MAX], *slash;

	if (!realpath("/proc/self/exe", self) && !realpath(argv0, self))
		self[0] = 0;
	slash = strrchr(self, '/');
	if (slash)
		snprintf(slash + 1, sizeof(self) - (size_t)(slash + 1 - self),
			 "replay");
	if (!slash || access(self, X_OK))	/* no replay beside it */
		snprintf(self, sizeof(self), "out/replay");
	if (!realpath(path, file))
		snprintf(file, sizeof(file), "%s", path);
	snprintf(buf, len, "%s %s", self, file);
}
