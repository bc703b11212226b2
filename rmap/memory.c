/*
 * memory.c - the small world (mm, vma, page) and the mm operations the
 * scenarios' CPUs perform: anonymous fault, swap-in fault, zap of one pte,
 * exit of a vma.  Each follows the 2.6.34 path through mm/memory.c in the
 * steps that touch the rmap.
 */
#include "oracle.h"

static spinlock_t *rmap_serial_lock;

/* rmap_init - the caches and the control variant's lock, from init. */
void rmap_init(void)
{
	rmap_init_caches();
	mmap_init();
	rmap_serial_lock = sched_world_alloc("rmap_serial_lock",
					     sizeof(*rmap_serial_lock));
	oracle_reset();
}

/* Every mm is known to the oracles, which look at the live ones. */
struct mm_struct *mm_create(const char *name)
{
	struct mm_struct *mm = sched_world_alloc(name, sizeof(*mm));

	init_rwsem(&mm->mmap_sem);
	spin_lock_init(&mm->page_table_lock);
	oracle_world_add_mm(mm);
	return mm;
}

struct vm_area_struct *vma_create(const char *name, struct mm_struct *mm,
				  unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = sched_world_alloc(name, sizeof(*vma));

	vma->vm_mm = mm;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = start;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	return vma;
}

struct page *page_create(const char *name)
{
	struct page *page = sched_world_alloc(name, sizeof(*page));

	spin_lock_init(&page->lock);
	atomic_set(&page->_mapcount, -1);
	return page;
}

/* The serialized control: one lock, outermost, around each rmap update and
 * around page_lock_anon_vma .. page_unlock_anon_vma. */
void rmap_serialize_begin(void)
{
	if (rmap_variant->serialized)
		spin_lock(rmap_serial_lock);
}

void rmap_serialize_end(void)
{
	if (rmap_variant->serialized)
		spin_unlock(rmap_serial_lock);
}

/*
 * do_anonymous_page - fault a new page in: anon_vma_prepare, then under the
 * pte lock, if the pte is still empty (a racing fault may have won), set it
 * and page_add_new_anon_rmap.  Caller holds mmap_sem.  Returns 1 when the
 * page was mapped.
 */
int do_anonymous_page(struct vm_area_struct *vma, unsigned long address,
		      struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	int ret = 0;

	rmap_serialize_begin();
	anon_vma_prepare(vma);
	spin_lock(&mm->page_table_lock);
	if (!PLAIN(mm->pte[address])) {
		page_add_new_anon_rmap(page, vma, address);
		PLAIN_SET(mm->pte[address], page);
		ret = 1;
	}
	spin_unlock(&mm->page_table_lock);
	rmap_serialize_end();
	return ret;
}

/*
 * do_swap_page - fault a page back in from the swap cache, where the fault
 * saw orig_pte: the vma gets an anon_vma if it has none (lock_anon_vma's
 * P3 never had the page), then under the pte lock, if the pte is still
 * orig_pte (2.6.34's pte_same: a racing fault may have won), set it and
 * page_add_anon_rmap.  Callers that can race hold the page lock.
 */
int do_swap_page(struct vm_area_struct *vma, unsigned long address,
		 struct page *orig_pte, struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	int ret = 0;

	rmap_serialize_begin();
	anon_vma_prepare(vma);
	spin_lock(&mm->page_table_lock);
	if (PLAIN(mm->pte[address]) == orig_pte) {
		PLAIN_SET(mm->pte[address], page);
		page_add_anon_rmap(page, vma, address);
		ret = 1;
	}
	spin_unlock(&mm->page_table_lock);
	rmap_serialize_end();
	return ret;
}

/* zap_pte - unmap one pte (zap_pte_range) under the pte lock: a page loses
 * a mapping (page_remove_rmap), a swap entry just goes. */
void zap_pte(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *pte;

	rmap_serialize_begin();
	spin_lock(&mm->page_table_lock);
	pte = PLAIN(mm->pte[address]);
	if (pte) {
		WRITE_ONCE(mm->pte[address], NULL);	/* an xchg (SMP x86) */
		if (!is_swap_pte(pte))
			page_remove_rmap(pte);
	}
	spin_unlock(&mm->page_table_lock);
	rmap_serialize_end();
}

/* unmap_vma - unmap_vmas for one vma: zap each of its ptes. */
void unmap_vma(struct vm_area_struct *vma)
{
	unsigned long end = PLAIN(vma->vm_end);

	for (unsigned long address = PLAIN(vma->vm_start); address < end;
	     address++)
		zap_pte(vma, address);
}

/* exit_vma - exit_mmap for one vma: unmap_vmas zaps its ptes, then
 * free_pgtables unlinks its anon_vmas, freeing any whose list empties. */
void exit_vma(struct vm_area_struct *vma)
{
	unmap_vma(vma);
	unlink_anon_vmas(vma);
}
