/*
 * anon_vma.c - anon_vma and anon_vma_chain life: alloc, prepare, unlink.
 *
 * Follows mm/rmap.c of 2.6.34 (anon_vma_prepare, anon_vma_unlink,
 * unlink_anon_vmas) and, where the variant says so, of 2.6.36 (locking
 * through anon_vma->root).
 */
#include "rmap.h"

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

/* anon_vma_alloc - 2.6.34: a bare kmem_cache_alloc, no initialisation. */
static struct anon_vma *anon_vma_alloc(void)
{
	return kmem_cache_alloc(anon_vma_cachep, GFP_KERNEL);
}

static void anon_vma_free(struct anon_vma *anon_vma)
{
	kmem_cache_free(anon_vma_cachep, anon_vma);
}

static struct anon_vma_chain *anon_vma_chain_alloc(void)
{
	return kmem_cache_alloc(anon_vma_chain_cachep, GFP_KERNEL);
}

static void anon_vma_chain_free(struct anon_vma_chain *avc)
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
		root = READ_ONCE(anon_vma->root);
	spin_lock(&root->lock);
}

void anon_vma_unlock(struct anon_vma *anon_vma)
{
	struct anon_vma *root = anon_vma;

	if (rmap_variant->root_lock)
		root = READ_ONCE(anon_vma->root);
	spin_unlock(&root->lock);
}

/*
 * anon_vma_prepare - attach an anon_vma to a vma that has none.
 * Caller holds mmap_sem for read.  Takes the anon_vma's lock, even for a
 * fresh one (page_lock_anon_vma may be holding the lock of a just-reused
 * object), then page_table_lock, and links the chain entry only if the vma
 * still has no anon_vma.  2.6.34 order; find_mergeable_anon_vma is not
 * modelled (no vma of this world has a mergeable neighbour).  2.6.36 also
 * makes a fresh anon_vma its own root before locking it.
 */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma = READ_ONCE(vma->anon_vma);
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *allocated;
	struct anon_vma_chain *avc;

	if (likely(anon_vma))
		return 0;
	avc = anon_vma_chain_alloc();
	anon_vma = anon_vma_alloc();
	allocated = anon_vma;
	if (rmap_variant->root_lock)
		WRITE_ONCE(anon_vma->root, anon_vma);

	anon_vma_lock(anon_vma);
	spin_lock(&mm->page_table_lock);
	if (likely(!READ_ONCE(vma->anon_vma))) {
		WRITE_ONCE(vma->anon_vma, anon_vma);
		WRITE_ONCE(avc->anon_vma, anon_vma);
		WRITE_ONCE(avc->vma, vma);
		list_add(&avc->same_vma, &vma->anon_vma_chain);
		list_add(&avc->same_anon_vma, &anon_vma->head);
		allocated = NULL;
		avc = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	anon_vma_unlock(anon_vma);

	if (unlikely(allocated))
		anon_vma_free(allocated);
	if (unlikely(avc))
		anon_vma_chain_free(avc);
	return 0;
}

/*
 * anon_vma_unlink - take one chain entry off its anon_vma, under the
 * anon_vma's lock; free the anon_vma when its list is empty (2.6.34; the
 * KSM reference and 2.6.36's root reference are always zero here).
 */
static void anon_vma_unlink(struct anon_vma_chain *avc)
{
	struct anon_vma *anon_vma = READ_ONCE(avc->anon_vma);
	bool empty;

	if (!anon_vma)
		return;
	anon_vma_lock(anon_vma);
	list_del(&avc->same_anon_vma);
	empty = list_empty(&anon_vma->head);
	anon_vma_unlock(anon_vma);

	if (empty)
		anon_vma_free(anon_vma);
}

/* unlink_anon_vmas - at munmap or exit, caller holds mmap_sem for write. */
void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc, *next;

	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		anon_vma_unlink(avc);
		list_del(&avc->same_vma);
		anon_vma_chain_free(avc);
	}
}
