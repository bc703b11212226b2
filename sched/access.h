/*
 * access.h - a shared location's bytes as a value, and an RMW's
 * arithmetic: what the engine (memory.c, weak.c) and the plain shims of
 * the benchmark's baseline (plain/kernel.c) both do.
 */
#ifndef SCHED_ACCESS_H
#define SCHED_ACCESS_H

#include "kernel.h"

/* A load of size bytes, sign-extended (values of the trace are). */
static inline uint64_t sched_raw_read(const volatile void *p, int size)
{
	switch (size) {
	case 1: return (uint64_t)(int64_t)*(const volatile int8_t *)p;
	case 2: return (uint64_t)(int64_t)*(const volatile int16_t *)p;
	case 4: return (uint64_t)(int64_t)*(const volatile int32_t *)p;
	default: return *(const volatile uint64_t *)p;
	}
}

static inline void sched_raw_write(volatile void *p, int size, uint64_t v)
{
	switch (size) {
	case 1: *(volatile uint8_t *)p = (uint8_t)v; break;
	case 2: *(volatile uint16_t *)p = (uint16_t)v; break;
	case 4: *(volatile uint32_t *)p = (uint32_t)v; break;
	default: *(volatile uint64_t *)p = v; break;
	}
}

/* An RMW's store, from the value it read (op and a, b as in sched_rmw);
 * false when it fails and stores nothing. */
static inline bool sched_rmw_apply(enum sched_rmw_op op, int size,
				   uint64_t old, uint64_t a, uint64_t b,
				   uint64_t *new)
{
	uint64_t m = size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (size * 8)) - 1;

	switch (op) {
	case SCHED_RMW_ADD: *new = old + a; break;
	case SCHED_RMW_AND: *new = old & a; break;
	case SCHED_RMW_OR: *new = old | a; break;
	case SCHED_RMW_XOR: *new = old ^ a; break;
	case SCHED_RMW_XCHG: *new = a; break;
	case SCHED_RMW_CMPXCHG:
		if ((old & m) != (a & m))
			return false;
		*new = b;
		break;
	case SCHED_RMW_ADD_UNLESS:
		if ((old & m) == (b & m))
			return false;
		*new = old + a;
		break;
	}
	return true;
}

#endif
