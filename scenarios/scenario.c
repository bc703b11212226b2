/*
 * scenario.c - the registry of scenarios, their variants and noise, and
 * the program of one execution.
 *
 * Scenarios are collected from two linker sections: sched_scenarios holds
 * a pointer to each SCENARIO, sched_scenario_sets a function per
 * SCENARIO_SET that lists a table of them.
 */
#include <string.h>

#include "scenario.h"

static const struct scenario *all[SCENARIO_MAX];
static size_t nall;
/* Per scenario (by index in all[]): the chosen variant, the noise. */
static const struct sched_variant *chosen[SCENARIO_MAX];
static int noise[SCENARIO_MAX];

static const char *scenario_name(const void *sc)
{
	return ((const struct scenario *)sc)->name;
}

static void collect(void)
{
	extern const struct scenario *const __start_sched_scenarios[]
		__attribute__((weak));
	extern const struct scenario *const __stop_sched_scenarios[]
		__attribute__((weak));
	typedef const struct scenario *(*set_fn)(size_t);
	extern const set_fn __start_sched_scenario_sets[] __attribute__((weak));
	extern const set_fn __stop_sched_scenario_sets[] __attribute__((weak));
	static const struct scenario *found[SCENARIO_MAX];
	size_t n = 0;

	if (nall)
		return;
	for (const struct scenario *const *p = __start_sched_scenarios;
	     p && p < __stop_sched_scenarios && n < SCENARIO_MAX; p++)
		found[n++] = *p;
	for (const set_fn *f = __start_sched_scenario_sets;
	     f && f < __stop_sched_scenario_sets; f++)
		for (size_t i = 0; (*f)(i) && n < SCENARIO_MAX; i++)
			found[n++] = (*f)(i);
	nall = sched_registry_collect((void *const *)found,
				      (void *const *)found + n, (void **)all,
				      SCENARIO_MAX, scenario_name, "scenario");
}

size_t scenario_count(void)
{
	collect();
	return nall;
}

const struct scenario *scenario_at(size_t i)
{
	collect();
	return i < nall ? all[i] : NULL;
}

/* Every execution asks for its scenario's settings: the last one found
 * is kept. */
static size_t index_of(const struct scenario *sc)
{
	static size_t last;

	collect();
	if (last < nall && all[last] == sc)
		return last;
	for (size_t i = 0; i < nall; i++)
		if (all[i] == sc)
			return last = i;
	sched_fatal("scenario %s is not registered (SCENARIO)", sc->name);
}

const struct scenario *scenario_find(const char *name)
{
	collect();
	for (size_t i = 0; i < nall; i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

enum scenario_build scenario_build(const struct scenario *sc,
				   const char **file)
{
	extern const struct scenario_unit __start_sched_scenario_units[]
		__attribute__((weak));
	extern const struct scenario_unit __stop_sched_scenario_units[]
		__attribute__((weak));

	for (const struct scenario_unit *u = __start_sched_scenario_units;
	     u && u < __stop_sched_scenario_units; u++) {
		bool in = u->sc == sc;

		for (size_t i = 0; u->set && !in && u->set(i); i++)
			in = u->set(i) == sc;
		if (in) {
			if (file)
				*file = u->file;
			return u->build;
		}
	}
	if (file)
		*file = "?";
	return SCENARIO_MARKED;
}

const char *scenario_unusable(const struct scenario *sc)
{
	static char why[256];
	const char *file;

	if (scenario_build(sc, &file) != SCENARIO_NOT_INSTRUMENTED)
		return NULL;
	snprintf(why, sizeof(why), "scenario %s is plain C (SCENARIO_PLAIN_C) "
		 "but %s was compiled without clang's load and store "
		 "callbacks, which would leave its plain accesses unseen: "
		 "build it with ./build.sh (clang)", sc->name, file);
	return why;
}

const struct sched_variant *scenario_variant(const struct scenario *sc)
{
	const struct sched_variant *v = chosen[index_of(sc)];

	return v ? v : sc->variants && sc->variants[0].name ? sc->variants : NULL;
}

const struct sched_variant *scenario_variant_find(const struct scenario *sc,
						  const char *name)
{
	for (const struct sched_variant *v = sc->variants; v && v->name; v++)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

void scenario_use_variant(const struct scenario *sc,
			  const struct sched_variant *v)
{
	chosen[index_of(sc)] = v;
}

const char *scenario_variant_names(const struct scenario *sc, char *buf,
				   size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (const struct sched_variant *v = sc->variants; v && v->name; v++)
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0,
					 "%s%s", used ? ", " : "", v->name);
	if (!buf[0])
		snprintf(buf, len, "none: %s has no variants", sc->name);
	return buf;
}

int scenario_noise(const struct scenario *sc)
{
	return noise[index_of(sc)];
}

int scenario_set_noise(const struct scenario *sc, int n)
{
	if (n < 0 || n > sc->max_noise)
		return -1;
	noise[index_of(sc)] = n;
	return 0;
}

/* ---- the program of one execution --------------------------------------- */

static const struct scenario *running;
static int running_own;		/* its own CPUs; the noise CPUs follow */
static struct sched_program prog;
static enum scenario_build running_build;

const struct scenario *scenario_running(void)
{
	return running;
}

/* The engine calls CPUs and hooks with an argument; scenarios take none. */
static void run_init(void *arg)
{
	(void)arg;
	if (running->init)
		running->init();
}

static void run_cpu(void *arg)
{
	int c = sched_current_cpu();

	(void)arg;
	if (c < running_own)
		running->cpu[c]();
	else
		running->noise_cpu();
}

static void run_check(void *arg)
{
	(void)arg;
	running->check();
}

/* The scenario's own CPUs: ncpus, or as many as cpu[] names. */
static int own_cpus(const struct scenario *sc)
{
	int n = sc->ncpus;

	if (!n)
		while (n < SCHED_MAX_CPUS && sc->cpu[n])
			n++;
	return n;
}

const struct sched_program *scenario_program(const struct scenario *sc,
					     const uint8_t *header)
{
	const struct sched_variant *v = scenario_variant(sc);
	int own = own_cpus(sc), n = scenario_noise(sc);

	if (sc != running) {
		if (scenario_unusable(sc))
			sched_fatal("%s", scenario_unusable(sc));
		running_build = scenario_build(sc, NULL);
	}
	sched_set_races(running_build == SCENARIO_INSTRUMENTED);
	running = sc;
	if (sc->set_variant && v)
		sc->set_variant(v);
	if (sc->set_noise)
		sc->set_noise(n);
	if (sc->setup)
		own = sc->setup(header, sc->header_size);
	if (own < 1 || own + n > SCHED_MAX_CPUS)
		sched_fatal("scenario %s: %d CPUs and %d noise CPUs (1 to %d "
			    "in all)", sc->name, own, n, SCHED_MAX_CPUS);
	for (int c = 0; c < own; c++)
		if (!sc->cpu[c])
			sched_fatal("scenario %s: no function for cpu%d",
				    sc->name, c);
	if (n && !sc->noise_cpu)
		sched_fatal("scenario %s: noise without noise_cpu", sc->name);
	running_own = own;
	prog.ncpus = own + n;
	prog.init = run_init;
	prog.check = sc->check ? run_check : NULL;
	prog.arg = NULL;
	for (int c = 0; c < SCHED_MAX_CPUS; c++)
		prog.cpu[c] = c < prog.ncpus ? run_cpu : NULL;
	return &prog;
}
