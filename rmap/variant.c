/*
 * variant.c - the chain rules of each variant, and the variant in force.
 */
#include "rmap.h"

/*
 * The anon_vma_chain code of spring 2010, one fix at a time (commit ids
 * from the 2.6.34 history; see rmap.h for what each rule means).
 */
const struct rmap_chain_rules chains_v2_6_34_rc3 = {
	.reuse = REUSE_ANY, .set_anon = SET_VMA_ANON_VMA };
const struct rmap_chain_rules chains_d0e9fe17 = {
	.reuse = REUSE_SINGULAR, .set_anon = SET_VMA_ANON_VMA };
const struct rmap_chain_rules chains_287d97ac = {
	.reuse = REUSE_SINGULAR, .adjust_from_exporter = true,
	.set_anon = SET_VMA_ANON_VMA };
const struct rmap_chain_rules chains_646d87b4 = {
	.reuse = REUSE_SINGULAR, .adjust_from_exporter = true,
	.clone_in_order = true, .set_anon = SET_VMA_ANON_VMA };
const struct rmap_chain_rules chains_ea90002b = {
	.reuse = REUSE_SINGULAR, .adjust_from_exporter = true,
	.clone_in_order = true, .set_anon = SET_OLDEST };
const struct rmap_chain_rules chains_ea90002b_no_646d87b4 = {
	.reuse = REUSE_SINGULAR, .adjust_from_exporter = true,
	.set_anon = SET_OLDEST };
const struct rmap_chain_rules chains_rik_v2 = {
	.reuse = REUSE_CLONE, .set_anon = SET_VMA_ANON_VMA };
const struct rmap_chain_rules chains_v2_6_34_rik_v2 = {
	.reuse = REUSE_CLONE, .adjust_from_exporter = true,
	.clone_in_order = true, .set_anon = SET_OLDEST_NOT_NEW };
const struct rmap_chain_rules chains_v2_6_34 = {
	.reuse = REUSE_SINGULAR, .adjust_from_exporter = true,
	.clone_in_order = true, .set_anon = SET_OLDEST_NOT_NEW };
const struct rmap_chain_rules chains_v2_6_36 = {
	.reuse = REUSE_SINGULAR, .adjust_from_exporter = true,
	.clone_in_order = true, .set_anon = SET_ROOT };

/*
 * Fork's reuse of anon_vmas, in the code of 5.19 (the last before the
 * fix: 7a3ef208e662's degree, and what came between: 965f55dea0e3's
 * merge test, e86f15ee64d8's case 8, the swap-in that keeps ->mapping),
 * and of 6.0 (2555283eb40d's two counters).
 */
const struct rmap_chain_rules chains_7a3ef208 = {
	.reuse = REUSE_SINGULAR, .adjust_from_exporter = true,
	.clone_in_order = true, .set_anon = SET_ROOT_KEEP,
	.fork_reuse = REUSE_BY_DEGREE, .merge_singular = true,
	.merge_into_next = true };
const struct rmap_chain_rules chains_2555283e = {
	.reuse = REUSE_SINGULAR, .adjust_from_exporter = true,
	.clone_in_order = true, .set_anon = SET_ROOT_KEEP,
	.fork_reuse = REUSE_BY_COUNTS, .merge_singular = true,
	.merge_into_next = true };

const struct rmap_variant *rmap_variant;

/* Called before each execution's init. */
void rmap_set_variant(const struct sched_variant *v)
{
	rmap_variant = v->data;
}
