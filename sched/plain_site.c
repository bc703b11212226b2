/*
 * plain_site.c - the source site of a plain access the compiler
 * instrumented: the callback's return address, looked up in the program's
 * own DWARF line table (.debug_line) and symbol table (.symtab).
 *
 * A shim knows its site (SCHED_SITE()); clang's load and store callbacks
 * get only the address accessed.  The file, line and function come from
 * the program file itself, read once, the first time a plain access to
 * shared memory needs its site, so that a site id is its file, line and
 * function as for the shims, the same in every build and process.  The
 * plain-C files are compiled at -O0 (Makefile): nothing is inlined, so
 * the function a line is in is the one the symbol table names.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"

struct row {
	uint64_t addr;
	const char *file;	/* NULL: the end of a sequence */
	int line;
};

struct func {
	uint64_t addr, size;
	const char *name;
};

static struct {
	bool loaded;
	const uint8_t *elf;
	size_t elf_size;
	uintptr_t bias;			/* run-time address - link address */
	struct row *rows;
	size_t nrows, cap;
	struct func *funcs;
	size_t nfuncs;
	struct pool *paths;		/* "dir/name" strings the rows use */
} tab;

/* Paths joined from a directory and a name, kept for the process. */
struct pool {
	struct pool *next;
	size_t used;
	char buf[8192 - 2 * sizeof(void *)];
};

/* ---- reading bytes ---------------------------------------------------- */

struct cursor {
	const uint8_t *p, *end;
};

static uint64_t take(struct cursor *c, size_t n)
{
	uint64_t v = 0;

	if ((size_t)(c->end - c->p) < n) {
		c->p = c->end;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)c->p[i] << (8 * i);	/* little-endian */
	c->p += n;
	return v;
}

static uint64_t uleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (c->p < c->end) {
		uint8_t b = *c->p++;

		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	return v;
}

static int64_t sleb(struct cursor *c)
{
	int64_t v = 0;
	unsigned shift = 0;
	uint8_t b = 0;

	while (c->p < c->end) {
		b = *c->p++;
		if (shift < 64)
			v |= (int64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	if (shift < 64 && (b & 0x40))
		v |= -((int64_t)1 << shift);
	return v;
}

static const char *cstr(struct cursor *c)
{
	const char *s = (const char *)c->p;
	const uint8_t *nul = memchr(c->p, 0, (size_t)(c->end - c->p));

	if (!nul) {
		c->p = c->end;
		return "";
	}
	c->p = nul + 1;
	return s;
}

/* ---- the program file ------------------------------------------------- */

static const Elf64_Shdr *section(const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)tab.elf;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(tab.elf + eh->e_shoff);
	const char *names;

	if (eh->e_shstrndx >= eh->e_shnum)
		return NULL;
	names = (const char *)tab.elf + sh[eh->e_shstrndx].sh_offset;
	for (unsigned i = 0; i < eh->e_shnum; i++)
		if (strcmp(names + sh[i].sh_name, name) == 0 &&
		    sh[i].sh_type != SHT_NOBITS &&
		    sh[i].sh_offset + sh[i].sh_size <= tab.elf_size)
			return &sh[i];
	return NULL;
}

static const uint8_t *section_data(const char *name, size_t *size)
{
	const Elf64_Shdr *s = section(name);

	*size = s ? s->sh_size : 0;
	return s ? tab.elf + s->sh_offset : NULL;
}

/* The file mapped, and the bias of the running program: where its ELF
 * header is now, less the link address of the segment that holds it. */
static bool map_program(void)
{
	extern const char __ehdr_start[];
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	struct stat st;
	int fd = open("/proc/self/exe", O_RDONLY);
	void *m;

	if (fd < 0)
		return false;
	if (fstat(fd, &st) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		close(fd);
		return false;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return false;
	tab.elf = m;
	tab.elf_size = (size_t)st.st_size;
	eh = m;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > tab.elf_size ||
	    eh->e_phoff + (size_t)eh->e_phnum * sizeof(Elf64_Phdr) > tab.elf_size)
		return false;
	ph = (const Elf64_Phdr *)(tab.elf + eh->e_phoff);
	for (unsigned i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) {
			tab.bias = (uintptr_t)__ehdr_start - ph[i].p_vaddr;
			return true;
		}
	return false;
}

/* ---- the line table ----------------------------------------------------- */

static void add_row(uint64_t addr, const char *file, int line)
{
	if (tab.nrows == tab.cap) {
		tab.cap = tab.cap ? 2 * tab.cap : 4096;
		tab.rows = realloc(tab.rows, tab.cap * sizeof(*tab.rows));
		if (!tab.rows)
			sched_fatal("out of memory reading the line table");
	}
	tab.rows[tab.nrows++] = (struct row){ addr, file, line };
}

struct unit {
	int version;
	bool dwarf64;
	uint8_t addr_size, min_inst, opcode_base;
	int8_t line_base;
	uint8_t line_range;
	const uint8_t *std_lengths;
	const char *dirs[256];
	unsigned ndirs;
	const char **files;	/* "dir/name", or name when it has a dir */
	unsigned nfiles;
	const uint8_t *str, *line_str;
	size_t str_size, line_str_size;
};

/* A string of a v5 entry, by form. */
static const char *form_string(struct cursor *c, const struct unit *u,
			       uint64_t form)
{
	uint64_t off;

	switch (form) {
	case 0x08:		/* DW_FORM_string */
		return cstr(c);
	case 0x0e:		/* DW_FORM_strp */
	case 0x1f:		/* DW_FORM_line_strp */
		off = take(c, u->dwarf64 ? 8 : 4);
		if (form == 0x0e)
			return off < u->str_size ? (const char *)u->str + off : "";
		return off < u->line_str_size ? (const char *)u->line_str + off
					      : "";
	default:
		return NULL;
	}
}

/* Skips a v5 entry's value of a form that is not a string; false for a
 * form this reader does not know. */
static bool form_skip(struct cursor *c, uint64_t form, uint64_t *value)
{
	switch (form) {
	case 0x0b: *value = take(c, 1); return true;	/* data1 */
	case 0x05: *value = take(c, 2); return true;	/* data2 */
	case 0x06: *value = take(c, 4); return true;	/* data4 */
	case 0x07: *value = take(c, 8); return true;	/* data8 */
	case 0x0f: *value = uleb(c); return true;	/* udata */
	case 0x1e: take(c, 8); take(c, 8); return true;	/* data16 */
	case 0x09: {					/* block */
		uint64_t n = uleb(c);

		c->p = n < (uint64_t)(c->end - c->p) ? c->p + n : c->end;
		return true;
	}
	default:
		return false;
	}
}

static const char *join_path(const char *dir, const char *name)
{
	size_t n;
	char *s;

	if (!dir || !*dir || name[0] == '/' || strchr(name, '/'))
		return name;
	n = strlen(dir) + strlen(name) + 2;
	if (n > sizeof(tab.paths->buf))
		return name;
	if (!tab.paths || tab.paths->used + n > sizeof(tab.paths->buf)) {
		struct pool *p = calloc(1, sizeof(*p));

		if (!p)
			sched_fatal("out of memory reading the line table");
		p->next = tab.paths;
		tab.paths = p;
	}
	s = tab.paths->buf + tab.paths->used;
	tab.paths->used += n;
	snprintf(s, n, "%s/%s", dir, name);
	return s;
}

/* DWARF 5's directory or file table: entry formats, then the entries.
 * Returns false on a form it does not know (the unit is skipped). */
static bool read_v5_table(struct cursor *c, struct unit *u, bool files)
{
	uint8_t nformats = (uint8_t)take(c, 1);
	uint64_t type[16], form[16], n;

	if (nformats > 16)
		return false;
	for (unsigned i = 0; i < nformats; i++) {
		type[i] = uleb(c);
		form[i] = uleb(c);
	}
	n = uleb(c);
	if (files) {
		u->files = calloc(n ? n : 1, sizeof(*u->files));
		if (!u->files)
			sched_fatal("out of memory reading the line table");
	}
	for (uint64_t e = 0; e < n; e++) {
		const char *path = "";
		uint64_t dir = 0, v = 0;

		for (unsigned i = 0; i < nformats; i++) {
			const char *s = form_string(c, u, form[i]);

			if (!s && !form_skip(c, form[i], &v))
				return false;
			if (type[i] == 1 && s)		/* DW_LNCT_path */
				path = s;
			else if (type[i] == 2 && !s)	/* directory_index */
				dir = v;
		}
		if (!files) {
			if (u->ndirs < 256)
				u->dirs[u->ndirs++] = path;
		} else {
			u->files[u->nfiles++] = join_path(
				dir && dir < u->ndirs ? u->dirs[dir] : NULL, path);
		}
	}
	return true;
}

/* DWARF 2 to 4: the include directories, then the file names. */
static bool read_v4_tables(struct cursor *c, struct unit *u)
{
	const uint8_t *start;
	unsigned n = 0;

	u->dirs[u->ndirs++] = NULL;	/* index 0: the compilation's */
	while (c->p < c->end && *c->p) {
		const char *d = cstr(c);

		if (u->ndirs < 256)
			u->dirs[u->ndirs++] = d;
	}
	take(c, 1);
	start = c->p;
	while (c->p < c->end && *c->p) {
		cstr(c);
		for (int i = 0; i < 3; i++)	/* dir, mtime, length */
			uleb(c);
		n++;
	}
	c->p = start;
	u->files = calloc(n + 1, sizeof(*u->files));
	if (!u->files)
		sched_fatal("out of memory reading the line table");
	u->files[u->nfiles++] = "?";	/* file numbers start at 1 */
	while (c->p < c->end && *c->p) {
		const char *name = cstr(c);
		uint64_t dir = uleb(c);

		uleb(c);		/* mtime */
		uleb(c);		/* length */
		u->files[u->nfiles++] = join_path(
			dir && dir < u->ndirs ? u->dirs[dir] : NULL, name);
	}
	take(c, 1);
	return true;
}

/* Runs the line number program of one unit, adding its rows. */
static void run_program(struct cursor *c, const struct unit *u)
{
	uint64_t addr = 0;
	uint64_t file = 1;
	int64_t line = 1;

	while (c->p < c->end) {
		uint8_t op = (uint8_t)take(c, 1);

		if (op >= u->opcode_base) {	/* special */
			unsigned adj = op - u->opcode_base;

			addr += (adj / u->line_range) * u->min_inst;
			line += u->line_base + (int)(adj % u->line_range);
			add_row(addr, file < u->nfiles ? u->files[file] : "?",
				(int)line);
			continue;
		}
		switch (op) {
		case 0: {			/* extended */
			uint64_t len = uleb(c);
			const uint8_t *next = len <= (uint64_t)(c->end - c->p)
					      ? c->p + len : c->end;
			uint8_t sub = len ? (uint8_t)take(c, 1) : 0;

			if (sub == 1) {		/* end_sequence */
				add_row(addr, NULL, 0);
				addr = 0, file = 1, line = 1;
			} else if (sub == 2) {	/* set_address */
				addr = take(c, u->addr_size);
			}
			c->p = next;
			break;
		}
		case 1:				/* copy */
			add_row(addr, file < u->nfiles ? u->files[file] : "?",
				(int)line);
			break;
		case 2: addr += uleb(c) * u->min_inst; break;
		case 3: line += sleb(c); break;
		case 4: file = uleb(c); break;
		case 8:				/* const_add_pc */
			addr += ((255u - u->opcode_base) / u->line_range) *
				u->min_inst;
			break;
		case 9: addr += take(c, 2); break;
		default:			/* skip its operands */
			for (unsigned i = 0; i < u->std_lengths[op - 1]; i++)
				uleb(c);
			break;
		}
	}
}

/* One unit of .debug_line at c; c ends past it. */
static void read_unit(struct cursor *c, struct unit *u)
{
	uint64_t len = take(c, 4), hlen;
	struct cursor unit, prog;

	u->dwarf64 = len == 0xffffffffu;
	if (u->dwarf64)
		len = take(c, 8);
	unit.p = c->p;
	unit.end = len <= (uint64_t)(c->end - c->p) ? c->p + len : c->end;
	c->p = unit.end;
	u->version = (int)take(&unit, 2);
	if (u->version < 2 || u->version > 5)
		return;
	u->addr_size = 8;
	if (u->version == 5) {
		u->addr_size = (uint8_t)take(&unit, 1);
		take(&unit, 1);		/* segment selector size */
	}
	hlen = take(&unit, u->dwarf64 ? 8 : 4);
	prog.p = hlen <= (uint64_t)(unit.end - unit.p) ? unit.p + hlen : unit.end;
	prog.end = unit.end;
	u->min_inst = (uint8_t)take(&unit, 1);
	if (u->version >= 4)
		take(&unit, 1);		/* max ops per instruction */
	take(&unit, 1);			/* default_is_stmt */
	u->line_base = (int8_t)take(&unit, 1);
	u->line_range = (uint8_t)take(&unit, 1);
	u->opcode_base = (uint8_t)take(&unit, 1);
	if (!u->line_range || !u->opcode_base ||
	    (size_t)(unit.end - unit.p) < u->opcode_base - 1u)
		return;
	u->std_lengths = unit.p;
	unit.p += u->opcode_base - 1;
	if (u->version == 5 ? !read_v5_table(&unit, u, false) ||
			      !read_v5_table(&unit, u, true)
			    : !read_v4_tables(&unit, u))
		return;
	run_program(&prog, u);
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* a sequence's end before the next one's start at the same address */
	return (x->file != NULL) - (y->file != NULL);
}

static void read_lines(void)
{
	struct cursor c;
	size_t size;
	const uint8_t *data = section_data(".debug_line", &size);
	struct unit u;

	if (!data)
		return;
	c.p = data;
	c.end = data + size;
	while (c.p < c.end) {
		memset(&u, 0, sizeof(u));
		u.str = section_data(".debug_str", &u.str_size);
		u.line_str = section_data(".debug_line_str", &u.line_str_size);
		read_unit(&c, &u);
		free(u.files);	/* the rows point at the names, not at it */
	}
	qsort(tab.rows, tab.nrows, sizeof(*tab.rows), row_cmp);
}

/* ---- the symbol table -------------------------------------------------- */

static int func_cmp(const void *a, const void *b)
{
	const struct func *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void read_funcs(void)
{
	const Elf64_Shdr *s = section(".symtab");
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)tab.elf;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(tab.elf + eh->e_shoff);
	const Elf64_Sym *sym;
	const char *names;
	size_t n;

	if (!s || s->sh_link >= eh->e_shnum)
		return;
	sym = (const Elf64_Sym *)(tab.elf + s->sh_offset);
	n = s->sh_size / sizeof(*sym);
	names = (const char *)tab.elf + sh[s->sh_link].sh_offset;
	tab.funcs = calloc(n ? n : 1, sizeof(*tab.funcs));
	if (!tab.funcs)
		sched_fatal("out of memory reading the symbol table");
	for (size_t i = 0; i < n; i++)
		if (ELF64_ST_TYPE(sym[i].st_info) == STT_FUNC && sym[i].st_value)
			tab.funcs[tab.nfuncs++] = (struct func){
				sym[i].st_value, sym[i].st_size,
				names + sym[i].st_name };
	qsort(tab.funcs, tab.nfuncs, sizeof(*tab.funcs), func_cmp);
}

static void load(void)
{
	tab.loaded = true;
	if (!map_program())
		return;
	read_lines();
	read_funcs();
}

/* ---- lookups ------------------------------------------------------------- */

static const struct row *row_at(uint64_t addr)
{
	size_t lo = 0, hi = tab.nrows;

	while (lo < hi) {		/* the first row past addr */
		size_t mid = (lo + hi) / 2;

		if (tab.rows[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && tab.rows[lo - 1].file ? &tab.rows[lo - 1] : NULL;
}

static const char *func_at(uint64_t addr)
{
	size_t lo = 0, hi = tab.nfuncs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (tab.funcs[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && addr < tab.funcs[lo - 1].addr + tab.funcs[lo - 1].size)
		return tab.funcs[lo - 1].name;
	return "?";
}

/* The site of a plain access whose callback returns to ret: the call is
 * the instruction before it.  Sites live as long as the process, one per
 * call of a callback, found by address in a hash table. */
#define SITE_HASH 4096

struct site_entry {
	uintptr_t ret;
	struct sched_site site;
	struct site_entry *next;
};

static struct site_entry *site_hash[SITE_HASH];

struct sched_site *sched_plain_site(uintptr_t ret)
{
	uint32_t h = (uint32_t)((ret * 0x9e3779b97f4a7c15ull) >> 52) % SITE_HASH;
	struct site_entry *e;
	const struct row *r;
	uint64_t at;

	for (e = site_hash[h]; e; e = e->next)
		if (e->ret == ret)
			return &e->site;
	if (!tab.loaded)
		load();
	at = ret - tab.bias - 1;
	r = row_at(at);
	e = calloc(1, sizeof(*e));
	if (!e)
		sched_fatal("out of memory for a plain access's site");
	e->ret = ret;
	e->site.file = r ? r->file : "?";
	e->site.line = r ? r->line : 0;
	e->site.func = func_at(at);
	e->next = site_hash[h];
	site_hash[h] = e;
	return &e->site;
}
