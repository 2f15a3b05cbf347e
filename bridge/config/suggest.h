/* SPDX-License-Identifier: MIT */
/*
 * suggest.h — "did you mean" for unknown sections, keys and words.
 */
#ifndef BRIDGE_SUGGEST_H
#define BRIDGE_SUGGEST_H

#include <stddef.h>

/*
 * cwcfg_closest() - the candidate closest to word (case-insensitive
 * edit distance at most 2, and less than half the candidate's length), or
 * NULL.
 */
const char *cwcfg_closest(const char *word, const char *const *cands, size_t n);

#endif /* BRIDGE_SUGGEST_H */
