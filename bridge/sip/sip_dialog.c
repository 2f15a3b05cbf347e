/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_dialog.c — requests inside a confirmed dialog for session
 * timers (RFC 4028): an UPDATE (RFC 3311) or re-INVITE received is handed to
 * the caller, who answers it in the callback (cws_call_respond_request());
 * the 2xx to a re-INVITE is retransmitted until its ACK, which is absorbed
 * here. The caller's refresh goes out as UPDATE or re-INVITE
 * (cws_call_refresh()), its final response comes back as CWS_EV_REFRESH_DONE
 * and a 2xx to a re-INVITE is ACKed. The RFC 4028 headers of every event.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session_timer.h"
#include "sip_internal.h"

/* The first value of header name, or of its compact form alt (RFC 3261 §7.3.3). */
static const char *first_value(osip_message_t *m, const char *name, const char *alt)
{
	osip_header_t *h = NULL;

	if (osip_message_header_get_byname(m, name, 0, &h) >= 0 && h && h->hvalue)
		return h->hvalue;
	h = NULL;
	if (alt && osip_message_header_get_byname(m, alt, 0, &h) >= 0 && h && h->hvalue)
		return h->hvalue;
	return NULL;
}

/* 1 if any header name (or alt) lists tag. */
static int any_lists(osip_message_t *m, const char *name, const char *alt, const char *tag)
{
	const char *names[2] = { name, alt };

	for (int k = 0; k < 2 && names[k]; k++) {
		osip_header_t *h = NULL;
		int pos = 0;

		while ((pos = osip_message_header_get_byname(m, names[k], pos, &h)) >= 0) {
			if (h && cws_option_tag_listed(h->hvalue, tag))
				return 1;
			pos++;
		}
	}
	return 0;
}

/* RFC 3311 §5.1: Allow lists UPDATE (libosip2 keeps Allow apart, one entry a value). */
static int allows_update(osip_message_t *m)
{
	osip_allow_t *a = NULL;

	for (int pos = 0; osip_message_get_allow(m, pos, &a) >= 0; pos++)
		if (a && cws_option_tag_listed(a->value, "UPDATE"))
			return 1;
	return 0;
}

void cws_dialog_fill_session(struct cws_call_event *ev, osip_message_t *m)
{
	ev->session_expires = first_value(m, "session-expires", "x");
	ev->min_se = first_value(m, "min-se", NULL);
	ev->timer_supported = any_lists(m, "supported", "k", "timer");
	ev->timer_required = any_lists(m, "require", NULL, "timer");
	ev->allow_update = allows_update(m);
}

static void respond_plain(cws *sip, osip_transaction_t *tr, int status)
{
	osip_message_t *r = cws_make_response(tr->orig_request, status, NULL);

	if (r)
		cws_queue_event(sip, tr, osip_new_outgoing_sipmessage(r));
}

/* The request of tr in the dialog of a call: the caller answers it in the callback. */
static void on_request(cws *sip, osip_transaction_t *tr, osip_message_t *m,
                       enum cws_event_type type)
{
	struct cws_call *c = cws_calls_find_dialog(sip, m);
	struct cws_call_event ev;

	if (c == NULL || c->released || c->bye_sent) {
		respond_plain(sip, tr, 481); /* RFC 3261 §12.2.2: no such dialog (any more) */
		return;
	}
	cws_calls_attach(tr, c);
	if (c->req_tr != NULL) {
		respond_plain(sip, tr, 500); /* RFC 3311 §5.2: one at a time (with Retry-After) */
		return;
	}
	c->req_tr = tr;
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.call = c;
	ev.method = m->sip_method;
	cws_fill_common(&ev, m);
	cws_emit(sip, &ev);
	if (c->req_tr == tr) { /* not answered */
		c->req_tr = NULL;
		respond_plain(sip, tr, 500);
	}
}

void cws_dialog_on_update(cws *sip, osip_transaction_t *tr, osip_message_t *m)
{
	on_request(sip, tr, m, CWS_EV_UPDATE);
}

void cws_dialog_on_reinvite(cws *sip, osip_transaction_t *tr, osip_message_t *m)
{
	on_request(sip, tr, m, CWS_EV_REINVITE);
}

int cws_call_respond_request(cws_call *c, int status, const struct cws_response_opts *o)
{
	osip_transaction_t *tr;
	osip_message_t *r;
	cws *sip;
	int invite;

	if (c == NULL || c->released || c->req_tr == NULL || status < 200 || status > 699)
		return -EINVAL;
	sip = c->sip;
	tr = c->req_tr;
	invite = MSG_IS_INVITE(tr->orig_request);
	r = cws_make_response(tr->orig_request, status, NULL);
	if (r == NULL)
		return -ENOMEM;
	if (status < 300) {
		cws_set_contact(sip, r, NULL); /* RFC 3311 §5.2, RFC 3261 §12.2.2: target refresh */
		osip_message_set_allow(r, CWS_ALLOW);
	}
	if (o) {
		if (o->sdp)
			cws_set_body(r, o->sdp);
		if (o->reason && *o->reason)
			osip_message_set_header(r, "Reason", o->reason);
		if (o->warning && *o->warning && status >= 300) /* RFC 3261 §20.43 */
			osip_message_set_header(r, "Warning", o->warning);
		cws_add_header_lines(r, o->extra_headers);
	}
	c->req_tr = NULL;
	if (invite && status < 300 && c->dialog) {
		/* the IST dies after the 2xx: retransmitted until the ACK (docs/libosip2.md §4) */
		free(c->reinvite_cseq);
		c->reinvite_cseq = strdup(tr->orig_request->cseq->number);
		osip_start_200ok_retransmissions(c->sh->osip, c->dialog, r, tr->out_socket);
		cws_shard_mark_dirty(sip, c->sh);
	}
	cws_queue_event(sip, tr, osip_new_outgoing_sipmessage(r));
	return 0;
}

int cws_dialog_on_ack(cws *sip, struct cws_call *c, osip_message_t *ack)
{
	if (c->reinvite_cseq == NULL || ack->cseq == NULL || ack->cseq->number == NULL ||
	    strcmp(ack->cseq->number, c->reinvite_cseq) != 0)
		return 0;
	(void)osip_stop_200ok_retransmissions(c->sh->osip, ack);
	cws_shard_deadline(sip, c->sh);
	free(c->reinvite_cseq);
	c->reinvite_cseq = NULL;
	return 1;
}

int cws_call_refresh(cws_call *c, const char *method, const char *sdp, const char *extra_headers)
{
	osip_message_t *m;
	int invite;

	if (c == NULL || method == NULL || c->released || c->dialog == NULL || c->bye_sent ||
	    c->refresh_tr != NULL)
		return -EINVAL;
	invite = strcmp(method, "INVITE") == 0;
	if (!invite && (strcmp(method, "UPDATE") != 0 || sdp != NULL))
		return -EINVAL;
	m = cws_uac_dialog_request(c, method);
	if (m == NULL)
		return -ENOMEM;
	cws_set_contact(c->sip, m, NULL);
	osip_message_set_allow(m, CWS_ALLOW);
	cws_add_header_lines(m, extra_headers);
	if (invite)
		cws_set_body(m, sdp);
	if (cws_uac_start(c->sip, c, m, invite ? ICT : NICT, &c->refresh_tr) == NULL) {
		c->refresh_tr = NULL;
		return -ENOMEM;
	}
	return 0;
}

int cws_dialog_on_response(cws *sip, int type, osip_transaction_t *tr, osip_message_t *m)
{
	struct cws_call *c = osip_transaction_get_your_instance(tr);
	struct cws_call_event ev;

	if (c == NULL || tr != c->refresh_tr)
		return 0;
	if (m == NULL || m->status_code < 200)
		return 1; /* provisional: the final response ends the refresh */
	c->refresh_tr = NULL;
	if (type == OSIP_ICT_STATUS_2XX_RECEIVED) {
		cws_uac_send_ack(sip, c, tr, m); /* RFC 3261 §13.2.2.4 */
		c->refresh_ack = 1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = CWS_EV_REFRESH_DONE;
	ev.call = c;
	ev.status = m->status_code;
	ev.method = tr->orig_request ? tr->orig_request->sip_method : NULL;
	cws_fill_common(&ev, m);
	cws_emit(sip, &ev);
	return 1;
}
