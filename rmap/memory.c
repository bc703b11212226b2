/*
 * memory.c - the small world (mm, vma, page) and the mm operations the
 * scenarios' CPUs perform: anonymous fault, swap-in fault, zap of one pte,
 * exit of a vma.  Each follows the 2.6.34 path through mm/memory.c in the
 * steps that touch the rmap.
 */
#include "oracle.h"

static spinlock_t *rmap_serial_lock;

void rmap_init_caches(void);

/* rmap_init - the caches and the control variant's lock, from init. */
void rmap_init(void)
{
	rmap_init_caches();
	rmap_serial_lock = sched_world_alloc("rmap_serial_lock",
					     sizeof(*rmap_serial_lock));
	oracle_reset();
}

struct mm_struct *mm_create(const char *name)
{
	struct mm_struct *mm = sched_world_alloc(name, sizeof(*mm));

	spin_lock_init(&mm->page_table_lock);
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
 * pte lock set the pte and page_add_new_anon_rmap.  Caller holds mmap_sem.
 */
int do_anonymous_page(struct vm_area_struct *vma, unsigned long address,
		      struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;

	rmap_serialize_begin();
	anon_vma_prepare(vma);
	spin_lock(&mm->page_table_lock);
	page_add_new_anon_rmap(page, vma, address);
	WRITE_ONCE(mm->pte[address], page);
	spin_unlock(&mm->page_table_lock);
	rmap_serialize_end();
	return 0;
}

/*
 * do_swap_page - fault a page back in from the swap cache: the vma gets an
 * anon_vma (anon_vma_prepare in the fault path, as in 2.6.34's
 * handle_mm_fault), then under the pte lock set the pte and
 * page_add_anon_rmap.
 */
int do_swap_page(struct vm_area_struct *vma, unsigned long address,
		 struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;

	rmap_serialize_begin();
	anon_vma_prepare(vma);
	spin_lock(&mm->page_table_lock);
	WRITE_ONCE(mm->pte[address], page);
	page_add_anon_rmap(page, vma, address);
	spin_unlock(&mm->page_table_lock);
	rmap_serialize_end();
	return 0;
}

/* zap_pte - unmap one page (zap_pte_range): clear the pte and
 * page_remove_rmap under the pte lock. */
void zap_pte(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page;

	rmap_serialize_begin();
	spin_lock(&mm->page_table_lock);
	page = READ_ONCE(mm->pte[address]);
	if (page) {
		WRITE_ONCE(mm->pte[address], NULL);
		page_remove_rmap(page);
	}
	spin_unlock(&mm->page_table_lock);
	rmap_serialize_end();
}

/* exit_vma - exit_mmap for one vma: unmap_vmas zaps its ptes, then
 * free_pgtables unlinks its anon_vmas, freeing any whose list empties. */
void exit_vma(struct vm_area_struct *vma)
{
	unsigned long end = READ_ONCE(vma->vm_end);

	for (unsigned long address = READ_ONCE(vma->vm_start); address < end;
	     address++)
		zap_pte(vma, address);
	unlink_anon_vmas(vma);
}
