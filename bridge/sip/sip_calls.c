/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_calls.c — the call table: calls by Call-ID in
 * CWS_CALL_BUCKETS buckets, so CANCEL -> INVITE, ACK -> 2xx, BYE ->
 * dialog and a retransmitted 2xx -> its ACK are O(1); and a call's
 * lifetime (freed once released and its last transaction is gone).
 */
#include "sip_internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * A call keeps its Call-ID whole, as it is on the wire: "local@host" or, without
 * a host, "local" (RFC 3261 §20.8, §25.1 callid = word [ "@" word ]). libosip2
 * parses it into number and host; a call is found by both. The bucket is the
 * hash of the part before the first '@' (libosip2's number), so a lookup
 * from a parsed Call-ID builds no string.
 */
static unsigned bucket_of_len(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h % CWS_CALL_BUCKETS;
}

static unsigned bucket_of(const char *call_id)
{
	return bucket_of_len(call_id, strcspn(call_id, "@"));
}

static unsigned bucket_of_parsed(const osip_call_id_t *cid)
{
	return bucket_of_len(cid->number, strlen(cid->number));
}

/* The whole Call-ID text c holds is the parsed one of a message. */
static int call_id_is(const char *whole, const osip_call_id_t *cid)
{
	size_t n = strlen(cid->number);

	if (strncmp(whole, cid->number, n) != 0)
		return 0;
	if (cid->host == NULL)
		return whole[n] == 0;
	return whole[n] == '@' && strcmp(whole + n + 1, cid->host) == 0;
}

static void call_link(cws *sip, struct cws_call *c)
{
	unsigned b = bucket_of(c->call_id);
	c->hnext = sip->buckets[b];
	sip->buckets[b] = c;
	sip->stats.calls_live++;
}

static void call_unlink(cws *sip, struct cws_call *c)
{
	struct cws_call **pp = &sip->buckets[bucket_of(c->call_id)];
	for (; *pp; pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			sip->stats.calls_live--;
			return;
		}
}

struct cws_call *cws_calls_find(cws *sip, const osip_call_id_t *call_id)
{
	if (call_id == NULL || call_id->number == NULL)
		return NULL;
	for (struct cws_call *c = sip->buckets[bucket_of_parsed(call_id)]; c; c = c->hnext)
		if (call_id_is(c->call_id, call_id))
			return c;
	return NULL;
}

struct cws_call *cws_calls_next(struct cws_call *c, const osip_call_id_t *call_id)
{
	for (c = c->hnext; c; c = c->hnext)
		if (call_id_is(c->call_id, call_id))
			return c;
	return NULL;
}

/* A call in a dialog with this request (or, with no dialog yet, the call-id). */
struct cws_call *cws_calls_find_dialog(cws *sip, osip_message_t *req)
{
	const osip_call_id_t *cid = req->call_id;
	if (cid == NULL || cid->number == NULL)
		return NULL;
	for (struct cws_call *c = sip->buckets[bucket_of_parsed(cid)]; c; c = c->hnext)
		if (call_id_is(c->call_id, cid) && c->dialog &&
		    osip_dialog_match_as_uas(c->dialog, req) == 0)
			return c;
	return NULL;
}

struct cws_call *cws_calls_find_incoming(cws *sip, const osip_call_id_t *call_id,
                                               const char *branch)
{
	if (call_id == NULL || call_id->number == NULL || branch == NULL)
		return NULL;
	for (struct cws_call *c = sip->buckets[bucket_of_parsed(call_id)]; c; c = c->hnext)
		if (!c->outgoing && c->inv_branch && strcmp(c->inv_branch, branch) == 0 &&
		    call_id_is(c->call_id, call_id))
			return c;
	return NULL;
}

void cws_calls_free(cws *sip, struct cws_call *c)
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
	free(c->hop_ip);
	free(c->hop_name);
	cws_uac_auth_free(c->auth);
	free(c->reinvite_cseq);
	free(c);
}

void cws_calls_maybe_free(cws *sip, struct cws_call *c)
{
	if (c && c->released && c->ntr <= 0)
		cws_calls_free(sip, c);
}

void cws_calls_attach(osip_transaction_t *tr, struct cws_call *c)
{
	osip_transaction_set_your_instance(tr, c);
	c->ntr++;
}

struct cws_call *cws_calls_new(cws *sip, struct shard *sh, const char *call_id)
{
	struct cws_call *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->sip = sip;
	c->sh = sh;
	c->call_id = osip_strdup(call_id);
	c->local_tag = cws_rnd_token(sip, "cw");
	if (c->call_id == NULL || c->local_tag == NULL) {
		osip_free(c->call_id);
		osip_free(c->local_tag);
		free(c);
		return NULL;
	}
	call_link(sip, c);
	return c;
}

void cws_call_release(cws_call *c)
{
	if (c == NULL || c->released)
		return;
	c->released = 1;
	c->user = NULL;
	cws_calls_maybe_free(c->sip, c);
}

void cws_call_set_user(cws_call *c, void *user)
{
	if (c)
		c->user = user;
}

void *cws_call_get_user(const cws_call *c) { return c ? c->user : NULL; }

const char *cws_call_id(const cws_call *c) { return c ? c->call_id : NULL; }
