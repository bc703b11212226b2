/*
 * oracle.c - is the anon_vma that page_lock_anon_vma returns the page's?
 *
 * A return of anon_vma av is right when, at some instant between the
 * caller's successful lock and the return, the page was logically mapped
 * through av: mapped, with its rmap pointing at av in av's current
 * allocation (generation).  Otherwise it is stale, labelled by the first
 * of these that holds:
 *   stale-reused       av was freed and allocated again since the caller
 *                      loaded page->mapping (the race in the 2010 mail)
 *   stale-freed        av is free at the return
 *   stale-unmapped     the page was unmapped throughout the window
 *   stale-not-current  the page was mapped, through another anon_vma
 * Apart from that judgement, the load of page->mapping itself is checked:
 *   mapping-dangles    the page is mapped through the anon_vma it loads,
 *                      and that anon_vma was freed since (a chain bug's
 *                      dangling pointer, followed)
 */
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

#define MAX_GHOST_PAGES 16
#define CHANGES 4	/* the last rmap changes a report can name */
#define HISTORY 16	/* the last states, for what a weak load saw
			   (at least CHANGES) */

struct ghost_state {	/* a page's rmap from a step on */
	uint32_t step;
	int mapcount;
	struct anon_vma *anon_vma;
	uint32_t gen;
};

struct ghost_page {
	struct page *page;
	int mapcount;			/* -1 when not mapped */
	struct anon_vma *anon_vma;	/* set by the first mapper */
	uint32_t gen;			/* anon_vma's generation then */
	bool counted_early;		/* ghost_rmap_first_raised counted
					   the first mapping in progress */
	struct ghost_state hist[HISTORY];	/* after each change */
	unsigned nhist;
};

struct lock_window {
	bool active;
	struct page *page;
	struct anon_vma *anon_vma;
	uint32_t loaded_gen, loaded_step, lock_step;
	bool seen_good, seen_mapped;
};

static struct ghost_page ghosts[MAX_GHOST_PAGES];
static int nghosts;
static struct lock_window windows[SCHED_MAX_CPUS];
static int nwindows;		/* the CPUs that used theirs, 0..n-1 */
static bool dangling_reported;

void oracle_reset(void)
{
	oracle_chain_reset();
	nghosts = 0;
	memset(windows, 0, (size_t)nwindows * sizeof(windows[0]));
	nwindows = 0;
	dangling_reported = false;
}

static struct ghost_page *ghost(struct page *page)
{
	for (int i = 0; i < nghosts; i++)
		if (ghosts[i].page == page)
			return &ghosts[i];
	if (nghosts == MAX_GHOST_PAGES)
		sched_fatal("too many pages for the oracle");
	ghosts[nghosts] = (struct ghost_page){ .page = page, .mapcount = -1 };
	return &ghosts[nghosts++];
}

/* w's page in the state mapcount, anon_vma, gen: mapped, and through the
 * window's anon_vma in its present life? */
static void observe_state(struct lock_window *w, int mapcount,
			  struct anon_vma *anon_vma, uint32_t gen)
{
	w->seen_mapped |= mapcount >= 0;
	w->seen_good |= mapcount >= 0 && anon_vma == w->anon_vma &&
			gen == sched_obj_gen(w->anon_vma) &&
			!sched_obj_is_free(w->anon_vma);
}

static void observe(struct lock_window *w)
{
	const struct ghost_page *g = ghost(w->page);

	observe_state(w, g->mapcount, g->anon_vma, g->gen);
}

/* g's rmap changed at this step: each window on its page looks. */
static void page_changed(struct ghost_page *g)
{
	g->hist[g->nhist++ % HISTORY] = (struct ghost_state){
		sched_current_step(), g->mapcount, g->anon_vma, g->gen };
	for (int c = 0; c < nwindows; c++)
		if (windows[c].active && windows[c].page == g->page)
			observe(&windows[c]);
}

void ghost_rmap_added(struct page *page, struct anon_vma *anon_vma, bool first)
{
	struct ghost_page *g = ghost(page);

	if (!g->counted_early)
		g->mapcount++;
	g->counted_early = false;
	if (first && anon_vma) {
		g->anon_vma = anon_vma;
		g->gen = sched_obj_gen(anon_vma);
	}
	page_changed(g);
}

/* The anon_vma the first mapping of a page that is not new, by vma, will
 * point ->mapping at under the variant's rule (page_rmap.c's
 * __page_set_anon_rmap), read from the world; cur when it keeps it. */
static struct anon_vma *first_target(struct vm_area_struct *vma,
				     struct anon_vma *cur)
{
	struct anon_vma *chain[MAX_CHAIN];
	int n;

	switch (rmap_variant->chains->set_anon) {
	case SET_VMA_ANON_VMA:
		return vma->anon_vma;
	case SET_OLDEST:
	case SET_OLDEST_NOT_NEW:
		n = oracle_chain_of(vma, chain);
		return n ? chain[n - 1] : NULL;
	case SET_ROOT_KEEP:
		if (cur)
			return cur;
		/* fall through */
	case SET_ROOT:
		return vma->anon_vma ? vma->anon_vma->root : NULL;
	}
	return NULL;
}

void ghost_rmap_first_raised(struct page *page, struct vm_area_struct *vma)
{
	struct ghost_page *g = ghost(page);
	unsigned long m = (unsigned long)page->mapping;
	struct anon_vma *cur = (m & PAGE_MAPPING_ANON) ?
		(struct anon_vma *)(m - PAGE_MAPPING_ANON) : NULL;

	/* the same life of the same anon_vma, and the rule stores it again */
	if (!g->anon_vma || !cur || cur != g->anon_vma ||
	    sched_obj_gen(cur) != g->gen || sched_obj_is_free(cur) ||
	    first_target(vma, cur) != cur)
		return;
	g->mapcount++;
	g->counted_early = true;
	page_changed(g);
}

struct anon_vma *ghost_page_anon_vma(struct page *page, uint32_t *gen)
{
	const struct ghost_page *g = ghost(page);

	*gen = g->gen;
	return g->anon_vma;
}

void ghost_rmap_removed(struct page *page, bool cleared_mapping)
{
	struct ghost_page *g = ghost(page);

	g->mapcount--;
	if (cleared_mapping)
		g->anon_vma = NULL;
	page_changed(g);
}

static struct lock_window *my_window(void)
{
	int cpu = sched_current_cpu();

	if (cpu < 0)
		return NULL;
	if (cpu >= nwindows)
		nwindows = cpu + 1;
	return &windows[cpu];
}

/*
 * A walk that loads the ->mapping of a page mapped through anon_vma, since
 * freed (or freed and reused): the dangling pointer the chain bugs leave
 * (rmap-unreachable says when the state broke; this is where a walk
 * follows it).  Once per execution.
 */
static void check_dangling(struct page *page, struct anon_vma *anon_vma)
{
	const struct ghost_page *g = ghost(page);
	char pg[48], av[48];

	if (dangling_reported || g->mapcount < 0 || g->anon_vma != anon_vma ||
	    (!sched_obj_is_free(anon_vma) && sched_obj_gen(anon_vma) == g->gen))
		return;
	dangling_reported = true;
	sched_report_key(&page->mapping, sched_current_step());
	sched_format_obj(pg, sizeof(pg), sched_obj_id(page));
	sched_format_obj(av, sizeof(av), sched_obj_id(anon_vma));
	sched_report(RMAP_MAPPING_DANGLES, "cpu%d: a walk of %s, mapped through "
		     "%s (gen %u), loads page->mapping: %s is %s",
		     sched_current_cpu(), pg, av, g->gen, av,
		     sched_obj_is_free(anon_vma) ? "free" : "reused");
}

void oracle_mapping_loaded(struct page *page, struct anon_vma *anon_vma)
{
	struct lock_window *w = my_window();

	check_dangling(page, anon_vma);
	if (!w)
		return;
	w->loaded_gen = sched_obj_gen(anon_vma);
	w->loaded_step = sched_current_step();
}

void oracle_lock_taken(struct page *page, struct anon_vma *anon_vma)
{
	struct lock_window *w = my_window();

	if (!w)
		return;
	w->active = true;
	w->page = page;
	w->anon_vma = anon_vma;
	w->lock_step = sched_current_step();
	w->seen_good = w->seen_mapped = false;
	observe(w);
}

void oracle_lock_dropped(void)
{
	struct lock_window *w = my_window();

	if (w)
		w->active = false;
}

static void describe_page(char *buf, size_t len, const struct ghost_page *g)
{
	char page[48], av[48];

	sched_format_obj(page, sizeof(page), sched_obj_id(g->page));
	if (g->mapcount < 0 || !g->anon_vma) {
		snprintf(buf, len, "%s is %s", page,
			 g->mapcount < 0 ? "not mapped" : "mapped without an anon_vma");
		return;
	}
	sched_format_obj(av, sizeof(av), sched_obj_id(g->anon_vma));
	snprintf(buf, len, "%s is mapped through %s (gen %u)", page, av, g->gen);
}

/* The events a stale return depends on, for the report's picture: the
 * load of page->mapping, the lock, and the page's rmap changes (their
 * _mapcount updates) since the load. */
static void name_keys(const struct lock_window *w, struct page *page)
{
	const struct ghost_page *g = ghost(page);

	sched_report_key(NULL, w->loaded_step);
	sched_report_key(NULL, w->lock_step);
	for (unsigned k = 0; k < CHANGES && k < g->nhist; k++) {
		uint32_t step = g->hist[(g->nhist - 1 - k) % HISTORY].step;

		if (step >= w->loaded_step)
			sched_report_key(&page->_mapcount, step);
	}
}

/*
 * What these functions promise is about what they saw: "if the folio is
 * still mapped [by the check under the lock], this anon_vma is still its
 * anon_vma" (folio_lock_anon_vma_read).  Under weak memory that check
 * may read an older _mapcount than the latest, as LKMM allows when
 * nothing orders the unmap before it: the window then opens at the store
 * it read, and the page's states from that step to the lock count too.
 * Under sc the check reads the latest, at its own step: nothing changes.
 */
static void look_back(struct lock_window *w, const struct ghost_page *g)
{
	unsigned n = g->nhist < HISTORY ? g->nhist : HISTORY;
	uint32_t from;

	if (!sched_load_read_from(&w->page->_mapcount, w->lock_step, &from) ||
	    from >= w->lock_step)
		return;
	for (unsigned k = 0; k < n; k++) {	/* newest first */
		const struct ghost_state *st =
			&g->hist[(g->nhist - 1 - k) % HISTORY];

		if (st->step >= w->lock_step)
			continue;
		observe_state(w, st->mapcount, st->anon_vma, st->gen);
		if (st->step <= from)
			return;		/* the state at from */
	}
	if (g->nhist > HISTORY)
		w->seen_good = true;	/* older than kept: no verdict */
}

void oracle_lock_returns(struct page *page, struct anon_vma *anon_vma)
{
	struct lock_window *w = my_window();
	const struct ghost_page *g = ghost(page);
	uint32_t gen = sched_obj_gen(anon_vma);
	char av[48], now[128];
	int cpu = sched_current_cpu();

	if (!w || !w->active)
		return;
	w->active = false;
	if (!w->seen_good)
		look_back(w, g);
	if (w->seen_good)
		return;
	sched_format_obj(av, sizeof(av), sched_obj_id(anon_vma));
	describe_page(now, sizeof(now), g);
	name_keys(w, page);
	if (gen != w->loaded_gen)
		sched_report(RMAP_STALE_REUSED,
			     "cpu%d: page_lock_anon_vma returns %s (gen %u), "
			     "freed and reused since its load of page->mapping "
			     "at step %u (gen %u); %s", cpu, av, gen,
			     w->loaded_step, w->loaded_gen, now);
	else if (sched_obj_is_free(anon_vma))
		sched_report(RMAP_STALE_FREED,
			     "cpu%d: page_lock_anon_vma returns %s, which is "
			     "free; %s", cpu, av, now);
	else if (!w->seen_mapped)
		sched_report(RMAP_STALE_UNMAPPED,
			     "cpu%d: page_lock_anon_vma returns %s, but the "
			     "page was unmapped from the lock to the return; %s",
			     cpu, av, now);
	else
		sched_report(RMAP_STALE_NOT_CURRENT,
			     "cpu%d: page_lock_anon_vma returns %s (gen %u), "
			     "not the page's anon_vma; %s", cpu, av, gen, now);
}
