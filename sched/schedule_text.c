/*
 * schedule_text.c - schedules people can read and edit.
 *
 *   schedfuzz schedule v1          the first line, always
 *   # a comment; blank lines are fine
 *   scenario lock_anon_vma         the settings the execution depends
 *   variant v2.6.36                on (each optional; a tool refuses a
 *   memory weak                    setting of its own that contradicts
 *   noise 2                        one of these)
 *   max-steps 4000
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
#include <strings.h>

#include "engine.h"

#define MAGIC "schedfuzz schedule v1"

const char *const sched_setting_names[SCHED_SET_NR] = {
	"scenario", "variant", "memory", "noise", "max-steps",
};

bool sched_text_is(const uint8_t *data, size_t size)
{
	size_t n = strlen(MAGIC);

	return size >= n && !memcmp(data, MAGIC, n) &&
	       (size == n || data[n] == '\n' || data[n] == '\r');
}

/* After a UTF-8 byte-order mark and blanks, "schedfuzz" in any case. */
bool sched_text_near_miss(const uint8_t *data, size_t size)
{
	size_t i = 0;

	if (size >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < size && (data[i] == ' ' || data[i] == '\t'))
		i++;
	return !sched_text_is(data, size) && size - i >= 9 &&
	       !strncasecmp((const char *)data + i, "schedfuzz", 9);
}

void sched_escape(char *buf, size_t len, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
	}
	if (len)
		buf[o < len ? o : len - 1] = 0;
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

/* Nothing but blanks or a comment is left on the line. */
static int end_of_line(struct parser *ps, const char *eol)
{
	const char *wend, *w = word(ps, eol, &wend);
	char esc[64];

	if (w == wend)
		return 0;
	sched_escape(esc, sizeof(esc), w, (size_t)(wend - w));
	return fail(ps, w, "unexpected '%s'", esc);
}

static bool any_decision(const struct sched_text *t)
{
	for (int k = 0; k < SCHED_DECIDE_NR; k++)
		if (t->q[k].n)
			return true;
	return false;
}

/* "memory weak": one printable word, once, before programs and
 * decisions.  Whether the value names something is the tool's to say. */
static int parse_setting(struct parser *ps, struct sched_text *t, int k,
			 const char *w, const char *eol)
{
	const char *vend, *v = word(ps, eol, &vend);

	if (t->setting_line[k])
		return fail(ps, w, "a second %s line (the first is line %d)",
			    sched_setting_names[k], t->setting_line[k]);
	if (any_decision(t) || t->has_programs)
		return fail(ps, w, "settings come before programs and "
			    "decisions");
	if (v == vend)
		return fail(ps, v, "%s needs a value", sched_setting_names[k]);
	if ((size_t)(vend - v) >= sizeof(t->setting[k]))
		return fail(ps, v, "a value of more than %zu bytes",
			    sizeof(t->setting[k]) - 1);
	for (const char *c = v; c < vend; c++)
		if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e)
			return fail(ps, c, "a control or non-ASCII byte (\\x%02x)",
				    (unsigned char)*c);
	memcpy(t->setting[k], v, (size_t)(vend - v));
	t->setting_line[k] = ps->line;
	return end_of_line(ps, eol);
}

static int parse_line(struct parser *ps, struct sched_text *t, const char *eol)
{
	const char *wend, *w = word(ps, eol, &wend), *vend, *v;
	struct sched_text_entry e = { .count = 1, .line = ps->line };
	int kind;

	if (w == wend)
		return 0;	/* blank or comment */
	for (int k = 0; k < SCHED_SET_NR; k++)
		if (is(w, wend, sched_setting_names[k]))
			return parse_setting(ps, t, k, w, eol);
	if (is(w, wend, "programs")) {
		if (t->has_programs)
			return fail(ps, w, "a second programs line");
		if (any_decision(t))
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
		char esc[64];

		sched_escape(esc, sizeof(esc), w, (size_t)(wend - w));
		return fail(ps, w, "unknown keyword '%s' (cpu, alloc, release, "
			    "read, write, programs, or a setting: scenario, "
			    "variant, memory, noise, max-steps)", esc);
	}
	if (end_of_line(ps, eol))
		return -1;
	return push(ps, t, kind, e);
}

/* What is wrong with a first line that is not the format's. */
static int first_line_error(struct parser *ps)
{
	size_t n = strlen(MAGIC), len = (size_t)(ps->end - ps->p);
	const char *p = ps->p, *eol = memchr(p, '\n', len);
	char esc[64];

	if (!eol)
		eol = ps->end;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		return fail(ps, p, "a UTF-8 byte-order mark before '" MAGIC
			    "' (save the file without one)");
	if (len > n && !memcmp(p, MAGIC, n))
		return fail(ps, p + n, "'%s' after '" MAGIC "' (the first line "
			    "is exactly that)", (sched_escape(esc, sizeof(esc),
			    p + n, (size_t)(eol - p) - n), esc));
	if (len >= n - 1 && !memcmp(p, MAGIC, n - 2) && p[n - 2] == 'v') {
		sched_escape(esc, sizeof(esc), p + n - 2,
			     (size_t)(eol - p) - (n - 2));
		return fail(ps, p + n - 2, "version '%s': this schedfuzz "
			    "reads v1", esc);
	}
	return fail(ps, p, "not a text schedule (the first line must be '"
		    MAGIC "')");
}

int sched_text_parse(const char *text, size_t len, struct sched_text *t,
		     char *err, size_t errlen)
{
	struct parser ps = { text, text + len, text, 1, err, errlen };

	memset(t, 0, sizeof(*t));
	if (!sched_text_is((const uint8_t *)text, len))
		return first_line_error(&ps);
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
			    const struct sched_ask *ask)
{
	struct sched_text_source *src = (struct sched_text_source *)base;
	struct sched_text_queue *q = &src->t->q[ask->kind];
	size_t *next = &src->next[ask->kind];
	unsigned n = ask->n, dflt = ask->dflt;
	const int *cands = ask->cands;

	if (n <= 1)
		return dflt;
	while (*next < q->n) {
		struct sched_text_entry *e = &q->v[*next];
		int i = sched_label_index(cands, n, e->label);

		if (e->count == 0) {		/* "run": while it can */
			if (i >= 0) {
				e->used = true;
				return (unsigned)i;
			}
			++*next;
			continue;
		}
		e->used = true;
		if (++src->used[ask->kind] == e->count) {
			++*next;
			src->used[ask->kind] = 0;
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
			    struct sched_text *t)
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

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

bool sched_text_unused(const struct sched_text *t, char *buf, size_t len)
{
	size_t n = 0, cap = 0, o = 0;
	int *lines;

	for (int k = 0; k < SCHED_DECIDE_NR; k++)
		cap += t->q[k].n;
	buf[0] = 0;
	lines = malloc((cap ? cap : 1) * sizeof(*lines));
	if (!lines)
		return false;
	for (int k = 0; k < SCHED_DECIDE_NR; k++)
		for (size_t i = 0; i < t->q[k].n; i++)
			if (!t->q[k].v[i].used)
				lines[n++] = t->q[k].v[i].line;
	qsort(lines, n, sizeof(*lines), cmp_int);
	for (size_t i = 0; i < n && o < len; i++) {	/* "3, 7-9" */
		size_t j = i;

		while (j + 1 < n && lines[j + 1] == lines[j] + 1)
			j++;
		o += (size_t)snprintf(buf + o, len - o, "%s%d", o ? ", " : "",
				      lines[i]);
		if (j > i && o < len)
			o += (size_t)snprintf(buf + o, len - o, "-%d", lines[j]);
		i = j;
	}
	free(lines);
	return n > 0;
}

void sched_print_text(FILE *out, const char *header, const uint8_t *programs,
		      size_t nprograms)
{
	size_t n = sched_decision_count();

	fprintf(out, MAGIC "\n%s", header ? header : "");
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
