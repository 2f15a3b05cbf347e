/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_event.c — events to the caller: the fields every event
 * carries (SDP, Reason values, Warning code), no event for a released call,
 * and the transport error of any transaction of a call.
 */
#include "sip_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void cws_emit(cws *sip, struct cws_call_event *ev)
{
	if (ev->call && ev->call->released)
		return;
	sip->on_event(sip->user, ev);
}

void cws_fill_common(struct cws_call_event *ev, osip_message_t *m)
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
	while (ev->nreasons < CWS_MAX_REASONS &&
	       (pos = osip_message_header_get_byname(m, "reason", pos, &h)) >= 0) {
		if (h && h->hvalue)
			ev->reasons[ev->nreasons++] = h->hvalue;
		pos++;
	}
	h = NULL;
	if (osip_message_header_get_byname(m, "warning", 0, &h) >= 0 && h && h->hvalue)
		ev->warning_code = atoi(h->hvalue);
	/* RFC 3325 §9.1, RFC 3323 §4.2: an INVITE's caller, a 2xx's answering party */
	ev->npai = cws_header_values(m, "p-asserted-identity", ev->pai, CWS_MAX_IDENTITY);
	ev->nprivacy = cws_header_values(m, "privacy", ev->privacy, CWS_MAX_IDENTITY);
	cws_dialog_fill_session(ev, m);
}

size_t cws_header_values(osip_message_t *m, const char *name, const char **out, size_t max)
{
	osip_header_t *h = NULL;
	size_t n = 0;
	int pos = 0;

	while (n < max && (pos = osip_message_header_get_byname(m, name, pos, &h)) >= 0) {
		if (h && h->hvalue)
			out[n++] = h->hvalue;
		pos++;
	}
	return n;
}

void cws_emit_for_transaction(enum cws_event_type type, osip_transaction_t *tr)
{
	struct cws_call *c = osip_transaction_get_your_instance(tr);
	struct cws_call_event ev;

	if (c == NULL) {
		cws_register_on_failure(cws_active, tr); /* a REGISTER of ours? */
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.call = c;
	ev.method = tr->orig_request ? tr->orig_request->sip_method : NULL;
	cws_emit(cws_active, &ev);
}

void cws_on_transport_error(int type, osip_transaction_t *tr, int error)
{
	struct cws_call *c = osip_transaction_get_your_instance(tr);

	(void)type;
	(void)error;
	if (c && c->refresh_tr == tr)
		c->refresh_tr = NULL;
	cws_emit_for_transaction(CWS_EV_TRANSPORT_ERROR, tr);
}

/* Hosts as the transport and libosip2 write them: brackets optional. */
static int same_host(const char *a, const char *b)
{
	size_t la, lb;
	if (a == NULL || b == NULL)
		return 0;
	if (*a == '[')
		a++;
	if (*b == '[')
		b++;
	la = strcspn(a, "]");
	lb = strcspn(b, "]");
	return la == lb && strncasecmp(a, b, la) == 0;
}

/*
 * A connection we opened failed before it carried anything (for TLS: the
 * handshake, or a server certificate not naming the host, RFC 5922 §7.3):
 * every outgoing INVITE still waiting for a response from that host and port
 * over that transport ends in a transport error (RFC 3261 §8.1.3.1). The
 * calls are collected first: the caller may start new ones from the event.
 */
void cws_on_connection_failed(void *user, enum cws_proto proto, const char *host, int port,
                                 const char *why)
{
	cws *sip = user;
	struct cws_call **hit = NULL;
	size_t n = 0, cap = 0;

	for (unsigned b = 0; b < CWS_CALL_BUCKETS; b++) {
		for (struct cws_call *c = sip->buckets[b]; c; c = c->hnext) {
			osip_transaction_t *tr = c->ict;
			if (!c->outgoing || c->released || c->final_rcvd || c->proto != proto || tr == NULL ||
			    tr->ict_context == NULL || tr->ict_context->port != port ||
			    !same_host(tr->ict_context->destination, host))
				continue;
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 16;
				struct cws_call **t = realloc(hit, nc * sizeof(*t));
				if (t == NULL)
					break;
				hit = t;
				cap = nc;
			}
			hit[n++] = c;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct cws_call_event ev;
		memset(&ev, 0, sizeof(ev));
		ev.type = CWS_EV_TRANSPORT_ERROR;
		ev.call = hit[i];
		ev.method = "INVITE";
		ev.error = why;
		/* one error per INVITE: its ICT gets no response from there now */
		hit[i]->final_rcvd = 1;
		cws_emit(sip, &ev);
	}
	free(hit);
}
