/*
 * race.c - data races as a verdict: two accesses to one location by
 * different CPUs, at least one a write and at least one plain, with
 * nothing ordering them (LKMM's definition, tools/memory-model's
 * explanation.txt "Plain accesses and data races").  The class is
 * data-race; it is checked in the executions of a program whose code is
 * plain C (sched_set_races), under sc and weak memory alike.
 *
 * Happens-before is kept in vector clocks, one per CPU, and each access
 * records its CPU's own component (an epoch, as in FastTrack): an earlier
 * access of CPU a at epoch e happens before the running CPU's access when
 * the running CPU's clock has reached e for a.  A CPU's clock grows by:
 *   spin locks, rwsems,    the release stores the holder's clock in the
 *   completions            lock's, the next acquire joins it (an rwsem
 *                          taken for read joins only what writers left)
 *   the slab               kmem_cache_free releases the object's clock,
 *                          its next kmem_cache_alloc acquires it
 *   RCU                    rcu_read_lock joins what every grace period
 *                          that started before it saw; a grace period's end
 *                          joins its start and every reader that ended
 *                          before it and did not start after its start
 *   marked accesses        as C11's fences: a store carries its CPU's clock
 *                          of its last release (smp_store_release and
 *                          release and ordered atomics: now; its last
 *                          smp_wmb or smp_mb; an atomic also what the store
 *                          it replaced carried), a load that reads it takes
 *                          it at once (smp_load_acquire, ordered atomics),
 *                          at its next smp_rmb or smp_mb (READ_ONCE), or
 *                          for its accesses through the pointer it loaded
 *                          (an address dependency; under weak-alpha only
 *                          with rcu_dereference or smp_read_barrier_depends)
 * Plain accesses carry and take nothing.  A clock grows its own component
 * lazily: after it was published, at the CPU's next access.
 *
 * Memory is shadowed per byte: its last write, and each CPU's last read.
 * An access is compared with those (FastTrack's rule: a later access that
 * the last one does not race with cannot race with the ones before it
 * either, or that pair raced first), and a race is reported once per
 * pair of sites per execution, at most RACE_REPORTS of them as verdicts,
 * so that the model's own keep room among the SCHED_MAX_REPORTS (every
 * pair is in sched_race_at, for the tools that gather them).
 *
 * SCHED_RACES=kcsan drops what KCSAN does not report by default
 * (CONFIG_KCSAN_ASSUME_PLAIN_WRITES_ATOMIC): a plain write of 1, 2, 4 or 8
 * bytes, aligned, counts as marked.  SCHED_RACES=off checks nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine.h"

#define MAX_ACCESSES (1u << 20)	/* per execution */
#define POOL_WORDS (1u << 24)	/* clock snapshots, per execution */
#define MAX_SHADOWS (1u << 16)	/* 8-byte granules touched */
#define RING 8			/* writes kept per granule, for weak loads */
#define MAX_SYNC 1024
#define MAX_GPS 64		/* rcu.c's grace periods */
#define NDEPS 8
#define MAX_PAIRS 64
#define RACE_REPORTS 4		/* as verdicts; sched_race_at has them all */
#define PSEUDO SCHED_MAX_CPUS	/* the engine's own steps: RCU callbacks */

enum { A_WRITE = 1, A_MARKED = 2, A_PLAIN = 4, A_ATOMIC = 8 };

struct access {
	uint32_t step, epoch, off;
	int8_t cpu;
	uint8_t flags, size;
	struct sched_site *site;
	const uint32_t *rel;	/* the clock a store carries, NULL none */
};

struct shadow {
	uint32_t write[8];	/* per byte: the last write, access + 1 */
	uint32_t ring[RING];	/* the granule's last writes, newest at head */
	unsigned head;
	uint64_t readers;	/* a bit per CPU with a read in read[] */
	uint32_t *read;		/* [cpu * 8 + byte]: each CPU's last read */
};

struct dep {			/* a pointer a marked load read, and what the
				   store it read carried */
	int obj;
	bool fenced;
	const uint32_t *clock;
};

struct rcpu {
	uint32_t vc[SCHED_MAX_CPUS];
	uint32_t acq[SCHED_MAX_CPUS];	/* what its marked loads read */
	const uint32_t *frel;		/* its clock at its last release fence */
	bool dirty;			/* published since its last access */
	struct dep deps[NDEPS];
	int ndeps;
};

struct sync {
	uint32_t key;		/* arena offset * 2 + is an object, + 1 */
	const uint32_t *excl, *shared;	/* what its releasers left */
};

enum race_mode { MODE_LKMM, MODE_KCSAN, MODE_OFF };

bool sched_race_on;
static bool asked, mode_read, alpha;
static enum race_mode mode;
static int n;				/* CPUs of this execution */
static struct rcpu cpus[SCHED_MAX_CPUS + 1];
static struct access *acc;
static uint32_t nacc;
static uint32_t *pool;
static size_t pool_used;
static struct shadow *shadows;
static uint32_t nshadows, *shadow_of;	/* granule -> shadow + 1 */
static uint32_t *shadow_granule;	/* shadow -> granule, for the reset */
static struct sync syncs[MAX_SYNC];
static unsigned nsyncs;
static const uint32_t *rcu_pub, *rcu_done, *gp_clock[MAX_GPS];
static uint64_t pairs[MAX_PAIRS];
static unsigned npairs, nreported;
static struct sched_race races[MAX_PAIRS];
static uint32_t scratch[SCHED_MAX_CPUS];

static void *map(size_t bytes)
{
	void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (m == MAP_FAILED)
		sched_fatal("data races: cannot map the race checker's tables");
	return m;
}

/* ---- settings ------------------------------------------------------------ */

void sched_set_races(bool plain_c)
{
	asked = plain_c;
}

int sched_set_race_mode(const char *name)
{
	mode_read = true;
	if (!name || !*name || !strcmp(name, "lkmm"))
		mode = MODE_LKMM;
	else if (!strcmp(name, "kcsan"))
		mode = MODE_KCSAN;
	else if (!strcmp(name, "off"))
		mode = MODE_OFF;
	else
		return -1;
	return 0;
}

const char *sched_race_mode_name(void)
{
	static const char *const names[] = { "lkmm", "kcsan", "off" };

	return names[mode];
}

void sched_race_reset(int ncpus)
{
	if (!acc) {
		acc = map(MAX_ACCESSES * sizeof(*acc));
		pool = map(POOL_WORDS * sizeof(*pool));
		shadows = map(MAX_SHADOWS * sizeof(*shadows));
		shadow_granule = map(MAX_SHADOWS * sizeof(*shadow_granule));
		shadow_of = map(SCHED_ARENA_SIZE / 8 * sizeof(*shadow_of));
	}
	for (uint32_t i = 0; i < nshadows; i++)
		shadow_of[shadow_granule[i]] = 0;
	if (nsyncs)
		memset(syncs, 0, sizeof(syncs));
	nsyncs = nshadows = nacc = 0;
	pool_used = 0;
	npairs = nreported = 0;
	rcu_pub = rcu_done = NULL;
	n = ncpus;
	sched_race_on = false;
}

void sched_race_start(void)
{
	if (!mode_read) {
		const char *e = getenv("SCHED_RACES");

		if (sched_set_race_mode(e))
			sched_fatal("unknown SCHED_RACES '%s' (valid: lkmm, "
				    "kcsan, off)", e);
	}
	sched_race_on = asked && mode != MODE_OFF;
	if (!sched_race_on)
		return;
	alpha = !strcmp(sched_memory_name(), "weak-alpha");
	for (int c = 0; c <= SCHED_MAX_CPUS; c++) {
		if (c < n || c == PSEUDO) {
			memset(cpus[c].vc, 0, (size_t)n * sizeof(uint32_t));
			memset(cpus[c].acq, 0, (size_t)n * sizeof(uint32_t));
		}
		cpus[c].frel = NULL;
		cpus[c].dirty = false;
		cpus[c].ndeps = 0;
	}
	for (int c = 0; c < n; c++)
		cpus[c].vc[c] = 1;
}

/* The checker ran out of room in this execution: it stops here (once
 * per process, a line says so). */
static void exhausted(void)
{
	static bool said;

	sched_race_on = false;
	if (!said)
		fprintf(stderr, "schedfuzz: data races: an execution too long "
			"for the race checker (more than %u accesses or %u "
			"clock words): not checked past step %u\n",
			MAX_ACCESSES, POOL_WORDS, sched_eng.step);
	said = true;
}

/* ---- clocks ---------------------------------------------------------------- */

/* The clocks of the running CPU, or of the engine's own steps. */
static struct rcpu *me(void)
{
	return &cpus[sched_eng.in_callback ? PSEUDO : sched_eng.cur];
}

/* Whether the engine's hooks count now: not while the program's init,
 * a slab constructor or its check run. */
static bool live(void)
{
	return sched_race_on && (!sched_eng.init_mode || sched_eng.in_callback);
}

static const uint32_t *snapshot(const uint32_t *vc)
{
	uint32_t *s;

	if (pool_used + (size_t)n > POOL_WORDS) {
		exhausted();
		return NULL;
	}
	s = pool + pool_used;
	pool_used += (size_t)n;
	memcpy(s, vc, (size_t)n * sizeof(uint32_t));
	return s;
}

static void join(uint32_t *dst, const uint32_t *src)
{
	if (!src)
		return;
	for (int i = 0; i < n; i++)
		if (src[i] > dst[i])
			dst[i] = src[i];
}

/* Two clocks joined, as a snapshot (either may be NULL). */
static const uint32_t *joined(const uint32_t *a, const uint32_t *b)
{
	if (!a || !b)
		return a ? a : b;
	memcpy(scratch, a, (size_t)n * sizeof(uint32_t));
	join(scratch, b);
	return snapshot(scratch);
}

/* c's clock, for others to join: its next access is after it. */
static const uint32_t *publish(struct rcpu *c)
{
	c->dirty = true;
	return snapshot(c->vc);
}

static void fence_full(struct rcpu *c)
{
	join(c->vc, c->acq);
	c->frel = publish(c);
}

/* ---- shadow memory ---------------------------------------------------------- */

static struct shadow *shadow_get(uint32_t g)
{
	struct shadow *sh;

	if (shadow_of[g])
		return &shadows[shadow_of[g] - 1];
	if (nshadows == MAX_SHADOWS || pool_used + 8 * (size_t)n > POOL_WORDS) {
		exhausted();
		return NULL;
	}
	sh = &shadows[nshadows];
	memset(sh, 0, sizeof(*sh));
	sh->read = pool + pool_used;
	pool_used += 8 * (size_t)n;
	memset(sh->read, 0, 8 * (size_t)n * sizeof(uint32_t));
	shadow_granule[nshadows++] = g;
	shadow_of[g] = nshadows;
	return sh;
}

static struct shadow *shadow_find(uint32_t off)
{
	uint32_t g = off / 8;

	return shadow_of[g] ? &shadows[shadow_of[g] - 1] : NULL;
}

/* ---- reports ----------------------------------------------------------------- */

static void describe(char *buf, size_t len, const struct access *a)
{
	const struct sched_site *s = a->site;
	const char *file = s ? strrchr(s->file, '/') : NULL;

	snprintf(buf, len, "cpu%d %s %s at %s:%d in %s() (step %u)", a->cpu,
		 a->flags & A_PLAIN ? "plain" : "marked",
		 a->flags & A_ATOMIC ? "atomic" :
		 a->flags & A_WRITE ? "write" : "read",
		 file ? file + 1 : s ? s->file : "?", s ? s->line : 0,
		 s ? s->func : "?", a->step);
}

/* Once per pair of sites per execution (the first MAX_PAIRS pairs). */
static bool first_of_pair(const struct access *a, const struct access *b)
{
	uint32_t x = a->site ? sched_site_id(a->site) : 0;
	uint32_t y = b->site ? sched_site_id(b->site) : 0;
	uint64_t key = x < y ? (uint64_t)x << 32 | y : (uint64_t)y << 32 | x;

	for (unsigned i = 0; i < npairs; i++)
		if (pairs[i] == key)
			return false;
	if (npairs == MAX_PAIRS)
		return false;
	pairs[npairs++] = key;
	return true;
}

static struct sched_race_access race_access(const struct access *a)
{
	return (struct sched_race_access){
		a->cpu, a->step, a->site, a->flags & A_PLAIN,
		a->flags & A_WRITE, a->flags & A_ATOMIC };
}

size_t sched_race_count(void)
{
	return npairs;
}

const struct sched_race *sched_race_at(size_t i)
{
	return i < npairs ? &races[i] : NULL;
}

static void report(const struct access *a, const struct access *b,
		   uint32_t off)
{
	char place[64], first[112], second[112];
	size_t len;
	uint32_t field;
	int obj = sched_obj_lookup((uint8_t *)sched_arena_base() + off, &field);

	if (!first_of_pair(a, b))
		return;
	races[npairs - 1] = (struct sched_race){ obj, obj >= 0 ? field : off,
						 race_access(a), race_access(b) };
	if (nreported == RACE_REPORTS)
		return;
	nreported++;
	if (obj >= 0) {
		sched_format_obj(place, sizeof(place), obj);
		len = strlen(place);
		if (field)
			snprintf(place + len, sizeof(place) - len, "+%u", field);
	} else {
		snprintf(place, sizeof(place), "arena+%u", off);
	}
	describe(first, sizeof(first), a);
	describe(second, sizeof(second), b);
	sched_report_key(NULL, a->step);
	sched_report_key(NULL, b->step);
	sched_report(SCHED_DATA_RACE, "%s: %s, unordered with %s", place,
		     second, first);
}

/* The earlier access e and the running CPU's access b, at offset off. */
static void check_pair(const struct rcpu *c, uint32_t e, const struct access *b,
		       uint32_t off)
{
	const struct access *a = &acc[e];

	if (a->cpu == b->cpu || (a->flags & b->flags & A_MARKED) ||
	    c->vc[a->cpu] >= a->epoch)
		return;
	report(a, b, off);
}

/* ---- accesses ------------------------------------------------------------------ */

/* Accesses through a pointer a marked load read follow that load's
 * store. */
static void apply_deps(struct rcpu *c, uint32_t off)
{
	int obj = sched_obj_lookup((uint8_t *)sched_arena_base() + off, NULL);

	if (obj < 0)
		return;
	for (int i = 0; i < c->ndeps; i++) {
		if (c->deps[i].obj != obj || !c->deps[i].fenced)
			continue;
		join(c->vc, c->deps[i].clock);
		c->deps[i] = c->deps[--c->ndeps];
		i--;
	}
}

static void note_dep(struct rcpu *c, uint64_t value, const uint32_t *clock,
		     bool fenced)
{
	int obj;

	if (!clock)
		return;
	obj = sched_obj_lookup((const void *)(uintptr_t)value, NULL);
	if (obj < 0)
		return;
	if (c->ndeps == NDEPS)
		memmove(c->deps, c->deps + 1, (NDEPS - 1) * sizeof(c->deps[0]));
	else
		c->ndeps++;
	c->deps[c->ndeps - 1] = (struct dep){ obj, fenced, clock };
}

/* The earlier accesses in the slots v[lo, hi) of granule g, each checked
 * once against b: usually one access fills them all. */
static void check_slots(const struct rcpu *c, const uint32_t *v, unsigned lo,
			unsigned hi, const struct access *b, uint32_t g)
{
	unsigned i = lo + 1;

	while (i < hi && v[i] == v[lo])
		i++;
	if (i == hi) {
		if (v[lo])
			check_pair(c, v[lo] - 1, b, g * 8 + lo);
		return;
	}
	for (i = lo; i < hi; i++)
		if (v[i] && (i == lo || v[i] != v[i - 1]))
			check_pair(c, v[i] - 1, b, g * 8 + i);
}

/* Checks and records one access of the running CPU; its index, or
 * UINT32_MAX when the checker has stopped. */
static uint32_t record(uint32_t off, int size, unsigned flags,
		       struct sched_site *site)
{
	struct rcpu *c = me();
	int id = sched_eng.cur;
	uint32_t a, end = off + (uint32_t)size;
	struct access *b;

	if (c->dirty) {
		c->vc[id]++;
		c->dirty = false;
	}
	if (c->ndeps)
		apply_deps(c, off);
	if (nacc == MAX_ACCESSES) {
		exhausted();
		return UINT32_MAX;
	}
	a = nacc++;
	b = &acc[a];
	*b = (struct access){ sched_eng.step, c->vc[id], off, (int8_t)id,
			      (uint8_t)flags, (uint8_t)size, site, NULL };
	for (uint32_t g = off / 8; g <= (end - 1) / 8; g++) {
		struct shadow *sh = shadow_get(g);
		unsigned lo = g == off / 8 ? off % 8 : 0;
		unsigned hi = g == (end - 1) / 8 ? (end - 1) % 8 + 1 : 8;

		if (!sh)
			return UINT32_MAX;
		check_slots(c, sh->write, lo, hi, b, g);
		if (flags & A_WRITE) {
			for (uint64_t m = sh->readers & ~(1ull << id); m;
			     m &= m - 1)
				check_slots(c, &sh->read[__builtin_ctzll(m) * 8],
					    lo, hi, b, g);
			for (unsigned i = lo; i < hi; i++)
				sh->write[i] = a + 1;
			sh->head = (sh->head + 1) % RING;
			sh->ring[sh->head] = a + 1;
		} else {
			for (unsigned i = lo; i < hi; i++)
				sh->read[id * 8 + i] = a + 1;
			sh->readers |= 1ull << id;
		}
	}
	return a;
}

/* The flags of an access, as written and as KCSAN's defaults count it. */
static unsigned flags_of(uint32_t off, int size, bool write, bool plain)
{
	unsigned f = (write ? A_WRITE : 0) | (plain ? A_PLAIN : A_MARKED);

	if (plain && write && mode == MODE_KCSAN && size <= 8 &&
	    !(size & (size - 1)) && !(off % (uint32_t)size))
		f |= A_MARKED;
	return f;
}

/* What the store a marked load read carried: under weak memory the one
 * of step rf->step, among the granule's last RING writes; under sc the
 * location's last write. */
static const uint32_t *read_from(uint32_t off, const struct sched_rf *rf)
{
	struct shadow *sh = shadow_find(off);

	if (!sh)
		return NULL;
	if (!rf)
		return sh->write[off % 8] ? acc[sh->write[off % 8] - 1].rel : NULL;
	if (!rf->step)
		return NULL;	/* the initial value */
	for (unsigned k = 0; k < RING; k++) {
		uint32_t w = sh->ring[(sh->head + RING - k) % RING];

		if (w && acc[w - 1].step == rf->step && acc[w - 1].off <= off &&
		    off < acc[w - 1].off + acc[w - 1].size)
			return acc[w - 1].rel;
	}
	return NULL;
}

static bool arena_off(const volatile void *p, uint32_t *off)
{
	return sched_arena_offset(p, off) && *off < sched_arena_used();
}

void sched_race_load(const volatile void *p, int size, enum sched_order ord,
		     bool plain, uint64_t value, const struct sched_rf *rf,
		     struct sched_site *site)
{
	struct rcpu *c = me();
	const uint32_t *m;
	uint32_t off;

	if (!live() || sched_eng.in_callback || !arena_off(p, &off))
		return;
	m = plain ? NULL : read_from(off, rf);
	if (record(off, size, flags_of(off, size, false, plain), site) ==
	    UINT32_MAX || plain)
		return;
	join(c->acq, m);
	if (ord == SCHED_ORDER_ACQUIRE)
		join(c->vc, m);
	if (size == sizeof(void *))
		note_dep(c, value, m, ord == SCHED_ORDER_DEPENDS || !alpha);
}

void sched_race_store(const volatile void *p, int size, enum sched_order ord,
		      bool plain, struct sched_site *site)
{
	struct rcpu *c = me();
	uint32_t off, a;

	if (!live() || sched_eng.in_callback || !arena_off(p, &off))
		return;
	a = record(off, size, flags_of(off, size, true, plain), site);
	if (a == UINT32_MAX)
		return;
	acc[a].rel = ord == SCHED_ORDER_RELEASE ? publish(c) : c->frel;
}

void sched_race_rmw(const volatile void *p, int size,
		    enum sched_rmw_order ord, bool stored, uint64_t new,
		    uint64_t old, const struct sched_rf *rf,
		    struct sched_site *site)
{
	struct rcpu *c = me();
	const uint32_t *m;
	uint32_t off, a;
	bool acquire = ord == SCHED_RMW_ACQUIRE || ord == SCHED_RMW_MB ||
		       (ord == SCHED_RMW_DEC_AND_TEST && !new);

	if (!stored) {
		sched_race_load(p, size, SCHED_ORDER_ONCE, false, old, rf,
				site);
		return;
	}
	if (!live() || sched_eng.in_callback || !arena_off(p, &off))
		return;
	m = read_from(off, rf);
	if (ord == SCHED_RMW_MB)
		fence_full(c);
	join(c->acq, m);
	if (acquire)
		join(c->vc, m);
	a = record(off, size, A_WRITE | A_MARKED | A_ATOMIC, site);
	if (a == UINT32_MAX)
		return;
	/* it carries on what the store it replaced carried (a release
	 * sequence), and its own clock when it is a release */
	acc[a].rel = joined(m, ord == SCHED_RMW_RELAXED ||
			       ord == SCHED_RMW_ACQUIRE ? c->frel : publish(c));
	if (ord == SCHED_RMW_MB)
		fence_full(c);
}

/* ---- fences and RCU ---------------------------------------------------------- */

void sched_race_fence(enum sched_fence f)
{
	struct rcpu *c;

	if (!live())
		return;
	c = me();
	switch (f) {
	case SCHED_FENCE_RMB:
		join(c->vc, c->acq);
		break;
	case SCHED_FENCE_WMB:
		c->frel = publish(c);
		break;
	case SCHED_FENCE_MB:
	case SCHED_FENCE_SYNC_RCU_END:
		fence_full(c);
		break;
	case SCHED_FENCE_READ_DEPENDS:
		for (int i = 0; i < c->ndeps; i++)
			c->deps[i].fenced = true;
		break;
	case SCHED_FENCE_RCU_LOCK:
		join(c->vc, rcu_pub);
		break;
	case SCHED_FENCE_RCU_UNLOCK:
		rcu_done = joined(rcu_done, publish(c));
		break;
	case SCHED_FENCE_SYNC_RCU_START:
		fence_full(c);
		rcu_pub = joined(rcu_pub, c->frel);
		break;
	}
}

void sched_race_gp_start(unsigned gp)
{
	if (live() && gp < MAX_GPS)
		gp_clock[gp] = joined(rcu_done, publish(me()));
}

void sched_race_gp_reader(unsigned gp)
{
	if (live() && gp < MAX_GPS)
		gp_clock[gp] = joined(gp_clock[gp], publish(me()));
}

void sched_race_gp_end(unsigned gp, bool callback)
{
	if (!live() || gp >= MAX_GPS)
		return;
	if (callback) {
		memset(cpus[PSEUDO].vc, 0, (size_t)n * sizeof(uint32_t));
		join(cpus[PSEUDO].vc, gp_clock[gp]);
	} else {
		join(me()->vc, gp_clock[gp]);
	}
}

/* ---- locks, completions, the slab ---------------------------------------------- */

static struct sync *sync_of(const volatile void *p, bool obj)
{
	uint32_t off, key, h;

	if (!sched_arena_offset(p, &off))
		return NULL;
	key = off * 2 + obj + 1;
	for (h = (key * 0x9e3779b1u) % MAX_SYNC;; h = (h + 1) % MAX_SYNC) {
		if (syncs[h].key == key)
			return &syncs[h];
		if (!syncs[h].key) {
			if (++nsyncs == MAX_SYNC) {
				exhausted();
				return NULL;
			}
			syncs[h].key = key;
			return &syncs[h];
		}
	}
}

void sched_race_acquire(const volatile void *p, enum sched_sync_kind kind)
{
	struct sync *s;
	struct rcpu *c;

	if (!live() || !(s = sync_of(p, kind == SCHED_OBJECT)))
		return;
	c = me();
	join(c->vc, s->excl);
	if (kind != SCHED_SHARED)
		join(c->vc, s->shared);
}

void sched_race_release(const volatile void *p, enum sched_sync_kind kind)
{
	struct sync *s;
	const uint32_t *now;

	if (!live() || !(s = sync_of(p, kind == SCHED_OBJECT)))
		return;
	now = publish(me());
	if (kind == SCHED_SHARED)
		s->shared = joined(s->shared, now);
	else
		s->excl = joined(s->excl, now);
}

void sched_race_take_over(const void *obj, size_t size)
{
	struct rcpu *c;
	uint32_t off;

	if (!live() || !arena_off(obj, &off))
		return;
	c = me();
	for (uint32_t g = off / 8; g <= (off + (uint32_t)size - 1) / 8; g++) {
		struct shadow *sh = shadow_of[g] ? &shadows[shadow_of[g] - 1]
						 : NULL;

		for (unsigned i = 0; sh && i < 8; i++) {
			const struct access *a[SCHED_MAX_CPUS + 1];
			int k = 0;

			if (sh->write[i])
				a[k++] = &acc[sh->write[i] - 1];
			for (uint64_t m = sh->readers; m; m &= m - 1) {
				uint32_t r = sh->read[__builtin_ctzll(m) * 8 + i];

				if (r)
					a[k++] = &acc[r - 1];
			}
			while (k-- > 0)
				if (a[k]->epoch > c->vc[a[k]->cpu])
					c->vc[a[k]->cpu] = a[k]->epoch;
		}
	}
}
