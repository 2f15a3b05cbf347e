/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_uas.c — the server side: requests that create server
 * transactions, 100 Trying for an INVITE (RFC 3261 §17.2.1), CANCEL matched
 * to its INVITE by top-Via branch (§9.2), BYE in a dialog, OPTIONS and the
 * methods we refuse, the ACK that stops a 2xx retransmission (§13.3.1.4),
 * and the caller's answers to an incoming INVITE.
 */
#include <errno.h>
#include <causeway/common.h>

#include "sip_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* libosip2 takes parameter names as char *. */
static char n_tag[] = "tag", n_received[] = "received", n_rport[] = "rport";

static void respond_tr(cws *sip, osip_transaction_t *tr, int status, const char *tag)
{
	osip_message_t *r = cws_make_response(tr->orig_request, status, tag);
	if (r == NULL)
		return;
	if (status == 405 || (status == 200 && MSG_IS_OPTIONS(tr->orig_request)))
		osip_message_set_allow(r, CWS_ALLOW);
	if (status == 200 && MSG_IS_OPTIONS(tr->orig_request))
		osip_message_set_accept(r, "application/sdp");
	if (status == 503 && MSG_IS_OPTIONS(tr->orig_request) && sip->options_retry_after > 0) {
		char b[16];

		snprintf(b, sizeof(b), "%u", sip->options_retry_after);
		osip_message_set_header(r, "Retry-After", b); /* RFC 3261 §21.5.4 */
	}
	cws_queue_event(sip, tr, osip_new_outgoing_sipmessage(r));
}

/* RFC 3261 §18.2.1: received= is the server's to write. A sender's own would be
   found first by via_source() and could claim a trusted_peers address (RFC 3325 §5),
   so the top Via loses any before osip_message_fix_last_via_header() adds ours. */
static void drop_received(osip_message_t *m)
{
	osip_via_t *via = osip_list_get(&m->vias, 0);
	int i;

	if (via == NULL)
		return;
	for (i = osip_list_size(&via->via_params) - 1; i >= 0; i--) {
		osip_generic_param_t *gp = osip_list_get(&via->via_params, i);
		if (gp && gp->gname && strcasecmp(gp->gname, "received") == 0) {
			osip_list_remove(&via->via_params, i);
			osip_generic_param_free(gp);
		}
	}
}

/* The address the request came from: the top Via's received= (set by
   osip_message_fix_last_via_header() when sent-by differs), else its host. */
static const char *via_source(osip_message_t *m)
{
	osip_via_t *via = osip_list_get(&m->vias, 0);
	osip_generic_param_t *rcv = NULL;

	if (via == NULL)
		return NULL;
	if (osip_via_param_get_byname(via, n_received, &rcv) == 0 && rcv && rcv->gvalue)
		return rcv->gvalue;
	return via->host;
}

/* The port the request came from: rport= (osip_message_fix_last_via_header() writes the
   socket's port into an empty one, RFC 3581 §4), else the top Via's sent-by port. */
static int via_source_port(osip_message_t *m)
{
	osip_via_t *via = osip_list_get(&m->vias, 0);
	osip_generic_param_t *rport = NULL;
	int port;

	if (via == NULL)
		return 5060;
	if (osip_via_param_get_byname(via, n_rport, &rport) == 0 && rport && rport->gvalue &&
	    (port = atoi(rport->gvalue)) > 0 && port <= 65535)
		return port;
	port = via->port ? atoi(via->port) : 0;
	return port > 0 && port <= 65535 ? port : 5060;
}

void cws_uas_on_invite(int type, osip_transaction_t *tr, osip_message_t *m)
{
	cws *sip = cws_active;
	struct shard *sh = cws_shard_of_osip(sip, (osip_t *)tr->config);
	osip_generic_param_t *tag = NULL;
	struct cws_call *c = NULL;
	struct cws_call_event ev;
	char *to = NULL, *cid = NULL;
	osip_message_t *trying;
	(void)type;

	osip_generic_param_get_byname(&m->to->gen_params, n_tag, &tag);
	if (tag != NULL) {
		/* re-INVITE in a dialog (sip_dialog.c); else no dialog (481) */
		if (cws_calls_find_dialog(sip, m))
			cws_dialog_on_reinvite(sip, tr, m);
		else
			respond_tr(sip, tr, 481, NULL);
		return;
	}
	/* 100 Trying at once (RFC 3261 §17.2.1; the IST does not send it) */
	trying = cws_make_response(m, 100, NULL);
	if (trying)
		cws_queue_event(sip, tr, osip_new_outgoing_sipmessage(trying));
	/* the Call-ID whole, "local@host" (RFC 3261 §20.8): the CDR and the logs name it */
	if (osip_call_id_to_str(m->call_id, &cid) == 0) {
		c = cws_calls_new(sip, sh, cid);
		osip_free(cid);
	}
	if (c == NULL) {
		respond_tr(sip, tr, 500, "x");
		return;
	}
	c->ist = tr;
	c->proto = cws_msg_proto(m);
	c->inv_branch = osip_strdup(cws_top_branch(m));
	cws_calls_attach(tr, c);

	memset(&ev, 0, sizeof(ev));
	ev.type = CWS_EV_INVITE;
	ev.call = c;
	ev.ruri_user = m->req_uri ? m->req_uri->username : NULL;
	ev.from_display = m->from->displayname;
	ev.from_user = m->from->url ? m->from->url->username : NULL;
	if (osip_to_to_str(m->to, &to) == 0)
		ev.to = to;
	ev.from_host = m->from->url ? m->from->url->host : NULL;
	ev.src_ip = via_source(m);
	ev.src_port = via_source_port(m);
	ev.transport = c->proto == CWS_TLS ? "tls" : c->proto == CWS_TCP ? "tcp" : "udp";
	ev.npai = cws_header_values(m, "p-asserted-identity", ev.pai, CWS_MAX_IDENTITY);
	ev.nprivacy = cws_header_values(m, "privacy", ev.privacy, CWS_MAX_IDENTITY);
	cws_fill_common(&ev, m);
	cws_emit(sip, &ev);
	osip_free(to);
}

void cws_uas_on_request(int type, osip_transaction_t *tr, osip_message_t *m)
{
	cws *sip = cws_active;
	struct cws_call_event ev;
	struct cws_call *c;

	memset(&ev, 0, sizeof(ev));
	switch (type) {
	case OSIP_NIST_OPTIONS_RECEIVED:
		respond_tr(sip, tr, sip->options_status, "opt");
		return;
	case OSIP_NIST_BYE_RECEIVED:
		c = cws_calls_find_dialog(sip, m);
		if (c == NULL) {
			respond_tr(sip, tr, 481, "nd");
			return;
		}
		cws_calls_attach(tr, c);
		respond_tr(sip, tr, 200, NULL);
		if (c->dialog)
			osip_stop_retransmissions_from_dialog(c->sh->osip, c->dialog);
		ev.type = CWS_EV_BYE;
		ev.call = c;
		cws_fill_common(&ev, m);
		cws_emit(sip, &ev);
		return;
	case OSIP_NIST_CANCEL_RECEIVED: {
		/* RFC 3261 §9.2: the INVITE with the same top-Via branch (hence the
		   same shard); found through the Call-ID table, checked by branch */
		c = cws_calls_find_incoming(sip, m->call_id, cws_top_branch(m));
		if (c == NULL) {
			respond_tr(sip, tr, 481, "nc");
			return;
		}
		cws_calls_attach(tr, c);
		respond_tr(sip, tr, 200, c->local_tag);
		if (c->final_sent || c->ist == NULL)
			return;
		ev.type = CWS_EV_CANCEL;
		ev.call = c;
		cws_fill_common(&ev, m);
		cws_emit(sip, &ev);
		return;
	}
	case OSIP_NIST_REGISTER_RECEIVED:
	case OSIP_NIST_INFO_RECEIVED:
	case OSIP_NIST_NOTIFY_RECEIVED:
	case OSIP_NIST_SUBSCRIBE_RECEIVED:
		respond_tr(sip, tr, 405, "na");
		return;
	case OSIP_NIST_UNKNOWN_REQUEST_RECEIVED: {
		static const char *const known[] = {"PRACK", "REFER", "MESSAGE", "PUBLISH", NULL};
		int k = 0;
		if (strcmp(m->sip_method, "UPDATE") == 0) { /* RFC 3311 (sip_dialog.c) */
			cws_dialog_on_update(sip, tr, m);
			return;
		}
		while (known[k] && strcmp(known[k], m->sip_method) != 0)
			k++;
		respond_tr(sip, tr, known[k] ? 405 : 501, "na");
		return;
	}
	default:
		return;
	}
}

static void handle_ack_2xx(cws *sip, osip_message_t *ack)
{
	struct cws_call *c = cws_calls_find_dialog(sip, ack);
	struct cws_call_event ev;
	if (c == NULL || cws_dialog_on_ack(sip, c, ack) || c->outgoing)
		return;
	if (osip_stop_200ok_retransmissions(c->sh->osip, ack) == NULL)
		return; /* a retransmitted ACK: already reported */
	cws_shard_deadline(sip, c->sh);
	memset(&ev, 0, sizeof(ev));
	ev.type = CWS_EV_ACK;
	ev.call = c;
	cws_fill_common(&ev, ack);
	cws_emit(sip, &ev);
}

void cws_uas_stamp_via(osip_message_t *m, const struct cws_peer *peer)
{
	drop_received(m);
	osip_message_fix_last_via_header(m, peer->ip, peer->port);
}

void cws_uas_on_new_request(cws *sip, struct shard *sh, osip_event_t *evt,
                               const struct cws_peer *peer)
{
	osip_message_t *m = evt->sip;
	osip_transaction_t *tr;

	if (MSG_IS_ACK(m)) {
		handle_ack_2xx(sip, m);
		osip_event_free(evt);
		return;
	}
	/* an INVITE retransmitted after our 2xx killed the IST: the 2xx
	   retransmission covers it (RFC 3261 §13.3.1.4) */
	if (MSG_IS_INVITE(m) &&
	    cws_calls_find_incoming(sip, m->call_id, cws_top_branch(m)) != NULL) {
		osip_event_free(evt);
		return;
	}
	if (!cws_admitted(sip, m, peer)) {
		osip_event_free(evt);
		return;
	}
	tr = osip_create_transaction(sh->osip, evt);
	if (tr == NULL) {
		osip_event_free(evt);
		return;
	}
	sip->stats.transactions_live++;
	osip_transaction_set_out_socket(tr, peer->sock);
	osip_transaction_add_event(tr, evt);
	cws_shard_mark_dirty(sip, sh);
}

int cws_call_respond(cws_call *c, int status, const struct cws_response_opts *o)
{
	cws *sip;
	osip_message_t *r, *inv;
	char b[32], pai[512] = "";

	if (c == NULL || c->outgoing || c->released || c->final_sent || c->ist == NULL ||
	    status < 101 || status > 699)
		return -EINVAL;
	sip = c->sip;
	if (o && status < 300 && cws_format_pai(sip, o->pai_user, o->pai_display, pai, sizeof(pai)))
		return -EINVAL;
	inv = c->ist->orig_request;
	r = cws_make_response(inv, status, c->local_tag);
	if (r == NULL)
		return -ENOMEM;
	if (status < 300)
		cws_set_contact(sip, r, NULL);
	if (o) {
		if (o->sdp)
			cws_set_body(r, o->sdp);
		if (o->reason && *o->reason)
			osip_message_set_header(r, "Reason", o->reason);
		if (o->retry_after > 0) {
			snprintf(b, sizeof(b), "%d", o->retry_after);
			osip_message_set_header(r, "Retry-After", b);
		}
		if (o->contact && status >= 300)
			osip_message_set_contact(r, o->contact);
		cws_add_header_lines(r, o->extra_headers);
		if (pai[0]) /* RFC 3325 §9.1: who answered */
			osip_message_set_header(r, "P-Asserted-Identity", pai);
		if (o->warning && *o->warning && status >= 300)
			osip_message_set_header(r, "Warning", o->warning);
	}
	if (status >= 200 && status < 300)
		osip_message_set_allow(r, CWS_ALLOW); /* RFC 3311 §5.1: UPDATE is taken */
	if (status >= 200) {
		c->final_sent = 1;
		if (status < 300) {
			if (c->dialog == NULL && osip_dialog_init_as_uas(&c->dialog, inv, r) != 0) {
				osip_message_free(r);
				return -ENOMEM;
			}
			/* the UAS core retransmits the 2xx until the ACK (pitfall 5) */
			osip_start_200ok_retransmissions(c->sh->osip, c->dialog, r, c->ist->out_socket);
		}
	}
	cws_queue_event(sip, c->ist, osip_new_outgoing_sipmessage(r));
	return 0;
}

int cws_set_options_status(cws *sip, int status, unsigned retry_after_s)
{
	if (sip == NULL || (status != 200 && status != 503))
		return -EINVAL;
	sip->options_status = status;
	sip->options_retry_after = status == 503 ? retry_after_s : 0;
	sip->retry_after = retry_after_s;
	return 0;
}
