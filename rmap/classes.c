/*
 * classes.c - the violation classes of the rmap model.  The stale classes
 * judge one return of page_lock_anon_vma (oracle.c), the chain classes the
 * anon_vma chains of rmap_ops (oracle_chain.c); both are recorded and the
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
