/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_uac.c — the client side: the caller's INVITE, its
 * provisional and final responses, the ACK for a 2xx built from the dialog
 * and re-sent for each retransmitted 2xx (RFC 3261 §13.2.2.4; the ICT ACKs
 * a non-2xx itself, §17.1.1.3), CANCEL once a 1xx arrived (§9.1), BYE in
 * the confirmed dialog, and the client transactions' timeouts.
 */
#include <errno.h>
#include <causeway/common.h>

#include "sip_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void send_cancel(cws *sip, struct cws_call *c);
static int send_bye(cws_call *c, const char *reason);
static int auth_resend(cws *sip, struct cws_call *c, osip_transaction_t *tr, osip_message_t *resp);

/* A final error response: Retry-After (RFC 3261 §20.33: delta-seconds, then an
   optional comment and parameters) and the first Contact URI (§8.1.3.4). */
static void fill_failed(cws *sip, struct cws_call_event *ev, osip_message_t *m)
{
	osip_header_t *h = NULL;
	osip_contact_t *ct = NULL;
	char *uri = NULL;

	if (osip_message_header_get_byname(m, "retry-after", 0, &h) >= 0 && h && h->hvalue) {
		const char *p = h->hvalue;
		unsigned long v = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		while (*p >= '0' && *p <= '9' && v < 86400UL * 365)
			v = v * 10 + (unsigned long)(*p++ - '0');
		ev->retry_after = (unsigned)v;
	}
	if (osip_message_get_contact(m, 0, &ct) >= 0 && ct && ct->url &&
	    osip_uri_to_str(ct->url, &uri) == 0 && uri) {
		size_t n = strlen(uri);

		if (n < sizeof(sip->ev_contact)) {
			memcpy(sip->ev_contact, uri, n + 1);
			ev->contact = sip->ev_contact;
		}
		osip_free(uri);
	}
}

static void set_cseq(osip_message_t *m, const char *num, const char *method)
{
	char b[64];
	snprintf(b, sizeof(b), "%s %s", num, method);
	osip_message_set_cseq(m, b);
}

/* Build, route (RFC 3261 §12.2.1.1, loose routing) and send the ACK for a 2xx. */
void cws_uac_send_ack(cws *sip, struct cws_call *c, osip_transaction_t *tr, osip_message_t *resp)
{
	osip_message_t *inv = tr->orig_request, *ack = NULL;
	osip_uri_t *uri = NULL, *hop;
	osip_route_t *route;
	char *buf = NULL, portbuf[16];
	size_t len;

	if (osip_message_init(&ack) != 0)
		return;
	osip_message_set_method(ack, osip_strdup("ACK"));
	osip_message_set_version(ack, osip_strdup("SIP/2.0"));
	if (c->dialog && c->dialog->remote_contact_uri && c->dialog->remote_contact_uri->url)
		osip_uri_clone(c->dialog->remote_contact_uri->url, &uri);
	else
		osip_uri_clone(inv->req_uri, &uri);
	osip_message_set_uri(ack, uri);
	cws_add_via(sip, ack, c->proto, NULL);
	osip_from_clone(inv->from, &ack->from);
	osip_to_clone(resp->to, &ack->to);
	osip_call_id_clone(inv->call_id, &ack->call_id);
	set_cseq(ack, inv->cseq->number, "ACK");
	osip_message_set_max_forwards(ack, "70");
	if (c->dialog)
		osip_list_clone(&c->dialog->route_set, &ack->routes, cws_clone_route);
	route = osip_list_get(&ack->routes, 0);
	hop = (route && route->url) ? route->url : uri;
	if (hop == NULL || hop->host == NULL || osip_message_to_str(ack, &buf, &len) != 0) {
		osip_message_free(ack);
		return;
	}
	free(c->ack_buf);
	free(c->ack_host);
	c->ack_buf = malloc(len);
	c->ack_host = strdup(hop->host);
	if (c->ack_buf && c->ack_host) {
		memcpy(c->ack_buf, buf, len);
		c->ack_len = len;
		snprintf(portbuf, sizeof(portbuf), "%s",
		         hop->port ? hop->port : c->proto == CWS_TLS ? "5061" : "5060");
		c->ack_port = atoi(portbuf);
		if (cws_transport_send_named(sip->tp, c->proto, -1, c->ack_host, c->ack_port,
		                             cws_peer_name(c, NULL, c->ack_host, c->ack_port), buf,
		                             len) == 0) {
			sip->stats.tx_messages++;
			cws_observe(sip, 1, ack);
		}
	}
	osip_free(buf);
	osip_message_free(ack);
}

void cws_uac_on_invite_response(int type, osip_transaction_t *tr, osip_message_t *m)
{
	cws *sip = cws_active;
	struct cws_call *c = osip_transaction_get_your_instance(tr);
	struct cws_call_event ev;

	if (c == NULL || m == NULL)
		return;
	if (cws_dialog_on_response(sip, type, tr, m)) /* our re-INVITE (sip_dialog.c) */
		return;
	memset(&ev, 0, sizeof(ev));
	ev.call = c;
	ev.status = m->status_code;
	cws_fill_common(&ev, m);
	if (type == OSIP_ICT_STATUS_1XX_RECEIVED) {
		c->got_1xx = 1;
		if (c->cancel_pending && !c->cancel_sent)
			send_cancel(sip, c);
		if (m->status_code == 100)
			return;
		ev.type = CWS_EV_PROGRESS;
	} else if (type == OSIP_ICT_STATUS_2XX_RECEIVED) {
		c->final_rcvd = 1;
		if (c->dialog == NULL)
			osip_dialog_init_as_uac(&c->dialog, m);
		cws_uac_send_ack(sip, c, tr, m);
		/* RFC 3261 §15: the caller released the call (its CANCEL crossed this
		   2xx, or it gave up): nobody wants the session, so ACK, then BYE. */
		if (c->released && !c->bye_sent && c->dialog)
			(void)send_bye(c, NULL);
		ev.type = CWS_EV_ANSWERED;
		/* RFC 3325 §9.1: who answered, as the target asserts it */
		ev.npai = cws_header_values(m, "p-asserted-identity", ev.pai, CWS_MAX_IDENTITY);
	} else {
		/* RFC 3261 §22.2, §22.3: answered with credentials, not reported */
		if ((m->status_code == 401 || m->status_code == 407) && auth_resend(sip, c, tr, m) == 0)
			return;
		c->final_rcvd = 1;
		ev.type = CWS_EV_FAILED;
		fill_failed(sip, &ev, m);
	}
	cws_emit(sip, &ev);
}

void cws_uac_on_response(int type, osip_transaction_t *tr, osip_message_t *m)
{
	struct cws_call *c = osip_transaction_get_your_instance(tr);
	struct cws_call_event ev;
	if (c == NULL && tr->orig_request && MSG_IS_REGISTER(tr->orig_request)) {
		cws_register_on_response(cws_active, type, tr, m); /* sip_register.c */
		return;
	}
	if (c == NULL || cws_dialog_on_response(cws_active, type, tr, m)) /* our UPDATE */
		return;
	if (tr->orig_request == NULL || !MSG_IS_BYE(tr->orig_request))
		return;
	if (type == OSIP_NICT_STATUS_1XX_RECEIVED)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = CWS_EV_BYE_DONE;
	ev.call = c;
	ev.method = "BYE";
	ev.status = m ? m->status_code : 0;
	cws_fill_common(&ev, m);
	cws_emit(cws_active, &ev);
}

void cws_uac_on_timeout(int type, osip_transaction_t *tr, osip_message_t *m)
{
	struct cws_call *c = osip_transaction_get_your_instance(tr);

	(void)m;
	if (type == OSIP_NICT_STATUS_TIMEOUT && tr->orig_request && MSG_IS_CANCEL(tr->orig_request))
		return;
	if (c && c->refresh_tr == tr)
		c->refresh_tr = NULL; /* the refresh is over: the caller hears EV_TIMEOUT */
	cws_emit_for_transaction(CWS_EV_TIMEOUT, tr);
}

void cws_uac_on_stray_response(cws *sip, osip_message_t *m)
{
	struct cws_call *c;

	if (!MSG_IS_STATUS_2XX(m) || strcmp(m->cseq->method, "INVITE") != 0)
		return;
	for (c = cws_calls_find(sip, m->call_id); c; c = cws_calls_next(c, m->call_id))
		if ((c->outgoing || c->refresh_ack) && c->ack_buf) {
			if (cws_transport_send_named(sip->tp, c->proto, -1, c->ack_host, c->ack_port,
			                             cws_peer_name(c, NULL, c->ack_host, c->ack_port),
			                             c->ack_buf, c->ack_len) == 0) {
				sip->stats.tx_messages++;
				if (sip->on_message) /* the ACK kept as bytes, sent again */
					sip->on_message(sip->user, 1, "ACK", 0);
			}
			return;
		}
}

struct shard *cws_uac_start(cws *sip, struct cws_call *c, osip_message_t *msg,
                            osip_fsm_type_t type, osip_transaction_t **ret)
{
	struct shard *sh = cws_shard_for(sip, msg);
	osip_transaction_t *tr = NULL;
	if (osip_transaction_init(&tr, type, sh->osip, msg) != 0) {
		osip_message_free(msg);
		return NULL;
	}
	sip->stats.transactions_live++;
	osip_transaction_set_out_socket(tr, -1);
	/* RFC 3263 §4: a request to the located host goes to the address found for it
	   (libosip2 took the Request-URI's host name as the destination) */
	if (c && c->hop_ip && msg->req_uri && msg->req_uri->host &&
	    strcasecmp(msg->req_uri->host, c->hop_name) == 0) {
		char *h = osip_strdup(c->hop_ip);

		if (h && type == ICT && tr->ict_context)
			osip_ict_set_destination(tr->ict_context, h, c->hop_port);
		else if (h && type == NICT && tr->nict_context)
			osip_nict_set_destination(tr->nict_context, h, c->hop_port);
		else
			osip_free(h);
	}
	cws_calls_attach(tr, c);
	cws_queue_event(sip, tr, osip_new_outgoing_sipmessage(msg));
	if (ret)
		*ret = tr;
	return sh;
}

/* The INVITE again with the credentials (sip_uac_auth.c) as the call's new ICT:
   its branch and shard are the call's from now on, so a CANCEL matches it
   (RFC 3261 §9.1) and waits for its own 1xx. -1: the 401/407 is final. */
static int auth_resend(cws *sip, struct cws_call *c, osip_transaction_t *tr, osip_message_t *resp)
{
	osip_message_t *m;
	struct shard *sh;
	char *branch = NULL;

	if (!c->auth || c->released || c->cancel_pending)
		return -1;
	m = cws_uac_auth_request(sip, c, tr->orig_request, resp, &branch);
	if (!m)
		return -1;
	sh = cws_uac_start(sip, c, m, ICT, &c->ict);
	if (!sh) {
		osip_free(branch);
		return -1;
	}
	osip_free(c->inv_branch);
	c->inv_branch = branch;
	c->sh = sh;
	c->got_1xx = 0;
	{
		struct cws_call_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.type = CWS_EV_AUTH_SENT;
		ev.call = c;
		ev.method = "INVITE";
		ev.status = resp->status_code;
		cws_emit(sip, &ev);
	}
	return 0;
}

static int copy_safe(char *dst, size_t n, const char *s)
{
	/* refuse characters that would break a header */
	if (s == NULL)
		return 0;
	if (strpbrk(s, "\r\n\"<>") != NULL || strlen(s) >= n)
		return -1;
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

/* A display-name as a quoted-string (RFC 3261 §25.1: " and \ as quoted-pairs);
   -1 for CR/LF/NUL-free text that does not fit, or control characters. */
static int quote_display(char *dst, size_t n, const char *s)
{
	size_t k = 0;

	if (n < 3)
		return -1;
	dst[k++] = '"';
	for (; s && *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return -1;
		if ((*s == '"' || *s == '\\') && k + 1 < n)
			dst[k++] = '\\';
		if (k + 2 >= n)
			return -1;
		dst[k++] = *s;
	}
	dst[k++] = '"';
	dst[k] = '\0';
	return 0;
}

int cws_format_pai(cws *sip, const char *pai_user, const char *pai_display, char *b, size_t n)
{
	char user[128], disp[160] = "";

	b[0] = '\0';
	if (!pai_user)
		return 0;
	if (copy_safe(user, sizeof(user), pai_user) || !user[0] || strpbrk(user, "@;?> ") ||
	    (pai_display && pai_display[0] && quote_display(disp, sizeof(disp), pai_display)))
		return -1;
	snprintf(b, n, "%s%s<sip:%s@%s;user=phone>", disp, disp[0] ? " " : "", user,
	         cws_transport_host(sip->tp));
	return 0;
}

int cws_call_invite(cws *sip, cws_call **ret, const struct cws_invite_opts *o)
{
	osip_message_t *m = NULL;
	osip_uri_t *uri = NULL;
	struct cws_call *c;
	char b[512], fu[128] = "anonymous", fd[160] = "", tu[128] = "", pai[512], *cid;
	char *branch = NULL;
	enum cws_proto proto;
	struct shard *sh;

	if (sip == NULL || ret == NULL || o == NULL || o->target == NULL)
		return -EINVAL;
	if (copy_safe(fu, sizeof(fu), o->from_user) || copy_safe(tu, sizeof(tu), o->to_user) ||
	    (o->from_user && strpbrk(fu, "@;?> ")) || cws_format_pai(sip, o->pai_user, o->pai_display, pai, sizeof(pai)) < 0)
		return -EINVAL;
	if (!o->from_user) /* RFC 3323 §4.1.1.3: the anonymous From */
		snprintf(fd, sizeof(fd), "\"Anonymous\"");
	else if (o->from_display && o->from_display[0] &&
	         quote_display(fd, sizeof(fd), o->from_display))
		return -EINVAL;
	if (osip_uri_init(&uri) != 0)
		return -ENOMEM;
	if (osip_uri_parse(uri, o->target) != 0 || uri->host == NULL || uri->scheme == NULL ||
	    (strcasecmp(uri->scheme, "sip") != 0 && strcasecmp(uri->scheme, "sips") != 0)) {
		osip_uri_free(uri);
		return -EINVAL;
	}
	proto = cws_uri_proto(uri);
	if (osip_message_init(&m) != 0) {
		osip_uri_free(uri);
		return -ENOMEM;
	}
	osip_message_set_method(m, osip_strdup("INVITE"));
	osip_message_set_version(m, osip_strdup("SIP/2.0"));
	osip_message_set_uri(m, uri);
	cws_add_via(sip, m, proto, &branch);
	cid = o->retry_of ? osip_strdup(o->retry_of->call_id) : cws_rnd_token(sip, "cw-");
	c = cid ? cws_calls_new(sip, NULL, cid) : NULL;
	osip_free(cid);
	if (c && o->retry_of) { /* RFC 3261 §8.1.3.5: the same From tag, the next CSeq */
		char *tag = osip_strdup(o->retry_of->local_tag);

		if (tag) {
			osip_free(c->local_tag);
			c->local_tag = tag;
		}
		c->inv_cseq = o->retry_of->inv_cseq + 1;
	}
	if (c == NULL || branch == NULL) {
		osip_free(branch);
		osip_message_free(m);
		if (c) {
			c->released = 1;
			cws_calls_free(sip, c);
		}
		return -ENOMEM;
	}
	c->outgoing = 1;
	c->proto = proto;
	c->inv_branch = branch;
	if (o->next_hop && o->next_hop[0]) {
		c->hop_ip = strdup(o->next_hop);
		c->hop_name = strdup(uri->host);
		c->hop_port = (int)o->next_hop_port;
		if (!c->hop_ip || !c->hop_name) {
			osip_message_free(m);
			c->released = 1;
			cws_calls_free(sip, c);
			return -ENOMEM;
		}
	}
	if (cws_uac_auth_new(o->auth_user, o->auth_password, &c->auth) != 0) {
		osip_message_free(m);
		c->released = 1;
		cws_calls_free(sip, c);
		return -EINVAL;
	}
	if (o->from_user)
		snprintf(b, sizeof(b), "%s%s<sip:%s@%s:%u>;tag=%s", fd, fd[0] ? " " : "", fu,
		         cws_transport_host(sip->tp), cws_transport_port(sip->tp), c->local_tag);
	else
		snprintf(b, sizeof(b), "%s <sip:anonymous@anonymous.invalid>;tag=%s", fd, c->local_tag);
	osip_message_set_from(m, b);
	snprintf(b, sizeof(b), "<sip:%s%s%s%s%s>", tu[0] ? tu : (uri->username ? uri->username : ""),
	         (tu[0] || uri->username) ? "@" : "", uri->host, uri->port ? ":" : "",
	         uri->port ? uri->port : "");
	osip_message_set_to(m, b);
	osip_message_set_call_id(m, c->call_id);
	if (c->inv_cseq < 1)
		c->inv_cseq = 1;
	snprintf(b, sizeof(b), "%u INVITE", c->inv_cseq);
	osip_message_set_cseq(m, b);
	osip_message_set_max_forwards(m, "70");
	cws_set_contact(sip, m, fu);
	osip_message_set_allow(m, CWS_ALLOW);
	if (pai[0]) /* RFC 3325 §9.1 */
		osip_message_set_header(m, "P-Asserted-Identity", pai);
	if (o->privacy_id) /* RFC 3325 §9.3 */
		osip_message_set_header(m, "Privacy", "id");
	cws_add_header_lines(m, o->extra_headers);
	cws_set_body(m, o->sdp);
	sh = cws_uac_start(sip, c, m, ICT, &c->ict);
	if (sh == NULL) {
		c->released = 1;
		cws_calls_free(sip, c);
		return -ENOMEM;
	}
	c->sh = sh;
	*ret = c;
	return 0;
}

static void send_cancel(cws *sip, struct cws_call *c)
{
	osip_message_t *inv, *m = NULL;
	osip_via_t *via = NULL;
	if (c->ict == NULL || c->ict->orig_request == NULL || osip_message_init(&m) != 0)
		return;
	inv = c->ict->orig_request;
	c->cancel_sent = 1;
	osip_message_set_method(m, osip_strdup("CANCEL"));
	osip_message_set_version(m, osip_strdup("SIP/2.0"));
	{
		osip_uri_t *u = NULL;
		osip_uri_clone(inv->req_uri, &u);
		osip_message_set_uri(m, u);
	}
	/* RFC 3261 §9.1: the INVITE's top Via (same branch, so same shard) */
	if (osip_via_clone(osip_list_get(&inv->vias, 0), &via) == 0)
		osip_list_add(&m->vias, via, 0);
	osip_from_clone(inv->from, &m->from);
	osip_to_clone(inv->to, &m->to);
	osip_call_id_clone(inv->call_id, &m->call_id);
	set_cseq(m, inv->cseq->number, "CANCEL");
	osip_list_clone(&inv->routes, &m->routes, cws_clone_route);
	osip_message_set_max_forwards(m, "70");
	if (c->cancel_reason)
		osip_message_set_header(m, "Reason", c->cancel_reason);
	cws_uac_start(sip, c, m, NICT, NULL);
}

int cws_call_cancel(cws_call *c, const char *reason)
{
	if (c == NULL || !c->outgoing || c->released || c->final_rcvd || c->ict == NULL ||
	    c->cancel_pending)
		return -EINVAL;
	if (reason && (c->cancel_reason = strdup(reason)) == NULL)
		return -ENOMEM;
	c->cancel_pending = 1;
	if (c->got_1xx)
		send_cancel(c->sip, c);
	return 0;
}

int cws_call_bye(cws_call *c, const char *reason)
{
	if (c == NULL || c->released || c->dialog == NULL || c->bye_sent)
		return -EINVAL;
	return send_bye(c, reason);
}

/* A request in the confirmed dialog: remote target, route set, tags, CSeq + 1
   (RFC 3261 §12.2.1.1). */
osip_message_t *cws_uac_dialog_request(struct cws_call *c, const char *method)
{
	osip_dialog_t *d = c->dialog;
	osip_message_t *m = NULL;
	osip_uri_t *u = NULL;
	char num[24];

	if (d == NULL || osip_message_init(&m) != 0)
		return NULL;
	osip_message_set_method(m, osip_strdup(method));
	osip_message_set_version(m, osip_strdup("SIP/2.0"));
	if (d->remote_contact_uri && d->remote_contact_uri->url)
		osip_uri_clone(d->remote_contact_uri->url, &u);
	else if (d->remote_uri && d->remote_uri->url)
		osip_uri_clone(d->remote_uri->url, &u);
	if (u == NULL) {
		osip_message_free(m);
		return NULL;
	}
	osip_message_set_uri(m, u);
	cws_add_via(c->sip, m, c->proto, NULL);
	osip_list_clone(&d->route_set, &m->routes, cws_clone_route);
	osip_from_clone(d->local_uri, &m->from);
	osip_to_clone(d->remote_uri, &m->to);
	osip_message_set_call_id(m, d->call_id);
	if (d->local_cseq < 1)
		d->local_cseq = 1;
	d->local_cseq++;
	snprintf(num, sizeof(num), "%d", d->local_cseq);
	set_cseq(m, num, method);
	osip_message_set_max_forwards(m, "70");
	return m;
}

/* BYE in the confirmed dialog (also for a released call whose 2xx arrived late). */
static int send_bye(cws_call *c, const char *reason)
{
	osip_message_t *m = cws_uac_dialog_request(c, "BYE");

	if (m == NULL)
		return -ENOMEM;
	c->bye_sent = 1;
	if (reason && *reason)
		osip_message_set_header(m, "Reason", reason);
	if (cws_uac_start(c->sip, c, m, NICT, NULL) == NULL)
		return -ENOMEM;
	return 0;
}
