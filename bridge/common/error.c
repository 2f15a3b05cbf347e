/* SPDX-License-Identifier: MIT */
/*
 * bridge/common/error.c — cw_bridge_strerror(): the text of every bridge
 * error code, of negative errno values, and "unknown error N" otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"

/* Indexed by CW_BRIDGE_E_FIRST - code. */
static const char *const bridge_texts[] = {
	[CW_BRIDGE_E_FIRST - CW_BRIDGE_ESTATE] = "event not permitted in the current state",
	[CW_BRIDGE_E_FIRST - CW_BRIDGE_ESYNTAX] = "malformed text",
	[CW_BRIDGE_E_FIRST - CW_BRIDGE_EDUPLICATE] = "given twice",
	[CW_BRIDGE_E_FIRST - CW_BRIDGE_ELIMIT] = "size limit reached",
};

_Static_assert(sizeof(bridge_texts) / sizeof(bridge_texts[0]) ==
               (size_t)(CW_BRIDGE_E_FIRST - CW_BRIDGE_E_LAST) + 1,
               "every bridge error code has its text");

/* Negative errno values are asked of strerror() down to this; the bridge codes lie below. */
#define ERRNO_MAX 999

const char *cw_bridge_strerror(int err)
{
	static char buf[128];

	if (err == 0)
		return "success";
	if (err <= CW_BRIDGE_E_FIRST && err >= CW_BRIDGE_E_LAST && bridge_texts[CW_BRIDGE_E_FIRST - err])
		return bridge_texts[CW_BRIDGE_E_FIRST - err];
	if (err < 0 && err >= -ERRNO_MAX) {
		const char *text = strerror(-err);

		/* glibc names a number it does not know "Unknown error N": say it our way */
		if (text && strncmp(text, "Unknown error", 13) != 0) {
			snprintf(buf, sizeof(buf), "%s", text);
			return buf;
		}
	}
	snprintf(buf, sizeof(buf), "unknown error %d", err);
	return buf;
}
