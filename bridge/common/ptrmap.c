/* SPDX-License-Identifier: MIT */
/*
 * ptrmap.c — ptrmap.h: a table of 2^k slots, at most half of them used, probed
 * linearly from the key's hash; a deletion moves the later slots of its run back,
 * so there are no tombstones and a lookup stops at the first empty slot.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "ptrmap.h"

/* The pointer's bits mixed (a 64-bit finalizer): heap addresses differ mostly in the
 * middle bits, and the slot is taken from the low ones. */
static size_t hash(const void *key)
{
	uint64_t x = (uint64_t)(uintptr_t)key;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return (size_t)x;
}

static size_t find_slot(const struct cwcom_ptrmap_slot *slot, size_t cap, const void *key)
{
	size_t i = hash(key) & (cap - 1);

	while (slot[i].key && slot[i].key != key)
		i = (i + 1) & (cap - 1);
	return i;
}

int cwcom_ptrmap_reserve(struct cwcom_ptrmap *m, size_t n)
{
	struct cwcom_ptrmap_slot *slot;
	size_t cap = m->cap ? m->cap : 64;

	while (cap < 2 * n)
		cap *= 2;
	if (cap == m->cap)
		return 0;
	slot = calloc(cap, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].key)
			slot[find_slot(slot, cap, m->slot[i].key)] = m->slot[i];
	free(m->slot);
	m->slot = slot;
	m->cap = cap;
	return 0;
}

int cwcom_ptrmap_put(struct cwcom_ptrmap *m, const void *key, void *value)
{
	size_t i;

	if (!key || !value)
		return -EINVAL;
	if (m->cap) {
		i = find_slot(m->slot, m->cap, key);
		if (m->slot[i].key) {
			m->slot[i].value = value;
			return 0;
		}
	}
	if (2 * (m->n + 1) > m->cap && cwcom_ptrmap_reserve(m, m->n + 1) < 0)
		return -ENOMEM;
	i = find_slot(m->slot, m->cap, key);
	m->slot[i].key = key;
	m->slot[i].value = value;
	m->n++;
	return 0;
}

void *cwcom_ptrmap_get(const struct cwcom_ptrmap *m, const void *key)
{
	size_t i;

	if (!m->cap || !key)
		return NULL;
	i = find_slot(m->slot, m->cap, key);
	return m->slot[i].key ? m->slot[i].value : NULL;
}

int cwcom_ptrmap_del_if(struct cwcom_ptrmap *m, const void *key, const void *value)
{
	size_t mask = m->cap - 1, i, j;

	if (!m->cap || !key)
		return 0;
	i = find_slot(m->slot, m->cap, key);
	if (!m->slot[i].key || m->slot[i].value != value)
		return 0;
	/* backward shift: a later slot of the run moves into the hole unless its home
	 * lies cyclically in (hole, slot] */
	for (j = (i + 1) & mask; m->slot[j].key; j = (j + 1) & mask) {
		size_t home = hash(m->slot[j].key) & mask;

		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->slot[i] = m->slot[j];
			i = j;
		}
	}
	m->slot[i].key = NULL;
	m->slot[i].value = NULL;
	m->n--;
	return 1;
}

void cwcom_ptrmap_free(struct cwcom_ptrmap *m)
{
	free(m->slot);
	m->slot = NULL;
	m->n = m->cap = 0;
}
