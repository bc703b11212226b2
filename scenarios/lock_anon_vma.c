/*
 * lock_anon_vma - the race of Peter Zijlstra's mail of 12 Apr 2010.
 *
 * World: P1 maps page_A through vma1, whose anon_vma AV1 is anon_vma#0.
 *        P2 (vma2) and P3 (vma3) have no anon_vma yet; page_B is free.
 *
 *   CPU0                    CPU1                 CPU2               CPU3
 *   page_referenced(A)      try_to_unmap(A)      fault page_B       (after A is
 *                           complete(unmapped)   in P2:             unmapped)
 *                           exit P1: unlink,     anon_vma_prepare   swap page_A
 *                           free AV1             may reuse AV1      in to P3
 *
 * Never: page_lock_anon_vma returns an anon_vma through which the page is
 * not mapped at any instant between its lock and its return (oracle.c).
 *
 * SCHED_NOISE=N adds N CPUs that run unrelated work through the same rmap
 * code and slab caches (noise.c), CPU4 and up.
 */
#include "../rmap/rmap.h"
#include "noise.h"
#include "scenario.h"

static struct {
	struct page *page_A, *page_B;
	struct vm_area_struct *vma1, *vma2, *vma3;
	struct completion *page_A_unmapped;
	struct noise noise;
} w;

static void init(void)
{
	rmap_init();
	w.page_A = page_create("page_A");
	w.page_B = page_create("page_B");
	w.vma1 = vma_create("vma1", mm_create("P1"), 0, 1);
	w.vma2 = vma_create("vma2", mm_create("P2"), 0, 1);
	w.vma3 = vma_create("vma3", mm_create("P3"), 0, 1);
	w.page_A_unmapped = sched_world_alloc("page_A_unmapped",
					      sizeof(*w.page_A_unmapped));
	do_anonymous_page(w.vma1, 0, w.page_A);
	noise_init(&w.noise, 4);
}

static void P0(void)
{
	page_referenced(w.page_A);
}

static void P1(void)
{
	try_to_unmap(w.page_A);
	complete(w.page_A_unmapped);
	exit_vma(w.vma1);
}

static void P2(void)
{
	do_anonymous_page(w.vma2, 0, w.page_B);
}

static void P3(void)
{
	wait_for_completion(w.page_A_unmapped);
	do_swap_page(w.vma3, 0, NULL, w.page_A);
}

static void set_noise(int n)
{
	w.noise.n = n;
}

SCENARIO(lock_anon_vma) = {
	.name = "lock_anon_vma",
	.summary = "page_lock_anon_vma against unmap, exit, reuse and swap-in",
	.init = init,
	.cpu = { P0, P1, P2, P3 },
	.variants = rmap_variants,
	.set_variant = rmap_set_variant,
	.variant_env = "RMAP_VARIANT",
	.max_noise = NOISE_MAX,
	.set_noise = set_noise,
	.noise_cpu = noise_cpu,
};
