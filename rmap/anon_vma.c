/*
 * anon_vma.c - anon_vma and anon_vma_chain life: alloc, prepare, clone,
 * fork, unlink.
 *
 * Follows mm/rmap.c of 2.6.34 (anon_vma_prepare, anon_vma_clone,
 * anon_vma_fork, anon_vma_unlink, unlink_anon_vmas) and, where the
 * variant's chain rules say so, the 2.6.34-rc3 code and each fix of the
 * week after it; with root_lock, 2.6.36 (locking through anon_vma->root,
 * children pinning their root).  The variants that reuse anon_vmas at fork
 * (3.19 on) take clone, fork and unlink from reuse.c, and the rest from
 * here with today's refcount (refcounts).
 */
#include "anon_vma.h"

static struct kmem_cache *anon_vma_cachep;
static struct kmem_cache *anon_vma_chain_cachep;

/*
 * anon_vma_ctor - runs once per object when its slab page is created, never
 * on allocation: a freed and reused anon_vma keeps a valid lock and list
 * head, which is what lets page_lock_anon_vma lock an object it only
 * loaded under rcu_read_lock.
 */
static void anon_vma_ctor(void *data)
{
	struct anon_vma *anon_vma = data;

	spin_lock_init(&anon_vma->lock);
	init_rwsem(&anon_vma->rwsem);
	atomic_set(&anon_vma->refcount, 0);
	INIT_LIST_HEAD(&anon_vma->head);
}

void rmap_init_caches(void)
{
	anon_vma_cachep = kmem_cache_create("anon_vma", sizeof(struct anon_vma),
					    SLAB_DESTROY_BY_RCU, anon_vma_ctor);
	anon_vma_chain_cachep = kmem_cache_create("anon_vma_chain",
						  sizeof(struct anon_vma_chain),
						  0, NULL);
}

/*
 * anon_vma_alloc - 2.6.34: a bare kmem_cache_alloc, no initialisation.
 * With refcounts (3.0 on) it hands out an object in use: one reference
 * and itself as its root, and from 3.19 the reuse counters and itself as
 * its parent (fork re-points both) - stores a reader of the object's
 * previous life may see, which is what eee0f252c653 was about.
 */
struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *anon_vma;

	anon_vma = kmem_cache_alloc(anon_vma_cachep, GFP_KERNEL);
	if (rmap_variant->refcounts) {
		atomic_set(&anon_vma->refcount, 1);
		anon_vma_count_init(anon_vma);
		if (anon_vma_reuses())
			PLAIN_SET(anon_vma->parent, anon_vma);
		PLAIN_SET(anon_vma->root, anon_vma);
	}
	return anon_vma;
}

static bool anon_vma_root_is_locked(struct anon_vma *root)
{
	if (rmap_variant->rwsem)
		return rwsem_is_locked(&root->rwsem);
	return spin_is_locked(&root->lock);
}

/*
 * anon_vma_free - with refcounts (as in 3.0 .. today), a walker may hold
 * the root's lock having checked only that the page is still mapped (the
 * trylock path of folio_lock_anon_vma_read): if the lock is held, take it
 * once, so that the holder is gone before the object is.  The full
 * barrier of put_anon_vma's atomic_dec_and_test orders the check after
 * the count reached 0, against the walker's lock before its page_mapped.
 */
void anon_vma_free(struct anon_vma *anon_vma)
{
	if (rmap_variant->refcounts &&
	    anon_vma_root_is_locked(PLAIN(anon_vma->root))) {
		anon_vma_lock(anon_vma);
		anon_vma_unlock(anon_vma);
	}
	oracle_anon_vma_freed(anon_vma);
	kmem_cache_free(anon_vma_cachep, anon_vma);
}

/* __put_anon_vma - free an anon_vma whose last reference went, then drop
 * the reference it held on its root (loaded before the free). */
void __put_anon_vma(struct anon_vma *anon_vma)
{
	struct anon_vma *root = PLAIN(anon_vma->root);

	anon_vma_free(anon_vma);
	if (root != anon_vma && atomic_dec_and_test(&root->refcount))
		anon_vma_free(root);
}

/* put_anon_vma - refcounts (01d8b20dec5f): drop a reference; the last one
 * frees the anon_vma. */
void put_anon_vma(struct anon_vma *anon_vma)
{
	if (atomic_dec_and_test(&anon_vma->refcount))
		__put_anon_vma(anon_vma);
}

struct anon_vma_chain *anon_vma_chain_alloc(void)
{
	return kmem_cache_alloc(anon_vma_chain_cachep, GFP_KERNEL);
}

void anon_vma_chain_free(struct anon_vma_chain *avc)
{
	kmem_cache_free(anon_vma_chain_cachep, avc);
}

/*
 * anon_vma_lock - 2.6.34 takes anon_vma->lock; 2.6.36 takes
 * anon_vma->root->lock, loading ->root each time (which is what let
 * 2.6.36-rc1 unlock a different lock than it took).
 */
void anon_vma_lock(struct anon_vma *anon_vma)
{
	struct anon_vma *root = anon_vma;

	if (rmap_variant->root_lock)
		root = PLAIN(anon_vma->root);
	anon_vma_root_lock(root);
}

void anon_vma_unlock(struct anon_vma *anon_vma)
{
	struct anon_vma *root = anon_vma;

	if (rmap_variant->root_lock)
		root = PLAIN(anon_vma->root);
	anon_vma_root_unlock(root);
}

/*
 * anon_vma_prepare_clone - Rik van Riel's "-v2: make anon_vma_prepare link
 * in all the anon_vmas of a mergeable VMA" (Apr 2010, not merged): the vma
 * takes every entry of the neighbour's chain, not just its anon_vma.  If a
 * racing fault of the same vma got there first, our entries stay: a vma
 * listed twice on an anon_vma is walked twice, which is harmless.
 */
static int anon_vma_prepare_clone(struct vm_area_struct *vma,
				  struct vm_area_struct *near)
{
	struct mm_struct *mm = vma->vm_mm;

	anon_vma_clone(vma, near);
	spin_lock(&mm->page_table_lock);
	if (likely(!PLAIN(vma->anon_vma)))
		PLAIN_SET(vma->anon_vma, PLAIN(near->anon_vma));
	spin_unlock(&mm->page_table_lock);
	return 0;
}

/*
 * anon_vma_prepare - attach an anon_vma to a vma that has none.
 * Caller holds mmap_sem for read.  Reuses a mergeable neighbour's anon_vma
 * as the variant allows, or allocates one.  Takes the anon_vma's lock, even
 * for a fresh one (page_lock_anon_vma may be holding the lock of a
 * just-reused object), then page_table_lock, and links the chain entry only
 * if the vma still has no anon_vma.  2.6.34 order; 2.6.36 also makes a
 * fresh anon_vma its own root before locking it.
 */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma = PLAIN(vma->anon_vma);
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *near = NULL;
	struct anon_vma *allocated;
	struct anon_vma_chain *avc;

	if (likely(anon_vma))
		return 0;
	avc = anon_vma_chain_alloc();
	anon_vma = find_mergeable_anon_vma(vma, &near);
	if (anon_vma && rmap_variant->chains->reuse == REUSE_CLONE) {
		anon_vma_chain_free(avc);
		return anon_vma_prepare_clone(vma, near);
	}
	allocated = NULL;
	if (!anon_vma) {
		anon_vma = anon_vma_alloc();
		allocated = anon_vma;
		if (rmap_variant->root_lock && !rmap_variant->refcounts)
			PLAIN_SET(anon_vma->root, anon_vma);
		anon_vma_count_new_root(anon_vma);
	}

	anon_vma_lock(anon_vma);
	spin_lock(&mm->page_table_lock);
	if (likely(!PLAIN(vma->anon_vma))) {
		PLAIN_SET(vma->anon_vma, anon_vma);
		PLAIN_SET(avc->anon_vma, anon_vma);
		PLAIN_SET(avc->vma, vma);
		list_add(&avc->same_vma, &vma->anon_vma_chain);
		list_add(&avc->same_anon_vma, &anon_vma->head);
		anon_vma_count_vma(anon_vma, 1);
		allocated = NULL;
		avc = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	anon_vma_unlock(anon_vma);

	if (unlikely(allocated) && rmap_variant->refcounts)
		put_anon_vma(allocated);
	else if (unlikely(allocated))
		anon_vma_free(allocated);
	if (unlikely(avc))
		anon_vma_chain_free(avc);
	return 0;
}

/* avc_link_vma - the entry goes first on the vma's chain; caller holds
 * mmap_sem for write. */
void avc_link_vma(struct vm_area_struct *vma, struct anon_vma_chain *avc,
		  struct anon_vma *anon_vma)
{
	PLAIN_SET(avc->vma, vma);
	PLAIN_SET(avc->anon_vma, anon_vma);
	list_add(&avc->same_vma, &vma->anon_vma_chain);
}

/* anon_vma_chain_link - 2.6.34: on the vma's chain, then last on the
 * anon_vma's list, under its lock. */
static void anon_vma_chain_link(struct vm_area_struct *vma,
				struct anon_vma_chain *avc,
				struct anon_vma *anon_vma)
{
	avc_link_vma(vma, avc, anon_vma);
	anon_vma_lock(anon_vma);
	list_add_tail(&avc->same_anon_vma, &anon_vma->head);
	anon_vma_unlock(anon_vma);
}

/*
 * anon_vma_clone - dst gets an entry for every anon_vma on src's chain.
 * Each link goes to the front of dst's chain, so rc3's forward walk
 * reverses the order; 646d87b481da walks backwards and keeps the oldest
 * anon_vma last, where ea90002b0fa7 looks for it.
 */
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	bool backwards = rmap_variant->chains->clone_in_order;
	struct list_head *head = &src->anon_vma_chain;
	struct list_head *pos;

	if (anon_vma_reuses())
		return anon_vma_clone_reuse(dst, src);
	for (pos = backwards ? PLAIN(head->prev) : PLAIN(head->next);
	     pos != head;
	     pos = backwards ? PLAIN(pos->prev) : PLAIN(pos->next)) {
		struct anon_vma_chain *pavc =
			list_entry(pos, struct anon_vma_chain, same_vma);
		struct anon_vma_chain *avc = anon_vma_chain_alloc();

		anon_vma_chain_link(dst, avc, PLAIN(pavc->anon_vma));
	}
	return 0;
}

/* get_anon_vma - 2.6.36: a child anon_vma pins its root, whose lock it
 * uses. */
void get_anon_vma(struct anon_vma *anon_vma)
{
	atomic_inc(&anon_vma->refcount);
}

/*
 * anon_vma_fork - at fork, the child's vma gets the parent's chain, then
 * an anon_vma of its own for the pages it will COW.  2.6.34 links the new
 * anon_vma and then points vma->anon_vma at it; 2.6.36 first sets the
 * new anon_vma's root to the parent's root and pins it (on a reused
 * object, that store is what 2.6.36-rc1's page_lock_anon_vma trips on).
 */
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	struct anon_vma *panon_vma;
	struct anon_vma_chain *avc;
	struct anon_vma *anon_vma;

	if (anon_vma_reuses())
		return anon_vma_fork_reuse(vma, pvma);
	panon_vma = PLAIN(pvma->anon_vma);
	if (!panon_vma)
		return 0;
	anon_vma_clone(vma, pvma);
	anon_vma = anon_vma_alloc();
	avc = anon_vma_chain_alloc();
	if (rmap_variant->root_lock) {
		struct anon_vma *root = PLAIN(panon_vma->root);

		PLAIN_SET(anon_vma->root, root);
		get_anon_vma(root);
		PLAIN_SET(vma->anon_vma, anon_vma);
		anon_vma_chain_link(vma, avc, anon_vma);
	} else {
		anon_vma_chain_link(vma, avc, anon_vma);
		PLAIN_SET(vma->anon_vma, anon_vma);
	}
	return 0;
}

/*
 * drop_anon_vma - 2.6.36: a child is gone; the root goes when nothing
 * pins it and its list is empty.
 */
static void drop_anon_vma(struct anon_vma *anon_vma)
{
	struct anon_vma *root;
	bool empty;

	anon_vma_lock(anon_vma);
	empty = atomic_dec_and_test(&anon_vma->refcount) &&
		list_empty(&anon_vma->head);
	anon_vma_unlock(anon_vma);
	if (!empty)
		return;
	root = PLAIN(anon_vma->root);
	if (root != anon_vma)
		drop_anon_vma(root);
	anon_vma_free(anon_vma);
}

/*
 * anon_vma_unlink - take one chain entry off its anon_vma, under the
 * anon_vma's lock; free the anon_vma when its list is empty (2.6.34; the
 * KSM reference is always zero here).  2.6.36 also keeps it while children
 * pin it, and a freed child lets go of its root.  With refcounts (3.0) an
 * empty list is one put_anon_vma.
 */
static void anon_vma_unlink(struct anon_vma_chain *avc)
{
	struct anon_vma *anon_vma = PLAIN(avc->anon_vma);
	bool empty;

	if (!anon_vma)
		return;
	anon_vma_lock(anon_vma);
	list_del(&avc->same_anon_vma);
	empty = list_empty(&anon_vma->head);
	if (empty && rmap_variant->root_lock && !rmap_variant->refcounts)
		empty = !atomic_read(&anon_vma->refcount);
	anon_vma_unlock(anon_vma);

	if (!empty)
		return;
	if (rmap_variant->refcounts) {
		put_anon_vma(anon_vma);
		return;
	}
	if (rmap_variant->root_lock) {
		struct anon_vma *root = PLAIN(anon_vma->root);

		if (root != anon_vma)
			drop_anon_vma(root);
	}
	anon_vma_free(anon_vma);
}

/* unlink_anon_vmas - at munmap or exit, caller holds mmap_sem for write. */
void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc, *next;

	if (anon_vma_reuses()) {
		unlink_anon_vmas_reuse(vma);
		return;
	}
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		anon_vma_unlink(avc);
		list_del(&avc->same_vma);
		anon_vma_chain_free(avc);
	}
}
