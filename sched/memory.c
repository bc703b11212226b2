/*
 * memory.c - the arena that holds every shared object, and the loads and
 * stores that reach it.
 *
 * Each execution lays its objects out afresh from the start of one arena,
 * in the order the program creates them, so object ids and arena offsets
 * are the same in every run of the same schedule.  An object knows its
 * region (a world object, or one slab page), its slot in its cache and its
 * allocation generation; accesses are checked against that state.
 */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "engine.h"

#define ARENA_SIZE SCHED_ARENA_SIZE
#define MAX_REGIONS 1024
#define MAX_OBJS 4096

struct sched_region {
	uint32_t base, size, objsize;
	int nobj, first_obj, first_slot;
	const char *name;
	bool is_cache;
	bool poison_free;	/* free objects are not to be touched */
	bool released;		/* the slab page went back */
};

struct sched_obj {
	int region;
	int slot;		/* slot in its cache, -1 for world objects */
	uint32_t base, size;	/* arena offset, bytes */
	uint32_t gen;
	bool free;
};

/* A static array: its address is known at link time, so that an
 * access's offset is one subtraction. */
_Alignas(64) uint8_t sched_arena[ARENA_SIZE];
uint32_t sched_arena_top;
static struct sched_region regions[MAX_REGIONS];
static int nregions;
static struct sched_obj objs[MAX_OBJS];
static int nobjs;
/* Per 8-byte word (slab objects are 8-byte multiples): nonzero when an
 * access there is wrong, a free object of a poisoned cache or a slab page
 * that went back, so that a sound access costs one load to check; and the
 * object there plus one (0: a region's padding), so that an oracle's or
 * the trace's lookup costs one load too. */
static uint8_t word_bad[ARENA_SIZE / 8];
static uint16_t word_obj[ARENA_SIZE / 8];

static void mark_bad(uint32_t off, uint32_t size, bool bad)
{
	memset(word_bad + off / 8, bad, size / 8);
}

void sched_memory_reset(void)
{
	sched_arena_top = 0;
	nregions = 0;
	nobjs = 0;
}

void *sched_region_new(const char *name, bool is_cache, bool poison_free,
		       size_t objsize, int nobj, int first_slot)
{
	uint32_t size = (uint32_t)((objsize * nobj + 63) & ~(size_t)63), w;
	struct sched_region *r;

	if (nregions == MAX_REGIONS || nobjs + nobj > MAX_OBJS ||
	    sched_arena_top + size > ARENA_SIZE)
		sched_fatal("the world does not fit in the arena");
	r = &regions[nregions];
	*r = (struct sched_region){
		.base = sched_arena_top, .size = size, .objsize = (uint32_t)objsize,
		.nobj = nobj, .first_obj = nobjs, .first_slot = first_slot,
		.name = name, .is_cache = is_cache, .poison_free = poison_free,
	};
	memset(word_obj + sched_arena_top / 8, 0, size / 4);
	for (int i = 0; i < nobj; i++) {
		uint32_t base = sched_arena_top + (uint32_t)(objsize * i);

		for (w = base / 8; w < (base + objsize + 7) / 8; w++)
			word_obj[w] = (uint16_t)(nobjs + 1);
		objs[nobjs++] = (struct sched_obj){
			.region = nregions,
			.slot = is_cache ? first_slot + i : -1,
			.base = base, .size = (uint32_t)objsize,
			.free = is_cache,
		};
	}
	nregions++;
	memset(sched_arena + sched_arena_top, 0, size);
	mark_bad(sched_arena_top, size, false);
	if (is_cache && poison_free)
		mark_bad(sched_arena_top, (uint32_t)objsize * (uint32_t)nobj, true);
	sched_arena_top += size;
	return sched_arena + r->base;
}

static int obj_of_offset(uint32_t off, uint32_t *field)
{
	int id = off < sched_arena_top ? word_obj[off / 8] - 1 : -1;

	if (id < 0 || off - objs[id].base >= objs[id].size)
		return -1;	/* the region's padding */
	if (field)
		*field = off - objs[id].base;
	return id;
}

int sched_obj_lookup(const volatile void *p, uint32_t *field)
{
	uint32_t off;

	return sched_arena_offset(p, &off) ? obj_of_offset(off, field) : -1;
}

/* An access to a word marked bad: say what it touched. */
static __attribute__((noinline)) void report_bad_access(uint32_t off,
							const char *what)
{
	uint32_t field;
	int id = obj_of_offset(off, &field);
	char name[64];

	if (id < 0)
		return;
	if (regions[objs[id].region].released) {
		sched_format_obj(name, sizeof(name), id);
		sched_report(SCHED_USE_AFTER_FREE,
			     "cpu%d touches %s [%s+%u] on a slab page that "
			     "went back after a grace period",
			     sched_current_cpu(), what, name, field);
	}
	if (objs[id].free) {
		sched_format_obj(name, sizeof(name), id);
		sched_report(SCHED_USE_AFTER_FREE,
			     "cpu%d touches %s [%s+%u], a freed object",
			     sched_current_cpu(), what, name, field);
	}
}

/* An access through NULL; the key is the load of the NULL pointer, for
 * the report's picture. */
static __attribute__((noinline)) void report_null(const volatile void *p,
						  const char *what)
{
	uint32_t loaded = sched_trace_null_load(sched_current_cpu());

	if (loaded)
		sched_report_key(NULL, loaded);
	sched_report(SCHED_NULL_DEREF, "cpu%d touches %s through a NULL "
		     "pointer (+%u)", sched_current_cpu(), what,
		     (unsigned)(uintptr_t)p);
}

/* An access to memory the engine does not own: the weak model, the
 * use-after-free checks and the trace would silently treat it as plain sc
 * memory outside the world, so it stops the tool with one line. */
static __attribute__((noinline, noreturn)) void not_shared(
	const volatile void *p, const char *what, struct sched_site *site)
{
	const char *base = site ? strrchr(site->file, '/') : NULL;

	sched_fatal("%s at %s:%d touches %p, which is not shared memory (a "
		    "plain static or the stack?): allocate it in the "
		    "scenario's init with sched_world_alloc() or from a "
		    "kmem_cache", what, base ? base + 1 : site ? site->file : "?",
		    site ? site->line : 0, (const void *)p);
}

/* Every access of the model comes here: one load of word_bad when all is
 * well. */
static inline void check_access(const volatile void *p, const char *what,
				struct sched_site *site)
{
	uint32_t off;

	if (likely(sched_arena_offset(p, &off))) {
		if (off < sched_arena_top && word_bad[off / 8])
			report_bad_access(off, what);
	} else if ((uintptr_t)p < 4096) {	/* the kernel would oops */
		report_null(p, what);
	} else {
		not_shared(p, what, site);
	}
}

void sched_check_access(const volatile void *p, size_t size, const char *what,
			struct sched_site *site)
{
	(void)size;
	check_access(p, what, site);
}

void sched_obj_set_free(int obj, bool free)
{
	const struct sched_region *r = &regions[objs[obj].region];

	objs[obj].free = free;
	if (r->poison_free)
		mark_bad(objs[obj].base, r->objsize, free);
}

bool sched_obj_free(int obj)
{
	return objs[obj].free;
}

uint32_t sched_obj_bump_gen(int obj)
{
	return ++objs[obj].gen;
}

uint32_t sched_obj_gen_of(int obj)
{
	return objs[obj].gen;
}

void *sched_obj_base(int obj)
{
	return sched_arena + objs[obj].base;
}

void sched_region_release(void *base)
{
	int id = sched_obj_lookup(base, NULL);
	struct sched_region *r = &regions[objs[id].region];

	r->released = true;
	mark_bad(r->base, r->size, true);
}

const char *sched_obj_name(int obj, int *slot)
{
	if (slot)
		*slot = objs[obj].slot;
	return regions[objs[obj].region].name;
}

void sched_format_obj(char *buf, size_t len, int obj)
{
	int slot;
	const char *name = sched_obj_name(obj, &slot);

	if (slot >= 0)
		snprintf(buf, len, "%s#%d", name, slot);
	else
		snprintf(buf, len, "%s", name);
}

void sched_format_value(char *buf, size_t len, uint64_t v, bool ptr)
{
	uint32_t field;
	int id;

	if (!ptr) {
		snprintf(buf, len, "%lld", (long long)v);
		return;
	}
	id = obj_of_offset((uint32_t)v, &field);
	if (id < 0) {
		snprintf(buf, len, "arena+%llu", (unsigned long long)v);
		return;
	}
	sched_format_obj(buf, len, id);
	if (field) {
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, "+%u", field);
	}
}

int sched_obj_id(const void *p)
{
	return sched_obj_lookup(p, NULL);
}

uint32_t sched_obj_gen(const void *p)
{
	int id = sched_obj_lookup(p, NULL);

	return id < 0 ? 0 : objs[id].gen;
}

int sched_obj_is_free(const void *p)
{
	int id = sched_obj_lookup(p, NULL);

	return id >= 0 && objs[id].free;
}

/* ---- the interposed accesses -------------------------------------------- */

/* In the weak mode a load's aux in the trace says which store it read:
 * its step + 1 in the low 32 bits, how many newer stores there were above
 * (see sched_event). */
static uint64_t rf_aux(const struct sched_rf *rf)
{
	return rf->known ? (uint64_t)rf->age << 32 | (rf->step + 1) : 0;
}

uint64_t sched_load_step(const volatile void *p, int size,
			 enum sched_order ord, const char *prim,
			 const char *what, struct sched_site *site)
{
	struct sched_rf rf = { 0 };
	uint64_t v;

	check_access(p, what, site);
	if (sched_quiet())
		return sched_raw_read(p, size);
	v = sched_weak_active() ? sched_weak_load(p, size, ord, &rf)
				: sched_raw_read(p, size);
	sched_trace_add(SCHED_OP_LOAD, p, what, v, rf_aux(&rf), site);
	if (prim)
		sched_trace_name(prim, false);
	if (rf.known)
		sched_cov_rf(site, rf.site);
	if (sched_race_on)
		sched_race_load(p, size, ord, false, v, rf.known ? &rf : NULL,
				site);
	return v;
}

uint64_t sched_load(const volatile void *p, int size, enum sched_order ord,
		    const char *what, struct sched_site *site)
{
	sched_point();
	return sched_load_step(p, size, ord, NULL, what, site);
}

void sched_store_step(volatile void *p, int size, uint64_t v,
		      enum sched_order ord, const char *prim,
		      const char *what, struct sched_site *site)
{
	uint64_t old, stored;
	unsigned before = 0;

	check_access(p, what, site);
	if (sched_quiet()) {
		sched_raw_write(p, size, v);
		return;
	}
	old = sched_raw_read(p, size);
	if (sched_weak_active()) {
		stored = sched_weak_store(p, size, v, ord, site, &before);
	} else {
		sched_raw_write(p, size, v);
		stored = sched_raw_read(p, size);
	}
	if (sched_eng.store_waiters)
		sched_wake_store(p);
	sched_trace_add(SCHED_OP_STORE, p, what, stored, old, site);
	if (before)
		sched_trace_mark_before(before);
	if (prim)
		sched_trace_name(prim, false);
	if (sched_race_on)
		sched_race_store(p, size, ord, false, site);
}

void sched_store(volatile void *p, int size, uint64_t v, enum sched_order ord,
		 const char *what, struct sched_site *site)
{
	sched_point();
	sched_store_step(p, size, v, ord, NULL, what, site);
}

uint64_t sched_rmw(volatile void *p, int size, enum sched_rmw_op op,
		   uint64_t a, uint64_t b, enum sched_rmw_order ord,
		   const char *prim, const char *what, struct sched_site *site)
{
	struct sched_rf rf = { 0 };
	uint64_t old, new = 0;
	bool stored;

	sched_point();
	check_access(p, what, site);
	if (sched_weak_active()) {
		stored = sched_weak_rmw(p, size, op, a, b, ord, site, &old, &new,
					&rf);
	} else {
		old = sched_raw_read(p, size);
		stored = sched_rmw_apply(op, size, old, a, b, &new);
		if (stored) {
			sched_raw_write(p, size, new);
			new = sched_raw_read(p, size);
		}
	}
	if (stored) {
		if (sched_eng.store_waiters)
			sched_wake_store(p);
		sched_trace_add(SCHED_OP_RMW, p, what, new, old, site);
	} else {
		sched_trace_add(SCHED_OP_LOAD, p, what, old, rf_aux(&rf), site);
		if (rf.known)
			sched_cov_rf(site, rf.site);
	}
	sched_trace_name(prim, !stored);
	if (sched_race_on)
		sched_race_rmw(p, size, ord, stored, new, old,
			       rf.known ? &rf : NULL, site);
	return old;
}

uint64_t sched_load_named(const volatile void *p, int size,
			  enum sched_order ord, const char *prim,
			  const char *what, struct sched_site *site)
{
	sched_point();
	return sched_load_step(p, size, ord, prim, what, site);
}

/* One more iteration of a spin on p: a newer store to read (weak), or
 * none until another CPU stores to p; each ends the step. */
static void wait_store(const volatile void *p, const char *what)
{
	if (sched_eng.init_mode)
		sched_fatal("the program's init spins on a location only a "
			    "CPU could change");
	if (sched_weak_active() && sched_weak_advance(p)) {
		sched_point();
		return;
	}
	sched_block(BLOCK_STORE, (const void *)((uintptr_t)p & ~(uintptr_t)7),
		    what);
}

uint64_t sched_reload(const volatile void *p, int size, enum sched_order ord,
		      const char *prim, const char *what,
		      struct sched_site *site)
{
	wait_store(p, what);
	return sched_load_step(p, size, ord, prim, what, site);
}

void sched_barrier(enum sched_fence f, const char *what,
		   struct sched_site *site)
{
	sched_point();
	sched_fence(f);
	sched_trace_add(SCHED_OP_BARRIER, NULL, what, 0, 0, site);
}

/* ---- plain accesses ------------------------------------------------------ */

/*
 * A plain access of size bytes (1 to 16, from the compiler's callbacks,
 * plain.c) at p, in the weak model's pieces: at most 8 bytes, within one
 * 8-byte granule each.  fn(piece, size, arg) for each.
 */
static void pieces(const volatile void *p, int size,
		   void (*fn)(const volatile void *q, int n, void *arg),
		   void *arg)
{
	const volatile uint8_t *q = p, *end = q + size;

	while (q < end) {
		int n = (int)(8 - ((uintptr_t)q & 7));

		if (n > end - q)
			n = (int)(end - q);
		fn(q, n, arg);
		q += n;
	}
}

struct plain_read {
	struct sched_rf rf;	/* the first piece's */
	bool first;
};

/* A plain load reads the newest store in coherence order, which is the
 * latest that happens before it unless it races (race.c reports that):
 * the weak model only learns that this CPU has seen it. */
static void weak_read_piece(const volatile void *q, int n, void *arg)
{
	struct plain_read *r = arg;
	struct sched_rf rf;

	(void)sched_weak_load(q, n, SCHED_ORDER_LATEST, &rf);
	if (r->first)
		r->rf = rf;
	r->first = false;
}

uint64_t sched_plain_load(const volatile void *p, int size,
			  struct sched_site *site)
{
	struct plain_read r = { .first = true };
	uint64_t v;

	sched_point();
	check_access(p, "memory", site);
	if (sched_weak_active())
		pieces(p, size, weak_read_piece, &r);
	v = sched_raw_read(p, size < 8 ? size : 8);
	sched_trace_set_plain(sched_trace_add(SCHED_OP_LOAD, p, NULL, v,
					      rf_aux(&r.rf), site));
	if (r.rf.known)
		sched_cov_rf(site, r.rf.site);
	if (sched_race_on)
		sched_race_load(p, size, SCHED_ORDER_ONCE, true, v,
				r.rf.known ? &r.rf : NULL, site);
	return v;
}

/* The plain store whose callback ran and whose value is not yet known. */
bool sched_plain_pending;
static struct {
	volatile uint8_t *p;
	int size;
	uint8_t old[16];
	size_t event;
} pending;

void sched_plain_store(volatile void *p, int size, struct sched_site *site)
{
	uint64_t old;

	sched_point();
	check_access(p, "memory", site);
	old = sched_raw_read(p, size < 8 ? size : 8);
	pending.p = p;
	pending.size = size;
	memcpy(pending.old, (const void *)(uintptr_t)p, (size_t)size);
	pending.event = sched_trace_add(SCHED_OP_STORE, p, NULL, 0, old, site);
	sched_trace_set_plain(pending.event);
	sched_plain_pending = true;
	if (sched_race_on)
		sched_race_store(p, size, SCHED_ORDER_ONCE, true, site);
}

/* The store goes into the weak model's history at the end of coherence
 * order, as a store that races with nothing must: every store before it
 * happens before it (a racing one is reported). */
static void weak_write_piece(const volatile void *q, int n, void *arg)
{
	const uint8_t *now = arg;
	uint64_t v = 0;
	unsigned before;

	memcpy(&v, now + ((const volatile uint8_t *)q - pending.p), (size_t)n);
	sched_weak_store((volatile void *)q, n, v, SCHED_ORDER_ONCE, NULL,
			 &before);
}

/* The value of the plain store whose callback ran last, from memory:
 * into the trace, the weak model, and to the CPUs spinning on it. */
void sched_plain_commit(void)
{
	uint8_t now[16];
	size_t n = (size_t)pending.size;

	sched_plain_pending = false;
	memcpy(now, (const void *)(uintptr_t)pending.p, n);
	if (sched_weak_active()) {
		/* the history first learns the old value, then the new */
		memcpy((void *)(uintptr_t)pending.p, pending.old, n);
		pieces(pending.p, pending.size, weak_write_piece, now);
	}
	if (sched_eng.store_waiters)
		sched_wake_store(pending.p);
	sched_trace_set_value(pending.event,
			      sched_raw_read(pending.p, pending.size < 8 ?
						  pending.size : 8));
}

uint64_t sched_mem_read(const volatile void *p, int size)
{
	struct sched_rf rf;

	return sched_weak_active() ? sched_weak_load(p, size, SCHED_ORDER_LATEST, &rf)
				   : sched_raw_read(p, size);
}

void sched_mem_write(volatile void *p, int size, uint64_t v)
{
	unsigned before;

	if (sched_weak_active())
		sched_weak_store(p, size, v, SCHED_ORDER_ONCE, NULL, &before);
	else
		sched_raw_write(p, size, v);
	if (sched_eng.store_waiters)
		sched_wake_store(p);
}

void *sched_world_alloc(const char *name, size_t size)
{
	if (!sched_eng.init_mode || sched_eng.checking)
		sched_fatal("sched_world_alloc(%s) outside the program's init",
			    name);
	return sched_region_new(name, false, false, size, 1, -1);
}
