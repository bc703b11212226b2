/*
 * variant.c - choosing the variant in force, by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const struct rmap_variant *rmap_variant = &rmap_variants[0];

const struct rmap_variant *rmap_variant_find(const char *name)
{
	for (const struct rmap_variant *v = rmap_variants; v->name; v++)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

const char *rmap_variant_names(void)
{
	static char names[512];

	if (!names[0])
		for (const struct rmap_variant *v = rmap_variants; v->name; v++)
			snprintf(names + strlen(names),
				 sizeof(names) - strlen(names), "%s%s",
				 v == rmap_variants ? "" : ", ", v->name);
	return names;
}

void rmap_variant_from_env(void)
{
	const char *name = getenv("RMAP_VARIANT");

	if (!name || !*name)
		return;
	rmap_variant = rmap_variant_find(name);
	if (!rmap_variant) {
		fprintf(stderr, "schedfuzz: unknown RMAP_VARIANT '%s' "
			"(valid: %s)\n", name, rmap_variant_names());
		exit(2);
	}
}
