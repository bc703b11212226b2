/*
 * test_rmap_reuse - the variants from 3.19 on: fork's reuse of anon_vmas
 * and its counters (7a3ef208, 2555283e), the merge and swap-in rules that
 * came with them, the count classes, the shape features, and today's
 * folio_lock_anon_vma_read (folio) with 3.0-rc's page_lock_anon_vma
 * (v3.0-rc).  The seeds of CVE-2022-42703 are in test_rmap_ops' corpus
 * test.
 */
#include <string.h>

#include "../fuzz/target.h"
#include "../rmap/oracle.h"
#include "harness.h"
#include "seeds.h"
#include "use.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct scenario *sc;
static const struct rmap_ops_world *w;

#define P(i) (w->mm[i])
#define VMA(p, i) (P(p)->mmap[i])
#define FAULT(p, a) RMAP_OP(OP_FAULT, p, a)
#define FORK(p) RMAP_OP(OP_FORK, p, 0)
#define SWAPOUT(pg) RMAP_PAGE_OP(OP_SWAPOUT, pg)
#define SWAPIN(p, a) RMAP_OP(OP_SWAPIN, p, a)
#define EXIT(p) RMAP_OP(OP_EXIT, p, 0)
#define SPLIT(p) RMAP_OP(OP_SPLIT, p, 0)
#define MERGE(p, a) RMAP_OP(OP_MERGE, p, a)

/* Runs ops[] as CPU0's program (then CPU1's, from ops[4], ...) on variant
 * by the default schedule: one after the other. */
static struct sched_result run(const char *variant, const uint8_t *ops,
			       size_t nops)
{
	uint8_t input[RMAP_OPS_HEADER] = { 2 };
	struct sched_result res;

	sc = use_variant("rmap_ops", variant);
	memcpy(input + 1, ops, nops);
	target_run(sc, input, sizeof(input), &res);
	return res;
}

#define RUN(variant, ...)                                                \
	({                                                               \
		static const uint8_t ops_[] = { __VA_ARGS__ };           \
		run(variant, ops_, sizeof(ops_));                        \
	})

static int chain_len(struct vm_area_struct *vma)
{
	int n = 0;

	for (struct list_head *pos = vma->anon_vma_chain.next;
	     pos != &vma->anon_vma_chain; pos = pos->next)
		n++;
	return n;
}

static struct anon_vma *mapping_of(struct page *page)
{
	return (struct anon_vma *)((uintptr_t)page->mapping - PAGE_MAPPING_ANON);
}

/* The counts an anon_vma has: degree, or num_children and num_active_vmas,
 * as the variant keeps them. */
static bool counts(const char *variant, struct anon_vma *av,
		   unsigned long children, unsigned long vmas, int refcount)
{
	bool by_degree = strcmp(variant, "7a3ef208") == 0;

	return eq_int(av->refcount.counter, refcount) &&
	       (by_degree ? eq_int(av->degree, children + vmas)
			  : eq_int(av->num_children, children) &&
				    eq_int(av->num_active_vmas, vmas));
}

static const char *const reuse_variants[] = { "7a3ef208", "2555283e" };

/* fault, then fork: the child's vma gets an anon_vma of its own, child of
 * its parent's, which pins the root. */
static void test_fork_counts(void)
{
	for (size_t v = 0; v < ARRAY_SIZE(reuse_variants); v++) {
		const char *variant = reuse_variants[v];
		struct sched_result res = RUN(variant, FAULT(0, 0), FORK(0));
		struct anon_vma *r = VMA(0, 0)->anon_vma, *a = VMA(1, 0)->anon_vma;

		ok(verdict_is(&res, SCHED_OK) && r && a && a != r &&
		   eq_ptr(a->parent, r) && eq_ptr(a->root, r) &&
		   eq_ptr(r->parent, r) && counts(variant, r, 2, 1, 2) &&
		   counts(variant, a, 0, 1, 1) && eq_int(chain_len(VMA(1, 0)), 2),
		   "%s: fault, fork: the child's anon_vma is its parent's child; "
		   "the root counts its self link, its child and its vma, and "
		   "holds the child's pin", variant);
	}
}

/* P0 forks P1, P1 forks P2, both exit: P1's anon_vma A has no vma and one
 * child; P2 forks P0, whose vma reuses A rather than allocate. */
static void test_reuse(void)
{
	for (size_t v = 0; v < ARRAY_SIZE(reuse_variants); v++) {
		const char *variant = reuse_variants[v];
		struct sched_result res = RUN(variant, FAULT(0, 0), FORK(0),
					      FORK(1), EXIT(0), EXIT(1),
					      FORK(2));
		struct anon_vma *b = VMA(2, 0)->anon_vma;
		struct anon_vma *a = b ? b->parent : NULL;

		ok(verdict_is(&res, SCHED_OK) && a && a != b &&
		   eq_ptr(VMA(0, 0)->anon_vma, a) &&
		   eq_int(chain_len(VMA(0, 0)), 3) &&
		   counts(variant, a, 1, 1, 1) && counts(variant, b, 0, 1, 1),
		   "%s: a fork reuses the anon_vma its grandparent left, with no "
		   "vma and one child", variant);
	}
	RUN("v2.6.36", FAULT(0, 0), FORK(0), FORK(1), EXIT(0), EXIT(1),
	    FORK(2));
	ok(VMA(0, 0)->anon_vma != VMA(2, 0)->anon_vma &&
	   eq_int(chain_len(VMA(0, 0)), 4),
	   "v2.6.36: the same fork allocates, and the chain grows to 4");
}

/* mprotect merges, as vma_merge decides them from 3.19 on. */
static void test_merge(void)
{
	struct vm_area_struct *hi;
	struct sched_result res;

	res = RUN("2555283e", SPLIT(0), FAULT(0, 1), MERGE(0, 0));
	ok(verdict_is(&res, SCHED_OK) && eq_ptr(VMA(0, 1), NULL) &&
	   eq_int(VMA(0, 0)->vm_start, 0) && eq_int(VMA(0, 0)->vm_end, 2) &&
	   eq_int(VMA(0, 0)->vm_pgoff, 0) &&
	   eq_ptr(P(0)->pte[1], w->page[0]) && VMA(0, 0)->anon_vma &&
	   eq_int(chain_len(VMA(0, 0)), 1),
	   "2555283e: mprotect of the lower half (no anon_vma) like the upper "
	   "one (one chain entry): the two merge");
	hi = VMA(0, 0);
	res = RUN("2555283e", SPLIT(0), FAULT(0, 1), MERGE(0, 0));
	ok(eq_ptr(VMA(0, 0), hi),
	   "2555283e: it is the upper vma that grows down over the lower one "
	   "(e86f15ee64d8, vma_merge's case 8)");
	res = RUN("2555283e", SPLIT(0), FAULT(0, 1), MERGE(0, 1));
	ok(verdict_is(&res, SCHED_OK) && VMA(0, 1) && !VMA(0, 0)->anon_vma,
	   "2555283e: mprotect of the upper half (an anon_vma) like the lower "
	   "one (none, an empty chain): no merge (965f55dea0e3)");
	res = RUN("v2.6.36", SPLIT(0), FAULT(0, 1), MERGE(0, 1));
	ok(verdict_is(&res, SCHED_OK) && eq_ptr(VMA(0, 1), NULL) &&
	   VMA(0, 0)->anon_vma,
	   "v2.6.36: the same two merge, the lower vma importing the upper's "
	   "chain");
	res = RUN("v2.6.36", SPLIT(0), FAULT(0, 1), MERGE(0, 0));
	hi = VMA(0, 0);
	RUN("v2.6.36", SPLIT(0), FAULT(0, 1), MERGE(0, 1));
	ok(verdict_is(&res, SCHED_OK) && eq_ptr(VMA(0, 1), NULL) &&
	   eq_ptr(VMA(0, 0), hi),
	   "v2.6.36: either half mprotected, the lower vma grows");
}

/* P1 maps page1 through its own anon_vma, it is swapped out and P1 swaps
 * it in: 2.6.36 points it at the root, later kernels keep ->mapping. */
static void test_swapin_keeps_mapping(void)
{
	struct anon_vma *own;

	RUN("2555283e", FAULT(0, 0), FORK(0), FAULT(1, 1), SWAPOUT(1),
	    SWAPIN(1, 1));
	own = VMA(1, 0)->anon_vma;
	ok(eq_ptr(P(1)->pte[1], w->page[1]) && eq_ptr(mapping_of(w->page[1]), own),
	   "2555283e: a swap-in from the swap cache keeps the page's mapping "
	   "(P1's anon_vma)");
	RUN("v2.6.36", FAULT(0, 0), FORK(0), FAULT(1, 1), SWAPOUT(1),
	    SWAPIN(1, 1));
	ok(eq_ptr(P(1)->pte[1], w->page[1]) &&
	   eq_ptr(mapping_of(w->page[1]), VMA(0, 0)->anon_vma),
	   "v2.6.36: the same swap-in points it at the root (P0's anon_vma)");
}

/* ---- the count classes, on a world whose counters a CPU breaks ---------- */

static struct {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct page *page;
} cw;

static void corrupt_init(void)
{
	rmap_init();
	cw.mm = mm_create("P0");
	cw.mm->alive = MM_ALIVE;
	cw.vma = mmap_region(cw.mm, 0, 2);
	cw.page = page_create("page0");
}

/* Faults a page in, then raises the reuse counter of the vma's anon_vma
 * by one, checks, and unmaps the vma. */
static void corrupt_cpu(void)
{
	struct anon_vma *av;
	unsigned long n;

	do_anonymous_page(cw.vma, 0, cw.page);
	av = READ_ONCE(cw.vma->anon_vma);
	if (rmap_variant->chains->fork_reuse == REUSE_BY_DEGREE) {
		n = READ_ONCE(av->degree);
		WRITE_ONCE(av->degree, n + 1);
	} else {
		n = READ_ONCE(av->num_active_vmas);
		WRITE_ONCE(av->num_active_vmas, n + 1);
	}
	oracle_check_chains();
	do_munmap(cw.mm, cw.vma);
}

SCENARIO(corrupt_counts) = {
	.name = "test/corrupt-counts",
	.summary = "a fault, a reuse counter raised by one, an munmap",
	.init = corrupt_init,
	.cpu = { corrupt_cpu },
	.variants = rmap_variants,
	.set_variant = rmap_set_variant,
};

static void test_count_classes(void)
{
	for (size_t v = 0; v < ARRAY_SIZE(reuse_variants); v++) {
		const struct scenario *cs = use_variant("test/corrupt-counts",
							reuse_variants[v]);
		struct sched_result res;
		uint8_t none[1] = { 0 };

		target_run(cs, none, 0, &res);
		ok(has_report(&res, RMAP_ANON_VMA_MISCOUNT) &&
		   has_report(&res, RMAP_ANON_VMA_FREED_COUNTED),
		   "%s: a counter one too high is anon-vma-miscount, and "
		   "anon-vma-freed-counted when unlink_anon_vmas puts it",
		   reuse_variants[v]);
	}
}

/* Random programs and schedules: the count classes never, 2555283e and
 * the variants without reuse no chain class, and no variant of today's
 * locking a stale return, a lock mismatch or a use after free. */
static void test_random_inputs(void)
{
	static const char *const variants[] = { "7a3ef208", "2555283e", "folio",
						"v3.0-rc" };
	uint64_t seed = 99;

	for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
		int counted = 0, chains = 0, locks = 0, runs = 2000;
		bool clean_chains = strcmp(variants[v], "7a3ef208") != 0;
		bool today = strcmp(variants[v], "v3.0-rc") != 0;

		sc = use_variant("rmap_ops", variants[v]);
		for (int i = 0; i < runs; i++) {
			uint8_t input[RMAP_OPS_HEADER + 64];
			size_t n = RMAP_OPS_HEADER +
				   harness_rand(&seed) % (sizeof(input) -
							   RMAP_OPS_HEADER);
			struct sched_result res;

			harness_rand_fill(&seed, input, n);
			target_run(sc, input, n, &res);
			counted += has_verdict(&res, RMAP_ANON_VMA_MISCOUNT) ||
				   has_verdict(&res, RMAP_ANON_VMA_FREED_COUNTED);
			chains += has_verdict(&res, RMAP_CHAIN_MISMATCH) ||
				  has_verdict(&res, RMAP_UNREACHABLE) ||
				  has_verdict(&res, RMAP_WALK_MISSED) ||
				  has_verdict(&res, RMAP_MAPPING_DANGLES) ||
				  has_verdict(&res, RMAP_ANON_VMA_FREED_IN_USE);
			locks += has_verdict(&res, RMAP_STALE_REUSED) ||
				 has_verdict(&res, RMAP_STALE_FREED) ||
				 has_verdict(&res, RMAP_STALE_UNMAPPED) ||
				 has_verdict(&res, RMAP_STALE_NOT_CURRENT) ||
				 has_verdict(&res, SCHED_LOCK_MISMATCH) ||
				 has_verdict(&res, SCHED_USE_AFTER_FREE) ||
				 has_verdict(&res, SCHED_DEADLOCK) ||
				 has_verdict(&res, SCHED_WARN);
		}
		ok(eq_int(counted, 0) && (!clean_chains || eq_int(chains, 0)) &&
		   (!today || !clean_chains || eq_int(locks, 0)),
		   "%s: %d random programs and schedules, no count class%s%s",
		   variants[v], runs, clean_chains ? ", no chain class" : "",
		   today && clean_chains ? ", no stale return, lock mismatch, "
		   "use after free, deadlock or warning" : "");
	}
}

/* ---- today's folio_lock_anon_vma_read ------------------------------------ */

enum { TRYLOCK, PINNED, RETRY, LAST_REF, NPATHS };
static const char *const path_names[NPATHS] = {
	"trylock taken", "fallback through the refcount",
	"retry on a changed ->mapping", "the walker's put was the last",
};

static bool in(const struct sched_event *e, const char *func)
{
	return e->site && strcmp(e->site->func, func) == 0;
}

/* Which paths of folio_lock_anon_vma_read the last execution took. */
static void paths_taken(int *seen)
{
	int loads[SCHED_MAX_CPUS] = { 0 }, calls[SCHED_MAX_CPUS] = { 0 };

	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);
		bool rmw = e->op == SCHED_OP_RMW && strstr(e->what, "refcount");

		if (e->cpu < 0)
			continue;
		if (in(e, "folio_lock_anon_vma_read") && e->op == SCHED_OP_LOCK)
			seen[TRYLOCK]++;
		if (in(e, "folio_lock_anon_vma_read") && rmw &&
		    e->value == e->aux + 1)
			seen[PINNED]++;
		if (in(e, "folio_lock_anon_vma_read") && rmw && e->value == 0)
			seen[LAST_REF]++;
		loads[e->cpu] += in(e, "load_mapping");
		calls[e->cpu] += e->op == SCHED_OP_CALL &&
				 strcmp(e->what, "returns") == 0;
	}
	for (int c = 0; c < SCHED_MAX_CPUS; c++)
		seen[RETRY] += loads[c] > calls[c];
}

/* The steps CPU cpu took in the last execution, up to and including its
 * first event in func of kind op. */
static unsigned steps_until(int cpu, const char *func, enum sched_op op)
{
	uint32_t last = 0;
	unsigned n = 0;

	for (size_t i = 0; i < sched_trace_len(); i++) {
		const struct sched_event *e = sched_trace_event(i);

		if (e->cpu != cpu)
			continue;
		if (e->step != last)
			n++;
		last = e->step;
		if (e->op == op && in(e, func))
			return n;
	}
	return 0;
}

/*
 * P0's halves: the lower maps page0 through R; the upper faults and, in
 * anon_vma_prepare, takes R's lock (the lower half's anon_vma is
 * mergeable) when swapout(page0) walks: the trylock fails, the walker
 * pins R and sleeps; P0 exits, R's list empties and its own reference
 * goes; the walker wakes, and its put is the last.
 */
static void test_folio_last_ref(void)
{
	static const uint8_t prog[RMAP_OPS_HEADER] = {
		1, SPLIT(0), FAULT(0, 0), 0, 0, FAULT(0, 1), EXIT(0), 0, 0,
		RMAP_PAGE_OP(OP_SWAPOUT, 0) };
	struct sched_script_run runs[] = {
		{ 0, 0 }, { 1, 0 }, { 2, 0 }, { 1, 0 }, { 2, 0 } };
	struct sched_script_source src;
	struct sched_result res;
	int seen[NPATHS] = { 0 };

	sc = use_variant("rmap_ops", "folio");
	sched_script_source_init(&src, runs, 3);
	target_exec_source(sc, prog, &src.base, &res);
	runs[1].count = steps_until(1, "anon_vma_lock", SCHED_OP_LOCK);
	sched_script_source_init(&src, runs, ARRAY_SIZE(runs));
	target_exec_source(sc, prog, &src.base, &res);
	paths_taken(seen);
	ok(cmp_int(runs[1].count, >, 0) && !src.failed &&
	   verdict_is(&res, SCHED_OK) && eq_int(seen[TRYLOCK], 0) &&
	   eq_int(seen[PINNED], 1) && eq_int(seen[LAST_REF], 1) &&
	   eq_ptr(P(0)->mmap[0], NULL),
	   "folio: a walker pinned while the root is locked for writing, "
	   "woken after the anon_vma lost its vmas, frees it: %s, %s",
	   path_names[PINNED], path_names[LAST_REF]);
}

/* Random schedules: the trylock and the retry; on rmap_ops no execution
 * breaks what the function promises, nor anything else.  Not counted on
 * lock_anon_vma: its P3 maps the page again through another anon_vma
 * with 2.6.36's writer (the _mapcount increment, then the ->mapping
 * store), whose window dfs shows stale returns in (docs/modern.md). */
static void test_folio_paths(void)
{
	static const char *const scenarios[] = { "lock_anon_vma", "rmap_ops" };
	int seen[NPATHS] = { 0 }, bad = 0, runs = 0;
	uint64_t seed = 5;

	for (size_t s = 0; s < ARRAY_SIZE(scenarios); s++) {
		sc = use_variant(scenarios[s], "folio");
		for (int i = 0; i < 2000; i++, runs++) {
			uint8_t input[RMAP_OPS_HEADER + 200];
			size_t n = harness_rand(&seed) % sizeof(input);
			struct sched_result res;

			harness_rand_fill(&seed, input, n);
			target_run(sc, input, n, &res);
			paths_taken(seen);
			bad += s == 1 && res.nreports > 0;
		}
	}
	ok(cmp_int(seen[TRYLOCK], >, 0) && cmp_int(seen[RETRY], >, 0),
	   "folio: %s (%d) and %s (%d), in %d random runs of lock_anon_vma "
	   "and rmap_ops", path_names[TRYLOCK], seen[TRYLOCK],
	   path_names[RETRY], seen[RETRY], runs);
	ok_eq_int(bad, 0, "folio: no violation of any class in those runs of "
		  "rmap_ops");
}

/*
 * The program of the v2.6.36-rc1 seed (P0's anon_vma freed under a walker
 * and handed to P1's fork, which re-points its root), by the same script:
 * 3.0-rc's trylock took the old root's lock and its refcount test passed,
 * so the unlock goes through the new root (eee0f252c653's hang); today's
 * function is clean on it and on random schedules of the program.
 */
static void test_v3_0_rc(void)
{
	const struct rmap_ops_seed *s = &rmap_ops_seeds[4];
	static struct sched_random_source rnd;
	struct sched_script_source src;
	struct sched_result res;
	unsigned long schedules = 0;
	int bad = 0;

	ok(eq_str(s->file, "v2.6.36-rc1-root-repointed"), "the seed is %s",
	   s->file);
	sc = use_variant("rmap_ops", "v3.0-rc");
	sched_script_source_init(&src, s->runs, s->nruns);
	target_exec_source(sc, s->prog, &src.base, &res);
	ok(has_report(&res, SCHED_LOCK_MISMATCH) &&
	   has_report(&res, RMAP_STALE_REUSED),
	   "v3.0-rc: the walker returns the reused anon_vma and unlocks "
	   "another root (lock-mismatch)");
	sc = use_variant("rmap_ops", "folio");
	sched_script_source_init(&src, s->runs, s->nruns);
	target_exec_source(sc, s->prog, &src.base, &res);
	bad += res.nreports > 0;
	sched_random_source_init(&rnd, 3);
	for (schedules = 0; schedules < 3000; schedules++) {
		target_exec_source(sc, s->prog, &rnd.base, &res);
		bad += res.nreports > 0;
	}
	ok(eq_int(bad, 0),
	   "folio: the same program by the same script and %lu random "
	   "schedules: no violation", schedules);
}

/* ---- the shape features -------------------------------------------------- */

static int model_counters(const char *variant, const uint8_t *input,
			  size_t n, uint8_t *copy)
{
	struct sched_result res;
	int set = 0;

	sc = use_variant("rmap_ops", variant);
	memset(sched_cov_model_counters, 0, sizeof(sched_cov_model_counters));
	target_run(sc, input, n, &res);
	for (size_t i = 0; i < sizeof(sched_cov_model_counters); i++)
		set += sched_cov_model_counters[i] != 0;
	if (copy)
		memcpy(copy, sched_cov_model_counters,
		       sizeof(sched_cov_model_counters));
	return set;
}

static void test_shape_features(void)
{
	static uint8_t first[SCHED_COV_MODEL_SIZE];
	const uint8_t *prog = rmap_ops_seeds[6].prog;
	int a, b, old;

	sched_cov_parse("model");
	a = model_counters("7a3ef208", prog, RMAP_OPS_HEADER, first);
	b = model_counters("7a3ef208", prog, RMAP_OPS_HEADER, NULL);
	ok(cmp_int(a, >, 10) && eq_int(a, b) &&
	   eq_bytes(sched_cov_model_counters, sizeof(first), first,
		    sizeof(first)),
	   "model features: %s on 7a3ef208 sets %d, the same in a rerun",
	   rmap_ops_seeds[6].file, a);
	old = model_counters("v2.6.36", prog, RMAP_OPS_HEADER, NULL);
	sched_cov_parse("lock,alloc");
	b = model_counters("7a3ef208", prog, RMAP_OPS_HEADER, NULL);
	ok(eq_int(old, 0) && eq_int(b, 0),
	   "model features: none on v2.6.36 (no reuse), none without model");
}

int main(void)
{
	sc = use_variant("rmap_ops", "2555283e");
	w = rmap_ops_world();
	test_fork_counts();
	test_reuse();
	test_merge();
	test_swapin_keeps_mapping();
	test_count_classes();
	test_random_inputs();
	test_folio_last_ref();
	test_folio_paths();
	test_v3_0_rc();
	test_shape_features();
	return harness_exit();
}
