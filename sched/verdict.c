/*
 * verdict.c - the registry of violation classes, the engine's own classes,
 * and what a report does.
 *
 * Classes are collected from the sched_classes section, where SCHED_CLASS
 * puts a pointer to each, so a model adds its classes in its own folder.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

SCHED_CLASS(sched_class_deadlock, "deadlock", SCHED_CLASS_FATAL,
	    "no CPU can run (each waits for a lock, a completion or a grace "
	    "period), or a CPU takes a lock it holds");
SCHED_CLASS(sched_class_lock_mismatch, "lock-mismatch", SCHED_CLASS_FATAL,
	    "a CPU releases a lock (or leaves an RCU read-side section) it "
	    "does not hold");
SCHED_CLASS(sched_class_use_after_free, "use-after-free", SCHED_CLASS_FATAL,
	    "an access to a freed object of a cache without "
	    "SLAB_DESTROY_BY_RCU, or to a slab page that went back");
SCHED_CLASS(sched_class_null_deref, "null-deref", SCHED_CLASS_FATAL,
	    "an access through a NULL pointer (the kernel would oops)");
SCHED_CLASS(sched_class_assert, "assert", SCHED_CLASS_FATAL,
	    "a BUG_ON() condition held, or the scenario's end-of-execution "
	    "check failed");
SCHED_CLASS(sched_class_warn, "warn", 0,
	    "a WARN_ON() or WARN() condition held (the execution goes on)");
SCHED_CLASS(sched_class_step_limit, "step-limit", SCHED_CLASS_FATAL |
	    SCHED_CLASS_NOT_BUG,
	    "the execution did not end within SCHED_MAX_STEPS steps (not a "
	    "bug: a bound was hit)");

static struct sched_class *classes[SCHED_MAX_CLASSES];
static size_t nclasses;

static const char *class_name(const void *c)
{
	return ((const struct sched_class *)c)->name;
}

static void collect(void)
{
	extern struct sched_class *const __start_sched_classes[]
		__attribute__((weak));
	extern struct sched_class *const __stop_sched_classes[]
		__attribute__((weak));

	if (nclasses)
		return;
	nclasses = sched_registry_collect((void *const *)__start_sched_classes,
					  (void *const *)__stop_sched_classes,
					  (void **)classes, SCHED_MAX_CLASSES,
					  class_name, "class");
	for (size_t i = 0; i < nclasses; i++)
		classes[i]->id = (int)i + 1;
}

size_t sched_class_count(void)
{
	collect();
	return nclasses;
}

struct sched_class *sched_class_at(size_t i)
{
	collect();
	return i < nclasses ? classes[i] : NULL;
}

struct sched_class *sched_class_find(const char *name)
{
	collect();
	for (size_t i = 0; i < nclasses; i++)
		if (strcmp(classes[i]->name, name) == 0)
			return classes[i];
	return NULL;
}

const char *sched_class_names(void)
{
	static char names[SCHED_MAX_CLASSES * 32];
	size_t used = 0;

	collect();
	if (names[0])
		return names;
	for (size_t i = 0; i < nclasses && used < sizeof(names); i++)
		if (!(classes[i]->flags & SCHED_CLASS_NOT_BUG))
			used += (size_t)snprintf(names + used, sizeof(names) - used,
						 "%s%s", used ? ", " : "",
						 classes[i]->name);
	return names;
}

const char *sched_verdict_name(const struct sched_class *c)
{
	return c ? c->name : "ok";
}

void sched_report(const struct sched_class *c, const char *fmt, ...)
{
	struct sched_result *res = sched_eng.res;

	if (res->nreports < SCHED_MAX_REPORTS) {
		struct sched_report *r = &res->reports[res->nreports++];
		va_list ap;

		r->verdict = c;
		r->step = sched_eng.step;
		r->cpu = sched_current_cpu();
		va_start(ap, fmt);
		vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
		va_end(ap);
		r->nkeys = sched_eng.nkeys;
		memcpy(r->keys, sched_eng.keys, sizeof(r->keys));
	}
	sched_eng.nkeys = 0;
	if (c == SCHED_STEP_LIMIT)
		res->step_limit_hit = 1;
	sched_trace_add(SCHED_OP_VERDICT, NULL, c->name, (uint64_t)c->id, 0,
			NULL);
	if ((c->flags & SCHED_CLASS_FATAL) && !sched_eng.init_mode &&
	    sched_eng.cur != SCHED_CONTROLLER)
		sched_abort_execution();
}

void sched_report_key(const volatile void *place, uint32_t step)
{
	struct sched_key *k;
	uint32_t off = 0;

	if (sched_eng.nkeys == SCHED_MAX_KEYS ||
	    (place && !sched_arena_offset(place, &off)))
		return;
	k = &sched_eng.keys[sched_eng.nkeys++];
	k->step = step;
	k->place = place ? off + 1 : 0;
}

/* BUG_ON, BUG, WARN_ON, WARN: "BUG_ON(cond) at file:line in func()", and
 * WARN's message first. */
static void report_assertion(struct sched_class *c, const char *macro,
			     const char *cond, struct sched_site *site,
			     const char *msg)
{
	const char *base = strrchr(site->file, '/');

	sched_report(c, "%s%s%s(%s) at %s:%d in %s()%s", msg, *msg ? " (" : "",
		     macro, cond ? cond : "", base ? base + 1 : site->file,
		     site->line, site->func, *msg ? ")" : "");
}

void sched_bug(const char *cond, struct sched_site *site)
{
	report_assertion(SCHED_ASSERT, cond ? "BUG_ON" : "BUG", cond, site, "");
}

void sched_warn(const char *cond, struct sched_site *site)
{
	report_assertion(SCHED_WARN, "WARN_ON", cond, site, "");
}

void sched_warn_fmt(const char *cond, struct sched_site *site,
		    const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report_assertion(SCHED_WARN, "WARN", cond, site, msg);
}

void sched_fatal(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "schedfuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}
