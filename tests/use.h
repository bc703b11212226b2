/*
 * use.h - putting a scenario and variant in force for a test, as the
 * tools do (target_configure), keeping the memory model the test set.
 */
#ifndef TESTS_USE_H
#define TESTS_USE_H

#include <stdio.h>
#include <stdlib.h>

#include "../fuzz/target.h"

/* variant NULL: the scenario's first.  The memory model and the noise
 * stay as the test set them. */
static inline const struct scenario *use_variant(const char *scenario,
						 const char *variant)
{
	struct target_settings s = { 0 };
	const struct scenario *sc = scenario_find(scenario);
	char noise[16];

	snprintf(noise, sizeof(noise), "%d", sc ? scenario_noise(sc) : 0);
	target_settings_option(&s, "test", "--scenario", scenario);
	if (variant)
		target_settings_option(&s, "test", "--variant", variant);
	target_settings_option(&s, "test", "--memory", sched_memory_name());
	target_settings_option(&s, "test", "--noise", noise);
	if (target_configure(&s, NULL, false, &sc)) {
		printf("Bail out! %s\n", target_error());
		exit(1);
	}
	return sc;
}

#endif
