/* SPDX-License-Identifier: MIT */
/*
 * suggest.c — "did you mean": the closest of a few names to a word that
 * matched none of them.
 */
#include <ctype.h>
#include <string.h>

#include "suggest.h"

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64], i, j;

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The closest candidate within distance 2 (and less than half its length), or NULL. */
const char *cwcfg_closest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = 3, i;

	for (i = 0; i < n; i++) {
		size_t d = edit_distance(word, cands[i]);
		if (d < best_d && d * 2 < strlen(cands[i]) + 1) {
			best = cands[i];
			best_d = d;
		}
	}
	return best;
}
