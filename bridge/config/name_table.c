/* SPDX-License-Identifier: MIT */
/*
 * name_table.c — lookups in a cw_bridge_name table, both ways.
 */
#include <stdio.h>
#include <strings.h>

#include <causeway/common.h>

#include "name_table.h"

const char *cw_bridge_name_of(const struct cw_bridge_name *table, int value)
{
	for (; table->name; table++)
		if (table->value == value)
			return table->name;
	return NULL;
}

int cw_bridge_name_value(const struct cw_bridge_name *table, const char *name, int *ret)
{
	for (; table->name; table++) {
		if (strcasecmp(table->name, name) == 0) {
			*ret = table->value;
			return 0;
		}
	}
	return CW_ENOENT;
}

void cw_bridge_name_list(const struct cw_bridge_name *table, char *buf, size_t len)
{
	const struct cw_bridge_name *t;
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
