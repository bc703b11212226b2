/*
 * shape.c - coverage for the fuzzer from the state of the anon_vma forest,
 * for the variants that reuse anon_vmas at fork (3.19 on): what the model
 * knows and neither its edges nor the schedule show.
 *
 * CVE-2022-42703 needs about a dozen operations (forks in which parents
 * exit, splits, an unmap) that each leave the forest in a shape the next
 * one builds on, and every one of them runs code an earlier input ran
 * already: edges alone saw nothing new on the way (docs/findings.md,
 * "7a3ef208 from an empty corpus").  After each operation, at a quiet
 * instant, each anon_vma of a live chain gives a node
 *   (depth below its root, its reuse counters, the vmas using it, the
 *    entries on its list), each capped,
 * and the model reports, with the operation that just ended,
 *   node    each node
 *   edge    each parent and child node pair (no operation)
 *   chain   each vma: its own anon_vma's node and the nodes of its chain,
 *           oldest first (what anon_vma_clone's reuse test will read)
 * Reads the world directly, as the oracles do: no scheduling point.
 */
#include "oracle.h"

enum { KIND_NODE = 1, KIND_EDGE, KIND_CHAIN };

static unsigned cap(unsigned long v, unsigned max)
{
	return v < max ? (unsigned)v : max;
}

/* An anon_vma as 13 bits: depth 2, counters 4, users 2, list 3. */
static uint32_t node(struct anon_vma *av)
{
	unsigned depth = 0, counters, list = 0;
	const struct list_head *pos;

	for (struct anon_vma *a = av; a->parent != a && depth < 3;
	     a = a->parent)
		depth++;
	if (rmap_variant->chains->fork_reuse == REUSE_BY_DEGREE)
		counters = cap(av->degree, 15);
	else
		counters = cap(av->num_children, 3) << 2 |
			   cap(av->num_active_vmas, 3);
	for (pos = av->head.next; pos != &av->head && list < 7; pos = pos->next)
		list++;
	return depth | counters << 2 | cap(oracle_vmas_using(av), 3) << 6 | list << 8;
}

static uint32_t key(unsigned kind, unsigned op, uint32_t v)
{
	return kind << 28 | op << 20 | v;
}

static void vma_chain(unsigned op, struct vm_area_struct *vma)
{
	struct anon_vma *chain[MAX_CHAIN];
	int n = oracle_chain_of(vma, chain);
	uint32_t h = 0;

	for (int i = n - 1; i >= 0; i--)
		h = h * 0x01000193u ^ node(chain[i]);
	sched_cov_model(key(KIND_CHAIN, op, vma->anon_vma ? node(vma->anon_vma)
							 : 0x1fff), h);
}

void rmap_cov_shape(unsigned op)
{
	struct mm_struct *mm;

	if (!anon_vma_reuses() || !(sched_cov_mask & SCHED_COV_MODEL))
		return;
	for (int m = 0; (mm = oracle_world_mm(m)); m++) {
		struct vm_area_struct *vmas[MM_VMAS];
		int nv = oracle_live_vmas(mm, vmas);

		for (int i = 0; i < nv; i++) {
			struct anon_vma *chain[MAX_CHAIN];
			int n = oracle_chain_of(vmas[i], chain);

			vma_chain(op, vmas[i]);
			for (int c = 0; c < n; c++) {
				struct anon_vma *av = chain[c];

				sched_cov_model(key(KIND_NODE, op, node(av)), 0);
				if (av->parent != av)
					sched_cov_model(key(KIND_EDGE, 0,
							    node(av->parent)),
							node(av));
			}
		}
	}
}
