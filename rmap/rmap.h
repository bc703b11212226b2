/*
 * rmap.h - a model of Linux's anonymous reverse mapping, 2.6.33 .. 2.6.36.
 *
 * Lock order, as in mm/rmap.c of 2.6.34:
 *   mm->mmap_sem (not modelled: each CPU's operations stand for one task)
 *     anon_vma->lock (2.6.36: anon_vma->root->lock)
 *       mm->page_table_lock (the pte lock)
 *
 * Every shared field is reached through sched/kernel.h, so each access is a
 * scheduling point.  The historical variants of the functions that differ
 * are chosen at run time (variant.c).
 */
#ifndef RMAP_RMAP_H
#define RMAP_RMAP_H

#include "../sched/kernel.h"

#define PAGE_MAPPING_ANON 1UL
#define MM_PTES 8		/* virtual pages per mm in this small world */

struct anon_vma {
	spinlock_t lock;	/* constructed once per slab page */
	struct anon_vma *root;	/* 2.6.36: the lock of the tree is root->lock */
	struct list_head head;	/* anon_vma_chain.same_anon_vma, under lock */
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;	/* under mmap_sem and page_table_lock */
	struct list_head same_anon_vma;	/* under anon_vma->lock */
};

struct mm_struct {
	spinlock_t page_table_lock;	/* guards pte[] and vma->anon_vma */
	struct page *pte[MM_PTES];	/* pte[i] maps virtual page i */
};

struct vm_area_struct {
	struct mm_struct *vm_mm;	/* immutable: set before the vma is seen */
	unsigned long vm_start, vm_end;	/* virtual page numbers */
	unsigned long vm_pgoff;
	struct anon_vma *anon_vma;	/* set under page_table_lock */
	struct list_head anon_vma_chain; /* anon_vma_chain.same_vma */
};

struct address_space;

struct page {
	atomic_t _mapcount;		/* -1 when not mapped */
	struct address_space *mapping;	/* anon_vma + PAGE_MAPPING_ANON */
	unsigned long index;		/* linear page index in its vma */
};

/* ---- variants ----------------------------------------------------------- */

struct rmap_variant {
	const char *name;
	const char *summary;
	struct anon_vma *(*page_lock_anon_vma)(struct page *page);
	void (*page_unlock_anon_vma)(struct anon_vma *anon_vma);
	bool root_lock;		/* 2.6.36: anon_vma_lock takes root->lock */
	bool clear_mapping;	/* page_remove_rmap clears page->mapping */
	bool no_rcu;		/* page_lock_anon_vma without rcu_read_lock */
	bool serialized;	/* one global lock around every rmap update */
};

extern const struct rmap_variant rmap_variants[];
extern const struct rmap_variant *rmap_variant;	/* the one in force */
/* NULL when name is not a variant. */
const struct rmap_variant *rmap_variant_find(const char *name);
/* "v2.6.34, peterz, ..." for error messages. */
const char *rmap_variant_names(void);
/* RMAP_VARIANT from the environment; exits 2 naming the valid ones. */
void rmap_variant_from_env(void);

/* ---- the model ---------------------------------------------------------- */

/* The world's caches and the serializing lock: call from a program's init. */
void rmap_init(void);
struct mm_struct *mm_create(const char *name);
struct vm_area_struct *vma_create(const char *name, struct mm_struct *mm,
				  unsigned long start, unsigned long end);
struct page *page_create(const char *name);

/* anon_vma.c */
void anon_vma_lock(struct anon_vma *anon_vma);
void anon_vma_unlock(struct anon_vma *anon_vma);
int anon_vma_prepare(struct vm_area_struct *vma);
void unlink_anon_vmas(struct vm_area_struct *vma);

/* page_rmap.c */
static inline bool PageAnon(unsigned long mapping)
{
	return (mapping & PAGE_MAPPING_ANON) != 0;
}
bool page_mapped(struct page *page);
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			unsigned long address);
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long address);
void page_remove_rmap(struct page *page);

/* page_lock_anon_vma.c: the variant in force */
struct anon_vma *page_lock_anon_vma(struct page *page);
void page_unlock_anon_vma(struct anon_vma *anon_vma);

/* walk.c */
int page_referenced(struct page *page);
int try_to_unmap(struct page *page);

/* memory.c: what the CPUs of a scenario do, built from the above */
int do_anonymous_page(struct vm_area_struct *vma, unsigned long address,
		      struct page *page);
int do_swap_page(struct vm_area_struct *vma, unsigned long address,
		 struct page *page);
void zap_pte(struct vm_area_struct *vma, unsigned long address);
void exit_vma(struct vm_area_struct *vma);

/* serialized variant: no-ops in the others */
void rmap_serialize_begin(void);
void rmap_serialize_end(void);

#endif
