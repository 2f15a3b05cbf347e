/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_event.c — events to the caller: the fields every event
 * carries (SDP, Reason values, Warning code), no event for a released call,
 * and the transport error of any transaction of a call.
 */
#include "sip_internal.h"

#include <stdlib.h>
#include <string.h>

void cw_sip_emit(cw_sip *sip, struct cw_sip_call_event *ev)
{
	if (ev->call && ev->call->released)
		return;
	sip->on_event(sip->user, ev);
}

void cw_sip_fill_common(struct cw_sip_call_event *ev, osip_message_t *m)
{
	osip_header_t *h = NULL;
	osip_body_t *body = NULL;
	int pos = 0;

	if (m == NULL)
		return;
	if (osip_message_get_body(m, 0, &body) >= 0 && body && body->body) {
		ev->sdp = body->body;
		ev->sdp_len = body->length;
	}
	while (ev->nreasons < CW_SIP_MAX_REASONS &&
	       (pos = osip_message_header_get_byname(m, "reason", pos, &h)) >= 0) {
		if (h && h->hvalue)
			ev->reasons[ev->nreasons++] = h->hvalue;
		pos++;
	}
	h = NULL;
	if (osip_message_header_get_byname(m, "warning", 0, &h) >= 0 && h && h->hvalue)
		ev->warning_code = atoi(h->hvalue);
}

void cw_sip_emit_for_transaction(enum cw_sip_event_type type, osip_transaction_t *tr)
{
	struct cw_sip_call *c = osip_transaction_get_your_instance(tr);
	struct cw_sip_call_event ev;

	if (c == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.call = c;
	ev.method = tr->orig_request ? tr->orig_request->sip_method : NULL;
	cw_sip_emit(cw_sip_active, &ev);
}

void cw_sip_on_transport_error(int type, osip_transaction_t *tr, int error)
{
	(void)type;
	(void)error;
	cw_sip_emit_for_transaction(CW_SIP_EV_TRANSPORT_ERROR, tr);
}
