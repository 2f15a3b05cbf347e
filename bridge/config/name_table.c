/* SPDX-License-Identifier: MIT */
/*
 * name_table.c — lookups in a cwcfg_name table, both ways.
 */
#include <errno.h>
#include <stdio.h>
#include <strings.h>

#include <causeway/common.h>

#include "name_table.h"

const char *cwcfg_name_of(const struct cwcfg_name *table, int value)
{
	for (; table->name; table++)
		if (table->value == value)
			return table->name;
	return NULL;
}

int cwcfg_name_value(const struct cwcfg_name *table, const char *name, int *ret)
{
	for (; table->name; table++) {
		if (strcasecmp(table->name, name) == 0) {
			*ret = table->value;
			return 0;
		}
	}
	return -ENOENT;
}

void cwcfg_name_list(const struct cwcfg_name *table, char *buf, size_t len)
{
	const struct cwcfg_name *t;
	size_t used = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (t = table; t->name; t++) {
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
		                         t == table ? "" : ", ", t->name);
		if (used >= len)
			used = len - 1;
	}
}
