/*
 * seeds.h - hand-written schedules of lock_anon_vma, shared by the tests
 * and by mkseed, which writes them as corpus inputs.
 *
 * A run {cpu, n} runs that CPU for n scheduling points (0: while it can).
 */
#ifndef TESTS_SEEDS_H
#define TESTS_SEEDS_H

#include <string.h>

#include "../fuzz/target.h"
#include "../rmap/oracle.h"
#include "../sched/sched.h"
#include "../scenarios/rmap_ops.h"

/*
 * The interleaving drawn in the 2010 mail:
 *   CPU0 page_referenced(page_A): rcu_read_lock, reads page->mapping (AV1)
 *        and finds the page mapped, then stops before spin_lock;
 *   CPU1 try_to_unmap(page_A), then P1 exits: AV1 is freed;
 *   CPU2 an unrelated fault in P2: anon_vma_alloc returns AV1's object;
 *   CPU3 faults page_A back in to P3: anon_vma_alloc, page_add_anon_rmap;
 *   CPU0 spin_lock(anon_vma->lock) on the reused object.
 * The allocator's default (lowest free object) gives CPU2 AV1's object.
 */
static const struct sched_script_run mail_race[] = {
	{ 0, 6 },	/* page_referenced up to the page_mapped check */
	{ 1, 0 },	/* try_to_unmap, complete, exit: AV1 freed */
	{ 2, 0 },	/* P2's fault reuses AV1's object */
	{ 3, 0 },	/* P3 maps page_A through a new anon_vma */
	{ 0, 0 },	/* spin_lock on the reused object, and the walk */
};

/*
 * rmap_ops programs for the bugs of 2010.  Those of April run by the
 * default schedule (CPU0's program, then CPU1's): the header alone is the
 * input.  The 2.6.36-rc1 hang needs an interleaving too: its script's
 * decisions follow the header.
 */
struct rmap_ops_seed {
	const char *file;	/* in corpus/rmap_ops */
	const char *variant;	/* where it shows */
	const struct sched_class *verdict;
	const char *fixed_by;	/* the first variant where it does not */
	uint8_t prog[RMAP_OPS_HEADER];
	const struct sched_script_run *runs;	/* NULL: the default */
	size_t nruns;
};

/*
 * Hugh Dickins' hang (f18194275c39): CPU1's page_referenced(page0) loads
 * page->mapping (P0's anon_vma AV0) and reads AV0->root, which is AV0;
 * P0 exits and AV0 is freed; P1 forks, and anon_vma_fork gets AV0's
 * object back for P2 and points its root at P1's anon_vma; CPU1 locks
 * AV0's own lock, and page_unlock_anon_vma unlocks through the new root.
 */
static const struct sched_script_run root_repointed[] = {
	{ 0, 0 },	/* P0 forks P1 (no anon_vma yet), both fault a page */
	{ 1, 9 },	/* referenced(page0): up to root = AV0->root */
	{ 2, 0 },	/* exit(P0): AV0 freed */
	{ 3, 0 },	/* fork(P1): AV0's object for P2, root = P1's */
	{ 1, 0 },	/* spin_lock(&AV0->lock), walk, unlock via the new root */
};

/*
 * Rik's -v2, as modelled: P0's upper half faults first and has set
 * vma->anon_vma, but not yet linked its chain entry, when the lower half
 * faults, finds the upper half mergeable and clones its chain: empty.
 * The lower half then maps page1 through an anon_vma it is not linked to.
 */
static const struct sched_script_run clone_of_half_built_chain[] = {
	{ 0, 62 },	/* split; fault(P0,1) up to vma->anon_vma = AV0 */
	{ 1, 0 },	/* fault(P0,0): clones the upper half's empty chain */
	{ 0, 0 },	/* the upper half links its entry */
};

static const struct rmap_ops_seed rmap_ops_seeds[] = {
	/* ea90002b0fa7: P0 maps page0, forks P1, the page is swapped out,
	 * P1 faults it back first (page->mapping = P1's anon_vma), then P0
	 * (not first: unchanged); P1 exits and frees its anon_vma. */
	{ "ea90002b-child-swaps-in-first", "646d87b4", RMAP_UNREACHABLE,
	  "ea90002b",
	  { 0, RMAP_OP(OP_FAULT, 0, 0), RMAP_OP(OP_FORK, 0, 0),
	    RMAP_PAGE_OP(OP_SWAPOUT, 0), RMAP_OP(OP_SWAPIN, 1, 0),
	    RMAP_OP(OP_SWAPIN, 0, 0), RMAP_OP(OP_EXIT, 1, 0) }, NULL, 0 },
	/* 287d97ac0321: P0 splits its vma, faults a page into the upper
	 * half, then merges back: the lower vma imports the page but rc3
	 * clones its own (empty) chain, and unlinking the upper vma frees
	 * the anon_vma the lower one now names. */
	{ "287d97ac-merge-clones-itself", "d0e9fe17",
	  RMAP_ANON_VMA_FREED_IN_USE, "287d97ac",
	  { 0, RMAP_OP(OP_SPLIT, 0, 0), RMAP_OP(OP_FAULT, 0, 1),
	    RMAP_OP(OP_MERGE, 0, 0) }, NULL, 0 },
	/* d0e9fe1758f2: P0's upper half maps page0, P0 forks P1; P1's lower
	 * half faults and reuses the upper half's anon_vma although that
	 * vma's chain has two entries; merged, P1's vma lacks P0's anon_vma,
	 * through which page0 is mapped. */
	{ "d0e9fe17-reuse-of-a-forked-chain", "v2.6.34-rc3",
	  RMAP_CHAIN_MISMATCH, "d0e9fe17",
	  { 0, RMAP_OP(OP_SPLIT, 0, 0), RMAP_OP(OP_FAULT, 0, 1),
	    RMAP_OP(OP_FORK, 0, 0), 0,
	    RMAP_OP(OP_FAULT, 1, 0), RMAP_OP(OP_MERGE, 1, 0),
	    RMAP_OP(OP_EXIT, 0, 0) }, NULL, 0 },
	/* 646d87b481da: P1 forks P2; rc3's clone reverses P1's chain, so
	 * "the oldest, last on the chain" of ea90002b0fa7 is P1's anon_vma,
	 * not P0's: P2 swaps page0 in first and P0's page points outside
	 * P0's chain. */
	{ "646d87b4-clone-order", "ea90002b-no-646d87b4",
	  RMAP_UNREACHABLE, "ea90002b",
	  { 0, RMAP_OP(OP_FAULT, 0, 0), RMAP_OP(OP_FORK, 0, 0),
	    RMAP_OP(OP_FORK, 1, 0), RMAP_PAGE_OP(OP_SWAPOUT, 0),
	    RMAP_OP(OP_SWAPIN, 2, 0), RMAP_OP(OP_SWAPIN, 0, 0) }, NULL, 0 },
	{ "v2.6.36-rc1-root-repointed", "v2.6.36-rc1", SCHED_LOCK_MISMATCH,
	  "v2.6.36",
	  { 2, RMAP_OP(OP_FORK, 0, 0), RMAP_OP(OP_FAULT, 0, 0),
	    RMAP_OP(OP_FAULT, 1, 1), 0,
	    RMAP_PAGE_OP(OP_REFERENCED, 0), 0, 0, 0,
	    RMAP_OP(OP_EXIT, 0, 0), 0, 0, 0,
	    RMAP_OP(OP_FORK, 1, 0) },
	  root_repointed, sizeof(root_repointed) / sizeof(root_repointed[0]) },
	{ "rik-v2-clones-a-chain-being-built", "v2.6.34-rik-v2",
	  RMAP_UNREACHABLE, "v2.6.34",
	  { 0, RMAP_OP(OP_SPLIT, 0, 0), RMAP_OP(OP_FAULT, 0, 1), 0, 0,
	    RMAP_OP(OP_FAULT, 0, 0) },
	  clone_of_half_built_chain,
	  sizeof(clone_of_half_built_chain) /
		  sizeof(clone_of_half_built_chain[0]) },
	/* 2555283eb40d (CVE-2022-42703): what out/fuzz_rmap_ops found on
	 * 7a3ef208 from an empty corpus (bench/reuse.sh, seed 1), cut to
	 * the 11 operations it needs, in the order they ran: P0 (anon_vma
	 * R) forks P1 (A), P1 forks P2 (B); P1 and P0 exit, so A counts
	 * only its child B; P2 forks P0, which reuses A, leaving B on P0's
	 * chain while P2 still uses it; P0 splits and forks P1: the lower
	 * half reuses B (degree 1: P2's vma, taken for a child), the upper
	 * gets C; P0 exits and P1 unmaps its lower half, and P1 forks P0,
	 * which reuses B once more: P0's vma and P2's share B, with chains
	 * R A B C and R A B. */
	{ "7a3ef208-reuse-of-a-used-anon_vma", "7a3ef208",
	  RMAP_CHAIN_MISMATCH, "2555283e",
	  { 1, RMAP_OP(OP_FAULT, 0, 0), RMAP_OP(OP_FORK, 0, 0),
	    RMAP_OP(OP_FORK, 1, 0), RMAP_OP(OP_EXIT, 1, 0),
	    RMAP_OP(OP_EXIT, 0, 0), RMAP_OP(OP_FORK, 2, 0),
	    RMAP_OP(OP_SPLIT, 0, 0), RMAP_OP(OP_FORK, 0, 0),
	    RMAP_OP(OP_EXIT, 0, 0), RMAP_OP(OP_MUNMAP, 1, 0),
	    RMAP_OP(OP_FORK, 1, 0) }, NULL, 0 },
	/* The whole of CVE-2022-42703: after a double reuse, P0's halves
	 * share anon_vma B with chains R A B C1 and R A B C2; the upper half
	 * maps page1 through C2 (P2 faulted it, P0 inherited it); mprotect
	 * merges the halves and the lower one, without C2, survives; P2
	 * exits and C2 is freed; referenced(page1) follows ->mapping to it. */
	{ "7a3ef208-merge-leaves-mapping-dangling", "7a3ef208",
	  RMAP_MAPPING_DANGLES, "2555283e",
	  { 2, RMAP_OP(OP_FAULT, 0, 0), RMAP_OP(OP_FORK, 0, 0),
	    RMAP_OP(OP_EXIT, 0, 0), RMAP_OP(OP_FORK, 1, 0),
	    RMAP_OP(OP_EXIT, 1, 0), RMAP_OP(OP_FORK, 0, 0),
	    RMAP_OP(OP_SPLIT, 0, 0), RMAP_OP(OP_SPLIT, 1, 0),
	    RMAP_OP(OP_FORK, 1, 0), RMAP_OP(OP_EXIT, 0, 0),
	    RMAP_OP(OP_FAULT, 2, 1), RMAP_OP(OP_FORK, 2, 0),
	    RMAP_OP(OP_MERGE, 0, 1), RMAP_OP(OP_EXIT, 2, 0),
	    RMAP_PAGE_OP(OP_REFERENCED, 1) }, NULL, 0 },
};

/* The input of a seed: its programs, then the decisions its script takes
 * under the variant in force (set it to the seed's).  Returns the length
 * (at most cap). */
static inline size_t rmap_ops_seed_input(const struct rmap_ops_seed *s,
					 const struct scenario *sc,
					 uint8_t *out, size_t cap)
{
	struct sched_script_source src;
	struct sched_result res;

	memcpy(out, s->prog, RMAP_OPS_HEADER);
	if (!s->runs)
		return RMAP_OPS_HEADER;
	sched_script_source_init(&src, s->runs, s->nruns);
	target_exec_source(sc, s->prog, &src.base, &res);
	return RMAP_OPS_HEADER + sched_decisions_to_bytes(out + RMAP_OPS_HEADER,
							  cap - RMAP_OPS_HEADER);
}

#endif
