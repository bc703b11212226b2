/*
 * slice.c - the causal slice of a violation (slice.h says what is in it).
 *
 * One level of causes on purpose: the picture a kernel developer draws
 * shows who loaded what, who freed and reallocated it, and who locked it,
 * not the transitive history of every field.  Everything is a scan of the
 * trace, done once when a view is drawn, never on the hot path.
 */
#include <string.h>

#include "engine.h"
#include "slice.h"

int sched_first_violation(const struct sched_result *res)
{
	for (int i = 0; i < res->nreports; i++)
		if (!(res->reports[i].verdict->flags & SCHED_CLASS_NOT_BUG))
			return i;
	return -1;
}

static const struct sched_event *ev(size_t i)
{
	return sched_trace_event(i);
}

static bool same_place(const struct sched_event *a, const struct sched_event *b)
{
	return a->obj >= 0 && a->obj == b->obj && a->off == b->off;
}

/* Changes the location it names: what a load reads, a lock acquires. */
static bool writes(const struct sched_event *e)
{
	switch ((enum sched_op)e->op) {
	case SCHED_OP_STORE: case SCHED_OP_RMW: case SCHED_OP_LIST:
	case SCHED_OP_LOCK: case SCHED_OP_UNLOCK:
		return true;
	default:
		return false;
	}
}

/* The object a pointer value points into, -1 for none. */
static int pointee(uint64_t value, bool ptr)
{
	if (!ptr)
		return -1;
	return sched_obj_lookup((uint8_t *)sched_arena_base() + value, NULL);
}

static void add_edge(struct sched_slice *s, size_t from, size_t to,
		     enum sched_edge_kind kind)
{
	if (s->nedges < SCHED_SLICE_EDGES)
		s->edges[s->nedges++] = (struct sched_edge){
			(uint32_t)from, (uint32_t)to, kind };
}

/* The last write of the event at place's location before index end. */
static size_t last_write(const struct sched_event *place, size_t end)
{
	for (size_t j = end; j-- > 0;)
		if (writes(ev(j)) && same_place(ev(j), place))
			return j;
	return SIZE_MAX;
}

/* Marks the events a key names. */
static void mark_key(struct sched_slice *s, const struct sched_key *k)
{
	size_t n = s->nevents;

	if (k->place) {
		struct sched_event want = { .obj = -1 };
		size_t end = 0;
		int id = sched_obj_lookup((uint8_t *)sched_arena_base() +
					  k->place - 1, &want.off);

		want.obj = (int16_t)id;
		while (end < n && ev(end)->step <= k->step)
			end++;
		end = last_write(&want, end);
		if (end != SIZE_MAX)
			s->mark[end] |= SCHED_SLICE_KEY;
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (ev(i)->step == k->step && ev(i)->op != SCHED_OP_VERDICT)
			s->mark[i] |= SCHED_SLICE_KEY;
}

size_t sched_read_from(size_t load, size_t *missed)
{
	const struct sched_event *l = ev(load);
	uint32_t from = (uint32_t)l->aux;	/* weak: store's step + 1 */
	size_t j = last_write(l, load);

	*missed = SIZE_MAX;
	if (!from)
		return j;
	/* back to the store it read: the last store passed on the way is
	 * the one after it */
	for (; j != SIZE_MAX && (from == 1 || ev(j)->step != from - 1);
	     j = last_write(l, j))
		*missed = j;
	if (!(l->aux >> 32))
		*missed = SIZE_MAX;
	return j;
}

/* A load: the store it read (another CPU's, or an older one under weak
 * memory) and the newer store it missed. */
static void add_read_from(struct sched_slice *s, size_t i)
{
	const struct sched_event *l = ev(i);
	size_t missed, j = sched_read_from(i, &missed);

	if (missed != SIZE_MAX) {
		s->mark[missed] |= SCHED_SLICE_MISSED;
		add_edge(s, i, missed, SCHED_EDGE_MISSED);
	}
	if (j == SIZE_MAX || (ev(j)->cpu == l->cpu && missed == SIZE_MAX))
		return;
	s->mark[j] |= SCHED_SLICE_CAUSE;
	add_edge(s, j, i, SCHED_EDGE_RF);
}

/* The same CPU's last load of a pointer into the object a load reads
 * through: where the pointer came from. */
static size_t dependency(size_t i)
{
	const struct sched_event *l = ev(i);

	for (size_t j = i; j-- > 0;) {
		const struct sched_event *d = ev(j);

		if (d->cpu == l->cpu && d->op == SCHED_OP_LOAD &&
		    pointee(d->value, d->flags & SCHED_VAL_PTR) == l->obj)
			return j;
	}
	return SIZE_MAX;
}

/* A lock: the release by another CPU it acquired from. */
static void add_release(struct sched_slice *s, size_t i)
{
	const struct sched_event *l = ev(i);

	for (size_t j = i; j-- > 0;) {
		const struct sched_event *u = ev(j);

		if (!same_place(u, l) || (u->op != SCHED_OP_UNLOCK &&
					  u->op != SCHED_OP_LOCK))
			continue;
		if (u->op == SCHED_OP_UNLOCK && u->cpu != l->cpu) {
			s->mark[j] |= SCHED_SLICE_CAUSE;
			add_edge(s, j, i, SCHED_EDGE_LOCK);
		}
		return;
	}
}

/* The frees and allocations of object obj in the window [first, last],
 * each free with an edge to the allocation after it. */
static void add_life(struct sched_slice *s, int obj, uint32_t first,
		     uint32_t last)
{
	size_t freed = SIZE_MAX;

	for (size_t i = 0; i < s->nevents; i++) {
		const struct sched_event *e = ev(i);

		if (e->obj != obj || e->step < first || e->step > last ||
		    (e->op != SCHED_OP_FREE && e->op != SCHED_OP_ALLOC))
			continue;
		s->mark[i] |= SCHED_SLICE_CAUSE;
		if (e->op == SCHED_OP_ALLOC && freed != SIZE_MAX)
			add_edge(s, freed, i, SCHED_EDGE_REUSE);
		freed = e->op == SCHED_OP_FREE ? i : SIZE_MAX;
	}
}

/* No key named: the reporting CPU's last event before the verdict. */
static void mark_default_key(struct sched_slice *s)
{
	const struct sched_event *v = ev(s->verdict);

	for (size_t j = s->verdict; j-- > 0;)
		if (ev(j)->cpu == v->cpu && ev(j)->op != SCHED_OP_VERDICT) {
			s->mark[j] |= SCHED_SLICE_KEY;
			return;
		}
}

/* Adds obj to the set objs of n (at most 2 * SCHED_SLICE_EDGES). */
static int add_obj(int *objs, int n, int obj)
{
	if (obj < 0 || n == 2 * SCHED_SLICE_EDGES)
		return n;
	for (int i = 0; i < n; i++)
		if (objs[i] == obj)
			return n;
	objs[n] = obj;
	return n + 1;
}

static bool find_verdict(struct sched_slice *s, const struct sched_report *r)
{
	for (size_t i = 0; i < s->nevents; i++) {
		const struct sched_event *e = ev(i);

		if (e->op == SCHED_OP_VERDICT && e->step == r->step &&
		    e->value == (uint64_t)r->verdict->id) {
			s->verdict = (uint32_t)i;
			return true;
		}
	}
	return false;
}

void sched_slice(struct sched_slice *s, const struct sched_result *res,
		 int report)
{
	const struct sched_report *r;
	int objs[2 * SCHED_SLICE_EDGES], nobjs = 0;
	uint32_t first;

	s->nevents = sched_trace_len();
	s->nedges = 0;
	s->report = -1;
	memset(s->mark, 0, s->nevents);
	if (report < 0 || report >= res->nreports)
		return;
	r = &res->reports[report];
	if (!find_verdict(s, r))
		return;
	s->report = report;
	s->mark[s->verdict] |= SCHED_SLICE_KEY;
	for (int k = 0; k < r->nkeys; k++)
		mark_key(s, &r->keys[k]);
	if (!r->nkeys)
		mark_default_key(s);

	first = r->step;
	for (size_t i = 0; i <= s->verdict; i++) {
		const struct sched_event *e = ev(i);
		int to;

		if (!(s->mark[i] & SCHED_SLICE_KEY))
			continue;
		if (e->step < first)
			first = e->step;
		if (e->op == SCHED_OP_LOAD) {
			size_t d = dependency(i);

			add_read_from(s, i);
			if (d != SIZE_MAX && !(s->mark[d] & SCHED_SLICE_KEY)) {
				s->mark[d] |= SCHED_SLICE_CAUSE;
				add_read_from(s, d);
			}
		}
		if (e->op == SCHED_OP_LOCK)
			add_release(s, i);
		to = pointee(e->value, e->flags & SCHED_VAL_PTR);
		nobjs = add_obj(objs, nobjs, e->obj);
		nobjs = add_obj(objs, nobjs, to);
	}
	for (int o = 0; o < nobjs; o++)
		add_life(s, objs[o], first, r->step);
}
