/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/verdict.c — names of the verdicts (verdict.h).
 */
#include <stddef.h>

#include "verdict.h"

static const char *const verdict_names[] = {
	[CWP_ADMIT] = "admit",
	[CWP_REFUSED_ACL] = "acl",
	[CWP_REFUSED_DESTINATION] = "destination",
	[CWP_REFUSED_RATE] = "rate",
	[CWP_REFUSED_BLOCKED] = "blocked",
	[CWP_REFUSED_CALLS] = "calls",
	[CWP_REFUSED_BUSY] = "busy",
};

const char *cwp_verdict_name(enum cwp_verdict v)
{
	if ((unsigned)v >= sizeof(verdict_names) / sizeof(verdict_names[0]))
		return NULL;
	return verdict_names[v];
}
