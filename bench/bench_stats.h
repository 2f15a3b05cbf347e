/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_stats.h — the clock and the median the benchmarks share
 * (bench/bench.c, bridge/sip/bench_sip.c). Header-only: each benchmark is
 * one program.
 */
#ifndef CW_BENCH_STATS_H
#define CW_BENCH_STATS_H

#include <stdlib.h>
#include <time.h>

static inline double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v[0..n-1] (n >= 1) and returns its median. */
static inline double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

#endif
