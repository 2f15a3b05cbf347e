/* SPDX-License-Identifier: MIT */
/*
 * calls.h — the bridge call: one cwc_call (bridge/core) and the state of
 * its two legs. calls.c feeds the core, hands each action to its side's
 * ops (filled by the leg at start), owns the core's deadlines, the end
 * line, the CDR and the reaping. The legs call down into it, never into
 * each other.
 */
#ifndef CWB_CALLS_H
#define CWB_CALLS_H

#include <stddef.h>
#include <stdint.h>

#include "call.h"
#include "cdr_record.h"
#include "config.h"
#include "daemon.h"
#include "addr.h"
#include "log.h"
#include "redirect.h"
#include "resources.h"
#include "sipdns.h"

struct cwi_pri_call;  /* bridge/pri's (call.h); only isdn.c uses it */
struct cws_call;  /* bridge/sip's; only sipside.c looks inside */
struct cwb_config_ref; /* config_ref.h */
struct cwb_media_call; /* media.c */

#define CWB_EVENT_QUEUE 4
#define CWB_URI_MAX 320
#define CWB_SE_LINES_MAX 192 /* a 2xx's Session-Expires and Require lines (RFC 4028 §9) */
#define CWB_MAX_URIS (CWCFG_MAX_TARGETS + 4) /* the targets and 3 redirects (core) */

/* The ISDN leg of a call (isdn.c). */
struct cwb_isdn_leg {
	struct cwi_pri_call *q;          /* the span's call, NULL when the span has freed it */
	int cref;                       /* libpri form (CRV | 0x8000 if we originated), -1 unknown */
	int hung;                       /* cwi_pri_call_hangup() called at least once */
	int release_rcvd;               /* HANGUP (RELEASE) received: a hangup frees it */
	/* overlap receiving (Q.931 §5.2.4; isdn.c "Overlap"): the number so far, as dialled,
	   and what T302's expiry makes of it: 0 = the call goes to t302_called (rewritten),
	   else the cause it is cleared with */
	char dialled[CWC_CALL_NUMBER_MAX];
	int t302_reject;
	char t302_called[CWC_CALL_NUMBER_MAX];
	/* overlap sending (Q.931 §5.1.3; isdn.c): the digits our SETUP left out, for the
	   INFORMATION after SETUP ACKNOWLEDGE; "" none */
	char overlap_rest[CWC_CALL_NUMBER_MAX];
	int setup_acked;                /* ... and SETUP ACKNOWLEDGE came: digits go at once */
};

/* The SIP leg of a call (sipside.c). ISDN->SIP failover: the target of the INVITE out
 * (-1: a 3xx Contact), the Contact to follow next, every URI tried. */
struct cwb_sip_leg {
	struct cws_call *sc;
	char src_ip[64];                /* a call from SIP: its source, counted by admission.c */
	char source[CWP_ADDR_TEXT_MAX]; /* and "ADDR:PORT" of it, for the CDR */
	const char *transport;          /* "udp" / "tcp" (static strings), NULL: none */
	/* the SIP peer in the call's log lines (README "Log lines"), "ADDR:PORT/TRANSPORT": from
	   SIP the INVITE's source, to SIP the current INVITE's target; "": none yet */
	char peer[CWC_CALL_TARGET_MAX + 8];
	int target;
	/* the strings below are allocated at their size as they are set, NULL: none */
	char *redirect_uri;             /* the Contact of a 3xx to follow (< CWB_URI_MAX) */
	int redirect_status;            /* the 3xx whose Contact redirect_uri is */
	char *last_uri;                 /* the Request-URI of the INVITE sent last */
	char *warning;                  /* the Warning of the 488 for an offer refused (sipside.c) */
	uint64_t uris[CWB_MAX_URIS];    /* FNV-1a of each URI an INVITE went to (loop check) */
	size_t nuris;
	/* session timers (RFC 4028; sipside.c "Session timers") */
	unsigned se_offered;            /* ISDN->SIP: the interval our INVITE asked for, 0 none */
	unsigned se_min_422;            /* the Min-SE of a 422, for the one retry; 0 none */
	unsigned se_interval;           /* the negotiated interval, 0: no session timer */
	int se_local;                   /* the bridge refreshes */
	int peer_update;                /* the peer's Allow lists UPDATE (RFC 3311 §5.1) */
	int refresh_pending;            /* our refresh has no final response yet */
	int retrying;                   /* the INVITE again after a 422: same attempt */
	struct cws_call *retry_of;      /* ... as a retry of this one (same Call-ID) */
	/* a call from SIP: its INVITE's From tag and Request-URI user, for the next INVITE of
	   an RFC 3578 §3 overlap sender (sipside.c join_overlap()) */
	char from_tag[64];
	char dialled[CWC_CALL_NUMBER_MAX];
	struct cws_call *overlap_prev;  /* overlap receiving, multiple INVITEs: the INVITE the
	                                   next one follows (RFC 3578 §3.2: same Call-ID and
	                                   From tag, next CSeq), until that one is sent */
	char *se_lines;                 /* SIP->ISDN: the 2xx's Session-Expires/Require lines */
	int peer_trusted;               /* SIP->ISDN: the INVITE came from a trusted peer of the
	                                   route (RFC 3325 §5): its 2xx may assert the answerer */
	struct cwc_call_action *invite; /* the INVITE action, for the retry after a 422; made
	                                   with the first INVITE sent (ISDN->SIP) */
	/* RFC 3263: the addresses of a target given by host name (sipdns.c), one attempt
	   each, in order, kept at their number (NULL: none); hops_for: that target's
	   index + 1 (0: none yet) */
	struct cwb_hop *hops;
	size_t nhops, ihop;
	int hops_for;
	struct cwb_sipdns_query *dnsq;  /* a lookup under way, NULL: none */
	int dns_target;                 /* ... of this target */
	int dns_err;                    /* its answer: 0, or why no address came (-ETIMEDOUT ...) */
	struct cwc_call_action *dns_action; /* the INVITE action it holds (allocated with it) */
	int dns_cancel_queued;          /* a CANCEL during the lookup queued its end */
};

struct cwb_call {
	struct cwb_call *next, *prev;
	/* on d->overlap_calls (cwb_call_overlap_list()): a call from SIP whose SETUP went out
	   with overlap sending, one an RFC 3578 INVITE may join */
	struct cwb_call *overlap_next, *overlap_prev;
	int overlap_listed;
	struct cwb *d;
	unsigned long id;
	struct cwc_call *core;
	enum cwc_call_dir dir;
	int finished;                   /* CALL_FINISHED done: waits for cwb_calls_reap() */
	/* the configuration the call started with, held until it is freed (README.md "Reload"):
	 * route, profile and spans point into it */
	struct cwb_config_ref *cfg_ref;
	const struct cwcfg_config *cfg;
	const struct cwcfg_route *route;
	/* resources.c: the B-channel, the channels hunting gave the call, the route's targets
	 * tried (bit i = route->targets[i]) */
	struct cwb_claim bchan;
	struct cwb_tried tried;
	unsigned targets_tried;
	struct cwb_isdn_leg isdn;
	struct cwb_sip_leg sip;
	struct cwb_media_call *media;   /* media.c: RTP and the B-channel's audio, NULL: none yet */
	/* the answering party (Q.951 §3 COLP, RFC 3325 in the 2xx; README.md "Connected line"):
	 * from the CONNECT (SIP->ISDN) or the 2xx (ISDN->SIP); digits "": none */
	struct cwc_call_party connected;
	/* core timers: absolute monotonic ms, 0 = not running; the earliest is the call's key
	 * in d->timers (call_timers_update()) */
	uint64_t deadline[CWC_TIMER_COUNT];
	struct cwcom_heap_entry timer;
	/* events produced while performing actions, fed after them: room for CWB_EVENT_QUEUE,
	 * allocated by the first and freed once they are fed (most calls never need it) */
	struct cwc_call_event *queue;
	size_t nqueue;
	int feeding;
	/* for the end line and the CDR */
	char called[CWC_CALL_NUMBER_MAX], calling[CWC_CALL_NUMBER_MAX];
	enum cwc_call_bearer bearer;    /* the set-up's (Q.931 §4.5.5; clearmode when digital) */
	/* who redirected the call (redirect.h): from the SETUP or INVITE received, then
	   each 3xx followed; the SETUP or INVITE sent carries it */
	struct cwb_redirecting redirecting;
	const cw_profile *profile;
	int64_t t_start_wall;           /* ms since the epoch */
	/* the answering party's name, from the side that answered for the other (isdn.c: a
	 * QSIG connectedName; sipside.c: the 2xx's P-Asserted-Identity display name), IA5;
	 * "" = none */
	char connected_name[CWC_CALL_NAME_MAX];
};

/* A leg's side of the call, filled in by the leg at start (cwb_calls_set_leg()). */
struct cwb_leg_ops {
	/* perform() - one core action of this side, at now. */
	void (*perform)(struct cwb_call *c, const struct cwc_call_action *a, uint64_t now);
	/* refused() - the core refused the call's first event, which came from this side:
	 * answer it on the wire (the B-channel is released by calls.c). */
	void (*refused)(struct cwb_call *c);
	/* finished() - CALL_FINISHED: let go of what the wire still holds. NULL: nothing. */
	void (*finished)(struct cwb_call *c, const struct cwc_call_summary *s);
	/* describe() - this side's identifiers for the CDR. */
	void (*describe)(const struct cwb_call *c, struct cwb_cdr_legs *legs);
	/* release() - the call is freed: drop this side's handles. NULL: nothing. */
	void (*release)(struct cwb_call *c);
};

/* cwb_calls_set_leg() - the ops of a side (kept, not copied). */
void cwb_calls_set_leg(struct cwb *d, enum cwb_side side, const struct cwb_leg_ops *ops);

/* cwb_call_new() - a call with its cwc_call, linked into d; span: the config of the span
 * whose profile and timers the call takes, NULL for the defaults. NULL on failure (logged). */
struct cwb_call *cwb_call_new(struct cwb *d, enum cwc_call_dir dir, const struct cwcfg_span *span);
/*
 * cwb_call_start() - the call's first event (SIP_INVITE, ISDN_SETUP) into the core. If the
 * core refuses it (a bad field), the originating side's refused() answers the wire, the
 * B-channel goes back and the call is finished.
 */
void cwb_call_start(struct cwb_call *c, const struct cwc_call_event *ev);
/* cwb_call_feed() - one event into the core; actions performed; queued follow-ups fed at the
 * event's now_ms. */
void cwb_call_feed(struct cwb_call *c, const struct cwc_call_event *ev);
/* cwb_call_overlap_list() - c on d->overlap_calls until it is freed (once; again is a
 * no-op): sipside.c's RFC 3578 join looks at those calls only. */
void cwb_call_overlap_list(struct cwb_call *c);
/* cwb_call_queue() - an event to feed after the actions being performed. */
void cwb_call_queue(struct cwb_call *c, const struct cwc_call_event *ev);
/* cwb_call_redirect_log() - "call ID: redirecting source=... number=... reason=... count=...
 * presentation=..." when the call carries a redirecting party. */
void cwb_call_redirect_log(const struct cwb_call *c, const char *source);
/* cwb_call_identity_log() - "call ID: identity source=... calling=... presentation=...
 * screening=... name=..." for a call's calling party. */
void cwb_call_identity_log(const struct cwb_call *c, const struct cwc_call_party *p,
                           const char *source);

/* cwb_call_log() - "call ID: TEXT [sip PEER]" (README "Log lines"), PEER c->sip.peer,
 * nothing appended while it is "". */
void cwb_call_log(const struct cwb_call *c, enum cwcfg_log_level level, const char *fmt, ...)
	CWB_PRINTF(3, 4);
#define cwb_call_error(c, ...) cwb_call_log((c), CWCFG_LOG_ERROR, __VA_ARGS__)
#define cwb_call_warning(c, ...) cwb_call_log((c), CWCFG_LOG_WARNING, __VA_ARGS__)
#define cwb_call_notice(c, ...) cwb_call_log((c), CWCFG_LOG_NOTICE, __VA_ARGS__)
#define cwb_call_info(c, ...) cwb_call_log((c), CWCFG_LOG_INFO, __VA_ARGS__)
#define cwb_call_debug(c, ...) cwb_call_log((c), CWCFG_LOG_DEBUG, __VA_ARGS__)

/* cwb_calls_next_deadline() - the earliest core timer, or 0. */
uint64_t cwb_calls_next_deadline(const struct cwb *d);
/* cwb_calls_run_timers() - feed TIMER_EXPIRED for every timer due at now. */
void cwb_calls_run_timers(struct cwb *d, uint64_t now);
/* cwb_calls_reap() - free finished calls (the legs release their handles). */
void cwb_calls_reap(struct cwb *d);
/* cwb_calls_admin_release() - CWC_EV_ADMIN_RELEASE to every live call; returns how many. */
size_t cwb_calls_admin_release(struct cwb *d, uint64_t now);
/* cwb_calls_free_all() - free every call, finished or not (exit); a CDR for each unfinished. */
void cwb_calls_free_all(struct cwb *d, uint64_t now);

#endif /* CWB_CALLS_H */
