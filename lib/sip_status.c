/* SPDX-License-Identifier: MIT */
/*
 * sip_status.c — SIP response codes, from tables/sip-status.txt.
 */
#include <causeway/sip.h>

#include "tables.h"

int cw_sip_status_info_get(int status, const cw_sip_status_info **ret_info)
{
	int idx;

	if (!ret_info)
		return CW_EINVAL;
	if (status < CW_SIP_STATUS_MIN || status > CW_SIP_STATUS_MAX)
		return CW_ERANGE;
	idx = cw_sip_index[status - 100];
	/* RFC 3261 §8.1.3.2: an unknown code is treated as the x00 of its class. */
	*ret_info = idx >= 0 ? &cw_sip_registered[idx] : &cw_sip_class_infos[status / 100];
	return 0;
}

int cw_sip_status_is_registered_final(int status)
{
	return status >= 300 && status <= 699 && cw_sip_index[status - 100] >= 0;
}

size_t cw_sip_status_count(void)
{
	return cw_sip_registered_count;
}

int cw_sip_status_at(size_t index, const cw_sip_status_info **ret_info)
{
	if (!ret_info)
		return CW_EINVAL;
	if (index >= cw_sip_registered_count)
		return CW_ERANGE;
	*ret_info = &cw_sip_registered[index];
	return 0;
}
