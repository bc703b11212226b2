/*
 * rmap_ops - operation sequences over anon_vma chains, and their
 * interleavings: the bug of spring 2010 "chased for over a week".
 *
 * World: processes P0 (alive: one vma over addresses 0-1, no anon_vma
 * yet), P1 and P2 (not yet forked); page0 and page1 are free.
 *
 * The input picks the programs, then the schedule: its first
 * RMAP_OPS_HEADER bytes are the CPUs' programs, in the format of
 * docs/scenarios-and-variants.md, "Input format" (setup() and op_of(),
 * proc_of(), addr_of(), page_of() read it), the rest the schedule, read
 * as for every scenario.  SCHED_NOISE=N adds N CPUs after these that run
 * unrelated work through the same code (noise.c).
 *
 * An operation whose precondition does not hold when it runs (a process
 * that is not alive, a pte that is not empty, no free page, no room for a
 * vma) does nothing, so every input is a valid program.
 *
 * Never (oracle.c, oracle_chain.c): rmap-unreachable, rmap-walk-missed,
 * chain-mismatch, anon-vma-freed-in-use, the stale-* classes of
 * page_lock_anon_vma, use after free, lock mismatch, deadlock.
 */
#include <string.h>

#include "../rmap/oracle.h"
#include "noise.h"
#include "rmap_ops.h"
#include "scenario.h"

#define NPROCS RMAP_OPS_PROCS
#define NPAGES RMAP_OPS_PAGES
#define NADDR 2
#define MAX_CPUS RMAP_OPS_MAX_CPUS
#define OPS_PER_CPU RMAP_OPS_PER_CPU

static const char *const op_names[OP_NR] = {
	"nop", "fault", "fork", "swapout", "swapin", "munmap", "exit",
	"split", "merge", "referenced",
};

static struct {
	struct rmap_ops_world world;
	int ncpus;		/* CPUs running programs; noise CPUs follow */
	uint8_t prog[MAX_CPUS][OPS_PER_CPU];
	spinlock_t *zone_lock;
	int held[NPAGES];	/* ghost: CPUs holding a reference */
	bool fresh[NPAGES];	/* ghost: allocated, not yet on the LRU */
	int busy;		/* ghost: operations half done */
	struct noise noise;
} w;

static enum rmap_op op_of(uint8_t b) { return (enum rmap_op)((b & 15) % OP_NR); }
static int proc_of(uint8_t b) { return ((b >> 4) >> 1) % NPROCS; }
static unsigned long addr_of(uint8_t b) { return (b >> 4) & 1; }
static int page_of(uint8_t b) { return (b >> 4) & 1; }

static bool uses_page(enum rmap_op op)
{
	return op == OP_SWAPOUT || op == OP_REFERENCED;
}

/* ---- the page allocator, outside the model ------------------------------
 * A page is free when it is not mapped, no pte or swap entry names it
 * and no CPU holds it; which page a fault gets is not what this scenario is about, so
 * alloc_page decides at one instant, under zone_lock, without steps. */

static bool page_in_use(int p)
{
	struct page *page = w.world.page[p];

	if (w.held[p] || page->_mapcount.counter >= 0)
		return true;
	for (int m = 0; m < NPROCS; m++)
		for (int a = 0; a < NADDR; a++)
			if (w.world.mm[m]->pte[a] && swp_page(w.world.mm[m]->pte[a]) == page)
				return true;
	return false;
}

/* alloc_page - a free page, held by the caller, or NULL.  Reclaim cannot
 * see it until the fault has mapped it (lru_cache_add comes after
 * page_add_new_anon_rmap). */
static struct page *alloc_page(int *held)
{
	struct page *page = NULL;

	spin_lock(w.zone_lock);
	for (int p = 0; p < NPAGES && !page; p++)
		if (!page_in_use(p)) {
			w.held[p]++;
			w.fresh[p] = true;
			*held = p;
			page = w.world.page[p];
			sched_take_over(page, sizeof(*page));
		}
	spin_unlock(w.zone_lock);
	return page;
}

/* get_page_unless_zero - reclaim isolates a page that is in use and on
 * the LRU. */
static bool get_page(int p)
{
	bool got;

	spin_lock(w.zone_lock);
	got = page_in_use(p) && !w.fresh[p];
	if (got) {
		w.held[p]++;
		/* off the LRU: what the fault did before lru_cache_add */
		sched_take_over(w.world.page[p], sizeof(struct page));
	}
	spin_unlock(w.zone_lock);
	return got;
}

static void put_page(int p)
{
	w.held[p]--;
	w.fresh[p] = false;
}

/* ---- the operations ------------------------------------------------------ */

/* do_anonymous_page, with mmap_sem for read. */
static void op_fault(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;
	struct page *page;
	int held;

	down_read(&mm->mmap_sem);
	if (READ_ONCE(mm->alive) == MM_ALIVE &&
	    (vma = find_vma(mm, address)) && !READ_ONCE(mm->pte[address]) &&
	    (page = alloc_page(&held))) {
		do_anonymous_page(vma, address, page);
		put_page(held);
	}
	up_read(&mm->mmap_sem);
}

/* fork: dup_mmap under the parent's mmap_sem for write. */
static void op_fork(struct mm_struct *mm)
{
	struct mm_struct *child;

	down_write(&mm->mmap_sem);
	if (READ_ONCE(mm->alive) == MM_ALIVE && (child = mm_claim()))
		dup_mmap(child, mm);
	up_write(&mm->mmap_sem);
}

/* shrink_page_list: the page locked, try_to_unmap puts swap entries in
 * its ptes; the page stays in the swap cache. */
static void op_swapout(int p)
{
	struct page *page = w.world.page[p];

	if (!get_page(p))
		return;
	spin_lock(&page->lock);
	if (page_mapped(page))
		try_to_unmap(page);
	spin_unlock(&page->lock);
	put_page(p);
}

/* do_swap_page, with mmap_sem for read and the page locked. */
static void op_swapin(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;
	struct page *pte, *page;

	down_read(&mm->mmap_sem);
	if (READ_ONCE(mm->alive) == MM_ALIVE &&
	    (vma = find_vma(mm, address)) &&
	    (pte = READ_ONCE(mm->pte[address])) && is_swap_pte(pte)) {
		page = swp_page(pte);
		spin_lock(&page->lock);
		do_swap_page(vma, address, pte, page);
		spin_unlock(&page->lock);
	}
	up_read(&mm->mmap_sem);
}

static void op_munmap(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;

	down_write(&mm->mmap_sem);
	if (READ_ONCE(mm->alive) == MM_ALIVE && (vma = find_vma(mm, address)))
		do_munmap(mm, vma);
	up_write(&mm->mmap_sem);
}

static void op_exit(struct mm_struct *mm)
{
	down_write(&mm->mmap_sem);
	if (READ_ONCE(mm->alive) == MM_ALIVE)
		exit_mmap(mm);
	up_write(&mm->mmap_sem);
}

/* mprotect of [1, end) of the vma over address 1: split_vma at 1. */
static void op_split(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	down_write(&mm->mmap_sem);
	if (READ_ONCE(mm->alive) == MM_ALIVE && (vma = find_vma(mm, 1)) &&
	    READ_ONCE(vma->vm_start) < 1)
		split_vma(mm, vma, 1);
	up_write(&mm->mmap_sem);
}

/* mprotect back: the vma over address takes its neighbour's protection,
 * and the two merge (vma_merge). */
static void op_merge(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;

	down_write(&mm->mmap_sem);
	if (READ_ONCE(mm->alive) == MM_ALIVE && (vma = READ_ONCE(mm->mmap[0])))
		vma_merge(mm, vma, address);
	up_write(&mm->mmap_sem);
}

static void op_referenced(int p)
{
	if (!get_page(p))
		return;
	page_referenced(w.world.page[p]);
	put_page(p);
}

static void run_op(uint8_t b)
{
	struct mm_struct *mm = w.world.mm[proc_of(b)];
	unsigned long address = addr_of(b);

	switch (op_of(b)) {
	case OP_NOP: break;
	case OP_FAULT: op_fault(mm, address); break;
	case OP_FORK: op_fork(mm); break;
	case OP_SWAPOUT: op_swapout(page_of(b)); break;
	case OP_SWAPIN: op_swapin(mm, address); break;
	case OP_MUNMAP: op_munmap(mm, address); break;
	case OP_EXIT: op_exit(mm); break;
	case OP_SPLIT: op_split(mm); break;
	case OP_MERGE: op_merge(mm, address); break;
	case OP_REFERENCED: op_referenced(page_of(b)); break;
	case OP_NR: break;
	}
}

/* Each CPU runs its program; the chain invariants are checked, and the
 * shape of the anon_vma forest is coverage, whenever no operation is half
 * done. */
static void cpu(void)
{
	const uint8_t *prog = w.prog[sched_current_cpu()];

	for (int i = 0; i < OPS_PER_CPU; i++) {
		if (op_of(prog[i]) == OP_NOP)
			continue;
		w.busy++;
		run_op(prog[i]);
		if (--w.busy == 0) {
			oracle_check_chains();
			rmap_cov_shape(op_of(prog[i]));
		}
	}
}

static void init(void)
{
	static const char *const mm_names[NPROCS] = { "P0", "P1", "P2" };
	static const char *const page_names[NPAGES] = { "page0", "page1" };

	rmap_init();
	for (int i = 0; i < NPROCS; i++)
		w.world.mm[i] = mm_create(mm_names[i]);
	for (int i = 0; i < NPAGES; i++)
		w.world.page[i] = page_create(page_names[i]);
	w.zone_lock = sched_world_alloc("zone_lock", sizeof(*w.zone_lock));
	memset(w.held, 0, sizeof(w.held));
	memset(w.fresh, 0, sizeof(w.fresh));
	w.busy = 0;
	mmap_region(w.world.mm[0], 0, NADDR);
	w.world.mm[0]->alive = MM_ALIVE;
	noise_init(&w.noise, w.ncpus);
}

const struct rmap_ops_world *rmap_ops_world(void)
{
	return &w.world;
}

static void set_noise(int n)
{
	w.noise.n = n;
}

/* The header: the number of CPUs, then their operations
 * (docs/scenarios-and-variants.md, "Input format"). */
static int setup(const uint8_t *header, size_t size)
{
	(void)size;
	w.ncpus = 2 + header[0] % 3;
	memcpy(w.prog, header + 1, sizeof(w.prog));
	return w.ncpus;
}

static void describe(FILE *out)
{
	for (int c = 0; c < w.ncpus; c++) {
		fprintf(out, "cpu%d:", c);
		for (int i = 0; i < OPS_PER_CPU; i++) {
			uint8_t b = w.prog[c][i];
			enum rmap_op op = op_of(b);

			if (op == OP_NOP)
				continue;
			fprintf(out, " %s", op_names[op]);
			if (uses_page(op))
				fprintf(out, "(page%d)", page_of(b));
			else if (op == OP_FAULT || op == OP_SWAPIN ||
				 op == OP_MUNMAP || op == OP_MERGE)
				fprintf(out, "(P%d,%lu)", proc_of(b), addr_of(b));
			else
				fprintf(out, "(P%d)", proc_of(b));
		}
		fprintf(out, "\n");
	}
	noise_describe(&w.noise, out);
}

SCENARIO(rmap_ops) = {
	.name = "rmap_ops",
	.summary = "fork, fault, swap, munmap, exit, mprotect split and merge "
		   "over anon_vma chains, 2 to 4 CPUs",
	.init = init,
	.cpu = { cpu, cpu, cpu, cpu },
	.variants = rmap_variants,
	.set_variant = rmap_set_variant,
	.variant_env = "RMAP_VARIANT",
	.max_noise = NOISE_MAX,
	.set_noise = set_noise,
	.noise_cpu = noise_cpu,
	.header_size = RMAP_OPS_HEADER,
	.setup = setup,
	.describe = describe,
};
