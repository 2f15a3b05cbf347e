/* SPDX-License-Identifier: MIT */
/*
 * internal.h — small functions and macros shared by the library's sources. Not installed.
 */
#ifndef CW_LIB_INTERNAL_H
#define CW_LIB_INTERNAL_H

#include <stddef.h>

#define CW_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ASCII-only case folding: the grammar's tokens are ASCII (RFC 3261 §25.1). */
static inline int cw_ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static inline int cw_ascii_ieq(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen; i++) {
		if (b[i] == '\0' || cw_ascii_lower((unsigned char)a[i]) != cw_ascii_lower((unsigned char)b[i]))
			return 0;
	}
	return b[i] == '\0';
}

#endif /* CW_LIB_INTERNAL_H */
