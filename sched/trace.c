/*
 * trace.c - what an execution did, step by step, and how to show it.
 *
 * Events are fixed-size records in a preallocated array: no allocation on
 * the hot path.  Nothing in an event depends on where things are in memory
 * (arena offsets and stable site ids only), so the hash of a trace is the
 * same in every run, process and build of the same schedule.
 */
#include <string.h>

#include "engine.h"

#define MAX_DECISIONS (1u << 16)

static struct sched_event events[SCHED_TRACE_MAX];
static size_t nevents, nresolved;
static bool last_added;		/* the last sched_trace_add added an event */
#define OBJ_UNRESOLVED (-2)	/* off is still the arena offset */
static struct sched_decision_rec decisions[MAX_DECISIONS];
static size_t ndecisions;

static uint32_t fnv1a(uint32_t h, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

uint32_t sched_site_id(struct sched_site *site)
{
	if (!site->id) {
		const char *file = basename_of(site->file);
		uint32_t h = fnv1a(2166136261u, file, strlen(file));

		h = fnv1a(h, &site->line, sizeof(site->line));
		h = fnv1a(h, site->func, strlen(site->func));
		site->id = h ? h : 1;
	}
	return site->id;
}

/* Events up to nevents get their object id and field offset, and their
 * values in the arena become arena offsets (a weak store's aux is a count,
 * sched_trace_mark_before). */
static void resolve(void)
{
	for (; nresolved < nevents; nresolved++) {
		struct sched_event *e = &events[nresolved];
		int id;

		if (sched_normalize(&e->value))
			e->flags |= SCHED_VAL_PTR;
		if (!(e->flags & SCHED_BEFORE) && sched_normalize(&e->aux))
			e->flags |= SCHED_AUX_PTR;
		if (e->obj != OBJ_UNRESOLVED)
			continue;
		id = sched_obj_lookup((uint8_t *)sched_arena_base() + e->off,
				      &e->off);
		e->obj = (int16_t)id;
		if (id < 0)
			e->off = 0;
	}
}

void sched_trace_reset(void)
{
	nevents = 0;
	nresolved = 0;
	ndecisions = 0;
	last_added = false;
}

/* Whether an event of op is traced now: not while the world is built or
 * checked, but for an RCU callback's accesses and the check's verdicts. */
static bool traced(enum sched_op op)
{
	if (likely(!sched_eng.init_mode))
		return nevents < SCHED_TRACE_MAX;
	return (sched_eng.in_callback ||
		(sched_eng.checking && op == SCHED_OP_VERDICT)) &&
	       nevents < SCHED_TRACE_MAX;
}

/* A site's first use names it; the fuzz targets' coverage sees each event
 * (off: its arena offset, UINT32_MAX for none).  Out of line, so that
 * the common case saves no registers. */
static __attribute__((noinline)) void site_and_coverage(
	const struct sched_event *e, struct sched_site *site, uint32_t off)
{
	if (site && !site->id)
		sched_site_id(site);
	if (sched_cov_mask)
		sched_cov_event(e->op, e->cpu, off, site ? site->id : 0);
}

size_t sched_trace_add(enum sched_op op, const volatile void *p,
		       const char *what, uint64_t value, uint64_t aux,
		       struct sched_site *site)
{
	struct sched_event *e;
	uint32_t off = 0;
	bool in_use;

	last_added = traced(op);
	if (!last_added)
		return SIZE_MAX;
	e = &events[nevents++];
	/* The object and field are looked up, and pointers made offsets, when
	 * the trace is read (resolve): neither changes within an execution,
	 * and most events are never read. */
	in_use = sched_arena_offset(p, &off) && off < sched_arena_top;
	e->step = sched_eng.step;
	e->cpu = (int8_t)(sched_eng.in_callback ? -1 : sched_current_cpu());
	e->op = (uint8_t)op;
	e->flags = 0;
	e->obj = in_use ? OBJ_UNRESOLVED : -1;
	e->off = in_use ? off : 0;
	e->what = what;
	e->value = value;
	e->aux = aux;
	e->site = site;
	e->prim = NULL;
	if (unlikely((site && !site->id) || sched_cov_mask))
		site_and_coverage(e, site, in_use ? off : UINT32_MAX);
	return nevents - 1;
}

void sched_trace_set_plain(size_t i)
{
	if (i < nevents)
		events[i].flags |= SCHED_PLAIN;
}

void sched_trace_set_value(size_t i, uint64_t value)
{
	if (i >= nevents)
		return;
	/* an event not yet resolved has its value normalised by resolve() */
	events[i].flags &= (uint8_t)~SCHED_VAL_PTR;
	if (i < nresolved && sched_normalize(&value))
		events[i].flags |= SCHED_VAL_PTR;
	events[i].value = value;
}

bool sched_load_read_from(const volatile void *p, uint32_t since,
			  uint32_t *from)
{
	uint32_t off;
	int obj = sched_obj_lookup(p, &off), cpu = sched_current_cpu();

	if (obj < 0)
		return false;
	resolve();
	for (size_t i = nevents; i-- > 0 && events[i].step >= since;) {
		const struct sched_event *e = &events[i];

		if (e->cpu != cpu || e->op != SCHED_OP_LOAD || e->obj != obj ||
		    e->off != off)
			continue;
		/* a weak load's aux: the store's step + 1 (skipped stores
		 * above bit 32); 0 under sc or when the store is not known */
		*from = (uint32_t)e->aux ? (uint32_t)e->aux - 1 : e->step;
		return true;
	}
	return false;
}

uint32_t sched_trace_null_load(int cpu)
{
	for (size_t i = nevents; i-- > 0;)
		if (events[i].cpu == cpu && events[i].op == SCHED_OP_LOAD &&
		    !events[i].value && !(events[i].flags & SCHED_VAL_PTR))
			return events[i].step;
	return 0;
}

void sched_trace_mark_before(unsigned before)
{
	if (last_added) {
		events[nevents - 1].flags |= SCHED_BEFORE;
		events[nevents - 1].aux = before;
	}
}

void sched_trace_name(const char *prim, bool failed)
{
	if (last_added) {
		events[nevents - 1].prim = prim;
		if (failed)
			events[nevents - 1].flags |= SCHED_FAILED;
	}
}

void sched_trace_decision(enum sched_decision_kind kind, unsigned n,
			  unsigned choice, int label, int first_label)
{
	struct sched_decision_rec *d;

	if (ndecisions == MAX_DECISIONS)
		return;
	d = &decisions[ndecisions++];
	/* A CPU decision picks who performs the next step; the others are
	 * taken inside the step in progress. */
	d->step = sched_eng.step + (kind == SCHED_DECIDE_CPU);
	d->kind = (uint8_t)kind;
	d->n = (uint8_t)n;
	d->choice = (uint8_t)choice;
	d->cpu = (int8_t)sched_current_cpu();
	d->label = label;
	/* the current CPU, when it can run, is candidate 0 */
	d->preemption = kind == SCHED_DECIDE_CPU && choice != 0 &&
			first_label == d->cpu;
}

unsigned sched_preemptions(void)
{
	unsigned n = 0;

	for (size_t i = 0; i < ndecisions; i++)
		n += decisions[i].preemption;
	return n;
}

size_t sched_trace_len(void)
{
	return nevents;
}

const struct sched_event *sched_trace_event(size_t i)
{
	resolve();
	return i < nevents ? &events[i] : NULL;
}

size_t sched_decision_count(void)
{
	return ndecisions;
}

const struct sched_decision_rec *sched_decision(size_t i)
{
	return i < ndecisions ? &decisions[i] : NULL;
}

uint64_t sched_trace_hash(void)
{
	uint32_t h = 2166136261u, h2 = 5381;

	resolve();
	for (size_t i = 0; i < nevents; i++) {
		const struct sched_event *e = &events[i];
		uint32_t site = e->site ? e->site->id : 0;

		h = fnv1a(h, &e->step, sizeof(e->step));
		h = fnv1a(h, &e->cpu, sizeof(e->cpu));
		h = fnv1a(h, &e->op, sizeof(e->op));
		h = fnv1a(h, &e->flags, sizeof(e->flags));
		h = fnv1a(h, &e->obj, sizeof(e->obj));
		h = fnv1a(h, &e->off, sizeof(e->off));
		h = fnv1a(h, &e->value, sizeof(e->value));
		h = fnv1a(h, &e->aux, sizeof(e->aux));
		h = fnv1a(h, &site, sizeof(site));
		if (e->what)
			h = fnv1a(h, e->what, strlen(e->what));
		if (e->prim)
			h = fnv1a(h, e->prim, strlen(e->prim));
		h2 = h2 * 33 + h;
	}
	/* field by field: the record's padding is not part of the trace */
	for (size_t i = 0; i < ndecisions; i++) {
		const struct sched_decision_rec *d = &decisions[i];

		h = fnv1a(h, &d->step, sizeof(d->step));
		h = fnv1a(h, &d->kind, sizeof(d->kind));
		h = fnv1a(h, &d->n, sizeof(d->n));
		h = fnv1a(h, &d->choice, sizeof(d->choice));
		h = fnv1a(h, &d->cpu, sizeof(d->cpu));
		h = fnv1a(h, &d->preemption, sizeof(d->preemption));
		h = fnv1a(h, &d->label, sizeof(d->label));
	}
	return (uint64_t)h << 32 | h2;
}

/* ---- rendering ---------------------------------------------------------- */

/*
 * The expression as written, with its base variable replaced by the name of
 * the object it reached: "&anon_vma->lock" on anon_vma#0 reads
 * "&anon_vma#0->lock".  A plain access has no expression: the object and
 * the field's offset, "anon_vma#0+8".
 */
static void lvalue(char *buf, size_t len, const struct sched_event *e)
{
	const char *what = e->what ? e->what : "";
	const char *arrow = strstr(what, "->");
	size_t lead = strspn(what, "(&*");
	char obj[64];

	if (!e->what && e->obj >= 0) {
		sched_format_obj(obj, sizeof(obj), e->obj);
		if (e->off)
			snprintf(buf, len, "%s+%u", obj, e->off);
		else
			snprintf(buf, len, "%s", obj);
		return;
	}
	if (e->obj < 0) {
		snprintf(buf, len, "%s", what);
		return;
	}
	sched_format_obj(obj, sizeof(obj), e->obj);
	if (!arrow || arrow < what + lead) {
		if (!strcmp(what + lead, obj) && !e->off)	/* "*x" on x */
			snprintf(buf, len, "%s", obj);
		else
			snprintf(buf, len, "%s [%s]", what, obj);
		return;
	}
	snprintf(buf, len, "%.*s%s%s", (int)lead, what, obj, arrow);
}

/* Weak memory: which store a load read, from its aux (sched_event), as
 * " [step 12, 1 newer]" or " [initial]"; empty under sc. */
static void rf_text(char *buf, size_t len, uint64_t aux)
{
	unsigned age = (unsigned)(aux >> 32);
	char from[24] = "initial";

	if (!aux) {
		buf[0] = 0;
		return;
	}
	if ((uint32_t)aux != 1)
		snprintf(from, sizeof(from), "step %u", (unsigned)(uint32_t)aux - 1);
	if (age)
		snprintf(buf, len, " [%s, %u newer]", from, age);
	else
		snprintf(buf, len, " [%s]", from);
}

/* One event as a short phrase, code-like where it can be. */
void sched_describe_event(char *buf, size_t len, const struct sched_event *e)
{
	char lv[96], val[48], aux[48], rf[48];

	lvalue(lv, sizeof(lv), e);
	sched_format_value(val, sizeof(val), e->value, e->flags & SCHED_VAL_PTR);
	sched_format_value(aux, sizeof(aux), e->aux, e->flags & SCHED_AUX_PTR);
	rf_text(rf, sizeof(rf), e->op == SCHED_OP_LOAD ? e->aux : 0);
	switch ((enum sched_op)e->op) {
	case SCHED_OP_LOAD:	/* weak mode: which store it read */
		if (e->prim)
			snprintf(buf, len, "%s(%s)%s%s%s", e->prim, lv,
				 e->flags & SCHED_FAILED ? " fails, reads " : ": ",
				 val, rf);
		else
			snprintf(buf, len, "read %s: %s%s", lv, val, rf);
		break;
	case SCHED_OP_STORE:
		if (e->prim)
			snprintf(buf, len, "%s(%s): %s", e->prim, lv, val);
		else if (e->flags & SCHED_BEFORE)
			snprintf(buf, len, "%s = %s [before %u newer]", lv, val,
				 (unsigned)e->aux);
		else
			snprintf(buf, len, "%s = %s", lv, val);
		break;
	case SCHED_OP_RMW:
		if (e->prim)
			snprintf(buf, len, "%s(%s): %s -> %s", e->prim, lv, aux,
				 val);
		else
			snprintf(buf, len, "atomic %s: %s -> %s", lv, aux, val);
		break;
	case SCHED_OP_LOCK:	/* aux: 0 spin lock, 1 rwsem read, 2 write */
		snprintf(buf, len, "%s(%s)", e->prim ? e->prim : e->aux == 2 ?
			 "down_write" : e->aux == 1 ? "down_read" : "spin_lock", lv);
		break;
	case SCHED_OP_UNLOCK:
		snprintf(buf, len, "%s(%s)", e->prim ? e->prim : e->aux == 2 ?
			 "up_write" : e->aux == 1 ? "up_read" : "spin_unlock", lv);
		break;
	case SCHED_OP_BLOCK:	/* value: what it waits for (enum block_kind) */
		snprintf(buf, len, "waits for %s%s",
			 e->value == BLOCK_STORE ? "a store to " : "", lv);
		break;
	case SCHED_OP_RCU_LOCK:
	case SCHED_OP_RCU_UNLOCK:
	case SCHED_OP_SYNC_RCU:
	case SCHED_OP_CALL_RCU:
	case SCHED_OP_BARRIER:
		snprintf(buf, len, "%s()", e->what);
		break;
	case SCHED_OP_ALLOC:
		snprintf(buf, len, "alloc: %s (gen %s)", val, aux);
		break;
	case SCHED_OP_FREE:
		snprintf(buf, len, "free %s", val);
		break;
	case SCHED_OP_LIST:
		if (e->aux == 2)
			snprintf(buf, len, "list_del(%s)", lv);
		else
			snprintf(buf, len, "%s(%s, %s)",
				 e->aux ? "list_add_tail" : "list_add",
				 lv, val);
		break;
	case SCHED_OP_WAIT:
		snprintf(buf, len, "wait_for_completion(%s)", lv);
		break;
	case SCHED_OP_COMPLETE:
		snprintf(buf, len, "complete(%s)", lv);
		break;
	case SCHED_OP_RELEASE_PAGE:
		sched_format_obj(lv, sizeof(lv), e->obj);
		snprintf(buf, len, "the slab page of %s goes back", lv);
		break;
	case SCHED_OP_CALL:
		snprintf(buf, len, "%s %s", e->what, val);
		break;
	case SCHED_OP_VERDICT:
		snprintf(buf, len, "VIOLATION %s", e->what);
		break;
	default:
		snprintf(buf, len, "?");
	}
}

void sched_print_events(FILE *out)
{
	char text[320];

	resolve();
	for (size_t i = 0; i < nevents; i++) {
		const struct sched_event *e = &events[i];

		sched_describe_event(text, sizeof(text), e);
		if (e->cpu < 0)
			fprintf(out, "[%4u] rcu : %s\n", e->step, text);
		else if (e->site)
			fprintf(out, "[%4u] cpu%d: %s, in %s %s:%d\n", e->step,
				e->cpu, text, e->site->func, e->site->file,
				e->site->line);
		else
			fprintf(out, "[%4u] cpu%d: %s\n", e->step, e->cpu, text);
	}
}

void sched_note(struct sched_site *site, const char *what, uint64_t value)
{
	sched_trace_add(SCHED_OP_CALL, NULL, what, value, 0, site);
}
