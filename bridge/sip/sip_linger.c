/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_linger.c — a non-INVITE server transaction that sent its
 * final response over UDP becomes a record of linger.h for timer J
 * (RFC 3261 §17.2.2, README "Lingering transactions"): the response is
 * noted as it is sent (cws_shard_send()), and once the shard's pass is
 * over a transaction still Completed is freed, its key, response and
 * destination kept. A retransmitted request finds the record before any
 * transaction is looked for, and gets the same bytes again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip_internal.h"

struct cws_linger_pending {
	osip_transaction_t *tr;
	char *buf;                /* osip_free */
	size_t len;
	char host[64];            /* an address literal: the Via's received= or host */
	int port, sock, status;
};

static void pending_drop(struct cws_linger_pending *p)
{
	osip_free(p->buf);
	p->buf = NULL;
	p->tr = NULL;
}

/* The note of tr, else a new one; NULL when there is no room (tr stays as it is). */
static struct cws_linger_pending *pending_for(cws *sip, osip_transaction_t *tr)
{
	struct cws_linger_pending *grown;
	size_t cap;

	for (size_t i = 0; i < sip->ncompleting; i++)
		if (sip->completing[i].tr == tr) { /* sent again in the same pass */
			pending_drop(&sip->completing[i]);
			return &sip->completing[i];
		}
	if (sip->ncompleting == sip->capcompleting) {
		cap = sip->capcompleting ? sip->capcompleting * 2 : 16;
		grown = realloc(sip->completing, cap * sizeof(*grown));
		if (grown == NULL)
			return NULL;
		sip->completing = grown;
		sip->capcompleting = cap;
	}
	return &sip->completing[sip->ncompleting++];
}

void cws_linger_note(cws *sip, osip_transaction_t *tr, int status, char *buf, size_t len,
                     const char *host, int port, int sock)
{
	struct cws_linger_pending *p = NULL;

	if (strlen(host) < sizeof(p->host))
		p = pending_for(sip, tr);
	if (p == NULL) {
		osip_free(buf); /* libosip2 keeps the transaction for timer J */
		return;
	}
	p->tr = tr;
	p->buf = buf;
	p->len = len;
	snprintf(p->host, sizeof(p->host), "%s", host);
	p->port = port;
	p->sock = sock;
	p->status = status;
}

void cws_linger_forget(cws *sip, osip_transaction_t *tr)
{
	for (size_t i = 0; i < sip->ncompleting; i++)
		if (sip->completing[i].tr == tr)
			pending_drop(&sip->completing[i]);
}

/* What a request is matched on (linger.h); cid is room for "number@host". */
static int key_of(osip_message_t *m, struct cws_linger_key *k, char *cid, size_t cidlen)
{
	osip_via_t *via = osip_list_get(&m->vias, 0);

	if (via == NULL || m->call_id == NULL || m->cseq == NULL || m->sip_method == NULL)
		return -EINVAL;
	memset(k, 0, sizeof(*k));
	k->branch = cws_top_branch(m);
	k->host = via->host;
	k->port = via->port;
	k->method = m->sip_method;
	if (m->call_id->host)
		snprintf(cid, cidlen, "%s@%s", m->call_id->number ? m->call_id->number : "",
		         m->call_id->host);
	else
		snprintf(cid, cidlen, "%s", m->call_id->number ? m->call_id->number : "");
	k->call_id = cid;
	k->cseq = m->cseq->number;
	return 0;
}

/* tr sent p's response and waits for timer J: its record instead, tr freed. */
static void compact_one(cws *sip, struct cws_linger_pending *p)
{
	osip_transaction_t *tr = p->tr;
	struct cws_linger_key k;
	struct cws_linger_dest d = { CWS_UDP, p->sock, p->host, p->port };
	char cid[256];
	long long j;

	if (tr->state != NIST_COMPLETED || tr->nist_context == NULL ||
	    key_of(tr->orig_request, &k, cid, sizeof(cid)) != 0)
		return;
	j = tr->nist_context->timer_j_length; /* 64*T1 (ms) */
	if (cws_linger_add(&sip->linger, &k, p->status, p->buf, p->len, &d,
	                   cws_mono_ms() + j) != 0)
		return; /* no room: libosip2 keeps the transaction */
	cws_shard_free_transaction(sip, tr);
}

void cws_linger_compact(cws *sip)
{
	for (size_t i = 0; i < sip->ncompleting; i++) {
		struct cws_linger_pending *p = &sip->completing[i];

		if (p->tr)
			compact_one(sip, p);
		pending_drop(p);
	}
	sip->ncompleting = 0;
}

int cws_linger_absorb(cws *sip, osip_message_t *m)
{
	const struct cws_linger_entry *e;
	struct cws_linger_key k;
	struct cws_linger_dest d;
	const char *resp;
	size_t len;
	char cid[256];

	if (sip->linger.count == 0 || !MSG_IS_REQUEST(m) || MSG_IS_ACK(m) ||
	    key_of(m, &k, cid, sizeof(cid)) != 0)
		return 0;
	e = cws_linger_match(&sip->linger, &k, cws_mono_ms());
	if (e == NULL)
		return 0;
	sip->stats.absorbed++;
	resp = cws_linger_response(e, &len);
	cws_linger_dest_of(e, &d);
	if (cws_transport_send(sip->tp, (enum cws_proto)d.proto, d.sock, d.host, d.port, resp,
	                       len) == 0) {
		sip->stats.tx_messages++;
		if (sip->on_message)
			sip->on_message(sip->user, 1, cws_linger_method(e), cws_linger_status(e));
	}
	return 1;
}

void cws_linger_run(cws *sip)
{
	cws_linger_expire(&sip->linger, cws_mono_ms());
}

void cws_linger_release(cws *sip)
{
	for (size_t i = 0; i < sip->ncompleting; i++)
		pending_drop(&sip->completing[i]);
	free(sip->completing);
	sip->completing = NULL;
	sip->ncompleting = sip->capcompleting = 0;
	cws_linger_free(&sip->linger);
}
