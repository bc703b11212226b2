/*
 * registry.c - tables collected from a linker section: each file that
 * defines an entry (a violation class, a scenario) puts a pointer to it in
 * the section, and the registry sorts them by name, so that their order
 * does not depend on which files were linked in which order.
 */
#include <string.h>

#include "engine.h"

size_t sched_registry_collect(void *const *start, void *const *stop,
			      void **out, size_t cap,
			      const char *(*name_of)(const void *),
			      const char *what)
{
	size_t n = 0;

	for (void *const *p = start; p && p < stop; p++) {
		size_t i = n;

		if (n == cap)
			sched_fatal("more than %zu %s entries", cap, what);
		/* insertion sort: a few dozen entries, once per process */
		while (i > 0 && strcmp(name_of(out[i - 1]), name_of(*p)) > 0) {
			out[i] = out[i - 1];
			i--;
		}
		if (i > 0 && strcmp(name_of(out[i - 1]), name_of(*p)) == 0)
			sched_fatal("two %s entries named '%s'", what,
				    name_of(*p));
		out[i] = *p;
		n++;
	}
	return n;
}
