/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_internal.h — what the files of the SIP adapter share:
 * the adapter and call structs and the functions each file offers the
 * others. Not installed, not for the daemon (it sees only sip.h).
 *
 *   sip_stack.c    lifecycle, the intake of each received message, loop entry points
 *   sip_shards.c   osip_t per shard, branch hashing, the scheduler glue, the execute loop
 *   sip_intake.c   the pure validator (sip_intake.h)
 *   sip_message.c  building messages and reading their top Via
 *   sip_event.c    events to the caller
 *   sip_uas.c      server transactions: 100 Trying, CANCEL, in-dialog requests, 2xx/ACK
 *   sip_uac.c      client transactions: INVITE, ACK for 2xx, CANCEL, BYE
 *   sip_uac_auth.c an INVITE again with credentials after a 401/407
 *   sip_register.c outbound registration (its state machine: reg_fsm.c, pure)
 *   sip_calls.c    the call table (by Call-ID) and call lifetime
 *   sip_linger.c   completed server transactions kept as records (linger.h, pure)
 */
#ifndef BRIDGE_SIP_INTERNAL_H
#define BRIDGE_SIP_INTERNAL_H

#include <sys/time.h> /* before libosip2: its headers use struct timeval, time_t */
#include <time.h>
#include <osip2/osip.h>
#include <osip2/osip_dialog.h>
#include <osipparser2/osip_parser.h>

#include <stddef.h>
#include <stdint.h>

#include "auth.h" /* bridge/auth: the UAC answer to a 401/407 */
#include "linger.h"
#include "sched.h"
#include "sip.h"
#include "transport.h"

#define CWS_CALL_BUCKETS 16384u
#define CWS_ALLOW "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE"

struct shard {
	osip_t *osip;
	int dirty;             /* events queued since the last execute pass */
};

/* An outgoing INVITE's credentials and the challenges answered (RFC 3261 §22.2). */
struct cws_uac_auth {
	struct cwa_uac_state state;
	char user[CWA_VALUE_MAX + 1];
	char password[CWA_VALUE_MAX + 1];
};

struct cws_call {
	cws *sip;
	struct shard *sh;      /* shard of the INVITE (and of its CANCEL and ixt) */
	int outgoing;
	int released;
	int ntr;               /* transactions whose your_instance is this call */
	char *call_id;
	char *local_tag;
	char *inv_branch;
	unsigned inv_cseq;     /* UAC: the CSeq number of our INVITE (a retry's is one more) */
	osip_transaction_t *ist, *ict;
	osip_dialog_t *dialog;
	int final_sent, final_rcvd, got_1xx, cancel_pending, cancel_sent, bye_sent;
	char *cancel_reason;
	char *ack_buf;         /* UAC: the ACK for 2xx, re-sent per retransmitted 2xx */
	size_t ack_len;
	char *ack_host;
	int ack_port;
	/* UAC: the address located for the Request-URI's host (RFC 3263 §4), for the INVITE,
	   its CANCEL and a resend with credentials; NULL: the Request-URI's host itself */
	char *hop_ip;
	char *hop_name;
	int hop_port;
	enum cws_proto proto;
	struct cws_uac_auth *auth; /* UAC with credentials; NULL: a 401/407 is final */
	/* requests inside the dialog (sip_dialog.c) */
	osip_transaction_t *req_tr;  /* the UPDATE / re-INVITE being answered in a callback */
	osip_transaction_t *refresh_tr; /* our UPDATE / re-INVITE still without a final response */
	char *reinvite_cseq;         /* CSeq number of the re-INVITE whose 2xx we retransmit */
	int refresh_ack;             /* our re-INVITE got a 2xx: ack_buf is its ACK */
	void *user;
	struct cws_call *hnext;
};

struct cws {
	cws_transport *tp;
	struct shard *shards;
	unsigned nshards;
	struct cws_sched sched;       /* shards to run: ready (dirty) and timer deadlines (ms) */
	unsigned *work;              /* room for nshards: the shards one pass runs */
	cws_event_cb *on_event;
	void *user;
	cws_message_cb *on_message; /* cws_config.on_message, NULL: nobody observes */
	cws_admit_cb *admit;      /* cws_config.admit, NULL: every request goes on */
	osip_transaction_t **killed;
	size_t nkilled, capkilled;
	struct cws_call **buckets;
	int in_process;
	uint64_t rng;
	struct cws_stats stats;
	int options_status;          /* 200 or 503 (cws_set_options_status) */
	char ev_contact[512];        /* the Contact URI of the EV_FAILED being emitted */
	struct cws_reg *regs;        /* outbound registrations (sip_register.c) */
	cws_register_cb *on_register;
	unsigned options_retry_after;
	unsigned retry_after;        /* Retry-After of the overload's 503 (cws_set_options_status) */
	/* server transactions that only absorb retransmissions (sip_linger.c) */
	struct cws_linger linger;
	struct cws_linger_pending *completing; /* final responses sent in this pass */
	size_t ncompleting, capcompleting;
};

/* The instance whose osip_t is executing (libosip2 callbacks carry no user
   pointer when tr == NULL, e.g. 2xx retransmissions). One thread. */
extern cws *cws_active;

/* ---- sip_shards.c ---- */
long long cws_mono_ms(void);
/* cws_ms_until() - ms until a deadline sec.usec from now, rounded up; 0 if past. */
long long cws_ms_until(long long sec, long long usec);
uint32_t cws_hash_str(const char *s);
/* The shard of a message: its top-Via branch, else its Call-ID. */
struct shard *cws_shard_for(cws *sip, osip_message_t *m);
struct shard *cws_shard_of_osip(cws *sip, osip_t *o);
void cws_shard_mark_dirty(cws *sip, struct shard *sh);
void cws_queue_event(cws *sip, osip_transaction_t *tr, osip_event_t *evt);
/* Recompute the shard's deadline for the scheduler. */
void cws_shard_deadline(cws *sip, struct shard *sh);
/* libosip2 callbacks: sending, and killed transactions (freed after the pass) */
int cws_shard_send(osip_transaction_t *tr, osip_message_t *msg, char *host, int port, int sock);
/* RFC 5922 §4.1, §7: the name a TLS server at host:port must show. What goes to the
   address located for a URI's host name (RFC 3263 §4) is for that name: the call c's
   target host (its requests and ACKs sent there), a REGISTER req's registrar; else host. */
const char *cws_peer_name(const struct cws_call *c, const osip_message_t *req, const char *host,
                          int port);
void cws_shard_kill(int type, osip_transaction_t *tr);
void cws_shards_free_killed(cws *sip);
/* Free tr now (out of its osip_t's list): its call's count, the call if done. */
void cws_shard_free_transaction(cws *sip, osip_transaction_t *tr);

/* ---- sip_linger.c ---- */
/* The final response buf[0..len) of the NIST tr went over UDP to host:port: once the
   pass is over, keep a record of it instead of the transaction. Takes buf (osip_free). */
void cws_linger_note(cws *sip, osip_transaction_t *tr, int status, char *buf, size_t len,
                     const char *host, int port, int sock);
/* After a shard's pass: the noted transactions still Completed become records. */
void cws_linger_compact(cws *sip);
/* tr is about to be freed: forget it if noted. */
void cws_linger_forget(cws *sip, osip_transaction_t *tr);
/* A received request that is a retransmission of a record's: its response sent again.
   1: absorbed (the caller frees m's event), 0: not one. */
int cws_linger_absorb(cws *sip, osip_message_t *m);
/* Drop what expired; the notes and records at cws_free(). */
void cws_linger_run(cws *sip);
void cws_linger_release(cws *sip);

/* ---- sip_message.c ---- */
char *cws_rnd_token(cws *sip, const char *prefix);
const char *cws_top_branch(osip_message_t *m);
enum cws_proto cws_msg_proto(osip_message_t *m);
/* The transport a URI asks for: sips: or ;transport=tls TLS, ;transport=tcp TCP, else UDP. */
enum cws_proto cws_uri_proto(osip_uri_t *uri);
int cws_clone_route(void *a, void **b);
osip_message_t *cws_make_response(osip_message_t *req, int status, const char *tag);
void cws_set_contact(cws *sip, osip_message_t *m, const char *user);
void cws_set_body(osip_message_t *m, const char *sdp);
void cws_add_via(cws *sip, osip_message_t *m, enum cws_proto proto, char **ret_branch);
/* The message observer (sip.h cws_message_cb) told of m, received (out 0) or sent (1). */
void cws_observe(cws *sip, int out, osip_message_t *m);
/* "Name: value\r\n" lines as headers of m (a line without ':' or too long is skipped). */
void cws_add_header_lines(osip_message_t *m, const char *lines);

/* ---- sip_event.c ---- */
void cws_emit(cws *sip, struct cws_call_event *ev);
/* The fields of every event: SDP, Reason values, Warning code, P-Asserted-Identity and
   Privacy values, the RFC 4028 headers. */
void cws_fill_common(struct cws_call_event *ev, osip_message_t *m);
/* cws_header_values() - up to max raw values of the header called name, in order (osip
 * keeps unknown headers raw): how many. */
size_t cws_header_values(osip_message_t *m, const char *name, const char **out, size_t max);
/* cws_format_pai() - RFC 3325 §9.1: the P-Asserted-Identity value "DISPLAY" <sip:USER@OURHOST;
 * user=phone> into b ("" when pai_user is NULL): 0, or -1 for characters that would break
 * the header (sip_uac.c). */
int cws_format_pai(cws *sip, const char *pai_user, const char *pai_display, char *b, size_t n);
/* An event of type naming the method of tr, for the call tr belongs to (if any). */
void cws_emit_for_transaction(enum cws_event_type type, osip_transaction_t *tr);
void cws_on_transport_error(int type, osip_transaction_t *tr, int error);
void cws_on_connection_failed(void *user, enum cws_proto proto, const char *host, int port,
                                 const char *why);

/* ---- sip_stack.c ---- */
/* cws_admitted() - a new request past the admission callback (cws_config.admit),
 * before a transaction exists: 1 = go on; 0 = refused (answered statelessly, or dropped). */
int cws_admitted(cws *sip, osip_message_t *m, const struct cws_peer *peer);

/* ---- sip_calls.c ---- */
struct cws_call *cws_calls_new(cws *sip, struct shard *sh, const char *call_id);
/* cws_calls_find() - the first call whose whole Call-ID is call_id's; cws_calls_next()
 * - the next one after c (an outgoing call and its forks share one). */
struct cws_call *cws_calls_find(cws *sip, const osip_call_id_t *call_id);
struct cws_call *cws_calls_next(struct cws_call *c, const osip_call_id_t *call_id);
/* A call in a dialog with this request. */
struct cws_call *cws_calls_find_dialog(cws *sip, osip_message_t *req);
/* The incoming call whose INVITE had this Call-ID and top-Via branch. */
struct cws_call *cws_calls_find_incoming(cws *sip, const osip_call_id_t *call_id,
                                               const char *branch);
void cws_calls_free(cws *sip, struct cws_call *c);
void cws_calls_maybe_free(cws *sip, struct cws_call *c);
void cws_calls_attach(osip_transaction_t *tr, struct cws_call *c);

/* ---- sip_uas.c ---- */
void cws_uas_on_invite(int type, osip_transaction_t *tr, osip_message_t *m);
void cws_uas_on_request(int type, osip_transaction_t *tr, osip_message_t *m);
/* A valid request arrived: the top Via records its source (RFC 3261 §18.2.1). */
void cws_uas_stamp_via(osip_message_t *m, const struct cws_peer *peer);
/* A request no transaction took: ACK for a 2xx, or a new server transaction.
   Takes evt. */
void cws_uas_on_new_request(cws *sip, struct shard *sh, osip_event_t *evt,
                               const struct cws_peer *peer);

/* ---- sip_uac.c ---- */
/* cws_format_pai() - RFC 3325 §9.1: the P-Asserted-Identity value
   "DISPLAY" <sip:USER@OURHOST;user=phone> into b ("" when pai_user is NULL; display
   optional). 0, or -1 for a user or display that cannot be sent. */
int cws_format_pai(cws *sip, const char *pai_user, const char *pai_display, char *b, size_t n);

void cws_uac_on_invite_response(int type, osip_transaction_t *tr, osip_message_t *m);
void cws_uac_on_response(int type, osip_transaction_t *tr, osip_message_t *m);
void cws_uac_on_timeout(int type, osip_transaction_t *tr, osip_message_t *m);
/* A response no transaction took: a retransmitted 2xx gets the stored ACK again. */
void cws_uac_on_stray_response(cws *sip, osip_message_t *m);
/* ---- sip_uac_auth.c ---- */
/* Credentials to keep (user NULL: none, *ret NULL). 0, -EINVAL, -ENOMEM. */
int cws_uac_auth_new(const char *user, const char *password, struct cws_uac_auth **ret);
/* Forget them (the password is wiped). NULL ok. */
void cws_uac_auth_free(struct cws_uac_auth *a);
/* A 401/407 for the request: cwa_uac_state_challenged() on its challenges (0: answer it). */
int cws_uac_auth_challenged(struct cws_uac_auth *a, osip_message_t *resp);
/* The credentials of every realm answered so far into req (nc + 1 each). */
int cws_uac_auth_add(struct cws_uac_auth *a, osip_message_t *req);
/* cws_uac_auth_request() - req again, answering the 401/407 resp: a new message
 * (with *branch, its new Via branch, osip_free() it) or NULL when resp is final
 * (a realm refusing again, nothing answerable, no credentials). */
osip_message_t *cws_uac_auth_request(cws *sip, struct cws_call *c, osip_message_t *req,
                                     osip_message_t *resp, char **branch);

/* ---- sip_register.c ---- */
struct cws_reg;
void cws_register_free_all(cws *sip);
/* A response to a REGISTER of ours (a NICT without a call). */
void cws_register_on_response(cws *sip, int type, osip_transaction_t *tr, osip_message_t *m);
/* Its timeout or transport error (nothing if tr is no REGISTER of ours). */
void cws_register_on_failure(cws *sip, osip_transaction_t *tr);
/* Send what is due now. */
void cws_register_run(cws *sip);
/* The earliest deadline (cws_mono_ms() time), -1 when none. */
long long cws_register_next_ms(const cws *sip);
/* A request inside the confirmed dialog of c (CSeq + 1, route set, tags): BYE, UPDATE,
   re-INVITE. NULL on failure. */
osip_message_t *cws_uac_dialog_request(struct cws_call *c, const char *method);
/* Start a client transaction of c for msg (takes msg); its shard, NULL on failure. */
struct shard *cws_uac_start(cws *sip, struct cws_call *c, osip_message_t *msg,
                            osip_fsm_type_t type, osip_transaction_t **ret);
/* Build, route and send the ACK for the 2xx resp of the INVITE of tr (kept in ack_buf). */
void cws_uac_send_ack(cws *sip, struct cws_call *c, osip_transaction_t *tr, osip_message_t *resp);

/* ---- sip_dialog.c ---- */
/* An UPDATE in a dialog (NIST) or a re-INVITE (IST): event, answer. */
void cws_dialog_on_update(cws *sip, osip_transaction_t *tr, osip_message_t *m);
void cws_dialog_on_reinvite(cws *sip, osip_transaction_t *tr, osip_message_t *m);
/* 1: the ACK of a re-INVITE's 2xx we retransmit (stopped, no event). */
int cws_dialog_on_ack(cws *sip, struct cws_call *c, osip_message_t *ack);
/* A response to our refresh (tr is c->refresh_tr): 1 if it was, else 0. */
int cws_dialog_on_response(cws *sip, int type, osip_transaction_t *tr, osip_message_t *m);
/* The RFC 4028 fields of an event from m. */
void cws_dialog_fill_session(struct cws_call_event *ev, osip_message_t *m);

#endif
