/*
 * race_table - the data races of the 2010 rmap model built as plain C
 * (out/plainc/bench/race_table): for each scenario and each variant, RUNS
 * random and RUNS PCT schedules (rmap_ops: with random programs too),
 * and every distinct pair of racing accesses they report, by the field
 * they share and the two accesses' sites.  Prints one markdown table per
 * scenario; bench/race_table.sh puts them in docs/generated/races.md.
 *
 *   race_table RUNS SCENARIO...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/target.h"
#include "../rmap/rmap.h"

#define MAX_ROWS 256
#define MAX_VARIANTS 64

struct row {
	char field[48], one[128], other[128];
	uint64_t variants;	/* a bit per variant that showed it */
	unsigned long runs;	/* executions that showed it */
};

static struct row rows[MAX_ROWS];
static int nrows;

/* ---- naming ---------------------------------------------------------------- */

struct field {
	const char *type, *name;
	size_t off, size;
};

#define F(type, member)                                                   \
	{ #type, #member, offsetof(struct type, member),                  \
	  sizeof(((struct type *)0)->member) }

static const struct field fields[] = {
	F(page, lock), F(page, _mapcount), F(page, mapping), F(page, index),
	F(anon_vma, lock), F(anon_vma, rwsem), F(anon_vma, root),
	F(anon_vma, refcount), F(anon_vma, parent), F(anon_vma, degree),
	F(anon_vma, num_children), F(anon_vma, num_active_vmas),
	F(anon_vma, head),
	F(anon_vma_chain, vma), F(anon_vma_chain, anon_vma),
	F(anon_vma_chain, same_vma), F(anon_vma_chain, same_anon_vma),
	F(vm_area_struct, vm_mm), F(vm_area_struct, vm_start),
	F(vm_area_struct, vm_end), F(vm_area_struct, vm_pgoff),
	F(vm_area_struct, anon_vma), F(vm_area_struct, anon_vma_chain),
	F(mm_struct, mmap_sem), F(mm_struct, alive), F(mm_struct, mmap),
	F(mm_struct, page_table_lock), F(mm_struct, pte),
};

/* The struct an object of the rmap world is, from its name. */
static const char *type_of(const char *name)
{
	if (!strcmp(name, "anon_vma") || !strcmp(name, "anon_vma_chain") ||
	    !strcmp(name, "vm_area_struct"))
		return name;
	if (!strncmp(name, "vma", 3))
		return "vm_area_struct";
	if (!strncmp(name, "page", 4) && !strstr(name, "unmapped"))
		return "page";
	if ((name[0] == 'P' || name[0] == 'N') && name[1] >= '0' &&
	    name[1] <= '9')
		return "mm_struct";
	return NULL;
}

/* "page->mapping", "mm_struct->pte[]", "anon_vma->head.next". */
static void field_name(char *buf, size_t len, int obj, uint32_t off)
{
	char name[64] = "?";
	const char *type;

	if (obj >= 0)
		sched_format_obj(name, sizeof(name), obj);
	name[strcspn(name, "#")] = 0;	/* a slab object's slot */
	type = type_of(name);

	for (size_t i = 0; type && i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *f = &fields[i];

		if (strcmp(f->type, type) || off < f->off ||
		    off >= f->off + f->size)
			continue;
		if (!strcmp(f->name, "mmap") || !strcmp(f->name, "pte"))
			snprintf(buf, len, "%s->%s[]", type, f->name);
		else if (strstr(f->name, "head") || strstr(f->name, "same_") ||
			 !strcmp(f->name, "anon_vma_chain"))
			snprintf(buf, len, "%s->%s.%s", type, f->name,
				 off - f->off < sizeof(void *) ? "next" : "prev");
		else
			snprintf(buf, len, "%s->%s", type, f->name);
		return;
	}
	snprintf(buf, len, "%s+%u", name, off);
}

static void access_name(char *buf, size_t len,
			const struct sched_race_access *a)
{
	const char *file = strrchr(a->site->file, '/');

	snprintf(buf, len, "%s %s in %s() (%s:%d)",
		 a->plain ? "plain" : "marked",
		 a->atomic ? "atomic" : a->write ? "write" : "read",
		 a->site->func, file ? file + 1 : a->site->file, a->site->line);
}

/* ---- gathering -------------------------------------------------------------- */

static void add(const struct sched_race *r, int variant)
{
	char field[48], a[128], b[128];
	const char *one, *other;

	field_name(field, sizeof(field), r->obj, r->field);
	access_name(a, sizeof(a), &r->first);
	access_name(b, sizeof(b), &r->second);
	one = strcmp(a, b) <= 0 ? a : b;
	other = one == a ? b : a;
	for (int i = 0; i < nrows; i++)
		if (!strcmp(rows[i].field, field) && !strcmp(rows[i].one, one) &&
		    !strcmp(rows[i].other, other)) {
			rows[i].variants |= 1ull << variant;
			rows[i].runs++;
			return;
		}
	if (nrows == MAX_ROWS) {
		fprintf(stderr, "race_table: more than %d races\n", MAX_ROWS);
		exit(2);
	}
	snprintf(rows[nrows].field, sizeof(rows[nrows].field), "%s", field);
	snprintf(rows[nrows].one, sizeof(rows[nrows].one), "%s", one);
	snprintf(rows[nrows].other, sizeof(rows[nrows].other), "%s", other);
	rows[nrows].variants = 1ull << variant;
	rows[nrows].runs = 1;
	nrows++;
}

static const struct scenario *configure(const char *name,
					const char *variant)
{
	struct target_settings s = { 0 };
	const struct scenario *sc;

	target_settings_option(&s, "race_table", "--scenario", name);
	target_settings_option(&s, "race_table", "--variant", variant);
	if (target_configure(&s, NULL, false, &sc)) {
		fprintf(stderr, "race_table: %s\n", target_error());
		exit(2);
	}
	return sc;
}

static void run_variant(const char *name, const struct sched_variant *v,
			int variant, unsigned long runs)
{
	const struct scenario *sc = configure(name, v->name);
	struct sched_random_source rnd;
	struct sched_pct_source pct;
	struct sched_result res;
	uint64_t seed = 1;
	uint8_t programs[256] = { 0 };

	sched_random_source_init(&rnd, 1);
	sched_pct_source_init(&pct, 1, 3);
	for (unsigned long n = 0; n < 2 * runs; n++) {
		for (size_t i = 0; i < sc->header_size && i < sizeof(programs); i++)
			programs[i] = (uint8_t)sched_rand64(&seed);
		target_exec_source(sc, programs,
				   n < runs ? &rnd.base : &pct.base, &res);
		for (size_t i = 0; i < sched_race_count(); i++)
			add(sched_race_at(i), variant);
	}
}

/* "all", "all but X, Y" (two or fewer missing), or the variants of mask
 * by name. */
static void print_variants(const struct scenario *sc, uint64_t mask,
			   int nvariants)
{
	uint64_t all = nvariants == 64 ? ~0ull : (1ull << nvariants) - 1;
	bool but = __builtin_popcountll(all & ~mask) <= 2, first = true;

	printf(mask == all ? "all" : but ? "all but " : "");
	for (int v = 0; v < nvariants && mask != all; v++)
		if ((mask >> v & 1) != but) {
			printf("%s%s", first ? "" : ", ", sc->variants[v].name);
			first = false;
		}
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->field, y->field);

	return c ? c : strcmp(x->one, y->one) ? strcmp(x->one, y->one)
					      : strcmp(x->other, y->other);
}

static void table(const char *name, unsigned long runs)
{
	const struct scenario *sc = scenario_find(name);
	int nvariants = 0;

	if (!sc) {
		fprintf(stderr, "race_table: no scenario %s\n", name);
		exit(2);
	}
	nrows = 0;
	for (const struct sched_variant *v = sc->variants; v && v->name; v++) {
		if (nvariants == MAX_VARIANTS)
			break;
		run_variant(name, v, nvariants++, runs);
	}
	qsort(rows, (size_t)nrows, sizeof(rows[0]), row_cmp);
	printf("### %s\n\n%lu random and %lu PCT (depth 3) schedules per "
	       "variant%s, memory sc; each data race once, by the field and "
	       "its two accesses.\n\n", name, runs, runs,
	       sc->header_size ? ", each with random programs" : "");
	printf("| field | one access | the other | variants | executions |\n"
	       "|---|---|---|---|---:|\n");
	for (int i = 0; i < nrows; i++) {
		printf("| `%s` | %s | %s | ", rows[i].field, rows[i].one,
		       rows[i].other);
		print_variants(sc, rows[i].variants, nvariants);
		printf(" | %lu |\n", rows[i].runs);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	char *end;
	unsigned long runs;

	if (argc < 3 || !(runs = strtoul(argv[1], &end, 10)) || *end) {
		fprintf(stderr, "usage: race_table RUNS SCENARIO...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++)
		table(argv[i], runs);
	return 0;
}
