/* SPDX-License-Identifier: MIT */
/*
 * bench.c — cw-bench: nanoseconds per operation of libcauseway's hot paths.
 *
 * Not a test: it prints figures, it does not judge them (except that
 * lookups must not allocate). Each metric runs RUNS timed runs of about
 * OPS operations after one untimed warm-up run, and reports the median,
 * min and max ns/op over the runs.
 *
 *   cw-bench [--runs N] [--ops N] [--profile NAME] [--quick]
 *
 * The clock is read here, in the bench program; the library never reads it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <causeway/causeway.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_stats.h"

#if defined(__GLIBC__) && defined(__GLIBC_PREREQ)
#if __GLIBC_PREREQ(2, 33)
#include <malloc.h>
#define BENCH_HAVE_MALLINFO2 1
#endif
#endif

#define MAX_RUNS 101

/* Results land here so that the compiler cannot drop the work. */
static volatile long sink;

struct bench_ctx {
	const cw_profile *profile;
	const cw_reason_list *reasons; /* for sip2cause with Reason */
	const char *value;             /* for reason parse */
	size_t len;
	long errors;                   /* calls that returned non-zero */
	long reason_used;              /* sip2cause results decided by the Reason */
};

struct metric {
	double median, min, max;
};

typedef long (*bench_fn)(struct bench_ctx *ctx, long ops);

/* Q.850 cause -> SIP over every cause 1..127. */
static long run_cause2sip(struct bench_ctx *ctx, long ops)
{
	long done = 0, acc = 0;
	while (done < ops) {
		for (int cause = CW_Q850_CAUSE_MIN; cause <= CW_Q850_CAUSE_MAX; cause++) {
			cw_sip_result r;
			if (cw_map_cause_to_sip(ctx->profile, cause, CW_LOCATION_UNKNOWN, 0, &r) == 0)
				acc += r.status;
			else
				ctx->errors++;
		}
		done += CW_Q850_CAUSE_MAX - CW_Q850_CAUSE_MIN + 1;
	}
	sink += acc;
	return done;
}

/* SIP final response -> cause over statuses 300..699, with ctx->reasons (or none). */
static long run_sip2cause(struct bench_ctx *ctx, long ops)
{
	long done = 0, acc = 0, used = 0;
	cw_sip_query q = { .event = CW_SIP_RESPONSE, .warning = 0, .reasons = ctx->reasons };
	while (done < ops) {
		for (int status = 300; status <= 699; status++) {
			cw_cause_result r;
			q.status = status;
			if (cw_map_sip_to_cause(ctx->profile, &q, &r) == 0) {
				acc += r.cause + r.location;
				used += r.reason != NULL;
			} else {
				ctx->errors++;
			}
		}
		done += 400;
	}
	ctx->reason_used += used;
	sink += acc;
	return done;
}

/* One Reason header value into a fresh list, ops times. */
static long run_parse(struct bench_ctx *ctx, long ops)
{
	long acc = 0;
	cw_reason values[4];
	char text[256];
	cw_reason_list list;
	for (long i = 0; i < ops; i++) {
		cw_reason_list_init(&list, values, 4, text, sizeof(text));
		if (cw_reason_list_parse(&list, ctx->value, ctx->len) != 0)
			ctx->errors++;
		acc += (long)list.count + (list.count ? values[0].cause : 0);
	}
	sink += acc;
	return ops;
}

static struct metric measure(bench_fn fn, struct bench_ctx *ctx, long ops, int runs)
{
	double ns_per_op[MAX_RUNS];
	struct metric m;

	fn(ctx, ops); /* warm-up: caches, branch predictors, lazy binding */
	for (int i = 0; i < runs; i++) {
		double t0 = bench_now_ns();
		long done = fn(ctx, ops);
		double t1 = bench_now_ns();
		ns_per_op[i] = (t1 - t0) / (double)done;
	}
	m.median = bench_median(ns_per_op, (size_t)runs); /* sorts */
	m.min = ns_per_op[0];
	m.max = ns_per_op[runs - 1];
	return m;
}

static void print_metric(const char *name, struct metric m, int runs)
{
	printf("%s: median %.1f ns/op (min %.1f, max %.1f, %d runs)\n", name, m.median, m.min,
	       m.max, runs);
}

static void print_cpu(void)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			if (strncmp(line, "model name", 10) == 0) {
				char *v = strchr(line, ':');
				if (v) {
					v += 1 + (v[1] == ' ');
					v[strcspn(v, "\n")] = '\0';
					printf("cpu: %s\n", v);
					fclose(f);
					return;
				}
			}
		}
		fclose(f);
	}
	printf("cpu: unknown\n");
}

/*
 * Bytes of heap in use and mmapped (glibc mallinfo2). Chunks parked in the
 * thread cache count as in use, so a malloc/free pair on a path that has not
 * allocated that size before shows up as growth; a steady-state pair reusing
 * a cached chunk would not, which is why the snapshot is taken before the
 * first lookup call of the program.
 */
static long long heap_in_use(void)
{
#ifdef BENCH_HAVE_MALLINFO2
	struct mallinfo2 mi = mallinfo2();
	return (long long)mi.uordblks + (long long)mi.hblkhd;
#else
	return -1;
#endif
}

/* The parse corpus: RFC examples, then values a gateway meets in the field. */
static const struct {
	const char *label;
	const char *value;
} corpus[] = {
	{ "RFC 3326 SIP 200", "SIP ;cause=200 ;text=\"Call completed elsewhere\"" },
	{ "RFC 3326 Q.850 16", "Q.850 ;cause=16 ;text=\"Terminated\"" },
	{ "RFC 3326 SIP 600", "SIP ;cause=600 ;text=\"Busy Everywhere\"" },
	{ "RFC 3326 SIP 580", "SIP ;cause=580 ;text=\"Precondition Failure\"" },
	{ "RFC 8606 location", "Q.850;cause=16;text=\"Terminated\";location=LN" },
	{ "RFC 4411 preemption", "preemption ;cause=1 ;text=\"UA Preemption\"" },
	{ "two values", "SIP;cause=503;text=\"Service Unavailable\", Q.850;cause=34" },
	{ "bare Q.850", "Q.850;cause=41" },
	{ "mixed case, escapes", "q.850;CAUSE=17;Text=\"User \\\"busy\\\"\";LOCATION=rpn" },
	{ "unknown protocol", "X-Vendor;cause=42;trunk=7" },
	{ "extension params", "Q.850;cause=34;x-carrier=\"tg 7\";x-route=2;text=\"No circuit\"" },
	{ "out of range", "Q.850;cause=999;text=\"bogus\"" },
};
#define CORPUS_COUNT (sizeof(corpus) / sizeof(corpus[0]))

static int usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--runs N (1..%d)] [--ops N] [--profile NAME] [--quick]\n",
	        argv0, MAX_RUNS);
	return 2;
}

int main(int argc, char **argv)
{
	int runs = 15;
	long ops = 2000000;
	const char *profile_name = CW_PROFILE_DEFAULT;

	for (int i = 1; i < argc; i++) {
		char *end;
		if (strcmp(argv[i], "--quick") == 0) {
			runs = 3;
			ops = 20000;
		} else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			runs = (int)strtol(argv[++i], &end, 10);
			if (*end || runs < 1 || runs > MAX_RUNS)
				return usage(argv[0]);
		} else if (strcmp(argv[i], "--ops") == 0 && i + 1 < argc) {
			ops = strtol(argv[++i], &end, 10);
			if (*end || ops < 1)
				return usage(argv[0]);
		} else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc) {
			profile_name = argv[++i];
		} else {
			return usage(argv[0]);
		}
	}

	struct bench_ctx ctx = { 0 };
	if (cw_profile_get(profile_name, &ctx.profile) != 0) {
		fprintf(stderr, "cw-bench: unknown profile '%s'\n", profile_name);
		return 2;
	}

	printf("cw-bench: libcauseway %s (headers %s)\n", cw_version(), CW_VERSION_STRING);
#if defined(__clang__)
	printf("compiler: %s", __VERSION__);
#elif defined(__GNUC__)
	printf("compiler: gcc %s", __VERSION__);
#else
	printf("compiler: unknown");
#endif
#ifdef __OPTIMIZE__
	printf(", optimized\n");
#else
	printf(", NOT optimized (figures are not meaningful)\n");
#endif
	print_cpu();
	printf("profile: %s, %d runs of ~%ld ops per metric (median, min, max of the runs)\n",
	       profile_name, runs, ops);

	/* The Reason a 503 arrives with: Q.850 wins over the status row. */
	static const char q850_reason[] = "Q.850;cause=34;text=\"No circuit/channel available\"";
	cw_reason values[4];
	char text[256];
	cw_reason_list reasons;
	cw_reason_list_init(&reasons, values, 4, text, sizeof(text));
	if (cw_reason_list_parse(&reasons, q850_reason, sizeof(q850_reason) - 1) != 0 ||
	    reasons.count != 1 || values[0].error != 0) {
		fprintf(stderr, "cw-bench: cannot parse %s\n", q850_reason);
		return 1;
	}

	/* Lookups: timed, and the heap checked around all of them. */
	long long heap_before = heap_in_use();
	struct metric c2s = measure(run_cause2sip, &ctx, ops, runs);
	ctx.reasons = NULL;
	struct metric s2c = measure(run_sip2cause, &ctx, ops, runs);
	ctx.reasons = &reasons;
	ctx.reason_used = 0;
	struct metric s2c_reason = measure(run_sip2cause, &ctx, ops, runs);
	long long heap_after = heap_in_use();

	print_metric("cause2sip lookup", c2s, runs);
	print_metric("sip2cause lookup", s2c, runs);
	print_metric("sip2cause lookup with Reason", s2c_reason, runs);
	printf("sip2cause with Reason / without: %.2fx\n", s2c_reason.median / s2c.median);
	printf("sip2cause without Reason / cause2sip: %.2fx\n", s2c.median / c2s.median);
	if (ctx.reason_used == 0)
		printf("note: profile %s never let the Q.850 Reason decide\n", profile_name);

	int status = 0;
	if (ctx.errors) {
		printf("lookup errors: %ld calls returned non-zero\n", ctx.errors);
		status = 1;
	}
	if (heap_before < 0) {
		printf("allocations during lookups: not measured (needs glibc mallinfo2)\n");
	} else if (heap_after == heap_before) {
		printf("allocations during lookups: 0 (mallinfo2: %lld bytes in use before and after)\n",
		       heap_before);
	} else {
		printf("allocations during lookups: heap in use changed by %lld bytes\n",
		       heap_after - heap_before);
		status = 1;
	}

	/* Reason parsing, per value of the corpus. */
	long parse_ops = ops / 8 > 0 ? ops / 8 : 1;
	double corpus_total = 0.0;
	heap_before = heap_in_use();
	for (size_t i = 0; i < CORPUS_COUNT; i++) {
		char name[96];
		ctx.value = corpus[i].value;
		ctx.len = strlen(corpus[i].value);
		struct metric m = measure(run_parse, &ctx, parse_ops, runs);
		snprintf(name, sizeof(name), "reason parse [%s]", corpus[i].label);
		print_metric(name, m, runs);
		corpus_total += m.median;
	}
	heap_after = heap_in_use();
	printf("reason parse, corpus mean of medians: %.1f ns/value\n",
	       corpus_total / (double)CORPUS_COUNT);
	for (size_t i = 0; i < CORPUS_COUNT; i++)
		printf("  [%s] %s\n", corpus[i].label, corpus[i].value);
	if (heap_before >= 0) {
		if (heap_after == heap_before) {
			printf("allocations during Reason parsing: 0\n");
		} else {
			printf("allocations during Reason parsing: heap in use changed by %lld bytes\n",
			       heap_after - heap_before);
			status = 1;
		}
	}

	return status;
}
