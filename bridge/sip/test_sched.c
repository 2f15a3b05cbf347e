/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/test_sched.c — the shard scheduler (sched.h) against a naive
 * model (an array scanned in full), over a long random walk, plus the
 * edge cases by hand.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/common.h>

#include "sched.h"

static int failures;

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			failures++;                                         \
			fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);     \
			fprintf(stderr, __VA_ARGS__);                       \
			fputc('\n', stderr);                                \
		}                                                           \
	} while (0)

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void test_edges(void)
{
	struct cws_sched s;
	unsigned out[4];

	CHECK(cws_sched_init(&s, 0) == -EINVAL, "0 shards accepted");
	CHECK(cws_sched_init(NULL, 4) == -EINVAL, "NULL accepted");
	CHECK(cws_sched_init(&s, 4) == 0, "init 4");
	CHECK(!cws_sched_has_ready(&s) && cws_sched_next(&s) == -1, "fresh: nothing");
	cws_sched_mark(&s, 2);
	cws_sched_mark(&s, 2);
	cws_sched_mark(&s, 0);
	cws_sched_mark(&s, 9); /* out of range: ignored */
	CHECK(cws_sched_take_ready(&s, out) == 2 && out[0] == 2 && out[1] == 0,
	      "ready once each, in marking order");
	CHECK(!cws_sched_has_ready(&s), "taken: empty");
	cws_sched_mark(&s, 2);
	CHECK(cws_sched_take_ready(&s, out) == 1 && out[0] == 2, "marked again after take");

	cws_sched_set_deadline(&s, 1, 50);
	cws_sched_set_deadline(&s, 3, 20);
	cws_sched_set_deadline(&s, 0, 20);
	CHECK(cws_sched_next(&s) == 20, "next = earliest");
	CHECK(cws_sched_take_due(&s, 19, out) == 0, "nothing due before 20");
	CHECK(cws_sched_take_due(&s, 20, out) == 2, "both 20s due at 20");
	CHECK(cws_sched_deadline(&s, 3) == -1 && cws_sched_deadline(&s, 0) == -1, "taken: cleared");
	cws_sched_set_deadline(&s, 1, 5); /* moves earlier */
	CHECK(cws_sched_next(&s) == 5, "moved earlier");
	cws_sched_set_deadline(&s, 1, -1);
	CHECK(cws_sched_next(&s) == -1, "cleared: none");
	cws_sched_set_deadline(&s, 1, -1); /* clearing twice is harmless */
	cws_sched_free(&s);
	cws_sched_free(&s);
}

/* Random marks, deadline sets/clears and takes, compared step by step. */
static void test_against_model(unsigned n, unsigned steps)
{
	struct cws_sched s;
	long long *model = malloc(n * sizeof(*model));
	unsigned char *ready = calloc(n, 1), *seen = calloc(n, 1);
	unsigned *out = malloc(n * sizeof(*out));
	long long now = 0;

	if (!model || !ready || !seen || !out || cws_sched_init(&s, n) != 0) {
		CHECK(0, "out of memory");
		goto out;
	}
	for (unsigned i = 0; i < n; i++)
		model[i] = -1;
	for (unsigned step = 0; step < steps; step++) {
		unsigned i = rnd(n), op = rnd(10), k;
		long long best = -1;

		if (op < 3) {
			cws_sched_mark(&s, i);
			ready[i] = 1;
		} else if (op < 6) {
			long long at = now + rnd(100);
			cws_sched_set_deadline(&s, i, at);
			model[i] = at;
		} else if (op < 7) {
			cws_sched_set_deadline(&s, i, -1);
			model[i] = -1;
		} else if (op < 8) {
			k = cws_sched_take_ready(&s, out);
			memset(seen, 0, n);
			for (unsigned j = 0; j < k; j++) {
				CHECK(ready[out[j]] && !seen[out[j]], "step %u: ready %u wrong/twice",
				      step, out[j]);
				seen[out[j]] = 1;
			}
			for (unsigned j = 0; j < n; j++) {
				CHECK(ready[j] == seen[j], "step %u: ready %u lost", step, j);
				ready[j] = 0;
			}
		} else {
			long long prev = -1;
			now += rnd(30);
			k = cws_sched_take_due(&s, now, out);
			memset(seen, 0, n);
			for (unsigned j = 0; j < k; j++) {
				unsigned x = out[j];
				CHECK(model[x] >= 0 && model[x] <= now && !seen[x],
				      "step %u: %u handed out as due (deadline %lld, now %lld)", step, x,
				      model[x], now);
				CHECK(model[x] >= prev, "step %u: due not earliest first", step);
				prev = model[x];
				seen[x] = 1;
				model[x] = -1;
			}
			for (unsigned j = 0; j < n; j++)
				CHECK(!(model[j] >= 0 && model[j] <= now), "step %u: due %u kept", step, j);
		}
		for (unsigned j = 0; j < n; j++) {
			CHECK(cws_sched_deadline(&s, j) == model[j], "step %u: deadline of %u", step, j);
			if (model[j] >= 0 && (best < 0 || model[j] < best))
				best = model[j];
		}
		CHECK(cws_sched_next(&s) == best, "step %u: next %lld, model %lld", step,
		      cws_sched_next(&s), best);
		if (failures > 20)
			break;
	}
	cws_sched_free(&s);
out:
	free(model);
	free(ready);
	free(seen);
	free(out);
}

int main(void)
{
	test_edges();
	test_against_model(1, 2000);
	test_against_model(7, 20000);
	test_against_model(64, 20000);
	test_against_model(1000, 5000);
	if (failures) {
		fprintf(stderr, "test_sched: %d failure(s)\n", failures);
		return 1;
	}
	printf("test_sched: ok\n");
	return 0;
}
