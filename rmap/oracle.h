/*
 * oracle.h - ghost state and the checks made on it.
 *
 * The ghost state lives outside the interleaving: updating or reading it is
 * no scheduling point and is not in the trace.  It holds each page's
 * logical rmap state, changed only at the instant an rmap update completes
 * (its linearization point), and, per CPU, the window between a successful
 * lock in page_lock_anon_vma and its return.
 */
#ifndef RMAP_ORACLE_H
#define RMAP_ORACLE_H

#include "rmap.h"

void oracle_reset(void);

/* Linearization points of the rmap updates. */
void ghost_rmap_added(struct page *page, struct anon_vma *anon_vma, bool first);
void ghost_rmap_removed(struct page *page, bool cleared_mapping);

/* page_lock_anon_vma, as each variant reaches these steps. */
void oracle_mapping_loaded(struct page *page, struct anon_vma *anon_vma);
void oracle_lock_taken(struct page *page, struct anon_vma *anon_vma);
void oracle_lock_dropped(void);
void oracle_lock_returns(struct page *page, struct anon_vma *anon_vma);

#endif
