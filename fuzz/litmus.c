/*
 * litmus.c - out/litmus: runs LKMM C-litmus files (the format of the
 * kernel's tools/memory-model/litmus-tests) on the engine and says, as
 * herd7 does, whether the condition's outcome shows:
 *
 *	out/litmus [--memory sc|weak|weak-alpha] [--states] [--stats]
 *		   [--witness] [--max-executions N] FILE.litmus...
 *
 * Per file: with --states the final states ("States N" and one line
 * each), then "Observation NAME Never|Sometimes|Always P N" (P final
 * states satisfy the condition, N do not), then "Verdict NAME: ..." when
 * the file has a Result: line: agrees, a departure the file documents
 * ("schedfuzz: WORD (reason)" in its header), or DISAGREES.  With
 * --witness, the first execution whose final state satisfies the
 * condition is drawn (the per-CPU diagram of out/replay) before them.
 * Exit status: 0 every file agrees (or departs as documented), 1 one
 * disagrees, 2 a usage error or a file that cannot be read, parsed or
 * run ("FILE:LINE:COL: message", one line).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../litmus/litmus.h"

#define MAX_FILE (1u << 20)

struct options {
	bool states, stats, witness;
	unsigned long max_executions;
};

static void usage(void)
{
	fprintf(stderr, "usage: litmus [--memory sc|weak|weak-alpha] "
		"[--states] [--stats] [--witness] [--max-executions N] "
		"FILE.litmus...\n");
	exit(2);
}

/* The whole file; NULL after one line on stderr. */
static char *read_file(const char *path, size_t *len)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	char *text;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_FILE) {
		fprintf(stderr, "%s: %s\n", path, S_ISDIR(st.st_mode) ?
			"is a directory" : !S_ISREG(st.st_mode) ?
			"not a regular file" : "larger than 1 MiB");
		fclose(f);
		return NULL;
	}
	text = malloc((size_t)st.st_size + 1);
	*len = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
	if (!text || ferror(f)) {
		fprintf(stderr, "%s: %s\n", path, text ? strerror(errno) :
			"out of memory");
		free(text);
		text = NULL;
	} else {
		text[*len] = 0;
	}
	fclose(f);
	return text;
}

/* The departure the file documents for the memory model in force. */
static const struct lit_expect *departure(const struct lit_test *t)
{
	const char *m = sched_memory_name();

	if (!strcmp(m, "weak-alpha") && t->departure_alpha.word)
		return &t->departure_alpha;
	return strcmp(m, "sc") && t->departure.word ? &t->departure : NULL;
}

/* Prints the verdict; returns 1 when the file disagrees.  An expected
 * DEADLOCK is no final state at all. */
static int verdict(const struct lit_test *t, const struct lit_search *s)
{
	enum lit_word seen = t->result.word == LIT_DEADLOCK && !s->complete ?
			     LIT_DEADLOCK : s->observation;

	const struct lit_expect *d = departure(t);
	const char *lkmm = lit_word_name(t->result.word);

	if (!t->result.word) {
		printf("Verdict %s: no Result line to check\n", t->name);
		return 0;
	}
	if (d && d->word == seen && seen != t->result.word) {
		printf("Verdict %s: departure (Result: %s; %s, %s)\n", t->name,
		       lkmm, lit_word_name(seen), d->reason);
		return 0;
	}
	if (seen == t->result.word && !d) {
		printf("Verdict %s: agrees (Result: %s)\n", t->name, lkmm);
		return 0;
	}
	printf("Verdict %s: DISAGREES (Result: %s, line %d%s%s%s)\n", t->name,
	       lkmm, t->result.line, d ? "; documented departure: " : "",
	       d ? lit_word_name(d->word) : "",
	       d && seen == t->result.word ? ", not seen: remove it" : "");
	return 1;
}

static void notes(const struct lit_test *t, const struct lit_search *s)
{
	if (s->deadlocked)
		printf("Note %s: %lu of %lu executions deadlock%s (%s)\n",
		       t->name, s->deadlocked, s->executions,
		       s->complete ? "" : ": no final state, as herd7 has "
		       "no candidate execution", s->deadlock);
	if (s->filtered)
		printf("Note %s: the filter rejects %lu of %lu executions%s\n",
		       t->name, s->filtered, s->executions,
		       s->complete ? "" : ": no final state");
	if (s->flagged)
		printf("Note %s: %lu executions end in a violation, not counted "
		       "(%s)\n", t->name, s->flagged, s->flag);
}

/* 0, 1 (disagrees) or 2 (an error). */
static int run_file(const char *path, const struct options *o)
{
	char err[512], line[1024];
	size_t len;
	char *text = read_file(path, &len);
	struct lit_test *t;
	struct lit_search s;
	int rc;

	if (!text)
		return 2;
	t = lit_parse(path, text, len, err, sizeof(err));
	if (!t) {
		fprintf(stderr, "%s\n", err);
		free(text);
		return 2;
	}
	if (o->witness)
		printf("Witness %s:\n", t->name);
	if (lit_search_witness(t, o->max_executions, o->witness ? stdout : NULL,
			       &s, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		lit_search_free(&s);
		lit_free(t);
		free(text);
		return 2;
	}
	if (o->states) {
		printf("Test %s\nStates %d\n", t->name, s.nstates);
		for (int i = 0; i < s.nstates; i++) {
			lit_state_text(t, &s.states[i], line, sizeof(line));
			printf("%s\n", line);
		}
		printf("Condition %s%s\n", t->quant == LIT_EXISTS ? "exists " :
		       t->quant == LIT_FORALL ? "forall " : "~exists ",
		       t->cond_text);
	}
	printf("Observation %s %s %d %d\n", t->name,
	       lit_word_name(s.observation), s.positive, s.negative);
	notes(t, &s);
	rc = verdict(t, &s);
	if (o->stats)
		printf("Stats %s: %lu executions in %.3f s (%.0f/s), longest "
		       "%d decisions, %s\n", t->name, s.executions, s.seconds,
		       s.seconds > 0 ? (double)s.executions / s.seconds : 0.0,
		       s.max_depth, sched_memory_name());
	fflush(stdout);
	lit_search_free(&s);
	lit_free(t);
	free(text);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o = { .max_executions = 2000000 };
	const char *memory = getenv("SCHED_MEMORY");
	int i, rc = 0;

	if (!memory || !*memory)
		memory = "weak";
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--memory") && i + 1 < argc) {
			memory = argv[++i];
		} else if (!strcmp(argv[i], "--states")) {
			o.states = true;
		} else if (!strcmp(argv[i], "--stats")) {
			o.stats = true;
		} else if (!strcmp(argv[i], "--witness")) {
			o.witness = true;
		} else if (!strcmp(argv[i], "--max-executions") && i + 1 < argc) {
			char *end;

			o.max_executions = strtoul(argv[++i], &end, 10);
			if (*end || !o.max_executions || argv[i][0] == '-') {
				fprintf(stderr, "litmus: --max-executions takes "
					"a number of at least 1, not '%s'\n",
					argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			fprintf(stderr, "litmus: unknown option '%s'\n", argv[i]);
			usage();
		}
	}
	if (i == argc)
		usage();
	if (sched_set_memory(memory)) {
		fprintf(stderr, "litmus: unknown memory model '%s' (valid: sc, "
			"weak, weak-alpha)\n", memory);
		return 2;
	}
	for (; i < argc; i++) {
		int r = run_file(argv[i], &o);

		rc = r > rc ? r : rc;
	}
	return rc;
}
