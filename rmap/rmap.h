/*
 * rmap.h - a model of Linux's anonymous reverse mapping, 2.6.33 .. 2.6.36,
 * and the anon_vma reuse rules of 3.19 .. 6.0 (7a3ef208e662, 2555283eb40d).
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

/*
 * The accesses the kernel of the time wrote as plain C (2.6.34, and
 * 2.6.36 for ->root): PLAIN(x) reads x, PLAIN_SET(x, v) writes it; those
 * it marked (ACCESS_ONCE, the atomics, the lock and list primitives) are
 * written here as the kernel wrote them.  In the plain-C build of the
 * model (out/plainc/, whose files are compiled with the load and store
 * callbacks: SCHED_INSTRUMENTED) these are plain C, which the race
 * checker judges; elsewhere they are READ_ONCE and WRITE_ONCE, the same
 * scheduling points.  docs/plain-c.md says how each access was classed.
 */
#ifdef SCHED_INSTRUMENTED
#define PLAIN(x) (x)
#define PLAIN_SET(x, v) ((x) = (v))
#else
#define PLAIN(x) READ_ONCE(x)
#define PLAIN_SET(x, v) WRITE_ONCE(x, v)
#endif

#define PAGE_MAPPING_ANON 1UL
#define MM_PTES 8		/* virtual pages per mm in this small world */
#define MM_VMAS 2		/* vmas per mm in rmap_ops' world */

struct anon_vma {
	spinlock_t lock;	/* constructed once per slab page */
	struct rw_semaphore rwsem; /* the lock from 3.8 on (rwsem variants),
				    * also constructed once */
	struct anon_vma *root;	/* 2.6.36: the lock of the tree is root->lock */
	/* 2.6.36 (external_refcount then): children pin their root.  With
	 * 01d8b20dec5f's rule (the modern variants) also one reference while
	 * head is not empty, so 0 means free. */
	atomic_t refcount;
	struct list_head head;	/* anon_vma_chain.same_anon_vma, under lock */
	/* 7a3ef208e662 (3.19): the anon_vma this one was forked from (a root
	 * is its own), and what anon_vma_clone's reuse test reads: degree,
	 * or since 2555283eb40d (6.0) num_children and num_active_vmas.
	 * Under the root's lock; reuse.c keeps them. */
	struct anon_vma *parent;
	unsigned long degree;
	unsigned long num_children, num_active_vmas;
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;	/* under mmap_sem and page_table_lock */
	struct list_head same_anon_vma;	/* under anon_vma->lock */
};

/*
 * A pte holds a page, a swap entry (the page's address with PTE_SWAP set:
 * the page waits in the swap cache) or nothing.
 */
#define PTE_SWAP 1UL

enum { MM_DEAD, MM_FORKING, MM_ALIVE };	/* a process's life, for rmap_ops */

struct mm_struct {
	struct rw_semaphore mmap_sem;	/* guards mmap[] and the vmas' ranges */
	int alive;			/* MM_DEAD, MM_FORKING, MM_ALIVE: the
					   model's own, marked */
	struct vm_area_struct *mmap[MM_VMAS]; /* by address, NULL-terminated */
	spinlock_t page_table_lock;	/* guards pte[] and vma->anon_vma */
	struct page *pte[MM_PTES];	/* pte[i] maps virtual page i */
};

static inline struct page *swp_entry(struct page *page)
{
	return (struct page *)((uintptr_t)page | PTE_SWAP);
}

static inline bool is_swap_pte(struct page *pte)
{
	return ((uintptr_t)pte & PTE_SWAP) != 0;
}

static inline struct page *swp_page(struct page *pte)
{
	return (struct page *)((uintptr_t)pte & ~PTE_SWAP);
}

struct vm_area_struct {
	struct mm_struct *vm_mm;	/* immutable: set before the vma is seen */
	unsigned long vm_start, vm_end;	/* virtual page numbers */
	unsigned long vm_pgoff;
	struct anon_vma *anon_vma;	/* set under page_table_lock */
	struct list_head anon_vma_chain; /* anon_vma_chain.same_vma */
};

struct address_space;

struct page {
	spinlock_t lock;		/* PG_locked: lock_page */
	atomic_t _mapcount;		/* -1 when not mapped */
	struct address_space *mapping;	/* anon_vma + PAGE_MAPPING_ANON */
	unsigned long index;		/* linear page index in its vma */
};

/* ---- variants ----------------------------------------------------------- */

/*
 * How anon_vma chains are built: anon_vma_chain as first merged
 * (5beb4930525, 2.6.34-rc1..rc3) and each fix of the week that followed.
 */
struct rmap_chain_rules {
	/* find_mergeable_anon_vma: which neighbour's anon_vma a fault reuses */
	enum {
		REUSE_ANY,	/* rc3: any compatible neighbour's */
		REUSE_SINGULAR,	/* d0e9fe1758f2: only if its chain is one entry */
		REUSE_CLONE,	/* Rik's -v2: link in all of its anon_vmas */
	} reuse;
	bool adjust_from_exporter;	/* 287d97ac0321: vma_adjust clones the
					 * chain of the vma that gives pages */
	bool clone_in_order;		/* 646d87b481da: the clone keeps the
					 * oldest anon_vma last */
	/* __page_set_anon_rmap of a page that is not new */
	enum {
		SET_VMA_ANON_VMA,	/* rc3: vma->anon_vma */
		SET_OLDEST,		/* ea90002b0fa7: the chain's last entry,
					 * new pages too */
		SET_OLDEST_NOT_NEW,	/* e8a03feb (2.6.34): new pages take
					 * vma->anon_vma, others the oldest */
		SET_ROOT,		/* 2.6.36: anon_vma->root */
		SET_ROOT_KEEP,		/* later: the root, but a page that is
					 * already anon keeps its ->mapping
					 * (a swap-in from the swap cache) */
	} set_anon;
	/* What anon_vma_fork's clone may reuse instead of allocating
	 * (reuse.c): nothing (2010), 7a3ef208e662's degree below 2, or
	 * 2555283eb40d's no active vma and fewer than two children. */
	enum {
		FORK_ALLOCATES,
		REUSE_BY_DEGREE,
		REUSE_BY_COUNTS,
	} fork_reuse;
	bool merge_singular;	/* 965f55dea0e3: a NULL anon_vma merges only
				 * with a neighbour whose chain is one entry */
	bool merge_into_next;	/* e86f15ee64d8 (4.9): mprotect of a whole
				 * vma like its next one expands the next
				 * down over it (vma_merge's case 8) */
};

extern const struct rmap_chain_rules chains_v2_6_34_rc3, chains_d0e9fe17,
	chains_287d97ac, chains_646d87b4, chains_ea90002b,
	chains_ea90002b_no_646d87b4, chains_rik_v2,
	chains_v2_6_34_rik_v2, chains_v2_6_34, chains_v2_6_36,
	chains_7a3ef208, chains_2555283e;

/* The rules of one variant; its name and summary are in rmap_variants. */
struct rmap_variant {
	/* try_lock: today's folio_referenced, which takes a contended lock
	 * as no answer (the 2010 functions have no such mode) */
	struct anon_vma *(*page_lock_anon_vma)(struct page *page,
					       bool try_lock);
	void (*page_unlock_anon_vma)(struct anon_vma *anon_vma);
	const struct rmap_chain_rules *chains;
	bool root_lock;		/* 2.6.36: anon_vma_lock takes root->lock */
	bool refcounts;		/* 01d8b20dec5f's refcount (an anon_vma in
				   use holds one), anon_vma_alloc that
				   initialises what it hands out, and
				   anon_vma_free that waits for a holder of
				   the root's lock */
	bool rwsem;		/* 3.8: the root's lock is an rwsem, walkers
				   take it for read */
	bool clear_mapping;	/* page_remove_rmap clears page->mapping */
	bool no_rcu;		/* page_lock_anon_vma without rcu_read_lock */
	bool serialized;	/* one global lock around every rmap update */
	bool no_rmb;		/* barrier ablation: peterz without smp_rmb */
	bool relaxed_add;	/* barrier ablation: page_add_anon_rmap's
				   _mapcount increment unordered */
	bool relaxed_remove;	/* barrier ablation: page_remove_rmap's
				   _mapcount decrement unordered */
};

/* Every variant, for the rmap scenarios ({ .name = NULL } ends it; the
 * first, v2.6.34, is the default), and the rules in force. */
extern const struct sched_variant rmap_variants[];
extern const struct rmap_variant *rmap_variant;
/* A scenario's set_variant: v->data becomes the rules in force. */
void rmap_set_variant(const struct sched_variant *v);

/* The code from 3.19 on: fork may reuse an anon_vma (reuse.c). */
static inline bool anon_vma_reuses(void)
{
	return rmap_variant->chains->fork_reuse != FORK_ALLOCATES;
}

/* ---- the model ---------------------------------------------------------- */

/* The world's caches and the serializing lock: call from a program's init. */
void rmap_init(void);
/* Parts of rmap_init: the slab caches (anon_vma.c), the vma caches
 * (mmap.c). */
void rmap_init_caches(void);
void mmap_init(void);
struct mm_struct *mm_create(const char *name);
struct vm_area_struct *vma_create(const char *name, struct mm_struct *mm,
				  unsigned long start, unsigned long end);
struct page *page_create(const char *name);

/* anon_vma.c */
void anon_vma_lock(struct anon_vma *anon_vma);
void anon_vma_unlock(struct anon_vma *anon_vma);
int anon_vma_prepare(struct vm_area_struct *vma);
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);
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
void page_dup_rmap(struct page *page);
void page_remove_rmap(struct page *page);

/* page_lock_anon_vma.c: the variant in force (try_lock: see
 * rmap_variant) */
struct anon_vma *page_lock_anon_vma(struct page *page, bool try_lock);
void page_unlock_anon_vma(struct anon_vma *anon_vma);

/* walk.c */
int page_referenced(struct page *page);
int try_to_unmap(struct page *page);

/* memory.c: what the CPUs of a scenario do, built from the above */
int do_anonymous_page(struct vm_area_struct *vma, unsigned long address,
		      struct page *page);
int do_swap_page(struct vm_area_struct *vma, unsigned long address,
		 struct page *orig_pte, struct page *page);
void zap_pte(struct vm_area_struct *vma, unsigned long address);
void unmap_vma(struct vm_area_struct *vma);
void exit_vma(struct vm_area_struct *vma);

/* mmap.c: vmas in an mm's list, the operations of rmap_ops.  Callers hold
 * mm->mmap_sem as the kernel does: read for faults, write for the rest. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long address);
struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma,
					 struct vm_area_struct **near);
void insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma);
struct vm_area_struct *mmap_region(struct mm_struct *mm, unsigned long start,
				   unsigned long end);
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma,
	      unsigned long addr);
int vma_merge(struct mm_struct *mm, struct vm_area_struct *vma,
	      unsigned long address);
void do_munmap(struct mm_struct *mm, struct vm_area_struct *vma);
void exit_mmap(struct mm_struct *mm);
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm);
/* fork's new process: a dead mm, marked as being born, or NULL. */
struct mm_struct *mm_claim(void);

/* shape.c: coverage features from the anon_vma forest after operation op
 * (an rmap_ops operation), at a quiet instant; nothing for the variants
 * that do not reuse anon_vmas. */
void rmap_cov_shape(unsigned op);

/* serialized variant: no-ops in the others */
void rmap_serialize_begin(void);
void rmap_serialize_end(void);

#endif
