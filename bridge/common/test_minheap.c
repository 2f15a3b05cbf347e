/* SPDX-License-Identifier: MIT */
/*
 * test_minheap.c — the min-heap (minheap.c) against a plain array walked
 * in full: after every insert, move and removal the top is the smallest key of the
 * entries in it, every entry knows its place, and the heap order holds; taking the
 * top out again and again gives the keys in order; ties and a full reserve.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../tests/unit/check.h"
#include "minheap.h"

#define N 200

static struct cwcom_heap_entry e[N];

/* The model: the smallest key of the entries with one, or 0. */
static uint64_t model_min(void)
{
	uint64_t best = 0;

	for (size_t i = 0; i < N; i++)
		if (e[i].key && (!best || e[i].key < best))
			best = e[i].key;
	return best;
}

static int consistent(const struct cwcom_heap *t)
{
	size_t in = 0;

	for (size_t i = 0; i < N; i++)
		in += e[i].pos != 0;
	if (in != t->n)
		return 0;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i]->pos != i + 1 || t->v[i]->key == 0)
			return 0;
		if (i > 0 && t->v[(i - 1) / 2]->key > t->v[i]->key)
			return 0;
	}
	return 1;
}

static uint64_t next_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

int main(void)
{
	struct cwcom_heap t = { 0 };
	uint64_t seed = 12345, last;
	int ok = 1;

	CHECK(cwcom_heap_top(&t) == NULL);
	CHECK_INT(cwcom_heap_set(&t, &e[0], 0), 0); /* not in it: nothing to take out */
	CHECK_INT(t.n, 0);

	/* random inserts, moves up and down, removals; few distinct keys, so many ties */
	for (int step = 0; step < 20000 && ok; step++) {
		size_t i = next_rand(&seed) % N;
		uint64_t key = next_rand(&seed) % 4 == 0 ? 0 : 1 + next_rand(&seed) % 50;

		ok = cwcom_heap_set(&t, &e[i], key) == 0 && e[i].key == key && consistent(&t) &&
		     (cwcom_heap_top(&t) ? cwcom_heap_top(&t)->key : 0) == model_min();
	}
	CHECK(ok);

	/* taking the top out, again and again: the keys in order, then empty */
	last = 0;
	ok = 1;
	while (cwcom_heap_top(&t)) {
		struct cwcom_heap_entry *top = cwcom_heap_top(&t);

		ok = ok && top->key >= last && top->key == model_min();
		last = top->key;
		cwcom_heap_set(&t, top, 0);
		ok = ok && top->pos == 0 && top->key == 0 && consistent(&t);
	}
	CHECK(ok);
	CHECK_INT(t.n, 0);

	/* reserved room: no allocation, so no failure, up to it */
	cwcom_heap_free(&t);
	CHECK_INT(cwcom_heap_reserve(&t, N), 0);
	CHECK(t.cap >= N);
	ok = 1;
	for (size_t i = 0; i < N; i++)
		ok = ok && cwcom_heap_set(&t, &e[i], N - i) == 0;
	CHECK(ok);
	CHECK(cwcom_heap_top(&t) == &e[N - 1]);
	CHECK_INT(cwcom_heap_top(&t)->key, 1);
	/* a key moved past all others goes to the bottom; the next is on top */
	CHECK_INT(cwcom_heap_set(&t, &e[N - 1], 1000), 0);
	CHECK(cwcom_heap_top(&t) == &e[N - 2]);
	CHECK(consistent(&t));
	cwcom_heap_free(&t);
	CHECK(t.v == NULL && t.n == 0 && t.cap == 0);
	return check_done();
}
