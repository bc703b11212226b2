/*
 * variant.c - the chain rules of each variant, and the variant in force.
 */
#include "rmap.h"

/*
 * The anon_vma_chain code of spring 2010, one fix at a time (commit ids
 * from the 2.6.34 history; see rmap.h for what each rule means).
 */
const struct rmap_chain_rules chains_v2_6_34_rc3 = {
	REUSE_ANY, false, false, SET_VMA_ANON_VMA };
const struct rmap_chain_rules chains_d0e9fe17 = {
	REUSE_SINGULAR, false, false, SET_VMA_ANON_VMA };
const struct rmap_chain_rules chains_287d97ac = {
	REUSE_SINGULAR, true, false, SET_VMA_ANON_VMA };
const struct rmap_chain_rules chains_646d87b4 = {
	REUSE_SINGULAR, true, true, SET_VMA_ANON_VMA };
const struct rmap_chain_rules chains_ea90002b = {
	REUSE_SINGULAR, true, true, SET_OLDEST };
const struct rmap_chain_rules chains_ea90002b_no_646d87b4 = {
	REUSE_SINGULAR, true, false, SET_OLDEST };
const struct rmap_chain_rules chains_rik_v2 = {
	REUSE_CLONE, false, false, SET_VMA_ANON_VMA };
const struct rmap_chain_rules chains_v2_6_34_rik_v2 = {
	REUSE_CLONE, true, true, SET_OLDEST_NOT_NEW };
const struct rmap_chain_rules chains_v2_6_34 = {
	REUSE_SINGULAR, true, true, SET_OLDEST_NOT_NEW };
const struct rmap_chain_rules chains_v2_6_36 = {
	REUSE_SINGULAR, true, true, SET_ROOT };

const struct rmap_variant *rmap_variant;

/* Called before each execution's init. */
void rmap_set_variant(const struct sched_variant *v)
{
	rmap_variant = v->data;
}
