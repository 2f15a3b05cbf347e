/* SPDX-License-Identifier: MIT */
/*
 * suggest.h — "did you mean" for unknown sections, keys and words.
 */
#ifndef CW_BRIDGE_SUGGEST_H
#define CW_BRIDGE_SUGGEST_H

#include <stddef.h>

/*
 * cw_bridge_closest() - the candidate closest to word (case-insensitive
 * edit distance at most 2, and less than half the candidate's length), or
 * NULL.
 */
const char *cw_bridge_closest(const char *word, const char *const *cands, size_t n);

#endif /* CW_BRIDGE_SUGGEST_H */
