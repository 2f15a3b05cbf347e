/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_stack.c — libosip2 transactions sharded over several
 * osip_t by top-Via branch hash, plus what libosip2 leaves to the
 * transaction user (libpri-libosip2.md §3): 100 Trying, CANCEL matching,
 * ACK for 2xx, 2xx retransmission, in-dialog requests, deferred freeing,
 * stateless 400 for malformed requests.
 */
#include <sys/time.h>
#include <time.h>
#include <osip2/osip.h>
#include <osip2/osip_dialog.h>
#include <osipparser2/osip_parser.h>

#include <causeway/common.h>

#include "sched.h"
#include "sip.h"
#include "transport.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CALL_BUCKETS 16384u
#define MAX_SHARDS 65536u
#define CW_ALLOW "INVITE, ACK, CANCEL, BYE, OPTIONS"

_Static_assert(CW_SIP_TRANSPORT_UDP == CW_SIP_TP_UDP && CW_SIP_TRANSPORT_TCP == CW_SIP_TP_TCP,
               "sip.h and transport.h name the same bits");

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
	cw_sip_admit_cb *admit;
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

/* libosip2 takes parameter names as char *. */
static char n_branch[] = "branch", n_tag[] = "tag", n_transport[] = "transport",
            n_received[] = "received", n_rport[] = "rport";

/* The instance whose osip_t is executing (libosip2 callbacks carry no user
   pointer when tr == NULL, e.g. 2xx retransmissions). One thread. */
static cw_sip *g_active;
static int g_parser_ready;

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static uint64_t rnd(cw_sip *sip)
{
	uint64_t x = sip->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	sip->rng = x;
	return x;
}

static char *rnd_token(cw_sip *sip, const char *prefix)
{
	char b[64];
	snprintf(b, sizeof(b), "%s%016llx", prefix, (unsigned long long)rnd(sip));
	return osip_strdup(b);
}

static const char *top_branch(osip_message_t *m)
{
	osip_via_t *via = osip_list_get(&m->vias, 0);
	osip_generic_param_t *b = NULL;
	if (via == NULL)
		return NULL;
	osip_via_param_get_byname(via, n_branch, &b);
	return b ? b->gvalue : NULL;
}

static struct shard *shard_for_branch(cw_sip *sip, const char *branch)
{
	return &sip->shards[hash_str(branch) % sip->nshards];
}

static struct shard *shard_for(cw_sip *sip, osip_message_t *m)
{
	const char *b = top_branch(m);
	if (b == NULL && m->call_id)
		b = m->call_id->number;
	return shard_for_branch(sip, b ? b : "");
}

static struct shard *shard_of_osip(cw_sip *sip, osip_t *o)
{
	(void)sip;
	return osip_get_application_context(o);
}

/* Events were queued on sh: run it in the next pass. */
static void mark_dirty(cw_sip *sip, struct shard *sh)
{
	sh->dirty = 1;
	cw_sched_mark(&sip->sched, (unsigned)(sh - sip->shards));
}

static void queue_event(cw_sip *sip, osip_transaction_t *tr, osip_event_t *evt)
{
	osip_transaction_add_event(tr, evt);
	mark_dirty(sip, shard_of_osip(sip, (osip_t *)tr->config));
}

/* ---- call table (by Call-ID) ---- */

static void call_link(cw_sip *sip, struct cw_sip_call *c)
{
	unsigned b = hash_str(c->call_id) % CALL_BUCKETS;
	c->hnext = sip->buckets[b];
	sip->buckets[b] = c;
	sip->stats.calls_live++;
}

static void call_unlink(cw_sip *sip, struct cw_sip_call *c)
{
	struct cw_sip_call **pp = &sip->buckets[hash_str(c->call_id) % CALL_BUCKETS];
	for (; *pp; pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			sip->stats.calls_live--;
			return;
		}
}

static struct cw_sip_call *call_find(cw_sip *sip, const char *call_id)
{
	if (call_id == NULL)
		return NULL;
	for (struct cw_sip_call *c = sip->buckets[hash_str(call_id) % CALL_BUCKETS]; c; c = c->hnext)
		if (strcmp(c->call_id, call_id) == 0)
			return c;
	return NULL;
}

/* A call in a dialog with this request (or, with no dialog yet, the call-id). */
static struct cw_sip_call *call_find_dialog(cw_sip *sip, osip_message_t *req)
{
	char *cid = req->call_id ? req->call_id->number : NULL;
	if (cid == NULL)
		return NULL;
	for (struct cw_sip_call *c = sip->buckets[hash_str(cid) % CALL_BUCKETS]; c; c = c->hnext)
		if (strcmp(c->call_id, cid) == 0 && c->dialog &&
		    osip_dialog_match_as_uas(c->dialog, req) == 0)
			return c;
	return NULL;
}

static void call_free(cw_sip *sip, struct cw_sip_call *c)
{
	call_unlink(sip, c);
	if (c->dialog) {
		osip_stop_retransmissions_from_dialog(c->sh->osip, c->dialog);
		osip_dialog_free(c->dialog);
	}
	osip_free(c->call_id);
	osip_free(c->local_tag);
	osip_free(c->inv_branch);
	free(c->cancel_reason);
	free(c->ack_buf);
	free(c->ack_host);
	free(c);
}

static void call_maybe_free(cw_sip *sip, struct cw_sip_call *c)
{
	if (c && c->released && c->ntr <= 0)
		call_free(sip, c);
}

static void tr_attach(osip_transaction_t *tr, struct cw_sip_call *c)
{
	osip_transaction_set_your_instance(tr, c);
	c->ntr++;
}

/* ---- sending ---- */

static enum cw_sip_proto msg_proto(osip_message_t *m)
{
	osip_via_t *via = osip_list_get(&m->vias, 0);
	if (via && via->protocol && strcasecmp(via->protocol, "TCP") == 0)
		return CW_SIP_TCP;
	return CW_SIP_UDP;
}

static int cb_send(osip_transaction_t *tr, osip_message_t *msg, char *host, int port, int sock)
{
	cw_sip *sip = g_active;
	char *buf = NULL;
	size_t len = 0;
	int rc;
	(void)tr;
	if (sip == NULL || msg == NULL || host == NULL)
		return -1;
	if (osip_message_to_str(msg, &buf, &len) != 0 || buf == NULL)
		return -1;
	rc = cw_sip_transport_send(sip->tp, msg_proto(msg), sock, host, port ? port : 5060, buf, len);
	osip_free(buf);
	if (rc == 0)
		sip->stats.tx_messages++;
	return rc == 0 ? 0 : -1;
}

/* ---- message building ---- */

static int via_clone_fn(void *a, void **b) { return osip_via_clone(a, (osip_via_t **)b); }
static int from_clone_fn(void *a, void **b) { return osip_from_clone(a, (osip_from_t **)b); }

static osip_message_t *make_response(osip_message_t *req, int status, const char *tag)
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
		osip_list_clone(&req->record_routes, &r->record_routes, from_clone_fn);
	return r;
}

static void set_contact(cw_sip *sip, osip_message_t *m, const char *user)
{
	char b[256];
	snprintf(b, sizeof(b), "<sip:%s%s%s:%u%s>", user ? user : "", user ? "@" : "",
	         cw_sip_transport_host(sip->tp), cw_sip_transport_port(sip->tp),
	         msg_proto(m) == CW_SIP_TCP ? ";transport=tcp" : "");
	osip_message_set_contact(m, b);
}

static void set_body(osip_message_t *m, const char *sdp)
{
	if (sdp && *sdp) {
		osip_message_set_body(m, sdp, strlen(sdp));
		osip_message_set_content_type(m, "application/sdp");
	}
}

static void add_via(cw_sip *sip, osip_message_t *m, enum cw_sip_proto proto, char **ret_branch)
{
	char b[256];
	char *br = rnd_token(sip, "z9hG4bK");
	snprintf(b, sizeof(b), "SIP/2.0/%s %s:%u;rport;branch=%s", proto == CW_SIP_TCP ? "TCP" : "UDP",
	         cw_sip_transport_host(sip->tp), cw_sip_transport_port(sip->tp), br);
	osip_message_set_via(m, b);
	if (ret_branch)
		*ret_branch = br;
	else
		osip_free(br);
}

static void set_cseq(osip_message_t *m, const char *num, const char *method)
{
	char b[64];
	snprintf(b, sizeof(b), "%s %s", num, method);
	osip_message_set_cseq(m, b);
}

/* A stateless response to a request we keep no transaction for. */
static void send_stateless(cw_sip *sip, osip_message_t *req, int status,
                           const struct cw_sip_peer *peer, const char *hname, const char *hval)
{
	osip_message_t *r = make_response(req, status, "stateless");
	char *buf = NULL;
	size_t len;
	if (r == NULL)
		return;
	if (hname)
		osip_message_set_header(r, hname, hval);
	if (osip_message_to_str(r, &buf, &len) == 0 && buf) {
		if (cw_sip_transport_send(sip->tp, peer->proto, peer->sock, peer->ip, peer->port, buf, len) == 0)
			sip->stats.tx_messages++;
		osip_free(buf);
	}
	osip_message_free(r);
}

/* ---- salvaging a message osip_parse() refused (RFC 3261 §8.2, §16.3) ---- */

static int is_token_char(int ch)
{
	return isalnum(ch) || (ch && strchr("-.!%*_+`'~", ch) != NULL);
}

static int hdr_name_is(const char *l, size_t n, const char *full, const char *compact)
{
	size_t i = 0;
	while (i < n && l[i] != ':' && l[i] != ' ' && l[i] != '\t')
		i++;
	if ((strlen(full) == i && strncasecmp(l, full, i) == 0) ||
	    (compact && strlen(compact) == i && strncasecmp(l, compact, i) == 0)) {
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		return i < n && l[i] == ':';
	}
	return 0;
}

static void salvage_400(cw_sip *sip, const char *buf, size_t len, const struct cw_sip_peer *peer)
{
	char *out;
	size_t o = 0, i = 0, cap = len + 256;
	int have_via = 0, copying = 0;
	size_t mlen = 0;

	/* request line: METHOD SP ... ; never answer ACK or a response */
	while (mlen < len && is_token_char((unsigned char)buf[mlen]))
		mlen++;
	if (mlen == 0 || mlen >= len || buf[mlen] != ' ')
		return;
	if ((mlen == 3 && strncmp(buf, "ACK", 3) == 0) || (mlen >= 4 && strncmp(buf, "SIP/", 4) == 0))
		return;
	out = malloc(cap);
	if (out == NULL)
		return;
	o += (size_t)snprintf(out, cap, "SIP/2.0 400 Bad Request\r\n");
	/* skip the request line */
	while (i < len && buf[i] != '\n')
		i++;
	i++;
	while (i < len) {
		size_t s = i, e;
		while (i < len && buf[i] != '\n')
			i++;
		e = i;
		i++;
		if (e > s && buf[e - 1] == '\r')
			e--;
		if (e == s)
			break; /* end of headers */
		if (buf[s] == ' ' || buf[s] == '\t') {
			/* continuation of the previous line */
		} else {
			copying = hdr_name_is(buf + s, e - s, "via", "v") ||
			          hdr_name_is(buf + s, e - s, "from", "f") ||
			          hdr_name_is(buf + s, e - s, "to", "t") ||
			          hdr_name_is(buf + s, e - s, "call-id", "i") ||
			          hdr_name_is(buf + s, e - s, "cseq", NULL);
			if (copying && hdr_name_is(buf + s, e - s, "via", "v"))
				have_via = 1;
		}
		if (copying && memchr(buf + s, 0, e - s) == NULL && o + (e - s) + 64 < cap) {
			memcpy(out + o, buf + s, e - s);
			o += e - s;
			out[o++] = '\r';
			out[o++] = '\n';
		}
	}
	if (have_via) {
		o += (size_t)snprintf(out + o, cap - o, "Content-Length: 0\r\n\r\n");
		if (cw_sip_transport_send(sip->tp, peer->proto, peer->sock, peer->ip, peer->port, out, o) == 0) {
			sip->stats.tx_messages++;
			sip->stats.tx_400++;
		}
	}
	free(out);
}

/*
 * Checks osip_parse() leaves to us. Returns 0 to go on, -1 to drop, or a
 * status to answer statelessly (hname/hval: an extra header).
 */
static int validate_request(osip_message_t *m, const char *buf, size_t len,
                            const struct cw_sip_peer *peer, const char **hname, const char **hval)
{
	const char *p;
	osip_header_t *h = NULL;
	char *num;

	*hname = *hval = NULL;
	if (osip_list_size(&m->vias) <= 0 || m->sip_method == NULL)
		return -1;
	if (m->req_uri == NULL || m->from == NULL || m->to == NULL || m->call_id == NULL ||
	    m->call_id->number == NULL || m->cseq == NULL || m->cseq->method == NULL ||
	    m->cseq->number == NULL || m->from->url == NULL || m->to->url == NULL)
		return strcmp(m->sip_method, "ACK") == 0 ? -1 : 400;
	if (m->sip_version == NULL || strcmp(m->sip_version, "SIP/2.0") != 0)
		return strcmp(m->sip_method, "ACK") == 0 ? -1 : 505;
	if (strcmp(m->cseq->method, m->sip_method) != 0)
		return strcmp(m->sip_method, "ACK") == 0 ? -1 : 400;
	num = m->cseq->number;
	if (*num == 0 || strlen(num) > 10 || strspn(num, "0123456789") != strlen(num) ||
	    strtoull(num, NULL, 10) > 2147483647ULL)
		return strcmp(m->sip_method, "ACK") == 0 ? -1 : 400;
	/* UDP: a Content-Length larger than what arrived (RFC 3261 §18.3) */
	if (peer->proto == CW_SIP_UDP && m->content_length && m->content_length->value) {
		const char *e = NULL;
		for (size_t i = 0; i + 3 < len; i++)
			if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
				e = buf + i + 4;
				break;
			}
		if (e) {
			unsigned long long cl = strtoull(m->content_length->value, NULL, 10);
			if (cl > (unsigned long long)(buf + len - e))
				return strcmp(m->sip_method, "ACK") == 0 ? -1 : 400;
		}
	}
	if (strcmp(m->sip_method, "ACK") == 0 || strcmp(m->sip_method, "CANCEL") == 0)
		return 0;
	p = m->req_uri->scheme;
	if (p == NULL || (strcasecmp(p, "sip") != 0 && strcasecmp(p, "sips") != 0 && strcasecmp(p, "tel") != 0))
		return 416;
	/* Require: we support no extension (RFC 3261 §8.2.2.3) */
	if (osip_message_header_get_byname(m, "require", 0, &h) >= 0 && h && h->hvalue) {
		*hname = "Unsupported";
		*hval = h->hvalue;
		return 420;
	}
	/* INVITE bodies we understand (RFC 3261 §8.2.3) */
	if (strcmp(m->sip_method, "INVITE") == 0 && m->content_type && m->content_type->type &&
	    osip_list_size(&m->bodies) > 0) {
		const char *t = m->content_type->type, *s = m->content_type->subtype;
		if (!((strcasecmp(t, "application") == 0 && s && strcasecmp(s, "sdp") == 0) ||
		      (strcasecmp(t, "multipart") == 0))) {
			*hname = "Accept";
			*hval = "application/sdp";
			return 415;
		}
	}
	return 0;
}

/* ---- events to the owner ---- */

static void emit(cw_sip *sip, struct cw_sip_call_event *ev)
{
	if (ev->call && ev->call->released)
		return;
	sip->on_event(sip->user, ev);
}

static void fill_common(struct cw_sip_call_event *ev, osip_message_t *m)
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

/* A final error response: Retry-After (RFC 3261 §20.33: delta-seconds, then an
   optional comment and parameters) and the first Contact URI (§8.1.3.4). */
static void fill_failed(cw_sip *sip, struct cw_sip_call_event *ev, osip_message_t *m)
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

static struct cw_sip_call *call_new(cw_sip *sip, struct shard *sh, const char *call_id)
{
	struct cw_sip_call *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->sip = sip;
	c->sh = sh;
	c->call_id = osip_strdup(call_id);
	c->local_tag = rnd_token(sip, "cw");
	if (c->call_id == NULL || c->local_tag == NULL) {
		osip_free(c->call_id);
		osip_free(c->local_tag);
		free(c);
		return NULL;
	}
	call_link(sip, c);
	return c;
}

/* ---- libosip2 callbacks ---- */

static void cb_kill(int type, osip_transaction_t *tr)
{
	cw_sip *sip = g_active;
	(void)type;
	if (sip->nkilled == sip->capkilled) {
		size_t cap = sip->capkilled ? sip->capkilled * 2 : 64;
		osip_transaction_t **k = realloc(sip->killed, cap * sizeof(*k));
		if (k == NULL)
			return; /* leaks one transaction rather than crash */
		sip->killed = k;
		sip->capkilled = cap;
	}
	sip->killed[sip->nkilled++] = tr;
}

static void free_killed(cw_sip *sip)
{
	for (size_t i = 0; i < sip->nkilled; i++) {
		osip_transaction_t *tr = sip->killed[i];
		struct cw_sip_call *c = osip_transaction_get_your_instance(tr);
		if (c) {
			if (c->ist == tr)
				c->ist = NULL;
			if (c->ict == tr)
				c->ict = NULL;
			c->ntr--;
		}
		osip_transaction_free(tr);
		sip->stats.transactions_live--;
		call_maybe_free(sip, c);
	}
	sip->nkilled = 0;
}

static void cb_transport_error(int type, osip_transaction_t *tr, int error)
{
	struct cw_sip_call *c = osip_transaction_get_your_instance(tr);
	struct cw_sip_call_event ev;
	(void)type;
	(void)error;
	if (c == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = CW_SIP_EV_TRANSPORT_ERROR;
	ev.call = c;
	ev.method = tr->orig_request ? tr->orig_request->sip_method : NULL;
	emit(g_active, &ev);
}

static void respond_tr(cw_sip *sip, osip_transaction_t *tr, int status, const char *tag)
{
	osip_message_t *r = make_response(tr->orig_request, status, tag);
	if (r == NULL)
		return;
	if (status == 405 || (status == 200 && MSG_IS_OPTIONS(tr->orig_request)))
		osip_message_set_allow(r, CW_ALLOW);
	if (status == 200 && MSG_IS_OPTIONS(tr->orig_request))
		osip_message_set_accept(r, "application/sdp");
	if (status == 503 && MSG_IS_OPTIONS(tr->orig_request) && sip->options_retry_after > 0) {
		char b[16];

		snprintf(b, sizeof(b), "%u", sip->options_retry_after);
		osip_message_set_header(r, "Retry-After", b); /* RFC 3261 §21.5.4 */
	}
	queue_event(sip, tr, osip_new_outgoing_sipmessage(r));
}

static void send_cancel(cw_sip *sip, struct cw_sip_call *c);

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

/* Up to max values of the header called name (osip keeps unknown headers raw). */
static size_t header_values(osip_message_t *m, const char *name, const char **out, size_t max)
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

static void cb_ist_invite(int type, osip_transaction_t *tr, osip_message_t *m)
{
	cw_sip *sip = g_active;
	struct shard *sh = shard_of_osip(sip, (osip_t *)tr->config);
	osip_generic_param_t *tag = NULL;
	struct cw_sip_call *c;
	struct cw_sip_call_event ev;
	char *to = NULL;
	osip_message_t *trying;
	(void)type;

	osip_generic_param_get_byname(&m->to->gen_params, n_tag, &tag);
	if (tag != NULL) {
		/* re-INVITE in a dialog: not supported yet (488); else no dialog (481) */
		respond_tr(sip, tr, call_find_dialog(sip, m) ? 488 : 481, NULL);
		return;
	}
	/* 100 Trying at once (RFC 3261 §17.2.1; the IST does not send it) */
	trying = make_response(m, 100, NULL);
	if (trying)
		queue_event(sip, tr, osip_new_outgoing_sipmessage(trying));
	c = call_new(sip, sh, m->call_id->number);
	if (c == NULL) {
		respond_tr(sip, tr, 500, "x");
		return;
	}
	c->ist = tr;
	c->proto = msg_proto(m);
	c->inv_branch = osip_strdup(top_branch(m));
	tr_attach(tr, c);

	memset(&ev, 0, sizeof(ev));
	ev.type = CW_SIP_EV_INVITE;
	ev.call = c;
	ev.ruri_user = m->req_uri ? m->req_uri->username : NULL;
	ev.from_display = m->from->displayname;
	ev.from_user = m->from->url ? m->from->url->username : NULL;
	if (osip_to_to_str(m->to, &to) == 0)
		ev.to = to;
	ev.from_host = m->from->url ? m->from->url->host : NULL;
	ev.src_ip = via_source(m);
	ev.src_port = via_source_port(m);
	ev.transport = c->proto == CW_SIP_TCP ? "tcp" : "udp";
	ev.npai = header_values(m, "p-asserted-identity", ev.pai, CW_SIP_MAX_IDENTITY);
	ev.nprivacy = header_values(m, "privacy", ev.privacy, CW_SIP_MAX_IDENTITY);
	fill_common(&ev, m);
	emit(sip, &ev);
	osip_free(to);
}

static void cb_ict(int type, osip_transaction_t *tr, osip_message_t *m);
static int send_bye(cw_sip_call *c, const char *reason);

static void cb_nist(int type, osip_transaction_t *tr, osip_message_t *m)
{
	cw_sip *sip = g_active;
	struct cw_sip_call_event ev;
	struct cw_sip_call *c;

	memset(&ev, 0, sizeof(ev));
	switch (type) {
	case OSIP_NIST_OPTIONS_RECEIVED:
		respond_tr(sip, tr, sip->options_status, "opt");
		return;
	case OSIP_NIST_BYE_RECEIVED:
		c = call_find_dialog(sip, m);
		if (c == NULL) {
			respond_tr(sip, tr, 481, "nd");
			return;
		}
		tr_attach(tr, c);
		respond_tr(sip, tr, 200, NULL);
		if (c->dialog)
			osip_stop_retransmissions_from_dialog(c->sh->osip, c->dialog);
		ev.type = CW_SIP_EV_BYE;
		ev.call = c;
		fill_common(&ev, m);
		emit(sip, &ev);
		return;
	case OSIP_NIST_CANCEL_RECEIVED: {
		/* RFC 3261 §9.2: the INVITE with the same top-Via branch (hence the
		   same shard); found through the Call-ID table, checked by branch */
		const char *br = top_branch(m);
		c = NULL;
		for (struct cw_sip_call *k = sip->buckets[hash_str(m->call_id->number) % CALL_BUCKETS]; k; k = k->hnext)
			if (!k->outgoing && k->inv_branch && br && strcmp(k->inv_branch, br) == 0 &&
			    strcmp(k->call_id, m->call_id->number) == 0)
				c = k;
		if (c == NULL) {
			respond_tr(sip, tr, 481, "nc");
			return;
		}
		tr_attach(tr, c);
		respond_tr(sip, tr, 200, c->local_tag);
		if (c->final_sent || c->ist == NULL)
			return;
		ev.type = CW_SIP_EV_CANCEL;
		ev.call = c;
		fill_common(&ev, m);
		emit(sip, &ev);
		return;
	}
	case OSIP_NIST_REGISTER_RECEIVED:
	case OSIP_NIST_INFO_RECEIVED:
	case OSIP_NIST_NOTIFY_RECEIVED:
	case OSIP_NIST_SUBSCRIBE_RECEIVED:
		respond_tr(sip, tr, 405, "na");
		return;
	case OSIP_NIST_UNKNOWN_REQUEST_RECEIVED: {
		static const char *const known[] = {"PRACK", "UPDATE", "REFER", "MESSAGE", "PUBLISH", NULL};
		int k = 0;
		while (known[k] && strcmp(known[k], m->sip_method) != 0)
			k++;
		respond_tr(sip, tr, known[k] ? 405 : 501, "na");
		return;
	}
	default:
		return;
	}
}

static void cb_nict(int type, osip_transaction_t *tr, osip_message_t *m)
{
	struct cw_sip_call *c = osip_transaction_get_your_instance(tr);
	struct cw_sip_call_event ev;
	if (c == NULL || tr->orig_request == NULL || !MSG_IS_BYE(tr->orig_request))
		return;
	if (type == OSIP_NICT_STATUS_1XX_RECEIVED)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = CW_SIP_EV_BYE_DONE;
	ev.call = c;
	ev.method = "BYE";
	ev.status = m ? m->status_code : 0;
	fill_common(&ev, m);
	emit(g_active, &ev);
}

static void cb_timeout(int type, osip_transaction_t *tr, osip_message_t *m)
{
	struct cw_sip_call *c = osip_transaction_get_your_instance(tr);
	struct cw_sip_call_event ev;
	(void)m;
	if (c == NULL)
		return;
	if (type == OSIP_NICT_STATUS_TIMEOUT && tr->orig_request && MSG_IS_CANCEL(tr->orig_request))
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = CW_SIP_EV_TIMEOUT;
	ev.call = c;
	ev.method = tr->orig_request ? tr->orig_request->sip_method : NULL;
	emit(g_active, &ev);
}

/* Build, route (RFC 3261 §12.2.1.1, loose routing) and send the ACK for a 2xx. */
static void send_ack_2xx(cw_sip *sip, struct cw_sip_call *c, osip_transaction_t *tr, osip_message_t *resp)
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
	add_via(sip, ack, c->proto, NULL);
	osip_from_clone(inv->from, &ack->from);
	osip_to_clone(resp->to, &ack->to);
	osip_call_id_clone(inv->call_id, &ack->call_id);
	set_cseq(ack, inv->cseq->number, "ACK");
	osip_message_set_max_forwards(ack, "70");
	if (c->dialog)
		osip_list_clone(&c->dialog->route_set, &ack->routes, from_clone_fn);
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
		snprintf(portbuf, sizeof(portbuf), "%s", hop->port ? hop->port : "5060");
		c->ack_port = atoi(portbuf);
		if (cw_sip_transport_send(sip->tp, c->proto, -1, c->ack_host, c->ack_port, buf, len) == 0)
			sip->stats.tx_messages++;
	}
	osip_free(buf);
	osip_message_free(ack);
}

static void cb_ict(int type, osip_transaction_t *tr, osip_message_t *m)
{
	cw_sip *sip = g_active;
	struct cw_sip_call *c = osip_transaction_get_your_instance(tr);
	struct cw_sip_call_event ev;

	if (c == NULL || m == NULL)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.call = c;
	ev.status = m->status_code;
	fill_common(&ev, m);
	if (type == OSIP_ICT_STATUS_1XX_RECEIVED) {
		c->got_1xx = 1;
		if (c->cancel_pending && !c->cancel_sent)
			send_cancel(sip, c);
		if (m->status_code == 100)
			return;
		ev.type = CW_SIP_EV_PROGRESS;
	} else if (type == OSIP_ICT_STATUS_2XX_RECEIVED) {
		c->final_rcvd = 1;
		if (c->dialog == NULL)
			osip_dialog_init_as_uac(&c->dialog, m);
		send_ack_2xx(sip, c, tr, m);
		/* RFC 3261 §15: the owner released the call (its CANCEL crossed this
		   2xx, or it gave up): nobody wants the session, so ACK, then BYE. */
		if (c->released && !c->bye_sent && c->dialog)
			(void)send_bye(c, NULL);
		ev.type = CW_SIP_EV_ANSWERED;
	} else {
		c->final_rcvd = 1;
		ev.type = CW_SIP_EV_FAILED;
		fill_failed(sip, &ev, m);
	}
	emit(sip, &ev);
}

/* ---- shards and the execute loop ---- */

static void shard_deadline(cw_sip *sip, struct shard *sh)
{
	struct timeval tv = {0, 0}, now;
	long long rel, best;
	ixt_t *ixt;
	osip_list_iterator_t it;

	osip_timers_gettimeout(sh->osip, &tv);
	rel = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	best = rel < 0 ? 0 : rel;
	if (best > 86400000LL)
		best = -1;
	osip_gettimeofday(&now, NULL);
	for (ixt = osip_list_get_first(&sh->osip->ixt_retransmissions, &it); ixt;
	     ixt = osip_list_get_next(&it)) {
		long long r = ((long long)ixt->start.tv_sec - now.tv_sec) * 1000 +
		              (ixt->start.tv_usec - now.tv_usec) / 1000 + 1;
		if (r < 0)
			r = 0;
		if (best < 0 || r < best)
			best = r;
	}
	cw_sched_set_deadline(&sip->sched, (unsigned)(sh - sip->shards),
			      best < 0 ? -1 : mono_ms() + best);
}

static void run_shard(cw_sip *sip, struct shard *sh, int timers)
{
	int guard = 0;
	if (timers) {
		osip_timers_ict_execute(sh->osip);
		osip_timers_ist_execute(sh->osip);
		osip_timers_nict_execute(sh->osip);
		osip_timers_nist_execute(sh->osip);
		osip_retransmissions_execute(sh->osip);
		sh->dirty = 1; /* one execute pass below, whether or not a timer fired */
	}
	/* add_event only queues, and a callback in one FSM can queue into
	   another: repeat while anything was queued (pitfall 3) */
	while (sh->dirty && guard++ < 64) {
		sh->dirty = 0;
		osip_ict_execute(sh->osip);
		osip_ist_execute(sh->osip);
		osip_nict_execute(sh->osip);
		osip_nist_execute(sh->osip);
	}
	free_killed(sip);
	/* still dirty after the guard: mark_dirty() has put it in the ready set */
	shard_deadline(sip, sh);
}

/* One pass runs the shards whose timer is due, then those with events
   queued; what their callbacks queue runs in the next pass. Only the shards
   handed out by the scheduler are visited (sched.h), never all of them. */
int cw_sip_process(cw_sip *sip)
{
	cw_sip *prev = g_active;
	unsigned n;

	if (sip == NULL)
		return CW_EINVAL;
	if (sip->in_process)
		return 0;
	sip->in_process = 1;
	g_active = sip;
	for (int pass = 0; pass < 64; pass++) {
		n = cw_sched_take_due(&sip->sched, mono_ms(), sip->work);
		for (unsigned k = 0; k < n; k++)
			run_shard(sip, &sip->shards[sip->work[k]], 1);
		n = cw_sched_take_ready(&sip->sched, sip->work);
		for (unsigned k = 0; k < n; k++)
			if (sip->shards[sip->work[k]].dirty)
				run_shard(sip, &sip->shards[sip->work[k]], 0);
		if (!cw_sched_has_ready(&sip->sched))
			break;
	}
	sip->in_process = 0;
	g_active = prev;
	return 0;
}

/* ---- incoming messages ---- */

static void handle_ack_2xx(cw_sip *sip, osip_message_t *ack)
{
	struct cw_sip_call *c = call_find_dialog(sip, ack);
	struct cw_sip_call_event ev;
	if (c == NULL || c->outgoing)
		return;
	if (osip_stop_200ok_retransmissions(c->sh->osip, ack) == NULL)
		return; /* a retransmitted ACK: already reported */
	shard_deadline(sip, c->sh);
	memset(&ev, 0, sizeof(ev));
	ev.type = CW_SIP_EV_ACK;
	ev.call = c;
	fill_common(&ev, ack);
	emit(sip, &ev);
}

/* A new request past the admission callback (cw_sip_config.admit): 1 = go on. */
static int admitted(cw_sip *sip, osip_message_t *m, const struct cw_sip_peer *peer)
{
	struct cw_sip_request_info req;
	struct cw_sip_refusal ans;
	osip_authorization_t *auth = NULL;
	osip_generic_param_t *tag = NULL;
	char *uri = NULL, *cred = NULL;
	int st;

	if (sip->admit == NULL)
		return 1;
	memset(&req, 0, sizeof(req));
	memset(&ans, 0, sizeof(ans));
	req.method = m->sip_method;
	req.ruri_user = m->req_uri ? m->req_uri->username : NULL;
	osip_generic_param_get_byname(&m->to->gen_params, n_tag, &tag);
	req.in_dialog = tag != NULL;
	if (MSG_IS_INVITE(m) && m->req_uri && osip_uri_to_str(m->req_uri, &uri) == 0)
		req.request_uri = uri;
	if (osip_message_get_authorization(m, 0, &auth) >= 0 && auth &&
	    osip_authorization_to_str(auth, &cred) == 0)
		req.authorization = cred;
	req.src_ip = peer->ip;
	req.src_port = peer->port;
	req.transport = peer->proto == CW_SIP_TCP ? "tcp" : "udp";
	st = sip->admit(sip->user, &req, &ans);
	osip_free(uri);
	osip_free(cred);
	if (st == 0)
		return 1;
	if (st >= 300 && st <= 699)
		send_stateless(sip, m, st, peer, ans.header_name[0] ? ans.header_name : NULL,
		               ans.header_value);
	return 0;
}

static void on_message(void *user, const char *buf, size_t len, const struct cw_sip_peer *peer)
{
	cw_sip *sip = user;
	osip_event_t *evt;
	osip_message_t *m;
	struct shard *sh;

	sip->stats.rx_messages++;
	evt = osip_parse(buf, len);
	if (evt == NULL || evt->sip == NULL) {
		sip->stats.rx_malformed++;
		if (evt)
			osip_event_free(evt);
		salvage_400(sip, buf, len, peer);
		return;
	}
	m = evt->sip;
	if (MSG_IS_REQUEST(m)) {
		const char *hn, *hv;
		int st = validate_request(m, buf, len, peer, &hn, &hv);
		if (st != 0) {
			sip->stats.rx_malformed++;
			if (st > 0) {
				send_stateless(sip, m, st, peer, hn, hv);
				if (st == 400)
					sip->stats.tx_400++;
			}
			osip_event_free(evt);
			return;
		}
		drop_received(m);
		osip_message_fix_last_via_header(m, peer->ip, peer->port);
	} else if (osip_list_size(&m->vias) <= 0 || m->cseq == NULL || m->cseq->method == NULL ||
	           m->call_id == NULL || m->call_id->number == NULL || m->from == NULL || m->to == NULL) {
		sip->stats.rx_malformed++;
		osip_event_free(evt);
		return;
	}
	sh = shard_for(sip, m);
	if (osip_find_transaction_and_add_event(sh->osip, evt) == 0) {
		mark_dirty(sip, sh);
		return;
	}
	if (MSG_IS_REQUEST(m)) {
		osip_transaction_t *tr;
		if (MSG_IS_ACK(m)) {
			handle_ack_2xx(sip, m);
			osip_event_free(evt);
			return;
		}
		if (MSG_IS_INVITE(m)) {
			/* an INVITE retransmitted after our 2xx killed the IST: the 2xx
			   retransmission covers it (RFC 3261 §13.3.1.4) */
			const char *br = top_branch(m);
			for (struct cw_sip_call *k = call_find(sip, m->call_id->number); k; k = k->hnext)
				if (!k->outgoing && k->inv_branch && br && strcmp(k->inv_branch, br) == 0 &&
				    strcmp(k->call_id, m->call_id->number) == 0) {
					osip_event_free(evt);
					return;
				}
		}
		if (!admitted(sip, m, peer)) {
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
		mark_dirty(sip, sh);
		return;
	}
	/* a response no transaction took: a retransmitted 2xx for our INVITE */
	if (MSG_IS_STATUS_2XX(m) && strcmp(m->cseq->method, "INVITE") == 0) {
		struct cw_sip_call *c = call_find(sip, m->call_id->number);
		for (; c; c = c->hnext)
			if (c->outgoing && c->ack_buf && strcmp(c->call_id, m->call_id->number) == 0) {
				if (cw_sip_transport_send(sip->tp, c->proto, -1, c->ack_host, c->ack_port,
				                          c->ack_buf, c->ack_len) == 0)
					sip->stats.tx_messages++;
				break;
			}
	}
	osip_event_free(evt);
}

/* ---- public: lifecycle ---- */

int cw_sip_new(cw_sip **ret, const struct cw_sip_config *cfg)
{
	cw_sip *sip;
	int rc;

	if (ret == NULL || cfg == NULL || cfg->on_event == NULL || cfg->address == NULL)
		return CW_EINVAL;
	sip = calloc(1, sizeof(*sip));
	if (sip == NULL)
		return CW_ENOMEM;
	sip->on_event = cfg->on_event;
	sip->user = cfg->user;
	sip->admit = cfg->admit;
	sip->options_status = 200;
	sip->nshards = cfg->shards ? cfg->shards : CW_SIP_DEFAULT_SHARDS;
	if (sip->nshards > MAX_SHARDS)
		sip->nshards = MAX_SHARDS;
	sip->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)sip;
	if (sip->rng == 0)
		sip->rng = 88172645463325252ULL;
	sip->buckets = calloc(CALL_BUCKETS, sizeof(*sip->buckets));
	sip->shards = calloc(sip->nshards, sizeof(*sip->shards));
	sip->work = calloc(sip->nshards, sizeof(*sip->work));
	if (sip->buckets == NULL || sip->shards == NULL || sip->work == NULL ||
	    cw_sched_init(&sip->sched, sip->nshards) != 0) {
		cw_sip_free(sip);
		return CW_ENOMEM;
	}
	if (!g_parser_ready) {
		parser_init();
		/* libosip2's own traces go to stderr; quiet unless asked for */
		if (getenv("CW_SIP_OSIP_TRACE") == NULL)
			for (int l = TRACE_LEVEL0; l < END_TRACE_LEVEL; l++)
				osip_trace_disable_level((osip_trace_level_t)l);
		g_parser_ready = 1;
	}
	for (unsigned i = 0; i < sip->nshards; i++) {
		osip_t *o = NULL;
		if (osip_init(&o) != 0) {
			cw_sip_free(sip);
			return CW_ENOMEM;
		}
		sip->shards[i].osip = o;
		osip_set_application_context(o, &sip->shards[i]);
		osip_set_cb_send_message(o, cb_send);
		for (int k = OSIP_ICT_KILL_TRANSACTION; k <= OSIP_NIST_KILL_TRANSACTION; k++)
			osip_set_kill_transaction_callback(o, k, cb_kill);
		for (int k = OSIP_ICT_TRANSPORT_ERROR; k <= OSIP_NIST_TRANSPORT_ERROR; k++)
			osip_set_transport_error_callback(o, k, cb_transport_error);
		osip_set_message_callback(o, OSIP_IST_INVITE_RECEIVED, cb_ist_invite);
		osip_set_message_callback(o, OSIP_ICT_STATUS_1XX_RECEIVED, cb_ict);
		osip_set_message_callback(o, OSIP_ICT_STATUS_2XX_RECEIVED, cb_ict);
		for (int k = OSIP_ICT_STATUS_3XX_RECEIVED; k <= OSIP_ICT_STATUS_6XX_RECEIVED; k++)
			osip_set_message_callback(o, k, cb_ict);
		for (int k = OSIP_NIST_REGISTER_RECEIVED; k <= OSIP_NIST_UNKNOWN_REQUEST_RECEIVED; k++)
			osip_set_message_callback(o, k, cb_nist);
		for (int k = OSIP_NICT_STATUS_1XX_RECEIVED; k <= OSIP_NICT_STATUS_6XX_RECEIVED; k++)
			osip_set_message_callback(o, k, cb_nict);
		osip_set_message_callback(o, OSIP_ICT_STATUS_TIMEOUT, cb_timeout);
		osip_set_message_callback(o, OSIP_NICT_STATUS_TIMEOUT, cb_timeout);
	}
	rc = cw_sip_transport_new(&sip->tp, cfg->address, cfg->port, cfg->transports,
				  cfg->tcp_idle_ms, on_message, sip);
	if (rc != 0) {
		cw_sip_free(sip);
		return rc;
	}
	*ret = sip;
	return 0;
}

static void free_list(cw_sip *sip, osip_list_t *l)
{
	osip_transaction_t *tr;
	while ((tr = osip_list_get(l, 0)) != NULL) {
		struct cw_sip_call *c = osip_transaction_get_your_instance(tr);
		if (c)
			c->ntr--;
		osip_transaction_free(tr); /* removes it from l */
		sip->stats.transactions_live--;
	}
}

void cw_sip_free(cw_sip *sip)
{
	cw_sip *prev = g_active;
	if (sip == NULL)
		return;
	g_active = sip;
	free_killed(sip);
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
		for (unsigned b = 0; b < CALL_BUCKETS; b++)
			while (sip->buckets[b])
				call_free(sip, sip->buckets[b]);
	}
	for (unsigned i = 0; sip->shards && i < sip->nshards; i++)
		if (sip->shards[i].osip)
			osip_release(sip->shards[i].osip);
	cw_sip_transport_free(sip->tp);
	free(sip->killed);
	free(sip->buckets);
	free(sip->shards);
	free(sip->work);
	cw_sched_free(&sip->sched);
	free(sip);
	g_active = prev == sip ? NULL : prev;
}

unsigned cw_sip_port(const cw_sip *sip) { return cw_sip_transport_port(sip->tp); }
int cw_sip_fd(const cw_sip *sip) { return cw_sip_transport_fd(sip->tp); }

int cw_sip_on_readable(cw_sip *sip)
{
	cw_sip *prev = g_active;
	if (sip == NULL)
		return CW_EINVAL;
	g_active = sip;
	cw_sip_transport_on_readable(sip->tp);
	g_active = prev;
	return cw_sip_process(sip);
}

int cw_sip_on_timeout(cw_sip *sip)
{
	if (sip == NULL)
		return CW_EINVAL;
	cw_sip_transport_on_timeout(sip->tp);
	return cw_sip_process(sip);
}

int cw_sip_next_timeout_ms(cw_sip *sip)
{
	long long best = -1, at;
	int t;

	if (cw_sched_has_ready(&sip->sched))
		return 0;
	at = cw_sched_next(&sip->sched);
	if (at >= 0) {
		/* -1 means "no deadline": an overdue one is due now, never -1 */
		best = at - mono_ms();
		if (best < 0)
			best = 0;
	}
	t = cw_sip_transport_next_timeout_ms(sip->tp);
	if (t >= 0 && (best < 0 || t < best))
		best = t;
	if (best > 3600000)
		best = 3600000;
	return (int)best;
}

void cw_sip_get_stats(const cw_sip *sip, struct cw_sip_stats *ret)
{
	if (sip && ret)
		*ret = sip->stats;
}

/* ---- public: actions ---- */

int cw_sip_call_respond(cw_sip_call *c, int status, const struct cw_sip_response_opts *o)
{
	cw_sip *sip;
	osip_message_t *r, *inv;
	char b[32];

	if (c == NULL || c->outgoing || c->released || c->final_sent || c->ist == NULL ||
	    status < 101 || status > 699)
		return CW_EINVAL;
	sip = c->sip;
	inv = c->ist->orig_request;
	r = make_response(inv, status, c->local_tag);
	if (r == NULL)
		return CW_ENOMEM;
	if (status < 300)
		set_contact(sip, r, NULL);
	if (o) {
		if (o->sdp)
			set_body(r, o->sdp);
		if (o->reason && *o->reason)
			osip_message_set_header(r, "Reason", o->reason);
		if (o->retry_after > 0) {
			snprintf(b, sizeof(b), "%d", o->retry_after);
			osip_message_set_header(r, "Retry-After", b);
		}
		if (o->contact && status >= 300)
			osip_message_set_contact(r, o->contact);
	}
	if (status >= 200) {
		c->final_sent = 1;
		if (status < 300) {
			if (c->dialog == NULL && osip_dialog_init_as_uas(&c->dialog, inv, r) != 0) {
				osip_message_free(r);
				return CW_ENOMEM;
			}
			/* the UAS core retransmits the 2xx until the ACK (pitfall 5) */
			osip_start_200ok_retransmissions(c->sh->osip, c->dialog, r, c->ist->out_socket);
		}
	}
	queue_event(sip, c->ist, osip_new_outgoing_sipmessage(r));
	return 0;
}

static struct shard *start_client(cw_sip *sip, struct cw_sip_call *c, osip_message_t *msg,
                                  osip_fsm_type_t type, osip_transaction_t **ret)
{
	struct shard *sh = shard_for(sip, msg);
	osip_transaction_t *tr = NULL;
	if (osip_transaction_init(&tr, type, sh->osip, msg) != 0) {
		osip_message_free(msg);
		return NULL;
	}
	sip->stats.transactions_live++;
	osip_transaction_set_out_socket(tr, -1);
	tr_attach(tr, c);
	queue_event(sip, tr, osip_new_outgoing_sipmessage(msg));
	if (ret)
		*ret = tr;
	return sh;
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

/* RFC 3325 §9.1: the P-Asserted-Identity value of the options into b ("" if none). */
static int format_pai(cw_sip *sip, const struct cw_sip_invite_opts *o, char *b, size_t n)
{
	char user[128], disp[160] = "";

	b[0] = '\0';
	if (!o->pai_user)
		return 0;
	if (copy_safe(user, sizeof(user), o->pai_user) || !user[0] || strpbrk(user, "@;?> ") ||
	    (o->pai_display && o->pai_display[0] && quote_display(disp, sizeof(disp), o->pai_display)))
		return -1;
	snprintf(b, n, "%s%s<sip:%s@%s;user=phone>", disp, disp[0] ? " " : "", user,
	         cw_sip_transport_host(sip->tp));
	return 0;
}

int cw_sip_call_invite(cw_sip *sip, cw_sip_call **ret, const struct cw_sip_invite_opts *o)
{
	osip_message_t *m = NULL;
	osip_uri_t *uri = NULL;
	osip_uri_param_t *tp = NULL;
	struct cw_sip_call *c;
	char b[512], fu[128] = "anonymous", fd[160] = "", tu[128] = "", pai[512], *cid;
	char *branch = NULL;
	enum cw_sip_proto proto = CW_SIP_UDP;
	struct shard *sh;

	if (sip == NULL || ret == NULL || o == NULL || o->target == NULL)
		return CW_EINVAL;
	if (copy_safe(fu, sizeof(fu), o->from_user) || copy_safe(tu, sizeof(tu), o->to_user) ||
	    (o->from_user && strpbrk(fu, "@;?> ")) || format_pai(sip, o, pai, sizeof(pai)) < 0)
		return CW_EINVAL;
	if (!o->from_user) /* RFC 3323 §4.1.1.3: the anonymous From */
		snprintf(fd, sizeof(fd), "\"Anonymous\"");
	else if (o->from_display && o->from_display[0] &&
	         quote_display(fd, sizeof(fd), o->from_display))
		return CW_EINVAL;
	if (osip_uri_init(&uri) != 0)
		return CW_ENOMEM;
	if (osip_uri_parse(uri, o->target) != 0 || uri->host == NULL || uri->scheme == NULL ||
	    strcasecmp(uri->scheme, "sip") != 0) {
		osip_uri_free(uri);
		return CW_EINVAL;
	}
	osip_uri_uparam_get_byname(uri, n_transport, &tp);
	if (tp && tp->gvalue && strcasecmp(tp->gvalue, "tcp") == 0)
		proto = CW_SIP_TCP;
	if (osip_message_init(&m) != 0) {
		osip_uri_free(uri);
		return CW_ENOMEM;
	}
	osip_message_set_method(m, osip_strdup("INVITE"));
	osip_message_set_version(m, osip_strdup("SIP/2.0"));
	osip_message_set_uri(m, uri);
	add_via(sip, m, proto, &branch);
	cid = rnd_token(sip, "cw-");
	c = call_new(sip, NULL, cid);
	osip_free(cid);
	if (c == NULL || branch == NULL) {
		osip_free(branch);
		osip_message_free(m);
		if (c) {
			c->released = 1;
			call_free(sip, c);
		}
		return CW_ENOMEM;
	}
	c->outgoing = 1;
	c->proto = proto;
	c->inv_branch = branch;
	if (o->from_user)
		snprintf(b, sizeof(b), "%s%s<sip:%s@%s:%u>;tag=%s", fd, fd[0] ? " " : "", fu,
		         cw_sip_transport_host(sip->tp), cw_sip_transport_port(sip->tp), c->local_tag);
	else
		snprintf(b, sizeof(b), "%s <sip:anonymous@anonymous.invalid>;tag=%s", fd, c->local_tag);
	osip_message_set_from(m, b);
	snprintf(b, sizeof(b), "<sip:%s%s%s%s%s>", tu[0] ? tu : (uri->username ? uri->username : ""),
	         (tu[0] || uri->username) ? "@" : "", uri->host, uri->port ? ":" : "",
	         uri->port ? uri->port : "");
	osip_message_set_to(m, b);
	osip_message_set_call_id(m, c->call_id);
	osip_message_set_cseq(m, "1 INVITE");
	osip_message_set_max_forwards(m, "70");
	set_contact(sip, m, fu);
	osip_message_set_allow(m, CW_ALLOW);
	if (pai[0]) /* RFC 3325 §9.1 */
		osip_message_set_header(m, "P-Asserted-Identity", pai);
	if (o->privacy_id) /* RFC 3325 §9.3 */
		osip_message_set_header(m, "Privacy", "id");
	if (o->extra_headers) {
		const char *p = o->extra_headers;
		while (*p) {
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
	set_body(m, o->sdp);
	sh = start_client(sip, c, m, ICT, &c->ict);
	if (sh == NULL) {
		c->released = 1;
		call_free(sip, c);
		return CW_ENOMEM;
	}
	c->sh = sh;
	*ret = c;
	return 0;
}

static void send_cancel(cw_sip *sip, struct cw_sip_call *c)
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
	osip_list_clone(&inv->routes, &m->routes, from_clone_fn);
	osip_message_set_max_forwards(m, "70");
	if (c->cancel_reason)
		osip_message_set_header(m, "Reason", c->cancel_reason);
	start_client(sip, c, m, NICT, NULL);
}

int cw_sip_call_cancel(cw_sip_call *c, const char *reason)
{
	if (c == NULL || !c->outgoing || c->released || c->final_rcvd || c->ict == NULL ||
	    c->cancel_pending)
		return CW_EINVAL;
	if (reason && (c->cancel_reason = strdup(reason)) == NULL)
		return CW_ENOMEM;
	c->cancel_pending = 1;
	if (c->got_1xx)
		send_cancel(c->sip, c);
	return 0;
}

int cw_sip_call_bye(cw_sip_call *c, const char *reason)
{
	if (c == NULL || c->released || c->dialog == NULL || c->bye_sent)
		return CW_EINVAL;
	return send_bye(c, reason);
}

/* BYE in the confirmed dialog (also for a released call whose 2xx arrived late). */
static int send_bye(cw_sip_call *c, const char *reason)
{
	cw_sip *sip;
	osip_dialog_t *d;
	osip_message_t *m = NULL;
	osip_uri_t *u = NULL;
	char num[24];

	sip = c->sip;
	d = c->dialog;
	if (osip_message_init(&m) != 0)
		return CW_ENOMEM;
	c->bye_sent = 1;
	osip_message_set_method(m, osip_strdup("BYE"));
	osip_message_set_version(m, osip_strdup("SIP/2.0"));
	if (d->remote_contact_uri && d->remote_contact_uri->url)
		osip_uri_clone(d->remote_contact_uri->url, &u);
	else if (d->remote_uri && d->remote_uri->url)
		osip_uri_clone(d->remote_uri->url, &u);
	if (u == NULL) {
		osip_message_free(m);
		return CW_EINVAL;
	}
	osip_message_set_uri(m, u);
	add_via(sip, m, c->proto, NULL);
	osip_list_clone(&d->route_set, &m->routes, from_clone_fn);
	osip_from_clone(d->local_uri, &m->from);
	osip_to_clone(d->remote_uri, &m->to);
	osip_message_set_call_id(m, d->call_id);
	if (d->local_cseq < 1)
		d->local_cseq = 1;
	d->local_cseq++;
	snprintf(num, sizeof(num), "%d", d->local_cseq);
	set_cseq(m, num, "BYE");
	osip_message_set_max_forwards(m, "70");
	if (reason && *reason)
		osip_message_set_header(m, "Reason", reason);
	if (start_client(sip, c, m, NICT, NULL) == NULL)
		return CW_ENOMEM;
	return 0;
}

void cw_sip_call_release(cw_sip_call *c)
{
	if (c == NULL || c->released)
		return;
	c->released = 1;
	c->user = NULL;
	call_maybe_free(c->sip, c);
}

void cw_sip_call_set_user(cw_sip_call *c, void *user)
{
	if (c)
		c->user = user;
}

void *cw_sip_call_get_user(const cw_sip_call *c) { return c ? c->user : NULL; }
const char *cw_sip_call_id(const cw_sip_call *c) { return c ? c->call_id : NULL; }

int cw_sip_set_options_status(cw_sip *sip, int status, unsigned retry_after_s)
{
	if (sip == NULL || (status != 200 && status != 503))
		return CW_EINVAL;
	sip->options_status = status;
	sip->options_retry_after = status == 503 ? retry_after_s : 0;
	return 0;
}
