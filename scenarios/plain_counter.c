/*
 * plain_counter - two CPUs deposit into one account with plain C: each
 * adds its amount to the balance, a load and then a store, with no lock
 * in the racy variant and under the account's lock in the locked one.
 * Both deposits must be in the final balance.
 *
 * No READ_ONCE, no WRITE_ONCE: the file is plain C (SCENARIO_PLAIN_C),
 * and the compiler's instrumentation makes each load and store of the
 * account a scheduling point, so that a CPU can be preempted between the
 * load and the store of "balance += amount", and its executions are
 * checked for data races (docs/plain-c.md).
 */
#define SCENARIO_PLAIN_C
#include "scenario.h"

struct account {
	spinlock_t lock;	/* protects balance in the locked variant */
	long balance;
};

static struct account *acct;
static const bool *locked;	/* the variant */

static void init(void)
{
	acct = sched_world_alloc("acct", sizeof(*acct));
	acct->balance = 100;
}

/* deposit - the balance grows by amount; takes acct->lock if locked. */
static void deposit(long amount)
{
	if (*locked)
		spin_lock(&acct->lock);
	acct->balance += amount;
	if (*locked)
		spin_unlock(&acct->lock);
}

static void P0(void)
{
	deposit(10);
}

static void P1(void)
{
	deposit(20);
}

/* Once both are done: both deposits are in. */
static void check(void)
{
	BUG_ON(acct->balance != 130);
}

static void set_variant(const struct sched_variant *v)
{
	locked = v->data;
}

SCENARIO(plain_counter) = {
	.name = "plain_counter",
	.summary = "two CPUs add to a balance with plain C: load, then store",
	.init = init,
	.cpu = { P0, P1 },
	.check = check,
	.variants = (const struct sched_variant[]){
		{ "racy", "no lock: a deposit can be lost", &(const bool){ false } },
		{ "locked", "both under acct->lock", &(const bool){ true } },
		{ .name = NULL },
	},
	.set_variant = set_variant,
};
