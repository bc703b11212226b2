/*
 * oracle.h - ghost state and the checks made on it.
 *
 * The ghost state lives outside the interleaving: updating or reading it is
 * no scheduling point and is not in the trace.  It holds each page's
 * logical rmap state, changed only at an rmap update's linearization point,
 * and, per CPU, the window between a successful lock in page_lock_anon_vma
 * and its return.
 *
 * The linearization point is the store to page->mapping when the update
 * makes one (a first mapping; the last unmapping under clear-mapping),
 * else its _mapcount update: the page's logical state changes when the
 * store that makes page_lock_anon_vma find its anon_vma, and the walk
 * that follows find the pte, happens, not when the function returns.
 * Under SCHED_MEMORY=weak that instant is the step at which the storing
 * CPU executes the store, in the one order of steps the engine runs, even
 * though other CPUs may go on loading the older ->mapping after it (their
 * views lag) and coherence order may place it before a store they made and
 * it had not seen.  The ghost is the abstract state, each update atomic at
 * that step: a CPU that loaded the new value did so at a later step, so its
 * window opens with the page already mapped; one that loaded an older value
 * is judged by what it returns against that state, which is the check.
 *
 * A stale return that fits several classes is labelled by the first of
 * these that holds (oracle.c): stale-reused (the anon_vma was freed and
 * allocated again since the load of page->mapping), stale-freed (it is
 * free at the return), stale-unmapped (the page was unmapped from the lock
 * to the return), stale-not-current (the page was mapped in the window,
 * but never through this anon_vma in its current allocation).
 */
#ifndef RMAP_ORACLE_H
#define RMAP_ORACLE_H

#include "rmap.h"

/* classes.c */
extern struct sched_class rmap_stale_reused, rmap_stale_freed,
	rmap_stale_unmapped, rmap_stale_not_current, rmap_unreachable,
	rmap_walk_missed, rmap_chain_mismatch, rmap_anon_vma_freed_in_use,
	rmap_mapping_dangles, rmap_anon_vma_miscount,
	rmap_anon_vma_freed_counted;
#define RMAP_STALE_REUSED (&rmap_stale_reused)
#define RMAP_STALE_FREED (&rmap_stale_freed)
#define RMAP_STALE_UNMAPPED (&rmap_stale_unmapped)
#define RMAP_STALE_NOT_CURRENT (&rmap_stale_not_current)
#define RMAP_UNREACHABLE (&rmap_unreachable)
#define RMAP_WALK_MISSED (&rmap_walk_missed)
#define RMAP_CHAIN_MISMATCH (&rmap_chain_mismatch)
#define RMAP_ANON_VMA_FREED_IN_USE (&rmap_anon_vma_freed_in_use)
#define RMAP_MAPPING_DANGLES (&rmap_mapping_dangles)
#define RMAP_ANON_VMA_MISCOUNT (&rmap_anon_vma_miscount)
#define RMAP_ANON_VMA_FREED_COUNTED (&rmap_anon_vma_freed_counted)

void oracle_reset(void);
/* oracle_chain.c's part of oracle_reset. */
void oracle_chain_reset(void);

/* Linearization points of the rmap updates (page_rmap.c): a first mapping
 * right after its ->mapping store, with the anon_vma stored; another
 * mapping after its _mapcount increment, with anon_vma NULL; an unmapping
 * after its _mapcount decrement or, when it clears page->mapping, after
 * that store. */
void ghost_rmap_added(struct page *page, struct anon_vma *anon_vma, bool first);
/* The first mapping of a page that is not new, by vma, right after its
 * _mapcount increment.  When ->mapping already holds the anon_vma the
 * variant's rule will point it at (or keeps it: SET_ROOT_KEEP), a walk
 * finds the page mapped through it from now, not from the store: counted
 * then; the ghost_rmap_added of the same mapping then only records its
 * anon_vma.  Otherwise the page counts from the ->mapping store. */
void ghost_rmap_first_raised(struct page *page, struct vm_area_struct *vma);
void ghost_rmap_removed(struct page *page, bool cleared_mapping);

/* page_lock_anon_vma, as each variant reaches these steps.  The load of
 * page->mapping is also where a walk reaches an anon_vma freed under a
 * mapped page (mapping-dangles). */
void oracle_mapping_loaded(struct page *page, struct anon_vma *anon_vma);
void oracle_lock_taken(struct page *page, struct anon_vma *anon_vma);
void oracle_lock_dropped(void);
void oracle_lock_returns(struct page *page, struct anon_vma *anon_vma);

/* oracle_chain.c: the world's mms, and the invariants of anon_vma chains
 * (rmap-unreachable, rmap-walk-missed, chain-mismatch), checked at quiet
 * instants, when no operation is half done; anon-vma-freed-in-use at
 * each anon_vma_free. */
void oracle_world_add_mm(struct mm_struct *mm);
struct mm_struct *oracle_world_mm(int i);	/* NULL past the last */
void oracle_check_chains(void);
void oracle_anon_vma_freed(struct anon_vma *anon_vma);
/* For the other oracles: a class reported at most once per execution
 * (keys, NULL-terminated: the places whose last writes made the state
 * judged, for the report's picture), an object's name, the live vmas of
 * an mm (in address order) and the anon_vmas of a vma's chain (the walk
 * stops at MAX_CHAIN). */
#define MAX_CHAIN 16
void oracle_report_once(struct sched_class *c,
			const volatile void *const *keys, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *oracle_name(char *buf, size_t len, const void *p);
int oracle_live_vmas(struct mm_struct *mm, struct vm_area_struct **out);
/* The live vmas whose ->anon_vma is av. */
unsigned oracle_vmas_using(struct anon_vma *av);
int oracle_chain_of(struct vm_area_struct *vma, struct anon_vma **out);

/* oracle_counts.c: the refcount and reuse counters of the variants with
 * today's refcount (anon-vma-miscount at quiet instants, from
 * oracle_check_chains), and what unlink_anon_vmas puts and anon_vma_free
 * frees (anon-vma-freed-counted). */
void oracle_check_counts(void);
void oracle_anon_vma_put(struct anon_vma *anon_vma);
void oracle_counts_freed(struct anon_vma *anon_vma);
/* The anon_vma (and its generation then) the page's rmap was last set
 * to, NULL when the page has none. */
struct anon_vma *ghost_page_anon_vma(struct page *page, uint32_t *gen);

#endif
