/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/verdict.h — what the admission policy decides about a
 * request, and the names the refusal log line writes (README.md, "The
 * log line").
 */
#ifndef CWP_VERDICT_H
#define CWP_VERDICT_H

#ifdef __cplusplus
extern "C" {
#endif

enum cwp_verdict {
	CWP_ADMIT = 0,
	CWP_REFUSED_ACL = 1,          /* the source is not in an allowed block */
	CWP_REFUSED_DESTINATION = 2,  /* the called number matched a deny prefix */
	CWP_REFUSED_RATE = 3,         /* the source's token bucket is empty */
	CWP_REFUSED_BLOCKED = 4,      /* the source is blocked for a while */
	CWP_REFUSED_CALLS = 5,        /* the source has its most concurrent calls */
	CWP_REFUSED_BUSY = 6          /* the gateway has its most concurrent calls */
};

/*
 * cwp_verdict_name() - "admit", "acl", "destination", "rate", "blocked",
 * "calls", "busy" (the reason= of the log line); NULL for another value.
 */
const char *cwp_verdict_name(enum cwp_verdict v);

#ifdef __cplusplus
}
#endif

#endif
