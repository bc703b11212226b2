/*
 * schedule_text.c - schedules people can read and edit.
 *
 *   schedfuzz schedule v1          the first line, always
 *   # a comment; blank lines are fine
 *   programs 00 01 02 ...          the scenario's programs (hex), if any
 *   cpu 1                          the next CPU decision picks cpu1
 *   cpu 0 x6                       ... the next six pick cpu0
 *   cpu 2 run                      ... pick cpu2 while it can run
 *   alloc 3                        the next allocator decision: slot 3
 *   alloc new                      ... a new slab page
 *   release keep                   an empty slab page stays (or: release)
 *
 * Lines count decisions with more than one candidate, as the bytes of a
 * binary input do; each kind is consumed in its own order.  A line whose
 * choice is not a candidate when its turn comes, and every decision after
 * the last line, take the engine's default, as a binary input does when
 * its bytes run out; the source remembers the first such line.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define MAGIC "schedfuzz schedule v1"

bool sched_text_is(const uint8_t *data, size_t size)
{
	size_t n = strlen(MAGIC);

	return size > n && !memcmp(data, MAGIC, n) &&
	       (data[n] == '\n' || data[n] == '\r');
}

struct parser {
	const char *p, *end, *line_start;
	int line;
	char *err;
	size_t errlen;
};

static int fail(struct parser *ps, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *ps, const char *at, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "line %d, column %d: %s", ps->line,
		 (int)(at - ps->line_start) + 1, msg);
	return -1;
}

static void skip_blanks(struct parser *ps, const char *eol)
{
	while (ps->p < eol && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

/* The next word of the line, NUL-free: [start, *wend). */
static const char *word(struct parser *ps, const char *eol, const char **wend)
{
	const char *start;

	skip_blanks(ps, eol);
	start = ps->p;
	while (ps->p < eol && !isspace((unsigned char)*ps->p) && *ps->p != '#')
		ps->p++;
	*wend = ps->p;
	return start;
}

static bool is(const char *w, const char *wend, const char *lit)
{
	return (size_t)(wend - w) == strlen(lit) && !memcmp(w, lit, wend - w);
}

static long number(const char *w, const char *wend, long max)
{
	long v = 0;

	if (w == wend || wend - w > 9)
		return -1;
	for (const char *c = w; c < wend; c++) {
		if (!isdigit((unsigned char)*c))
			return -1;
		v = v * 10 + (*c - '0');
	}
	return v > max ? -1 : v;
}

static int push(struct parser *ps, struct sched_text *t, int kind,
		struct sched_text_entry e)
{
	struct sched_text_queue *q = &t->q[kind];

	if (q->n == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 64;
		struct sched_text_entry *v = realloc(q->v, cap * sizeof(*v));

		if (!v)
			return fail(ps, ps->p, "out of memory");
		q->v = v;
		q->cap = cap;
	}
	q->v[q->n++] = e;
	return 0;
}

static int parse_programs(struct parser *ps, struct sched_text *t,
			  const char *eol)
{
	for (;;) {
		const char *wend, *w = word(ps, eol, &wend);

		if (w == wend)
			return 0;
		for (const char *c = w; c < wend; c += 2) {
			char hex[3] = { c[0], c + 1 < wend ? c[1] : 0, 0 };
			char *hend;
			long v;

			if (c + 1 >= wend || !isxdigit((unsigned char)c[0]) ||
			    !isxdigit((unsigned char)c[1]))
				return fail(ps, c, "expected hex bytes");
			v = strtol(hex, &hend, 16);
			if (t->nprograms == sizeof(t->programs))
				return fail(ps, c, "more than %zu program bytes",
					    sizeof(t->programs));
			t->programs[t->nprograms++] = (uint8_t)v;
		}
	}
}

static int parse_line(struct parser *ps, struct sched_text *t, const char *eol)
{
	const char *wend, *w = word(ps, eol, &wend), *vend, *v;
	struct sched_text_entry e = { .count = 1, .line = ps->line };
	int kind;

	if (w == wend)
		return 0;	/* blank or comment */
	if (is(w, wend, "programs")) {
		if (t->has_programs)
			return fail(ps, w, "a second programs line");
		if (t->q[0].n || t->q[1].n || t->q[2].n || t->q[3].n ||
		    t->q[4].n)
			return fail(ps, w, "programs must come before decisions");
		t->has_programs = true;
		return parse_programs(ps, t, eol);
	}
	v = word(ps, eol, &vend);
	if (is(w, wend, "cpu")) {
		kind = SCHED_DECIDE_CPU;
		e.label = (int)number(v, vend, SCHED_MAX_CPUS - 1);
		if (e.label < 0)
			return fail(ps, v, "expected a CPU, 0 to %d",
				    SCHED_MAX_CPUS - 1);
		w = word(ps, eol, &wend);
		if (is(w, wend, "run")) {
			e.count = 0;
		} else if (w != wend) {
			long k = w[0] == 'x' ? number(w + 1, wend, 1000000) : -1;

			if (k < 1)
				return fail(ps, w, "expected xN (N >= 1) or run");
			e.count = (unsigned)k;
		}
	} else if (is(w, wend, "alloc")) {
		kind = SCHED_DECIDE_ALLOC;
		e.label = is(v, vend, "new") ? SCHED_ALLOC_NEW
					     : (int)number(v, vend,
							   SCHED_MAX_SLOTS - 1);
		if (e.label == -1 && !is(v, vend, "new"))
			return fail(ps, v, "expected an object slot, 0 to %d, "
				    "or new", SCHED_MAX_SLOTS - 1);
	} else if (is(w, wend, "release")) {
		kind = SCHED_DECIDE_RELEASE;
		if (is(v, vend, "keep"))
			e.label = 0;
		else if (is(v, vend, "release"))
			e.label = 1;
		else
			return fail(ps, v, "expected keep or release");
	} else if (is(w, wend, "read") || is(w, wend, "write")) {
		kind = is(w, wend, "read") ? SCHED_DECIDE_READ : SCHED_DECIDE_WRITE;
		e.label = (int)number(v, vend, 255);
		if (e.label < 0)
			return fail(ps, v, "expected how many newer stores the "
				    "%s, 0 to 255", kind == SCHED_DECIDE_READ ?
				    "load skips" : "store goes before");
	} else {
		return fail(ps, w, "unknown keyword '%.*s' (cpu, alloc, "
			    "release, read, write, programs)", (int)(wend - w), w);
	}
	w = word(ps, eol, &wend);
	if (w != wend)
		return fail(ps, w, "unexpected '%.*s'", (int)(wend - w), w);
	return push(ps, t, kind, e);
}

int sched_text_parse(const char *text, size_t len, struct sched_text *t,
		     char *err, size_t errlen)
{
	struct parser ps = { text, text + len, text, 1, err, errlen };

	memset(t, 0, sizeof(*t));
	if (!sched_text_is((const uint8_t *)text, len))
		return fail(&ps, text, "not a text schedule (first line: "
			    MAGIC ")");
	while (ps.p < ps.end) {
		const char *eol = memchr(ps.p, '\n', (size_t)(ps.end - ps.p));

		if (!eol)
			eol = ps.end;
		ps.line_start = ps.p;
		if (memchr(ps.p, 0, (size_t)(eol - ps.p))) {
			fail(&ps, (const char *)memchr(ps.p, 0,
						       (size_t)(eol - ps.p)),
			     "a NUL byte");
			sched_text_free(t);
			return -1;
		}
		if (ps.line == 1)
			ps.p = eol;	/* the magic */
		else if (parse_line(&ps, t, eol > ps.p && eol[-1] == '\r' ?
					       eol - 1 : eol)) {
			sched_text_free(t);
			return -1;
		}
		ps.p = eol + 1;
		ps.line++;
	}
	return 0;
}

void sched_text_free(struct sched_text *t)
{
	for (int k = 0; k < SCHED_DECIDE_NR; k++)
		free(t->q[k].v);
	memset(t->q, 0, sizeof(t->q));
}

static unsigned text_choose(struct sched_decisions *base,
			    enum sched_decision_kind kind, unsigned n,
			    const int *cands, unsigned dflt)
{
	struct sched_text_source *src = (struct sched_text_source *)base;
	const struct sched_text_queue *q = &src->t->q[kind];
	size_t *next = &src->next[kind];

	if (n <= 1)
		return dflt;
	while (*next < q->n) {
		const struct sched_text_entry *e = &q->v[*next];
		int i = sched_label_index(cands, n, e->label);

		if (e->count == 0) {		/* "run": while it can */
			if (i >= 0)
				return (unsigned)i;
			++*next;
			continue;
		}
		if (++src->used[kind] == e->count) {
			++*next;
			src->used[kind] = 0;
		}
		if (i >= 0)
			return (unsigned)i;
		if (!src->failed_line)
			src->failed_line = e->line;
		return dflt;
	}
	return dflt;
}

void sched_text_source_init(struct sched_text_source *src,
			    const struct sched_text *t)
{
	*src = (struct sched_text_source){ .base.choose = text_choose, .t = t };
}

/* The first event of step, by cpu when cpu >= 0. */
static const struct sched_event *event_at(uint32_t step, int cpu)
{
	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (e->step == step && (cpu < 0 || e->cpu == cpu) &&
		    e->op != SCHED_OP_CALL)
			return e;
	}
	return NULL;
}

static void comment(FILE *out, uint32_t step, int cpu)
{
	const struct sched_event *e = event_at(step, cpu);
	char text[320];

	if (!e) {
		fprintf(out, "\n");
		return;
	}
	sched_describe_event(text, sizeof(text), e);
	fprintf(out, "\t# step %u: %s%s%s\n", step, text,
		e->site ? ", in " : "", e->site ? e->site->func : "");
}

void sched_print_text(FILE *out, const uint8_t *programs, size_t nprograms)
{
	size_t n = sched_decision_count();

	fprintf(out, MAGIC "\n");
	if (nprograms) {
		fprintf(out, "programs");
		for (size_t i = 0; i < nprograms; i++)
			fprintf(out, " %02x", programs[i]);
		fprintf(out, "\n");
	}
	for (size_t i = 0; i < n; i++) {
		const struct sched_decision_rec *d = sched_decision(i);
		size_t j = i;

		switch (d->kind) {
		case SCHED_DECIDE_CPU:
			while (j + 1 < n && sched_decision(j + 1)->kind == d->kind &&
			       sched_decision(j + 1)->label == d->label)
				j++;
			if (j > i)
				fprintf(out, "cpu %d x%zu", d->label, j - i + 1);
			else
				fprintf(out, "cpu %d", d->label);
			comment(out, d->step, d->label);
			break;
		case SCHED_DECIDE_ALLOC:
			if (d->label == SCHED_ALLOC_NEW)
				fprintf(out, "alloc new");
			else
				fprintf(out, "alloc %d", d->label);
			comment(out, d->step, -1);
			break;
		case SCHED_DECIDE_RELEASE:
			fprintf(out, "release %s", d->label ? "release" : "keep");
			comment(out, d->step, -1);
			break;
		default:
			fprintf(out, "%s %d", d->kind == SCHED_DECIDE_READ ?
				"read" : "write", d->label);
			comment(out, d->step, -1);
			break;
		}
		i = j;
	}
}
