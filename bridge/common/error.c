/* SPDX-License-Identifier: MIT */
/*
 * bridge/common/error.c — cwcom_strerror(): the text of every bridge
 * error code, of negative errno values, and "unknown error N" otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "causeway/common.h"

/* Indexed by CWCOM_E_FIRST - code. */
static const char *const bridge_texts[] = {
	[CWCOM_E_FIRST - CWCOM_ESTATE] = "event not permitted in the current state",
	[CWCOM_E_FIRST - CWCOM_ESYNTAX] = "malformed text",
	[CWCOM_E_FIRST - CWCOM_EDUPLICATE] = "given twice",
	[CWCOM_E_FIRST - CWCOM_ELIMIT] = "size limit reached",
	[CWCOM_E_FIRST - CWCOM_EMISSING] = "required key or field missing",
	[CWCOM_E_FIRST - CWCOM_ESCHEME] = "not Digest authentication",
	[CWCOM_E_FIRST - CWCOM_EALGORITHM] = "unsupported digest algorithm",
};

_Static_assert(sizeof(bridge_texts) / sizeof(bridge_texts[0]) ==
               (size_t)(CWCOM_E_FIRST - CWCOM_E_LAST) + 1,
               "every bridge error code has its text");

/* Negative errno values are asked of strerror() down to this; the bridge codes lie below. */
#define ERRNO_MAX 999

const char *cwcom_strerror(int err)
{
	static char buf[128];

	if (err == 0)
		return "success";
	if (err <= CWCOM_E_FIRST && err >= CWCOM_E_LAST && bridge_texts[CWCOM_E_FIRST - err])
		return bridge_texts[CWCOM_E_FIRST - err];
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

int cwcom_from_cw(int cw_error)
{
	switch (cw_error) {
	case 0: return 0;
	case CW_EINVAL: return -EINVAL;
	case CW_ERANGE: return -ERANGE;
	case CW_ENOMEM: return -ENOMEM;
	case CW_ENOENT: return -ENOENT;
	case CW_ESYNTAX: return CWCOM_ESYNTAX;
	case CW_EDUPLICATE: return CWCOM_EDUPLICATE;
	case CW_ENOSPC: return -ENOSPC;
	case CW_ELIMIT: return CWCOM_ELIMIT;
	case CW_EMISSING: return CWCOM_EMISSING;
	default: return cw_error > 0 ? cw_error : -EINVAL;
	}
}
