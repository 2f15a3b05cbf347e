/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_message.c — building SIP messages with libosip2: a
 * response from its request (RFC 3261 §8.2.6), our Via with a fresh branch,
 * Contact, an SDP body; random tokens; reading the top Via.
 */
#include "sip_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* libosip2 takes parameter names as char *. */
static char n_branch[] = "branch", n_tag[] = "tag", n_transport[] = "transport";

enum cws_proto cws_uri_proto(osip_uri_t *uri)
{
	osip_uri_param_t *tp = NULL;

	osip_uri_uparam_get_byname(uri, n_transport, &tp);
	if (uri->scheme && strcasecmp(uri->scheme, "sips") == 0) /* RFC 5630 §3.1.1: TLS on every hop */
		return CWS_TLS;
	if (tp && tp->gvalue && strcasecmp(tp->gvalue, "tls") == 0)
		return CWS_TLS;
	if (tp && tp->gvalue && strcasecmp(tp->gvalue, "tcp") == 0)
		return CWS_TCP;
	return CWS_UDP;
}

static uint64_t rnd(cws *sip)
{
	uint64_t x = sip->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	sip->rng = x;
	return x;
}

char *cws_rnd_token(cws *sip, const char *prefix)
{
	char b[64];
	snprintf(b, sizeof(b), "%s%016llx", prefix, (unsigned long long)rnd(sip));
	return osip_strdup(b);
}

const char *cws_top_branch(osip_message_t *m)
{
	osip_via_t *via = osip_list_get(&m->vias, 0);
	osip_generic_param_t *b = NULL;
	if (via == NULL)
		return NULL;
	osip_via_param_get_byname(via, n_branch, &b);
	return b ? b->gvalue : NULL;
}

enum cws_proto cws_msg_proto(osip_message_t *m)
{
	osip_via_t *via = osip_list_get(&m->vias, 0);
	if (via && via->protocol && strcasecmp(via->protocol, "TCP") == 0)
		return CWS_TCP;
	if (via && via->protocol && strcasecmp(via->protocol, "TLS") == 0)
		return CWS_TLS;
	return CWS_UDP;
}

static int via_clone_fn(void *a, void **b) { return osip_via_clone(a, (osip_via_t **)b); }

int cws_clone_route(void *a, void **b) { return osip_from_clone(a, (osip_from_t **)b); }

osip_message_t *cws_make_response(osip_message_t *req, int status, const char *tag)
{
	osip_message_t *r;
	const char *phrase = osip_message_get_reason(status);
	osip_generic_param_t *t = NULL;

	if (osip_message_init(&r) != 0)
		return NULL;
	osip_message_set_version(r, osip_strdup("SIP/2.0"));
	osip_message_set_status_code(r, status);
	osip_message_set_reason_phrase(r, osip_strdup(phrase ? phrase : "Unknown"));
	osip_list_clone(&req->vias, &r->vias, via_clone_fn);
	if (req->from)
		osip_from_clone(req->from, &r->from);
	if (req->to)
		osip_to_clone(req->to, &r->to);
	if (req->call_id)
		osip_call_id_clone(req->call_id, &r->call_id);
	if (req->cseq)
		osip_cseq_clone(req->cseq, &r->cseq);
	if (r->to && status > 100 && tag) {
		osip_generic_param_get_byname(&r->to->gen_params, n_tag, &t);
		if (t == NULL)
			osip_to_set_tag(r->to, osip_strdup(tag));
	}
	if (status > 100 && status < 300)
		osip_list_clone(&req->record_routes, &r->record_routes, cws_clone_route);
	return r;
}

/* Our port for proto: TLS has its own listener. */
static unsigned local_port(cws *sip, enum cws_proto proto)
{
	return proto == CWS_TLS ? cws_transport_tls_port(sip->tp)
	                           : cws_transport_port(sip->tp);
}

/* Over TLS the Contact is a sips: URI, not ;transport=tls (RFC 5630 §3.1.3:
   that parameter is deprecated): requests in the dialog come over TLS too. */
void cws_set_contact(cws *sip, osip_message_t *m, const char *user)
{
	char b[256];
	enum cws_proto proto = cws_msg_proto(m);
	snprintf(b, sizeof(b), "<%s:%s%s%s:%u%s>", proto == CWS_TLS ? "sips" : "sip",
	         user ? user : "", user ? "@" : "", cws_transport_host(sip->tp),
	         local_port(sip, proto), proto == CWS_TCP ? ";transport=tcp" : "");
	osip_message_set_contact(m, b);
}

void cws_set_body(osip_message_t *m, const char *sdp)
{
	if (sdp && *sdp) {
		osip_message_set_body(m, sdp, strlen(sdp));
		osip_message_set_content_type(m, "application/sdp");
	}
}

void cws_add_via(cws *sip, osip_message_t *m, enum cws_proto proto, char **ret_branch)
{
	char b[256];
	char *br = cws_rnd_token(sip, "z9hG4bK");
	snprintf(b, sizeof(b), "SIP/2.0/%s %s:%u;rport;branch=%s",
	         proto == CWS_TLS ? "TLS" : proto == CWS_TCP ? "TCP" : "UDP",
	         cws_transport_host(sip->tp), local_port(sip, proto), br);
	osip_message_set_via(m, b);
	if (ret_branch)
		*ret_branch = br;
	else
		osip_free(br);
}

void cws_observe(cws *sip, int out, osip_message_t *m)
{
	if (sip == NULL || sip->on_message == NULL || m == NULL)
		return;
	if (MSG_IS_REQUEST(m))
		sip->on_message(sip->user, out, m->sip_method, 0);
	else
		sip->on_message(sip->user, out, m->cseq ? m->cseq->method : NULL, m->status_code);
}

void cws_add_header_lines(osip_message_t *m, const char *lines)
{
	const char *p = lines;

	while (p && *p) {
		const char *e = strstr(p, "\r\n"), *colon;
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char line[1024];

		if (n > 0 && n < sizeof(line)) {
			memcpy(line, p, n);
			line[n] = 0;
			colon = strchr(line, ':');
			if (colon) {
				char *v = line + (colon - line) + 1;
				line[colon - line] = 0;
				while (*v == ' ')
					v++;
				osip_message_set_header(m, line, v);
			}
		}
		p += n;
		if (e)
			p += 2;
	}
}
