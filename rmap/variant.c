/*
 * variant.c - choosing the variant in force, by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmap.h"

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
	static char names[256];

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
