/*
 * walk.c - the anon rmap walkers of 2.6.34: page_referenced_anon and
 * try_to_unmap_anon.  Both lock the page's anon_vma with
 * page_lock_anon_vma, visit each vma on its list and look at the pte that
 * would map the page there, under that mm's pte lock.
 */
#include "oracle.h"

#define EFAULT_ADDRESS (~0UL)

/* vma_address - where the page would be mapped in vma, or EFAULT_ADDRESS
 * when outside it.  Caller holds the anon_vma lock. */
static unsigned long vma_address(struct page *page, struct vm_area_struct *vma)
{
	unsigned long pgoff = PLAIN(page->index);
	unsigned long start = PLAIN(vma->vm_start);
	unsigned long address = start + pgoff - PLAIN(vma->vm_pgoff);

	if (address < start || address >= PLAIN(vma->vm_end))
		return EFAULT_ADDRESS;
	return address;
}

/* page_check_address - returns with the pte lock held if the pte at
 * address maps page, else false with it released. */
static bool page_check_address(struct page *page, struct mm_struct *mm,
			       unsigned long address)
{
	spin_lock(&mm->page_table_lock);
	if (PLAIN(mm->pte[address]) == page)
		return true;
	spin_unlock(&mm->page_table_lock);
	return false;
}

/* page_referenced_one - one reference found where the pte maps the page. */
static int page_referenced_one(struct page *page, struct vm_area_struct *vma,
			       unsigned long address, unsigned int *mapcount)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!page_check_address(page, mm, address))
		return 0;
	(*mapcount)--;
	spin_unlock(&mm->page_table_lock);
	return 1;
}

static int page_referenced_anon(struct page *page)
{
	struct anon_vma *anon_vma;
	struct anon_vma_chain *avc;
	unsigned int mapcount;
	int referenced = 0;

	/* today's folio_referenced does not wait for a contended lock */
	anon_vma = page_lock_anon_vma(page, true);
	if (!anon_vma)
		return referenced;
	mapcount = (unsigned int)atomic_read(&page->_mapcount) + 1;
	list_for_each_entry(avc, &anon_vma->head, same_anon_vma) {
		struct vm_area_struct *vma = PLAIN(avc->vma);
		unsigned long address = vma_address(page, vma);

		if (address == EFAULT_ADDRESS)
			continue;
		referenced += page_referenced_one(page, vma, address, &mapcount);
		if (!mapcount)
			break;
	}
	page_unlock_anon_vma(anon_vma);
	return referenced;
}

/*
 * page_referenced - 2.6.34: anonymous pages that are mapped and have a
 * mapping are walked without the page lock.
 */
int page_referenced(struct page *page)
{
	if (page_mapped(page) && PLAIN(page->mapping) &&
	    PageAnon((unsigned long)PLAIN(page->mapping)))
		return page_referenced_anon(page);
	return 0;
}

/* try_to_unmap_one - a swap entry takes the place of the pte that maps
 * page in vma, and the mapping is dropped. */
static bool try_to_unmap_one(struct page *page, struct vm_area_struct *vma,
			     unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!page_check_address(page, mm, address))
		return false;
	PLAIN_SET(mm->pte[address], swp_entry(page));
	page_remove_rmap(page);
	spin_unlock(&mm->page_table_lock);
	return true;
}

/* try_to_unmap - swap out: unmap the page from every vma its anon_vma
 * lists.  Returns the number of ptes cleared. */
int try_to_unmap(struct page *page)
{
	struct anon_vma *anon_vma;
	struct anon_vma_chain *avc;
	int unmapped = 0;

	anon_vma = page_lock_anon_vma(page, false);
	if (!anon_vma)
		return 0;
	list_for_each_entry(avc, &anon_vma->head, same_anon_vma) {
		struct vm_area_struct *vma = PLAIN(avc->vma);
		unsigned long address = vma_address(page, vma);

		if (address == EFAULT_ADDRESS)
			continue;
		unmapped += try_to_unmap_one(page, vma, address);
		if (!page_mapped(page))
			break;
	}
	page_unlock_anon_vma(anon_vma);
	return unmapped;
}
