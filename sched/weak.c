/*
 * weak.c - the weak memory mode (SCHED_MEMORY=weak): a load may return an
 * older store than the latest one, as far as coherence and the loading
 * CPU's ordering constraints allow, and which one is a READ decision.
 *
 * The model is view-based, after the Promising semantics (Kang, Hur, Lahav,
 * Vafeiadis and Dreyer, POPL 2017) without promises, as in the operational
 * C11 models it builds on:
 *   - each location keeps its stores in coherence order; a store's
 *     timestamp is its position, and it carries a view (per location, the
 *     timestamp of the newest store it makes visible to whoever reads it);
 *   - each CPU has a view cur (per location, the oldest store it may still
 *     read), a view acq (what its loads carried, for smp_rmb to apply), the
 *     view its plain stores carry (rel) and the newest of its own stores;
 *   - a load may read any store at or after cur[loc] (at most WINDOW of
 *     them); a store goes to the end of coherence order.
 * The kernel's primitives map onto it as follows (LKMM names):
 *   READ_ONCE / WRITE_ONCE   plain; a load's address dependency on an
 *                            earlier load orders it after that load (not
 *                            in the alpha sub-mode, where only
 *                            smp_read_barrier_depends or rcu_dereference
 *                            does)
 *   smp_load_acquire         cur joins the view of the store read
 *   smp_store_release,       the store carries cur (A-cumulative)
 *   rcu_assign_pointer
 *   smp_rmb                  cur joins acq
 *   smp_wmb                  later stores carry this CPU's own earlier
 *                            stores (not A-cumulative, as in LKMM)
 *   smp_mb                   rmb and release, plus one global SC view
 *   value-returning atomics  smp_mb; read the latest store; smp_mb
 *   other atomics            read the latest store; the new store carries
 *                            the view of the one it replaced (release
 *                            sequences)
 *   spin_lock/unlock, rwsem, acquire and release on a view per lock
 *   completions, slab free
 *   and alloc
 *   synchronize_rcu          smp_mb, publishes cur for readers that start
 *                            later, waits, joins what finished readers saw
 *   rcu_read_lock/unlock     join the published view / publish cur
 * Departures from LKMM are listed in docs/weak-memory.md.
 *
 * Locations are 8-byte granules of the arena: two fields sharing one are
 * one location (fewer weak outcomes, never more).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine.h"

#define MAX_LOCS 4096
#define MAX_MSGS 65536
#define WINDOW 8		/* a load reads one of the 8 newest it may */
#define POOL_WORDS (1u << 24)	/* view snapshots, per execution */
#define MAX_SYNC 512
#define NDEPS 8
#define PSEUDO SCHED_CONTROLLER	/* RCU callbacks, slab constructors */
#define TS_GAP 4096u		/* between appended stores: room to insert */

static bool weak_on, weak_alpha, mode_set;

struct view {
	const uint32_t *ts;	/* entries past len are 0 */
	uint32_t len;
};

struct msg {
	uint64_t val;		/* the whole granule after the store */
	int32_t prev;		/* older store of the same location, -1 */
	uint32_t ts;
	uint32_t step;		/* the store's step, 0 for the initial value */
	uint32_t site;
	bool rmw;		/* stays right after the store it read */
	struct view v;
};

struct loc {
	uint32_t granule;
	int32_t last;		/* newest store */
};

struct dep {			/* a pointer loaded earlier, and its view */
	int obj;
	bool fenced;		/* smp_read_barrier_depends came after it */
	struct view v;
};

struct wcpu {
	uint32_t cur[MAX_LOCS], acq[MAX_LOCS], own[MAX_LOCS];
	struct view rel;
	struct dep deps[NDEPS];
	int ndeps;
};

struct sync {
	uint32_t key;		/* arena offset * 2 + kind, 0 free */
	struct view v;
};

static struct loc locs[MAX_LOCS];
static uint32_t nlocs, nlocs_last;
static struct msg msgs[MAX_MSGS];
static uint32_t nmsgs;
static uint16_t *loc_of_granule;	/* loc + 1, 0: never stored to */
static uint32_t *pool;
static uint32_t pool_used;
static struct wcpu cpus[SCHED_MAX_CPUS + 1];
static uint32_t sc_view[MAX_LOCS];	/* smp_mb's global view */
static uint32_t rcu_pub[MAX_LOCS];	/* published by synchronize_rcu */
static uint32_t rcu_done[MAX_LOCS];	/* what finished readers saw */
static struct sync syncs[MAX_SYNC];
static unsigned nsyncs;			/* in use: nothing to clear under sc */
bool sched_weak_running;		/* weak, and the CPUs are running */
static uint32_t scratch[MAX_LOCS];	/* one CPU runs at a time */

static __attribute__((noreturn)) void fatal(const char *what)
{
	sched_fatal("weak memory: %s", what);
}

int sched_set_memory(const char *name)
{
	mode_set = true;
	if (!name || !*name || !strcmp(name, "sc"))
		weak_on = weak_alpha = false;
	else if (!strcmp(name, "weak"))
		weak_on = true, weak_alpha = false;
	else if (!strcmp(name, "weak-alpha"))
		weak_on = weak_alpha = true;
	else
		return -1;
	return 0;
}

const char *sched_memory_name(void)
{
	return !weak_on ? "sc" : weak_alpha ? "weak-alpha" : "weak";
}

/* Every CPU's views and the global ones back to the initial stores, over
 * the first n locations. */
static void clear_views(uint32_t n)
{
	for (int c = 0; c <= SCHED_MAX_CPUS; c++) {
		memset(cpus[c].cur, 0, n * sizeof(uint32_t));
		memset(cpus[c].acq, 0, n * sizeof(uint32_t));
		memset(cpus[c].own, 0, n * sizeof(uint32_t));
		cpus[c].rel = (struct view){ 0 };
		cpus[c].ndeps = 0;
	}
	memset(sc_view, 0, n * sizeof(uint32_t));
	memset(rcu_pub, 0, n * sizeof(uint32_t));
	memset(rcu_done, 0, n * sizeof(uint32_t));
}

void sched_weak_reset(void)
{
	if (!loc_of_granule) {
		loc_of_granule = mmap(NULL, SCHED_ARENA_SIZE / 8 * sizeof(uint16_t),
				      PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		pool = mmap(NULL, POOL_WORDS * sizeof(uint32_t),
			    PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (loc_of_granule == MAP_FAILED || pool == MAP_FAILED)
			fatal("cannot map its tables");
	}
	for (uint32_t i = 0; i < nlocs; i++)
		loc_of_granule[locs[i].granule] = 0;
	if (nlocs > nlocs_last)
		nlocs_last = nlocs;
	/* Under sc no view was used: skip even the zero-length memsets, each
	 * a microcode assist (AVX-512 masked store) on pages never touched,
	 * which cost a large share of a libFuzzer run (docs/benchmark.md). */
	if (nlocs_last)
		clear_views(nlocs_last);
	if (nsyncs)
		memset(syncs, 0, sizeof(syncs));
	nsyncs = 0;
	nlocs = nmsgs = pool_used = 0;
	sched_weak_running = false;
}

void sched_weak_start(void)
{
	if (!mode_set) {
		const char *e = getenv("SCHED_MEMORY");

		if (sched_set_memory(e)) {
			fprintf(stderr, "schedfuzz: unknown SCHED_MEMORY '%s' "
				"(valid: sc, weak, weak-alpha)\n", e);
			exit(2);
		}
	}
	sched_weak_running = weak_on;
}


/* ---- views -------------------------------------------------------------- */

static struct view snapshot(const uint32_t *dense)
{
	uint32_t *v;

	if (pool_used + nlocs > POOL_WORDS)
		fatal("too many views in one execution");
	v = pool + pool_used;
	pool_used += nlocs;
	memcpy(v, dense, nlocs * sizeof(uint32_t));
	return (struct view){ v, nlocs };
}

static void join(uint32_t *dense, struct view v)
{
	for (uint32_t i = 0; i < v.len; i++)
		if (v.ts[i] > dense[i])
			dense[i] = v.ts[i];
}

static void join_dense(uint32_t *dense, const uint32_t *other)
{
	for (uint32_t i = 0; i < nlocs; i++)
		if (other[i] > dense[i])
			dense[i] = other[i];
}

/* The engine's own steps (RCU callbacks, slab constructors) see every
 * store. */
static void see_everything(struct wcpu *w)
{
	for (uint32_t i = 0; i < nlocs; i++)
		w->cur[i] = msgs[locs[i].last].ts;
	w->rel = snapshot(w->cur);
}

/* The views of the running CPU, or of the engine's own steps. */
static struct wcpu *me(void)
{
	if (sched_eng.init_mode) {
		see_everything(&cpus[PSEUDO]);
		return &cpus[PSEUDO];
	}
	return &cpus[sched_eng.cur];
}

/* ---- locations ---------------------------------------------------------- */

/* The granule of p, or -1 outside the arena (memory the engine does not
 * track, accessed as under sc). */
static int64_t granule_of(const volatile void *p, unsigned *shift)
{
	uint32_t off;

	if (!sched_arena_offset(p, &off))
		return -1;
	*shift = (off & 7u) * 8;
	return off / 8;
}

static int loc_find(uint32_t g)
{
	return (int)loc_of_granule[g] - 1;
}

/* The location of granule g, created with the granule's value as its
 * initial store, visible to every CPU. */
static int loc_get(uint32_t g)
{
	int l = loc_find(g);
	struct msg *m;

	if (l >= 0)
		return l;
	if (nlocs == MAX_LOCS || nmsgs == MAX_MSGS)
		fatal("too many locations in one execution");
	l = (int)nlocs++;
	m = &msgs[nmsgs];
	memcpy(&m->val, (uint8_t *)sched_arena_base() + (size_t)g * 8, 8);
	m->prev = -1;
	m->ts = 0;
	m->step = 0;
	m->site = 0;
	m->rmw = false;
	m->v = (struct view){ 0 };
	locs[l] = (struct loc){ .granule = g, .last = (int32_t)nmsgs++ };
	loc_of_granule[g] = (uint16_t)(l + 1);
	return l;
}

static uint64_t extract(uint64_t granule, unsigned shift, int size)
{
	uint64_t v = granule >> shift;

	switch (size) {
	case 1: return (uint64_t)(int64_t)(int8_t)v;
	case 2: return (uint64_t)(int64_t)(int16_t)v;
	case 4: return (uint64_t)(int64_t)(int32_t)v;
	default: return v;
	}
}

/* ---- fences ------------------------------------------------------------- */

static void fence_full(struct wcpu *w)
{
	join_dense(w->cur, w->acq);
	join_dense(w->cur, sc_view);
	memcpy(sc_view, w->cur, nlocs * sizeof(uint32_t));
	w->rel = snapshot(w->cur);
}

void sched_weak_fence(enum sched_fence f)
{
	struct wcpu *w;

	if (!sched_weak_running)
		return;
	w = me();
	switch (f) {
	case SCHED_FENCE_RMB:
		join_dense(w->cur, w->acq);
		break;
	case SCHED_FENCE_WMB:
		memset(scratch, 0, nlocs * sizeof(uint32_t));
		join(scratch, w->rel);
		join_dense(scratch, w->own);
		w->rel = snapshot(scratch);
		break;
	case SCHED_FENCE_MB:
		fence_full(w);
		break;
	case SCHED_FENCE_READ_DEPENDS:
		for (int i = 0; i < w->ndeps; i++)
			w->deps[i].fenced = true;
		break;
	case SCHED_FENCE_RCU_LOCK:
		join_dense(w->cur, rcu_pub);
		break;
	case SCHED_FENCE_RCU_UNLOCK:
		join_dense(rcu_done, w->cur);
		break;
	case SCHED_FENCE_SYNC_RCU_START:
		fence_full(w);
		join_dense(rcu_pub, w->cur);
		break;
	case SCHED_FENCE_SYNC_RCU_END:
		join_dense(w->cur, rcu_done);
		fence_full(w);
		break;
	}
}

/* Acquire and release on the view of a lock, a completion or an object
 * going through the slab. */
static struct sync *sync_of(const volatile void *p, unsigned kind)
{
	uint32_t off, key, h;

	if (!sched_arena_offset(p, &off))
		fatal("a lock outside the shared arena");
	key = off * 2 + kind + 1;
	for (h = (key * 0x9e3779b1u) % MAX_SYNC;; h = (h + 1) % MAX_SYNC) {
		if (syncs[h].key == key)
			return &syncs[h];
		if (!syncs[h].key) {
			if (++nsyncs == MAX_SYNC)
				fatal("too many locks in one execution");
			syncs[h].key = key;
			return &syncs[h];
		}
	}
}

void sched_weak_acquire(const volatile void *p, unsigned kind)
{
	struct wcpu *w;
	struct sync *s;

	if (!sched_weak_running)
		return;
	w = me();
	s = sync_of(p, kind);
	join(w->cur, s->v);
	join(w->acq, s->v);
}

void sched_weak_release(const volatile void *p, unsigned kind)
{
	struct wcpu *w;
	struct sync *s;

	if (!sched_weak_running)
		return;
	w = me();
	s = sync_of(p, kind);
	memcpy(scratch, w->cur, nlocs * sizeof(uint32_t));
	join(scratch, s->v);	/* readers of an rwsem release together */
	s->v = snapshot(scratch);
	w->rel = s->v;
}

/* w read m, a store to location l: it may not read older stores there
 * again, its acq view carries m's, and an acquire takes it at once. */
static void observe(struct wcpu *w, int l, const struct msg *m, bool acquire)
{
	if (m->ts > w->cur[l])
		w->cur[l] = m->ts;
	join(w->acq, m->v);
	if (acquire)
		join(w->cur, m->v);
}

void sched_take_over(const void *obj, size_t size)
{
	uint32_t off;
	struct wcpu *w;

	if (sched_race_on)
		sched_race_take_over(obj, size);
	if (!sched_weak_running || !sched_arena_offset(obj, &off))
		return;
	w = me();
	for (uint32_t g = off / 8; g <= (off + (uint32_t)size - 1) / 8; g++) {
		int l = loc_find(g);

		if (l >= 0)	/* else never stored to: the initial value */
			observe(w, l, &msgs[locs[l].last], true);
	}
}

/* ---- loads and stores --------------------------------------------------- */

static void note_dep(struct wcpu *w, uint64_t value, const struct msg *m,
		     bool fenced)
{
	int obj = sched_obj_lookup((const void *)(uintptr_t)value, NULL);
	struct dep *d;

	if (obj < 0)
		return;
	if (w->ndeps < NDEPS)
		d = &w->deps[w->ndeps++];
	else {
		memmove(w->deps, w->deps + 1, (NDEPS - 1) * sizeof(*d));
		d = &w->deps[NDEPS - 1];
	}
	*d = (struct dep){ obj, fenced || !weak_alpha, m->v };
}

/* The oldest timestamp a load of l at p may read: cur, and the view of a
 * pointer this address was computed from, when that orders it. */
static uint32_t lower_bound(struct wcpu *w, int l, const volatile void *p)
{
	uint32_t lo = w->cur[l];
	int obj;

	if (!w->ndeps)
		return lo;
	obj = sched_obj_lookup(p, NULL);
	for (int i = w->ndeps; i-- > 0;)
		if (w->deps[i].obj == obj) {
			if (w->deps[i].fenced && (uint32_t)l < w->deps[i].v.len &&
			    w->deps[i].v.ts[l] > lo)
				lo = w->deps[i].v.ts[l];
			break;
		}
	return lo;
}

uint64_t sched_weak_load(const volatile void *p, int size,
			 enum sched_order ord, struct sched_rf *rf)
{
	struct wcpu *w = me();
	unsigned shift;
	int64_t g = granule_of(p, &shift);
	int l = g < 0 ? -1 : loc_find((uint32_t)g), cands[WINDOW];
	unsigned n = 0, choice = 0;
	const struct msg *m, *pick[WINDOW];
	uint64_t raw = 0;
	uint32_t lo;

	if (l < 0) {		/* never stored to: the initial value */
		*rf = (struct sched_rf){ 0 };
		memcpy(&raw, (const void *)(uintptr_t)p, (size_t)size);
		return extract(raw, 0, size);
	}
	lo = ord == SCHED_ORDER_LATEST || sched_eng.init_mode ?
	     msgs[locs[l].last].ts : lower_bound(w, l, p);
	for (int32_t i = locs[l].last; i >= 0 && n < WINDOW; i = msgs[i].prev) {
		if (msgs[i].ts < lo)
			break;
		pick[n] = &msgs[i];
		cands[n] = (int)n;	/* the label: how many newer stores */
		n++;
	}
	if (n > 1)
		choice = sched_decide(SCHED_DECIDE_READ, n, cands, 0);
	m = pick[choice];
	observe(w, l, m, ord == SCHED_ORDER_ACQUIRE);
	if (size == sizeof(void *))
		note_dep(w, extract(m->val, shift, size), m,
			 ord == SCHED_ORDER_DEPENDS);
	*rf = (struct sched_rf){ .step = m->step, .age = choice,
				 .site = m->site, .known = true };
	return extract(m->val, shift, size);
}

static void write_bytes(volatile void *p, int size, uint64_t v)
{
	memcpy((void *)(uintptr_t)p, &v, (size_t)size);	/* little-endian */
}

/*
 * Where a store by w goes in coherence order: at the end (label 0), or
 * before the k newest stores (label k) when w has seen none of them and
 * none is an atomic rmw that must stay right after what it read; a WRITE
 * decision.  LKMM allows a store to be coherence-before a store of
 * another CPU it has not seen (2+2W, S).  Returns the store to follow and
 * the new timestamp, between its neighbours'.
 */
static int32_t place(struct wcpu *w, int l, bool may_insert, uint32_t *ts,
		     unsigned *before)
{
	int cands[WINDOW];
	int32_t pred[WINDOW];
	uint32_t t[WINDOW];
	unsigned n = 1, choice = 0, depth = 0;
	int32_t newer = locs[l].last;

	pred[0] = newer;
	t[0] = msgs[newer].ts + TS_GAP;
	cands[0] = 0;
	for (int32_t i = msgs[newer].prev; may_insert && i >= 0 && n < WINDOW;
	     newer = i, i = msgs[i].prev) {
		depth++;	/* between i and newer: before depth stores */
		if (msgs[i].ts < w->cur[l])
			break;
		if (msgs[newer].rmw || msgs[newer].ts - msgs[i].ts < 2)
			continue;
		pred[n] = i;
		t[n] = msgs[i].ts + (msgs[newer].ts - msgs[i].ts) / 2;
		cands[n++] = (int)depth;
	}
	if (n > 1)
		choice = sched_decide(SCHED_DECIDE_WRITE, n, cands, 0);
	*ts = t[choice];
	*before = (unsigned)cands[choice];
	return pred[choice];
}
/* Writes v to p's history (and to the arena when it is the newest);
 * returns the value stored and sets *before to the number of newer
 * stores it went before.  Only the model's stores (with a site) may go
 * before stores their CPU has not seen; the engine's own append. */
uint64_t sched_weak_store(volatile void *p, int size, uint64_t val,
			  enum sched_order ord, struct sched_site *site,
			  unsigned *before)
{
	struct wcpu *w = me();
	unsigned shift;
	int64_t g = granule_of(p, &shift);
	bool ctor = sched_eng.init_mode && !sched_eng.in_callback;
	int l;
	int32_t pred;
	uint32_t ts;
	struct msg *m;

	*before = 0;
	/* outside the arena, or a new slab page: part of the initial world */
	if (g < 0 || (ctor && loc_find((uint32_t)g) < 0)) {
		write_bytes(p, size, val);
		return extract(val, 0, size);
	}
	l = loc_get((uint32_t)g);	/* before the write: the initial value */
	if (nmsgs == MAX_MSGS)
		fatal("too many stores in one execution");
	pred = place(w, l, site && !sched_eng.init_mode &&
		     ord != SCHED_ORDER_LATEST, &ts, before);
	m = &msgs[nmsgs];
	m->val = msgs[pred].val;
	write_bytes((uint8_t *)&m->val + shift / 8, size, val);
	m->ts = ts;
	m->step = sched_eng.step;
	m->site = site ? sched_site_id(site) : 0;
	m->rmw = ord == SCHED_ORDER_LATEST;
	if (ord == SCHED_ORDER_RELEASE) {
		m->v = snapshot(w->cur);
	} else if (ord == SCHED_ORDER_LATEST && msgs[pred].v.len) {
		/* an atomic rmw carries on the view of the store it replaced
		 * (release sequences) */
		memset(scratch, 0, nlocs * sizeof(uint32_t));
		join(scratch, msgs[pred].v);
		join(scratch, w->rel);
		m->v = snapshot(scratch);
	} else {
		m->v = w->rel;
	}
	if (pred == locs[l].last) {	/* the newest: the arena shows it */
		m->prev = pred;
		locs[l].last = (int32_t)nmsgs;
		write_bytes(p, size, val);
	} else {			/* link it in before pred's successor */
		int32_t succ = locs[l].last;

		while (msgs[succ].prev != pred)
			succ = msgs[succ].prev;
		m->prev = pred;
		msgs[succ].prev = (int32_t)nmsgs;
	}
	nmsgs++;
	w->cur[l] = w->own[l] = ts;	/* > cur[l]: place() saw to it */
	if (ctor)	/* a constructor's store is seen by everyone */
		for (int c = 0; c <= SCHED_MAX_CPUS; c++)
			cpus[c].cur[l] = ts;
	return extract(m->val, shift, size);
}

void sched_weak_rmw_fence(bool ordered)
{
	if (sched_weak_running && ordered)
		fence_full(me());
}
