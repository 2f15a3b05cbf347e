/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip.h — the SIP adapter of causeway-bridge (libosip2, no eXosip).
 *
 * One thread owns a cws: every function below, and every callback, runs
 * in that thread. The adapter does no blocking I/O and never sleeps; the
 * caller's epoll loop waits on cws_fd() with cws_next_timeout_ms() and
 * then calls cws_on_readable() / cws_on_timeout().
 *
 * Calls are opaque handles (cws_call). The adapter creates one for each
 * received dialog-creating INVITE and for each cws_call_invite(); the caller
 * ends its interest with cws_call_release(), after which the handle must
 * not be used (the adapter may keep the call internally a while longer, to
 * finish its transactions and absorb retransmissions).
 *
 * Every pointer inside a struct cws_call_event is valid only during the
 * callback: copy what you keep. All int-returning functions return 0, a
 * negative errno value or a bridge code (common/error.h, cwcom_strerror()).
 *
 * Actions taken inside a callback are queued and run when the callback
 * returns; actions taken outside a callback are run by the next
 * cws_process() (on_readable/on_timeout call it too), so call
 * cws_process() after acting from outside a callback.
 */
#ifndef BRIDGE_SIP_H
#define BRIDGE_SIP_H

#include <stddef.h>

struct cwcap;

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cws cws;
typedef struct cws_call cws_call;

enum cws_event_type {
	CWS_EV_INVITE = 1,       /* new incoming call (100 Trying already sent) */
	CWS_EV_PROGRESS,         /* 1xx (> 100) for our INVITE */
	CWS_EV_ANSWERED,         /* 2xx for our INVITE (ACK already sent) */
	CWS_EV_FAILED,           /* 3xx..6xx for our INVITE (ACK sent by the ICT) */
	CWS_EV_ACK,              /* ACK for our 2xx received */
	CWS_EV_BYE,              /* BYE received (200 already sent) */
	CWS_EV_CANCEL,           /* CANCEL for this incoming call (200 sent; the caller sends 487) */
	CWS_EV_BYE_DONE,         /* final response to our BYE (status) */
	CWS_EV_TIMEOUT,          /* a client transaction of this call timed out (method) */
	CWS_EV_TRANSPORT_ERROR,  /* a message of this call could not be sent */
	CWS_EV_AUTH_SENT,        /* a 401/407 (status) answered: the INVITE went again with
	                            credentials (cws_invite_opts.auth_user); for the log only */
	/* RFC 4028 session refreshes inside the confirmed dialog (sip_dialog.c) */
	CWS_EV_UPDATE,           /* UPDATE received (RFC 3311): answer it in the callback with
	                            cws_call_respond_request() (else 500 goes out) */
	CWS_EV_REINVITE,         /* re-INVITE received: the same; a 2xx is retransmitted until
	                            its ACK, which gives no event */
	CWS_EV_REFRESH_DONE      /* final response to our cws_call_refresh() (status, method);
	                            a 2xx to a re-INVITE is ACKed already. No response: EV_TIMEOUT */
};

#define CWS_MAX_REASONS 16
#define CWS_MAX_IDENTITY 4 /* P-Asserted-Identity / Privacy header values kept */
#define CWS_MAX_REDIRECT 8 /* Diversion / History-Info header values kept */

/* Named cws_call_event: struct and enum tags share one namespace, and
   <causeway/map.h> has enum cw_sip_event (the bridge includes both). */
struct cws_call_event {
	enum cws_event_type type;
	cws_call *call;
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
	const char *from_tag;        /* the From tag (RFC 3261 §19.3); NULL when none */
	const char *src_ip;          /* the sender's numeric address (Via received= or sent-by,
	                                RFC 3261 §18.2.1), for the RFC 3325 trust check */
	int src_port;                /* its port: Via rport= as we filled it (RFC 3581), else the
	                                sent-by port, else 5060 */
	const char *transport;       /* "udp", "tcp" or "tls": what the INVITE came over */
	/* any message: P-Asserted-Identity and Privacy header values, raw, in order
	   (each may itself be a comma list); at most CWS_MAX_IDENTITY of each (an INVITE:
	   the caller, RFC 3325 §9.1; a 2xx: the answering party) */
	const char *pai[CWS_MAX_IDENTITY];
	size_t npai;
	const char *privacy[CWS_MAX_IDENTITY];
	size_t nprivacy;
	/* Diversion (RFC 5806) and History-Info (RFC 7044) header values, raw, in order
	   (each may be a comma list); at most CWS_MAX_REDIRECT of each */
	const char *diversion[CWS_MAX_REDIRECT];
	size_t ndiversion;
	const char *history_info[CWS_MAX_REDIRECT];
	size_t nhistory_info;
	/* any message: the SDP body (application/sdp or the first body), raw */
	const char *sdp;
	size_t sdp_len;
	/* every Reason header value, raw (comma lists arrive already split by
	   libosip2); parse with cw_reason_list_parse() */
	const char *reasons[CWS_MAX_REASONS];
	size_t nreasons;
	/* EV_FAILED: Retry-After delta-seconds (RFC 3261 §20.33), 0 when absent
	   or not a number; and the first Contact URI (without <> and header
	   parameters), NULL when absent (RFC 3261 §8.1.3.4, 3xx) */
	unsigned retry_after;
	const char *contact;
	/* any message: the RFC 4028 headers (first value, raw; NULL when absent, compact
	   forms too) and what the option-tag lists say */
	const char *session_expires;  /* Session-Expires / x */
	const char *min_se;           /* Min-SE */
	int timer_supported;          /* Supported / k lists "timer" */
	int timer_required;           /* Require lists "timer" */
	int allow_update;             /* Allow lists UPDATE (RFC 3311 §5.1) */
};

typedef void cws_event_cb(void *user, const struct cws_call_event *event);

/* Transactions are sharded over this many osip_t by branch hash, so that
   libosip2's linear scans see few each (README "Cost per message"). */
#define CWS_DEFAULT_SHARDS 4096u

/* cws_config.transports bits (RFC 3261 §18: a UA must serve both; an
   operator may still close one, e.g. no TCP listener facing the Internet) */
#define CWS_TRANSPORT_UDP 0x1u
#define CWS_TRANSPORT_TCP 0x2u
#define CWS_TRANSPORT_TLS 0x4u  /* RFC 3261 §26.3.1; needs cws_config.tls */

/* SIP over TLS: our certificate and key, the CAs for peers' certificates. */
struct cws_tls_options {
	unsigned port;               /* TLS listener port; 0: a free one (cws_tls_port()) */
	const char *certificate;     /* PEM certificate (chain), required */
	const char *private_key;     /* PEM key of it, required */
	const char *ca_file;         /* PEM CAs; with ca_dir both NULL: the system's */
	const char *ca_dir;          /* hashed CA directory (c_rehash) */
	int verify_client;           /* 1: a TLS client must present a valid certificate */
	int min_version;             /* 12 (TLS 1.2; 0 means this too) or 13 */
};

/*
 * A request received from the network, before any transaction exists for it
 * (cws_config.admit): what an admission policy needs to refuse it
 * cheaply. Strings are valid during the call only.
 */
struct cws_request_info {
	const char *method;
	const char *request_uri;     /* as received (digest uri=, RFC 3261 §22.4); INVITE only */
	const char *ruri_user;       /* user part of the Request-URI, NULL when absent */
	int in_dialog;               /* the To header has a tag */
	const char *authorization;   /* the first Authorization value, raw; NULL when absent */
	const char *src_ip;          /* the socket's peer, numeric, no brackets (never a header) */
	int src_port;
	const char *transport;       /* "udp", "tcp" or "tls" */
	/* a new INVITE (RFC 3578 §3: it may join a call): its Call-ID and From tag; else,
	   or when absent, NULL */
	const char *call_id;
	const char *from_tag;
};

/* What the admission callback answers with: one extra header, "" for none, and a
   Retry-After (RFC 3261 §20.33) when retry_after > 0. */
struct cws_refusal {
	char header_name[32];
	char header_value[512];
	unsigned retry_after;
};

/*
 * The admission callback: 0 = go on; a status 300..699 = answer it statelessly
 * (with ret's header, e.g. Retry-After, Reason, WWW-Authenticate) and forget
 * the request; < 0 = drop it unanswered. ACKs are never offered to it.
 */
typedef int cws_admit_cb(void *user, const struct cws_request_info *req,
                            struct cws_refusal *ret);

/*
 * The message observer (cws_config.on_message): every SIP message received
 * (out 0; those the parser refused are not) or sent (out 1; retransmissions
 * too). A request has status 0 and its method; a response its status and the
 * method of its CSeq (NULL when not known).
 */
typedef void cws_message_cb(void *user, int out, const char *method, int status);
/* ---- outbound registration (RFC 3261 §10.2; README "Outbound registration") ---- */

enum cws_register_state {
	CWS_REGISTER_OK = 1,     /* bound (a refresh that succeeds again is not reported) */
	CWS_REGISTER_FAILED,     /* the last try failed (reported again with another status) */
	CWS_REGISTER_REMOVED     /* the binding was removed (Expires: 0 answered) */
};

/* A registration's state changed: worth one log line. Strings valid during the call. */
struct cws_register_event {
	const char *name;
	enum cws_register_state state;
	int status;                  /* the final status; 0 for a timeout or transport error */
	unsigned expires;            /* OK: the seconds granted */
	unsigned retry_s;            /* FAILED: seconds until the next try */
};

typedef void cws_register_cb(void *user, const struct cws_register_event *ev);

struct cws_config {
	const char *address;         /* IPv4 or IPv6 literal to bind */
	unsigned port;               /* 0: pick a free one (same for UDP and TCP) */
	unsigned transports;         /* CWS_TRANSPORT_* served; 0 = both. One left out is
	                                neither listened on nor sent over. */
	unsigned shards;             /* osip_t instances; 0 = CWS_DEFAULT_SHARDS */
	unsigned tcp_idle_ms;        /* close idle TCP connections; 0 = 300000 */
	const struct cws_tls_options *tls; /* required with CWS_TRANSPORT_TLS */
	cws_event_cb *on_event;   /* required */
	void *user;
	cws_admit_cb *admit;      /* optional; called with user */
	cws_message_cb *on_message; /* optional; called with user */
	struct cwcap *capture;    /* optional: every message into this pcap file (bridge/capture) */
	cws_register_cb *on_register; /* optional; registrations' state changes, with user */
};

/*
 * cws_new() - bind the transports and create the shards. *ret is written
 * only on success. Errors: -EINVAL (bad config/address), -ENOMEM,
 * CWCOM_ELIMIT (socket/bind failed: see errno).
 */
int cws_new(cws **ret, const struct cws_config *config);

/* cws_free() - free everything (live calls and transactions too). NULL ok. */
void cws_free(cws *sip);

/* The port bound (useful with config.port 0). */
unsigned cws_port(const cws *sip);
/* The TLS listener's port (0 without TLS). */
unsigned cws_tls_port(const cws *sip);

/* One pollable fd (an epoll fd inside; level-triggered EPOLLIN). */
int cws_fd(const cws *sip);

/* Read everything readable, handle it, run the state machines. */
int cws_on_readable(cws *sip);

/* Run the due timers (transactions, 2xx retransmissions, TCP idle). */
int cws_on_timeout(cws *sip);

/* Run every queued action and state machine (see top of file). */
int cws_process(cws *sip);

/*
 * cws_next_timeout_ms() - milliseconds until cws_on_timeout() has
 * work: the minimum over the shards' transaction timers, the 2xx
 * retransmissions and the TCP idle timer; -1 if none.
 */
int cws_next_timeout_ms(cws *sip);

/* Counters, for tests and logs. */
struct cws_stats {
	unsigned long rx_messages, tx_messages, rx_malformed, tx_400, calls_live, transactions_live;
	unsigned long shed;      /* new INVITEs answered 503 unparsed in overload (README "Overload") */
	/* completed NISTs kept as records for timer J (README "Lingering transactions"):
	   how many, their bytes, retransmissions answered from them */
	unsigned long lingering, lingering_bytes, absorbed;
};
void cws_get_stats(const cws *sip, struct cws_stats *ret);

/*
 * cws_set_options_status() - the answer to every OPTIONS from now on:
 * 200 (the default) or 503, with Retry-After retry_after_s when > 0
 * (RFC 3261 §11.2, §21.5.4). The caller sets 503 while it cannot take a call,
 * so a load balancer probing with OPTIONS (Kamailio dispatcher) routes
 * around it. retry_after_s is also the Retry-After of the 503 a new INVITE gets in
 * overload (README "Overload"), whatever the status. Errors: -EINVAL (NULL, another
 * status).
 */
int cws_set_options_status(cws *sip, int status, unsigned retry_after_s);

/*
 * cws_register_add() - register a contact with a registrar (RFC 3261 §10.2): the
 * first REGISTER goes out at the next cws_on_timeout() (cws_next_timeout_ms() is 0
 * then), refreshes before the granted time runs out, retries after failures with
 * back-off (reg_fsm.h), 401/407 answered with the credentials (auth_password NULL:
 * none). Strings are copied. Errors: -EINVAL, -ENOMEM.
 */
struct cws_register_opts {
	const char *name;            /* for the events */
	const char *registrar;       /* Request-URI and next hop: sip[s]:HOST[:PORT][;transport=] */
	const char *aor;             /* address of record, sip:USER@DOMAIN: From and To */
	const char *contact_user;    /* <sip:CONTACT_USER@OURHOST:PORT> */
	const char *auth_user;
	const char *auth_password;
	unsigned expires;            /* seconds asked, 1..86400 */
	unsigned retry_interval_s;   /* the first back-off, >= 1 */
	unsigned retry_max_s;        /* its cap, >= retry_interval_s */
	/* optional: the numeric address and port every REGISTER goes to, located for the
	   registrar's host name (RFC 3263 §4) by the caller; NULL: the registrar's host */
	const char *next_hop;
	unsigned next_hop_port;
};
int cws_register_add(cws *sip, const struct cws_register_opts *opts);

/*
 * cws_register_stop() - a clean end: Expires: 0 for every binding that may exist,
 * nothing more sent after. Returns how many are out (cws_register_pending()); run
 * cws_process() and the loop until that is 0 (or the caller gives up).
 */
int cws_register_stop(cws *sip);
/* The registrations whose Expires: 0 REGISTER has no final response yet. */
int cws_register_pending(const cws *sip);

/* ---- actions ---- */

/*
 * Options for responses. Every field may be 0/NULL. Strings are copied.
 */
struct cws_response_opts {
	const char *sdp;             /* body (application/sdp) */
	const char *reason;          /* one Reason header value, e.g. from cw_reason_format() */
	int retry_after;             /* seconds, > 0 to send Retry-After */
	const char *contact;         /* a Contact header value (3xx) */
	const char *extra_headers;   /* optional "Name: value\r\n..." lines (Session-Expires,
	                                Require, Min-SE of RFC 4028) */
	const char *warning;         /* a Warning header value (RFC 3261 §20.43), e.g. on a 488 */
	const char *pai_user;        /* 2xx: P-Asserted-Identity of the answering party (RFC 3325
	                                §9.1), as cws_invite_opts.pai_user; NULL: none */
	const char *pai_display;     /* its display name (unquoted), optional */
	int privacy_id;              /* 2xx with pai_user: add "Privacy: id" (RFC 3325 §9.3) */
};

/*
 * cws_call_respond() - answer an incoming INVITE: 101..199 provisional,
 * 2xx answer (starts 2xx retransmission until the ACK), 300..699 final.
 * Errors: -EINVAL (not an incoming call, status out of range, a pai_user or
 * pai_display that would break the header, or a final
 * response already sent), -ENOMEM.
 */
int cws_call_respond(cws_call *call, int status, const struct cws_response_opts *opts);

struct cws_invite_opts {
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
	/* Digest credentials (RFC 3261 §22.2, §22.3; RFC 7616, RFC 8760). With them a 401
	   or 407 is not reported: the INVITE goes again with the answer (CSeq + 1, same
	   Call-ID and From tag, a new branch), once per challenging realm; a realm that
	   challenges again (a wrong password) is reported as EV_FAILED with its status.
	   NULL user: every 401/407 is final. Copied. */
	const char *auth_user;
	const char *auth_password;
	/* optional: the numeric address and port the INVITE (its CANCEL, its resend with
	   credentials) goes to, located for the Request-URI's host name (RFC 3263 §4) by the
	   caller; NULL: the Request-URI's host and port */
	const char *next_hop;
	unsigned next_hop_port;
	const cws_call *retry_of;    /* optional: an outgoing call whose INVITE got a final error
	                                this one answers (422 of RFC 4028 §7.4): the same Call-ID
	                                and From tag, CSeq + 1 (RFC 3261 §8.1.3.5) */
};

/*
 * cws_call_invite() - start an outgoing call. *ret (written on success)
 * is the new call; set user data with cws_call_set_user().
 * Errors: -EINVAL (bad target), -ENOMEM.
 */
int cws_call_invite(cws *sip, cws_call **ret, const struct cws_invite_opts *opts);

/* cws_call_cancel() - CANCEL our INVITE (sent once a 1xx has arrived). reason may be NULL. */
int cws_call_cancel(cws_call *call, const char *reason);

/* cws_call_bye() - BYE in the confirmed dialog. reason may be NULL. */
int cws_call_bye(cws_call *call, const char *reason);

/*
 * cws_call_respond_request() - answer the UPDATE or re-INVITE of the current
 * CWS_EV_UPDATE / CWS_EV_REINVITE callback (status 200..699; opts' sdp, reason,
 * extra_headers). A 2xx to a re-INVITE is retransmitted until its ACK.
 * Errors: -EINVAL (no such request pending, bad status), -ENOMEM.
 */
int cws_call_respond_request(cws_call *call, int status, const struct cws_response_opts *opts);

/*
 * cws_call_refresh() - a session refresh in the confirmed dialog (RFC 4028 §10):
 * method "UPDATE" (RFC 3311; sdp must be NULL: no offer) or "INVITE" (a re-INVITE,
 * sdp the current offer). extra_headers as for the INVITE (Session-Expires, Min-SE,
 * Supported). The final response comes as CWS_EV_REFRESH_DONE. One at a time.
 * Errors: -EINVAL (no dialog, a refresh still open, bad method), -ENOMEM.
 */
int cws_call_refresh(cws_call *call, const char *method, const char *sdp,
                     const char *extra_headers);

/* The caller is done with the call: no more events; the handle is dead. */
void cws_call_release(cws_call *call);

void cws_call_set_user(cws_call *call, void *user);
void *cws_call_get_user(const cws_call *call);
/* The Call-ID (valid while the handle is). */
const char *cws_call_id(const cws_call *call);

#ifdef __cplusplus
}
#endif

#endif /* BRIDGE_SIP_H */
