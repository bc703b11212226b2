/*
 * noise.c - N extra CPUs, each a process of its own that faults a page in,
 * walks it, swaps it out and exits, through the same rmap code and the
 * same anon_vma slab caches as the scenario's CPUs: the scenario's race
 * hides among more steps and more allocations, as it does in a real
 * kernel.  lock_anon_vma and rmap_ops share it.
 */
#include "../rmap/rmap.h"
#include "noise.h"

static const char *const names[NOISE_MAX][3] = {
	{ "N0", "vma_n0", "page_n0" }, { "N1", "vma_n1", "page_n1" },
	{ "N2", "vma_n2", "page_n2" }, { "N3", "vma_n3", "page_n3" },
	{ "N4", "vma_n4", "page_n4" }, { "N5", "vma_n5", "page_n5" },
	{ "N6", "vma_n6", "page_n6" }, { "N7", "vma_n7", "page_n7" },
	{ "N8", "vma_n8", "page_n8" }, { "N9", "vma_n9", "page_n9" },
	{ "N10", "vma_n10", "page_n10" }, { "N11", "vma_n11", "page_n11" },
};

/* The noise of the execution in progress (set by its init). */
static const struct noise *running;

void noise_cpu(void)
{
	int i = sched_current_cpu() - running->first_cpu;

	do_anonymous_page(running->vma[i], 0, running->page[i]);
	page_referenced(running->page[i]);
	try_to_unmap(running->page[i]);
	exit_vma(running->vma[i]);
}

void noise_init(struct noise *nz, int first_cpu)
{
	nz->first_cpu = first_cpu;
	for (int i = 0; i < nz->n; i++) {
		struct mm_struct *mm = mm_create(names[i][0]);

		mm->alive = MM_ALIVE;	/* its own task: no fork reuses it */
		nz->vma[i] = vma_create(names[i][1], mm, 0, 1);
		nz->page[i] = page_create(names[i][2]);
	}
	running = nz;
}

void noise_describe(const struct noise *nz, FILE *out)
{
	if (nz->n)
		fprintf(out, "cpu%d..cpu%d: noise (fault, walk, swap out and "
			"exit a process of their own)\n", nz->first_cpu,
			nz->first_cpu + nz->n - 1);
}
