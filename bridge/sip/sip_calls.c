/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_calls.c — the call table: calls by Call-ID in
 * CW_SIP_CALL_BUCKETS buckets, so CANCEL -> INVITE, ACK -> 2xx, BYE ->
 * dialog and a retransmitted 2xx -> its ACK are O(1); and a call's
 * lifetime (freed once released and its last transaction is gone).
 */
#include "sip_internal.h"

#include <stdlib.h>
#include <string.h>

static unsigned bucket_of(const char *call_id)
{
	return cw_sip_hash_str(call_id) % CW_SIP_CALL_BUCKETS;
}

static void call_link(cw_sip *sip, struct cw_sip_call *c)
{
	unsigned b = bucket_of(c->call_id);
	c->hnext = sip->buckets[b];
	sip->buckets[b] = c;
	sip->stats.calls_live++;
}

static void call_unlink(cw_sip *sip, struct cw_sip_call *c)
{
	struct cw_sip_call **pp = &sip->buckets[bucket_of(c->call_id)];
	for (; *pp; pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			sip->stats.calls_live--;
			return;
		}
}

struct cw_sip_call *cw_sip_calls_find(cw_sip *sip, const char *call_id)
{
	if (call_id == NULL)
		return NULL;
	for (struct cw_sip_call *c = sip->buckets[bucket_of(call_id)]; c; c = c->hnext)
		if (strcmp(c->call_id, call_id) == 0)
			return c;
	return NULL;
}

/* A call in a dialog with this request (or, with no dialog yet, the call-id). */
struct cw_sip_call *cw_sip_calls_find_dialog(cw_sip *sip, osip_message_t *req)
{
	char *cid = req->call_id ? req->call_id->number : NULL;
	if (cid == NULL)
		return NULL;
	for (struct cw_sip_call *c = sip->buckets[bucket_of(cid)]; c; c = c->hnext)
		if (strcmp(c->call_id, cid) == 0 && c->dialog &&
		    osip_dialog_match_as_uas(c->dialog, req) == 0)
			return c;
	return NULL;
}

struct cw_sip_call *cw_sip_calls_find_incoming(cw_sip *sip, const char *call_id, const char *branch)
{
	if (call_id == NULL || branch == NULL)
		return NULL;
	for (struct cw_sip_call *c = sip->buckets[bucket_of(call_id)]; c; c = c->hnext)
		if (!c->outgoing && c->inv_branch && strcmp(c->inv_branch, branch) == 0 &&
		    strcmp(c->call_id, call_id) == 0)
			return c;
	return NULL;
}

void cw_sip_calls_free(cw_sip *sip, struct cw_sip_call *c)
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

void cw_sip_calls_maybe_free(cw_sip *sip, struct cw_sip_call *c)
{
	if (c && c->released && c->ntr <= 0)
		cw_sip_calls_free(sip, c);
}

void cw_sip_calls_attach(osip_transaction_t *tr, struct cw_sip_call *c)
{
	osip_transaction_set_your_instance(tr, c);
	c->ntr++;
}

struct cw_sip_call *cw_sip_calls_new(cw_sip *sip, struct shard *sh, const char *call_id)
{
	struct cw_sip_call *c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->sip = sip;
	c->sh = sh;
	c->call_id = osip_strdup(call_id);
	c->local_tag = cw_sip_rnd_token(sip, "cw");
	if (c->call_id == NULL || c->local_tag == NULL) {
		osip_free(c->call_id);
		osip_free(c->local_tag);
		free(c);
		return NULL;
	}
	call_link(sip, c);
	return c;
}

void cw_sip_call_release(cw_sip_call *c)
{
	if (c == NULL || c->released)
		return;
	c->released = 1;
	c->user = NULL;
	cw_sip_calls_maybe_free(c->sip, c);
}

void cw_sip_call_set_user(cw_sip_call *c, void *user)
{
	if (c)
		c->user = user;
}

void *cw_sip_call_get_user(const cw_sip_call *c) { return c ? c->user : NULL; }

const char *cw_sip_call_id(const cw_sip_call *c) { return c ? c->call_id : NULL; }
