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
 * SCHED_NOISE=N adds N CPUs, each a process of its own that faults a page
 * in, walks it, swaps it out and exits, through the same rmap code and the
 * same anon_vma slab cache: the race hides among more steps and more
 * allocations.
 */
#include "../rmap/rmap.h"
#include "scenario.h"

#define MAX_NOISE (SCHED_MAX_CPUS - 4)

static const char *const noise_names[MAX_NOISE][3] = {
	{ "N0", "vma_n0", "page_n0" }, { "N1", "vma_n1", "page_n1" },
	{ "N2", "vma_n2", "page_n2" }, { "N3", "vma_n3", "page_n3" },
	{ "N4", "vma_n4", "page_n4" }, { "N5", "vma_n5", "page_n5" },
	{ "N6", "vma_n6", "page_n6" }, { "N7", "vma_n7", "page_n7" },
	{ "N8", "vma_n8", "page_n8" }, { "N9", "vma_n9", "page_n9" },
	{ "N10", "vma_n10", "page_n10" }, { "N11", "vma_n11", "page_n11" },
};

static struct {
	struct page *page_A, *page_B;
	struct vm_area_struct *vma1, *vma2, *vma3;
	struct completion *page_A_unmapped;
	int noise;
	struct vm_area_struct *noise_vma[MAX_NOISE];
	struct page *noise_page[MAX_NOISE];
} w;

static void init(void *arg)
{
	(void)arg;
	rmap_init();
	w.page_A = page_create("page_A");
	w.page_B = page_create("page_B");
	w.vma1 = vma_create("vma1", mm_create("P1"), 0, 1);
	w.vma2 = vma_create("vma2", mm_create("P2"), 0, 1);
	w.vma3 = vma_create("vma3", mm_create("P3"), 0, 1);
	w.page_A_unmapped = sched_world_alloc("page_A_unmapped",
					      sizeof(*w.page_A_unmapped));
	do_anonymous_page(w.vma1, 0, w.page_A);
	for (int i = 0; i < w.noise; i++) {
		w.noise_vma[i] = vma_create(noise_names[i][1],
					    mm_create(noise_names[i][0]), 0, 1);
		w.noise_page[i] = page_create(noise_names[i][2]);
	}
}

static void P0(void *arg)
{
	(void)arg;
	page_referenced(w.page_A);
}

static void P1(void *arg)
{
	(void)arg;
	try_to_unmap(w.page_A);
	complete(w.page_A_unmapped);
	exit_vma(w.vma1);
}

static void P2(void *arg)
{
	(void)arg;
	do_anonymous_page(w.vma2, 0, w.page_B);
}

static void P3(void *arg)
{
	(void)arg;
	wait_for_completion(w.page_A_unmapped);
	do_swap_page(w.vma3, 0, NULL, w.page_A);
}

/* A noise CPU: fault, walk, swap out and exit a process of its own. */
static void noise(void *arg)
{
	int i = sched_current_cpu() - 4;

	(void)arg;
	do_anonymous_page(w.noise_vma[i], 0, w.noise_page[i]);
	page_referenced(w.noise_page[i]);
	try_to_unmap(w.noise_page[i]);
	exit_vma(w.noise_vma[i]);
}

static void set_noise(int n);

struct scenario scenario_lock_anon_vma = {
	.name = "lock_anon_vma",
	.summary = "page_lock_anon_vma against unmap, exit, reuse and swap-in",
	.prog = { .ncpus = 4, .init = init, .cpu = { P0, P1, P2, P3 } },
	.max_noise = MAX_NOISE,
	.set_noise = set_noise,
};

static void set_noise(int n)
{
	w.noise = n;
	scenario_lock_anon_vma.prog.ncpus = 4 + n;
	for (int i = 0; i < MAX_NOISE; i++)
		scenario_lock_anon_vma.prog.cpu[4 + i] = i < n ? noise : NULL;
}
