/* SPDX-License-Identifier: MIT */
/*
 * ptrmap.h — pointer to pointer, by hash (open addressing, linear probing,
 * backward-shift deletion): the daemon's calls by their span call handle, so an event
 * of libpri's finds its call without a walk of every call.
 */
#ifndef CWCOM_PTRMAP_H
#define CWCOM_PTRMAP_H

#include <stddef.h>

struct cwcom_ptrmap {
	struct cwcom_ptrmap_slot {
		const void *key; /* NULL: empty */
		void *value;
	} *slot;
	size_t n, cap;       /* cap: 0 or a power of two, kept at most half full */
};

/* cwcom_ptrmap_reserve() - room for n keys, so cwcom_ptrmap_put() of up to n keys never
 * allocates: 0, or -ENOMEM (the map as it was). */
int cwcom_ptrmap_reserve(struct cwcom_ptrmap *m, size_t n);
/* cwcom_ptrmap_put() - key -> value (replacing what key had): 0, -EINVAL (a NULL key or
 * value), or -ENOMEM for a new key beyond the room. */
int cwcom_ptrmap_put(struct cwcom_ptrmap *m, const void *key, void *value);
/* cwcom_ptrmap_get() - key's value, NULL if none. */
void *cwcom_ptrmap_get(const struct cwcom_ptrmap *m, const void *key);
/* cwcom_ptrmap_del_if() - take key out if its value is value: 1 taken out, 0 not. */
int cwcom_ptrmap_del_if(struct cwcom_ptrmap *m, const void *key, const void *value);
void cwcom_ptrmap_free(struct cwcom_ptrmap *m);

#endif /* CWCOM_PTRMAP_H */
