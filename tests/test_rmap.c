/*
 * test_rmap - the rmap model and its oracle on the lock_anon_vma scenario:
 * each class found by a hand-written schedule on a variant that has it and
 * silent where it cannot occur; the corpus seed; determinism; any input.
 */
#include <string.h>

#include "../fuzz/target.h"
#include "../rmap/oracle.h"
#include "harness.h"
#include "use.h"
#include "seeds.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct scenario *sc;

static void use(const char *variant)
{
	sc = use_variant("lock_anon_vma", variant);
}

static struct sched_result run_script(const char *variant,
				      const struct sched_script_run *runs,
				      size_t n, const int *releases,
				      size_t nreleases, int *failed)
{
	struct sched_script_source src;
	struct sched_result res;

	use(variant);
	sched_script_source_init(&src, runs, n);
	src.labels[SCHED_DECIDE_RELEASE] = releases;
	src.nlabels[SCHED_DECIDE_RELEASE] = nreleases;
	target_exec_source(sc, NULL, &src.base, &res);
	*failed = src.failed;
	return res;
}

struct class_case {
	const char *name;
	const struct sched_class *verdict;
	const char *variant;		/* where it is found */
	const char *silent;		/* a variant where it is not */
	struct sched_script_run runs[6];
	size_t nruns;
	int release;			/* RELEASE label, -1 for none */
};

/*
 * CPU0 stops before its spin_lock after 6 points (5 without RCU); CPU1's
 * try_to_unmap ends after 18 points and its complete() is the 19th.
 */
static const struct class_case cases[] = {
	{ "stale-reused: the mail's interleaving", RMAP_STALE_REUSED,
	  "v2.6.34", "serialized",
	  { { 0, 6 }, { 1, 0 }, { 2, 0 }, { 3, 0 }, { 0, 0 } }, 5, -1 },
	{ "stale-freed: AV1 freed, not reused, then locked", RMAP_STALE_FREED,
	  "v2.6.34", "serialized", { { 0, 6 }, { 1, 0 }, { 0, 0 } }, 3, -1 },
	{ "stale-unmapped: page unmapped, AV1 still allocated",
	  RMAP_STALE_UNMAPPED, "v2.6.34", "serialized",
	  { { 0, 6 }, { 1, 18 }, { 0, 0 } }, 3, -1 },
	{ "stale-not-current: page remapped through P3's anon_vma",
	  RMAP_STALE_NOT_CURRENT, "v2.6.34", "serialized",
	  { { 0, 6 }, { 1, 19 }, { 3, 0 }, { 0, 0 } }, 4, -1 },
	{ "use-after-free: no RCU read lock, the slab page goes back",
	  SCHED_USE_AFTER_FREE, "no-rcu", "v2.6.34",
	  { { 0, 5 }, { 1, 0 }, { 0, 0 } }, 3, 1 },
};

static void test_classes(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct class_case *c = &cases[i];
		int release = c->release, failed;
		size_t nrel = release >= 0;
		struct sched_result res;

		res = run_script(c->variant, c->runs, c->nruns, &release, nrel,
				 &failed);
		ok(!failed && verdict_is(&res, c->verdict), "%s: found on %s",
		   c->name, c->variant);
		res = run_script(c->silent, c->runs, c->nruns, &release, nrel,
				 &failed);
		ok(no_report(&res, c->verdict), "%s: not reported on %s",
		   c->name, c->silent);
	}
}

/* The control can never race: a sample of random schedules, long and
 * short, finds nothing on it. */
static void test_serialized_silent(void)
{
	uint64_t seed = 1;
	uint8_t buf[512];
	int reports = 0, runs = 20000;

	use("serialized");
	for (int i = 0; i < runs; i++) {
		size_t len = harness_rand(&seed) % sizeof(buf);
		struct sched_result res;

		harness_rand_fill(&seed, buf, len);
		target_run(sc, buf, len, &res);
		reports += res.nreports;
	}
	ok_eq_int(reports, 0, "serialized: %d random schedules, no report",
		  runs);
}

/* Every variant takes any byte string, the empty one included, and ends. */
static void test_any_input(void)
{
	uint64_t seed = 7;
	uint8_t buf[1024];

	for (const struct sched_variant *v = rmap_variants; v->name; v++) {
		int bad = 0;

		use(v->name);
		for (int i = 0; i < 3000; i++) {
			size_t len = i ? harness_rand(&seed) % sizeof(buf) : 0;
			struct sched_result res;

			harness_rand_fill(&seed, buf, len);
			target_run(sc, buf, len, &res);
			bad += res.steps == 0 || res.step_limit_hit;
		}
		ok_eq_int(bad, 0, "any input: 3000 byte strings run to an end "
			  "on %s", v->name);
	}
}

/* The same bytes give the same trace, event by event. */
static void test_determinism(void)
{
	uint64_t seed = 99;
	uint8_t buf[256];
	int same = 0, runs = 200;

	use("v2.6.34");
	for (int i = 0; i < runs; i++) {
		struct sched_result a, b;
		uint64_t ha;
		size_t na;
		bool eq;
		static struct sched_event ev[1 << 12];

		harness_rand_fill(&seed, buf, sizeof(buf));
		target_run(sc, buf, sizeof(buf), &a);
		ha = sched_trace_hash();
		na = sched_trace_len();
		for (size_t k = 0; k < na && k < ARRAY_SIZE(ev); k++)
			ev[k] = *sched_trace_event(k);
		target_run(sc, buf, sizeof(buf), &b);
		eq = ha == sched_trace_hash() && na == sched_trace_len() &&
		     a.nreports == b.nreports &&
		     !memcmp(a.reports, b.reports,
			     sizeof(a.reports[0]) * (size_t)a.nreports);
		for (size_t k = 0; eq && k < na && k < ARRAY_SIZE(ev); k++)
			eq = !memcmp(&ev[k], sched_trace_event(k), sizeof(ev[k]));
		same += eq;
	}
	ok_eq_int(same, runs, "determinism: %d inputs replay to identical "
		  "traces and verdicts", runs);
}

/* corpus/lock_anon_vma/mail-race is what mkseed writes from seeds.h, and
 * replays to stale-reused on v2.6.34 and to OK on serialized. */
static void test_corpus_seed(void)
{
	struct sched_script_source src;
	struct sched_result res;
	uint8_t want[4096], got[4096];
	size_t nwant, ngot = 0;
	FILE *f = fopen("corpus/lock_anon_vma/mail-race", "rb");

	use("v2.6.34");
	sched_script_source_init(&src, mail_race, ARRAY_SIZE(mail_race));
	target_exec_source(sc, NULL, &src.base, &res);
	nwant = sched_decisions_to_bytes(want, sizeof(want));
	if (f) {
		ngot = fread(got, 1, sizeof(got), f);
		fclose(f);
	}
	ok(f && eq_bytes(got, ngot, want, nwant),
	   "corpus: mail-race matches the mail_race script (%zu bytes)", nwant);
	target_run(sc, got, ngot, &res);
	ok(verdict_is(&res, RMAP_STALE_REUSED),
	   "corpus: mail-race is stale-reused on v2.6.34");
	use("serialized");
	target_run(sc, got, ngot, &res);
	ok(verdict_is(&res, SCHED_OK), "corpus: mail-race is OK on serialized");
}

/* The schedule features: on when asked, keyed on sites only (the same
 * execution bumps the same counters in every run), off with "none". */
static void test_coverage_features(void)
{
	static uint8_t first[sizeof(sched_cov_counters)];
	struct sched_result res;
	int nonzero = 0;

	use("v2.6.34");
	ok_eq_int(sched_cov_parse("bogus"), -1,
		  "coverage: an unknown feature is refused");
	sched_cov_parse("lock,alloc");
	memset(sched_cov_counters, 0, sizeof(sched_cov_counters));
	target_run(sc, (const uint8_t *)"\x01\x02\x03", 3, &res);
	memcpy(first, sched_cov_counters, sizeof(first));
	for (size_t i = 0; i < sizeof(first); i++)
		nonzero += first[i] != 0;
	memset(sched_cov_counters, 0, sizeof(sched_cov_counters));
	target_run(sc, (const uint8_t *)"\x01\x02\x03", 3, &res);
	ok(cmp_int(nonzero, >, 0) && eq_bytes(sched_cov_counters,
						  sizeof(first), first,
						  sizeof(first)),
	   "coverage: lock and alloc features set %d counters, the same in a rerun",
	   nonzero);
	sched_cov_parse("none");
	memset(sched_cov_counters, 0, sizeof(sched_cov_counters));
	target_run(sc, (const uint8_t *)"\x01\x02\x03", 3, &res);
	nonzero = 0;
	for (size_t i = 0; i < sizeof(first); i++)
		nonzero += sched_cov_counters[i] != 0;
	ok_eq_int(nonzero, 0, "coverage: none sets no counter");
}

/* The counters one run of buf sets under the features in spec. */
static int counters_set(const char *spec, const uint8_t *buf, size_t len)
{
	struct sched_result res;
	int nonzero = 0;

	sched_cov_parse(spec);
	memset(sched_cov_counters, 0, sizeof(sched_cov_counters));
	target_run(sc, buf, len, &res);
	for (size_t i = 0; i < sizeof(sched_cov_counters); i++)
		nonzero += sched_cov_counters[i] != 0;
	return nonzero;
}

/* Under weak memory the fuzz targets add the reads-from pairs to the
 * default features, and those set counters of their own. */
static void test_weak_default_features(void)
{
	static const uint8_t buf[] = { 1, 2, 3, 1, 0, 2, 1, 3, 2, 2, 1, 0 };
	const char *sc_default, *weak_default;
	int plain, with_rf;

	use("v2.6.34");
	sched_set_memory("sc");
	sc_default = target_default_features();
	sched_set_memory("weak");
	weak_default = target_default_features();
	plain = counters_set(sc_default, buf, sizeof(buf));
	with_rf = counters_set(weak_default, buf, sizeof(buf));
	ok(eq_str(sc_default, "lock,alloc,model") &&
	   eq_str(weak_default, "lock,alloc,rf,model") &&
	   cmp_int(with_rf, >, plain),
	   "coverage: default %s under sc, %s under weak (%d counters, %d "
	   "without rf)", sc_default, weak_default, with_rf, plain);
	sched_set_memory("sc");
	sched_cov_parse("lock,alloc");
}

/* A fingerprint of one run of buf on variant: every event but its site
 * (the ablations call their atomics from other lines). */
static uint64_t run_print(const char *variant, const uint8_t *buf, size_t len)
{
	struct sched_result res;
	uint64_t h = 1469598103934665603ull;

	use(variant);
	target_run(sc, buf, len, &res);
	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);
		uint64_t f[] = { e->step, (uint64_t)e->cpu, e->op,
				 (uint64_t)e->obj, e->off, e->value, e->aux };

		for (size_t k = 0; k < ARRAY_SIZE(f); k++)
			h = (h ^ f[k]) * 1099511628211ull;
	}
	return h * 31 + (uint64_t)res.nreports;
}

/*
 * The writer-side barrier ablations are peterz with one value-returning
 * atomic made unordered.  Under sc an ordering is no decision, so each
 * runs exactly as peterz does; what the unordered form changes under weak
 * is the MP+atomicrelaxed litmus test's business (test_litmus).
 */
static void test_barrier_ablations(void)
{
	static const char *const ablations[] = {
		"peterz-relaxed-add", "peterz-relaxed-remove" };
	uint8_t buf[256];

	for (size_t a = 0; a < ARRAY_SIZE(ablations); a++) {
		uint64_t seed = 5;
		int same = 0, n = 2000;

		for (int i = 0; i < n; i++) {
			harness_rand_fill(&seed, buf, sizeof(buf));
			same += run_print("peterz", buf, sizeof(buf)) ==
				run_print(ablations[a], buf, sizeof(buf));
		}
		ok_eq_int(same, n, "%s: runs as peterz under sc on %d inputs",
			  ablations[a], n);
	}
}

int main(void)
{
	use("v2.6.34");
	test_classes();
	test_corpus_seed();
	test_determinism();
	test_serialized_silent();
	test_any_input();
	test_coverage_features();
	test_weak_default_features();
	test_barrier_ablations();
	return harness_exit();
}
