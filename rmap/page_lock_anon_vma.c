/*
 * page_lock_anon_vma.c - find and lock the anon_vma of a mapped page, in
 * each historical variant.
 *
 * The page is not locked and may be unmapped, and its anon_vma freed and
 * reused (SLAB_DESTROY_BY_RCU), at any step.  rcu_read_lock keeps the slab
 * page of a loaded anon_vma from going back, not the object from being
 * reused: what each variant re-checks after taking the lock is what
 * separates them.  Each returns with the lock held and the RCU read lock
 * held, or NULL with neither.
 */
#include "anon_vma.h"

static void rcu_lock(void)
{
	if (!rmap_variant->no_rcu)
		rcu_read_lock();
}

static void rcu_unlock(void)
{
	if (!rmap_variant->no_rcu)
		rcu_read_unlock();
}

/* Loads page->mapping once, and tells the oracle which object it named. */
static unsigned long load_mapping(struct page *page)
{
	unsigned long anon_mapping = (unsigned long)ACCESS_ONCE(page->mapping);

	oracle_mapping_loaded(page, (struct anon_vma *)(anon_mapping -
							PAGE_MAPPING_ANON));
	return anon_mapping;
}

/* The anon_vma page->mapping names (loaded once, into *anon_mapping), or
 * NULL when the page is not anon or not mapped: how most variants start. */
static struct anon_vma *mapped_anon_vma(struct page *page,
					unsigned long *anon_mapping)
{
	*anon_mapping = load_mapping(page);
	if (!PageAnon(*anon_mapping) || !page_mapped(page))
		return NULL;
	return (struct anon_vma *)(*anon_mapping - PAGE_MAPPING_ANON);
}

/*
 * 2.6.33 .. 2.6.35: check page_mapped, then lock; nothing is re-checked.
 * Also clear-mapping, no-rcu (without the RCU read lock) and 2.6.36-rc1,
 * whose anon_vma_lock takes anon_vma->root->lock.
 */
static struct anon_vma *lock_v2_6_34(struct page *page, bool try_lock)
{
	struct anon_vma *anon_vma;
	unsigned long anon_mapping;

	(void)try_lock;
	rcu_lock();
	anon_vma = mapped_anon_vma(page, &anon_mapping);
	if (!anon_vma)
		goto out;
	anon_vma_lock(anon_vma);
	oracle_lock_taken(page, anon_vma);
	return anon_vma;
out:
	rcu_unlock();
	return NULL;
}

/* 2.6.36's anon_vma_unlock loads ->root again. */
static void unlock_v2_6_34(struct anon_vma *anon_vma)
{
	anon_vma_unlock(anon_vma);
	rcu_unlock();
}

/*
 * Peter Zijlstra's proposal of 12 Apr 2010 (the seed mail): lock, then
 * re-read page->mapping and retry if it changed; smp_rmb; then check
 * page_mapped.  Never merged.
 */
static struct anon_vma *lock_peterz(struct page *page, bool try_lock)
{
	struct anon_vma *anon_vma;
	unsigned long anon_mapping;

	(void)try_lock;
	rcu_read_lock();
again:
	anon_mapping = load_mapping(page);
	if (!PageAnon(anon_mapping))
		goto out;
	anon_vma = (struct anon_vma *)(anon_mapping - PAGE_MAPPING_ANON);

	spin_lock(&anon_vma->lock);
	oracle_lock_taken(page, anon_vma);
	if (unlikely((unsigned long)PLAIN(page->mapping) !=
		     anon_mapping)) {
		spin_unlock(&anon_vma->lock);
		oracle_lock_dropped();
		goto again;
	}
	if (!rmap_variant->no_rmb)
		smp_rmb();
	if (!page_mapped(page))
		goto unlock;
	return anon_vma;
unlock:
	spin_unlock(&anon_vma->lock);
	oracle_lock_dropped();
out:
	rcu_read_unlock();
	return NULL;
}

/*
 * 2.6.36 with Hugh Dickins' f18194275c39: load ->root once, lock it, and
 * return only if the page is still mapped after the lock.
 */
static struct anon_vma *lock_v2_6_36(struct page *page, bool try_lock)
{
	struct anon_vma *anon_vma, *root_anon_vma;
	unsigned long anon_mapping;

	(void)try_lock;
	rcu_read_lock();
	anon_vma = mapped_anon_vma(page, &anon_mapping);
	if (!anon_vma)
		goto out;
	root_anon_vma = ACCESS_ONCE(anon_vma->root);
	spin_lock(&root_anon_vma->lock);
	oracle_lock_taken(page, anon_vma);
	if (page_mapped(page))
		return anon_vma;
	spin_unlock(&root_anon_vma->lock);
	oracle_lock_dropped();
out:
	rcu_read_unlock();
	return NULL;
}

/*
 * 3.0-rc's page_lock_anon_vma, before Hugh Dickins' eee0f252c653 ("mm: fix
 * page_lock_anon_vma leaving mutex locked"), with the refcount and the
 * trylock fast path it had just gained: the trylock goes through
 * anon_vma->root as loaded there, and a nonzero refcount is taken to mean
 * the anon_vma is still in use.  A freed object that anon_vma_alloc has
 * handed out again (->root reset, then re-pointed by anon_vma_fork) passes
 * that test; page_unlock_anon_vma loads ->root again and unlocks another
 * root's lock: f18194275c39's hang once more.  The slow path pins the
 * anon_vma (atomic_inc_not_zero), checks page_mapped and sleeps on the
 * lock.  Returns with the lock held, the RCU read lock dropped.  The mutex
 * of 2.6.39 .. 3.7 is root->lock here: to the model both block.
 */
static struct anon_vma *lock_v3_0_rc(struct page *page, bool try_lock)
{
	struct anon_vma *anon_vma, *root;
	unsigned long anon_mapping;

	(void)try_lock;
	rcu_read_lock();
	anon_vma = mapped_anon_vma(page, &anon_mapping);
	if (!anon_vma)
		goto out;
	root = READ_ONCE(anon_vma->root);
	if (spin_trylock(&root->lock)) {
		oracle_lock_taken(page, anon_vma);
		if (!atomic_read(&anon_vma->refcount)) {
			anon_vma_unlock(anon_vma);
			oracle_lock_dropped();
			anon_vma = NULL;
		}
		goto out;
	}

	if (!atomic_inc_not_zero(&anon_vma->refcount)) {
		anon_vma = NULL;
		goto out;
	}
	oracle_lock_taken(page, anon_vma);	/* pinned: see below */
	if (!page_mapped(page)) {
		put_anon_vma(anon_vma);
		oracle_lock_dropped();
		anon_vma = NULL;
		goto out;
	}
	rcu_read_unlock();
	anon_vma_lock(anon_vma);
	if (atomic_dec_and_test(&anon_vma->refcount)) {
		anon_vma_unlock(anon_vma);
		oracle_lock_dropped();
		__put_anon_vma(anon_vma);
		anon_vma = NULL;
	}
	return anon_vma;
out:
	rcu_read_unlock();
	return anon_vma;
}

/* 3.0's page_unlock_anon_vma: the lock only (the RCU read lock went at
 * the return), through ->root loaded again. */
static void unlock_v3_0(struct anon_vma *anon_vma)
{
	anon_vma_unlock(anon_vma);
}

/* The mapping loaded at the start is still there (folio_move_anon_rmap,
 * for UFFDIO_MOVE, may have moved the folio to another anon_vma). */
static bool mapping_unchanged(struct page *page, unsigned long anon_mapping)
{
	return (unsigned long)READ_ONCE(page->mapping) == anon_mapping;
}

/* anon_vma_lock_read, anon_vma_unlock_read: the root's rwsem for read,
 * through ->root. */
static void anon_vma_lock_read(struct anon_vma *anon_vma)
{
	struct anon_vma *root = READ_ONCE(anon_vma->root);

	down_read(&root->rwsem);
}

static void anon_vma_unlock_read(struct anon_vma *anon_vma)
{
	struct anon_vma *root = READ_ONCE(anon_vma->root);

	up_read(&root->rwsem);
}

/*
 * folio_lock_anon_vma_read - today's (6.8 on: 3.0's trylock and refcount,
 * 3.8's rwsem, eee0f252c653's root loaded once and folio_mapped re-check,
 * and the re-check of ->mapping UFFDIO_MOVE needed).  Under
 * rcu_read_lock: load ->mapping once; not anon or the folio not mapped:
 * NULL.  Load ->root once and try its rwsem for read: taken, then if
 * ->mapping changed, unlock and start over; if the folio is still mapped
 * return the anon_vma ("this anon_vma is still its anon_vma, and holding
 * the mutex ensures that it will not go away, see anon_vma_free()"), else
 * NULL.  Not taken: a try_lock caller (folio_referenced) gets NULL
 * (contended).  Else pin the anon_vma with atomic_inc_not_zero (0: it is
 * being freed, NULL), check folio_mapped (no: put, NULL), leave RCU, sleep
 * on the lock; ->mapping changed: unlock, put, start over; the pin was the
 * last reference: unlock, free it (__put_anon_vma), NULL.
 *
 * Its promise, which the oracle judges (window from the lock, or from the
 * pin on the slow path, which checks folio_mapped before it sleeps and
 * only ->mapping after): an anon_vma the folio was mapped through at some
 * instant of the window, and one that does not go away while locked.
 */
static struct anon_vma *folio_lock_anon_vma_read(struct page *page,
						 bool try_lock)
{
	struct anon_vma *anon_vma, *root_anon_vma;
	unsigned long anon_mapping;

retry:
	rcu_read_lock();
	anon_vma = mapped_anon_vma(page, &anon_mapping);
	if (!anon_vma)
		goto out;
	root_anon_vma = READ_ONCE(anon_vma->root);
	if (down_read_trylock(&root_anon_vma->rwsem)) {
		oracle_lock_taken(page, anon_vma);
		if (unlikely(!mapping_unchanged(page, anon_mapping))) {
			up_read(&root_anon_vma->rwsem);
			oracle_lock_dropped();
			rcu_read_unlock();
			goto retry;
		}
		if (!page_mapped(page)) {
			up_read(&root_anon_vma->rwsem);
			oracle_lock_dropped();
			goto out;
		}
		rcu_read_unlock();
		return anon_vma;
	}
	if (try_lock)
		goto out;

	if (!atomic_inc_not_zero(&anon_vma->refcount))
		goto out;
	oracle_lock_taken(page, anon_vma);
	if (!page_mapped(page)) {
		rcu_read_unlock();
		oracle_lock_dropped();
		put_anon_vma(anon_vma);
		return NULL;
	}
	rcu_read_unlock();
	anon_vma_lock_read(anon_vma);
	if (unlikely(!mapping_unchanged(page, anon_mapping))) {
		anon_vma_unlock_read(anon_vma);
		oracle_lock_dropped();
		put_anon_vma(anon_vma);
		goto retry;
	}
	if (atomic_dec_and_test(&anon_vma->refcount)) {
		anon_vma_unlock_read(anon_vma);
		oracle_lock_dropped();
		__put_anon_vma(anon_vma);
		return NULL;
	}
	return anon_vma;
out:
	rcu_read_unlock();
	return NULL;
}

/* The control: the global rmap lock is held from before the load of
 * page->mapping until page_unlock_anon_vma. */
static struct anon_vma *lock_serialized(struct page *page, bool try_lock)
{
	struct anon_vma *anon_vma;

	rmap_serialize_begin();
	anon_vma = lock_v2_6_34(page, try_lock);
	if (!anon_vma)
		rmap_serialize_end();
	return anon_vma;
}

static void unlock_serialized(struct anon_vma *anon_vma)
{
	unlock_v2_6_34(anon_vma);
	rmap_serialize_end();
}

#define V2_6_34 lock_v2_6_34, unlock_v2_6_34
#define FOLIO folio_lock_anon_vma_read, anon_vma_unlock_read

/* A variant: its name and summary for the tools, its rules for the model. */
#define RMAP_VARIANT(name, summary, ...)                                  \
	{ name, summary, &(const struct rmap_variant){ __VA_ARGS__ } }

const struct sched_variant rmap_variants[] = {
	RMAP_VARIANT("v2.6.34", "as shipped in 2.6.34 and 2.6.35 (the default)",
	  V2_6_34, &chains_v2_6_34, .root_lock = false),
	RMAP_VARIANT("peterz", "the proposal in the seed mail: re-check mapping, smp_rmb, "
	  "then page_mapped", lock_peterz, unlock_v2_6_34, &chains_v2_6_34, .root_lock = false),
	RMAP_VARIANT("peterz-normb", "barrier ablation: peterz without its smp_rmb",
	  lock_peterz, unlock_v2_6_34, &chains_v2_6_34, .no_rmb = true),
	RMAP_VARIANT("peterz-relaxed-add", "barrier ablation: peterz with "
	  "page_add_anon_rmap's _mapcount increment unordered (the writer "
	  "side of its smp_rmb)", lock_peterz, unlock_v2_6_34, &chains_v2_6_34,
	  .relaxed_add = true),
	RMAP_VARIANT("peterz-relaxed-remove", "barrier ablation: peterz with "
	  "page_remove_rmap's _mapcount decrement unordered",
	  lock_peterz, unlock_v2_6_34, &chains_v2_6_34, .relaxed_remove = true),
	RMAP_VARIANT("v2.6.36", "root lock, re-check page_mapped (f18194275c39)",
	  lock_v2_6_36, unlock_v2_6_34, &chains_v2_6_36, .root_lock = true),
	RMAP_VARIANT("v2.6.36-rc1", "root lock without f18194275c39",
	  V2_6_34, &chains_v2_6_36, .root_lock = true),
	RMAP_VARIANT("clear-mapping", "v2.6.34 with page_remove_rmap clearing "
	  "page->mapping (the patch atop the mail)",
	  V2_6_34, &chains_v2_6_34, .clear_mapping = true),
	RMAP_VARIANT("no-rcu", "v2.6.34 without the RCU read lock",
	  V2_6_34, &chains_v2_6_34, .no_rcu = true),
	RMAP_VARIANT("serialized", "control: one global lock around every rmap update "
	  "and the whole lock..unlock window",
	  lock_serialized, unlock_serialized, &chains_v2_6_34,
	  .serialized = true),
	RMAP_VARIANT("v2.6.34-rc3", "anon_vma_chain as first merged (5beb4930525)",
	  V2_6_34, &chains_v2_6_34_rc3, .root_lock = false),
	RMAP_VARIANT("d0e9fe17", "rc3 + reuse a neighbour's anon_vma only if its chain "
	  "is one entry", V2_6_34, &chains_d0e9fe17, .root_lock = false),
	RMAP_VARIANT("287d97ac", "d0e9fe17 + vma_adjust clones the exporter's chain",
	  V2_6_34, &chains_287d97ac, .root_lock = false),
	RMAP_VARIANT("646d87b4", "287d97ac + clone chains oldest-last",
	  V2_6_34, &chains_646d87b4, .root_lock = false),
	RMAP_VARIANT("ea90002b", "646d87b4 + page->mapping is the oldest anon_vma",
	  V2_6_34, &chains_ea90002b, .root_lock = false),
	RMAP_VARIANT("ea90002b-no-646d87b4", "287d97ac + the oldest anon_vma, without "
	  "646d87b4's clone order", V2_6_34, &chains_ea90002b_no_646d87b4,
	  .root_lock = false),
	RMAP_VARIANT("rik-v2", "rc3 + Rik van Riel's -v2: anon_vma_prepare links in all "
	  "of a mergeable neighbour's anon_vmas", V2_6_34, &chains_rik_v2, .root_lock = false),
	RMAP_VARIANT("v2.6.34-rik-v2", "v2.6.34 with Rik's -v2 in place of d0e9fe17",
	  V2_6_34, &chains_v2_6_34_rik_v2, .root_lock = false),
	RMAP_VARIANT("v3.0-rc", "3.0-rc's trylock fast path trusting the refcount, "
	  "before eee0f252c653 (2.6.36's chains, today's refcount)",
	  lock_v3_0_rc, unlock_v3_0, &chains_v2_6_36, .root_lock = true,
	  .refcounts = true),
	RMAP_VARIANT("folio", "today's folio_lock_anon_vma_read: root rwsem trylock, "
	  "refcount fallback, ->mapping and folio_mapped re-checks (2.6.36's chains)",
	  FOLIO, &chains_v2_6_36, .root_lock = true, .refcounts = true,
	  .rwsem = true),
	RMAP_VARIANT("7a3ef208", "3.19 .. 5.19: fork reuses an anon_vma whose degree "
	  "is below 2 (7a3ef208e662), the double reuse of CVE-2022-42703",
	  FOLIO, &chains_7a3ef208, .root_lock = true, .refcounts = true,
	  .rwsem = true),
	RMAP_VARIANT("2555283e", "6.0 on: reuse only an anon_vma with no vma and "
	  "fewer than two children (2555283eb40d)",
	  FOLIO, &chains_2555283e, .root_lock = true, .refcounts = true,
	  .rwsem = true),
	{ .name = NULL },
};

/* page_lock_anon_vma - the variant in force; the oracle checks what it
 * returns. */
struct anon_vma *page_lock_anon_vma(struct page *page, bool try_lock)
{
	struct anon_vma *anon_vma = rmap_variant->page_lock_anon_vma(page,
								     try_lock);

	sched_note(SCHED_SITE(), "returns",
		   (uintptr_t)anon_vma);
	if (anon_vma)
		oracle_lock_returns(page, anon_vma);
	return anon_vma;
}

void page_unlock_anon_vma(struct anon_vma *anon_vma)
{
	rmap_variant->page_unlock_anon_vma(anon_vma);
}
