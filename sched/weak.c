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
 *   smp_mb, smp_mb__*        rmb and release, plus one global SC view
 *   value-returning atomics  smp_mb; read the latest store; smp_mb (the
 *   (xchg, cmpxchg, ...)     _acquire, _release and _relaxed forms: an
 *                            acquire read, a release store, neither)
 *   other atomics            read the latest store; the new store carries
 *                            the view of the one it replaced (release
 *                            sequences)
 *   a failed cmpxchg,        a plain read (LKMM: no ordering), of the
 *   atomic_add_unless, ...   latest store or of an older one that fails
 *   spin_lock/unlock, mutex, acquire and release on a view per lock; the
 *   rwsem, completions       stores after an acquire carry the stores
 *                            the releasing CPU made before its release,
 *                            and those after its own earlier release
 *                            (LKMM's po-unlock-lock-po, a cumul-fence)
 *   slab free and alloc      acquire and release on a view per object
 *   dependencies             an access is ordered after the loads its
 *                            address, value or branch depends on (see
 *                            "dependencies" below)
 *   synchronize_rcu          smp_mb, publishes cur for readers that start
 *                            later, waits, joins what finished readers saw
 *   rcu_read_lock/unlock     join the published view / publish cur
 * Departures from LKMM are listed in docs/weak-memory.md;
 * docs/weak-memory-fixes.md has the reasoning behind the lock, control
 * dependency and own-store dependency rules.
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
#define MAX_PEND 32		/* explicit dependencies of one access */
#define MAX_RECS 65536		/* loads per execution, explicit mode */
#define PSEUDO SCHED_CONTROLLER	/* RCU callbacks, slab constructors */
#define TS_GAP 4096u		/* between appended stores: room to insert */

static bool weak_on, weak_alpha, mode_set, deps_explicit;

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
	int8_t cpu;		/* who stored it, -1: initial or the engine */
	bool rmw;		/* stays right after the store it read */
	struct view v;
	struct view dep;	/* the views of the loads its address or value
				   came from: its own CPU reading it back is
				   ordered after them (LKMM: dep ; rfi) */
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
	uint32_t cur[MAX_LOCS], acq[MAX_LOCS], own[MAX_LOCS], rel[MAX_LOCS];
	struct view rel_view;	/* a snapshot of rel, unless rel_dirty */
	bool rel_dirty;
	/* at its last unlock: what its stores so far made visible (rel and
	 * own) and what its loads so far carried (acq), for its next lock */
	struct view ul_w, ul_r;
	struct dep deps[NDEPS];	/* hand-written C: pointers loaded */
	int ndeps;
	/* explicit dependencies (sched_deps_explicit) */
	uint32_t last_load;	/* its last load, as a dependency; 0: none */
	uint32_t rbd_mark;	/* loads before it: smp_read_barrier_depends
				   came after them */
	uint32_t pend[MAX_PEND];	/* the next access depends on: */
	unsigned npend_dep;	/* pend[0..npend_dep): address or value, */
	unsigned npend;		/* the rest up to npend: a branch only */
};

struct sync {
	uint32_t key;		/* arena offset * 2 + kind, 0 free */
	struct view v;		/* the releasers' cur (A-cumulative) */
	struct view wv;		/* their stores (rel and own): what the
				   acquirer's stores carry */
	struct view lk;		/* what the holder's lock acquire carries, as
				   a store to the lock word */
};

/* A load, when the front end names dependencies (sched_deps_explicit):
 * what an access that depends on it is ordered after. */
struct load_rec {
	struct view v;		/* the view of the store it read, that store
				   itself, and what its own dependencies
				   ordered it after */
	bool depends;		/* rcu_dereference: ordered on Alpha too */
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
static struct load_rec recs[MAX_RECS + 1];	/* [0] unused: no load */
static uint32_t nrecs;

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

void sched_deps_explicit(bool on)
{
	deps_explicit = on;
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
		memset(cpus[c].rel, 0, n * sizeof(uint32_t));
		cpus[c].rel_view = cpus[c].ul_w = cpus[c].ul_r = (struct view){ 0 };
		cpus[c].rel_dirty = false;
		cpus[c].ndeps = 0;
		cpus[c].last_load = cpus[c].rbd_mark = 0;
		cpus[c].npend = cpus[c].npend_dep = 0;
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
	nlocs = nmsgs = pool_used = nrecs = 0;
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

/* Joins v into dense; whether that changed it. */
static bool join(uint32_t *dense, struct view v)
{
	bool changed = false;

	for (uint32_t i = 0; i < v.len; i++)
		if (v.ts[i] > dense[i]) {
			dense[i] = v.ts[i];
			changed = true;
		}
	return changed;
}

/* Whether v holds nothing newer than dense. */
static bool covers_dense(const uint32_t *dense, struct view v)
{
	for (uint32_t i = 0; i < v.len; i++)
		if (v.ts[i] > dense[i])
			return false;
	return true;
}

/* What w's plain stores carry, as a view (taken when rel changed). */
static struct view rel_of(struct wcpu *w)
{
	if (w->rel_dirty) {
		w->rel_view = snapshot(w->rel);
		w->rel_dirty = false;
	}
	return w->rel_view;
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
	memcpy(w->rel, w->cur, nlocs * sizeof(uint32_t));
	w->rel_dirty = true;
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
	m->cpu = -1;
	m->rmw = false;
	m->v = m->dep = (struct view){ 0 };
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
	memcpy(w->rel, w->cur, nlocs * sizeof(uint32_t));
	w->rel_dirty = true;
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
		join_dense(w->rel, w->own);
		w->rel_dirty = true;
		break;
	case SCHED_FENCE_MB:
		fence_full(w);
		break;
	case SCHED_FENCE_READ_DEPENDS:
		for (int i = 0; i < w->ndeps; i++)
			w->deps[i].fenced = true;
		w->rbd_mark = nrecs + 1;
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

/* scratch = what w's stores so far make visible: the view they carry and
 * the stores themselves. */
static void stores_of(const struct wcpu *w)
{
	memcpy(scratch, w->own, nlocs * sizeof(uint32_t));
	join_dense(scratch, w->rel);
}

/*
 * A lock acquire reads the last release: cur and acq take the releasers'
 * view.  For locks (not for an object through the slab) LKMM also has
 * po-unlock-lock-po, a cumul-fence from everything before an unlock to
 * everything after the lock that reads from it, or after the same CPU's
 * next lock: the stores after this acquire carry the releasers' stores
 * and this CPU's own before its last unlock, and its loads are ordered
 * after what its loads before that unlock carried.
 */
void sched_weak_acquire(const volatile void *p, unsigned kind)
{
	struct wcpu *w;
	struct sync *s;

	if (!sched_weak_running)
		return;
	w = me();
	s = sync_of(p, kind);
	for (uint32_t i = 0; i < s->v.len; i++) {	/* join both at once */
		if (s->v.ts[i] > w->cur[i])
			w->cur[i] = s->v.ts[i];
		if (s->v.ts[i] > w->acq[i])
			w->acq[i] = s->v.ts[i];
	}
	if (kind != SCHED_SYNC_LOCK)
		return;
	join(w->cur, w->ul_r);
	w->rel_dirty |= join(w->rel, s->wv);
	w->rel_dirty |= join(w->rel, w->ul_w);
	s->lk = rel_of(w);
}

/* A look at a lock word that takes nothing (a failed trylock,
 * spin_is_locked): LKMM's read of the holder's lock acquire or of the
 * last unlock, unordered, so only acq (a later smp_rmb) gets what that
 * store carried. */
void sched_weak_lock_read(const volatile void *p, bool held)
{
	struct sync *s;

	if (!sched_weak_running)
		return;
	s = sync_of(p, SCHED_SYNC_LOCK);
	join(me()->acq, held ? s->lk : s->v);
}

/* A release: the lock's views take what this CPU saw and stored (readers
 * of an rwsem release together).  It orders nothing after it by itself:
 * LKMM's release orders the accesses before it against the release. */
void sched_weak_release(const volatile void *p, unsigned kind)
{
	struct wcpu *w;
	struct sync *s;

	if (!sched_weak_running)
		return;
	w = me();
	s = sync_of(p, kind);
	if (covers_dense(w->cur, s->v)) {	/* it acquired the lock's view */
		s->v = snapshot(w->cur);
	} else {			/* readers of an rwsem */
		memcpy(scratch, w->cur, nlocs * sizeof(uint32_t));
		join(scratch, s->v);
		s->v = snapshot(scratch);
	}
	if (kind != SCHED_SYNC_LOCK)
		return;
	stores_of(w);
	w->ul_w = snapshot(scratch);
	if (covers_dense(scratch, s->wv)) {	/* it acquired them */
		s->wv = w->ul_w;
	} else {			/* readers of an rwsem */
		join(scratch, s->wv);
		s->wv = snapshot(scratch);
	}
	w->ul_r = snapshot(w->acq);
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

	if (!sched_weak_running || !sched_arena_offset(obj, &off))
		return;
	w = me();
	for (uint32_t g = off / 8; g <= (off + (uint32_t)size - 1) / 8; g++) {
		int l = loc_find(g);

		if (l >= 0)	/* else never stored to: the initial value */
			observe(w, l, &msgs[locs[l].last], true);
	}
}

/* ---- dependencies ------------------------------------------------------- */

/*
 * LKMM orders an access after the loads it depends on: a load after
 * the loads its address came from (not on Alpha before v4.15, unless
 * smp_read_barrier_depends or rcu_dereference came between), a store
 * after the loads its address, value or enclosing branch came from, and
 * a load of a store its own CPU made after the loads that store's
 * address or value came from (dep ; rfi).  Ordered after a load R means:
 * not reading, and not going in coherence order before, a store older
 * than those R's store made visible.
 *
 * Hand-written C hides its dependencies.  For it a load through a
 * pointer depends on the newest load that returned a pointer into the
 * same object (deps), and a store on every earlier load of its CPU (its
 * acq view: a branch on any of them may guard it).  A front end that
 * knows them from the program text names them instead
 * (sched_deps_explicit, sched_deps_next).
 */
void sched_deps_next(const uint32_t *dep, unsigned ndep,
		     const uint32_t *ctrl, unsigned nctrl)
{
	struct wcpu *w;

	if (!sched_weak_running)
		return;
	if (ndep + nctrl > MAX_PEND)
		fatal("an access with too many dependencies");
	w = me();
	if (ndep)
		memcpy(w->pend, dep, ndep * sizeof(*dep));
	if (nctrl)
		memcpy(w->pend + ndep, ctrl, nctrl * sizeof(*ctrl));
	w->npend_dep = ndep;
	w->npend = ndep + nctrl;
}

uint32_t sched_dep_last_load(void)
{
	return sched_weak_running ? me()->last_load : 0;
}

/* An explicit dependency on load id orders a later load of this CPU. */
static bool orders_load(const struct wcpu *w, uint32_t id)
{
	return !weak_alpha || recs[id].depends || id < w->rbd_mark;
}

static uint32_t at(struct view v, int l)
{
	return (uint32_t)l < v.len ? v.ts[l] : 0;
}

/* The oldest timestamp a load of l at p may read: cur, and the loads its
 * address came from. */
static uint32_t lower_bound(struct wcpu *w, int l, const volatile void *p)
{
	uint32_t lo = w->cur[l];
	int obj;

	if (deps_explicit) {
		for (unsigned i = 0; i < w->npend_dep; i++)
			if (orders_load(w, w->pend[i]) &&
			    at(recs[w->pend[i]].v, l) > lo)
				lo = at(recs[w->pend[i]].v, l);
		return lo;
	}
	if (!w->ndeps)
		return lo;
	obj = sched_obj_lookup(p, NULL);
	for (int i = w->ndeps; i-- > 0;)
		if (w->deps[i].obj == obj) {
			if (w->deps[i].fenced && at(w->deps[i].v, l) > lo)
				lo = at(w->deps[i].v, l);
			break;
		}
	return lo;
}

/* The oldest store a store of w to l may go before: cur, and the loads
 * it depends on (explicit), or every load so far (hand-written C). */
static uint32_t store_bound(const struct wcpu *w, int l)
{
	uint32_t lo = w->cur[l];

	if (!deps_explicit)
		return w->acq[l] > lo ? w->acq[l] : lo;
	for (unsigned i = 0; i < w->npend; i++)
		if (at(recs[w->pend[i]].v, l) > lo)
			lo = at(recs[w->pend[i]].v, l);
	return lo;
}

/* What a store's address or value came from (its dep view): explicit
 * dependencies, or for a pointer in hand-written C the load that
 * returned it. */
static struct view store_deps(struct wcpu *w, uint64_t value, int size)
{
	int obj;

	if (deps_explicit) {
		if (!w->npend_dep)
			return (struct view){ 0 };
		memset(scratch, 0, nlocs * sizeof(uint32_t));
		for (unsigned i = 0; i < w->npend_dep; i++)
			join(scratch, recs[w->pend[i]].v);
		return snapshot(scratch);
	}
	if (size != sizeof(void *) || !w->ndeps)
		return (struct view){ 0 };
	obj = sched_obj_lookup((const void *)(uintptr_t)value, NULL);
	for (int i = w->ndeps; i-- > 0;)
		if (w->deps[i].obj == obj)
			return w->deps[i].fenced ? w->deps[i].v : (struct view){ 0 };
	return (struct view){ 0 };
}

/* The view a load carries for what depends on it: m's, and when w reads
 * its own store, what that store's address or value depended on. */
static struct view carried(const struct wcpu *w, const struct msg *m)
{
	if (m->cpu != sched_eng.cur || !m->dep.len || w == &cpus[PSEUDO])
		return m->v;
	memset(scratch, 0, nlocs * sizeof(uint32_t));
	join(scratch, m->v);
	join(scratch, m->dep);
	return snapshot(scratch);
}

/* Hand-written C: a pointer just loaded from m, for later loads
 * through it. */
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
	*d = (struct dep){ obj, fenced || !weak_alpha, carried(w, m) };
}

/* Explicit dependencies: the load of m at l just made by w, ordered
 * after its ordering dependencies. */
static void note_load(struct wcpu *w, int l, const struct msg *m,
		      bool depends)
{
	struct load_rec *r;
	struct view v = carried(w, m);

	if (nrecs == MAX_RECS)
		fatal("too many loads in one execution");
	r = &recs[++nrecs];
	memset(scratch, 0, nlocs * sizeof(uint32_t));
	join(scratch, v);
	if (m->ts > scratch[l])
		scratch[l] = m->ts;
	for (unsigned i = 0; i < w->npend_dep; i++)
		if (orders_load(w, w->pend[i]))
			join(scratch, recs[w->pend[i]].v);
	r->v = snapshot(scratch);
	r->depends = depends;
	w->last_load = nrecs;
}

/* ---- loads and stores --------------------------------------------------- */

/* Up to WINDOW stores of l a load may read, newest first, not older than
 * lo; keep(m) says which older ones count (the latest always does).
 * Returns the one the READ decision picks, and its label in *age. */
static const struct msg *pick_store(int l, uint32_t lo,
				    bool (*keep)(const struct msg *m,
						 const void *arg),
				    const void *arg, unsigned *age)
{
	const struct msg *pick[WINDOW];
	int cands[WINDOW];
	unsigned n = 0, depth = 0, choice = 0;

	for (int32_t i = locs[l].last; i >= 0 && n < WINDOW;
	     i = msgs[i].prev, depth++) {
		if (msgs[i].ts < lo)
			break;
		if (n && keep && !keep(&msgs[i], arg))
			continue;
		pick[n] = &msgs[i];
		cands[n++] = (int)depth;	/* how many newer stores */
	}
	if (n > 1)
		choice = sched_decide(SCHED_DECIDE_READ, n, cands, 0);
	*age = (unsigned)cands[choice];
	return pick[choice];
}

/* After w read m at l: the dependencies it records, and the trace's rf. */
static void after_load(struct wcpu *w, int l, const struct msg *m,
		       unsigned shift, int size, enum sched_order ord,
		       unsigned age, struct sched_rf *rf)
{
	if (deps_explicit)
		note_load(w, l, m, ord == SCHED_ORDER_DEPENDS);
	else if (size == sizeof(void *))
		note_dep(w, extract(m->val, shift, size), m,
			 ord == SCHED_ORDER_DEPENDS);
	w->npend = w->npend_dep = 0;
	*rf = (struct sched_rf){ .step = m->step, .age = age,
				 .site = m->site, .known = true };
}

uint64_t sched_weak_load(const volatile void *p, int size,
			 enum sched_order ord, struct sched_rf *rf)
{
	struct wcpu *w = me();
	unsigned shift, age;
	int64_t g = granule_of(p, &shift);
	int l = g < 0 ? -1 : loc_find((uint32_t)g);
	const struct msg *m;
	uint64_t raw = 0;
	uint32_t lo;

	if (l < 0) {		/* never stored to: the initial value */
		*rf = (struct sched_rf){ 0 };
		w->npend = w->npend_dep = 0;
		memcpy(&raw, (const void *)(uintptr_t)p, (size_t)size);
		return extract(raw, 0, size);
	}
	lo = ord == SCHED_ORDER_LATEST || sched_eng.init_mode ?
	     msgs[locs[l].last].ts : lower_bound(w, l, p);
	m = pick_store(l, lo, NULL, NULL, &age);
	observe(w, l, m, ord == SCHED_ORDER_ACQUIRE);
	after_load(w, l, m, shift, size, ord, age, rf);
	return extract(m->val, shift, size);
}

static void write_bytes(volatile void *p, int size, uint64_t v)
{
	memcpy((void *)(uintptr_t)p, &v, (size_t)size);	/* little-endian */
}

/*
 * Where a store by w goes in coherence order: at the end (label 0), or
 * before the k newest stores (label k) when w has seen none of them and
 * none of the loads it depends on has (lo), and none is an atomic rmw
 * that must stay right after what it read; a WRITE decision.  LKMM
 * allows a store to be coherence-before a store of another CPU it has
 * not seen (2+2W, S).  Returns the store to follow and the new
 * timestamp, between its neighbours'.
 */
static int32_t place(int l, uint32_t lo, bool may_insert, uint32_t *ts,
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
		if (msgs[i].ts < lo)
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

/* A new store of w to l after pred in coherence order: the granule as
 * pred left it with size bytes of val at shift, carrying v.  The arena
 * shows it when it is the newest.  Returns it. */
static struct msg *add_store(struct wcpu *w, volatile void *p, int l,
			     int32_t pred, uint32_t ts, unsigned shift,
			     int size, uint64_t val, struct view v)
{
	struct msg *m;

	if (nmsgs == MAX_MSGS)
		fatal("too many stores in one execution");
	m = &msgs[nmsgs];
	m->val = msgs[pred].val;
	write_bytes((uint8_t *)&m->val + shift / 8, size, val);
	m->ts = ts;
	m->step = sched_eng.step;
	m->site = 0;
	m->cpu = (int8_t)(sched_eng.init_mode ? -1 : sched_eng.cur);
	m->rmw = false;
	m->v = v;
	m->dep = (struct view){ 0 };
	m->prev = pred;
	if (pred == locs[l].last) {	/* the newest: the arena shows it */
		locs[l].last = (int32_t)nmsgs;
		write_bytes(p, size, val);
	} else {			/* link it in before pred's successor */
		int32_t succ = locs[l].last;

		while (msgs[succ].prev != pred)
			succ = msgs[succ].prev;
		msgs[succ].prev = (int32_t)nmsgs;
	}
	nmsgs++;
	w->cur[l] = w->own[l] = ts;	/* > cur[l]: place() saw to it */
	return m;
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
		w->npend = w->npend_dep = 0;
		return extract(val, 0, size);
	}
	l = loc_get((uint32_t)g);	/* before the write: the initial value */
	pred = place(l, store_bound(w, l), site && !sched_eng.init_mode &&
		     ord != SCHED_ORDER_LATEST, &ts, before);
	m = add_store(w, p, l, pred, ts, shift, size, val,
		      ord == SCHED_ORDER_RELEASE ? snapshot(w->cur) : rel_of(w));
	m->site = site ? sched_site_id(site) : 0;
	m->dep = store_deps(w, val, size);
	w->npend = w->npend_dep = 0;
	if (ctor)	/* a constructor's store is seen by everyone */
		for (int c = 0; c <= SCHED_MAX_CPUS; c++)
			cpus[c].cur[l] = ts;
	return extract(m->val, shift, size);
}

/* A failing older store for an RMW: its value makes op fail. */
struct rmw_args {
	enum sched_rmw_op op;
	int size;
	unsigned shift;
	uint64_t a, b;
};

static bool rmw_fails_on(const struct msg *m, const void *arg)
{
	const struct rmw_args *r = arg;
	uint64_t unused;

	return !sched_rmw_apply(r->op, r->size, extract(m->val, r->shift, r->size),
				r->a, r->b, &unused);
}

/*
 * An atomic read-modify-write.  One that succeeds reads the latest store
 * and its store goes right after it, ordered as ord says (MB: smp_mb
 * before and after; DEC_AND_TEST: a release store, and an acquire read
 * when it reaches zero, as refcount_dec_and_test).  One that fails (a
 * cmpxchg that finds another value, atomic_add_unless at its limit) is a
 * plain read with no ordering, LKMM's failed RMW: of the latest store or
 * of an older one it may read whose value fails too, a READ decision.
 * Returns whether it stored; *old and *new the values read and stored.
 */
bool sched_weak_rmw(volatile void *p, int size, enum sched_rmw_op op,
		    uint64_t a, uint64_t b, enum sched_rmw_order ord,
		    struct sched_site *site, uint64_t *old, uint64_t *new,
		    struct sched_rf *rf)
{
	struct wcpu *w = me();
	struct rmw_args args = { op, size, 0, a, b };
	int64_t g = granule_of(p, &args.shift);
	const struct msg *m;
	struct msg *st;
	unsigned age;
	int l;

	if (g < 0) {	/* memory the engine does not track: as under sc */
		uint64_t raw = 0;

		memcpy(&raw, (const void *)(uintptr_t)p, (size_t)size);
		*old = extract(raw, 0, size);
		*rf = (struct sched_rf){ 0 };
		w->npend = w->npend_dep = 0;
		if (!sched_rmw_apply(op, size, *old, a, b, new))
			return false;
		write_bytes(p, size, *new);
		*new = extract(*new, 0, size);
		return true;
	}
	l = loc_get((uint32_t)g);
	m = pick_store(l, lower_bound(w, l, p), rmw_fails_on, &args, &age);
	*old = extract(m->val, args.shift, size);
	if (m != &msgs[locs[l].last] ||
	    !sched_rmw_apply(op, size, *old, a, b, new)) {
		observe(w, l, m, false);
		after_load(w, l, m, args.shift, size, SCHED_ORDER_ONCE, age, rf);
		return false;
	}
	if (ord == SCHED_RMW_MB)
		fence_full(w);
	observe(w, l, m, ord == SCHED_RMW_ACQUIRE);
	after_load(w, l, m, args.shift, size, SCHED_ORDER_ONCE, age, rf);
	/* the store carries on the view of the one it replaced (release
	 * sequences), and cur for a release */
	memset(scratch, 0, nlocs * sizeof(uint32_t));
	join(scratch, m->v);
	if (ord == SCHED_RMW_RELEASE || ord == SCHED_RMW_DEC_AND_TEST)
		join_dense(scratch, w->cur);
	else
		join_dense(scratch, w->rel);
	st = add_store(w, p, l, (int32_t)(m - msgs), m->ts + TS_GAP,
		       args.shift, size, *new, snapshot(scratch));
	st->rmw = true;
	st->site = site ? sched_site_id(site) : 0;
	*new = extract(st->val, args.shift, size);
	if (ord == SCHED_RMW_DEC_AND_TEST && *new == 0)
		join_dense(w->cur, w->acq);
	if (ord == SCHED_RMW_MB)
		fence_full(w);
	return true;
}

/* A CPU spinning on p sees a store newer than the one it read, when
 * there is one: a store becomes visible eventually.  False when it has
 * read the newest already (it must wait for another store). */
bool sched_weak_advance(const volatile void *p)
{
	struct wcpu *w = me();
	unsigned shift;
	int64_t g = granule_of(p, &shift);
	int l = g < 0 ? -1 : loc_find((uint32_t)g);
	int32_t i;

	if (l < 0 || msgs[locs[l].last].ts <= w->cur[l])
		return false;
	for (i = locs[l].last; msgs[msgs[i].prev].ts > w->cur[l];)
		i = msgs[i].prev;	/* the oldest store newer than cur */
	w->cur[l] = msgs[i].ts;
	return true;
}
