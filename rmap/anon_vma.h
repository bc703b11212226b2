/*
 * anon_vma.h - what anon_vma.c (the anon_vma's life, 2.6.34 .. 2.6.36)
 * and reuse.c (the same functions from 3.19 on, with reuse at fork) share.
 */
#ifndef RMAP_ANON_VMA_H
#define RMAP_ANON_VMA_H

#include "oracle.h"

/* anon_vma.c */
struct anon_vma *anon_vma_alloc(void);
void anon_vma_free(struct anon_vma *anon_vma);
void get_anon_vma(struct anon_vma *anon_vma);
void put_anon_vma(struct anon_vma *anon_vma);
void __put_anon_vma(struct anon_vma *anon_vma);
/* The root's lock, for writing: a spin lock in 2010 (the mutex of 2.6.39
 * .. 3.7 too: to the model both block), an rwsem from 3.8 (rwsem).
 * Macros, so that the trace names the function that takes it; root is a
 * variable's name (it is printed as written). */
#define anon_vma_root_lock(root)                                      \
	(rmap_variant->rwsem ? down_write(&root->rwsem)               \
			     : spin_lock(&root->lock))
#define anon_vma_root_unlock(root)                                    \
	(rmap_variant->rwsem ? up_write(&root->rwsem)                 \
			     : spin_unlock(&root->lock))
struct anon_vma_chain *anon_vma_chain_alloc(void);
void anon_vma_chain_free(struct anon_vma_chain *avc);
void avc_link_vma(struct vm_area_struct *vma, struct anon_vma_chain *avc,
		  struct anon_vma *anon_vma);

/* reuse.c: the variants whose fork may reuse an anon_vma
 * (anon_vma_reuses) */
int anon_vma_clone_reuse(struct vm_area_struct *dst,
			 struct vm_area_struct *src);
int anon_vma_fork_reuse(struct vm_area_struct *vma,
			struct vm_area_struct *pvma);
void unlink_anon_vmas_reuse(struct vm_area_struct *vma);
/* The reuse counters where anon_vma.c moves them (no-ops for the others):
 * anon_vma_alloc, a new root's self-parent link in anon_vma_prepare, and
 * a vma that takes (1) or drops (-1) the anon_vma as its ->anon_vma. */
void anon_vma_count_init(struct anon_vma *anon_vma);
void anon_vma_count_new_root(struct anon_vma *anon_vma);
void anon_vma_count_vma(struct anon_vma *anon_vma, int delta);

#endif
