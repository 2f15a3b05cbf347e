/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/refusal.h — the one log line of a refused or rate-limited
 * request (README.md, "The log line"), which fail2ban/causeway-bridge.conf
 * matches:
 *
 *   refused from=ADDR:PORT transport=T reason=R method=M [to=N] [prefix=P] [block_ms=MS]
 *
 * The daemon writes it at level notice, after its own
 * "causeway-bridge: notice: ". Everything up to reason= is the gateway's
 * own (the source address as the socket gave it), so the filter anchors
 * there; the fields a sender chooses come after it and are cut to a safe
 * alphabet, so no request can forge another source's line.
 */
#ifndef CWP_REFUSAL_H
#define CWP_REFUSAL_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "verdict.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest line cwp_refusal_format() writes, NUL included. */
#define CWP_REFUSAL_LINE_MAX 256
/* Longest method and number written; longer ones are cut. */
#define CWP_REFUSAL_FIELD_MAX 32

struct cwp_refusal {
	enum cwp_verdict verdict;     /* not CWP_ADMIT */
	const struct cwp_addr *from;  /* the source, with its port */
	const char *transport;        /* "udp", "tcp", "tls" (1-8 of a-z) */
	const char *method;           /* the request's method; NULL writes "-" */
	const char *to;               /* the called number; NULL leaves to= out */
	const char *prefix;           /* the deny prefix that matched; NULL leaves it out */
	uint64_t block_ms;            /* reason=blocked: the block's length; 0 leaves it out */
};

/*
 * cwp_refusal_format() - the line of r into buf (NUL-terminated, no
 * newline). A byte of method outside the RFC 3261 §25.1 token alphabet, or
 * of to/prefix outside 0-9 * # + a-z A-Z . -, is written as '?'; each is
 * cut to CWP_REFUSAL_FIELD_MAX. Returns the length, -ENOSPC (len too
 * small; CWP_REFUSAL_LINE_MAX always suffices), -EINVAL.
 */
int cwp_refusal_format(const struct cwp_refusal *r, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
