/*
 * page_rmap.c - adding and removing a page's anonymous rmap.
 *
 * 2.6.34 order, on which the races depend: page_add_anon_rmap raises
 * _mapcount first and sets ->mapping after; page_remove_rmap only lowers
 * _mapcount and leaves ->mapping set (but for the clear-mapping variant).
 *
 * Each function tells the oracle at its linearization point (oracle.h):
 * the store to ->mapping when it makes one, else its _mapcount update.  A
 * first mapping is not its last step: ->index is stored after ->mapping.
 */
#include "oracle.h"

/* page_mapped - _mapcount >= 0, one load. */
bool page_mapped(struct page *page)
{
	return atomic_read(&page->_mapcount) >= 0;
}

/* The oldest anon_vma of the vma: the last entry of its chain. */
static struct anon_vma *oldest_anon_vma(struct vm_area_struct *vma)
{
	struct list_head *last = PLAIN(vma->anon_vma_chain.prev);
	struct anon_vma_chain *avc =
		list_entry(last, struct anon_vma_chain, same_vma);

	return PLAIN(avc->anon_vma);
}

/*
 * keeps_mapping - later kernels (5.19's __page_set_anon_rmap returns at
 * once for a PageAnon page): a page swapped in from the swap cache is
 * still anon and keeps the ->mapping it had.  The first mapping then makes
 * no store, and the oracle counts the page mapped, through the anon_vma it
 * had, from its _mapcount increment (ghost_rmap_first_raised).  Only for
 * pages that are not new: the kernel's page allocator clears ->mapping,
 * the model's (outside the model) does not.
 */
static bool keeps_mapping(struct page *page)
{
	if (!PageAnon((unsigned long)READ_ONCE(page->mapping)))
		return false;
	ghost_rmap_added(page, NULL, false);
	return true;
}

/*
 * __page_set_anon_rmap - point page->mapping at the anon_vma, chosen by the
 * variant's rules: rc3 the vma's own anon_vma; ea90002b0fa7 the oldest on
 * the vma's chain, which every vma that can map the page is linked to;
 * 2.6.34 (e8a03feb) the same for pages that are not new (exclusive), whose
 * only mapper is this vma; 2.6.36 the root; later, the root unless the
 * page keeps its mapping.  The page's first mapping: the oracle counts it
 * mapped from the ->mapping store on, or from the _mapcount increment when
 * ->mapping already held this anon_vma (ghost_rmap_first_raised).
 */
static void __page_set_anon_rmap(struct page *page,
				 struct vm_area_struct *vma,
				 unsigned long address, bool exclusive)
{
	struct anon_vma *anon_vma = PLAIN(vma->anon_vma);
	struct address_space *mapping;
	unsigned long index;

	switch (rmap_variant->chains->set_anon) {
	case SET_VMA_ANON_VMA:
		break;
	case SET_OLDEST:
		anon_vma = oldest_anon_vma(vma);
		break;
	case SET_OLDEST_NOT_NEW:
		if (!exclusive)
			anon_vma = oldest_anon_vma(vma);
		break;
	case SET_ROOT_KEEP:
		if (!exclusive && keeps_mapping(page))
			return;
		/* fall through */
	case SET_ROOT:
		if (!exclusive)
			anon_vma = PLAIN(anon_vma->root);
		break;
	}
	mapping = (struct address_space *)((unsigned long)anon_vma +
					   PAGE_MAPPING_ANON);
	PLAIN_SET(page->mapping, mapping);
	ghost_rmap_added(page, anon_vma, true);
	index = address - PLAIN(vma->vm_start) + PLAIN(vma->vm_pgoff);
	PLAIN_SET(page->index, index);
}

/*
 * page_add_anon_rmap - a swapped-in page gets one more mapping.  Caller
 * holds the pte lock.  Only the first mapper sets ->mapping, after the
 * _mapcount increment (2.6.34).
 */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			unsigned long address)
{
	bool first = rmap_variant->relaxed_add ?
		     atomic_add_return_relaxed(1, &page->_mapcount) == 0 :
		     atomic_inc_and_test(&page->_mapcount);

	if (first)
		ghost_rmap_first_raised(page, vma);
	if (first)
		__page_set_anon_rmap(page, vma, address, false);
	else
		ghost_rmap_added(page, NULL, false);
}

/*
 * page_add_new_anon_rmap - a new page, not yet visible to anyone, gets its
 * first mapping: _mapcount set to 0, then ->mapping.  Caller holds the pte
 * lock.
 */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long address)
{
	atomic_set(&page->_mapcount, 0);
	__page_set_anon_rmap(page, vma, address, true);
}

/* page_dup_rmap - fork copies a pte that maps the page: one more mapping,
 * ->mapping unchanged (2.6.34 include/linux/rmap.h). */
void page_dup_rmap(struct page *page)
{
	atomic_inc(&page->_mapcount);
	ghost_rmap_added(page, NULL, false);
}

/*
 * page_remove_rmap - one mapping fewer.  Caller holds the pte lock.  2.6.34
 * keeps ->mapping: a racing page_add_anon_rmap may raise _mapcount after
 * us but set ->mapping before us, and a reset here would overwrite it.  The
 * clear-mapping variant is the patch quoted at the top of the 2010 mail,
 * which does reset it.
 */
void page_remove_rmap(struct page *page)
{
	bool last = rmap_variant->relaxed_remove ?
		    atomic_add_return_relaxed(-1, &page->_mapcount) < 0 :
		    atomic_add_negative(-1, &page->_mapcount);
	bool clear = last && rmap_variant->clear_mapping;

	if (clear)
		PLAIN_SET(page->mapping, NULL);
	ghost_rmap_removed(page, clear);
}
