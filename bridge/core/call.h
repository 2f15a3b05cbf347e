/* SPDX-License-Identifier: MIT */
/*
 * bridge/core/call.h — the call state machine of causeway-bridge.
 *
 * One struct cwc_call per call. The core does no I/O, never blocks and
 * never reads the clock: an adapter turns what it receives into a
 * struct cwc_call_event (with now_ms, a monotonic time it supplies) and
 * calls cwc_call_handle(); the core appends struct cwc_call_actions (send
 * this SIP message, send this Q.931 message, start/stop timer T, the call
 * has finished) which the adapter performs in order.
 *
 * Every transition is a row of a const table (call_fsm.c), walked with
 * cwc_call_row_count()/cwc_call_row_at(); every cause/status/Reason decision
 * goes through libcauseway (cw_map_cause_to_sip, cw_map_sip_to_cause,
 * cw_reason_list_parse, cw_reason_format) and the rules are kept in the
 * call for the CDR (struct cwc_call_summary).
 */
#ifndef BRIDGE_CALL_H
#define BRIDGE_CALL_H

#include <stddef.h>
#include <stdint.h>

#include <causeway/causeway.h>

#include "common/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Errors of this module follow bridge/common/error.h (negative errno values and the
   bridge codes; cwcom_strerror() reads them); cwc_call_handle() has this one besides. */
#define CWC_CALL_ESTATE CWCOM_ESTATE /* the event is not permitted in the current state */

/* The most actions one event can produce: a cap of this size always suffices. */
#define CWC_CALL_ACTIONS_MAX 8

#define CWC_CALL_NUMBER_MAX 32   /* digits of a party number, with the NUL */
#define CWC_CALL_NAME_MAX 51     /* a calling name, with the NUL (ECMA-164 / Q.SIG: 50) */
#define CWC_CALL_REASON_MAX 256  /* a Reason header value, with the NUL */
#define CWC_CALL_REASON_LINES_MAX 4 /* Reason header lines read per event */

/* Who placed the call: which side the bridge received it from. */
enum cwc_call_dir {
	CWC_CALL_FROM_SIP = 0,  /* INVITE received, SETUP sent (RFC 3398 §7) */
	CWC_CALL_FROM_ISDN = 1  /* SETUP received, INVITE sent (RFC 3398 §8) */
};

/*
 * States: Q.931 call states (Un for the user side; the network side Nn has
 * the same number) combined with the SIP dialog state (RFC 3398 §7.2 and
 * §8.2 state names). S_ states belong to SIP-originated calls, I_ states
 * to ISDN-originated calls, C_ states are clearing states where one leg
 * is still busy. See README.md for the table.
 */
enum cwc_call_state {
	CWC_CS_NULL = 0,          /* U0 Null; RFC 3398 "Idle" */
	CWC_CS_S_U1_INITIATED,    /* U1 Call initiated (SETUP sent, 100 sent); "Trying" */
	CWC_CS_S_U3_PROCEEDING,   /* U3 Outgoing call proceeding (T310); "Trying" */
	CWC_CS_S_U3_PROGRESSING,  /* U3, PROGRESS PI 1/8 received, 183 sent; "Not alerting" */
	CWC_CS_S_U3_EARLY_RELEASE,/* U3, PROGRESS with cause, 183 sent (RFC 3398 §7.1.6); "Not alerting" */
	CWC_CS_S_U12_EARLY_RELEASE,/* U12 Disconnect indication: DISCONNECT with PI 8 before answer,
	                             183 sent, interwork timer (RFC 3398 §7.1.6; Q.931 §5.3.4.1) */
	CWC_CS_S_U4_DELIVERED,    /* U4 Call delivered (180 sent, T301); "Alerting" */
	CWC_CS_S_U10_WAIT_ACK,    /* U10 Active, 200 sent, no ACK yet; "Waiting for ACK" */
	CWC_CS_I_U25_OVERLAP,     /* U25 Overlap receiving: SETUP ACKNOWLEDGE sent, digits of
	                             INFORMATION collected (T302), nothing sent to SIP yet */
	CWC_CS_I_U25_OVERLAP_INVITE, /* U25, and an INVITE with the digits so far is out (RFC 3578
	                             §3.2 multiple INVITEs): a 484 goes on collecting, more digits
	                             CANCEL it and INVITE again, anything else ends the dialling */
	CWC_CS_I_U9_CALLING,      /* U9 Incoming call proceeding, INVITE sent, no response; "Trying" */
	CWC_CS_I_U9_PROCEEDING,   /* U9, 100 received (T310 on the SIP leg); "Trying" */
	CWC_CS_I_U9_PROGRESSING,  /* U9, 18x received, PROGRESS sent; "Progressing" */
	CWC_CS_I_U7_RECEIVED,     /* U7 Call received (180 received, ALERTING sent); "Alerting" */
	CWC_CS_U10_ACTIVE,        /* U10 Active; "Connected" */
	CWC_CS_C_U11,             /* U11 Disconnect request; SIP leg finished */
	CWC_CS_C_U19,             /* U19 Release request; SIP leg finished */
	CWC_CS_C_CANCEL,          /* U0; CANCEL sent, INVITE final response awaited (RFC 3398 §8.2.7) */
	CWC_CS_C_CANCEL_U11,      /* U11; CANCEL sent */
	CWC_CS_C_CANCEL_U19,      /* U19; CANCEL sent */
	CWC_CS_C_ACKWAIT,         /* U0; 200 sent, ACK awaited before BYE (RFC 4497 §8.4.1) */
	CWC_CS_C_ACKWAIT_U11,     /* U11; 200 sent, ACK awaited before BYE */
	CWC_CS_C_ACKWAIT_U19,     /* U19; 200 sent, ACK awaited before BYE */
	CWC_CS_DONE,              /* U0 after clearing: the call has finished */
	CWC_CS_COUNT
};
/* In the transition table: a row for any state but NULL and DONE; a row that keeps the state. */
#define CWC_CS_ANY CWC_CS_COUNT
#define CWC_CS_SAME (CWC_CS_COUNT + 1)

enum cwc_call_event_type {
	/* SIP (from the SIP adapter) */
	CWC_EV_SIP_INVITE = 0,      /* initial INVITE received (creates the call) */
	CWC_EV_SIP_1XX,             /* provisional response to our INVITE: status, has_sdp */
	CWC_EV_SIP_2XX,             /* 2xx to our INVITE (first one; the adapter absorbs retransmissions) */
	CWC_EV_SIP_FINAL_ERROR,     /* 300..699 to our INVITE: status, warning, reasons */
	CWC_EV_SIP_ACK,             /* ACK for our 2xx */
	CWC_EV_SIP_BYE,             /* BYE received (the adapter answers 200): reasons */
	CWC_EV_SIP_CANCEL,          /* CANCEL matched to the INVITE (the adapter answers 200): reasons */
	CWC_EV_SIP_INVITE_TIMEOUT,  /* INVITE transaction timed out (Timer B, or Timer H: no ACK) */
	CWC_EV_SIP_NONINVITE_TIMEOUT, /* a BYE/CANCEL transaction timed out (Timer F) */
	CWC_EV_SIP_TRANSPORT_ERROR, /* a message of this call could not be sent */
	CWC_EV_SIP_REFRESH,         /* RFC 4028 §10: the session was refreshed (a refresh
	                               received and answered 2xx, or the 2xx to ours); the
	                               interval of cwc_call_set_session() runs afresh */
	CWC_EV_SIP_REFRESH_FAILED,  /* our refresh failed: 408, 481 (status) or no response
	                               (status 0); RFC 4028 §10 */
	/* ISDN (from the span adapter) */
	CWC_EV_ISDN_SETUP,          /* SETUP received (creates the call) */
	CWC_EV_ISDN_PROCEEDING,     /* CALL PROCEEDING received */
	CWC_EV_ISDN_ALERTING,       /* ALERTING received: pi_mask */
	CWC_EV_ISDN_PROGRESS,       /* PROGRESS received: pi_mask, cause (0 = no Cause IE) */
	CWC_EV_ISDN_CONNECT,        /* CONNECT received (the adapter's libpri sends CONNECT ACK) */
	CWC_EV_ISDN_CONNECT_ACK,    /* CONNECT ACKNOWLEDGE received */
	CWC_EV_ISDN_DISCONNECT,     /* DISCONNECT received: cause, location, pi_mask */
	CWC_EV_ISDN_RELEASE,        /* RELEASE received: cause, location */
	CWC_EV_ISDN_RELEASE_COMPLETE, /* RELEASE COMPLETE received: cause, location */
	CWC_EV_ISDN_DCHAN_DOWN,     /* the D-channel of the call's span went down */
	CWC_EV_ISDN_NO_CHANNEL,     /* a SETUP action could not get a B-channel */
	CWC_EV_ISDN_INFORMATION,    /* INFORMATION with digits received in overlap receiving:
	                               called = the whole number so far, overlap, reject_cause */
	CWC_EV_ISDN_RESTART,        /* RESTART received for the call's B-channel (Q.931 §5.5.2):
	                               the call reference is back in Null, nothing more goes to
	                               ISDN; SIP is cleared with cause 41 */
	/* Local */
	CWC_EV_TIMER_EXPIRED,       /* timer (from a TIMER_START action) expired */
	CWC_EV_ADMIN_RELEASE,       /* operator or shutdown: clear with cause (0 = 16) */
	CWC_EV_SIP_MORE_DIGITS,     /* RFC 3578 §3: a new INVITE of the same call (same Call-ID
	                               and From tag) carries the number grown; called = the
	                               digits it adds. The adapter answered the INVITE it
	                               replaces 484 and took the new one as the call's */
	CWC_EV_COUNT
};

enum cwc_call_timer {
	CWC_TIMER_T310 = 0,     /* Q.931 T310: after CALL PROCEEDING, until ALERTING/CONNECT */
	CWC_TIMER_T301,         /* Q.931 T301: after ALERTING, until CONNECT */
	CWC_TIMER_INVITE,       /* no response to our INVITE (RFC 3398 §8.1.3) */
	CWC_TIMER_ACK,          /* no ACK after our 200 (RFC 3398 §7.1.4) */
	CWC_TIMER_INTERWORK,    /* RFC 3398 §7.1.6 interwork timer (early release) */
	CWC_TIMER_CLEAR_GUARD,  /* a clearing leg that never finishes */
	CWC_TIMER_MAX_DURATION, /* the longest answered call (route max_call_seconds); 0 = off */
	CWC_TIMER_SESSION_REFRESH, /* RFC 4028 §10: the bridge refreshes at half the interval */
	CWC_TIMER_SESSION_EXPIRY,  /* RFC 4028 §10: no refresh by then: BYE + DISCONNECT 102 */
	CWC_TIMER_T302,         /* Q.931 T302: overlap receiving, from SETUP ACKNOWLEDGE and
	                           each INFORMATION until the number is complete */
	CWC_TIMER_COUNT
};

/* Q.931 §4.5.23 progress description n as a mask bit: CWC_PI(1), CWC_PI(8). */
#define CWC_PI(n) (1u << (n))

enum cwc_call_bearer {
	CWC_BEARER_SPEECH = 0,   /* Q.931 §4.5.5 information transfer capability 00000 */
	CWC_BEARER_AUDIO_3K1 = 1, /* 10000: 3.1 kHz audio */
	CWC_BEARER_DIGITAL = 2    /* 01000: unrestricted digital information, 64 kbit/s; SIP
	                             carries it as clearmode (RFC 4040) */
};

/* cwc_call_bearer_name() - "speech", "3.1khz" or "digital"; NULL for another value. */
const char *cwc_call_bearer_name(enum cwc_call_bearer bearer);

/* A party number with Q.931 §4.5.8/§4.5.10 type of number and numbering plan. */
struct cwc_call_party {
	char digits[CWC_CALL_NUMBER_MAX]; /* NUL-terminated */
	int ton;                          /* 0..7 */
	int npi;                          /* 0..15 */
	int presentation;                 /* 0..3 (Q.931 §4.5.10 octet 3a bits 7-6):
	                                     0 allowed, 1 restricted, 2 not available */
	int screening;                    /* 0..3 (octet 3a bits 2-1): 0 user-provided not
	                                     screened, 1 user-provided verified and passed,
	                                     2 user-provided verified and failed, 3 network
	                                     provided */
	char name[CWC_CALL_NAME_MAX];      /* calling name, printable ASCII, NUL-terminated;
	                                     "" if none */
};

struct cwc_call_event {
	enum cwc_call_event_type type;
	uint64_t now_ms;                  /* monotonic, supplied by the adapter */
	/* SIP */
	int status;                       /* 1XX, 2XX, FINAL_ERROR */
	int has_sdp;                      /* 1XX, 2XX, INVITE */
	int warning;                      /* FINAL_ERROR: Warning code, 0 if none */
	cw_str reasons[CWC_CALL_REASON_LINES_MAX]; /* raw Reason header values */
	size_t nreasons;
	/* ISDN */
	int cause;                        /* 0 = absent (taken as 31), else 1..127 */
	int location;                     /* 0..15 or CW_LOCATION_UNKNOWN */
	unsigned pi_mask;                 /* CWC_PI() bits */
	int coding;                       /* the Cause IE's coding standard (Q.850 §2.2.5), 0..3 */
	int has_diagnostic;               /* DISCONNECT cause 22: diagnostic holds the new number */
	char diagnostic[CWC_CALL_NUMBER_MAX];
	/* call set-up: SIP_INVITE and ISDN_SETUP */
	struct cwc_call_party called, calling;
	enum cwc_call_bearer bearer;
	int channel;                      /* ISDN_SETUP: B-channel, -1 if none */
	int reject_cause;                 /* 0, or the adapter's local reason to refuse the
	                                     call: 3 no route, 34 no B-channel, 38 D-channel down,
	                                     58 / 65 a bearer not carried / not implemented;
	                                     ISDN_INFORMATION and TIMER_EXPIRED (T302): 28 the
	                                     number is incomplete, 3 no route can take it */
	int overlap;                      /* ISDN_SETUP, ISDN_INFORMATION: 1 = the number is not
	                                     complete yet, more digits are awaited (Q.931
	                                     §5.2.4); 0 = it is: the INVITE goes out */
	int overlap_invite;               /* ISDN_SETUP, ISDN_INFORMATION with overlap: 1 = the
	                                     number so far has a route's minimum digits and the
	                                     span sends multiple INVITEs (RFC 3578 §3.2): INVITE
	                                     it now, go on collecting */
	/* failover and hunting: what the adapter can still try (README "Failover") */
	int more_routes;                  /* SIP_FINAL_ERROR, SIP_INVITE_TIMEOUT,
	                                     SIP_TRANSPORT_ERROR, TIMER_EXPIRED (INVITE, T310):
	                                     another SIP target of the route is available (not
	                                     tried, not skipped) */
	int has_contact;                  /* SIP_FINAL_ERROR 3xx: the adapter can follow the
	                                     response's first Contact (a URI not tried yet) */
	int more_spans;                   /* ISDN_DISCONNECT, ISDN_RELEASE(_COMPLETE): another
	                                     span of the group, not tried yet, has a free
	                                     B-channel */
	/* local */
	enum cwc_call_timer timer;         /* TIMER_EXPIRED */
};

/* cwc_call_event_init() - a zeroed event of a type (location unknown, channel -1). */
void cwc_call_event_init(struct cwc_call_event *ev, enum cwc_call_event_type type, uint64_t now_ms);

enum cwc_call_action_type {
	/* SIP (to the SIP adapter) */
	CWC_ACT_SIP_PROVISIONAL = 0, /* status 100/180/183, with_sdp */
	CWC_ACT_SIP_200_OK,          /* with_sdp (the answer) */
	CWC_ACT_SIP_FINAL_ERROR,     /* status, reason, retry_after_s, contact */
	CWC_ACT_SIP_INVITE,          /* called, calling, bearer, channel (SDP offer for the B-channel);
	                               overlap receiving with multiple INVITEs (RFC 3578 §3.2): one
	                               per grown number, the earlier one ended by its 484 or by the
	                               SIP_CANCEL just before */
	CWC_ACT_SIP_INVITE_NEXT,     /* the INVITE again to the route's next target (redirect = 0)
	                               or to the Contact of the 3xx (redirect = 1); the previous
	                               INVITE transaction has ended, or was CANCELled by the
	                               action just before (timer failover) */
	CWC_ACT_SIP_CANCEL,          /* reason */
	CWC_ACT_SIP_BYE,             /* reason */
	CWC_ACT_SIP_ACK,             /* ACK for the 2xx */
	CWC_ACT_SIP_REFRESH,         /* a session refresh (RFC 4028 §10): UPDATE or re-INVITE,
	                               the adapter's choice by the peer's Allow */
	/* ISDN (to the span adapter) */
	CWC_ACT_ISDN_SETUP,          /* called, calling, bearer */
	CWC_ACT_ISDN_SETUP_RETRY,    /* cause 44: hunt another B-channel and send the SETUP again;
	                               next_span = 1 (cause 34/44): on another span of the group,
	                               none tried yet (feed CWC_EV_ISDN_NO_CHANNEL if none) */
	CWC_ACT_ISDN_PROCEEDING,     /* CALL PROCEEDING */
	CWC_ACT_ISDN_SETUP_ACK,      /* SETUP ACKNOWLEDGE on channel (Q.931 §5.2.4) */
	CWC_ACT_ISDN_ALERTING,       /* pi_mask (libpri: pri_acknowledge) */
	CWC_ACT_ISDN_PROGRESS,       /* pi_mask */
	CWC_ACT_ISDN_CONNECT,
	CWC_ACT_ISDN_DISCONNECT,     /* cause, location, pi_mask */
	CWC_ACT_ISDN_RELEASE,        /* cause */
	CWC_ACT_ISDN_RELEASE_COMPLETE, /* cause */
	CWC_ACT_ISDN_INFORMATION,    /* called = digits to add in overlap sending (Q.931 §5.1.3):
	                               INFORMATION after SETUP ACKNOWLEDGE (before it, the adapter
	                               keeps them for it) */
	/* local */
	CWC_ACT_TIMER_START,         /* timer, timer_ms (deadline = now_ms + timer_ms) */
	CWC_ACT_TIMER_STOP,          /* timer */
	CWC_ACT_CALL_FINISHED,       /* summary; the call accepts no more events */
	CWC_ACT_COUNT
};

enum cwc_call_side {
	CWC_SIDE_NONE = 0,
	CWC_SIDE_SIP = 1,   /* BYE, CANCEL or an error response cleared the call */
	CWC_SIDE_ISDN = 2,  /* DISCONNECT, RELEASE, RELEASE COMPLETE, D-channel or channel loss */
	CWC_SIDE_LOCAL = 3  /* a timer, a refusal, a transport error or the operator */
};

#define CWC_CALL_ATTEMPTS_MAX 16    /* SETUPs / INVITEs a summary keeps, in order */
#define CWC_CALL_SUMMARY_REASONS 4  /* Reason values a summary keeps per list */
#define CWC_CALL_TARGET_MAX 80      /* an attempt's "host[:port]", with the NUL */

/* A Cause IE the call sent or received on ISDN (Q.850 §2.2). */
struct cwc_call_cause {
	int present;
	int cause;                 /* 1..127 */
	int location;              /* 0..15; CW_LOCATION_UNKNOWN: none asked (sent), none
	                              decoded (received) */
	int coding;                /* Q.850 §2.2.5 coding standard, 0 = ITU-T */
	int diagnostic;            /* the IE carried a diagnostic */
};

#define CWC_CALL_REASONS_TEXT 320   /* the bytes of a list's values, their NULs with them */

/* Reason header values (RFC 3326), as sent or received: up to CWC_CALL_SUMMARY_REASONS
 * values packed into text, each with its NUL, value i at off[i] (cwc_call_reasons_add(),
 * cwc_call_reasons_value()). Four values of the usual size fit; a value longer than
 * CWC_CALL_REASON_MAX - 1 bytes or than the room left is cut, and once the room is gone
 * the values after are left out. */
struct cwc_call_reasons {
	char text[CWC_CALL_REASONS_TEXT];
	uint16_t off[CWC_CALL_SUMMARY_REASONS];
	uint16_t used;             /* bytes of text taken */
	size_t n;
};

/* cwc_call_reasons_add() - s[0..len) as the next value of r, cut as above: 1 added, 0 not
 * (r full, no room left, or s empty). */
int cwc_call_reasons_add(struct cwc_call_reasons *r, const char *s, size_t len);
/* cwc_call_reasons_value() - value i of r, NUL-terminated; NULL when i >= r->n. */
const char *cwc_call_reasons_value(const struct cwc_call_reasons *r, size_t i);

/* One attempt of the call: an INVITE to a SIP target or a SETUP on a span (RFC 4497 §8.3.1). */
struct cwc_call_attempt {
	char target[CWC_CALL_TARGET_MAX]; /* "host[:port]"; "" for a span */
	int span;                  /* span number; 0 for a target */
	int status;                /* target: its final status, 408 while none came (RFC 3261
	                              §8.1.3.1), 503 when the INVITE could not be sent */
	int cause;                 /* span: its clearing cause; while none was seen, the
	                              call's clearing cause, else 31 (Q.850 normal, unspecified) */
	struct cwc_call_reasons reasons; /* target: the Reason values of its final response */
};

/* What happened, for logs and CDRs. Rules point into the profile (static for built-ins);
 * reasons_sent/received and attempts point into the call (valid until cwc_call_free(); the
 * attempts until the next cwc_call_attempt_begin()). */
struct cwc_call_summary {
	enum cwc_call_side cleared_by;
	int answered;
	int sip_status;            /* the final status sent or received (200 if answered), 0 if none */
	int cause;                 /* the clearing cause sent or received on ISDN, 0 if none */
	int location;              /* its location, or CW_LOCATION_UNKNOWN */
	const cw_rule *c2s_rule;   /* the cause -> status decision, or NULL */
	const cw_rule *s2c_rule;   /* the status/request -> cause decision, or NULL */
	const cw_rule *location_rule;
	uint64_t start_ms, answer_ms, end_ms;
	/* the call's outcome as the core saw it (docs/cdr.md) */
	int presentation;          /* calling party of the set-up (Q.931 §4.5.10 octet 3a), -1 none */
	int final_status;          /* the final response of the last INVITE sent or answered: a
	                              2xx only when it answered the call; 408 for no response to
	                              ours (RFC 3261 §8.1.3.1); 0 none */
	int warning;               /* the Warning code of a received final error, 0 none */
	int64_t first_provisional_after_ms; /* first 1xx other than 100, from start_ms; -1 none */
	int64_t final_after_ms;    /* final_status, from start_ms; -1 none */
	struct cwc_call_cause cause_sent, cause_received; /* the first of the last span tried */
	const struct cwc_call_reasons *reasons_sent;     /* in a final error, CANCEL or BYE */
	const struct cwc_call_reasons *reasons_received; /* of the message that ended the SIP leg */
	const struct cwc_call_attempt *attempts;
	size_t nattempts;
};

struct cwc_call_action {
	enum cwc_call_action_type type;
	int status;
	int with_sdp;
	unsigned retry_after_s;           /* 0: no Retry-After */
	char reason[CWC_CALL_REASON_MAX];  /* Reason header value; "" for none */
	char contact[CWC_CALL_NUMBER_MAX]; /* 301: the new number for Contact; "" otherwise */
	int cause;
	int location;                     /* CW_LOCATION_UNKNOWN if none */
	unsigned pi_mask;
	enum cwc_call_timer timer;
	uint64_t timer_ms;
	struct cwc_call_party called, calling;
	enum cwc_call_bearer bearer;
	int channel;
	int redirect;                     /* SIP_INVITE_NEXT: 1 = to the 3xx's Contact */
	int next_span;                    /* ISDN_SETUP_RETRY: 1 = hunt another span */
	struct cwc_call_summary summary;   /* CALL_FINISHED */
};

/*
 * Per-call settings. cwc_call_config_init() fills the defaults; change
 * fields, then pass it to cwc_call_new(), which copies it.
 */
struct cwc_call_config {
	enum cwc_call_dir dir;
	const cw_profile *profile;    /* NULL: CW_PROFILE_DEFAULT; must outlive the call */
	int pri_net;                  /* 1 if the span runs libpri in network mode */
	int local_location;           /* location of causes the bridge generates itself (timer
	                                 expiry, no channel, refusals); CW_LOCATION_UNKNOWN
	                                 picks the default: LPN for pri_cpe, LN for pri_net */
	unsigned retry_after_s;       /* Retry-After for resource-class causes; 0 = none (30) */
	unsigned channel_retries;     /* cause 44 re-hunts per span (1) */
	unsigned max_redirects;       /* 3xx followed per call (3; RFC 3261 §8.1.3.4) */
	int early_release;            /* RFC 3398 §7.1.6: PROGRESS with cause or DISCONNECT with
	                                 PI 8 before answer -> 183 + interwork timer; an 18x with
	                                 SDP then an error -> DISCONNECT with PI 8 (0: clear at once) */
	uint64_t timer_ms[CWC_TIMER_COUNT]; /* 0 disables a timer; defaults from the timer table */
};

void cwc_call_config_init(struct cwc_call_config *cfg, enum cwc_call_dir dir);

struct cwc_call;

/*
 * cwc_call_new() - a call in state CWC_CS_NULL. Copies cfg.
 * Returns 0, -EINVAL (NULL, bad field), -ERANGE (location), -ENOMEM.
 */
int cwc_call_new(struct cwc_call **ret_call, const struct cwc_call_config *cfg);

/* cwc_call_free() - NULL is ignored. */
void cwc_call_free(struct cwc_call *call);

/*
 * cwc_call_set_timer() - the duration of timer from its next start on (0
 * disables it), for what the adapter learns after cwc_call_new(): the
 * route's max_call_seconds once the route is known. A running timer keeps
 * its deadline. Returns 0, -EINVAL (NULL, no such timer).
 */
int cwc_call_set_timer(struct cwc_call *call, enum cwc_call_timer timer, uint64_t ms);

/*
 * cwc_call_set_session() - the session interval negotiated by RFC 4028 (§7.2 as
 * UAC, §9 as UAS), before the event that enters U10 Active (SIP_2XX, SIP_ACK) or
 * before a SIP_REFRESH that changed it: interval_s seconds (0: no session timer),
 * local_refresher 1 when the bridge refreshes. Sets the durations of §10:
 * SESSION-REFRESH at half the interval (the refresher only), SESSION-EXPIRY at
 * interval - min(32, interval / 3) for the other side, at the interval itself for
 * the refresher (a refresh still unanswered then has failed). Returns 0, -EINVAL
 * (NULL call).
 */
int cwc_call_set_session(struct cwc_call *call, unsigned interval_s, int local_refresher);

/*
 * cwc_call_handle() - feed one event; on success writes *ret_n actions
 * (at most cap) to out, which the adapter performs in order.
 * Returns 0; CWC_CALL_ESTATE if the event is not permitted in the current
 * state (nothing emitted, nothing changed); -ENOSPC if the actions do
 * not fit in cap (nothing emitted, nothing changed); -EINVAL (NULL,
 * unknown type); -ERANGE (a field outside its range for the type).
 */
int cwc_call_handle(struct cwc_call *call, const struct cwc_call_event *ev,
                   struct cwc_call_action *out, size_t cap, size_t *ret_n);

enum cwc_call_state cwc_call_state(const struct cwc_call *call);
enum cwc_call_dir cwc_call_dir(const struct cwc_call *call);
/* cwc_call_summary_get() - what is known so far (final once CALL_FINISHED was emitted). */
void cwc_call_summary_get(const struct cwc_call *call, struct cwc_call_summary *ret_summary);
/*
 * cwc_call_attempt_begin() - the adapter sent the INVITE of a SIP_INVITE(_NEXT) action to
 * target ("host[:port]"), or the SETUP of an ISDN_SETUP(_RETRY) action on span (number,
 * target NULL): a new attempt in the summary, which the responses and causes that follow
 * are counted to. A span attempt starts cause_sent/cause_received afresh. Returns 0,
 * -EINVAL (NULL call, neither or both of target and span), CWCOM_ELIMIT (the summary holds
 * CWC_CALL_ATTEMPTS_MAX already: not recorded), -ENOMEM (not recorded). The attempts are
 * allocated as they begin; a summary's attempts pointer is valid until the next attempt
 * begins or cwc_call_free().
 */
int cwc_call_attempt_begin(struct cwc_call *call, const char *target, int span);
/* cwc_call_last_row() - the table row of the last accepted event, or -1. */
long cwc_call_last_row(const struct cwc_call *call);

/* Names, for logs and transcripts ("U3 Outgoing call proceeding / Trying", "DISCONNECT"). */
const char *cwc_call_state_name(enum cwc_call_state state);   /* "S_U3_PROCEEDING" */
const char *cwc_call_state_q931(enum cwc_call_state state);   /* "U3 Outgoing call proceeding" */
const char *cwc_call_state_rfc3398(enum cwc_call_state state);/* "Trying" */
const char *cwc_call_event_name(enum cwc_call_event_type type);
const char *cwc_call_action_name(enum cwc_call_action_type type);
const char *cwc_call_timer_name(enum cwc_call_timer timer);
const char *cwc_call_side_name(enum cwc_call_side side);
/* cwc_call_state_from_name() etc.: -ENOENT for an unknown name. */
int cwc_call_state_from_name(const char *name, enum cwc_call_state *ret_state);
int cwc_call_event_from_name(const char *name, enum cwc_call_event_type *ret_type);

/* The timer table. */
struct cwc_call_timer_info {
	enum cwc_call_timer timer;
	const char *name;
	uint64_t default_ms;
	const char *clause;
};
const struct cwc_call_timer_info *cwc_call_timer_info(enum cwc_call_timer timer);
/* cwc_call_state_timers() - mask of (1u << timer) running while in state. */
unsigned cwc_call_state_timers(enum cwc_call_state state);

/* The transition table, for audits and tests. */
struct cwc_call_row_info {
	int state;           /* enum cwc_call_state, or CWC_CS_ANY */
	enum cwc_call_event_type event;
	const char *guard;   /* guard name, or NULL */
	const char *action;  /* action function name */
	int next;            /* enum cwc_call_state, or CWC_CS_SAME */
	const char *clause;
};
size_t cwc_call_row_count(void);
int cwc_call_row_at(size_t index, struct cwc_call_row_info *ret_row);

/* cwc_call_action_format() - one transcript line for an action; returns the length it would write. */
size_t cwc_call_action_format(const struct cwc_call_action *act, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* BRIDGE_CALL_H */
