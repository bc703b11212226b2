/*
 * scenarios.c - the index of scenarios, by name.
 */
#include <stdlib.h>
#include <string.h>

#include "litmus.h"
#include "scenario.h"

static const struct scenario *const all[] = {
	&scenario_lock_anon_vma,
	&scenario_rmap_ops,
};

const struct scenario *scenario_find(const char *name)
{
	if (!strncmp(name, "litmus/", 7))
		return litmus_scenario(name + 7);
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
				 sizeof(names) - strlen(names), "%s, ",
				 all[i]->name);
	if (!strstr(names, "litmus/"))
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "litmus/NAME (out/replay --list)");
	return names;
}

int scenario_set_noise(const struct scenario *sc, int n)
{
	if (n < 0 || n > sc->max_noise)
		return -1;
	if (sc->set_noise)
		sc->set_noise(n);
	return 0;
}

void scenario_noise_from_env(const struct scenario *sc)
{
	const char *e = getenv("SCHED_NOISE");
	char *end;
	long n;

	if (!e || !*e)
		return;
	n = strtol(e, &end, 10);
	if (*end || scenario_set_noise(sc, (int)n)) {
		fprintf(stderr, "schedfuzz: SCHED_NOISE=%s: %s takes 0 to %d\n",
			e, sc->name, sc->max_noise);
		exit(2);
	}
}
