/*
 * plainc.h - what bench/plainc.c measures in bench/plainc_loop.c.
 */
#ifndef BENCH_PLAINC_H
#define BENCH_PLAINC_H

/* n times *x = *x + 1 in plain C: 2n scheduling points when x is shared. */
void plainc_loop(long *x, int n);

#endif
