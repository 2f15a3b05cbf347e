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
 *   sip_calls.c    the call table (by Call-ID) and call lifetime
 */
#ifndef CW_BRIDGE_SIP_INTERNAL_H
#define CW_BRIDGE_SIP_INTERNAL_H

#include <sys/time.h> /* before libosip2: its headers use struct timeval, time_t */
#include <time.h>
#include <osip2/osip.h>
#include <osip2/osip_dialog.h>
#include <osipparser2/osip_parser.h>

#include <stddef.h>
#include <stdint.h>

#include "sched.h"
#include "sip.h"
#include "transport.h"

#define CW_SIP_CALL_BUCKETS 16384u
#define CW_SIP_ALLOW "INVITE, ACK, CANCEL, BYE, OPTIONS"

struct shard {
	osip_t *osip;
	int dirty;             /* events queued since the last execute pass */
};

struct cw_sip_call {
	cw_sip *sip;
	struct shard *sh;      /* shard of the INVITE (and of its CANCEL and ixt) */
	int outgoing;
	int released;
	int ntr;               /* transactions whose your_instance is this call */
	char *call_id;
	char *local_tag;
	char *inv_branch;
	osip_transaction_t *ist, *ict;
	osip_dialog_t *dialog;
	int final_sent, final_rcvd, got_1xx, cancel_pending, cancel_sent, bye_sent;
	char *cancel_reason;
	char *ack_buf;         /* UAC: the ACK for 2xx, re-sent per retransmitted 2xx */
	size_t ack_len;
	char *ack_host;
	int ack_port;
	enum cw_sip_proto proto;
	void *user;
	struct cw_sip_call *hnext;
};

struct cw_sip {
	cw_sip_transport *tp;
	struct shard *shards;
	unsigned nshards;
	struct cw_sched sched;       /* shards to run: ready (dirty) and timer deadlines (ms) */
	unsigned *work;              /* room for nshards: the shards one pass runs */
	cw_sip_event_cb *on_event;
	void *user;
	cw_sip_admit_cb *admit;      /* cw_sip_config.admit, NULL: every request goes on */
	osip_transaction_t **killed;
	size_t nkilled, capkilled;
	struct cw_sip_call **buckets;
	int in_process;
	uint64_t rng;
	struct cw_sip_stats stats;
	int options_status;          /* 200 or 503 (cw_sip_set_options_status) */
	char ev_contact[512];        /* the Contact URI of the EV_FAILED being emitted */
	unsigned options_retry_after;
};

/* The instance whose osip_t is executing (libosip2 callbacks carry no user
   pointer when tr == NULL, e.g. 2xx retransmissions). One thread. */
extern cw_sip *cw_sip_active;

/* ---- sip_shards.c ---- */
long long cw_sip_mono_ms(void);
/* cw_sip_ms_until() - ms until a deadline sec.usec from now, rounded up; 0 if past. */
long long cw_sip_ms_until(long long sec, long long usec);
uint32_t cw_sip_hash_str(const char *s);
/* The shard of a message: its top-Via branch, else its Call-ID. */
struct shard *cw_sip_shard_for(cw_sip *sip, osip_message_t *m);
struct shard *cw_sip_shard_of_osip(cw_sip *sip, osip_t *o);
void cw_sip_shard_mark_dirty(cw_sip *sip, struct shard *sh);
void cw_sip_queue_event(cw_sip *sip, osip_transaction_t *tr, osip_event_t *evt);
/* Recompute the shard's deadline for the scheduler. */
void cw_sip_shard_deadline(cw_sip *sip, struct shard *sh);
/* libosip2 callbacks: sending, and killed transactions (freed after the pass) */
int cw_sip_shard_send(osip_transaction_t *tr, osip_message_t *msg, char *host, int port, int sock);
void cw_sip_shard_kill(int type, osip_transaction_t *tr);
void cw_sip_shards_free_killed(cw_sip *sip);

/* ---- sip_message.c ---- */
char *cw_sip_rnd_token(cw_sip *sip, const char *prefix);
const char *cw_sip_top_branch(osip_message_t *m);
enum cw_sip_proto cw_sip_msg_proto(osip_message_t *m);
int cw_sip_clone_route(void *a, void **b);
osip_message_t *cw_sip_make_response(osip_message_t *req, int status, const char *tag);
void cw_sip_set_contact(cw_sip *sip, osip_message_t *m, const char *user);
void cw_sip_set_body(osip_message_t *m, const char *sdp);
void cw_sip_add_via(cw_sip *sip, osip_message_t *m, enum cw_sip_proto proto, char **ret_branch);

/* ---- sip_event.c ---- */
void cw_sip_emit(cw_sip *sip, struct cw_sip_call_event *ev);
void cw_sip_fill_common(struct cw_sip_call_event *ev, osip_message_t *m);
/* An event of type naming the method of tr, for the call tr belongs to (if any). */
void cw_sip_emit_for_transaction(enum cw_sip_event_type type, osip_transaction_t *tr);
void cw_sip_on_transport_error(int type, osip_transaction_t *tr, int error);
void cw_sip_on_connection_failed(void *user, enum cw_sip_proto proto, const char *host, int port,
                                 const char *why);

/* ---- sip_stack.c ---- */
/* cw_sip_admitted() - a new request past the admission callback (cw_sip_config.admit),
 * before a transaction exists: 1 = go on; 0 = refused (answered statelessly, or dropped). */
int cw_sip_admitted(cw_sip *sip, osip_message_t *m, const struct cw_sip_peer *peer);

/* ---- sip_calls.c ---- */
struct cw_sip_call *cw_sip_calls_new(cw_sip *sip, struct shard *sh, const char *call_id);
/* cw_sip_calls_find() - the first call whose whole Call-ID is call_id's; cw_sip_calls_next()
 * - the next one after c (an outgoing call and its forks share one). */
struct cw_sip_call *cw_sip_calls_find(cw_sip *sip, const osip_call_id_t *call_id);
struct cw_sip_call *cw_sip_calls_next(struct cw_sip_call *c, const osip_call_id_t *call_id);
/* A call in a dialog with this request. */
struct cw_sip_call *cw_sip_calls_find_dialog(cw_sip *sip, osip_message_t *req);
/* The incoming call whose INVITE had this Call-ID and top-Via branch. */
struct cw_sip_call *cw_sip_calls_find_incoming(cw_sip *sip, const osip_call_id_t *call_id,
                                               const char *branch);
void cw_sip_calls_free(cw_sip *sip, struct cw_sip_call *c);
void cw_sip_calls_maybe_free(cw_sip *sip, struct cw_sip_call *c);
void cw_sip_calls_attach(osip_transaction_t *tr, struct cw_sip_call *c);

/* ---- sip_uas.c ---- */
void cw_sip_uas_on_invite(int type, osip_transaction_t *tr, osip_message_t *m);
void cw_sip_uas_on_request(int type, osip_transaction_t *tr, osip_message_t *m);
/* A valid request arrived: the top Via records its source (RFC 3261 §18.2.1). */
void cw_sip_uas_stamp_via(osip_message_t *m, const struct cw_sip_peer *peer);
/* A request no transaction took: ACK for a 2xx, or a new server transaction.
   Takes evt. */
void cw_sip_uas_on_new_request(cw_sip *sip, struct shard *sh, osip_event_t *evt,
                               const struct cw_sip_peer *peer);

/* ---- sip_uac.c ---- */
void cw_sip_uac_on_invite_response(int type, osip_transaction_t *tr, osip_message_t *m);
void cw_sip_uac_on_response(int type, osip_transaction_t *tr, osip_message_t *m);
void cw_sip_uac_on_timeout(int type, osip_transaction_t *tr, osip_message_t *m);
/* A response no transaction took: a retransmitted 2xx gets the stored ACK again. */
void cw_sip_uac_on_stray_response(cw_sip *sip, osip_message_t *m);

#endif
