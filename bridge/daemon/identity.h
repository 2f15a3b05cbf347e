/* SPDX-License-Identifier: MIT */
/*
 * identity.h — the calling party between SIP and ISDN (pure: no I/O).
 *
 * ISDN carries the calling number with a presentation indicator and a
 * screening indicator (Q.931 §4.5.10 octet 3a) and, on some switch types,
 * a calling name. SIP carries who the caller claims to be in From, who a
 * trusted network asserts the caller is in P-Asserted-Identity (RFC 3325),
 * and what the caller wants hidden in Privacy (RFC 3323).
 *
 * The trust domain (RFC 3325 §2.3) is configured per route: an ISDN->SIP
 * route's targets either are inside it (they get P-Asserted-Identity and
 * Privacy: id) or not (they get the From only, anonymous when restricted);
 * a SIP->ISDN route names the peers whose P-Asserted-Identity is believed.
 * README.md ("Caller identity") has the table these functions implement.
 */
#ifndef BRIDGE_IDENTITY_H
#define BRIDGE_IDENTITY_H

#include <stddef.h>

#include "call.h"

/* Privacy priv-values (RFC 3323 §4.2, RFC 3325 §9.3) as bits. */
enum {
	CWB_PRIV_HEADER = 1u << 0,
	CWB_PRIV_SESSION = 1u << 1,
	CWB_PRIV_USER = 1u << 2,
	CWB_PRIV_NONE = 1u << 3,
	CWB_PRIV_CRITICAL = 1u << 4,
	CWB_PRIV_ID = 1u << 5,
	CWB_PRIV_OTHER = 1u << 6 /* a token this gateway does not know */
};

/*
 * cwb_privacy_parse() - the priv-values of n raw Privacy header values
 * ("id", "user; critical", "id;header"), as CWB_PRIV_* bits (0 if none).
 * Tokens are case-insensitive; empty items are skipped.
 */
unsigned cwb_privacy_parse(const char *const *values, size_t n);

/* The caller's identity (and its privacy) asked for: restricted presentation. */
int cwb_privacy_restricts(unsigned privacy);

/*
 * cwb_sip_number() - the digits of a SIP or tel URI user part as a Q.931
 * number: an optional leading '+' (*international = 1), then digits with the
 * RFC 3966 visual separators - . ( ) dropped; user parameters (";...") end
 * it. 0 on success; -1 if it is not a number or does not fit (n digits
 * with the NUL).
 */
int cwb_sip_number(const char *user, size_t len, char *digits, size_t n, int *international);

/*
 * cwb_pai_parse() - the first usable identity of one raw P-Asserted-Identity
 * value (RFC 3325 §9.1: a comma list of name-addr / addr-spec, sip:, sips:
 * or tel: URIs): its number (cwb_sip_number()) and display name (unquoted,
 * printable ASCII only, "" if none). 0 on success, -1 if no value of the
 * list is a telephone number. Bounded: reads at most strlen(value) bytes.
 */
int cwb_pai_parse(const char *value, char *digits, size_t ndigits, int *international,
                  char *display, size_t ndisplay);

/*
 * Pieces of the header parsers, shared with redirect.c (all bounded by end):
 * cwb_list_item_end() - where the comma-list item at p ends: the first ','
 * outside quotes and <>, or end. cwb_name_addr_split() - the URI (inside
 * <>, or the whole addr-spec) and display-name spans of [p, end); -1 if
 * none. cwb_uri_number() - the number of a sip:/sips: user part or a tel:
 * URI [u, u+len) (cwb_sip_number()); -1 if it has none.
 */
const char *cwb_list_item_end(const char *p, const char *end);
int cwb_name_addr_split(const char *p, const char *end, const char **uri, size_t *ulen,
                        const char **disp, size_t *dlen);
int cwb_uri_number(const char *u, size_t len, char *digits, size_t n, int *international);

/* cwb_display_clean() - a From / PAI display-name as printable ASCII for
   the ISDN side: quotes and quoted-pairs removed, other bytes of UTF-8
   sequences as one '?', truncated to n-1; "Anonymous" (any case) is "". */
void cwb_display_clean(const char *in, char *out, size_t n);

/* What an incoming INVITE says about its caller (all may be NULL). */
struct cwb_sip_caller {
	const char *from_display, *from_user, *from_host;
	const char *const *pai;     /* raw P-Asserted-Identity values */
	size_t npai;
	const char *const *privacy; /* raw Privacy values */
	size_t nprivacy;
	int trusted;                /* the sender is a trusted peer of the route */
};

/* Where the calling number came from (for the log and the CDR). */
enum cwb_identity_source {
	CWB_ID_NONE = 0,   /* no number */
	CWB_ID_FROM,       /* From user part: user-provided, not screened */
	CWB_ID_PAI,        /* P-Asserted-Identity of a trusted peer */
	CWB_ID_PAI_IGNORED /* a P-Asserted-Identity from an untrusted peer: From used */
};

/*
 * cwb_identity_from_sip() - the Q.931 calling party for a SIP->ISDN SETUP:
 * number, type of number, presentation, screening and name. Returns where
 * the number came from.
 */
enum cwb_identity_source cwb_identity_from_sip(const struct cwb_sip_caller *in,
                                               struct cwc_call_party *calling);

/* What an outgoing INVITE carries about its caller. */
struct cwb_sip_identity {
	char from_user[CWC_CALL_NUMBER_MAX + 1];  /* "" = anonymous From (RFC 3323 §4.1.1.3) */
	char from_display[CWC_CALL_NAME_MAX];     /* "" = none */
	char pai_user[CWC_CALL_NUMBER_MAX + 1];   /* "" = no P-Asserted-Identity */
	char pai_display[CWC_CALL_NAME_MAX];
	int privacy_id;                          /* send Privacy: id */
};

/*
 * cwb_identity_to_sip() - the From, P-Asserted-Identity and Privacy of an
 * ISDN->SIP INVITE for the calling party of the SETUP; trusted: the
 * route's targets are inside the trust domain.
 */
void cwb_identity_to_sip(const struct cwc_call_party *calling, int trusted,
                         struct cwb_sip_identity *out);

/*
 * cwb_connected_from_sip() - the Connected number (Q.951 §3, COLP) of the
 * CONNECT for a 2xx to an ISDN->SIP INVITE: the first telephone number of
 * its P-Asserted-Identity values (RFC 3325 §9.1), believed only when
 * trusted (the route's targets are inside the trust domain); Privacy id,
 * user or header make it restricted (RFC 3325 §9.3, COLR). Screening: verified
 * and passed, as for the calling number. 0, or -1 when there is none (party
 * digits "").
 */
int cwb_connected_from_sip(const char *const *pai, size_t npai, const char *const *privacy,
                           size_t nprivacy, int trusted, struct cwc_call_party *connected);

/* cwb_screening_name() - "unscreened", "passed", "failed", "network". */
const char *cwb_screening_name(int screening);

#endif /* BRIDGE_IDENTITY_H */
