/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/session_timer.h — SIP session timers (RFC 4028), the pure part:
 * the Session-Expires and Min-SE values, option-tag lists (Supported,
 * Require, Allow), and the negotiation of the session interval as UAS (§9)
 * and as UAC (§7), with the header lines each answer puts in its message.
 * No libosip2, no clock, no I/O: strings in, numbers and lines out.
 */
#ifndef BRIDGE_SIP_SESSION_TIMER_H
#define BRIDGE_SIP_SESSION_TIMER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RFC 4028 §4: the recommended interval; §5: no Min-SE below 90 s. */
#define CWS_SESSION_EXPIRES_DEFAULT 1800u
#define CWS_SESSION_MIN_SE_FLOOR 90u
/* delta-seconds beyond this are taken as this (RFC 3261 §25.1 allows 2^32-1) */
#define CWS_SESSION_EXPIRES_MAX 86400u

/* The refresher parameter (RFC 4028 §4), as written in one message. */
enum cws_refresher {
	CWS_REFRESHER_NONE = 0, /* no parameter */
	CWS_REFRESHER_UAC,      /* the UAC of the transaction refreshes */
	CWS_REFRESHER_UAS       /* its UAS does */
};

/* Who the bridge wants to refresh where the rules leave it the choice. */
enum cws_session_pref {
	CWS_SESSION_PREF_BRIDGE = 0,
	CWS_SESSION_PREF_PEER
};

/* The bridge's settings ([sip] session_expires, min_se, session_refresher). */
struct cws_session_policy {
	unsigned session_expires;    /* the interval it asks for; 0: it asks for none (it
	                                still answers a request that carries one, §9) */
	unsigned min_se;             /* the smallest interval it accepts, >= 90 */
	enum cws_session_pref refresher;
};

/* The session-timer headers of one received request or response. */
struct cws_session_headers {
	int supported;               /* Supported lists "timer" */
	int required;                /* Require lists "timer" */
	unsigned se;                 /* Session-Expires delta-seconds, 0: absent or unreadable */
	enum cws_refresher refresher;
	unsigned min_se;             /* Min-SE delta-seconds, 0: absent or unreadable */
};

/* What the bridge does with a session: the outcome of a negotiation. */
struct cws_session_answer {
	int status;                  /* UAS: 0 answer the request; 422: too small (min_se) */
	unsigned interval;           /* seconds; 0: no session timer */
	int local_refresher;         /* 1: the bridge refreshes */
	enum cws_refresher refresher;/* the parameter to write in the answer (UAS) */
	int require;                 /* UAS: put Require: timer in the 2xx */
	unsigned min_se;             /* 422: the Min-SE to send; else the Min-SE in force */
};

/*
 * cws_option_tag_listed() - 1 if the comma list value (Supported, Require,
 * Allow; RFC 3261 §20.37, §20.32, §20.5) holds token tag (case-insensitive,
 * blanks around items allowed), else 0. NULL value: 0.
 */
int cws_option_tag_listed(const char *value, const char *tag);

/*
 * cws_option_tags_only() - 1 if every item of the comma list value is tag
 * (a Require the bridge can honour), 0 if another one is there.
 */
int cws_option_tags_only(const char *value, const char *tag);

/*
 * cws_session_expires_parse() - RFC 4028 §4: delta-seconds *(SEMI se-params),
 * refresher-param = "refresher" EQUAL ("uas" / "uac"); other parameters are
 * skipped. Returns 0 (*ret_se, *ret_refresher written; a value above
 * CWS_SESSION_EXPIRES_MAX is taken as that), -EINVAL (NULL, no number, junk).
 */
int cws_session_expires_parse(const char *value, unsigned *ret_se,
                              enum cws_refresher *ret_refresher);

/* cws_min_se_parse() - RFC 4028 §5: delta-seconds *(SEMI generic-param). 0 or -EINVAL. */
int cws_min_se_parse(const char *value, unsigned *ret_min_se);

/*
 * cws_session_uas() - RFC 4028 §9: the bridge answers a request (an INVITE,
 * or a refresh: re-INVITE or UPDATE). A Session-Expires below the bridge's
 * min_se: 422 with Min-SE. The interval is the request's, lowered to the
 * bridge's session_expires but never below either Min-SE; without one in
 * the request, the bridge's session_expires (at least the request's Min-SE)
 * or none. The refresher: the request's parameter; uas (the bridge) when the
 * peer does not support timer; else the policy's choice. Returns 0, -EINVAL.
 */
int cws_session_uas(const struct cws_session_policy *pol, const struct cws_session_headers *req,
                    struct cws_session_answer *ret);

/*
 * cws_session_uac_offer() - RFC 4028 §7.1: the interval the bridge asks for
 * in an INVITE: the policy's, or at least min_se_422 after a 422 (§7.4,
 * 0 otherwise). Writes the header lines into buf ("Supported: timer" always;
 * Session-Expires with refresher and Min-SE when an interval is asked for).
 * Returns the interval asked for (0: none), or -ENOSPC / -EINVAL.
 */
int cws_session_uac_offer(const struct cws_session_policy *pol, unsigned min_se_422,
                          char *buf, size_t len);

/*
 * cws_session_uac_answer() - RFC 4028 §7.2: what the 2xx to the bridge's
 * INVITE or refresh decides. With Session-Expires: its interval; refresher
 * uas = the peer, uac or none = the bridge, and the bridge too when the 2xx
 * lacks Require: timer (the peer does not do timers, a proxy asked for the
 * interval). Without one: no expiry is agreed, but the bridge still refreshes
 * at the interval it asked for (offered_se; any UA answers a re-INVITE or
 * UPDATE), so a dead peer is found. Returns 0, -EINVAL.
 */
int cws_session_uac_answer(unsigned offered_se, const struct cws_session_headers *resp,
                           struct cws_session_answer *ret);

/*
 * cws_session_lines() - the header lines of an answer (uas = 1: a 2xx the
 * bridge sends: Session-Expires with the refresher parameter, Require: timer
 * when asked) or of a refresh request the bridge sends (uas = 0: Session-
 * Expires ;refresher=uac, Min-SE). A 422 answer gives its Min-SE line. Lines
 * end in CRLF; "" when there is no session timer. Returns 0, -ENOSPC, -EINVAL.
 */
int cws_session_lines(const struct cws_session_answer *ans, int uas, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* BRIDGE_SIP_SESSION_TIMER_H */
