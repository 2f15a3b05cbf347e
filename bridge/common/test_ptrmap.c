/* SPDX-License-Identifier: MIT */
/*
 * test_ptrmap.c — the pointer map (ptrmap.c) against a plain array: random
 * puts, replacements and deletions (a deletion of another value's key refused),
 * growth past the first table, every key found or not found as the model says
 * after each step, and reserved room that never allocates.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../tests/unit/check.h"
#include "common/ptrmap.h"

#define KEYS 300

static char keys[KEYS * 16];  /* key k is &keys[16 * k]: close addresses, like a heap's */
static char values[4];
static void *model[KEYS];

static uint64_t next_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

static int agrees(const struct cwcom_ptrmap *m)
{
	size_t n = 0;

	for (size_t k = 0; k < KEYS; k++) {
		if (cwcom_ptrmap_get(m, &keys[16 * k]) != model[k])
			return 0;
		n += model[k] != NULL;
	}
	return n == m->n && 2 * m->n <= m->cap;
}

int main(void)
{
	struct cwcom_ptrmap m = { 0 };
	uint64_t seed = 99;
	int ok = 1;

	CHECK(cwcom_ptrmap_get(&m, keys) == NULL);
	CHECK_INT(cwcom_ptrmap_del_if(&m, keys, values), 0);
	CHECK_INT(cwcom_ptrmap_put(&m, NULL, values), -EINVAL);
	CHECK_INT(cwcom_ptrmap_put(&m, keys, NULL), -EINVAL);

	for (int step = 0; step < 30000 && ok; step++) {
		size_t k = next_rand(&seed) % KEYS;
		void *v = &values[next_rand(&seed) % 4];
		int del = next_rand(&seed) % 3 == 0;

		if (del) {
			int want = model[k] == v;

			ok = cwcom_ptrmap_del_if(&m, &keys[16 * k], v) == want;
			if (want)
				model[k] = NULL;
		} else {
			ok = cwcom_ptrmap_put(&m, &keys[16 * k], v) == 0;
			model[k] = v;
		}
		ok = ok && agrees(&m);
	}
	CHECK(ok);
	CHECK(m.cap >= 128); /* grew past the first 64 slots */

	/* emptied key by key: every other key still found after each removal */
	ok = 1;
	for (size_t k = 0; k < KEYS && ok; k++) {
		if (model[k])
			ok = cwcom_ptrmap_del_if(&m, &keys[16 * k], model[k]) == 1;
		model[k] = NULL;
		ok = ok && agrees(&m);
	}
	CHECK(ok);
	CHECK_INT(m.n, 0);
	cwcom_ptrmap_free(&m);

	/* reserved: the table does not move while that many keys go in */
	CHECK_INT(cwcom_ptrmap_reserve(&m, KEYS), 0);
	{
		const struct cwcom_ptrmap_slot *before = m.slot;

		ok = 1;
		for (size_t k = 0; k < KEYS; k++)
			ok = ok && cwcom_ptrmap_put(&m, &keys[16 * k], values) == 0;
		CHECK(ok);
		CHECK(m.slot == before);
		CHECK_INT(m.n, KEYS);
	}
	cwcom_ptrmap_free(&m);
	CHECK(m.slot == NULL && m.n == 0 && m.cap == 0);
	return check_done();
}
