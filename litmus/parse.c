/*
 * parse.c - the LKMM C-litmus format, read as herd7 reads the kernel's
 * tools/memory-model/litmus-tests: "C name", OCaml comments between the
 * parts (C comments inside them), the init block, P0..Pn in the kernel C
 * subset, then locations, filter and the exists/~exists/forall clause.
 * The first error stops the parse with one line "PATH:LINE:COL: what".
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litmus.h"

enum tok_kind { TOK_EOF, TOK_IDENT, TOK_NUM, TOK_PUNCT, TOK_STRING };

struct token {
	enum tok_kind kind;
	const char *start;
	size_t len;
	int64_t num;
	struct lit_pos pos;
};

struct parser {
	struct lit_test *t;
	const char *src;
	size_t len, pos;
	int line, col;
	int depth;		/* braces: OCaml comments only at depth 0 */
	struct token tok;	/* the current token */
	struct lit_proc *proc;	/* the process being parsed */
	uint64_t params;	/* its parameters, a bit per variable */
	bool in_cond_load;	/* VAL is a name */
	bool shown;		/* the atoms' locations show in states */
	int nest;		/* expressions and statements being parsed */
	char *err;
	size_t errlen;
	jmp_buf fail;
};

static void fail_at(struct parser *p, struct lit_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

static void fail_at(struct parser *p, struct lit_pos pos, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->errlen, "%s:%d:%d: ", p->t->path, pos.line,
			 pos.col);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	longjmp(p->fail, 1);
}

/* ---- the lexer ----------------------------------------------------------- */

static struct lit_pos here(const struct parser *p)
{
	return (struct lit_pos){ p->line, p->col };
}

static int peekc(const struct parser *p, size_t ahead)
{
	return p->pos + ahead < p->len ? (unsigned char)p->src[p->pos + ahead]
				       : -1;
}

static void advance(struct parser *p, size_t n)
{
	while (n-- && p->pos < p->len) {
		if (p->src[p->pos] == '\n') {
			p->line++;
			p->col = 1;
		} else {
			p->col++;
		}
		p->pos++;
	}
}

/* Skips blanks and comments: C comments anywhere, OCaml (* *) ones
 * (nested) outside braces, where "(*" cannot start C code. */
static void skip_space(struct parser *p)
{
	for (;;) {
		int c = peekc(p, 0);

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			advance(p, 1);
		} else if (c == '/' && peekc(p, 1) == '/') {
			while (peekc(p, 0) != -1 && peekc(p, 0) != '\n')
				advance(p, 1);
		} else if (c == '/' && peekc(p, 1) == '*') {
			struct lit_pos at = here(p);

			advance(p, 2);
			while (!(peekc(p, 0) == '*' && peekc(p, 1) == '/')) {
				if (peekc(p, 0) == -1)
					fail_at(p, at, "unterminated comment");
				advance(p, 1);
			}
			advance(p, 2);
		} else if (c == '(' && peekc(p, 1) == '*' && p->depth == 0) {
			struct lit_pos at = here(p);
			int nest = 0;

			do {
				if (peekc(p, 0) == -1)
					fail_at(p, at, "unterminated comment");
				if (peekc(p, 0) == '(' && peekc(p, 1) == '*') {
					nest++;
					advance(p, 2);
				} else if (peekc(p, 0) == '*' && peekc(p, 1) == ')') {
					nest--;
					advance(p, 2);
				} else {
					advance(p, 1);
				}
			} while (nest);
		} else {
			return;
		}
	}
}

static const char *const puncts[] = {
	"/\\", "\\/", "&&", "||", "==", "!=", "<=", ">=", "<<", ">>", "->",
	"++", "--", "+=", "-=", "*=", "/=", "|=", "&=", "^=", "<>",
};

static void next(struct parser *p)
{
	struct token *t = &p->tok;
	int c;

	skip_space(p);
	t->pos = here(p);
	t->start = p->src + p->pos;
	c = peekc(p, 0);
	if (c == -1) {
		t->kind = TOK_EOF;
		t->len = 0;
		return;
	}
	if (isalpha(c) || c == '_') {
		size_t n = 0;

		while (isalnum(peekc(p, n)) || peekc(p, n) == '_')
			n++;
		t->kind = TOK_IDENT;
		t->len = n;
		advance(p, n);
		return;
	}
	if (isdigit(c)) {
		char *end;
		unsigned long long v = strtoull(p->src + p->pos, &end, 0);
		size_t n = (size_t)(end - (p->src + p->pos));

		if (isalnum(peekc(p, n)) || peekc(p, n) == '_')
			fail_at(p, t->pos, "bad number");
		t->kind = TOK_NUM;
		t->num = (int64_t)v;
		t->len = n;
		advance(p, n);
		return;
	}
	if (c == '"') {
		size_t n = 1;

		while (peekc(p, n) != '"') {
			if (peekc(p, n) == -1 || peekc(p, n) == '\n')
				fail_at(p, t->pos, "unterminated string");
			n++;
		}
		t->kind = TOK_STRING;
		t->len = n + 1;
		advance(p, n + 1);
		return;
	}
	for (size_t i = 0; i < sizeof(puncts) / sizeof(puncts[0]); i++)
		if (!strncmp(p->src + p->pos, puncts[i], 2)) {
			t->kind = TOK_PUNCT;
			t->len = 2;
			advance(p, 2);
			return;
		}
	if (!strchr("(){}[];,=<>+-*/%&|^!~:.?", c))
		fail_at(p, t->pos, "unexpected character '%c'", c);
	t->kind = TOK_PUNCT;
	t->len = 1;
	advance(p, 1);
	if (c == '{')
		p->depth++;
	else if (c == '}' && p->depth > 0)
		p->depth--;
}

static bool is(const struct parser *p, const char *s)
{
	return (p->tok.kind == TOK_PUNCT || p->tok.kind == TOK_IDENT) &&
	       p->tok.len == strlen(s) && !strncmp(p->tok.start, s, p->tok.len);
}

static bool accept(struct parser *p, const char *s)
{
	if (!is(p, s))
		return false;
	next(p);
	return true;
}

static const char *tok_text(const struct parser *p, char *buf, size_t len)
{
	if (p->tok.kind == TOK_EOF)
		return "the end of the file";
	snprintf(buf, len, "'%.*s'", (int)(p->tok.len > 40 ? 40 : p->tok.len),
		 p->tok.start);
	return buf;
}

static void expect(struct parser *p, const char *s)
{
	char buf[64];

	if (!accept(p, s))
		fail_at(p, p->tok.pos, "expected '%s', found %s", s,
			tok_text(p, buf, sizeof(buf)));
}

static char *copy(struct parser *p, const char *s, size_t n)
{
	char *c = lit_alloc(p->t, n + 1);

	memcpy(c, s, n);
	return c;
}

static char *ident(struct parser *p, const char *what)
{
	char buf[64], *s;

	if (p->tok.kind != TOK_IDENT)
		fail_at(p, p->tok.pos, "expected %s, found %s", what,
			tok_text(p, buf, sizeof(buf)));
	s = copy(p, p->tok.start, p->tok.len);
	next(p);
	return s;
}

/* The interpreter evaluates on a CPU's stack: a bound on nesting keeps
 * it there (and the parser's own recursion short). */
#define MAX_NEST 40

static void enter(struct parser *p)
{
	if (++p->nest > MAX_NEST)
		fail_at(p, p->tok.pos, "nested more than %d deep", MAX_NEST);
}

/* ---- names --------------------------------------------------------------- */

static int var_find(const struct lit_test *t, const char *name)
{
	for (int i = 0; i < t->nvars; i++)
		if (!strcmp(t->vars[i].name, name))
			return i;
	return -1;
}

static int var_get(struct parser *p, const char *name, struct lit_pos pos)
{
	int i = var_find(p->t, name);

	if (i >= 0)
		return i;
	if (p->t->nvars == LIT_MAX_VARS)
		fail_at(p, pos, "more than %d shared variables", LIT_MAX_VARS);
	i = p->t->nvars++;
	p->t->vars[i] = (struct lit_var){ .name = copy(p, name, strlen(name)),
					  .init_addr = -1 };
	return i;
}

static int reg_find(const struct lit_proc *pr, const char *name)
{
	for (int i = 0; i < pr->nregs; i++)
		if (!strcmp(pr->regs[i], name))
			return i;
	return -1;
}

static int reg_get(struct parser *p, struct lit_proc *pr, const char *name,
		   struct lit_pos pos)
{
	int i = reg_find(pr, name);

	if (i >= 0)
		return i;
	if (pr->nregs == LIT_MAX_REGS)
		fail_at(p, pos, "more than %d registers in %s", LIT_MAX_REGS,
			pr->name);
	i = pr->nregs++;
	pr->regs[i] = copy(p, name, strlen(name));
	pr->reg_init_addr[i] = -1;
	return i;
}

/* ---- types --------------------------------------------------------------- */

static const char *const type_words[] = {
	"int", "long", "unsigned", "signed", "short", "char", "bool", "_Bool",
	"intptr_t", "uintptr_t", "u8", "u16", "u32", "u64", "s8", "s16",
	"s32", "s64", "atomic_t", "spinlock_t", "struct", "const", "volatile",
	"refcount_t", "seqcount_t",
};

static bool is_type_word(const struct parser *p)
{
	for (size_t i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++)
		if (is(p, type_words[i]))
			return true;
	return false;
}

/* Type words and stars; the kind of variable the type makes. */
static enum lit_var_kind type(struct parser *p, int *stars)
{
	enum lit_var_kind kind = LIT_VAR_INT;

	*stars = 0;
	while (is_type_word(p)) {
		if (accept(p, "struct")) {	/* its tag is a type word too */
			if (is(p, "mutex") || is(p, "rw_semaphore"))
				kind = LIT_VAR_LOCK;
			(void)ident(p, "a structure's name");
			continue;
		}
		if (is(p, "spinlock_t"))
			kind = LIT_VAR_LOCK;
		next(p);
	}
	while (accept(p, "*"))
		(*stars)++;
	return kind;
}

/* ---- the header and the init block -------------------------------------- */

static enum lit_word word_of(const char *s, size_t n)
{
	if (n == 5 && !strncmp(s, "Never", 5))
		return LIT_NEVER;
	if (n == 9 && !strncmp(s, "Sometimes", 9))
		return LIT_SOMETIMES;
	if (n == 6 && !strncmp(s, "Always", 6))
		return LIT_ALWAYS;
	if (n == 8 && !strncmp(s, "DEADLOCK", 8))
		return LIT_DEADLOCK;
	return LIT_NONE;
}

/* A departure's reason: the text up to the matching ')', comment
 * leaders (" * ") of the lines it spans taken out. */
static void reason(struct lit_expect *e, const char *s, const char *end)
{
	size_t n = 0;
	int depth = 1;

	for (; s < end && n + 1 < sizeof(e->reason); s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && !--depth)
			break;
		if (*s == '\n') {
			while (s + 1 < end && (s[1] == ' ' || s[1] == '\t' ||
					       s[1] == '*'))
				s++;
			e->reason[n++] = ' ';
			continue;
		}
		e->reason[n++] = *s;
	}
	e->reason[n] = 0;
}

/* "KEY WORD (reason)" in the text before the init block. */
static void header_line(struct parser *p, const char *key,
			struct lit_expect *e)
{
	const char *end = memchr(p->src, '{', p->len), *s = p->src;
	size_t klen = strlen(key);
	int line = 1;

	if (!end)
		end = p->src + p->len;
	for (; s < end; s++) {
		if (*s == '\n')
			line++;
		if ((size_t)(end - s) > klen && !strncmp(s, key, klen) &&
		    (s == p->src || !isalnum((unsigned char)s[-1]))) {
			const char *w = s + klen, *r;
			size_t n = 0;

			while (*w == ' ' || *w == '\t')
				w++;
			while (isalpha((unsigned char)w[n]))
				n++;
			e->word = word_of(w, n);
			e->line = line;
			r = w + n;
			while (*r == ' ' || *r == '\t')
				r++;
			if (*r == '(')
				reason(e, r + 1, end);
			if (e->word == LIT_NONE)
				fail_at(p, (struct lit_pos){ line, 1 },
					"%s must be followed by Never, "
					"Sometimes, Always or DEADLOCK", key);
			return;
		}
	}
}

/* A value in the init block or the condition: a number, or a variable
 * (its address: "y=x", "&x"). */
static void value(struct parser *p, int64_t *num, int *addr)
{
	bool neg = accept(p, "-");
	struct lit_pos at = p->tok.pos;

	*addr = -1;
	*num = 0;
	if (p->tok.kind == TOK_NUM) {
		*num = neg ? -p->tok.num : p->tok.num;
		next(p);
		return;
	}
	if (neg)
		fail_at(p, at, "expected a number after '-'");
	if (accept(p, "ATOMIC_INIT") || accept(p, "REFCOUNT_INIT")) {
		expect(p, "(");
		value(p, num, addr);
		expect(p, ")");
		return;
	}
	accept(p, "&");
	*addr = var_get(p, ident(p, "a number or a variable"), at);
}

/* "P:reg" as a location; the process must exist already or later. */
static struct lit_loc loc(struct parser *p)
{
	struct lit_pos at = p->tok.pos;

	if (p->tok.kind == TOK_NUM) {
		int64_t n = p->tok.num;

		next(p);
		expect(p, ":");
		if (n < 0 || n >= LIT_MAX_PROCS)
			fail_at(p, at, "no process P%lld", (long long)n);
		return (struct lit_loc){ (int)n,
			reg_get(p, &p->t->procs[n], ident(p, "a register"), at) };
	}
	accept(p, "*");
	return (struct lit_loc){ -1, var_get(p, ident(p, "a location"), at) };
}

static void init_block(struct parser *p)
{
	expect(p, "{");
	while (!accept(p, "}")) {
		int stars;
		enum lit_var_kind kind = type(p, &stars);
		struct lit_pos at = p->tok.pos;
		struct lit_loc l = loc(p);
		int64_t num = 0;
		int addr = -1;

		if (accept(p, "="))
			value(p, &num, &addr);
		if (l.proc >= 0) {
			p->t->procs[l.proc].reg_init[l.idx] = num;
			p->t->procs[l.proc].reg_init_addr[l.idx] = addr;
		} else {
			struct lit_var *v = &p->t->vars[l.idx];

			v->init = num;
			v->init_addr = addr;
			if (kind == LIT_VAR_LOCK)
				v->kind = kind;
			if (kind == LIT_VAR_LOCK && (num || addr >= 0))
				fail_at(p, at, "a lock has no initial value");
		}
		if (!accept(p, ";") && !is(p, "}"))
			expect(p, ";");
	}
}

/* ---- expressions --------------------------------------------------------- */

static struct lit_expr *expr(struct parser *p);
static void no_plain(struct parser *p, const struct lit_expr *e);

static struct lit_expr *node(struct parser *p, enum lit_expr_kind kind,
			     struct lit_pos pos)
{
	struct lit_expr *e = lit_alloc(p->t, sizeof(*e));

	e->kind = kind;
	e->pos = pos;
	return e;
}

static int op_code(const struct token *t)
{
	return t->len == 2 ? t->start[0] << 8 | t->start[1] : t->start[0];
}

static struct lit_expr *call(struct parser *p, const char *name,
			     struct lit_pos at)
{
	const char *why = NULL;
	const struct lit_prim *prim = lit_prim_find(name, &why);
	struct lit_expr *e = node(p, LIT_E_CALL, at);
	int want, loc_arg;
	bool deref;

	if (!prim && why)
		fail_at(p, at, "unsupported primitive '%s' (%s)", name, why);
	if (!prim)
		fail_at(p, at, "unknown primitive '%s'", name);
	e->prim = prim;
	want = lit_prim_nargs(prim);
	loc_arg = lit_prim_loc_arg(prim, &deref);
	expect(p, "(");
	while (!is(p, ")")) {
		const char *start = p->tok.start;
		struct lit_pos arg_at = p->tok.pos;
		bool cond_arg = !strncmp(name, "smp_cond_load_", 14) &&
				e->nargs == 1;

		if (e->nargs == want)
			fail_at(p, arg_at, "%s takes %d argument%s", name, want,
				want == 1 ? "" : "s");
		p->in_cond_load = cond_arg;
		e->args[e->nargs] = expr(p);
		p->in_cond_load = false;
		if (e->nargs != loc_arg) {
			no_plain(p, e->args[e->nargs]);
		} else {
			struct lit_expr *a = e->args[e->nargs];
			size_t n = (size_t)(p->tok.start - start);

			while (n && isspace((unsigned char)start[n - 1]))
				n--;
			e->what = copy(p, start, n);
			if (deref && a->kind != LIT_E_DEREF)
				fail_at(p, arg_at, "%s takes a location written "
					"*p", name);
			if (!deref && a->kind == LIT_E_DEREF)
				fail_at(p, arg_at, "%s takes a pointer, not *p",
					name);
			if (deref)
				e->args[e->nargs] = a->a;
			no_plain(p, e->args[e->nargs]);
		}
		e->nargs++;
		if (!accept(p, ","))
			break;
	}
	expect(p, ")");
	if (e->nargs != want)
		fail_at(p, at, "%s takes %d argument%s", name, want,
			want == 1 ? "" : "s");
	e->site = (struct sched_site){ p->t->path, at.line, p->proc->name, 0 };
	return e;
}

static struct lit_expr *primary(struct parser *p)
{
	struct lit_pos at = p->tok.pos;
	struct lit_expr *e;
	char buf[64], *name;
	int i;

	if (p->tok.kind == TOK_NUM) {
		e = node(p, LIT_E_NUM, at);
		e->num = p->tok.num;
		next(p);
		return e;
	}
	if (accept(p, "(")) {
		e = expr(p);
		expect(p, ")");
		return e;
	}
	if (p->tok.kind != TOK_IDENT)
		fail_at(p, at, "expected an expression, found %s",
			tok_text(p, buf, sizeof(buf)));
	name = ident(p, "a name");
	if (is(p, "("))
		return call(p, name, at);
	if (p->in_cond_load && !strcmp(name, "VAL"))
		return node(p, LIT_E_VAL, at);
	if (!strcmp(name, "NULL")) {
		e = node(p, LIT_E_NUM, at);
		return e;
	}
	i = reg_find(p->proc, name);
	if (i >= 0) {
		e = node(p, LIT_E_REG, at);
		e->idx = i;
		return e;
	}
	i = var_find(p->t, name);
	if (i < 0 && is(p, "=")) {	/* herd7 takes undeclared registers */
		e = node(p, LIT_E_REG, at);
		e->idx = reg_get(p, p->proc, name, at);
		return e;
	}
	if (i < 0)
		fail_at(p, at, "'%s' is neither a register of %s nor one of "
			"its parameters", name, p->proc->name);
	e = node(p, LIT_E_VAR, at);
	e->idx = i;
	return e;
}

static struct lit_expr *unary_nested(struct parser *p, struct lit_pos at);

/* Whether the '(' at hand opens a cast: "(void)", "(int)", "(int *)". */
static bool cast_ahead(struct parser *p)
{
	struct parser saved = *p;
	bool cast;

	if (!is(p, "("))
		return false;
	next(p);
	cast = is_type_word(p) || is(p, "void");
	memcpy(p, &saved, sizeof(saved));
	return cast;
}

static struct lit_expr *unary(struct parser *p)
{
	struct lit_pos at = p->tok.pos;
	struct lit_expr *e;

	enter(p);
	e = unary_nested(p, at);
	p->nest--;
	return e;
}

static struct lit_expr *unary_nested(struct parser *p, struct lit_pos at)
{
	struct lit_expr *e;

	if (cast_ahead(p)) {	/* a cast changes nothing here */
		int stars;

		next(p);
		if (!accept(p, "void"))
			type(p, &stars);
		while (accept(p, "*"))
			;
		expect(p, ")");
		return unary(p);
	}

	if (is(p, "++") || is(p, "--"))
		fail_at(p, at, "unsupported construct '%.*s' (write r = r + 1)",
			(int)p->tok.len, p->tok.start);
	if (is(p, "&"))
		fail_at(p, at, "unsupported construct '&' in a process (pass "
			"the variable, which is its address)");
	if (is(p, "-") || is(p, "!") || is(p, "~") || is(p, "*") ||
	    is(p, "+")) {
		int op = op_code(&p->tok);

		next(p);
		e = node(p, op == '*' ? LIT_E_DEREF : LIT_E_UNARY, at);
		e->op = op;
		e->a = unary(p);
		return e;
	}
	e = primary(p);
	if (is(p, "[") || is(p, "->") || is(p, "."))
		fail_at(p, p->tok.pos, "unsupported construct '%.*s' (arrays "
			"and structures)", (int)p->tok.len, p->tok.start);
	return e;
}

/* Binary operators by precedence, loosest first. */
static const char *const levels[][6] = {
	{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" },
	{ "<", ">", "<=", ">=" }, { "<<", ">>" }, { "+", "-" },
	{ "*", "/", "%" },
};
#define NLEVELS (sizeof(levels) / sizeof(levels[0]))

static struct lit_expr *binary(struct parser *p, size_t level)
{
	struct lit_expr *e;

	if (level == NLEVELS)
		return unary(p);
	e = binary(p, level + 1);
	for (;;) {
		size_t i;

		for (i = 0; i < 6 && levels[level][i]; i++)
			if (is(p, levels[level][i]))
				break;
		if (i == 6 || !levels[level][i])
			return e;
		struct lit_expr *b = node(p, LIT_E_BINARY, p->tok.pos);

		b->op = op_code(&p->tok);
		next(p);
		b->a = e;
		b->b = binary(p, level + 1);
		e = b;
	}
}

static void no_plain(struct parser *p, const struct lit_expr *e)
{
	if (!e)
		return;
	if (e->kind == LIT_E_DEREF)
		fail_at(p, e->pos, "unsupported construct: a plain (unmarked) "
			"access; use READ_ONCE or WRITE_ONCE (LKMM's data-race "
			"rules are not modelled)");
	no_plain(p, e->a);
	no_plain(p, e->b);
	no_plain(p, e->c);
}

static struct lit_expr *assignment(struct parser *p);

static struct lit_expr *conditional(struct parser *p)
{
	struct lit_expr *e = binary(p, 0);

	if (is(p, "?")) {
		struct lit_expr *c = node(p, LIT_E_COND, p->tok.pos);

		next(p);
		c->a = e;
		c->b = expr(p);
		expect(p, ":");
		c->c = conditional(p);
		return c;
	}
	return e;
}

static struct lit_expr *expr(struct parser *p)
{
	struct lit_expr *e;

	enter(p);
	e = assignment(p);
	p->nest--;
	return e;
}

static struct lit_expr *assignment(struct parser *p)
{
	struct lit_expr *e = conditional(p);

	if (is(p, "+=") || is(p, "-=") || is(p, "*=") || is(p, "/=") ||
	    is(p, "|=") || is(p, "&=") || is(p, "^="))
		fail_at(p, p->tok.pos, "unsupported construct '%.*s' (write "
			"r = r op e)", (int)p->tok.len, p->tok.start);
	if (is(p, "=")) {
		struct lit_expr *a = node(p, LIT_E_ASSIGN, p->tok.pos);

		if (e->kind == LIT_E_DEREF)
			no_plain(p, e);
		if (e->kind != LIT_E_REG)
			fail_at(p, e->pos, "only a register can be assigned");
		next(p);
		a->a = e;
		a->b = expr(p);
		no_plain(p, a->b);
		return a;
	}
	return e;
}

/* ---- statements ---------------------------------------------------------- */

/* A call whose value is used must have one (not spin_lock). */
static void values_used(struct parser *p, const struct lit_expr *e, bool top)
{
	if (!e)
		return;
	if (e->kind == LIT_E_CALL && !top && !lit_prim_has_value(e->prim))
		fail_at(p, e->pos, "%s returns nothing", lit_prim_name(e->prim));
	values_used(p, e->a, false);
	values_used(p, e->b, false);
	values_used(p, e->c, false);
	for (int i = 0; e->kind == LIT_E_CALL && i < e->nargs; i++)
		values_used(p, e->args[i], false);
}

static struct lit_stmt *stmt(struct parser *p);

static struct lit_stmt *snode(struct parser *p, enum lit_stmt_kind kind)
{
	struct lit_stmt *s = lit_alloc(p->t, sizeof(*s));

	s->kind = kind;
	return s;
}

/* A declaration: "int r0;", "int *r1 = READ_ONCE(*x), r2;". */
static struct lit_stmt *declaration(struct parser *p)
{
	struct lit_stmt *first = NULL, **tail = &first;
	int stars;

	if (type(p, &stars) == LIT_VAR_LOCK)
		fail_at(p, p->tok.pos, "a lock must be a shared variable");
	do {
		struct lit_pos at = p->tok.pos;
		char *name;
		int r;

		while (accept(p, "*"))
			;
		name = ident(p, "a register name");
		if (var_find(p->t, name) >= 0 &&
		    (p->params >> var_find(p->t, name) & 1))
			fail_at(p, at, "'%s' is a parameter of %s", name,
				p->proc->name);
		r = reg_get(p, p->proc, name, at);
		if (accept(p, "=")) {
			struct lit_stmt *s = snode(p, LIT_S_EXPR);
			struct lit_expr *a = node(p, LIT_E_ASSIGN, at);

			a->a = node(p, LIT_E_REG, at);
			a->a->idx = r;
			a->b = expr(p);
			no_plain(p, a->b);
			values_used(p, a->b, false);
			s->e = a;
			*tail = s;
			tail = &s->next;
		}
	} while (accept(p, ","));
	expect(p, ";");
	return first ? first : snode(p, LIT_S_BLOCK);
}

static struct lit_stmt *block(struct parser *p)
{
	struct lit_stmt *b = snode(p, LIT_S_BLOCK), **tail = &b->body;

	expect(p, "{");
	while (!accept(p, "}")) {
		struct lit_stmt *s;

		if (p->tok.kind == TOK_EOF)
			fail_at(p, p->tok.pos, "expected '}', found the end of "
				"the file");
		s = stmt(p);
		*tail = s;
		while (s->next)
			s = s->next;
		tail = &s->next;
	}
	return b;
}

static struct lit_stmt *stmt_nested(struct parser *p);

static struct lit_stmt *stmt(struct parser *p)
{
	struct lit_stmt *s;

	enter(p);
	s = stmt_nested(p);
	p->nest--;
	return s;
}

static struct lit_stmt *stmt_nested(struct parser *p)
{
	static const char *const unsupported[] = {
		"while", "for", "do", "goto", "return", "switch", "break",
		"continue",
	};
	struct lit_pos at = p->tok.pos;
	struct lit_stmt *s;

	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (is(p, unsupported[i]))
			fail_at(p, at, "unsupported construct '%s' (herd7's C "
				"has no loops or jumps)", unsupported[i]);
	if (is(p, "{"))
		return block(p);
	if (accept(p, ";"))
		return snode(p, LIT_S_BLOCK);
	if (is_type_word(p))
		return declaration(p);
	if (accept(p, "if")) {
		s = snode(p, LIT_S_IF);
		expect(p, "(");
		s->e = expr(p);
		no_plain(p, s->e);
		values_used(p, s->e, false);
		expect(p, ")");
		s->then = stmt(p);
		if (accept(p, "else"))
			s->els = stmt(p);
		return s;
	}
	s = snode(p, LIT_S_EXPR);
	s->e = expr(p);
	if (s->e->kind == LIT_E_DEREF)
		no_plain(p, s->e);
	if (s->e->kind != LIT_E_ASSIGN && s->e->kind != LIT_E_CALL)
		fail_at(p, at, "a statement that does nothing");
	values_used(p, s->e, true);
	expect(p, ";");
	return s;
}

static void process(struct parser *p, int n)
{
	struct lit_pos at = p->tok.pos;
	char *name = ident(p, "P0, P1, ...");
	struct lit_proc *pr = &p->t->procs[n];

	snprintf(pr->name, sizeof(pr->name), "P%d", n);
	if (strcmp(name, pr->name))
		fail_at(p, at, "expected %s, found '%s'", pr->name, name);
	p->proc = pr;
	p->params = 0;
	expect(p, "(");
	if (!accept(p, "void"))
		while (!is(p, ")")) {
			int stars;
			enum lit_var_kind kind = type(p, &stars);
			struct lit_pos vat = p->tok.pos;
			int v = var_get(p, ident(p, "a parameter name"), vat);

			if (kind == LIT_VAR_LOCK)
				p->t->vars[v].kind = kind;
			p->params |= (uint64_t)1 << v;
			if (!accept(p, ","))
				break;
		}
	expect(p, ")");
	pr->body = block(p);
}

/* ---- the condition ------------------------------------------------------- */

static struct lit_prop *prop(struct parser *p);
static struct lit_prop *atom_nested(struct parser *p, bool shown,
				    struct lit_pos at);

static struct lit_prop *pnode(struct parser *p, enum lit_prop_kind kind)
{
	struct lit_prop *q = lit_alloc(p->t, sizeof(*q));

	q->kind = kind;
	return q;
}

static void show(struct parser *p, struct lit_loc l, struct lit_pos at)
{
	for (int i = 0; i < p->t->nlocs; i++)
		if (p->t->locs[i].proc == l.proc && p->t->locs[i].idx == l.idx)
			return;
	if (p->t->nlocs == LIT_MAX_LOCS)
		fail_at(p, at, "more than %d locations", LIT_MAX_LOCS);
	p->t->locs[p->t->nlocs++] = l;
}

static struct lit_prop *atom(struct parser *p, bool shown)
{
	struct lit_pos at = p->tok.pos;
	struct lit_prop *q;

	enter(p);
	q = atom_nested(p, shown, at);
	p->nest--;
	return q;
}

static struct lit_prop *atom_nested(struct parser *p, bool shown,
				    struct lit_pos at)
{
	struct lit_prop *q;

	if (accept(p, "~")) {
		q = pnode(p, LIT_P_NOT);
		q->a = atom(p, shown);
		return q;
	}
	if (accept(p, "(")) {
		q = prop(p);
		expect(p, ")");
		return q;
	}
	if (accept(p, "true"))
		return pnode(p, LIT_P_TRUE);
	if (accept(p, "false"))
		return pnode(p, LIT_P_FALSE);
	q = pnode(p, LIT_P_ATOM);
	q->loc = loc(p);
	if (accept(p, "!=") || accept(p, "<>"))
		q->neq = true;
	else if (!accept(p, "=="))
		expect(p, "=");
	value(p, &q->value, &q->value_addr);
	if (shown)
		show(p, q->loc, at);
	return q;
}

static struct lit_prop *conjunction(struct parser *p)
{
	struct lit_prop *q = atom(p, p->shown);

	while (accept(p, "/\\")) {
		struct lit_prop *a = pnode(p, LIT_P_AND);

		a->a = q;
		a->b = atom(p, p->shown);
		q = a;
	}
	return q;
}

static struct lit_prop *prop(struct parser *p)
{
	struct lit_prop *q = conjunction(p);

	while (accept(p, "\\/")) {
		struct lit_prop *o = pnode(p, LIT_P_OR);

		o->a = q;
		o->b = conjunction(p);
		q = o;
	}
	if (is(p, "=>"))
		fail_at(p, p->tok.pos, "unsupported construct '=>'");
	return q;
}

static void clauses(struct parser *p)
{
	for (;;) {
		struct lit_pos at = p->tok.pos;

		if (accept(p, "locations")) {
			expect(p, "[");
			while (!accept(p, "]")) {
				struct lit_pos lat = p->tok.pos;

				show(p, loc(p), lat);
				if (!accept(p, ";") && !is(p, "]"))
					expect(p, ";");
			}
			continue;
		}
		if (accept(p, "filter")) {
			if (p->t->filter)
				fail_at(p, at, "a second filter");
			p->shown = false;
			p->t->filter = prop(p);
			continue;
		}
		if (accept(p, "exists"))
			p->t->quant = LIT_EXISTS;
		else if (accept(p, "forall"))
			p->t->quant = LIT_FORALL;
		else if (accept(p, "~")) {
			expect(p, "exists");
			p->t->quant = LIT_NOT_EXISTS;
		} else {
			char buf[64];

			fail_at(p, at, "expected locations, filter, exists, "
				"~exists or forall, found %s",
				tok_text(p, buf, sizeof(buf)));
		}
		break;
	}
	{
		const char *start = p->tok.start;

		p->shown = true;
		p->t->cond = prop(p);
		p->t->cond_text = copy(p, start, (size_t)(p->tok.start - start));
		while (p->t->cond_text[0] &&
		       isspace((unsigned char)p->t->cond_text[strlen(p->t->cond_text) - 1]))
			p->t->cond_text[strlen(p->t->cond_text) - 1] = 0;
	}
}

/* ---- the test ------------------------------------------------------------ */

static void test(struct parser *p)
{
	struct lit_pos at;
	size_t n = 0;

	header_line(p, "Result:", &p->t->result);
	header_line(p, "schedfuzz:", &p->t->departure);
	header_line(p, "schedfuzz weak-alpha:", &p->t->departure_alpha);
	next(p);
	if (!is(p, "C"))
		fail_at(p, p->tok.pos, "expected 'C' and the test's name (only "
			"C litmus tests are read)");
	/* the name: the rest of the line, up to blanks */
	at = here(p);
	while (peekc(p, 0) == ' ' || peekc(p, 0) == '\t')
		advance(p, 1);
	while (peekc(p, n) != -1 && !isspace(peekc(p, n)))
		n++;
	if (!n)
		fail_at(p, at, "expected the test's name after 'C'");
	p->t->name = copy(p, p->src + p->pos, n);
	advance(p, n);
	next(p);
	if (p->tok.kind == TOK_STRING)
		next(p);
	init_block(p);
	while (p->tok.kind == TOK_IDENT && p->tok.len >= 2 &&
	       p->tok.start[0] == 'P' && isdigit((unsigned char)p->tok.start[1])) {
		if (p->t->nprocs == LIT_MAX_PROCS)
			fail_at(p, p->tok.pos, "more than %d processes",
				LIT_MAX_PROCS);
		process(p, p->t->nprocs++);
	}
	if (!p->t->nprocs)
		fail_at(p, p->tok.pos, "expected P0");
	clauses(p);
	if (p->tok.kind != TOK_EOF) {
		char buf[64];

		fail_at(p, p->tok.pos, "expected the end of the file after the "
			"condition, found %s", tok_text(p, buf, sizeof(buf)));
	}
	for (int i = 0; i < p->t->nlocs; i++)
		if (p->t->locs[i].proc >= p->t->nprocs)
			fail_at(p, (struct lit_pos){ 1, 1 },
				"the condition names P%d, which the test does "
				"not have", p->t->locs[i].proc);
}

void *lit_alloc(struct lit_test *t, size_t size)
{
	void *b = calloc(1, size);

	if (!b) {
		fprintf(stderr, "litmus: out of memory\n");
		exit(2);
	}
	if (t->nblocks == t->capblocks) {
		t->capblocks = t->capblocks ? 2 * t->capblocks : 64;
		t->blocks = realloc(t->blocks, t->capblocks * sizeof(void *));
		if (!t->blocks) {
			fprintf(stderr, "litmus: out of memory\n");
			exit(2);
		}
	}
	t->blocks[t->nblocks++] = b;
	return b;
}

void lit_free(struct lit_test *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nblocks; i++)
		free(t->blocks[i]);
	free(t->blocks);
	free(t);
}

struct lit_test *lit_parse(const char *path, const char *text, size_t len,
			   char *err, size_t errlen)
{
	struct parser p = { .src = text, .len = len, .line = 1, .col = 1,
			    .err = err, .errlen = errlen };

	p.t = calloc(1, sizeof(*p.t));
	if (!p.t) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	p.t->path = path;
	if (memchr(text, 0, len)) {
		snprintf(err, errlen, "%s:1:1: a NUL byte: not a litmus test",
			 path);
		lit_free(p.t);
		return NULL;
	}
	if (setjmp(p.fail)) {
		lit_free(p.t);
		return NULL;
	}
	test(&p);
	return p.t;
}

const char *lit_word_name(enum lit_word w)
{
	switch (w) {
	case LIT_NEVER: return "Never";
	case LIT_SOMETIMES: return "Sometimes";
	case LIT_ALWAYS: return "Always";
	case LIT_DEADLOCK: return "DEADLOCK";
	default: return "?";
	}
}
