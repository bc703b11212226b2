/*
 * oracle_counts.c - the bookkeeping of the variants with today's refcount
 * (rmap_variant->refcounts), which reuse.c and anon_vma.c keep:
 *
 *   refcount        1 while the anon_vma's list is not empty, plus, for a
 *                   root, one for each other anon_vma of its tree that is
 *                   not freed (anon_vma_fork's get_anon_vma)
 *   degree          (7a3ef208e662) the vmas whose ->anon_vma it is, plus
 *                   its child anon_vmas whose lists are not empty, plus 1
 *                   for a root whose list is not empty (its self-parent
 *                   link)
 *   num_children,   (2555283eb40d) the last two, and the first, apart
 *   num_active_vmas
 *
 * The refcount is checked for every variant with it (3.0 on), the reuse
 * counters for those that reuse.
 *
 * anon-vma-miscount: checked at quiet instants (from oracle_check_chains),
 * on every anon_vma of a live vma's chain: then no walker holds an extra
 * reference and no unlink is half done, so each anon_vma not freed is on
 * some live vma's chain.  The counts are exact even where the reuse rule
 * is wrong (7a3ef208): its bug is in what degree is taken to mean.
 *
 * anon-vma-freed-counted: what unlink_anon_vmas puts has no counted vma or
 * child (its VM_WARN_ONs), and what anon_vma_free frees has no reference
 * (its VM_BUG_ON).
 */
#include "oracle.h"

#define MAX_AVS 64

static bool list_used(struct anon_vma *av)
{
	return av->head.next != &av->head;
}

/* The anon_vmas on the chains of the live vmas, each once. */
static int chained_anon_vmas(struct anon_vma **out)
{
	struct mm_struct *mm;
	int n = 0;

	for (int m = 0; (mm = oracle_world_mm(m)); m++) {
		struct vm_area_struct *vmas[MM_VMAS];
		int nv = oracle_live_vmas(mm, vmas);

		for (int i = 0; i < nv; i++) {
			struct anon_vma *chain[MAX_CHAIN];
			int nc = oracle_chain_of(vmas[i], chain);

			for (int c = 0; c < nc; c++) {
				int k = 0;

				while (k < n && out[k] != chain[c])
					k++;
				if (k == n && n < MAX_AVS)
					out[n++] = chain[c];
			}
		}
	}
	return n;
}

struct counts {
	unsigned long vmas, children;	/* children: with the self link */
	int refcount;
};

/* What av's counts should be; children only where ->parent is kept. */
static struct counts expected(struct anon_vma *av, struct anon_vma **all,
			      int n)
{
	struct counts c = { oracle_vmas_using(av), 0, list_used(av) };
	bool parents = anon_vma_reuses();

	if (parents && av->parent == av && list_used(av))
		c.children++;
	for (int i = 0; i < n; i++) {
		if (all[i] == av)
			continue;
		c.children += parents && all[i]->parent == av &&
			      list_used(all[i]);
		c.refcount += av->root == av && all[i]->root == av;
	}
	return c;
}

/* field: the counter, whose last write is the report's key. */
static void miscount(struct anon_vma *av, const volatile void *field,
		     const char *what, long has, long want)
{
	const volatile void *keys[] = { field, NULL };
	char avn[48];

	oracle_report_once(RMAP_ANON_VMA_MISCOUNT, keys, "%s has %s %ld, its "
			   "vmas, children and tree make it %ld",
			   oracle_name(avn, sizeof(avn), av), what, has, want);
}

void oracle_check_counts(void)
{
	struct anon_vma *all[MAX_AVS];
	int n;

	if (!rmap_variant->refcounts)
		return;
	n = chained_anon_vmas(all);
	for (int i = 0; i < n; i++) {
		struct anon_vma *av = all[i];
		struct counts c = expected(av, all, n);

		if (av->refcount.counter != c.refcount)
			miscount(av, &av->refcount, "refcount",
				 av->refcount.counter, c.refcount);
		if (!anon_vma_reuses())
			continue;
		if (rmap_variant->chains->fork_reuse == REUSE_BY_DEGREE) {
			if (av->degree != c.vmas + c.children)
				miscount(av, &av->degree, "degree",
					 (long)av->degree,
					 (long)(c.vmas + c.children));
			continue;
		}
		if (av->num_children != c.children)
			miscount(av, &av->num_children, "num_children",
				 (long)av->num_children, (long)c.children);
		if (av->num_active_vmas != c.vmas)
			miscount(av, &av->num_active_vmas, "num_active_vmas",
				 (long)av->num_active_vmas, (long)c.vmas);
	}
}

static void freed_counted(struct anon_vma *av, const volatile void *field,
			  const char *how, const char *what, long has)
{
	const volatile void *keys[] = { field, NULL };
	char avn[48];

	oracle_report_once(RMAP_ANON_VMA_FREED_COUNTED, keys, "%s %s with %s "
			   "%ld", oracle_name(avn, sizeof(avn), av), how, what,
			   has);
}

void oracle_anon_vma_put(struct anon_vma *av)
{
	if (rmap_variant->chains->fork_reuse == REUSE_BY_DEGREE) {
		if (av->degree)
			freed_counted(av, &av->degree, "put by unlink_anon_vmas",
				      "degree",
				      (long)av->degree);
		return;
	}
	if (av->num_children)
		freed_counted(av, &av->num_children, "put by unlink_anon_vmas",
			      "num_children",
			      (long)av->num_children);
	if (av->num_active_vmas)
		freed_counted(av, &av->num_active_vmas,
			      "put by unlink_anon_vmas", "num_active_vmas",
			      (long)av->num_active_vmas);
}

void oracle_counts_freed(struct anon_vma *av)
{
	if (rmap_variant->refcounts && av->refcount.counter)
		freed_counted(av, &av->refcount, "freed by anon_vma_free",
			      "refcount",
			      av->refcount.counter);
}
