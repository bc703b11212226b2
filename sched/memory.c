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
#include <sys/mman.h>

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
	uint32_t gen;
	bool free;
};

static uint8_t *arena;
static uint32_t arena_used;
static struct sched_region regions[MAX_REGIONS];
static int nregions;
static struct sched_obj objs[MAX_OBJS];
static int nobjs;
/* Regions are 64-byte aligned: the region of each 64-byte granule of the
 * used arena, for lookups in constant time. */
#define GRANULE 64u
static uint16_t granule_region[ARENA_SIZE / GRANULE];
/* Per 8-byte word (slab objects are 8-byte multiples): nonzero when an
 * access there is wrong, a free object of a poisoned cache or a slab page
 * that went back, so that a sound access costs one load to check. */
static uint8_t word_bad[ARENA_SIZE / 8];

static void mark_bad(uint32_t off, uint32_t size, bool bad)
{
	memset(word_bad + off / 8, bad, size / 8);
}

void sched_memory_reset(void)
{
	if (!arena) {
		arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (arena == MAP_FAILED)
			sched_fatal("cannot map the shared arena");
	}
	arena_used = 0;
	nregions = 0;
	nobjs = 0;
}

void *sched_region_new(const char *name, bool is_cache, bool poison_free,
		       size_t objsize, int nobj, int first_slot)
{
	uint32_t size = (uint32_t)((objsize * nobj + 63) & ~(size_t)63);
	struct sched_region *r;

	if (nregions == MAX_REGIONS || nobjs + nobj > MAX_OBJS ||
	    arena_used + size > ARENA_SIZE)
		sched_fatal("the world does not fit in the arena");
	r = &regions[nregions];
	*r = (struct sched_region){
		.base = arena_used, .size = size, .objsize = (uint32_t)objsize,
		.nobj = nobj, .first_obj = nobjs, .first_slot = first_slot,
		.name = name, .is_cache = is_cache, .poison_free = poison_free,
	};
	for (int i = 0; i < nobj; i++)
		objs[nobjs++] = (struct sched_obj){
			.region = nregions,
			.slot = is_cache ? first_slot + i : -1,
			.free = is_cache,
		};
	for (uint32_t g = arena_used / GRANULE; g < (arena_used + size) / GRANULE; g++)
		granule_region[g] = (uint16_t)nregions;
	nregions++;
	memset(arena + arena_used, 0, size);
	mark_bad(arena_used, size, false);
	if (is_cache && poison_free)
		mark_bad(arena_used, (uint32_t)objsize * (uint32_t)nobj, true);
	arena_used += size;
	return arena + r->base;
}

static int region_of_offset(uint32_t off)
{
	return off < arena_used ? granule_region[off / GRANULE] : -1;
}

static int obj_of_offset(uint32_t off, uint32_t *field)
{
	int r = region_of_offset(off);
	uint32_t rel, idx;

	if (r < 0)
		return -1;
	rel = off - regions[r].base;
	idx = rel / regions[r].objsize;
	if (idx >= (uint32_t)regions[r].nobj)
		return -1;	/* the region's padding */
	if (field)
		*field = rel % regions[r].objsize;
	return regions[r].first_obj + (int)idx;
}

static bool in_arena(uint64_t v)
{
	return arena && v >= (uintptr_t)arena && v < (uintptr_t)arena + ARENA_SIZE;
}

int sched_obj_lookup(const volatile void *p, uint32_t *field)
{
	uint32_t off;

	return sched_arena_offset(p, &off) ? obj_of_offset(off, field) : -1;
}

uint32_t sched_arena_used(void)
{
	return arena_used;
}

bool sched_arena_offset(const volatile void *p, uint32_t *off)
{
	if (!in_arena((uintptr_t)p))
		return false;
	*off = (uint32_t)((uintptr_t)p - (uintptr_t)arena);
	return true;
}

bool sched_normalize(uint64_t *v)
{
	if (!in_arena(*v))
		return false;
	*v -= (uintptr_t)arena;
	return true;
}

/* An access to a word marked bad: say what it touched. */
static __attribute__((noinline)) void report_bad_access(uint32_t off,
							const char *what)
{
	uint32_t field;
	int r = region_of_offset(off), id = obj_of_offset(off, &field);
	char name[64];

	if (id < 0)
		return;
	if (regions[r].released) {
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
		if (off < arena_used && word_bad[off / 8])
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
		mark_bad((uint32_t)((uint8_t *)sched_obj_base(obj) - arena),
			 r->objsize, free);
}

bool sched_obj_free(int obj)
{
	return objs[obj].free;
}

void sched_obj_bump_gen(int obj)
{
	objs[obj].gen++;
}

void *sched_obj_base(int obj)
{
	const struct sched_region *r = &regions[objs[obj].region];

	return arena + r->base +
	       (uint32_t)(obj - r->first_obj) * r->objsize;
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

static uint64_t raw_read(const volatile void *p, int size)
{
	switch (size) {
	case 1: return (uint64_t)(int64_t)*(const volatile int8_t *)p;
	case 2: return (uint64_t)(int64_t)*(const volatile int16_t *)p;
	case 4: return (uint64_t)(int64_t)*(const volatile int32_t *)p;
	default: return *(const volatile uint64_t *)p;
	}
}

static void raw_write(volatile void *p, int size, uint64_t v)
{
	switch (size) {
	case 1: *(volatile uint8_t *)p = (uint8_t)v; break;
	case 2: *(volatile uint16_t *)p = (uint16_t)v; break;
	case 4: *(volatile uint32_t *)p = (uint32_t)v; break;
	default: *(volatile uint64_t *)p = v; break;
	}
}

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
	v = sched_weak_active() ? sched_weak_load(p, size, ord, &rf)
				: raw_read(p, size);
	sched_trace_add(SCHED_OP_LOAD, p, what, v, rf_aux(&rf), site);
	if (prim)
		sched_trace_name(prim, false);
	if (rf.known)
		sched_cov_rf(site, rf.site);
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
	old = raw_read(p, size);
	if (sched_weak_active()) {
		stored = sched_weak_store(p, size, v, ord, site, &before);
	} else {
		raw_write(p, size, v);
		stored = raw_read(p, size);
	}
	if (sched_eng.store_waiters)
		sched_wake_store(p);
	sched_trace_add(SCHED_OP_STORE, p, what, stored, old, site);
	if (before)
		sched_trace_mark_before(before);
	if (prim)
		sched_trace_name(prim, false);
}

void sched_store(volatile void *p, int size, uint64_t v, enum sched_order ord,
		 const char *what, struct sched_site *site)
{
	sched_point();
	sched_store_step(p, size, v, ord, NULL, what, site);
}

/* The mask of a size-byte value. */
static uint64_t mask_of(int size)
{
	return size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (size * 8)) - 1;
}

bool sched_rmw_apply(enum sched_rmw_op op, int size, uint64_t old,
		     uint64_t a, uint64_t b, uint64_t *new)
{
	uint64_t m = mask_of(size);

	switch (op) {
	case SCHED_RMW_ADD: *new = old + a; break;
	case SCHED_RMW_AND: *new = old & a; break;
	case SCHED_RMW_OR: *new = old | a; break;
	case SCHED_RMW_XOR: *new = old ^ a; break;
	case SCHED_RMW_XCHG: *new = a; break;
	case SCHED_RMW_CMPXCHG:
		if ((old & m) != (a & m))
			return false;
		*new = b;
		break;
	case SCHED_RMW_ADD_UNLESS:
		if ((old & m) == (b & m))
			return false;
		*new = old + a;
		break;
	}
	return true;
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
		old = raw_read(p, size);
		stored = sched_rmw_apply(op, size, old, a, b, &new);
		if (stored) {
			raw_write(p, size, new);
			new = raw_read(p, size);
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
	sched_weak_fence(f);
	sched_trace_add(SCHED_OP_BARRIER, NULL, what, 0, 0, site);
}

uint64_t sched_mem_read(const volatile void *p, int size)
{
	struct sched_rf rf;

	return sched_weak_active() ? sched_weak_load(p, size, SCHED_ORDER_LATEST, &rf)
				   : raw_read(p, size);
}

void sched_mem_write(volatile void *p, int size, uint64_t v)
{
	unsigned before;

	if (sched_weak_active())
		sched_weak_store(p, size, v, SCHED_ORDER_ONCE, NULL, &before);
	else
		raw_write(p, size, v);
	if (sched_eng.store_waiters)
		sched_wake_store(p);
}

void *sched_arena_base(void)
{
	return arena;
}

void *sched_world_alloc(const char *name, size_t size)
{
	if (!sched_eng.init_mode || sched_eng.checking)
		sched_fatal("sched_world_alloc(%s) outside the program's init",
			    name);
	return sched_region_new(name, false, false, size, 1, -1);
}
