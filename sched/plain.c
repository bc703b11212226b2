/*
 * plain.c - plain C accesses, seen through the compiler.
 *
 * clang's -fsanitize-coverage=trace-loads,trace-stores puts a call to
 * __sanitizer_cov_load<N>(addr) or __sanitizer_cov_store<N>(addr) before
 * every load and store of the files compiled with it: the plain-C files
 * (Makefile; docs/plain-c.md).  The engine itself never is.  Here those
 * calls land: an access to shared memory, while a CPU runs, becomes a
 * scheduling point and a plain access of memory.c (checked, traced, seen
 * by the weak model and the race checker); anything else (the stack, the
 * tools' and the engine's own memory, the program's init and check)
 * returns after one comparison.
 *
 * An access through a NULL pointer goes to memory.c too, which reports
 * null-deref before the compiled access would fault.
 */
#include "engine.h"

/* The shared arena: its base, once it exists; until then an address no
 * user pointer has (a program loaded low, as under valgrind, must not
 * look shared).  The first page is memory.c's NULL access. */
static uintptr_t arena_lo = UINTPTR_MAX - SCHED_ARENA_SIZE + 1;

void sched_plain_reset(void)
{
	arena_lo = (uintptr_t)sched_arena_base();
	sched_plain_pending = false;
}

/* Whether the access at p needs the engine: shared memory, or NULL. */
static inline bool interposed(const volatile void *p)
{
	uintptr_t a = (uintptr_t)p;

	return a - arena_lo < SCHED_ARENA_SIZE || a < 4096;
}

static __attribute__((noinline)) void shared_access(volatile void *p,
						    int size, bool store,
						    uintptr_t ret)
{
	struct sched_site *site;

	/* init, the program's check and RCU callbacks run straight
	 * through, as the shims do; so does code outside an execution */
	if (sched_eng.init_mode || sched_eng.cur == SCHED_CONTROLLER)
		return;
	site = sched_plain_site(ret);
	if (store)
		sched_plain_store(p, size, site);
	else
		(void)sched_plain_load(p, size, site);
}

#define CALLBACKS(n)                                                          \
	void __sanitizer_cov_load##n(void *p);                                \
	void __sanitizer_cov_store##n(void *p);                               \
	void __sanitizer_cov_load##n(void *p)                                 \
	{                                                                     \
		if (unlikely(interposed(p)))                                  \
			shared_access(p, n, false,                                   \
			       (uintptr_t)__builtin_return_address(0));       \
	}                                                                     \
	void __sanitizer_cov_store##n(void *p)                                \
	{                                                                     \
		if (unlikely(interposed(p)))                                  \
			shared_access(p, n, true,                                    \
			       (uintptr_t)__builtin_return_address(0));       \
	}

CALLBACKS(1)
CALLBACKS(2)
CALLBACKS(4)
CALLBACKS(8)
CALLBACKS(16)
