/*
 * baseline.c - lock_anon_vma's code with sched/plain/'s shims: what the
 * model costs on its own, the floor under the engine's cost per point
 * (bench/throughput.c).  The oracle is not part of it: its hooks are
 * empty here, and its cost is the engine's (docs/benchmark.md has what
 * each part costs).
 */
#include "../rmap/oracle.h"
#include "../scenarios/scenario.h"
#include "../sched/plain/plain.h"
#include "baseline.h"

#ifndef BASELINE_RUN
#define BASELINE_RUN baseline_run
#endif

extern const struct scenario lock_anon_vma;

void oracle_reset(void) {}
void oracle_chain_reset(void) {}
void ghost_rmap_added(struct page *page, struct anon_vma *anon_vma,
		      bool first)
{
	(void)page;
	(void)anon_vma;
	(void)first;
}
void ghost_rmap_removed(struct page *page, bool cleared_mapping)
{
	(void)page;
	(void)cleared_mapping;
}
void ghost_rmap_first_raised(struct page *page, struct vm_area_struct *vma)
{
	(void)page;
	(void)vma;
}
void oracle_mapping_loaded(struct page *page, struct anon_vma *anon_vma)
{
	(void)page;
	(void)anon_vma;
}
void oracle_lock_taken(struct page *page, struct anon_vma *anon_vma)
{
	(void)page;
	(void)anon_vma;
}
void oracle_lock_dropped(void) {}
void oracle_lock_returns(struct page *page, struct anon_vma *anon_vma)
{
	(void)page;
	(void)anon_vma;
}
void oracle_world_add_mm(struct mm_struct *mm)
{
	(void)mm;
}
/* The world's mms are for rmap_ops' forks: none here. */
struct mm_struct *oracle_world_mm(int i)
{
	(void)i;
	return NULL;
}
void oracle_check_chains(void) {}
void oracle_anon_vma_freed(struct anon_vma *anon_vma)
{
	(void)anon_vma;
}
void oracle_anon_vma_put(struct anon_vma *anon_vma)
{
	(void)anon_vma;
}

__attribute__((visibility("default"))) unsigned long BASELINE_RUN(
	unsigned long n)
{
	const struct scenario *sc = &lock_anon_vma;

	sc->set_variant(&sc->variants[0]);	/* v2.6.34 */
	sc->set_noise(0);
	for (unsigned long i = 0; i < n; i++) {
		plain_begin();
		sc->init();
		for (int c = 0; c < SCHED_MAX_CPUS && sc->cpu[c]; c++) {
			plain_set_cpu(c);
			sc->cpu[c]();
		}
	}
	return plain_points();
}
