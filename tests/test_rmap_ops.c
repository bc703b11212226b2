/*
 * test_rmap_ops - the rmap_ops scenario: each operation against world
 * states computed by hand; each chain oracle class found by a hand-written
 * program on a variant that has the bug and silent on v2.6.34; the corpus
 * seeds; preconditions that skip; exhaustive search that clears v2.6.34.
 */
#include <string.h>

#include "../fuzz/target.h"
#include "../rmap/oracle.h"
#include "../scenarios/noise.h"
#include "harness.h"
#include "use.h"
#include "seeds.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct scenario *sc;
static const struct rmap_ops_world *w;

static const struct sched_class *chain_classes[] = {
	RMAP_UNREACHABLE, RMAP_WALK_MISSED, RMAP_CHAIN_MISMATCH,
	RMAP_ANON_VMA_FREED_IN_USE,
};

static void use(const char *variant)
{
	sc = use_variant("rmap_ops", variant);
}

/* Runs CPU0's program ops[] (then CPU1's, from ops[4]) by the default
 * schedule, or by sched bytes after the header. */
static struct sched_result run(const char *variant, const uint8_t *ops,
			       size_t nops, const uint8_t *sched, size_t nsched)
{
	uint8_t input[RMAP_OPS_HEADER + 512] = { 0 };
	struct sched_result res;

	use(variant);
	memcpy(input + 1, ops, nops);
	if (nsched)
		memcpy(input + RMAP_OPS_HEADER, sched, nsched);
	target_run(sc, input, RMAP_OPS_HEADER + nsched, &res);
	return res;
}

#define RUN(variant, ...)                                                \
	({                                                               \
		static const uint8_t ops_[] = { __VA_ARGS__ };           \
		run(variant, ops_, sizeof(ops_), NULL, 0);               \
	})

/* The first chain class res reports, SCHED_OK when none. */
static const struct sched_class *first_chain_class(const struct sched_result *res)
{
	for (size_t i = 0; i < ARRAY_SIZE(chain_classes); i++)
		if (has_verdict(res, chain_classes[i]))
			return chain_classes[i];
	return SCHED_OK;
}

static bool any_chain_class(const struct sched_result *res)
{
	return first_chain_class(res) != SCHED_OK;
}

/* For a check: no report is of class SCHED_OK, so this is true exactly
 * when there is no chain class, and notes the reports when there is. */
#define no_chain_class(res) no_report(res, first_chain_class(res))

static int chain_len(struct vm_area_struct *vma, struct anon_vma **first,
		     struct anon_vma **last)
{
	struct list_head *pos;
	int n = 0;

	for (pos = vma->anon_vma_chain.next; pos != &vma->anon_vma_chain;
	     pos = pos->next, n++) {
		struct anon_vma *av = list_entry(pos, struct anon_vma_chain,
						 same_vma)->anon_vma;
		if (!n && first)
			*first = av;
		if (last)
			*last = av;
	}
	return n;
}

static int list_len(struct anon_vma *av)
{
	int n = 0;

	for (struct list_head *pos = av->head.next; pos != &av->head;
	     pos = pos->next)
		n++;
	return n;
}

static struct anon_vma *mapping_of(struct page *page)
{
	return (struct anon_vma *)((uintptr_t)page->mapping - PAGE_MAPPING_ANON);
}

#define P(i) (w->mm[i])
#define PAGE0 (w->page[0])
#define FAULT(p, a) RMAP_OP(OP_FAULT, p, a)
#define FORK(p) RMAP_OP(OP_FORK, p, 0)
#define SWAPOUT(pg) RMAP_PAGE_OP(OP_SWAPOUT, pg)
#define SWAPIN(p, a) RMAP_OP(OP_SWAPIN, p, a)
#define MUNMAP(p, a) RMAP_OP(OP_MUNMAP, p, a)
#define EXIT(p) RMAP_OP(OP_EXIT, p, 0)
#define SPLIT(p) RMAP_OP(OP_SPLIT, p, 0)
#define MERGE(p) RMAP_OP(OP_MERGE, p, 0)
#define REFERENCED(pg) RMAP_PAGE_OP(OP_REFERENCED, pg)

static void test_fault(void)
{
	struct sched_result res = RUN("v2.6.34", FAULT(0, 0));
	struct vm_area_struct *vma = P(0)->mmap[0];
	struct anon_vma *av = vma->anon_vma, *first = NULL;

	ok(verdict_is(&res, SCHED_OK) && eq_ptr(P(0)->pte[0], PAGE0) &&
	   eq_int(PAGE0->_mapcount.counter, 0) && av &&
	   eq_ptr(mapping_of(PAGE0), av) && eq_int(PAGE0->index, 0) &&
	   eq_int(chain_len(vma, &first, NULL), 1) && eq_ptr(first, av) &&
	   eq_int(list_len(av), 1) && eq_ptr(P(0)->pte[1], NULL),
	   "fault(P0,0): pte[0] maps page0 (mapcount 0) through a new "
	   "anon_vma, vma0's one chain entry");
}

static void test_fork(void)
{
	struct sched_result res = RUN("v2.6.34", FAULT(0, 0), FORK(0));
	struct vm_area_struct *pv = P(0)->mmap[0], *cv = P(1)->mmap[0];
	struct anon_vma *first = NULL, *last = NULL;

	ok(verdict_is(&res, SCHED_OK) && eq_int(P(1)->alive, MM_ALIVE) && cv &&
	   cv != pv && eq_int(cv->vm_start, 0) && eq_int(cv->vm_end, 2) &&
	   eq_int(cv->vm_pgoff, 0) && eq_ptr(P(1)->pte[0], PAGE0) &&
	   eq_int(PAGE0->_mapcount.counter, 1) && cv->anon_vma &&
	   cv->anon_vma != pv->anon_vma &&
	   eq_int(chain_len(cv, &first, &last), 2) &&
	   eq_ptr(first, cv->anon_vma) && eq_ptr(last, pv->anon_vma) &&
	   eq_int(list_len(pv->anon_vma), 2) &&
	   eq_ptr(mapping_of(PAGE0), pv->anon_vma) &&
	   eq_int(P(2)->alive, MM_DEAD),
	   "fork(P0): P1's vma copies [0,2), chain [own, P0's], page0 "
	   "mapped twice, mapping unchanged");
}

static void test_swapout(void)
{
	struct sched_result res = RUN("v2.6.34", FAULT(0, 0), FORK(0),
				      SWAPOUT(0));

	ok(verdict_is(&res, SCHED_OK) && eq_ptr(P(0)->pte[0], swp_entry(PAGE0)) &&
	   eq_ptr(P(1)->pte[0], swp_entry(PAGE0)) &&
	   eq_int(PAGE0->_mapcount.counter, -1) &&
	   eq_ptr(mapping_of(PAGE0), P(0)->mmap[0]->anon_vma),
	   "swapout(page0): both ptes become swap entries, page0 unmapped, "
	   "mapping kept");
}

static void test_swapin(void)
{
	struct sched_result res = RUN("v2.6.34", FAULT(0, 0), FORK(0),
				      SWAPOUT(0), SWAPIN(1, 0));
	struct anon_vma *oldest = P(0)->mmap[0]->anon_vma;

	ok(verdict_is(&res, SCHED_OK) && eq_ptr(P(1)->pte[0], PAGE0) &&
	   eq_ptr(P(0)->pte[0], swp_entry(PAGE0)) &&
	   eq_int(PAGE0->_mapcount.counter, 0) &&
	   eq_ptr(mapping_of(PAGE0), oldest),
	   "swapin(P1,0) on v2.6.34: the child maps page0 first, through the "
	   "oldest anon_vma (P0's)");
	res = RUN("v2.6.34-rc3", FAULT(0, 0), FORK(0), SWAPOUT(0), SWAPIN(1, 0));
	ok(verdict_is(&res, SCHED_OK) &&
	   eq_ptr(mapping_of(PAGE0), P(1)->mmap[0]->anon_vma),
	   "swapin(P1,0) on v2.6.34-rc3: through the child's own anon_vma");
}

static void test_exit_and_munmap(void)
{
	struct sched_result res = RUN("v2.6.34", FAULT(0, 0), FORK(0),
				      SWAPOUT(0), EXIT(1));
	struct anon_vma *av0 = P(0)->mmap[0]->anon_vma;

	ok(verdict_is(&res, SCHED_OK) && eq_int(P(1)->alive, MM_DEAD) &&
	   eq_ptr(P(1)->mmap[0], NULL) && eq_ptr(P(1)->pte[0], NULL) &&
	   eq_ptr(P(1)->pte[1], NULL) && eq_int(list_len(av0), 1) &&
	   eq_ptr(P(0)->pte[0], swp_entry(PAGE0)),
	   "exit(P1): no vmas, no ptes, its entry off P0's anon_vma");
	res = RUN("v2.6.34", FAULT(0, 0), MUNMAP(0, 1));
	ok(verdict_is(&res, SCHED_OK) && eq_int(P(0)->alive, MM_ALIVE) &&
	   eq_ptr(P(0)->mmap[0], NULL) && eq_ptr(P(0)->pte[0], NULL) &&
	   eq_int(PAGE0->_mapcount.counter, -1),
	   "munmap(P0,1): the vma over address 1 (all of it) goes, page0 "
	   "unmapped");
}

static void test_split_and_merge(void)
{
	struct sched_result res = RUN("v2.6.34", FAULT(0, 0), SPLIT(0));
	struct vm_area_struct *lo = P(0)->mmap[0], *hi = P(0)->mmap[1];
	struct anon_vma *a = NULL, *b = NULL;

	ok(verdict_is(&res, SCHED_OK) && lo && hi && eq_int(lo->vm_start, 0) &&
	   eq_int(lo->vm_end, 1) && eq_int(hi->vm_start, 1) &&
	   eq_int(hi->vm_end, 2) && eq_int(hi->vm_pgoff, 1) && lo->anon_vma &&
	   eq_ptr(hi->anon_vma, lo->anon_vma) &&
	   eq_int(chain_len(lo, &a, NULL), 1) &&
	   eq_int(chain_len(hi, &b, NULL), 1) && eq_ptr(a, lo->anon_vma) &&
	   eq_ptr(b, a) && eq_int(list_len(a), 2),
	   "split(P0): [0,1) and [1,2), pgoff 0 and 1, one anon_vma, a chain "
	   "entry each");
	res = RUN("v2.6.34", FAULT(0, 0), SPLIT(0), MERGE(0));
	lo = P(0)->mmap[0];
	ok(verdict_is(&res, SCHED_OK) && lo && eq_ptr(P(0)->mmap[1], NULL) &&
	   eq_int(lo->vm_start, 0) && eq_int(lo->vm_end, 2) &&
	   eq_int(chain_len(lo, NULL, NULL), 1) &&
	   eq_int(list_len(lo->anon_vma), 1) && eq_ptr(P(0)->pte[0], PAGE0),
	   "merge(P0): back to [0,2) with one chain entry");
	res = RUN("v2.6.34", SPLIT(0), FAULT(0, 1), MERGE(0));
	lo = P(0)->mmap[0];
	ok(verdict_is(&res, SCHED_OK) && lo && eq_ptr(P(0)->mmap[1], NULL) &&
	   lo->anon_vma && eq_int(chain_len(lo, &a, NULL), 1) &&
	   eq_ptr(a, lo->anon_vma) && eq_ptr(mapping_of(PAGE0), a) &&
	   !sched_obj_is_free(a),
	   "merge(P0) on v2.6.34: the lower vma imports the upper's chain "
	   "(287d97ac)");
}

static size_t count_returns(void)
{
	size_t n = 0;

	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);

		n += e->op == SCHED_OP_CALL && strcmp(e->what, "returns") == 0 &&
		     e->value != 0;
	}
	return n;
}

static void test_referenced(void)
{
	struct sched_result res = RUN("v2.6.34", FAULT(0, 0), REFERENCED(0));

	ok(verdict_is(&res, SCHED_OK) && eq_int(count_returns(), 1) &&
	   eq_ptr(P(0)->pte[0], PAGE0) && eq_int(PAGE0->_mapcount.counter, 0),
	   "referenced(page0): one page_lock_anon_vma that returns an "
	   "anon_vma, world unchanged");
	res = RUN("v2.6.34", REFERENCED(1), SWAPOUT(1));
	ok(verdict_is(&res, SCHED_OK) && eq_int(count_returns(), 0),
	   "referenced and swapout of a free page do nothing");
}

static void test_preconditions(void)
{
	struct sched_result res = RUN("v2.6.34", FORK(1), FAULT(2, 0),
				      SWAPIN(0, 0), MERGE(0));

	ok(verdict_is(&res, SCHED_OK) && eq_int(P(1)->alive, MM_DEAD) &&
	   eq_int(P(2)->alive, MM_DEAD) && eq_ptr(P(0)->pte[0], NULL) &&
	   P(0)->mmap[0] && eq_ptr(P(0)->mmap[1], NULL) &&
	   eq_ptr(P(0)->mmap[0]->anon_vma, NULL),
	   "ops on dead processes, a swapin of an empty pte and a merge of "
	   "one vma do nothing");
	res = RUN("v2.6.34", FORK(0), FORK(0), FORK(0), SPLIT(0),
		  SPLIT(0), FAULT(0, 0), FAULT(0, 0));
	ok(verdict_is(&res, SCHED_OK) && eq_int(P(1)->alive, MM_ALIVE) &&
	   eq_int(P(2)->alive, MM_ALIVE) && P(0)->mmap[1] &&
	   eq_ptr(P(0)->pte[0], PAGE0) &&
	   eq_int(w->page[1]->_mapcount.counter, -1),
	   "a third fork finds no free process, a second split no room, a "
	   "second fault of a mapped pte nothing");
}

/* Two CPUs fault the same pte, switching at every step: one wins. */
static void test_racing_faults(void)
{
	uint8_t ops[8] = { FAULT(0, 0), 0, 0, 0, FAULT(0, 0) };
	uint8_t sched[300];
	struct sched_result res;
	struct page *mapped;

	memset(sched, 1, sizeof(sched));
	res = run("v2.6.34", ops, sizeof(ops), sched, sizeof(sched));
	mapped = P(0)->pte[0];
	ok(verdict_is(&res, SCHED_OK) &&
	   (mapped == w->page[0] || mapped == w->page[1]) &&
	   eq_int(mapped->_mapcount.counter, 0) &&
	   eq_int(w->page[mapped == w->page[0]]->_mapcount.counter, -1) &&
	   eq_int(chain_len(P(0)->mmap[0], NULL, NULL), 1),
	   "racing faults of one pte: one page mapped, one anon_vma linked");
}

static void test_seeds(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(rmap_ops_seeds); i++) {
		const struct rmap_ops_seed *s = &rmap_ops_seeds[i];
		uint8_t want[4096], file[4097];
		size_t nwant, n = 0;
		struct sched_result res;
		char path[256];
		FILE *f;

		use(s->variant);
		nwant = rmap_ops_seed_input(s, sc, want,
					    sizeof(want));
		snprintf(path, sizeof(path), "corpus/rmap_ops/%s", s->file);
		f = fopen(path, "rb");
		if (f) {
			n = fread(file, 1, sizeof(file), f);
			fclose(f);
		}
		ok(eq_bytes(file, n, want, nwant),
		   "corpus: %s is what seeds.h gives (%zu bytes)", s->file, nwant);
		target_run(sc, want, nwant, &res);
		ok(has_report(&res, s->verdict), "corpus: %s is %s on %s",
		   s->file, sched_verdict_name(s->verdict), s->variant);
		use(s->fixed_by);
		target_run(sc, want, nwant, &res);
		ok(no_report(&res, s->verdict) && no_chain_class(&res),
		   "corpus: %s is clean on %s", s->file, s->fixed_by);
		use("v2.6.34");
		target_run(sc, want, nwant, &res);
		ok(no_report(&res, s->verdict) && no_chain_class(&res),
		   "corpus: %s is clean on v2.6.34", s->file);
	}
}

/* Each chain class, by a hand-written program, where it shows and not on
 * v2.6.34. */
static void test_classes(void)
{
	static const struct {
		const struct sched_class *v;
		const char *variant;
		size_t seed;
	} cases[] = {
		{ RMAP_UNREACHABLE, "646d87b4", 0 },
		{ RMAP_WALK_MISSED, "646d87b4", 0 },
		{ RMAP_UNREACHABLE, "v2.6.34-rc3", 0 },
		{ RMAP_ANON_VMA_FREED_IN_USE, "v2.6.34-rc3", 1 },
		{ RMAP_ANON_VMA_FREED_IN_USE, "rik-v2", 1 },
		{ RMAP_CHAIN_MISMATCH, "v2.6.34-rc3", 2 },
		{ RMAP_WALK_MISSED, "v2.6.34-rc3", 2 },
		{ RMAP_UNREACHABLE, "ea90002b-no-646d87b4", 3 },
	};
	struct sched_result res;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct rmap_ops_seed *s = &rmap_ops_seeds[cases[i].seed];

		use(cases[i].variant);
		target_run(sc, s->prog, RMAP_OPS_HEADER, &res);
		ok(has_report(&res, cases[i].v), "%s: %s on %s",
		   sched_verdict_name(cases[i].v), s->file, cases[i].variant);
		use("v2.6.34");
		target_run(sc, s->prog, RMAP_OPS_HEADER, &res);
		ok(no_report(&res, cases[i].v), "%s: silent on v2.6.34 (%s)",
		   sched_verdict_name(cases[i].v), s->file);
	}
	/* Rik's -v2 links the whole chain: the d0e9fe17 hole is closed. */
	use("rik-v2");
	target_run(sc, rmap_ops_seeds[2].prog, RMAP_OPS_HEADER, &res);
	ok(no_chain_class(&res), "rik-v2 closes the hole d0e9fe17 closed");
}

/* Any input, on v2.6.34 and serialized: never a chain class, a use after
 * free, a lock mismatch or a deadlock. */
static void test_random_inputs(void)
{
	static const char *const variants[] = { "v2.6.34", "serialized",
						"v2.6.36" };
	uint64_t seed = 42;
	int bad = 0, runs = 0, nonempty = 0;

	for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
		use(variants[v]);
		for (int i = 0; i < 3000; i++) {
			uint8_t input[RMAP_OPS_HEADER + 64];
			size_t n = harness_rand(&seed) % sizeof(input);
			struct sched_result res;

			harness_rand_fill(&seed, input, n);
			target_run(sc, input, n, &res);
			runs++;
			nonempty += res.steps > 40;
			bad += any_chain_class(&res) ||
			       has_verdict(&res, SCHED_USE_AFTER_FREE) ||
			       has_verdict(&res, SCHED_LOCK_MISMATCH) ||
			       has_verdict(&res, SCHED_DEADLOCK) ||
			       has_verdict(&res, SCHED_STEP_LIMIT);
		}
	}
	ok(eq_int(bad, 0) && cmp_int(nonempty, >, runs / 2),
	   "%d random programs and schedules on v2.6.34, serialized, v2.6.36: "
	   "no chain class, use after free, lock mismatch, deadlock or step "
	   "limit; most run more than 40 steps", runs);
}

/* SCHED_NOISE: the noise CPUs come after the programs' CPUs, run processes
 * of their own (no fork takes one over) and add no violation: random
 * programs and schedules with 4 noise CPUs stay silent on serialized and
 * v2.6.34, and rc3's seed still shows its class. */
static void test_noise(void)
{
	static const char *const variants[] = { "serialized", "v2.6.34" };
	static struct sched_random_source rnd;
	int bad = 0, runs = 0, placed = 0, found = 0;
	uint64_t seed = 7;
	struct sched_result res;

	ok(eq_int(scenario_set_noise(sc, NOISE_MAX), 0) &&
	   cmp_int(scenario_set_noise(sc, NOISE_MAX + 1), !=, 0),
	   "noise: rmap_ops takes 0 to %d noise CPUs", NOISE_MAX);
	scenario_set_noise(sc, 4);
	for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
		use(variants[v]);
		for (int i = 0; i < 1500; i++, runs++) {
			uint8_t input[RMAP_OPS_HEADER + 512];
			size_t n = RMAP_OPS_HEADER + harness_rand(&seed) % 512;
			int last = -1;

			harness_rand_fill(&seed, input, n);
			target_run(sc, input, n, &res);
			for (size_t k = 0; k < sched_trace_len(); k++)
				if (sched_trace_event(k)->cpu > last)
					last = sched_trace_event(k)->cpu;
			placed += target_ncpus() == 2 + input[0] % 3 + 4 &&
				  last == target_ncpus() - 1;
			bad += v == 0 ? res.nreports > 0 :
			       any_chain_class(&res) ||
			       has_verdict(&res, SCHED_USE_AFTER_FREE) ||
			       has_verdict(&res, SCHED_LOCK_MISMATCH) ||
			       has_verdict(&res, SCHED_DEADLOCK) ||
			       has_verdict(&res, SCHED_STEP_LIMIT);
		}
	}
	ok_eq_int(placed, runs, "noise: 4 noise CPUs after the programs' CPUs "
		  "in every run");
	ok_eq_int(bad, 0, "noise: %d random runs with 4 noise CPUs, serialized "
		  "silent, v2.6.34 without chain class, use after free, lock "
		  "mismatch, deadlock or step limit", runs);
	use("v2.6.34-rc3");
	sched_random_source_init(&rnd, 1);
	for (int i = 0; i < 200; i++) {
		target_exec_source(sc, rmap_ops_seeds[1].prog, &rnd.base, &res);
		found += has_verdict(&res, RMAP_ANON_VMA_FREED_IN_USE);
	}
	ok_cmp_int(found, >, 100, "noise: %s on v2.6.34-rc3 with 4 noise CPUs: "
		   "anon-vma-freed-in-use in most of 200 random schedules (%d)",
		   rmap_ops_seeds[1].file, found);
	scenario_set_noise(sc, 0);
}

/* Every schedule with at most one preemption of the ea90002b program. */
static void test_dfs(void)
{
	static const char *const variants[] = { "v2.6.34", "646d87b4" };

	for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
		static struct sched_dfs_source dfs;
		unsigned long schedules = 0;
		int found = 0;

		use(variants[v]);
		sched_dfs_source_init(&dfs, 1);
		do {
			struct sched_result res;

			target_exec_source(sc, rmap_ops_seeds[0].prog, &dfs.base,
					   &res);
			schedules++;
			found += any_chain_class(&res);
		} while (sched_dfs_next(&dfs));
		if (v == 0)
			ok(eq_int(found, 0) && !dfs.diverged &&
			   cmp_int(schedules, >, 1000),
			   "dfs bound 1, ea90002b program on v2.6.34: no chain "
			   "class in %lu schedules", schedules);
		else
			ok(cmp_int(found, >, 0) && !dfs.diverged,
			   "dfs bound 1, ea90002b program on 646d87b4: %d of %lu "
			   "schedules break the chain invariant", found,
			   schedules);
	}
}

int main(void)
{
	use("v2.6.34");
	w = rmap_ops_world();
	test_fault();
	test_fork();
	test_swapout();
	test_swapin();
	test_exit_and_munmap();
	test_split_and_merge();
	test_referenced();
	test_preconditions();
	test_racing_faults();
	test_seeds();
	test_classes();
	test_random_inputs();
	test_dfs();
	test_noise();
	return harness_exit();
}
