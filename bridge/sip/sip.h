/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip.h — the SIP adapter of causeway-bridge (libosip2, no eXosip).
 *
 * One thread owns a cw_sip: every function below, and every callback, runs
 * in that thread. The adapter does no blocking I/O and never sleeps; the
 * caller's epoll loop waits on cw_sip_fd() with cw_sip_next_timeout_ms() and
 * then calls cw_sip_on_readable() / cw_sip_on_timeout().
 *
 * Calls are opaque handles (cw_sip_call). The adapter creates one for each
 * received dialog-creating INVITE and for each cw_sip_call_invite(); the caller
 * ends its interest with cw_sip_call_release(), after which the handle must
 * not be used (the adapter may keep the call internally a while longer, to
 * finish its transactions and absorb retransmissions).
 *
 * Every pointer inside a struct cw_sip_call_event is valid only during the
 * callback: copy what you keep. All int-returning functions return 0 or a
 * negative CW_E* code (<causeway/common.h>).
 *
 * Actions taken inside a callback are queued and run when the callback
 * returns; actions taken outside a callback are run by the next
 * cw_sip_process() (on_readable/on_timeout call it too), so call
 * cw_sip_process() after acting from outside a callback.
 */
#ifndef CW_BRIDGE_SIP_H
#define CW_BRIDGE_SIP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cw_sip cw_sip;
typedef struct cw_sip_call cw_sip_call;

enum cw_sip_event_type {
	CW_SIP_EV_INVITE = 1,       /* new incoming call (100 Trying already sent) */
	CW_SIP_EV_PROGRESS,         /* 1xx (> 100) for our INVITE */
	CW_SIP_EV_ANSWERED,         /* 2xx for our INVITE (ACK already sent) */
	CW_SIP_EV_FAILED,           /* 3xx..6xx for our INVITE (ACK sent by the ICT) */
	CW_SIP_EV_ACK,              /* ACK for our 2xx received */
	CW_SIP_EV_BYE,              /* BYE received (200 already sent) */
	CW_SIP_EV_CANCEL,           /* CANCEL for this incoming call (200 sent; the caller sends 487) */
	CW_SIP_EV_BYE_DONE,         /* final response to our BYE (status) */
	CW_SIP_EV_TIMEOUT,          /* a client transaction of this call timed out (method) */
	CW_SIP_EV_TRANSPORT_ERROR   /* a message of this call could not be sent */
};

#define CW_SIP_MAX_REASONS 16
#define CW_SIP_MAX_IDENTITY 4 /* P-Asserted-Identity / Privacy header values kept */

/* Named cw_sip_call_event: struct and enum tags share one namespace, and
   <causeway/map.h> has enum cw_sip_event (the bridge includes both). */
struct cw_sip_call_event {
	enum cw_sip_event_type type;
	cw_sip_call *call;
	const char *method;          /* EV_TIMEOUT / EV_TRANSPORT_ERROR: the request method */
	const char *error;           /* EV_TRANSPORT_ERROR: why, when known (e.g. a TLS
	                                certificate not naming the target), else NULL */
	int status;                  /* responses: status code; else 0 */
	int warning_code;            /* first Warning header's code, or 0 */
	/* EV_INVITE fields (NULL when absent) */
	const char *ruri_user;       /* user part of the Request-URI */
	const char *from_display;    /* From display-name, as written (may be quoted) */
	const char *from_user;       /* user part of the From URI */
	const char *from_host;       /* host of the From URI ("anonymous.invalid": RFC 3323) */
	const char *to;              /* the To header value, as reformatted by libosip2 */
	const char *src_ip;          /* the sender's numeric address (Via received= or sent-by,
	                                RFC 3261 §18.2.1), for the RFC 3325 trust check */
	int src_port;                /* its port: Via rport= as we filled it (RFC 3581), else the
	                                sent-by port, else 5060 */
	const char *transport;       /* "udp", "tcp" or "tls": what the INVITE came over */
	/* P-Asserted-Identity and Privacy header values, raw, in order (each may
	   itself be a comma list); at most CW_SIP_MAX_IDENTITY of each */
	const char *pai[CW_SIP_MAX_IDENTITY];
	size_t npai;
	const char *privacy[CW_SIP_MAX_IDENTITY];
	size_t nprivacy;
	/* any message: the SDP body (application/sdp or the first body), raw */
	const char *sdp;
	size_t sdp_len;
	/* every Reason header value, raw (comma lists arrive already split by
	   libosip2); parse with cw_reason_list_parse() */
	const char *reasons[CW_SIP_MAX_REASONS];
	size_t nreasons;
	/* EV_FAILED: Retry-After delta-seconds (RFC 3261 §20.33), 0 when absent
	   or not a number; and the first Contact URI (without <> and header
	   parameters), NULL when absent (RFC 3261 §8.1.3.4, 3xx) */
	unsigned retry_after;
	const char *contact;
};

typedef void cw_sip_event_cb(void *user, const struct cw_sip_call_event *event);

/* Transactions are sharded over this many osip_t by branch hash, so that
   libosip2's linear scans see few each (README "Cost per message"). */
#define CW_SIP_DEFAULT_SHARDS 4096u

/* cw_sip_config.transports bits (RFC 3261 §18: a UA must serve both; an
   operator may still close one, e.g. no TCP listener facing the Internet) */
#define CW_SIP_TRANSPORT_UDP 0x1u
#define CW_SIP_TRANSPORT_TCP 0x2u
#define CW_SIP_TRANSPORT_TLS 0x4u  /* RFC 3261 §26.3.1; needs cw_sip_config.tls */

/* SIP over TLS: our certificate and key, the CAs for peers' certificates. */
struct cw_sip_tls_options {
	unsigned port;               /* TLS listener port; 0: a free one (cw_sip_tls_port()) */
	const char *certificate;     /* PEM certificate (chain), required */
	const char *private_key;     /* PEM key of it, required */
	const char *ca_file;         /* PEM CAs; with ca_dir both NULL: the system's */
	const char *ca_dir;          /* hashed CA directory (c_rehash) */
	int verify_client;           /* 1: a TLS client must present a valid certificate */
	int min_version;             /* 12 (TLS 1.2; 0 means this too) or 13 */
};

/*
 * A request received from the network, before any transaction exists for it
 * (cw_sip_config.admit): what an admission policy needs to refuse it
 * cheaply. Strings are valid during the call only.
 */
struct cw_sip_request_info {
	const char *method;
	const char *request_uri;     /* as received (digest uri=, RFC 3261 §22.4); INVITE only */
	const char *ruri_user;       /* user part of the Request-URI, NULL when absent */
	int in_dialog;               /* the To header has a tag */
	const char *authorization;   /* the first Authorization value, raw; NULL when absent */
	const char *src_ip;          /* the socket's peer, numeric, no brackets (never a header) */
	int src_port;
	const char *transport;       /* "udp", "tcp" or "tls" */
};

/* What the admission callback answers with: one extra header, "" for none. */
struct cw_sip_refusal {
	char header_name[32];
	char header_value[512];
};

/*
 * The admission callback: 0 = go on; a status 300..699 = answer it statelessly
 * (with ret's header, e.g. Retry-After, Reason, WWW-Authenticate) and forget
 * the request; < 0 = drop it unanswered. ACKs are never offered to it.
 */
typedef int cw_sip_admit_cb(void *user, const struct cw_sip_request_info *req,
                            struct cw_sip_refusal *ret);

struct cw_sip_config {
	const char *address;         /* IPv4 or IPv6 literal to bind */
	unsigned port;               /* 0: pick a free one (same for UDP and TCP) */
	unsigned transports;         /* CW_SIP_TRANSPORT_* served; 0 = both. One left out is
	                                neither listened on nor sent over. */
	unsigned shards;             /* osip_t instances; 0 = CW_SIP_DEFAULT_SHARDS */
	unsigned tcp_idle_ms;        /* close idle TCP connections; 0 = 300000 */
	const struct cw_sip_tls_options *tls; /* required with CW_SIP_TRANSPORT_TLS */
	cw_sip_event_cb *on_event;   /* required */
	void *user;
	cw_sip_admit_cb *admit;      /* optional; called with user */
};

/*
 * cw_sip_new() - bind the transports and create the shards. *ret is written
 * only on success. Errors: CW_EINVAL (bad config/address), CW_ENOMEM,
 * CW_ELIMIT (socket/bind failed: see errno).
 */
int cw_sip_new(cw_sip **ret, const struct cw_sip_config *config);

/* cw_sip_free() - free everything (live calls and transactions too). NULL ok. */
void cw_sip_free(cw_sip *sip);

/* The port bound (useful with config.port 0). */
unsigned cw_sip_port(const cw_sip *sip);
/* The TLS listener's port (0 without TLS). */
unsigned cw_sip_tls_port(const cw_sip *sip);

/* One pollable fd (an epoll fd inside; level-triggered EPOLLIN). */
int cw_sip_fd(const cw_sip *sip);

/* Read everything readable, handle it, run the state machines. */
int cw_sip_on_readable(cw_sip *sip);

/* Run the due timers (transactions, 2xx retransmissions, TCP idle). */
int cw_sip_on_timeout(cw_sip *sip);

/* Run every queued action and state machine (see top of file). */
int cw_sip_process(cw_sip *sip);

/*
 * cw_sip_next_timeout_ms() - milliseconds until cw_sip_on_timeout() has
 * work: the minimum over the shards' transaction timers, the 2xx
 * retransmissions and the TCP idle timer; -1 if none.
 */
int cw_sip_next_timeout_ms(cw_sip *sip);

/* Counters, for tests and logs. */
struct cw_sip_stats {
	unsigned long rx_messages, tx_messages, rx_malformed, tx_400, calls_live, transactions_live;
};
void cw_sip_get_stats(const cw_sip *sip, struct cw_sip_stats *ret);

/*
 * cw_sip_set_options_status() - the answer to every OPTIONS from now on:
 * 200 (the default) or 503, with Retry-After retry_after_s when > 0
 * (RFC 3261 §11.2, §21.5.4). The caller sets 503 while it cannot take a call,
 * so a load balancer probing with OPTIONS (Kamailio dispatcher) routes
 * around it. Errors: CW_EINVAL (NULL, another status).
 */
int cw_sip_set_options_status(cw_sip *sip, int status, unsigned retry_after_s);

/* ---- actions ---- */

/*
 * Options for responses. Every field may be 0/NULL. Strings are copied.
 */
struct cw_sip_response_opts {
	const char *sdp;             /* body (application/sdp) */
	const char *reason;          /* one Reason header value, e.g. from cw_reason_format() */
	int retry_after;             /* seconds, > 0 to send Retry-After */
	const char *contact;         /* a Contact header value (3xx) */
};

/*
 * cw_sip_call_respond() - answer an incoming INVITE: 101..199 provisional,
 * 2xx answer (starts 2xx retransmission until the ACK), 300..699 final.
 * Errors: CW_EINVAL (not an incoming call, status out of range, or a final
 * response already sent), CW_ENOMEM.
 */
int cw_sip_call_respond(cw_sip_call *call, int status, const struct cw_sip_response_opts *opts);

struct cw_sip_invite_opts {
	const char *target;          /* Request-URI, e.g. "sip:4930123@127.0.0.1:5070;transport=tcp" */
	const char *from_user;       /* calling number (From user part); NULL: anonymous, i.e.
	                                "Anonymous" <sip:anonymous@anonymous.invalid> (RFC 3323
	                                §4.1.1.3) */
	const char *from_display;    /* optional display name (unquoted; " and \ are escaped) */
	const char *pai_user;        /* P-Asserted-Identity user (RFC 3325 §9.1), sent as
	                                <sip:USER@OURHOST;user=phone>; NULL: none */
	const char *pai_display;     /* its display name (unquoted), optional */
	int privacy_id;              /* add "Privacy: id" (RFC 3325 §9.3) */
	const char *to_user;         /* called number for To; NULL: the target's user */
	const char *sdp;             /* offer; NULL: no body */
	const char *extra_headers;   /* optional "Name: value\r\n..." lines (P-Asserted-Identity ...) */
};

/*
 * cw_sip_call_invite() - start an outgoing call. *ret (written on success)
 * is the new call; set user data with cw_sip_call_set_user().
 * Errors: CW_EINVAL (bad target), CW_ENOMEM.
 */
int cw_sip_call_invite(cw_sip *sip, cw_sip_call **ret, const struct cw_sip_invite_opts *opts);

/* cw_sip_call_cancel() - CANCEL our INVITE (sent once a 1xx has arrived). reason may be NULL. */
int cw_sip_call_cancel(cw_sip_call *call, const char *reason);

/* cw_sip_call_bye() - BYE in the confirmed dialog. reason may be NULL. */
int cw_sip_call_bye(cw_sip_call *call, const char *reason);

/* The caller is done with the call: no more events; the handle is dead. */
void cw_sip_call_release(cw_sip_call *call);

void cw_sip_call_set_user(cw_sip_call *call, void *user);
void *cw_sip_call_get_user(const cw_sip_call *call);
/* The Call-ID (valid while the handle is). */
const char *cw_sip_call_id(const cw_sip_call *call);

#ifdef __cplusplus
}
#endif

#endif /* CW_BRIDGE_SIP_H */
