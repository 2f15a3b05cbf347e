/* SPDX-License-Identifier: MIT */
/*
 * pri_call.h — call control on a span without libpri's types: the span's
 * events as bridge/pri's own struct, and the Q.931 messages a call sends.
 * libpri stays behind it (pri_call.c, pri_event.c, span.c), so a user of this
 * header never includes libpri.h.
 *
 * Call references are in libpri's form everywhere (the same numbers as
 * cwi_span_set_cause_location() and friends take): the 15-bit CRV, plus
 * 0x8000 when this side originated the call (docs/libpri.md §4).
 */
#ifndef BRIDGE_PRI_PRI_CALL_H
#define BRIDGE_PRI_PRI_CALL_H

struct cwi_span;

/* A call on a span: libpri's, opaque. Valid until RELEASE COMPLETE has been
 * received (CWI_PRI_EV_HANGUP_ACK) or cwi_pri_call_hangup() answered a RELEASE. */
struct cwi_pri_call;

#define CWI_PRI_DIGITS_MAX 256 /* libpri's number and name fields */
#define CWI_PRI_TEXT_MAX 256

enum cwi_pri_event_kind {
	CWI_PRI_EV_OTHER = 0,    /* an event the bridge does not handle; see name */
	CWI_PRI_EV_DCHAN_UP,     /* layer 2 established */
	CWI_PRI_EV_DCHAN_DOWN,   /* layer 2 released */
	CWI_PRI_EV_RESTART,      /* RESTART received for channel (-1: all); libpri has sent
	                            RESTART ACKNOWLEDGE (Q.931 §5.5.2) */
	CWI_PRI_EV_SERVICE,      /* SERVICE received for channel (ANSI T1.607 maintenance):
	                            in_service; libpri has sent SERVICE ACKNOWLEDGE */
	CWI_PRI_EV_CONFIG_ERR,   /* libpri's configuration error: text */
	CWI_PRI_EV_RING,         /* SETUP received */
	CWI_PRI_EV_PROCEEDING,   /* CALL PROCEEDING */
	CWI_PRI_EV_RINGING,      /* ALERTING */
	CWI_PRI_EV_PROGRESS,     /* PROGRESS */
	CWI_PRI_EV_ANSWER,       /* CONNECT: its Connected number in connected */
	CWI_PRI_EV_CONNECT_ACK,  /* CONNECT ACKNOWLEDGE */
	CWI_PRI_EV_HANGUP_REQ,   /* DISCONNECT */
	CWI_PRI_EV_HANGUP,       /* RELEASE: the call lives until cwi_pri_call_hangup() */
	CWI_PRI_EV_HANGUP_ACK,   /* RELEASE COMPLETE: the call is gone */
	CWI_PRI_EV_INFO,         /* INFORMATION in overlap receiving (Q.931 §5.2.4): the digits
	                            it carried in called.digits, complete */
	CWI_PRI_EV_SETUP_ACK,    /* SETUP ACKNOWLEDGE to our SETUP (Q.931 §5.1.3 overlap sending):
	                            the network wants the rest of the number in INFORMATION */
};

/* Information transfer capability (Q.931 §4.5.5 octet 3). */
enum cwi_pri_bearer {
	CWI_PRI_BEARER_SPEECH = 0,
	CWI_PRI_BEARER_AUDIO_3K1,
	CWI_PRI_BEARER_OTHER, /* restricted digital, video and the rest: received only */
	CWI_PRI_BEARER_DIGITAL, /* unrestricted digital information (01000), 64 kbit/s */
};

/* A party number with its octets 3 and 3a (Q.931 §4.5.8, §4.5.10). */
struct cwi_pri_party {
	char digits[CWI_PRI_DIGITS_MAX];
	int ton;          /* type of number, octet 3 bits 7-5 */
	int npi;          /* numbering plan, octet 3 bits 4-1 */
	int presentation; /* octet 3a bits 7-6: 0 allowed, 1 restricted, 2 not available */
	int screening;    /* octet 3a bits 2-1 */
	char name[CWI_PRI_DIGITS_MAX]; /* the calling name libpri decoded (Display, QSIG), raw */
};

/* The Redirecting number IE of a SETUP (Q.952 §4.1.2; Q.931 §4.5 codeset 0), and the
 * Q.SIG diversion counter where the switch type carries one (libpri: 1 otherwise). */
struct cwi_pri_redirecting {
	int present;
	char digits[CWI_PRI_DIGITS_MAX];
	int ton, npi;     /* octet 3 */
	int presentation; /* octet 3a bits 7-6: 0 allowed, 1 restricted, 2 not available */
	int reason;       /* octet 3b bits 4-1: reason for redirection */
	int count;        /* redirections so far, >= 1 */
};

/*
 * One span event. Fields an event kind does not carry are 0 (cref: -1,
 * call: NULL). Copied out of libpri's event: it stays valid after libpri is
 * called again, unlike libpri's own (docs/libpri.md §5).
 */
struct cwi_pri_event {
	enum cwi_pri_event_kind kind;
	const char *name;        /* libpri's event name, "RING", "HANGUP_REQ", ...: for logs */
	struct cwi_pri_call *call;
	int cref;                /* libpri form; -1 when the event carries none */
	int channel;             /* RING: the B-channel asked for, 0 any; RESTART: -1 all;
	                            SERVICE: the B-channel */
	int exclusive;           /* RING: Q.931 §4.5.13 octet 3 bit 4, the channel is exclusive */
	int in_service;          /* SERVICE: Change status 0 (in service) = 1; out of service or
	                            maintenance = 0 */
	int cause;               /* PROGRESS, HANGUP_REQ, HANGUP, HANGUP_ACK: as libpri has it */
	unsigned pi_mask;        /* RINGING, PROGRESS: bit n = Progress description n (§4.5.23) */
	int complete;            /* RING, INFO: Sending complete (Q.931 §4.5.27) was received */
	struct cwi_pri_party called, calling; /* RING */
	struct cwi_pri_party connected;       /* ANSWER: the Connected number IE (Q.951 §3,
	                                         COLP), digits "" when the CONNECT had none */
	char connected_name[CWI_PRI_DIGITS_MAX]; /* ANSWER: the connected name libpri decoded
	                                             (QSIG connectedName in the CONNECT's
	                                             Facility), raw; "" = none */
	enum cwi_pri_bearer bearer;           /* RING */
	struct cwi_pri_redirecting redirecting; /* RING */
	char text[CWI_PRI_TEXT_MAX];          /* CONFIG_ERR */
};

/* What a SETUP carries (Q.931 §5.1.1). */
struct cwi_pri_setup {
	const char *called;       /* digits */
	int called_ton, called_npi;
	const char *calling;      /* digits; NULL or "" for none (presentation not available) */
	int calling_ton, calling_npi;
	int presentation;         /* 1 restricted, anything else allowed (with a number) */
	int screening;            /* octet 3a bits 2-1 */
	const char *calling_name; /* NULL or "" for none */
	enum cwi_pri_bearer bearer; /* SPEECH, AUDIO_3K1 or DIGITAL */
	int alaw;                 /* layer 1: G.711 A-law, else mu-law (§4.5.5 octet 5) */
	int channel;              /* the B-channel */
	int exclusive;            /* §5.1.2 a): only this channel */
	int overlap;              /* §5.1.3 overlap sending: no Sending complete (libpri's
	                             overlapdial, on for this SETUP only) */
	const struct cwi_pri_redirecting *redirecting; /* NULL or !present: no Redirecting number */
};

/*
 * cwi_pri_call_setup() - send SETUP on span: a new call, *ret_call, and its
 * call reference in libpri form (*ret_cref: CRV << 3 | callmode, with
 * 0x8000: docs/libpri.md §4). 0, or -1 (nothing sent, nothing to free).
 */
int cwi_pri_call_setup(struct cwi_span *span, const struct cwi_pri_setup *setup,
                      struct cwi_pri_call **ret_call, int *ret_cref);

/*
 * cwi_pri_call_setup_ack() - SETUP ACKNOWLEDGE on channel (Q.931 §5.2.4: overlap
 * receiving; libpri's pri_need_more_info()): the call's INFORMATION messages then
 * arrive as CWI_PRI_EV_INFO. 0 or -1.
 */
int cwi_pri_call_setup_ack(struct cwi_span *span, struct cwi_pri_call *call, int channel);

/*
 * cwi_pri_call_information() - the digits, one INFORMATION each (libpri's pri_information()),
 * after SETUP ACKNOWLEDGE in overlap sending (Q.931 §5.1.3). libpri's INFORMATION carries no
 * Sending complete. 0 or -1 (digits sent before the failure stay sent).
 */
int cwi_pri_call_information(struct cwi_span *span, struct cwi_pri_call *call, const char *digits);

/* cwi_pri_call_proceeding() - CALL PROCEEDING on channel (Q.931 §5.2.5.2). 0 or -1. */
int cwi_pri_call_proceeding(struct cwi_span *span, struct cwi_pri_call *call, int channel);

/*
 * cwi_pri_call_alerting() - ALERTING on channel; inband adds Progress
 * indicator 8 (libpri's pri_acknowledge(), docs/libpri.md §5). 0 or -1.
 */
int cwi_pri_call_alerting(struct cwi_span *span, struct cwi_pri_call *call, int channel, int inband);

/* cwi_pri_call_progress() - PROGRESS; inband: PI 8, else PI 1 as libpri sends it. 0 or -1. */
int cwi_pri_call_progress(struct cwi_span *span, struct cwi_pri_call *call, int channel, int inband);

/*
 * cwi_pri_call_connected() - the connected line of the CONNECT sent later by
 * cwi_pri_call_answer(): the Connected number IE (Q.951 §3, COLP) from digits, ton, npi,
 * presentation and screening of party (NULL or digits "": none; name unused), and name
 * (NULL or "": none), on QSIG a connectedName (ECMA-164) in a Facility IE, which needs the
 * span's facilities (enabled on QSIG spans). libpri's pri_connected_line_update() while
 * the call is not yet answered. 0, or -1 (also with neither).
 */
int cwi_pri_call_connected(struct cwi_span *span, struct cwi_pri_call *call,
                          const struct cwi_pri_party *party, const char *name);

/* cwi_pri_call_answer() - CONNECT on channel. 0 or -1. */
int cwi_pri_call_answer(struct cwi_span *span, struct cwi_pri_call *call, int channel);

/*
 * cwi_pri_call_hangup() - clear with cause: DISCONNECT, RELEASE or RELEASE
 * COMPLETE by the call's state (hangup_fix: docs/libpri.md §2). After a
 * RELEASE received (CWI_PRI_EV_HANGUP) this frees the call. The sent Cause
 * location, PI and diagnostic are the span's (cwi_span_set_*()). 0 or -1.
 */
int cwi_pri_call_hangup(struct cwi_span *span, struct cwi_pri_call *call, int cause);

/*
 * cwi_pri_call_destroy() - forget call without a message (libpri's pri_destroycall()): after
 * a RESTART of its channel the call reference is back in the Null state on both sides
 * (Q.931 §5.5.2). call is invalid afterwards.
 */
void cwi_pri_call_destroy(struct cwi_span *span, struct cwi_pri_call *call);

#endif
