/*
 * oracle_chain.c - the invariant anon_vma_chain broke in 2.6.34-rc1: the
 * anon_vma in page->mapping must be on the chain of every vma that maps
 * the page, so that it lives as long as any of them and a walk from the
 * page finds every pte.
 *
 * The checks read the world directly, outside the interleaving: no
 * scheduling point, nothing in the trace.  They look only at live mms
 * (MM_ALIVE; a process being forked or exiting is half built) and run at
 * quiet instants, when no operation is half done, so that a state the
 * kernel passes through inside its locks is never taken for a bug:
 *   rmap-unreachable   a mapped page's anon_vma is free, reused, or not on
 *                      the chain of a vma that maps the page
 *   rmap-walk-missed   a walk of that anon_vma's list, as try_to_unmap
 *                      does it, does not reach a pte that maps the page
 *   chain-mismatch     two vmas with the same anon_vma have different
 *                      chains (the invariant d0e9fe1758f2 set up, which
 *                      7a3ef208e662's reuse broke and 2555283eb40d
 *                      restored)
 * and at each anon_vma_free:
 *   anon-vma-freed-in-use  a live vma or chain entry still names it
 * Each class is reported once per execution.  The counts of the variants
 * from 3.19 are checked at the same instants (oracle_counts.c).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

#define MAX_MMS 16

static struct mm_struct *mms[MAX_MMS];
static int nmms;
static bool reported[SCHED_MAX_CLASSES + 1];

void oracle_chain_reset(void)
{
	nmms = 0;
	memset(reported, 0, sizeof(reported));
}

void oracle_world_add_mm(struct mm_struct *mm)
{
	if (nmms == MAX_MMS)
		sched_fatal("too many mms for the oracle");
	mms[nmms++] = mm;
}

struct mm_struct *oracle_world_mm(int i)
{
	return i < nmms ? mms[i] : NULL;
}

const char *oracle_name(char *buf, size_t len, const void *p)
{
	int id = sched_obj_id(p);

	if (id < 0)
		snprintf(buf, len, "?");
	else
		sched_format_obj(buf, len, id);
	return buf;
}

int oracle_live_vmas(struct mm_struct *mm, struct vm_area_struct **out)
{
	int n = 0;

	if (mm->alive != MM_ALIVE)
		return 0;
	while (n < MM_VMAS && mm->mmap[n]) {
		out[n] = mm->mmap[n];
		n++;
	}
	return n;
}

unsigned oracle_vmas_using(struct anon_vma *av)
{
	struct mm_struct *mm;
	unsigned n = 0;

	for (int m = 0; (mm = oracle_world_mm(m)); m++) {
		struct vm_area_struct *vmas[MM_VMAS];
		int nv = oracle_live_vmas(mm, vmas);

		for (int i = 0; i < nv; i++)
			n += vmas[i]->anon_vma == av;
	}
	return n;
}

int oracle_chain_of(struct vm_area_struct *vma, struct anon_vma **out)
{
	const struct list_head *head = &vma->anon_vma_chain, *pos;
	int n = 0;

	for (pos = head->next; pos != head && n < MAX_CHAIN; pos = pos->next)
		out[n++] = list_entry(pos, struct anon_vma_chain,
				      same_vma)->anon_vma;
	return n;
}

static bool in_set(struct anon_vma *av, struct anon_vma **set, int n)
{
	for (int i = 0; i < n; i++)
		if (set[i] == av)
			return true;
	return false;
}

static bool same_set(struct anon_vma **a, int na, struct anon_vma **b, int nb)
{
	for (int i = 0; i < na; i++)
		if (!in_set(a[i], b, nb))
			return false;
	for (int i = 0; i < nb; i++)
		if (!in_set(b[i], a, na))
			return false;
	return true;
}

void oracle_report_once(struct sched_class *c,
			const volatile void *const *keys, const char *fmt, ...)
{
	char detail[200];
	va_list ap;

	if (reported[c->id])
		return;
	reported[c->id] = true;
	for (; *keys; keys++)
		sched_report_key(*keys, sched_current_step());
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	sched_report(c, "%s", detail);
}

/* The walk of try_to_unmap_anon: does anon_vma's list reach vma at
 * address? */
static bool walk_finds(struct anon_vma *av, struct page *page,
		       struct vm_area_struct *vma, unsigned long address)
{
	const struct list_head *head = &av->head, *pos;
	int n = 0;

	for (pos = head->next; pos != head && n++ < MAX_CHAIN; pos = pos->next) {
		struct vm_area_struct *v = list_entry(pos, struct anon_vma_chain,
						      same_anon_vma)->vma;

		if (v == vma && vma->vm_start + page->index - vma->vm_pgoff ==
				address)
			return true;
	}
	return false;
}

/* One pte that maps page, at address in vma. */
static void check_mapped_pte(struct page *page, struct vm_area_struct *vma,
			     unsigned long address)
{
	struct anon_vma *chain[MAX_CHAIN], *av;
	char pg[48], avn[48], vn[48];
	uint32_t gen;
	int n = oracle_chain_of(vma, chain);
	/* who pointed the page at its anon_vma, mapped it here, and last
	 * changed the vma's chain */
	const volatile void *keys[] = { &page->mapping,
		&vma->vm_mm->pte[address], &vma->anon_vma_chain, NULL, NULL };

	av = ghost_page_anon_vma(page, &gen);
	oracle_name(pg, sizeof(pg), page);
	oracle_name(vn, sizeof(vn), vma);
	if (!av) {
		oracle_report_once(RMAP_UNREACHABLE, keys, "%s is mapped by %s at %lu "
			    "but has no anon_vma", pg, vn, address);
		return;
	}
	oracle_name(avn, sizeof(avn), av);
	if (sched_obj_is_free(av) || sched_obj_gen(av) != gen) {
		oracle_report_once(RMAP_UNREACHABLE, keys, "%s is mapped by %s at %lu "
			    "but its anon_vma %s (gen %u) %s", pg, vn, address,
			    avn, gen, sched_obj_is_free(av) ? "was freed"
							    : "was reused");
		return;
	}
	if (!in_set(av, chain, n))
		oracle_report_once(RMAP_UNREACHABLE, keys, "%s is mapped by %s at %lu "
			    "but its anon_vma %s is not on %s's chain", pg, vn,
			    address, avn, vn);
	keys[3] = &av->head;
	if (!walk_finds(av, page, vma, address))
		oracle_report_once(RMAP_WALK_MISSED, keys, "a walk of %s from %s "
			    "misses its pte in %s at %lu", avn, pg, vn, address);
}

static void check_chains_match(struct vm_area_struct *a,
			       struct vm_area_struct *b)
{
	struct anon_vma *ca[MAX_CHAIN], *cb[MAX_CHAIN];
	int na = oracle_chain_of(a, ca), nb = oracle_chain_of(b, cb);
	char an[48], bn[48], avn[48];
	const volatile void *keys[] = { &a->anon_vma, &b->anon_vma,
		&a->anon_vma_chain, &b->anon_vma_chain, NULL };

	if (same_set(ca, na, cb, nb))
		return;
	oracle_report_once(RMAP_CHAIN_MISMATCH, keys, "%s and %s share anon_vma %s but "
		    "their chains differ (%d and %d entries)",
		    oracle_name(an, sizeof(an), a), oracle_name(bn, sizeof(bn), b),
		    oracle_name(avn, sizeof(avn), a->anon_vma), na, nb);
}

void oracle_check_chains(void)
{
	struct vm_area_struct *all[MAX_MMS * MM_VMAS];
	int nall = 0;

	for (int m = 0; m < nmms; m++) {
		struct mm_struct *mm = mms[m];
		struct vm_area_struct *vmas[MM_VMAS];
		int n = oracle_live_vmas(mm, vmas);

		for (int i = 0; i < n; i++) {
			struct vm_area_struct *vma = vmas[i];

			all[nall++] = vma;
			for (unsigned long a = vma->vm_start; a < vma->vm_end;
			     a++) {
				struct page *pte = mm->pte[a];

				if (pte && !is_swap_pte(pte))
					check_mapped_pte(pte, vma, a);
			}
		}
	}
	for (int i = 0; i < nall; i++)
		for (int j = i + 1; j < nall; j++)
			if (all[i]->anon_vma &&
			    all[i]->anon_vma == all[j]->anon_vma)
				check_chains_match(all[i], all[j]);
	oracle_check_counts();
}

void oracle_anon_vma_freed(struct anon_vma *anon_vma)
{
	char avn[48], vn[48];

	oracle_counts_freed(anon_vma);
	for (int m = 0; m < nmms; m++) {
		struct vm_area_struct *vmas[MM_VMAS];
		int n = oracle_live_vmas(mms[m], vmas);

		for (int i = 0; i < n; i++) {
			struct anon_vma *chain[MAX_CHAIN];
			int nc = oracle_chain_of(vmas[i], chain);
			const char *how = NULL;
			const volatile void *keys[] = { &vmas[i]->anon_vma,
				&vmas[i]->anon_vma_chain, NULL };

			if (vmas[i]->anon_vma == anon_vma)
				how = "->anon_vma";
			else if (in_set(anon_vma, chain, nc))
				how = "'s chain";
			for (int c = 0; !how && c < nc; c++)
				if (rmap_variant->root_lock &&
				    chain[c]->root == anon_vma)
					how = "'s chain, as a root,";
			if (how)
				oracle_report_once(RMAP_ANON_VMA_FREED_IN_USE, keys,
					    "%s is freed while %s%s names it",
					    oracle_name(avn, sizeof(avn), anon_vma),
					    oracle_name(vn, sizeof(vn), vmas[i]),
					    how);
		}
	}
}
