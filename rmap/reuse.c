/*
 * reuse.c - anon_vma reuse at fork, 3.19 .. today: anon_vma_clone,
 * anon_vma_fork and unlink_anon_vmas as 7a3ef208e662 ("mm: prevent
 * endless growth of anon_vma hierarchy", v3.19) left them, and the
 * counters their reuse test reads: ->degree (child anon_vmas plus vmas
 * using it as their ->anon_vma, and a root's self-parent link), or since
 * 2555283eb40d (v6.0, "mm/rmap: Fix anon_vma->degree ambiguity leading to
 * double-reuse", CVE-2022-42703) ->num_children and ->num_active_vmas,
 * kept apart.  Each counter moves where its commit moves it, under the
 * root's lock, which clone and unlink take once for the whole chain
 * (lock_anon_vma_root: every anon_vma of a chain has the same root).
 *
 * The 2010 variants never come here: their fork always allocates.
 */
#include "anon_vma.h"

static bool by_degree(void)
{
	return rmap_variant->chains->fork_reuse == REUSE_BY_DEGREE;
}

/* anon_vma_alloc: 7a3ef208 counts its first vma at once ("Reference for
 * first vma"); 2555283e counts nothing yet. */
void anon_vma_count_init(struct anon_vma *anon_vma)
{
	if (!anon_vma_reuses())
		return;
	if (by_degree()) {
		PLAIN_SET(anon_vma->degree, 1);
		return;
	}
	PLAIN_SET(anon_vma->num_children, 0);
	PLAIN_SET(anon_vma->num_active_vmas, 0);
}

/* anon_vma_prepare's new root: 2555283e counts its self-parent link here,
 * 7a3ef208 with the vma's reference below. */
void anon_vma_count_new_root(struct anon_vma *anon_vma)
{
	unsigned long n;

	if (!anon_vma_reuses() || by_degree())
		return;
	n = PLAIN(anon_vma->num_children);
	PLAIN_SET(anon_vma->num_children, n + 1);
}

/* A vma takes (delta 1) or drops (-1) anon_vma as its ->anon_vma:
 * anon_vma_prepare (for 7a3ef208 "vma reference or self-parent link for
 * new root"), the end of anon_vma_clone, unlink_anon_vmas. */
void anon_vma_count_vma(struct anon_vma *anon_vma, int delta)
{
	unsigned long n;

	if (!anon_vma_reuses())
		return;
	if (by_degree()) {
		n = PLAIN(anon_vma->degree);
		PLAIN_SET(anon_vma->degree, n + delta);
	} else {
		n = PLAIN(anon_vma->num_active_vmas);
		PLAIN_SET(anon_vma->num_active_vmas, n + delta);
	}
}

/* parent gains (anon_vma_fork) or loses (unlink_anon_vmas, an anon_vma
 * left with no vma) a child. */
static void count_child(struct anon_vma *parent, int delta)
{
	unsigned long n;

	if (by_degree()) {
		n = PLAIN(parent->degree);
		PLAIN_SET(parent->degree, n + delta);
	} else {
		n = PLAIN(parent->num_children);
		PLAIN_SET(parent->num_children, n + delta);
	}
}

/*
 * The reuse test of anon_vma_clone, for an anon_vma on src's chain.
 * 7a3ef208: not src's own ->anon_vma, and degree below 2 - on the
 * assumption that any other anon_vma of src's chain is an ancestor, so one
 * of its degree is a child and 1 means "no vma uses it".  Reuse itself
 * breaks that: a reused ancestor gets no child, and the abandoned leaf
 * stays on the new vma's chain while its own vma still uses it.
 * 2555283e: no vma uses it and it has fewer than two children.
 */
static bool reusable(struct anon_vma *anon_vma, struct vm_area_struct *src)
{
	if (by_degree())
		return anon_vma != PLAIN(src->anon_vma) &&
		       PLAIN(anon_vma->degree) < 2;
	return PLAIN(anon_vma->num_children) < 2 &&
	       PLAIN(anon_vma->num_active_vmas) == 0;
}

/* lock_anon_vma_root - the root's lock, taken once for a walk of a chain:
 * a different root than the one held (never, in one chain) swaps them. */
static struct anon_vma *lock_anon_vma_root(struct anon_vma *root,
					   struct anon_vma *anon_vma)
{
	struct anon_vma *new_root = PLAIN(anon_vma->root);

	if (new_root != root) {
		if (WARN_ON(root))
			anon_vma_root_unlock(root);
		root = new_root;
		anon_vma_root_lock(root);
	}
	return root;
}

static void unlock_anon_vma_root(struct anon_vma *root)
{
	if (root)
		anon_vma_root_unlock(root);
}

/* anon_vma_chain_link - 3.19: on the vma's chain and the anon_vma's
 * list; caller holds the root's lock. */
static void anon_vma_chain_link(struct vm_area_struct *vma,
				struct anon_vma_chain *avc,
				struct anon_vma *anon_vma)
{
	avc_link_vma(vma, avc, anon_vma);
	list_add_tail(&avc->same_anon_vma, &anon_vma->head);
}

/*
 * anon_vma_clone_reuse - 3.19: dst gets an entry for every anon_vma of
 * src's chain, oldest first (so dst's chain keeps src's order), under the
 * root's lock.  A dst without an ->anon_vma (fork's; split and vma_adjust
 * set theirs first, b800c91a0517) takes the first one the reuse test
 * passes, and dst then counts as its ->anon_vma's vma.  Caller holds
 * mmap_sem for write.
 */
int anon_vma_clone_reuse(struct vm_area_struct *dst,
			 struct vm_area_struct *src)
{
	struct anon_vma *root = NULL, *anon_vma;
	struct anon_vma_chain *pavc;

	list_for_each_entry_reverse(pavc, &src->anon_vma_chain, same_vma) {
		struct anon_vma_chain *avc = anon_vma_chain_alloc();

		anon_vma = PLAIN(pavc->anon_vma);
		root = lock_anon_vma_root(root, anon_vma);
		anon_vma_chain_link(dst, avc, anon_vma);
		if (!PLAIN(dst->anon_vma) && PLAIN(src->anon_vma) &&
		    reusable(anon_vma, src))
			PLAIN_SET(dst->anon_vma, anon_vma);
	}
	anon_vma = PLAIN(dst->anon_vma);
	if (anon_vma)
		anon_vma_count_vma(anon_vma, 1);
	unlock_anon_vma_root(root);
	return 0;
}

/*
 * anon_vma_fork_reuse - 3.19: the child's vma drops the ->anon_vma it
 * inherited in the copy of pvma, gets pvma's chain, and is done if the
 * clone reused an anon_vma of it; otherwise a new anon_vma, child of
 * pvma's, pinning the root, becomes its own.  Caller holds both mmap_sems
 * for write.
 */
int anon_vma_fork_reuse(struct vm_area_struct *vma,
			struct vm_area_struct *pvma)
{
	struct anon_vma *panon_vma = PLAIN(pvma->anon_vma);
	struct anon_vma *anon_vma, *root;
	struct anon_vma_chain *avc;

	if (!panon_vma)
		return 0;
	PLAIN_SET(vma->anon_vma, NULL);
	anon_vma_clone_reuse(vma, pvma);
	if (PLAIN(vma->anon_vma))
		return 0;

	anon_vma = anon_vma_alloc();
	if (!by_degree())	/* 7a3ef208's anon_vma_alloc counted it */
		anon_vma_count_vma(anon_vma, 1);
	avc = anon_vma_chain_alloc();
	root = PLAIN(panon_vma->root);
	PLAIN_SET(anon_vma->root, root);
	PLAIN_SET(anon_vma->parent, panon_vma);
	get_anon_vma(root);
	PLAIN_SET(vma->anon_vma, anon_vma);
	anon_vma_lock(anon_vma);
	anon_vma_chain_link(vma, avc, anon_vma);
	count_child(PLAIN(anon_vma->parent), 1);
	anon_vma_unlock(anon_vma);
	return 0;
}

/*
 * unlink_anon_vmas_reuse - 3.19, at munmap, exit or merge (caller holds
 * mmap_sem for write): under the root's lock, take vma off each anon_vma
 * of its chain; one left without vmas stops counting as its parent's
 * child and stays on the chain, to be put once the lock is dropped (the
 * last put may take it); vma stops counting for its ->anon_vma.  The
 * kernel's VM_WARN_ONs on the counters of what it puts are the oracle's
 * anon-vma-freed-counted.
 */
void unlink_anon_vmas_reuse(struct vm_area_struct *vma)
{
	struct anon_vma *root = NULL, *anon_vma;
	struct anon_vma_chain *avc, *next;

	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		anon_vma = PLAIN(avc->anon_vma);
		root = lock_anon_vma_root(root, anon_vma);
		list_del(&avc->same_anon_vma);
		if (list_empty(&anon_vma->head)) {
			count_child(PLAIN(anon_vma->parent), -1);
			continue;
		}
		list_del(&avc->same_vma);
		anon_vma_chain_free(avc);
	}
	anon_vma = PLAIN(vma->anon_vma);
	if (anon_vma)
		anon_vma_count_vma(anon_vma, -1);
	unlock_anon_vma_root(root);

	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		anon_vma = PLAIN(avc->anon_vma);
		oracle_anon_vma_put(anon_vma);
		put_anon_vma(anon_vma);
		list_del(&avc->same_vma);
		anon_vma_chain_free(avc);
	}
}
