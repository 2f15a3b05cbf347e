/* SPDX-License-Identifier: MIT */
/*
 * q850.c — ITU-T Q.850 cause information, from tables/q850-*.txt.
 */
#include <causeway/q850.h>

#include "tables.h"

int cw_q850_info_get(int cause, const cw_q850_info **ret_info)
{
	if (!ret_info)
		return CW_EINVAL;
	if (cause < 0 || cause > CW_Q850_CAUSE_MAX)
		return CW_ERANGE;
	*ret_info = &cw_q850_infos[cause];
	return 0;
}

const char *cw_q850_class_name(enum cw_q850_class cls)
{
	if ((int)cls < 0 || (int)cls > 6)
		return NULL;
	return cw_q850_class_names[cls];
}
