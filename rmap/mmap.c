/*
 * mmap.c - vmas in an mm, and the mm operations rmap_ops fuzzes: split and
 * merge (mprotect), munmap, exit and fork.  Each follows 2.6.34's
 * mm/mmap.c or kernel/fork.c in the steps that touch anon_vma chains; the
 * variant's chain rules pick the rc3 code or a fix of April 2010.
 *
 * Locking: mm->mmap_sem for write around each of these (the caller takes
 * it); rmap walkers never look at mm->mmap, only at anon_vma lists.
 */
#include "oracle.h"

static struct kmem_cache *vm_area_cachep;
static spinlock_t *tasklist_lock;

void mmap_init(void)
{
	vm_area_cachep = kmem_cache_create("vm_area_struct",
					   sizeof(struct vm_area_struct), 0,
					   NULL);
	tasklist_lock = sched_world_alloc("tasklist_lock",
					  sizeof(*tasklist_lock));
}

/*
 * anon_vma_compatible - 2.6.34 mm/mmap.c: a below b, adjacent, with
 * matching page offsets (protection bits do not matter: mprotect's
 * halves stay compatible).  Caller holds mmap_sem.
 */
static bool anon_vma_compatible(struct vm_area_struct *a,
				struct vm_area_struct *b)
{
	unsigned long a_start = PLAIN(a->vm_start);
	unsigned long b_start = PLAIN(b->vm_start);

	return PLAIN(a->vm_end) == b_start &&
	       PLAIN(b->vm_pgoff) ==
		       PLAIN(a->vm_pgoff) + (b_start - a_start);
}

/*
 * reusable_anon_vma - may vma take old's anon_vma?  rc3 reuses any;
 * d0e9fe1758f2 only one whose vma has a single chain entry, since the new
 * vma gets that one entry and no other.
 */
static struct anon_vma *reusable_anon_vma(struct vm_area_struct *old,
					  struct vm_area_struct *a,
					  struct vm_area_struct *b)
{
	struct anon_vma *anon_vma;

	if (!anon_vma_compatible(a, b))
		return NULL;
	anon_vma = PLAIN(old->anon_vma);
	if (anon_vma && rmap_variant->chains->reuse == REUSE_SINGULAR &&
	    !list_is_singular(&old->anon_vma_chain))
		return NULL;
	return anon_vma;
}

/* find_mergeable_anon_vma - the next vma's anon_vma, else the previous
 * one's; returns the neighbour in *near.  Caller holds mmap_sem. */
struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma,
						struct vm_area_struct **near)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev = NULL, *next = NULL, *v;
	struct anon_vma *anon_vma = NULL;

	for (int i = 0; i < MM_VMAS && (v = PLAIN(mm->mmap[i])); i++) {
		if (v == vma)
			continue;
		if (PLAIN(v->vm_start) < PLAIN(vma->vm_start))
			prev = v;
		else if (!next)
			next = v;
	}
	if (next && (anon_vma = reusable_anon_vma(next, vma, next)))
		*near = next;
	else if (prev && (anon_vma = reusable_anon_vma(prev, prev, vma)))
		*near = prev;
	return anon_vma;
}

/* find_vma - the vma that covers address, or NULL.  Caller holds
 * mmap_sem. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;

	for (int i = 0; i < MM_VMAS && (vma = PLAIN(mm->mmap[i])); i++)
		if (address >= PLAIN(vma->vm_start) &&
		    address < PLAIN(vma->vm_end))
			return vma;
	return NULL;
}

static int vma_count(struct mm_struct *mm)
{
	int n = 0;

	while (n < MM_VMAS && PLAIN(mm->mmap[n]))
		n++;
	return n;
}

/* insert_vm_struct - link vma into mm's list, by address.  The caller has
 * checked there is room. */
void insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma)
{
	unsigned long start = PLAIN(vma->vm_start);
	int i = vma_count(mm);

	for (; i > 0; i--) {
		struct vm_area_struct *prev = PLAIN(mm->mmap[i - 1]);

		if (PLAIN(prev->vm_start) < start)
			break;
		PLAIN_SET(mm->mmap[i], prev);
	}
	PLAIN_SET(mm->mmap[i], vma);
}

/* __vma_unlink - take vma off mm's list. */
static void __vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	int i = 0;

	while (PLAIN(mm->mmap[i]) != vma)
		i++;
	for (; i + 1 < MM_VMAS; i++)
		PLAIN_SET(mm->mmap[i], PLAIN(mm->mmap[i + 1]));
	PLAIN_SET(mm->mmap[MM_VMAS - 1], NULL);
}

/* vm_area_dup - a copy of vma (its anon_vma pointer included) with an
 * empty chain: split_vma's and dup_mmap's "*new = *vma". */
static struct vm_area_struct *vm_area_dup(struct vm_area_struct *vma,
					  struct mm_struct *mm)
{
	struct vm_area_struct *new;

	new = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
	PLAIN_SET(new->vm_mm, mm);
	PLAIN_SET(new->vm_start, PLAIN(vma->vm_start));
	PLAIN_SET(new->vm_end, PLAIN(vma->vm_end));
	PLAIN_SET(new->vm_pgoff, PLAIN(vma->vm_pgoff));
	PLAIN_SET(new->anon_vma, PLAIN(vma->anon_vma));
	INIT_LIST_HEAD(&new->anon_vma_chain);
	return new;
}

/* mmap_region - a new anonymous vma over [start, end), linked into mm.
 * Caller holds mmap_sem for write. */
struct vm_area_struct *mmap_region(struct mm_struct *mm, unsigned long start,
				   unsigned long end)
{
	struct vm_area_struct *vma;

	vma = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
	PLAIN_SET(vma->vm_mm, mm);
	PLAIN_SET(vma->vm_start, start);
	PLAIN_SET(vma->vm_end, end);
	PLAIN_SET(vma->vm_pgoff, start);
	PLAIN_SET(vma->anon_vma, NULL);
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	insert_vm_struct(mm, vma);
	return vma;
}

static void remove_vma(struct vm_area_struct *vma)
{
	kmem_cache_free(vm_area_cachep, vma);
}

/*
 * split_vma - 2.6.34: the new vma takes [addr, end) and a clone of the
 * chain, then vma_adjust shrinks vma to [start, addr) and inserts the new
 * one, under vma's anon_vma lock.
 */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma,
	      unsigned long addr)
{
	struct vm_area_struct *new;
	struct anon_vma *anon_vma;
	unsigned long pgoff;

	if (vma_count(mm) == MM_VMAS)
		return -1;
	new = vm_area_dup(vma, mm);
	PLAIN_SET(new->vm_start, addr);
	pgoff = PLAIN(new->vm_pgoff);
	pgoff += addr - PLAIN(vma->vm_start);
	PLAIN_SET(new->vm_pgoff, pgoff);
	anon_vma_clone(new, vma);

	anon_vma = PLAIN(vma->anon_vma);
	if (anon_vma)
		anon_vma_lock(anon_vma);
	PLAIN_SET(vma->vm_end, addr);
	insert_vm_struct(mm, new);
	if (anon_vma)
		anon_vma_unlock(anon_vma);
	return 0;
}

/*
 * is_mergeable_anon_vma - may the vma mprotect changes, whose anon_vma is
 * anon_vma, merge with near, whose anon_vma is near_anon_vma?  2010:
 * unless both have one and they differ.  965f55dea0e3: the same one, or
 * one NULL and near's chain a single entry (near is not a clone of a
 * parent's vma) - so with near's NULL (an empty chain) only both NULL.
 * Both rules take equal anon_vmas for equal chains (d0e9fe1758f2).
 */
static bool is_mergeable_anon_vma(struct anon_vma *anon_vma,
				  struct anon_vma *near_anon_vma,
				  struct vm_area_struct *near)
{
	if (!rmap_variant->chains->merge_singular)
		return !anon_vma || !near_anon_vma || anon_vma == near_anon_vma;
	if ((!anon_vma || !near_anon_vma) &&
	    list_is_singular(&near->anon_vma_chain))
		return true;
	return anon_vma == near_anon_vma;
}

/*
 * vma_expand - vma_adjust as vma_merge calls it: importer grows over
 * exporter (down when exporter is below it), which goes, and importer
 * must end up on every anon_vma of exporter's chain.  rc3 cloned the
 * chain of the importer itself (empty when it had no anon_vma);
 * 287d97ac0321 clones the exporter's, and b800c91a0517 (3.19) sets
 * importer->anon_vma first, so that the clone counts it and reuses
 * nothing.  anon_vma_merge then drops exporter's chain: the two share an
 * anon_vma, so their chains are taken to be the same.
 */
static void vma_expand(struct mm_struct *mm, struct vm_area_struct *importer,
		       struct anon_vma *anon_vma,
		       struct vm_area_struct *exporter,
		       struct anon_vma *exporter_anon_vma, bool down)
{
	if (rmap_variant->chains->adjust_from_exporter) {
		if (exporter_anon_vma && !anon_vma && anon_vma_reuses()) {
			PLAIN_SET(importer->anon_vma, exporter_anon_vma);
			anon_vma_clone(importer, exporter);
		} else if (exporter_anon_vma && !anon_vma) {
			anon_vma_clone(importer, exporter);
			PLAIN_SET(importer->anon_vma, exporter_anon_vma);
		}
	} else if (!anon_vma && exporter_anon_vma) {
		/* rc3: "Block reverse map lookups until things are set up" */
		PLAIN_SET(importer->anon_vma, exporter_anon_vma);
		anon_vma_clone(importer, importer);
	}

	anon_vma = PLAIN(importer->anon_vma);
	if (anon_vma)
		anon_vma_lock(anon_vma);
	if (down) {
		PLAIN_SET(importer->vm_start, PLAIN(exporter->vm_start));
		PLAIN_SET(importer->vm_pgoff, PLAIN(exporter->vm_pgoff));
	} else {
		PLAIN_SET(importer->vm_end, PLAIN(exporter->vm_end));
	}
	__vma_unlink(mm, exporter);
	if (anon_vma)
		anon_vma_unlock(anon_vma);

	if (exporter_anon_vma)
		unlink_anon_vmas(exporter);
	remove_vma(exporter);
}

/*
 * vma_merge - mprotect gives the whole vma over address (of the two, vma
 * the first and next the second) its neighbour's protection, and
 * vma_merge joins them when is_mergeable_anon_vma allows.  Mprotect of
 * next: vma grows over it.  Mprotect of vma (case 8): vma grows over next
 * until e86f15ee64d8 (4.9), next grows down over vma since.  Returns -1
 * when they do not merge.
 */
int vma_merge(struct mm_struct *mm, struct vm_area_struct *vma,
	      unsigned long address)
{
	struct vm_area_struct *next = PLAIN(mm->mmap[1]);
	struct anon_vma *anon_vma, *next_anon_vma;
	bool mprotect_next = address >= 1;

	if (!next || vma == next || PLAIN(mm->mmap[0]) != vma ||
	    !anon_vma_compatible(vma, next))
		return -1;
	anon_vma = PLAIN(vma->anon_vma);
	next_anon_vma = PLAIN(next->anon_vma);
	if (mprotect_next ? !is_mergeable_anon_vma(next_anon_vma, anon_vma, vma)
			  : !is_mergeable_anon_vma(anon_vma, next_anon_vma, next))
		return -1;
	if (!mprotect_next && rmap_variant->chains->merge_into_next)
		vma_expand(mm, next, next_anon_vma, vma, anon_vma, true);
	else
		vma_expand(mm, vma, anon_vma, next, next_anon_vma, false);
	return 0;
}

/* do_munmap - the whole vma: detach it, unmap_region (zap its ptes, then
 * free_pgtables unlinks its anon_vmas), remove_vma. */
void do_munmap(struct mm_struct *mm, struct vm_area_struct *vma)
{
	__vma_unlink(mm, vma);
	unmap_vma(vma);
	unlink_anon_vmas(vma);
	remove_vma(vma);
}

/* exit_mmap - the process is gone: unmap every vma, then free_pgtables
 * unlinks their anon_vmas, then the vmas go. */
void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	int n = vma_count(mm);

	WRITE_ONCE(mm->alive, MM_DEAD);
	for (int i = 0; i < n; i++)
		unmap_vma(PLAIN(mm->mmap[i]));
	for (int i = 0; i < n; i++)
		unlink_anon_vmas(PLAIN(mm->mmap[i]));
	while ((vma = PLAIN(mm->mmap[0]))) {
		__vma_unlink(mm, vma);
		remove_vma(vma);
	}
}

/* mm_claim - a dead mm for fork's child, under tasklist_lock. */
struct mm_struct *mm_claim(void)
{
	struct mm_struct *mm, *found = NULL;

	spin_lock(tasklist_lock);
	for (int i = 0; (mm = oracle_world_mm(i)); i++)
		if (READ_ONCE(mm->alive) == MM_DEAD) {
			WRITE_ONCE(mm->alive, MM_FORKING);
			found = mm;
			break;
		}
	spin_unlock(tasklist_lock);
	return found;
}

/*
 * copy_pte - copy_one_pte: a swap entry is copied (swap_duplicate), a
 * page gains a mapping (page_dup_rmap).  Under both pte locks, the
 * child's first.
 */
static void copy_pte(struct mm_struct *dst, struct mm_struct *src,
		     unsigned long address)
{
	struct page *pte;

	spin_lock(&dst->page_table_lock);
	spin_lock(&src->page_table_lock);
	pte = PLAIN(src->pte[address]);
	if (pte) {
		if (!is_swap_pte(pte))
			page_dup_rmap(pte);
		PLAIN_SET(dst->pte[address], pte);
	}
	spin_unlock(&src->page_table_lock);
	spin_unlock(&dst->page_table_lock);
}

/*
 * dup_mmap - kernel/fork.c, 2.6.34: with the parent's mmap_sem held for
 * write (by the caller) and the child's taken here, each vma is copied,
 * gets its chain by anon_vma_fork, is linked into the child, and then its
 * ptes are copied (copy_page_range): the child's chain exists before any
 * of its ptes.
 */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt;

	down_write(&mm->mmap_sem);
	for (int i = 0; i < MM_VMAS && (mpnt = PLAIN(oldmm->mmap[i]));
	     i++) {
		struct vm_area_struct *tmp = vm_area_dup(mpnt, mm);
		unsigned long end = PLAIN(mpnt->vm_end);

		anon_vma_fork(tmp, mpnt);
		insert_vm_struct(mm, tmp);
		for (unsigned long a = PLAIN(mpnt->vm_start); a < end; a++)
			copy_pte(mm, oldmm, a);
	}
	WRITE_ONCE(mm->alive, MM_ALIVE);
	up_write(&mm->mmap_sem);
	return 0;
}
