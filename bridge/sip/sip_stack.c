/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_stack.c — the SIP adapter's lifecycle and loop entry
 * points (sip.h): creating and freeing the shards and the transport, and
 * the intake of every received message: the pure verdict of sip_intake.c,
 * a stateless answer for a bad request, else its transaction's shard
 * (sip_shards.c), the UAS (sip_uas.c) or the UAC (sip_uac.c).
 */
#include <errno.h>
#include <time.h>

#include <causeway/common.h>

#include "sip_intake.h"
#include "sip_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CWS_MAX_SHARDS 65536u

_Static_assert(CWS_TRANSPORT_UDP == CWS_TP_UDP && CWS_TRANSPORT_TCP == CWS_TP_TCP &&
                   CWS_TRANSPORT_TLS == CWS_TP_TLS,
               "sip.h and transport.h name the same bits");

/* A stateless response to a request we keep no transaction for. */
static void send_stateless(cws *sip, osip_message_t *req, int status,
                           const struct cws_peer *peer, const char *hname, const char *hval,
                           unsigned retry_after)
{
	osip_message_t *r = cws_make_response(req, status, "stateless");
	char *buf = NULL, ra[16];
	size_t len;
	if (r == NULL)
		return;
	if (hname)
		osip_message_set_header(r, hname, hval);
	if (retry_after > 0) { /* RFC 3261 §20.33 */
		snprintf(ra, sizeof(ra), "%u", retry_after);
		osip_message_set_header(r, "Retry-After", ra);
	}
	if (osip_message_to_str(r, &buf, &len) == 0 && buf) {
		if (cws_transport_send(sip->tp, peer->proto, peer->sock, peer->ip, peer->port, buf, len) == 0) {
			sip->stats.tx_messages++;
			cws_observe(sip, 1, r);
		}
		osip_free(buf);
	}
	osip_message_free(r);
}

static const char *proto_name(int proto)
{
	return proto == CWS_TLS ? "tls" : proto == CWS_TCP ? "tcp" : "udp";
}

int cws_admitted(cws *sip, osip_message_t *m, const struct cws_peer *peer)
{
	static char n_tag[] = "tag";
	struct cws_request_info req;
	struct cws_refusal ans;
	osip_authorization_t *auth = NULL;
	osip_generic_param_t *tag = NULL;
	char *uri = NULL, *cred = NULL, *cid = NULL;
	int st;

	if (sip->admit == NULL)
		return 1;
	memset(&req, 0, sizeof(req));
	memset(&ans, 0, sizeof(ans));
	req.method = m->sip_method;
	req.ruri_user = m->req_uri ? m->req_uri->username : NULL;
	osip_generic_param_get_byname(&m->to->gen_params, n_tag, &tag);
	req.in_dialog = tag != NULL;
	if (MSG_IS_INVITE(m) && !req.in_dialog) {
		/* the intake saw to the Call-ID and the From */
		if (osip_call_id_to_str(m->call_id, &cid) == 0)
			req.call_id = cid;
		tag = NULL;
		osip_generic_param_get_byname(&m->from->gen_params, n_tag, &tag);
		req.from_tag = tag ? tag->gvalue : NULL;
	}
	if (MSG_IS_INVITE(m) && m->req_uri && osip_uri_to_str(m->req_uri, &uri) == 0)
		req.request_uri = uri;
	if (osip_message_get_authorization(m, 0, &auth) >= 0 && auth &&
	    osip_authorization_to_str(auth, &cred) == 0)
		req.authorization = cred;
	req.src_ip = peer->ip;
	req.src_port = peer->port;
	req.transport = proto_name(peer->proto);
	st = sip->admit(sip->user, &req, &ans);
	osip_free(uri);
	osip_free(cred);
	osip_free(cid);
	if (st == 0)
		return 1;
	if (st >= 300 && st <= 699)
		send_stateless(sip, m, st, peer, ans.header_name[0] ? ans.header_name : NULL,
		               ans.header_value, ans.retry_after);
	return 0;
}

/*
 * Overload (README "Overload"): while the UDP receive queue is long, a new INVITE is
 * answered 503 + Retry-After from its raw lines, before a parse, a transaction or a call
 * cost anything; what belongs to the calls already taken (ACK, BYE, CANCEL, responses,
 * requests in a dialog) goes on, so those calls complete. 1: answered.
 */
static int shed_new_invite(cws *sip, const char *buf, size_t len, const struct cws_peer *peer)
{
	char *reply = NULL;
	size_t rlen = 0;

	if (peer->proto != CWS_UDP || !cws_transport_backlogged(sip->tp) ||
	    cws_intake_shed(buf, len, sip->retry_after, &reply, &rlen) != 1)
		return 0;
	sip->stats.shed++;
	if (sip->on_message)
		sip->on_message(sip->user, 0, "INVITE", 0);
	if (cws_transport_send(sip->tp, peer->proto, peer->sock, peer->ip, peer->port, reply,
	                       rlen) == 0) {
		sip->stats.tx_messages++;
		if (sip->on_message)
			sip->on_message(sip->user, 1, "INVITE", 503);
	}
	free(reply);
	return 1;
}

static void on_message(void *user, const char *buf, size_t len, const struct cws_peer *peer)
{
	cws *sip = user;
	struct cws_intake v;
	osip_event_t *evt;
	osip_message_t *m;
	struct shard *sh;

	sip->stats.rx_messages++;
	if (shed_new_invite(sip, buf, len, peer))
		return;
	cws_intake_check(buf, len, peer->proto, &v);
	if (v.kind == CWS_INTAKE_ACCEPT || v.kind == CWS_INTAKE_ANSWER)
		cws_observe(sip, 0, v.event->sip);
	switch (v.kind) {
	case CWS_INTAKE_ACCEPT:
		break;
	case CWS_INTAKE_ANSWER:
		sip->stats.rx_malformed++;
		send_stateless(sip, v.event->sip, v.status, peer, v.hname, v.hval, 0);
		if (v.status == 400)
			sip->stats.tx_400++;
		cws_intake_clear(&v);
		return;
	case CWS_INTAKE_SALVAGE:
		sip->stats.rx_malformed++;
		if (cws_transport_send(sip->tp, peer->proto, peer->sock, peer->ip, peer->port,
		                          v.reply, v.reply_len) == 0) {
			sip->stats.tx_messages++;
			sip->stats.tx_400++;
			if (sip->on_message) /* the request did not parse: its method is not known */
				sip->on_message(sip->user, 1, NULL, 400);
		}
		cws_intake_clear(&v);
		return;
	case CWS_INTAKE_DROP:
	default:
		sip->stats.rx_malformed++;
		cws_intake_clear(&v);
		return;
	}
	evt = v.event; /* ours from here */
	m = evt->sip;
	if (MSG_IS_REQUEST(m))
		cws_uas_stamp_via(m, peer);
	/* a retransmission of a completed NIST's request (records are of UDP ones only) */
	if (peer->proto == CWS_UDP && cws_linger_absorb(sip, m)) {
		osip_event_free(evt);
		return;
	}
	sh = cws_shard_for(sip, m);
	if (osip_find_transaction_and_add_event(sh->osip, evt) == 0) {
		cws_shard_mark_dirty(sip, sh);
		return;
	}
	if (MSG_IS_REQUEST(m)) {
		cws_uas_on_new_request(sip, sh, evt, peer);
		return;
	}
	cws_uac_on_stray_response(sip, m);
	osip_event_free(evt);
}

static int traces_set;

int cws_new(cws **ret, const struct cws_config *cfg)
{
	cws *sip;
	int rc;

	if (ret == NULL || cfg == NULL || cfg->on_event == NULL || cfg->address == NULL)
		return -EINVAL;
	sip = calloc(1, sizeof(*sip));
	if (sip == NULL)
		return -ENOMEM;
	sip->on_event = cfg->on_event;
	sip->user = cfg->user;
	sip->admit = cfg->admit;
	sip->on_message = cfg->on_message;
	sip->on_register = cfg->on_register;
	sip->options_status = 200;
	sip->nshards = cfg->shards ? cfg->shards : CWS_DEFAULT_SHARDS;
	if (sip->nshards > CWS_MAX_SHARDS)
		sip->nshards = CWS_MAX_SHARDS;
	sip->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)sip;
	if (sip->rng == 0)
		sip->rng = 88172645463325252ULL;
	sip->buckets = calloc(CWS_CALL_BUCKETS, sizeof(*sip->buckets));
	sip->shards = calloc(sip->nshards, sizeof(*sip->shards));
	sip->work = calloc(sip->nshards, sizeof(*sip->work));
	if (sip->buckets == NULL || sip->shards == NULL || sip->work == NULL ||
	    cws_sched_init(&sip->sched, sip->nshards) != 0 ||
	    cws_linger_init(&sip->linger, CWS_CALL_BUCKETS) != 0) {
		cws_free(sip);
		return -ENOMEM;
	}
	if (!traces_set) {
		cws_intake_init();
		/* libosip2's own traces go to stderr; quiet unless asked for */
		if (getenv("CW_SIP_OSIP_TRACE") == NULL)
			for (int l = TRACE_LEVEL0; l < END_TRACE_LEVEL; l++)
				osip_trace_disable_level((osip_trace_level_t)l);
		traces_set = 1;
	}
	for (unsigned i = 0; i < sip->nshards; i++) {
		osip_t *o = NULL;
		if (osip_init(&o) != 0) {
			cws_free(sip);
			return -ENOMEM;
		}
		sip->shards[i].osip = o;
		osip_set_application_context(o, &sip->shards[i]);
		osip_set_cb_send_message(o, cws_shard_send);
		for (int k = OSIP_ICT_KILL_TRANSACTION; k <= OSIP_NIST_KILL_TRANSACTION; k++)
			osip_set_kill_transaction_callback(o, k, cws_shard_kill);
		for (int k = OSIP_ICT_TRANSPORT_ERROR; k <= OSIP_NIST_TRANSPORT_ERROR; k++)
			osip_set_transport_error_callback(o, k, cws_on_transport_error);
		osip_set_message_callback(o, OSIP_IST_INVITE_RECEIVED, cws_uas_on_invite);
		osip_set_message_callback(o, OSIP_ICT_STATUS_1XX_RECEIVED, cws_uac_on_invite_response);
		osip_set_message_callback(o, OSIP_ICT_STATUS_2XX_RECEIVED, cws_uac_on_invite_response);
		for (int k = OSIP_ICT_STATUS_3XX_RECEIVED; k <= OSIP_ICT_STATUS_6XX_RECEIVED; k++)
			osip_set_message_callback(o, k, cws_uac_on_invite_response);
		for (int k = OSIP_NIST_REGISTER_RECEIVED; k <= OSIP_NIST_UNKNOWN_REQUEST_RECEIVED; k++)
			osip_set_message_callback(o, k, cws_uas_on_request);
		for (int k = OSIP_NICT_STATUS_1XX_RECEIVED; k <= OSIP_NICT_STATUS_6XX_RECEIVED; k++)
			osip_set_message_callback(o, k, cws_uac_on_response);
		osip_set_message_callback(o, OSIP_ICT_STATUS_TIMEOUT, cws_uac_on_timeout);
		osip_set_message_callback(o, OSIP_NICT_STATUS_TIMEOUT, cws_uac_on_timeout);
	}
	rc = cws_transport_new_tls(&sip->tp, cfg->address, cfg->port, cfg->transports,
	                              cfg->tcp_idle_ms, on_message, sip, cfg->tls,
	                              cws_on_connection_failed);
	if (rc != 0) {
		cws_free(sip);
		return rc;
	}
	cws_transport_set_capture(sip->tp, cfg->capture);
	*ret = sip;
	return 0;
}

static void free_list(cws *sip, osip_list_t *l)
{
	osip_transaction_t *tr;
	while ((tr = osip_list_get(l, 0)) != NULL) {
		struct cws_call *c = osip_transaction_get_your_instance(tr);
		if (c)
			c->ntr--;
		osip_transaction_free(tr); /* removes it from l */
		sip->stats.transactions_live--;
	}
}

void cws_free(cws *sip)
{
	cws *prev = cws_active;
	if (sip == NULL)
		return;
	cws_active = sip;
	cws_shards_free_killed(sip);
	cws_linger_release(sip);
	/* transactions first (they point at calls), then calls (their ixt live
	   in the shards), then the shards */
	for (unsigned i = 0; sip->shards && i < sip->nshards; i++) {
		osip_t *o = sip->shards[i].osip;
		if (o == NULL)
			continue;
		free_list(sip, &o->osip_ict_transactions);
		free_list(sip, &o->osip_ist_transactions);
		free_list(sip, &o->osip_nict_transactions);
		free_list(sip, &o->osip_nist_transactions);
	}
	if (sip->buckets) {
		for (unsigned b = 0; b < CWS_CALL_BUCKETS; b++)
			while (sip->buckets[b])
				cws_calls_free(sip, sip->buckets[b]);
	}
	cws_register_free_all(sip);
	for (unsigned i = 0; sip->shards && i < sip->nshards; i++)
		if (sip->shards[i].osip)
			osip_release(sip->shards[i].osip);
	cws_transport_free(sip->tp);
	free(sip->killed);
	free(sip->buckets);
	free(sip->shards);
	free(sip->work);
	cws_sched_free(&sip->sched);
	free(sip);
	cws_active = prev == sip ? NULL : prev;
}

unsigned cws_port(const cws *sip) { return cws_transport_port(sip->tp); }
unsigned cws_tls_port(const cws *sip) { return cws_transport_tls_port(sip->tp); }

int cws_fd(const cws *sip) { return cws_transport_fd(sip->tp); }

int cws_on_readable(cws *sip)
{
	cws *prev = cws_active;
	if (sip == NULL)
		return -EINVAL;
	cws_active = sip;
	cws_transport_on_readable(sip->tp);
	cws_active = prev;
	return cws_process(sip);
}

int cws_on_timeout(cws *sip)
{
	if (sip == NULL)
		return -EINVAL;
	cws_transport_on_timeout(sip->tp);
	cws_linger_run(sip);
	cws_register_run(sip);
	return cws_process(sip);
}

/* best (ms from now, -1 none) or the deadline at (cws_mono_ms() time, -1 none), sooner. */
static long long earliest(long long best, long long at)
{
	if (at < 0)
		return best;
	at -= cws_mono_ms();
	if (at < 0)
		at = 0;
	return best < 0 || at < best ? at : best;
}

int cws_next_timeout_ms(cws *sip)
{
	long long best = -1, at;
	int t;

	if (cws_sched_has_ready(&sip->sched))
		return 0;
	at = cws_sched_next(&sip->sched);
	if (at >= 0) {
		/* -1 means "no deadline": an overdue one is due now, never -1 */
		best = at - cws_mono_ms();
		if (best < 0)
			best = 0;
	}
	t = cws_transport_next_timeout_ms(sip->tp);
	if (t >= 0 && (best < 0 || t < best))
		best = t;
	best = earliest(best, cws_register_next_ms(sip)); /* a REGISTER due (sip_register.c) */
	best = earliest(best, cws_linger_next(&sip->linger)); /* a record's timer J */
	if (best > 3600000)
		best = 3600000;
	return (int)best;
}

void cws_get_stats(const cws *sip, struct cws_stats *ret)
{
	if (sip && ret) {
		*ret = sip->stats;
		ret->lingering = sip->linger.count;
		ret->lingering_bytes = sip->linger.bytes;
	}
}
