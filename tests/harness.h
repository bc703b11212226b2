/*
 * harness.h - TAP results that say why: one "ok N - desc" or "not ok N -
 * desc" line per check, and after a failing one the file and line of the
 * check, what it expected and what came, as "#   " lines; harness_exit()
 * ends the program with its name, its counts and the plan "1..N".
 * tests/run.sh checks each plan and adds the programs up.
 *
 *	ok(cond, fmt, ...)			any condition
 *	ok_eq_int(got, want, fmt, ...)		and ok_eq_u64, ok_eq_str,
 *	ok_eq_verdict(got, want, fmt, ...)	(by sched_verdict_name)
 *	ok_cmp_int(got, op, want, fmt, ...)	e.g. ok_cmp_int(n, >, 1000, ...)
 *
 * A check of several facts is ok() of the predicates below joined with
 * &&: each is true or false like the comparison it names, and when false
 * it notes its own line, expected and got for the check's report (&& stops
 * at the first false one, so that is the one reported).
 *
 *	eq_int eq_u64 eq_ptr eq_str eq_verdict cmp_int	as above
 *	eq_bytes(got, ngot, want, nwant)	byte strings, first difference
 *	contains(str, part), starts_with(str, part)
 *	verdict_is(res, v)	the first report is v (SCHED_OK: no report)
 *	has_report(res, v), no_report(res, v)
 *
 * The last three list the reports, with their steps and details.  A
 * failing ok() whose condition noted nothing shows the condition's text.
 *
 * The macros pass the caller's __FILE__ and __LINE__ (for a check written
 * over several lines clang gives the line of its closing parenthesis).
 */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sched/sched.h"

static int harness_count, harness_failed;
/* What the predicates noted since the last check: printed under it when it
 * fails, dropped when it passes. */
static char harness_notes[8192];
static size_t harness_notes_len;

static inline __attribute__((format(printf, 1, 2)))
void harness_notef(const char *fmt, ...)
{
	size_t room = sizeof(harness_notes) - harness_notes_len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(harness_notes + harness_notes_len, room, fmt, ap);
	va_end(ap);
	harness_notes_len += n < 0 ? 0 : (size_t)n < room ? (size_t)n : room - 1;
}

/* The first lines of a predicate's note: where, and what it compared. */
static inline void harness_note_at(const char *file, int line,
				   const char *check)
{
	harness_notef("#   at %s:%d\n#   check: %s\n", file, line, check);
}

static inline __attribute__((format(printf, 5, 6)))
void harness_ok(const char *file, int line, const char *cond, bool pass,
		const char *fmt, ...)
{
	va_list ap;

	harness_count++;
	harness_failed += !pass;
	printf("%s %d - ", pass ? "ok" : "not ok", harness_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass && harness_notes_len)
		fputs(harness_notes, stdout);
	else if (!pass)
		printf("#   at %s:%d\n#   false: %s\n", file, line, cond);
	harness_notes_len = 0;
	harness_notes[0] = '\0';
	fflush(stdout);
}

/* The condition is evaluated before the description's arguments, which
 * may show what it computed. */
#define HARNESS_OK_TEXT(text, cond, ...)                                \
	do {                                                            \
		bool pass_ = (cond);                                    \
		harness_ok(__FILE__, __LINE__, text, pass_, __VA_ARGS__); \
	} while (0)
#define ok(cond, ...) HARNESS_OK_TEXT(#cond, cond, __VA_ARGS__)
/* For the ok_* below, whose predicate always notes why it failed. */
#define HARNESS_OK(pass, ...) HARNESS_OK_TEXT("", pass, __VA_ARGS__)

/* ---- predicates ----------------------------------------------------- */

static inline bool harness_cmp_int(const char *file, int line,
				   const char *check, bool pass,
				   const char *op, long long got,
				   long long want)
{
	if (pass)
		return true;
	harness_note_at(file, line, check);
	harness_notef("#   expected: %s%s%lld\n#   got: %lld\n",
		      strcmp(op, "==") ? op : "", strcmp(op, "==") ? " " : "",
		      want, got);
	return false;
}

/* The comparisons are macros of macros taking the check's text, so that
 * ok_eq_int(P(0), ...) shows "P(0)", not what P expands to. */
#define HARNESS_CMP_INT(check, got, op, want)                           \
	({                                                              \
		long long got_ = (got), want_ = (want);                 \
		harness_cmp_int(__FILE__, __LINE__, check, got_ op want_, \
				#op, got_, want_);                      \
	})
#define cmp_int(got, op, want) \
	HARNESS_CMP_INT(#got " " #op " " #want, got, op, want)
#define eq_int(got, want) HARNESS_CMP_INT(#got " == " #want, got, ==, want)

static inline bool harness_eq_u64(const char *file, int line,
				  const char *check, uint64_t got,
				  uint64_t want)
{
	if (got == want)
		return true;
	harness_note_at(file, line, check);
	harness_notef("#   expected: %" PRIu64 " (%#" PRIx64 ")\n"
		      "#   got: %" PRIu64 " (%#" PRIx64 ")\n",
		      want, want, got, got);
	return false;
}

#define HARNESS_EQ(type, check, got, want) \
	harness_eq_##type(__FILE__, __LINE__, check, (got), (want))
#define eq_u64(got, want) HARNESS_EQ(u64, #got " == " #want, got, want)

/* A pointer as the engine names its object ("page_A", "anon_vma#1"). */
static inline void harness_ptr(char *buf, size_t len, const void *p)
{
	int id = p ? sched_obj_id(p) : -1;
	size_t n;

	if (!p) {
		snprintf(buf, len, "NULL");
		return;
	}
	if (id < 0) {
		snprintf(buf, len, "%p", p);
		return;
	}
	sched_format_obj(buf, len, id);
	n = strlen(buf);
	snprintf(buf + n, len - n, " (%p)", p);
}

static inline bool harness_eq_ptr(const char *file, int line,
				  const char *check, const void *got,
				  const void *want)
{
	char g[96], w[96];

	if (got == want)
		return true;
	harness_ptr(g, sizeof(g), got);
	harness_ptr(w, sizeof(w), want);
	harness_note_at(file, line, check);
	harness_notef("#   expected: %s\n#   got: %s\n", w, g);
	return false;
}

#define eq_ptr(got, want) HARNESS_EQ(ptr, #got " == " #want, got, want)

static inline bool harness_eq_str(const char *file, int line,
				  const char *check, const char *got,
				  const char *want)
{
	if (got && want && !strcmp(got, want))
		return true;
	harness_note_at(file, line, check);
	harness_notef("#   expected: %s%s%s\n#   got: %s%s%s\n",
		      want ? "\"" : "", want ? want : "NULL", want ? "\"" : "",
		      got ? "\"" : "", got ? got : "NULL", got ? "\"" : "");
	return false;
}

#define eq_str(got, want) HARNESS_EQ(str, #got " == " #want, got, want)

/* Whether str has part in it, or at its start when at_start. */
static inline bool harness_contains(const char *file, int line,
				    const char *check, const char *str,
				    const char *part, bool at_start)
{
	const char *at = str ? strstr(str, part) : NULL;

	if (at && (!at_start || at == str))
		return true;
	harness_note_at(file, line, check);
	harness_notef("#   expected: a string %s \"%s\"\n#   got: %s%s%s\n",
		      at_start ? "starting with" : "containing", part,
		      str ? "\"" : "", str ? str : "NULL", str ? "\"" : "");
	return false;
}

#define contains(str, part)                                              \
	harness_contains(__FILE__, __LINE__, "contains(" #str ", " #part ")", \
			 (str), (part), false)
#define starts_with(str, part)                                           \
	harness_contains(__FILE__, __LINE__,                             \
			 "starts_with(" #str ", " #part ")", (str), (part), true)

static inline bool harness_eq_bytes(const char *file, int line,
				    const char *check, const void *got,
				    size_t ngot, const void *want,
				    size_t nwant)
{
	const uint8_t *g = got, *w = want;
	size_t i = 0;

	while (i < ngot && i < nwant && g[i] == w[i])
		i++;
	if (i == ngot && i == nwant)
		return true;
	harness_note_at(file, line, check);
	harness_notef("#   expected: %zu bytes\n#   got: %zu bytes, ", nwant,
		      ngot);
	if (i < ngot && i < nwant)
		harness_notef("byte %zu is %#04x, not %#04x\n", i, g[i], w[i]);
	else
		harness_notef("the same for the first %zu\n", i);
	return false;
}

#define eq_bytes(got, ngot, want, nwant)                                   \
	harness_eq_bytes(__FILE__, __LINE__, #got " == " #want, (got), (ngot), \
			 (want), (nwant))

static inline bool harness_eq_verdict(const char *file, int line,
				      const char *check,
				      const struct sched_class *got,
				      const struct sched_class *want)
{
	if (got == want)
		return true;
	harness_note_at(file, line, check);
	harness_notef("#   expected: %s\n#   got: %s\n",
		      sched_verdict_name(want), sched_verdict_name(got));
	return false;
}

#define eq_verdict(got, want) \
	HARNESS_EQ(verdict, #got " == " #want, got, want)

/* The first report's class, SCHED_OK when there is none. */
static inline const struct sched_class *first_verdict(const struct sched_result *r)
{
	return r->nreports ? r->reports[0].verdict : SCHED_OK;
}

static inline int has_verdict(const struct sched_result *r, const struct sched_class *v)
{
	for (int i = 0; i < r->nreports; i++)
		if (r->reports[i].verdict == v)
			return 1;
	return 0;
}

/* Notes what a verdict check wanted and every report the run made. */
static inline void harness_note_reports(const char *file, int line,
					const char *check, const char *want,
					const struct sched_result *r)
{
	harness_note_at(file, line, check);
	harness_notef("#   expected: %s\n", want);
	if (!r->nreports)
		harness_notef("#   got: no report\n");
	else
		harness_notef("#   got: %d report%s:\n", r->nreports,
			      r->nreports > 1 ? "s" : "");
	for (int i = 0; i < r->nreports; i++)
		harness_notef("#     %s at step %u: %s\n",
			      sched_verdict_name(r->reports[i].verdict),
			      r->reports[i].step, r->reports[i].detail);
}

static inline bool harness_verdict_is(const char *file, int line,
				      const char *check,
				      const struct sched_result *r,
				      const struct sched_class *v)
{
	char want[96];

	if (first_verdict(r) == v)
		return true;
	snprintf(want, sizeof(want), v == SCHED_OK ? "no report" :
		 "%s first", sched_verdict_name(v));
	harness_note_reports(file, line, check, want, r);
	return false;
}

#define verdict_is(res, v) \
	harness_verdict_is(__FILE__, __LINE__, "verdict_is(" #res ", " #v ")", \
			   (res), (v))

static inline bool harness_has_report(const char *file, int line,
				      const char *check,
				      const struct sched_result *r,
				      const struct sched_class *v, bool want)
{
	char what[96];

	if (has_verdict(r, v) == want)
		return true;
	snprintf(what, sizeof(what), "%s %s report", want ? "a" : "no",
		 sched_verdict_name(v));
	harness_note_reports(file, line, check, what, r);
	return false;
}

#define has_report(res, v) \
	harness_has_report(__FILE__, __LINE__, "has_report(" #res ", " #v ")", \
			   (res), (v), true)
#define no_report(res, v) \
	harness_has_report(__FILE__, __LINE__, "no_report(" #res ", " #v ")", \
			   (res), (v), false)

/* ---- one comparison, one check -------------------------------------- */

#define ok_cmp_int(got, op, want, ...) \
	HARNESS_OK(HARNESS_CMP_INT(#got " " #op " " #want, got, op, want), \
		   __VA_ARGS__)
#define ok_eq_int(got, want, ...) \
	HARNESS_OK(HARNESS_CMP_INT(#got " == " #want, got, ==, want), \
		   __VA_ARGS__)
#define ok_eq_u64(got, want, ...) \
	HARNESS_OK(HARNESS_EQ(u64, #got " == " #want, got, want), __VA_ARGS__)
#define ok_eq_str(got, want, ...) \
	HARNESS_OK(HARNESS_EQ(str, #got " == " #want, got, want), __VA_ARGS__)
#define ok_eq_verdict(got, want, ...)                                     \
	HARNESS_OK(HARNESS_EQ(verdict, #got " == " #want, got, want),    \
		   __VA_ARGS__)

/* The end of a test program: its name (the caller's file), its counts and
 * the plan; the exit status says whether a check failed. */
static inline int harness_done(const char *file)
{
	printf("# %s: %d checks, %d failed\n1..%d\n", file, harness_count,
	       harness_failed, harness_count);
	return harness_failed ? 1 : 0;
}

#define harness_exit() harness_done(__FILE__)

static inline uint64_t harness_rand(uint64_t *s)
{
	return sched_rand64(s);
}

/* n bytes of buf from the stream s, one draw each. */
static inline void harness_rand_fill(uint64_t *s, uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)harness_rand(s);
}

#endif
