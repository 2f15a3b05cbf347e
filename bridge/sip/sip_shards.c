/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_shards.c — transactions spread over N osip_t by FNV-1a of
 * the top-Via branch (README "Sharding"), and the glue to the scheduler
 * (sched.h): a shard is marked dirty when an event is queued into one of
 * its transactions, its deadline is recomputed after it ran, and
 * cws_process() runs only the shards that are dirty or due. Killed
 * transactions are freed after the pass, never in the kill callback.
 */
#include <errno.h>
#include <sys/time.h>
#include <time.h>

#include <causeway/common.h>

#include "sip_internal.h"

#include <stdlib.h>
#include <string.h>

cws *cws_active;

long long cws_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint32_t cws_hash_str(const char *s)
{
	uint32_t h = 2166136261u;
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct shard *shard_for_branch(cws *sip, const char *branch)
{
	return &sip->shards[cws_hash_str(branch) % sip->nshards];
}

struct shard *cws_shard_for(cws *sip, osip_message_t *m)
{
	const char *b = cws_top_branch(m);
	if (b == NULL && m->call_id)
		b = m->call_id->number;
	return shard_for_branch(sip, b ? b : "");
}

struct shard *cws_shard_of_osip(cws *sip, osip_t *o)
{
	(void)sip;
	return osip_get_application_context(o);
}

/* Events were queued on sh: run it in the next pass. */
void cws_shard_mark_dirty(cws *sip, struct shard *sh)
{
	sh->dirty = 1;
	cws_sched_mark(&sip->sched, (unsigned)(sh - sip->shards));
}

void cws_queue_event(cws *sip, osip_transaction_t *tr, osip_event_t *evt)
{
	osip_transaction_add_event(tr, evt);
	cws_shard_mark_dirty(sip, cws_shard_of_osip(sip, (osip_t *)tr->config));
}

const char *cws_peer_name(const struct cws_call *c, const osip_message_t *req, const char *host,
                          int port)
{
	int hop_port = c && c->hop_port ? c->hop_port : 5061;

	if (c && c->hop_ip && c->hop_name && hop_port == port && strcmp(c->hop_ip, host) == 0)
		return c->hop_name;
	if (req && MSG_IS_REQUEST(req) && MSG_IS_REGISTER(req) && req->req_uri &&
	    req->req_uri->host && strcasecmp(req->req_uri->host, host) != 0)
		return req->req_uri->host;
	return host;
}

int cws_shard_send(osip_transaction_t *tr, osip_message_t *msg, char *host, int port, int sock)
{
	cws *sip = cws_active;
	char *buf = NULL;
	size_t len = 0;
	enum cws_proto proto;
	const char *name;
	int rc;
	if (sip == NULL || msg == NULL || host == NULL)
		return -1;
	/* The ACK libosip2's ICT builds for a non-2xx final response has no Max-Forwards,
	   which RFC 3261 §8.1.1.6 requires of every request (some UAs answer such an ACK
	   400 and retransmit their final response until Timer G gives up). */
	if (MSG_IS_REQUEST(msg) && MSG_IS_ACK(msg)) {
		osip_header_t *mf = NULL;

		if (osip_message_get_max_forwards(msg, 0, &mf) < 0 || mf == NULL)
			osip_message_set_max_forwards(msg, "70");
	}
	if (osip_message_to_str(msg, &buf, &len) != 0 || buf == NULL)
		return -1;
	proto = cws_msg_proto(msg);
	/* RFC 3263 §4.2: 5061 for TLS, 5060 otherwise, when the URI has no port */
	if (port == 0)
		port = proto == CWS_TLS ? 5061 : 5060;
	name = cws_peer_name(tr ? osip_transaction_get_your_instance(tr) : NULL,
	                     tr ? tr->orig_request : NULL, host, port);
	rc = cws_transport_send_named(sip->tp, proto, sock, host, port, name, buf, len);
	if (rc == 0) {
		sip->stats.tx_messages++;
		cws_observe(sip, 1, msg);
	}
	/* RFC 3261 §17.2.2: a NIST's final response over UDP, then only timer J */
	if (rc == 0 && tr && tr->ctx_type == NIST && MSG_IS_RESPONSE(msg) &&
	    msg->status_code >= 200 && proto == CWS_UDP)
		cws_linger_note(sip, tr, msg->status_code, buf, len, host, port, sock);
	else
		osip_free(buf);
	return rc == 0 ? 0 : -1;
}

void cws_shard_kill(int type, osip_transaction_t *tr)
{
	cws *sip = cws_active;
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

void cws_shard_free_transaction(cws *sip, osip_transaction_t *tr)
{
	struct cws_call *c = osip_transaction_get_your_instance(tr);

	if (c) {
		if (c->ist == tr)
			c->ist = NULL;
		if (c->ict == tr)
			c->ict = NULL;
		c->ntr--;
	}
	cws_linger_forget(sip, tr);
	osip_transaction_free(tr);
	sip->stats.transactions_live--;
	cws_calls_maybe_free(sip, c);
}

void cws_shards_free_killed(cws *sip)
{
	for (size_t i = 0; i < sip->nkilled; i++)
		cws_shard_free_transaction(sip, sip->killed[i]);
	sip->nkilled = 0;
}

/*
 * Milliseconds until a libosip2 deadline sec.usec away, rounded up: a timer
 * 0.4 ms away is 1 ms away, never 0. Rounding down would make the loop wake
 * before libosip2 (which compares in microseconds) finds the timer due, and
 * wake again and again with a zero timeout until it is (a busy spin of up
 * to 1 ms per expiring transaction). Past deadlines are 0.
 */
long long cws_ms_until(long long sec, long long usec)
{
	long long us = sec * 1000000LL + usec;

	return us <= 0 ? 0 : (us + 999) / 1000;
}

void cws_shard_deadline(cws *sip, struct shard *sh)
{
	struct timeval tv = {0, 0}, now;
	long long best;
	ixt_t *ixt;
	osip_list_iterator_t it;

	osip_timers_gettimeout(sh->osip, &tv);
	best = cws_ms_until(tv.tv_sec, tv.tv_usec);
	if (best > 86400000LL)
		best = -1;
	osip_gettimeofday(&now, NULL);
	for (ixt = osip_list_get_first(&sh->osip->ixt_retransmissions, &it); ixt;
	     ixt = osip_list_get_next(&it)) {
		long long r = cws_ms_until((long long)ixt->start.tv_sec - now.tv_sec,
		                              (long long)ixt->start.tv_usec - now.tv_usec);
		if (best < 0 || r < best)
			best = r;
	}
	cws_sched_set_deadline(&sip->sched, (unsigned)(sh - sip->shards),
			      best < 0 ? -1 : cws_mono_ms() + best);
}

static void run_shard(cws *sip, struct shard *sh, int timers)
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
	cws_linger_compact(sip);
	cws_shards_free_killed(sip);
	/* still dirty after the guard: cws_shard_mark_dirty() has put it in the ready set */
	cws_shard_deadline(sip, sh);
}

/* One pass runs the shards whose timer is due, then those with events
   queued; what their callbacks queue runs in the next pass. Only the shards
   handed out by the scheduler are visited (sched.h), never all of them. */
int cws_process(cws *sip)
{
	cws *prev = cws_active;
	unsigned n;

	if (sip == NULL)
		return -EINVAL;
	if (sip->in_process)
		return 0;
	sip->in_process = 1;
	cws_active = sip;
	for (int pass = 0; pass < 64; pass++) {
		n = cws_sched_take_due(&sip->sched, cws_mono_ms(), sip->work);
		for (unsigned k = 0; k < n; k++)
			run_shard(sip, &sip->shards[sip->work[k]], 1);
		n = cws_sched_take_ready(&sip->sched, sip->work);
		for (unsigned k = 0; k < n; k++)
			if (sip->shards[sip->work[k]].dirty)
				run_shard(sip, &sip->shards[sip->work[k]], 0);
		if (!cws_sched_has_ready(&sip->sched))
			break;
	}
	sip->in_process = 0;
	cws_active = prev;
	return 0;
}
