/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/list.c — items of the comma/blank separated lists.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <causeway/common.h>

#include "common/error.h"
#include "list.h"

static int is_separator(char c)
{
	return c == ',' || c == ' ' || c == '\t';
}

int cwp_list_next(const char **cursor, char item[CWP_ITEM_MAX + 1])
{
	const char *p = *cursor, *start;
	size_t n;

	while (*p && is_separator(*p))
		p++;
	if (!*p) {
		*cursor = p;
		return 0;
	}
	start = p;
	while (*p && !is_separator(*p))
		p++;
	n = (size_t)(p - start);
	*cursor = p;
	if (n > CWP_ITEM_MAX) {
		memcpy(item, start, CWP_ITEM_MAX);
		item[CWP_ITEM_MAX] = '\0';
		return CWCOM_ELIMIT;
	}
	memcpy(item, start, n);
	item[n] = '\0';
	return 1;
}

int cwp_error(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}
