/*
 * lock.c - spin locks and mutexes, rwsems, completions and list operations.
 *
 * A CPU that cannot take a lock, or waits for a completion, blocks: it is
 * not runnable until the holder releases the lock or the completion is
 * signalled, then it retries.  Which waiter gets the lock is a CPU decision
 * like any other.
 */
#include "engine.h"

static int me(void)
{
	return sched_eng.cur + 1;	/* the controller owns locks during init */
}

static void lock_name(char *buf, size_t len, const void *l, const char *what)
{
	int id = sched_obj_lookup(l, NULL);
	char obj[64] = "?";

	if (id >= 0)
		sched_format_obj(obj, sizeof(obj), id);
	snprintf(buf, len, "%s [%s]", what, obj);
}

void sched_lock(spinlock_t *l, const char *prim, const char *what,
		struct sched_site *s)
{
	char name[96];

	sched_point();
	for (;;) {
		sched_check_access(l, sizeof(*l), what, s);
		if (l->owner == 0) {
			l->owner = me();
			sched_acquire(l, SCHED_EXCLUSIVE);
			sched_trace_add(SCHED_OP_LOCK, l, what, 0, 0, s);
			sched_trace_name(prim, false);
			return;
		}
		if (l->owner == me() || sched_eng.init_mode) {
			lock_name(name, sizeof(name), l, what);
			sched_report(SCHED_DEADLOCK,
				     "cpu%d takes %s, which it already holds",
				     sched_current_cpu(), name);
			return;	/* only during init, where nothing blocks */
		}
		sched_block(BLOCK_LOCK, l, what);
	}
}

void sched_unlock(spinlock_t *l, const char *prim, const char *what,
		  struct sched_site *s)
{
	char name[96];

	sched_point();
	sched_check_access(l, sizeof(*l), what, s);
	if (l->owner != me()) {
		lock_name(name, sizeof(name), l, what);
		sched_report_key(l, sched_eng.step);	/* its last taker */
		if (l->owner)
			sched_report(SCHED_LOCK_MISMATCH,
				     "cpu%d releases %s, held by cpu%d",
				     sched_current_cpu(), name, l->owner - 1);
		else
			sched_report(SCHED_LOCK_MISMATCH,
				     "cpu%d releases %s, which nobody holds",
				     sched_current_cpu(), name);
		return;
	}
	sched_release(l, SCHED_EXCLUSIVE);
	l->owner = 0;
	sched_wake_all(l);
	sched_trace_add(SCHED_OP_UNLOCK, l, what, 0, 0, s);
	sched_trace_name(prim, false);
}

/* A trylock that finds the lock held is a load of the lock (LKMM: a
 * failed trylock orders nothing), traced as a failure. */
static void trylock_failed(const void *l, const char *prim, const char *what,
			   uint64_t found, struct sched_site *s)
{
	sched_weak_lock_read(l, true);
	sched_trace_add(SCHED_OP_LOAD, l, what, found, 0, s);
	sched_trace_name(prim, true);
}

bool sched_trylock(spinlock_t *l, const char *prim, const char *what,
		   struct sched_site *s)
{
	sched_point();
	sched_check_access(l, sizeof(*l), what, s);
	if (l->owner) {
		trylock_failed(l, prim, what, 1, s);
		return false;
	}
	l->owner = me();
	sched_acquire(l, SCHED_EXCLUSIVE);
	sched_trace_add(SCHED_OP_LOCK, l, what, 0, 0, s);
	sched_trace_name(prim, false);
	return true;
}

bool sched_is_locked(spinlock_t *l, const char *prim, const char *what,
		     struct sched_site *s)
{
	sched_point();
	sched_check_access(l, sizeof(*l), what, s);
	sched_weak_lock_read(l, l->owner != 0);
	sched_trace_add(SCHED_OP_LOAD, l, what, l->owner != 0, 0, s);
	sched_trace_name(prim, false);
	return l->owner != 0;
}

void sched_down(struct rw_semaphore *sem, bool write, const char *what,
		struct sched_site *s)
{
	sched_point();
	for (;;) {
		sched_check_access(sem, sizeof(*sem), what, s);
		if (write ? sem->count == 0 : sem->count >= 0) {
			sem->count = write ? -1 : sem->count + 1;
			sched_acquire(sem, write ? SCHED_EXCLUSIVE : SCHED_SHARED);
			sched_trace_add(SCHED_OP_LOCK, sem, what, 0, write ? 2 : 1, s);
			return;
		}
		if (sched_eng.init_mode) {
			sched_report(SCHED_DEADLOCK, "init waits for %s", what);
			return;
		}
		sched_block(BLOCK_RWSEM, sem, what);
	}
}

bool sched_down_trylock(struct rw_semaphore *sem, bool write,
			const char *what, struct sched_site *s)
{
	const char *prim = write ? "down_write_trylock" : "down_read_trylock";

	sched_point();
	sched_check_access(sem, sizeof(*sem), what, s);
	if (write ? sem->count != 0 : sem->count < 0) {
		trylock_failed(sem, prim, what, (uint64_t)sem->count, s);
		return false;
	}
	sem->count = write ? -1 : sem->count + 1;
	sched_acquire(sem, write ? SCHED_EXCLUSIVE : SCHED_SHARED);
	sched_trace_add(SCHED_OP_LOCK, sem, what, 0, write ? 2 : 1, s);
	sched_trace_name(prim, false);
	return true;
}

bool sched_rwsem_is_locked(struct rw_semaphore *sem, const char *what,
			   struct sched_site *s)
{
	sched_point();
	sched_check_access(sem, sizeof(*sem), what, s);
	sched_weak_lock_read(sem, sem->count != 0);
	sched_trace_add(SCHED_OP_LOAD, sem, what, sem->count != 0, 0, s);
	sched_trace_name("rwsem_is_locked", false);
	return sem->count != 0;
}

void sched_up(struct rw_semaphore *sem, bool write, const char *what,
	      struct sched_site *s)
{
	char name[96];

	sched_point();
	sched_check_access(sem, sizeof(*sem), what, s);
	if (write ? sem->count != -1 : sem->count <= 0) {
		lock_name(name, sizeof(name), sem, what);
		sched_report(SCHED_LOCK_MISMATCH, "cpu%d releases %s for %s, "
			     "not held that way", sched_current_cpu(), name,
			     write ? "write" : "read");
		return;
	}
	sched_release(sem, write ? SCHED_EXCLUSIVE : SCHED_SHARED);
	sem->count = write ? 0 : sem->count - 1;
	sched_wake_all(sem);
	sched_trace_add(SCHED_OP_UNLOCK, sem, what, 0, write ? 2 : 1, s);
}

void sched_wait_for_completion(struct completion *c, const char *what,
			       struct sched_site *s)
{
	sched_point();
	for (;;) {
		sched_check_access(c, sizeof(*c), what, s);
		if (c->done) {
			sched_acquire(c, SCHED_EXCLUSIVE);
			sched_trace_add(SCHED_OP_WAIT, c, what, 1, 0, s);
			return;
		}
		if (sched_eng.init_mode) {
			sched_report(SCHED_DEADLOCK,
				     "init waits for %s, never completed", what);
			return;
		}
		sched_block(BLOCK_COMPLETION, c, what);
	}
}

void sched_complete(struct completion *c, const char *what,
		    struct sched_site *s)
{
	sched_point();
	sched_check_access(c, sizeof(*c), what, s);
	sched_release(c, SCHED_EXCLUSIVE);
	c->done++;
	sched_wake_all(c);
	sched_trace_add(SCHED_OP_COMPLETE, c, what, (uint64_t)c->done, 0, s);
}

/* The links the last list operation read and wrote, for footprint.c: the
 * trace names only the list head or the entry. */
static struct sched_list_touch touched;

const struct sched_list_touch *sched_list_touched(void)
{
	return &touched;
}

static void touch(const void *p, bool write)
{
	if (touched.n < SCHED_LIST_TOUCH_MAX) {
		touched.p[touched.n] = p;
		touched.write[touched.n++] = write;
	}
}

/* The list's own loads and stores: the latest values, and in the weak mode
 * stores in coherence order like any other (the caller holds the lock);
 * marked accesses of the list operation's site for the race checker. */
static struct list_head *link(struct list_head *const *p,
			      struct sched_site *s)
{
	uint64_t v;

	touch(p, false);
	v = sched_mem_read(p, sizeof(*p));
	if (sched_race_on)
		sched_race_load(p, sizeof(*p), SCHED_ORDER_LATEST, false, v,
				NULL, s);
	return (struct list_head *)(uintptr_t)v;
}

static void set_link(struct list_head **p, struct list_head *v,
		     struct sched_site *s)
{
	touch(p, true);
	sched_mem_write(p, sizeof(*p), (uintptr_t)v);
	if (sched_race_on)
		sched_race_store(p, sizeof(*p), SCHED_ORDER_LATEST, false, s);
}

void sched_list_add(struct list_head *n, struct list_head *head, bool tail,
		    const char *what, struct sched_site *s)
{
	struct list_head *prev, *next;

	sched_point();
	touched.step = sched_eng.step;
	touched.n = 0;
	sched_check_access(head, sizeof(*head), what, s);
	sched_check_access(n, sizeof(*n), what, s);
	prev = tail ? link(&head->prev, s) : head;
	next = tail ? head : link(&head->next, s);
	sched_check_access(tail ? prev : next, sizeof(*head), what, s);
	set_link(&next->prev, n, s);
	set_link(&n->next, next, s);
	set_link(&n->prev, prev, s);
	set_link(&prev->next, n, s);
	sched_trace_add(SCHED_OP_LIST, head, what, (uintptr_t)n, tail, s);
}

void sched_list_del(struct list_head *entry, const char *what,
		    struct sched_site *s)
{
	struct list_head *prev, *next;

	sched_point();
	touched.step = sched_eng.step;
	touched.n = 0;
	sched_check_access(entry, sizeof(*entry), what, s);
	prev = link(&entry->prev, s);
	next = link(&entry->next, s);
	sched_check_access(prev, sizeof(*entry), what, s);
	sched_check_access(next, sizeof(*entry), what, s);
	set_link(&next->prev, prev, s);
	set_link(&prev->next, next, s);
	sched_trace_add(SCHED_OP_LIST, entry, what, 0, 2, s);
}
