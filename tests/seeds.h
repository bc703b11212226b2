/*
 * seeds.h - hand-written schedules of lock_anon_vma, shared by the tests
 * and by mkseed, which writes them as corpus inputs.
 *
 * A run {cpu, n} runs that CPU for n scheduling points (0: while it can).
 */
#ifndef TESTS_SEEDS_H
#define TESTS_SEEDS_H

#include "../sched/sched.h"

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

#endif
