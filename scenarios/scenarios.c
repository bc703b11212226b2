/*
 * scenarios.c - the index of scenarios, by name.
 */
#include <string.h>

#include "scenario.h"

extern const struct scenario scenario_lock_anon_vma;

static const struct scenario *const all[] = {
	&scenario_lock_anon_vma,
};

const struct scenario *scenario_find(const char *name)
{
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

const char *scenario_names(void)
{
	static char names[256];

	if (!names[0])
		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			snprintf(names + strlen(names),
				 sizeof(names) - strlen(names), "%s%s",
				 i ? ", " : "", all[i]->name);
	return names;
}
