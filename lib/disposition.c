/* SPDX-License-Identifier: MIT */
/*
 * disposition.c — names of the dispositions (what the receiver of a status
 * should do). Kept apart from the status table so cw-tablegen can link it.
 */
#include <causeway/sip.h>

const char *cw_disposition_name(enum cw_disposition disp)
{
	static const char *const names[] = {
		[CW_DISP_PROGRESS] = "progress",
		[CW_DISP_SUCCESS] = "success",
		[CW_DISP_REDIRECT] = "redirect",
		[CW_DISP_AUTHENTICATE] = "authenticate",
		[CW_DISP_FIX_REQUEST] = "fix-request",
		[CW_DISP_NEXT_ROUTE] = "next-route",
		[CW_DISP_RETRY_LATER] = "retry-later",
		[CW_DISP_FINAL] = "final",
	};

	if ((int)disp < 0 || (size_t)disp >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[disp];
}
