/* SPDX-License-Identifier: MIT */
/*
 * redirect.h — the redirecting party between SIP and ISDN (pure: no I/O).
 *
 * ISDN carries who redirected a call in the Redirecting number IE of the
 * SETUP (Q.931 §4.5 / Q.952 §4.1.2: number, presentation, reason for
 * redirection; Q.SIG adds a diversion counter). SIP carries it in Diversion
 * (RFC 5806) or History-Info (RFC 7044, its cause-param from RFC 4458).
 * The reason codings are mapped by tables/redirect-reasons.txt, compiled
 * by cw-tablegen into the arrays below. README.md ("Redirecting number")
 * has the rules these functions implement.
 */
#ifndef BRIDGE_REDIRECT_H
#define BRIDGE_REDIRECT_H

#include <stddef.h>

#include "call.h"

/* tables/redirect-reasons.txt, generated (cw_redirect_reasons.c) */
struct cwb_redirect_isdn {
	int isdn;               /* Q.952 §4.1.2 reason for redirection, 0..15 */
	const char *name;
	const char *diversion;  /* RFC 5806 §4 reason= token sent for it */
	int cause;              /* RFC 4458 cause-param sent for it */
};
struct cwb_redirect_token {
	const char *token;      /* a Diversion reason= token received */
	int isdn;
};
struct cwb_redirect_cause {
	int cause;              /* a History-Info cause-param received */
	int isdn;
};
extern const struct cwb_redirect_isdn cwb_redirect_isdn_reasons[];
extern const size_t cwb_redirect_isdn_count;
extern const struct cwb_redirect_token cwb_redirect_tokens[];
extern const size_t cwb_redirect_token_count;
extern const struct cwb_redirect_cause cwb_redirect_causes[];
extern const size_t cwb_redirect_cause_count;

#define CWB_REDIRECT_COUNT_MAX 15 /* counters above are taken as this */

/* Who redirected the call, as the SETUP carries it. */
struct cwb_redirecting {
	int present;                      /* 0: the call was not redirected */
	char digits[CWC_CALL_NUMBER_MAX]; /* "" with presentation 2 (no number) */
	int ton, npi;                     /* Q.931 §4.5.10 octet 3 */
	int presentation;                 /* 0 allowed, 1 restricted, 2 not available */
	int reason;                       /* Q.952 §4.1.2, 0..15 */
	int count;                        /* redirections so far, 1..CWB_REDIRECT_COUNT_MAX */
};

/* Which headers an ISDN->SIP INVITE carries the redirecting party in ([sip] redirect_headers). */
enum {
	CWB_REDIRECT_DIVERSION = 1u << 0,
	CWB_REDIRECT_HISTORY_INFO = 1u << 1
};

/* Table lookups; anything not listed is "unknown": reason 0, token "unknown", cause 404. */
const char *cwb_redirect_reason_name(int isdn);
const char *cwb_redirect_diversion_token(int isdn);
int cwb_redirect_cause_param(int isdn);
int cwb_redirect_isdn_of_token(const char *token, size_t len); /* case-insensitive */
int cwb_redirect_isdn_of_cause(int cause);

/*
 * cwb_redirect_to_sip() - the header lines ("Diversion: ...\r\n",
 * "History-Info: ...\r\n") of an ISDN->SIP INVITE for r, per headers
 * (CWB_REDIRECT_* bits), appended to out (size n, NUL-terminated). The URIs
 * name host; called is the number the call now goes to (History-Info's
 * second entry). A restricted number goes as privacy=full / Privacy=history
 * to a trusted peer, as sip:anonymous@anonymous.invalid to an untrusted one.
 * 0, or -1 if out is too small, host is CWC_CALL_TARGET_MAX or longer or called
 * CWC_CALL_NUMBER_MAX or longer (out left as it was).
 */
int cwb_redirect_to_sip(const struct cwb_redirecting *r, unsigned headers, int trusted,
                        const char *called, const char *host, char *out, size_t n);

/*
 * cwb_diversion_parse() - the redirecting party of n raw Diversion header
 * values (each may be a comma list; RFC 5806 §4): the number, reason and
 * privacy of the first (most recent) entry, the sum of all counters.
 * cwb_history_info_parse() - the same from raw History-Info values (RFC 7044
 * §9): the last entry with a cause-param (RFC 4458) or mp= is the last
 * redirection; the entry it names in mp= (else the one before it) is the
 * redirecting party; count = such entries. Both: 0 with r->present = 1, or
 * -1 (r->present = 0) if the values name no redirection. Bounded by the
 * input's length; any bytes are safe (fuzz_redirect.c).
 */
int cwb_diversion_parse(const char *const *values, size_t n, struct cwb_redirecting *r);
int cwb_history_info_parse(const char *const *values, size_t n, struct cwb_redirecting *r);

#endif /* BRIDGE_REDIRECT_H */
