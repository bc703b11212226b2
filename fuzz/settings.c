/*
 * settings.c - the settings an execution depends on: read from the
 * environment, the command line and a text schedule's header, checked,
 * and put in force.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

static const char *const env_names[SCHED_SET_NR] = {
	"SCHED_SCENARIO", "SCHED_VARIANT", "SCHED_MEMORY", "SCHED_NOISE",
	"SCHED_MAX_STEPS",
};

static const char *const option_names[SCHED_SET_NR] = {
	"--scenario", "--variant", "--memory", "--noise", "--max-steps",
};

const char target_settings_help[] =
	"  --scenario NAME     SCHED_SCENARIO   the scenario (replay --list)\n"
	"  --variant NAME      SCHED_VARIANT    the scenario's variant (replay\n"
	"                                       --list names them, and a\n"
	"                                       scenario's older variable)\n"
	"  --memory MODEL      SCHED_MEMORY     sc (default), weak, weak-alpha\n"
	"  --noise N           SCHED_NOISE      N noise CPUs (0 to the scenario's\n"
	"                                       maximum)\n"
	"  --max-steps N       SCHED_MAX_STEPS  step bound per execution (1 to\n"
	"                                       " SCHED_STR_(SCHED_MAX_MAX_STEPS)
	", default " SCHED_STR_(SCHED_DEFAULT_MAX_STEPS) ")\n";

static char error[512];

const char *target_error(void)
{
	return error;
}

void target_error_clear(void)
{
	error[0] = 0;
}

/* A number from 0 to max, digits only: NULL, or why not. */
static const char *check_number(const char *s, long max)
{
	long v = 0;

	if (!*s)
		return "empty";
	for (const char *c = s; *c; c++) {
		if (*c < '0' || *c > '9')
			return "not a number";
		v = v * 10 + (*c - '0');
		if (v > max)
			return "out of range";
	}
	return NULL;
}

/* What a value of setting k may look like, before the scenario is known:
 * NULL, or why not. */
static const char *check_syntax(enum sched_setting k, const char *v)
{
	uint32_t steps;

	if (strlen(v) >= sizeof(((struct target_settings *)0)->val[0]))
		return "too long";
	switch (k) {
	case SCHED_SET_NOISE:
		return check_number(v, SCHED_MAX_CPUS);
	case SCHED_SET_MAX_STEPS:
		return sched_parse_max_steps(v, &steps);
	case SCHED_SET_MEMORY:
		return strcmp(v, "sc") && strcmp(v, "weak") &&
		       strcmp(v, "weak-alpha") ?
		       "not a memory model (sc, weak, weak-alpha)" : NULL;
	default:
		return *v ? NULL : "empty";
	}
}

static void set(struct target_settings *s, const char *tool,
		enum sched_setting k, const char *v, const char *from)
{
	const char *why = check_syntax(k, v);
	char esc[128];

	if (why) {
		sched_escape(esc, sizeof(esc), v, strlen(v));
		fprintf(stderr, "%s: %s%s%s: %s\n", tool, from,
			from[0] == '-' ? " " : "=", esc, why);
		exit(TARGET_EXIT_USAGE);
	}
	snprintf(s->val[k], sizeof(s->val[k]), "%s", v);
	s->from[k] = from;
}

void target_settings_env(struct target_settings *s, const char *tool)
{
	memset(s, 0, sizeof(*s));
	for (int k = 0; k < SCHED_SET_NR; k++) {
		const char *v = getenv(env_names[k]);

		if (v)
			set(s, tool, k, v, env_names[k]);
	}
}

bool target_settings_option(struct target_settings *s, const char *tool,
			    const char *opt, const char *val)
{
	for (int k = 0; k < SCHED_SET_NR; k++)
		if (!strcmp(opt, option_names[k])) {
			set(s, tool, k, val, option_names[k]);
			return true;
		}
	return false;
}

/* ---- putting them in force ------------------------------------------------ */

static struct {
	char val[SCHED_SET_NR][96];
	char header[1024];
	char line[512];
} in_force;

const char *target_header(void)
{
	return in_force.header;
}

const char *target_setting(enum sched_setting k)
{
	return in_force.val[k];
}

const char *target_settings_line(void)
{
	return in_force.line;
}

int target_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error, sizeof(error), fmt, ap);
	va_end(ap);
	return -1;
}

/* The value of setting k: the user's, else the file's, else NULL; a user
 * setting against the file's is an error unless override. */
static int pick(const struct target_settings *user, const struct sched_text *t,
		enum sched_setting k, bool override, const char **v)
{
	const char *file = t && t->setting[k][0] ? t->setting[k] : NULL;
	const char *mine = user && user->from[k] ? user->val[k] : NULL;

	if (file && mine && strcmp(file, mine) && !override)
		return target_fail("line %d says %s %s, but %s says %s (drop one, or "
			     "--override to run with %s's)", t->setting_line[k],
			     sched_setting_names[k], file, user->from[k], mine,
			     user->from[k]);
	*v = mine ? mine : file;
	if (!mine && file && check_syntax(k, file))
		return target_fail("line %d: %s %s: %s", t->setting_line[k],
			     sched_setting_names[k], file,
			     check_syntax(k, file));
	return 0;
}

/* The scenario's older name for SCHED_VARIANT (RMAP_VARIANT) stands in
 * for it; the two disagreeing is an error. */
static int old_variant_name(const struct scenario *sc,
			    struct target_settings *user)
{
	const char *old = sc->variant_env ? getenv(sc->variant_env) : NULL;

	if (!old || !*old)
		return 0;
	if (user->from[SCHED_SET_VARIANT] &&
	    strcmp(user->val[SCHED_SET_VARIANT], old))
		return target_fail("%s says %s, but %s says %s",
			     user->from[SCHED_SET_VARIANT],
			     user->val[SCHED_SET_VARIANT], sc->variant_env, old);
	if (!user->from[SCHED_SET_VARIANT]) {
		snprintf(user->val[SCHED_SET_VARIANT],
			 sizeof(user->val[SCHED_SET_VARIANT]), "%s", old);
		user->from[SCHED_SET_VARIANT] = sc->variant_env;
	}
	return 0;
}

/* The variant by name, else the scenario's first (NULL: it has none). */
static int use_variant(const struct scenario *sc, const char *name)
{
	const struct sched_variant *v = sc->variants && sc->variants[0].name ?
					sc->variants : NULL;
	char names[1024];

	if (name) {
		v = scenario_variant_find(sc, name);
		if (!v && !sc->variants)
			return target_fail("%s has no variants ('%s' given)",
				     sc->name, name);
		if (!v)
			return target_fail("unknown variant '%s' of %s (valid: %s)",
				     name, sc->name,
				     scenario_variant_names(sc, names,
							    sizeof(names)));
	}
	scenario_use_variant(sc, v);
	return 0;
}

int target_configure(const struct target_settings *user_in,
		     const struct target_input *in, bool override,
		     const struct scenario **scp)
{
	const struct sched_text *t = in && in->text ? &in->t : NULL;
	struct target_settings user = { 0 };
	const char *v[SCHED_SET_NR] = { 0 };
	const struct scenario *sc;
	const struct sched_variant *var;
	uint32_t steps = SCHED_DEFAULT_MAX_STEPS;
	long noise = 0;

	if (user_in)
		user = *user_in;
	if (pick(&user, t, SCHED_SET_SCENARIO, override,
		 &v[SCHED_SET_SCENARIO]))
		return -1;
	if (!v[SCHED_SET_SCENARIO])
		return target_fail("no scenario: name one (the SCENARIO argument, "
			     "--scenario, SCHED_SCENARIO, or the file's "
			     "'scenario' line); replay --list lists them");
	sc = scenario_find(v[SCHED_SET_SCENARIO]);
	if (!sc)
		return target_fail("unknown scenario '%s' (replay --list lists them)",
			     v[SCHED_SET_SCENARIO]);
	if (scenario_unusable(sc))
		return target_fail("%s", scenario_unusable(sc));
	if (old_variant_name(sc, &user))
		return -1;
	for (int k = SCHED_SET_SCENARIO + 1; k < SCHED_SET_NR; k++)
		if (pick(&user, t, k, override, &v[k]))
			return -1;
	if (use_variant(sc, v[SCHED_SET_VARIANT]))
		return -1;
	sched_set_memory(v[SCHED_SET_MEMORY] ? v[SCHED_SET_MEMORY] : "sc");
	if (v[SCHED_SET_NOISE])
		noise = strtol(v[SCHED_SET_NOISE], NULL, 10);
	if (scenario_set_noise(sc, (int)noise))
		return sc->max_noise ?
		       target_fail("noise %ld: %s takes 0 to %d", noise, sc->name,
			     sc->max_noise) :
		       target_fail("noise %ld: %s has no noise CPUs", noise, sc->name);
	if (v[SCHED_SET_MAX_STEPS])
		sched_parse_max_steps(v[SCHED_SET_MAX_STEPS], &steps);
	sched_set_max_steps(steps);

	var = scenario_variant(sc);
	snprintf(in_force.val[SCHED_SET_SCENARIO], 96, "%s", sc->name);
	snprintf(in_force.val[SCHED_SET_VARIANT], 96, "%s", var ? var->name : "");
	snprintf(in_force.val[SCHED_SET_MEMORY], 96, "%s", sched_memory_name());
	snprintf(in_force.val[SCHED_SET_NOISE], 96, "%ld", noise);
	snprintf(in_force.val[SCHED_SET_MAX_STEPS], 96, "%u", steps);
	snprintf(in_force.header, sizeof(in_force.header),
		 "scenario %s\n%s%s%smemory %s\nnoise %ld\nmax-steps %u\n",
		 sc->name, var ? "variant " : "", var ? var->name : "",
		 var ? "\n" : "", sched_memory_name(), noise, steps);
	snprintf(in_force.line, sizeof(in_force.line),
		 "%s%s%smemory %s, noise %ld, max-steps %u",
		 var ? "variant " : "", var ? var->name : "", var ? ", " : "",
		 sched_memory_name(), noise, steps);
	*scp = sc;
	return 0;
}
