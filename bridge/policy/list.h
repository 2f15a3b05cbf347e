/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/list.h — what the list parsers of bridge/policy share: the
 * items of "A, B C" and their error messages. Not for callers of the
 * policy modules.
 */
#ifndef CWP_LIST_H
#define CWP_LIST_H

#include <stddef.h>

/* Longest item of a list, in bytes (a longer one is refused whole). */
#define CWP_ITEM_MAX 64

/*
 * cwp_list_next() - the next item of the list at *cursor: skips commas and
 * blanks (SP, HTAB), copies the item (up to the next comma or blank) into
 * item[CWP_ITEM_MAX + 1] and advances *cursor past it. Returns 1 with an
 * item, 0 at the end of the list, CWCOM_ELIMIT when the item is longer than
 * CWP_ITEM_MAX (its first bytes are in item, NUL-terminated).
 */
int cwp_list_next(const char **cursor, char item[CWP_ITEM_MAX + 1]);

/* cwp_error() - printf into err[errlen] when err is not NULL; returns code. */
int cwp_error(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
