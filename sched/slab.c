/*
 * slab.c - slab caches, with SLAB_DESTROY_BY_RCU semantics when asked.
 *
 * A cache is a list of slab pages of SLAB_OBJS_PER_PAGE objects each; a new
 * page's objects are constructed once, when the page is created.  Which
 * free object an allocation returns, or whether it takes a new page, is an
 * ALLOC decision, so every reuse order the kernel's allocators could
 * produce is reachable.  When a DESTROY_BY_RCU page becomes empty, a
 * RELEASE decision says whether it goes back; if so it leaves the cache at
 * once and is released at the end of a grace period, after which touching
 * it is a use after free.
 */
#include <string.h>

#include <stdlib.h>

#include "engine.h"

/* Small pages, so that a page can empty out in a small world. */
#define SLAB_OBJS_PER_PAGE 2
#define SLAB_MAX_PAGES (SCHED_MAX_SLOTS / SLAB_OBJS_PER_PAGE)
#define SLAB_MAX_CACHES 8

struct slab_page {
	void *base;
	int first_obj;
	bool discarded;		/* left the cache, waiting for a grace period */
};

struct kmem_cache {
	const char *name;
	size_t size;
	unsigned flags;
	void (*ctor)(void *);
	int npages;
	struct slab_page pages[SLAB_MAX_PAGES];
};

static struct kmem_cache caches[SLAB_MAX_CACHES];
static int ncaches;

void sched_slab_reset(void)
{
	ncaches = 0;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     unsigned flags, void (*ctor)(void *))
{
	struct kmem_cache *c;

	if (!sched_eng.init_mode || ncaches == SLAB_MAX_CACHES) {
		sched_fatal("kmem_cache_create(%s) outside init or too many "
			    "caches", name);
	}
	c = &caches[ncaches++];
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->size = (size + 7) & ~(size_t)7;
	c->flags = flags;
	c->ctor = ctor;
	return c;
}

static struct slab_page *new_page(struct kmem_cache *c)
{
	struct slab_page *pg = &c->pages[c->npages];
	bool saved = sched_eng.init_mode;

	pg->base = sched_region_new(c->name, true,
				    !(c->flags & SLAB_DESTROY_BY_RCU), c->size,
				    SLAB_OBJS_PER_PAGE,
				    c->npages * SLAB_OBJS_PER_PAGE);
	pg->first_obj = sched_obj_id(pg->base);
	pg->discarded = false;
	c->npages++;
	/* The page is not yet visible to anyone: construct it in one go. */
	sched_eng.init_mode = true;
	for (int i = 0; c->ctor && i < SLAB_OBJS_PER_PAGE; i++)
		c->ctor(sched_obj_base(pg->first_obj + i));
	sched_eng.init_mode = saved;
	return pg;
}

void *sched_kmem_cache_alloc(struct kmem_cache *c, struct sched_site *s)
{
	int cands[SLAB_MAX_PAGES * SLAB_OBJS_PER_PAGE + 1];
	int objs[SLAB_MAX_PAGES * SLAB_OBJS_PER_PAGE + 1];
	unsigned n = 0, choice;
	int obj;
	void *p;

	sched_point();
	for (int pg = 0; pg < c->npages; pg++) {
		if (c->pages[pg].discarded)
			continue;
		for (int i = 0; i < SLAB_OBJS_PER_PAGE; i++) {
			int id = c->pages[pg].first_obj + i;

			if (sched_obj_free(id)) {
				objs[n] = id;
				cands[n++] = pg * SLAB_OBJS_PER_PAGE + i;
			}
		}
	}
	if (c->npages < SLAB_MAX_PAGES)
		cands[n++] = SCHED_ALLOC_NEW;
	if (n == 0) {
		sched_fatal("cache %s is out of pages", c->name);
	}
	choice = sched_decide(SCHED_DECIDE_ALLOC, n, cands, 0);
	obj = cands[choice] == SCHED_ALLOC_NEW ? new_page(c)->first_obj
					       : objs[choice];
	sched_obj_set_free(obj, false);
	p = sched_obj_base(obj);
	sched_acquire(p, SCHED_OBJECT);	/* from its last free */
	sched_trace_add(SCHED_OP_ALLOC, p, c->name, (uintptr_t)p,
			sched_obj_bump_gen(obj), s);
	return p;
}

static void release_page(void *base)
{
	sched_region_release(base);
	sched_trace_add(SCHED_OP_RELEASE_PAGE, base, "slab page", 0, 0, NULL);
}

static struct slab_page *page_of(struct kmem_cache *c, int obj)
{
	for (int pg = 0; pg < c->npages; pg++)
		if (obj >= c->pages[pg].first_obj &&
		    obj < c->pages[pg].first_obj + SLAB_OBJS_PER_PAGE)
			return &c->pages[pg];
	return NULL;
}

static bool page_empty(const struct slab_page *pg)
{
	for (int i = 0; i < SLAB_OBJS_PER_PAGE; i++)
		if (!sched_obj_free(pg->first_obj + i))
			return false;
	return true;
}

void sched_kmem_cache_free(struct kmem_cache *c, void *p,
			   struct sched_site *s)
{
	static const int keep_or_release[2] = { 0, 1 };
	int obj = sched_obj_id(p);
	struct slab_page *pg = obj >= 0 ? page_of(c, obj) : NULL;

	sched_point();
	if (!pg) {
		sched_report(SCHED_USE_AFTER_FREE,
			     "cpu%d frees an object that is not from cache %s",
			     sched_current_cpu(), c->name);
		return;
	}
	sched_check_access(p, c->size, c->name, s);
	if (sched_obj_free(obj)) {
		char name[64];

		sched_format_obj(name, sizeof(name), obj);
		sched_report(SCHED_USE_AFTER_FREE, "cpu%d frees %s twice",
			     sched_current_cpu(), name);
		return;
	}
	sched_release(p, SCHED_OBJECT);
	sched_obj_set_free(obj, true);
	sched_trace_add(SCHED_OP_FREE, p, c->name, (uintptr_t)p,
			sched_obj_gen_of(obj), s);
	if ((c->flags & SLAB_DESTROY_BY_RCU) && page_empty(pg) &&
	    sched_decide(SCHED_DECIDE_RELEASE, 2, keep_or_release, 0)) {
		pg->discarded = true;
		sched_call_rcu(release_page, pg->base);
	}
}
