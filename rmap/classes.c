/*
 * classes.c - the violation classes of the rmap model.  The stale classes
 * judge one return of page_lock_anon_vma (oracle.c), the chain classes the
 * anon_vma chains of rmap_ops (oracle_chain.c), mapping-dangles a walk's
 * load of page->mapping (oracle.c), the count classes the refcount and
 * reuse counters from 3.19 on (oracle_counts.c); all are recorded and the
 * execution goes on.
 */
#include "oracle.h"

SCHED_CLASS(rmap_stale_reused, "stale-reused", 0,
	    "the returned anon_vma was freed and reallocated since the caller "
	    "loaded page->mapping (the race of the 2010 mail)");
SCHED_CLASS(rmap_stale_freed, "stale-freed", 0,
	    "the returned anon_vma is free at the return");
SCHED_CLASS(rmap_stale_unmapped, "stale-unmapped", 0,
	    "the page was unmapped throughout the lock..return window");
SCHED_CLASS(rmap_stale_not_current, "stale-not-current", 0,
	    "the page was mapped, but through another anon_vma");
SCHED_CLASS(rmap_unreachable, "rmap-unreachable", SCHED_CLASS_STATE,
	    "a mapped page's anon_vma is free, reused, or not on the chain of "
	    "a vma that maps the page (rmap_ops)");
SCHED_CLASS(rmap_walk_missed, "rmap-walk-missed", SCHED_CLASS_STATE,
	    "a walk of the page's anon_vma list, as try_to_unmap does it, "
	    "misses a pte that maps the page (rmap_ops)");
SCHED_CLASS(rmap_chain_mismatch, "chain-mismatch", SCHED_CLASS_STATE,
	    "two vmas with the same anon_vma have different chains, the "
	    "invariant d0e9fe1758f2 set up (rmap_ops)");
SCHED_CLASS(rmap_anon_vma_freed_in_use, "anon-vma-freed-in-use", SCHED_CLASS_STATE,
	    "anon_vma_free of an anon_vma that a live vma's ->anon_vma or "
	    "chain entry still names (rmap_ops)");
SCHED_CLASS(rmap_mapping_dangles, "mapping-dangles", 0,
	    "a walk loads the page->mapping of a mapped page and reaches the "
	    "anon_vma the page was mapped through, freed or reused since: the "
	    "dangling pointer of CVE-2022-42703 (rmap_ops)");
SCHED_CLASS(rmap_anon_vma_miscount, "anon-vma-miscount", SCHED_CLASS_STATE,
	    "an anon_vma's refcount, degree, num_children or num_active_vmas "
	    "disagrees with the vmas, chains and child anon_vmas that use it "
	    "(rmap_ops, variants from 3.19)");
SCHED_CLASS(rmap_anon_vma_freed_counted, "anon-vma-freed-counted", SCHED_CLASS_STATE,
	    "unlink_anon_vmas puts an anon_vma whose reuse counters are not 0, "
	    "or anon_vma_free frees one whose refcount is not (the kernel's "
	    "VM_WARN_ON and VM_BUG_ON; rmap_ops, variants from 3.19)");
