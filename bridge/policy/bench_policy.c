/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/bench_policy.c — cwp-bench: does an admission check cost
 * the same with 1000 and with 100 000 sources in the table? A benchmark,
 * not a test.
 *
 * For each table size N the table is filled with N sources, then timed in
 * batches: checks of sources already there, in a scattered order ("known"),
 * and checks of sources never seen, each taking the entry of the least
 * recent one ("new", the eviction path of an address spray). Each batch
 * is timed several times; the medians are printed in ns per check, with
 * their ratio (100k / 1k): 1.0 means the cost does not grow with the
 * table. The last line, index slots visited per check, shows that the
 * work does not grow; a ratio above 1.0 in time is the caches (100 000
 * entries are about 9 MB).
 *
 *   cwp-bench            (5 runs of 200 000 checks per row)
 *   cwp-bench --quick    (one short run: checks that the verdicts are right)
 *
 * Run it from an optimized build on an otherwise idle machine.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <causeway/common.h>

#include "bench_stats.h"
#include "limits.h"

#define MAX_RUNS 5

struct row {
	const char *name;
	double ns[2]; /* per table size */
};

static double probes_per_check[2];

static const size_t sizes[2] = { 1000, 100000 };

static struct cwp_addr source(uint32_t n)
{
	struct cwp_addr a;

	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	a.bytes[0] = 0x20;
	a.bytes[1] = 0x01;
	a.bytes[2] = 0x0d;
	a.bytes[3] = 0xb8;
	memcpy(a.bytes + 12, &n, sizeof(n));
	return a;
}

/* ns per check over checks sources from first, stepping by stride mod n; -1 on a wrong verdict. */
static double time_checks(cwp_limits *l, uint32_t first, uint32_t n, uint32_t stride,
                          unsigned long checks, uint64_t now)
{
	struct cwp_admission adm;
	double t0 = bench_now_ns();
	unsigned long i;
	uint32_t k = 0;

	for (i = 0; i < checks; i++) {
		struct cwp_addr a = source(first + k);

		if (cwp_limits_check(l, &a, now, CWP_LIMITS_REQUEST, &adm) != 0 ||
		    adm.verdict != CWP_ADMIT)
			return -1;
		k = (k + stride) % n;
	}
	return (bench_now_ns() - t0) / (double)checks;
}

static int run_size(size_t size, unsigned runs, unsigned long checks, double *known, double *fresh,
                    double *probes)
{
	struct cwp_limits_config cfg = {
		.capacity = size, .rate = 1000000, .burst = 1000000, .max_calls = 1,
		.hash_key = { 0x6b, 0x65, 0x79 },
	};
	double k[MAX_RUNS], f[MAX_RUNS];
	struct cwp_limits_stats st;
	cwp_limits *l;
	uint32_t next = (uint32_t)size, i;
	unsigned r;
	uint64_t now = 1;

	if (cwp_limits_new(&l, &cfg) != 0)
		return -1;
	for (i = 0; i < size; i++) {
		struct cwp_addr a = source(i);
		struct cwp_admission adm;

		cwp_limits_check(l, &a, now, CWP_LIMITS_REQUEST, &adm);
	}
	for (r = 0; r < runs; r++) {
		now += 1000;
		/* known: the N most recent sources, 7919 apart (a prime: every one, scattered) */
		k[r] = time_checks(l, next - (uint32_t)size, (uint32_t)size, 7919, checks, now);
		/* new: checks sources never seen */
		f[r] = time_checks(l, next, (uint32_t)checks, 1, checks, now);
		next += (uint32_t)checks;
		if (k[r] < 0 || f[r] < 0)
			break;
	}
	cwp_limits_stats(l, &st);
	cwp_limits_free(l);
	if (r < runs || st.entries != size) {
		fprintf(stderr, "cwp-bench: a check of %zu entries went wrong\n", size);
		return -1;
	}
	*probes = (double)st.probes / (double)st.lookups;
	*known = bench_median(k, runs);
	*fresh = bench_median(f, runs);
	return 0;
}

int main(int argc, char **argv)
{
	int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
	unsigned runs = quick ? 1 : MAX_RUNS;
	unsigned long checks = quick ? 20000 : 200000;
	struct row rows[2] = { { "known source", { 0, 0 } }, { "new source (evicts)", { 0, 0 } } };
	unsigned s, i;

	for (s = 0; s < 2; s++)
		if (run_size(sizes[s], runs, checks, &rows[0].ns[s], &rows[1].ns[s],
		             &probes_per_check[s]) != 0)
			return 1;
	printf("cwp-bench: median ns per admission check (%u runs of %lu checks)\n", runs, checks);
	printf("%-22s %12s %12s %8s\n", "", "1k entries", "100k entries", "ratio");
	for (i = 0; i < 2; i++)
		printf("%-22s %12.1f %12.1f %8.2f\n", rows[i].name, rows[i].ns[0], rows[i].ns[1],
		       rows[i].ns[1] / rows[i].ns[0]);
	printf("%-22s %12.2f %12.2f %8.2f\n", "index slots per check", probes_per_check[0],
	       probes_per_check[1], probes_per_check[1] / probes_per_check[0]);
	return 0;
}
