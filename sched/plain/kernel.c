/*
 * kernel.c - kernel.h's shims as plain accesses and calls, without the
 * engine (plain.h says what each becomes and why).  Every shim that the
 * engine makes a scheduling point is one POINT() here.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../access.h"
#include "plain.h"

#define WORLD_SIZE (1u << 20)
#define MAX_CACHES 8
#define OBJS_PER_PAGE 2		/* as the engine's slab.c */
#define MAX_RCU_CALLS 64

struct kmem_cache {
	const char *name;
	size_t size;
	unsigned flags;
	void (*ctor)(void *);
	int nobj;
	uint64_t free;		/* by slot */
	void *obj[SCHED_MAX_SLOTS];
};

static struct {
	int cpu;		/* -1: init */
	int rcu_nesting;
	unsigned long points;
	size_t used;
	int ncaches, ncalls;
	struct kmem_cache caches[MAX_CACHES];
	struct {
		void (*fn)(struct rcu_head *);
		struct rcu_head *head;
	} calls[MAX_RCU_CALLS];
	_Alignas(64) uint8_t world[WORLD_SIZE];
} plain;

#ifdef SCHED_BASELINE_COUNT
#define POINT() (plain.points += plain.cpu >= 0)
#else
#define POINT() ((void)0)
#endif

#define compiler_barrier() __asm__ __volatile__("" ::: "memory")

static __attribute__((noreturn, format(printf, 1, 2))) void stuck(
	const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "plain: cpu%d ", plain.cpu);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ", and no other CPU runs until it ends\n");
	exit(2);
}

void plain_begin(void)
{
	plain.cpu = -1;
	plain.rcu_nesting = 0;
	plain.points = 0;
	plain.used = 0;
	plain.ncaches = 0;
	plain.ncalls = 0;
}

void plain_set_cpu(int cpu)
{
	plain.cpu = cpu;
}

unsigned long plain_points(void)
{
	return plain.points;
}

int sched_current_cpu(void)
{
	return plain.cpu;
}

void sched_note(struct sched_site *site, const char *what, uint64_t value)
{
	(void)site;
	(void)what;
	(void)value;
}

/* ---- memory ------------------------------------------------------------- */

uint64_t sched_load(const volatile void *p, int size, enum sched_order ord,
		    const char *what, struct sched_site *site)
{
	(void)ord;
	(void)what;
	(void)site;
	POINT();
	return sched_raw_read(p, size);
}

void sched_store(volatile void *p, int size, uint64_t v, enum sched_order ord,
		 const char *what, struct sched_site *site)
{
	(void)ord;
	(void)what;
	(void)site;
	POINT();
	sched_raw_write(p, size, v);
}

uint64_t sched_load_named(const volatile void *p, int size,
			  enum sched_order ord, const char *prim,
			  const char *what, struct sched_site *site)
{
	(void)prim;
	return sched_load(p, size, ord, what, site);
}

uint64_t sched_reload(const volatile void *p, int size, enum sched_order ord,
		      const char *prim, const char *what,
		      struct sched_site *site)
{
	(void)p;
	(void)size;
	(void)ord;
	(void)prim;
	(void)site;
	stuck("spins on %s", what);
}

uint64_t sched_rmw(volatile void *p, int size, enum sched_rmw_op op,
		   uint64_t a, uint64_t b, enum sched_rmw_order ord,
		   const char *prim, const char *what, struct sched_site *site)
{
	uint64_t old = sched_raw_read(p, size), new;

	(void)ord;
	(void)prim;
	(void)what;
	(void)site;
	POINT();
	if (sched_rmw_apply(op, size, old, a, b, &new))
		sched_raw_write(p, size, new);
	return old;
}

void sched_barrier(enum sched_fence f, const char *what,
		   struct sched_site *site)
{
	(void)f;
	(void)what;
	(void)site;
	POINT();
	compiler_barrier();
}

void sched_take_over(const void *obj, size_t size)
{
	(void)obj;
	(void)size;
}

void sched_deps_explicit(bool on)
{
	(void)on;
}

uint32_t sched_dep_last_load(void)
{
	return 0;
}

void sched_deps_next(const uint32_t *dep, unsigned ndep,
		     const uint32_t *ctrl, unsigned nctrl)
{
	(void)dep;
	(void)ndep;
	(void)ctrl;
	(void)nctrl;
}

/* ---- locks, rwsems, seqcounts, completions ------------------------------ */

void sched_lock(spinlock_t *l, const char *prim, const char *what,
		struct sched_site *s)
{
	(void)prim;
	(void)s;
	POINT();
	if (l->owner)
		stuck("takes %s, held", what);
	l->owner = plain.cpu + 1;
}

void sched_unlock(spinlock_t *l, const char *prim, const char *what,
		  struct sched_site *s)
{
	(void)prim;
	(void)what;
	(void)s;
	POINT();
	l->owner = 0;
}

bool sched_trylock(spinlock_t *l, const char *prim, const char *what,
		   struct sched_site *s)
{
	(void)prim;
	(void)what;
	(void)s;
	POINT();
	if (l->owner)
		return false;
	l->owner = plain.cpu + 1;
	return true;
}

bool sched_is_locked(spinlock_t *l, const char *prim, const char *what,
		     struct sched_site *s)
{
	(void)prim;
	(void)what;
	(void)s;
	POINT();
	return l->owner != 0;
}

static bool rwsem_free(const struct rw_semaphore *sem, bool write)
{
	return write ? sem->count == 0 : sem->count >= 0;
}

void sched_down(struct rw_semaphore *sem, bool write, const char *what,
		struct sched_site *s)
{
	(void)s;
	POINT();
	if (!rwsem_free(sem, write))
		stuck("takes %s, held", what);
	sem->count = write ? -1 : sem->count + 1;
}

bool sched_down_trylock(struct rw_semaphore *sem, bool write,
			const char *what, struct sched_site *s)
{
	(void)what;
	(void)s;
	POINT();
	if (!rwsem_free(sem, write))
		return false;
	sem->count = write ? -1 : sem->count + 1;
	return true;
}

bool sched_rwsem_is_locked(struct rw_semaphore *sem, const char *what,
			   struct sched_site *s)
{
	(void)what;
	(void)s;
	POINT();
	return sem->count != 0;
}

void sched_up(struct rw_semaphore *sem, bool write, const char *what,
	      struct sched_site *s)
{
	(void)what;
	(void)s;
	POINT();
	sem->count = write ? 0 : sem->count - 1;
}

unsigned sched_read_seqcount_begin(seqcount_t *s, const char *what,
				   struct sched_site *site)
{
	unsigned seq = (unsigned)sched_load(&s->sequence, sizeof(seq),
					    SCHED_ORDER_ONCE, what, site);

	if (seq & 1)
		stuck("waits for the write of %s to end", what);
	compiler_barrier();
	return seq;
}

bool sched_read_seqcount_retry(seqcount_t *s, unsigned start,
			       const char *what, struct sched_site *site)
{
	compiler_barrier();
	return (unsigned)sched_load(&s->sequence, sizeof(start),
				    SCHED_ORDER_ONCE, what, site) != start;
}

void sched_write_seqcount(seqcount_t *s, bool end, const char *what,
			  struct sched_site *site)
{
	(void)end;
	(void)what;
	(void)site;
	POINT();
	compiler_barrier();
	s->sequence++;
	compiler_barrier();
}

void sched_wait_for_completion(struct completion *c, const char *what,
			       struct sched_site *s)
{
	(void)s;
	POINT();
	if (!c->done)
		stuck("waits for %s", what);
}

void sched_complete(struct completion *c, const char *what,
		    struct sched_site *s)
{
	(void)what;
	(void)s;
	POINT();
	c->done++;
}

/* ---- RCU: nothing waits, since no other CPU is inside a section -------- */

static void run_rcu_calls(void)
{
	for (int i = 0; i < plain.ncalls; i++)
		plain.calls[i].fn(plain.calls[i].head);
	plain.ncalls = 0;
}

void sched_rcu_read_lock(struct sched_site *s)
{
	(void)s;
	POINT();
	plain.rcu_nesting++;
	compiler_barrier();
}

void sched_rcu_read_unlock(struct sched_site *s)
{
	(void)s;
	POINT();
	compiler_barrier();
	if (--plain.rcu_nesting == 0 && plain.ncalls)
		run_rcu_calls();
}

void sched_synchronize_rcu(struct sched_site *s)
{
	(void)s;
	POINT();
	if (plain.rcu_nesting)
		stuck("calls synchronize_rcu inside a read-side section");
	compiler_barrier();
}

void sched_call_rcu_point(struct rcu_head *head,
			  void (*fn)(struct rcu_head *head),
			  struct sched_site *s)
{
	(void)s;
	POINT();
	if (plain.ncalls == MAX_RCU_CALLS)
		stuck("calls call_rcu %d times in one section", MAX_RCU_CALLS);
	plain.calls[plain.ncalls].fn = fn;
	plain.calls[plain.ncalls++].head = head;
	if (!plain.rcu_nesting)
		run_rcu_calls();
}

/* ---- memory of the world and the slab caches ---------------------------- */

static void *world_carve(size_t size)
{
	void *p = plain.world + plain.used;

	size = (size + 63) & ~(size_t)63;
	if (plain.used + size > WORLD_SIZE)
		stuck("fills the plain world (%u bytes)", WORLD_SIZE);
	plain.used += size;
	memset(p, 0, size);
	return p;
}

void *sched_world_alloc(const char *name, size_t size)
{
	(void)name;
	return world_carve(size);
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     unsigned flags, void (*ctor)(void *))
{
	struct kmem_cache *c;

	if (plain.ncaches == MAX_CACHES)
		stuck("creates more than %d caches", MAX_CACHES);
	c = &plain.caches[plain.ncaches++];
	c->name = name;
	c->size = (size + 7) & ~(size_t)7;
	c->flags = flags;
	c->ctor = ctor;
	c->nobj = 0;
	c->free = 0;
	return c;
}

/* A new slab page: its objects constructed, all free. */
static void new_page(struct kmem_cache *c)
{
	uint8_t *base;

	if (c->nobj + OBJS_PER_PAGE > SCHED_MAX_SLOTS)
		stuck("fills cache %s", c->name);
	base = world_carve(c->size * OBJS_PER_PAGE);
	for (int i = 0; i < OBJS_PER_PAGE; i++) {
		c->obj[c->nobj] = base + c->size * (size_t)i;
		if (c->ctor)
			c->ctor(c->obj[c->nobj]);
		c->free |= 1ull << c->nobj++;
	}
}

void *sched_kmem_cache_alloc(struct kmem_cache *c, struct sched_site *s)
{
	int slot;

	(void)s;
	POINT();
	if (!c->free)
		new_page(c);
	slot = __builtin_ctzll(c->free);
	c->free &= c->free - 1;
	return c->obj[slot];
}

void sched_kmem_cache_free(struct kmem_cache *c, void *p,
			   struct sched_site *s)
{
	(void)s;
	POINT();
	for (int slot = 0; slot < c->nobj; slot++)
		if (c->obj[slot] == p) {
			c->free |= 1ull << slot;
			return;
		}
	stuck("frees an object not from cache %s", c->name);
}

/* ---- lists (the kernel's __list_add and __list_del) --------------------- */

void sched_list_add(struct list_head *n, struct list_head *head, bool tail,
		    const char *what, struct sched_site *s)
{
	struct list_head *prev = tail ? head->prev : head;
	struct list_head *next = tail ? head : head->next;

	(void)what;
	(void)s;
	POINT();
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

void sched_list_del(struct list_head *entry, const char *what,
		    struct sched_site *s)
{
	struct list_head *prev = entry->prev, *next = entry->next;

	(void)what;
	(void)s;
	POINT();
	next->prev = prev;
	prev->next = next;
}

/* ---- assertions: the baseline runs a schedule without violations ------- */

void sched_bug(const char *cond, struct sched_site *site)
{
	(void)site;
	stuck("hits BUG_ON(%s)", cond ? cond : "");
}

void sched_warn(const char *cond, struct sched_site *site)
{
	(void)site;
	stuck("hits WARN_ON(%s)", cond);
}

void sched_warn_fmt(const char *cond, struct sched_site *site,
		    const char *fmt, ...)
{
	(void)site;
	(void)fmt;
	stuck("hits WARN(%s)", cond);
}
