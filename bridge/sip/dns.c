/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/dns.c — RFC 3263 §4 on c-ares (dns.h): NAPTR -> SRV -> A/AAAA
 * in steps, one query at a time per lookup; c-ares's sockets reported through
 * ARES_OPT_SOCK_STATE_CB, its timeouts through ares_timeout(). The choices
 * are rfc3263.c's.
 */
#include "dns.h"

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#define CACHE_SIZE 64
#define MAX_NAMES 8
#define MAX_SRV 16
/* RFC 2308 §5 caches failures too; none here: a name that does not resolve is asked again */

struct cache_entry {
	char key[CWS_DNS_NAME_MAX + 48];
	struct cws_hop hops[CWS_DNS_MAX_HOPS];
	size_t n;
	uint64_t expires_ms; /* 0: free */
};

struct cws_dns {
	ares_channel ch;
	cws_dns_watch_fn *watch;
	void *watch_arg;
	uint64_t now_ms;
	uint64_t rnd;
	struct cache_entry cache[CACHE_SIZE];
};

enum stage { ST_NAPTR, ST_SRV, ST_ADDR };

struct cws_dns_query {
	cws_dns *dns;
	cws_dns_done_fn *done;
	void *arg;
	int cancelled;
	enum stage stage;
	char key[CWS_DNS_NAME_MAX + 48];
	struct cws_dns_target t;
	char host[CWS_DNS_NAME_MAX];
	struct cws_srv_name names[MAX_NAMES];  /* SRV names to ask, in order */
	size_t nnames, iname;
	struct cws_srv_rec srv[MAX_SRV];        /* the targets whose addresses are asked */
	unsigned srv_transport;
	size_t nsrv, isrv;
	struct cws_hop hops[CWS_DNS_MAX_HOPS];
	size_t nhops;
	uint32_t ttl;                           /* the smallest TTL seen */
	int timeouts;
	int in_resolve;                         /* finish() inside cws_dns_resolve(): no callback */
	int sync_err;                           /* ... but this answer */
	int sync_done;
};

static void sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	cws_dns *dns = data;

	dns->watch(dns->watch_arg, (int)fd, readable, writable);
}

int cws_dns_new(const char *servers, cws_dns_watch_fn *watch, void *watch_arg, cws_dns **ret)
{
	struct ares_options o;
	cws_dns *dns;
	int r;

	if (!watch || !ret)
		return -EINVAL;
	if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS)
		return -EIO;
	dns = calloc(1, sizeof(*dns));
	if (!dns)
		return -ENOMEM;
	dns->watch = watch;
	dns->watch_arg = watch_arg;
	if (getrandom(&dns->rnd, sizeof(dns->rnd), GRND_NONBLOCK) != (ssize_t)sizeof(dns->rnd))
		dns->rnd = (uint64_t)time(NULL);
	dns->rnd |= 1;
	memset(&o, 0, sizeof(o));
	o.sock_state_cb = sock_state;
	o.sock_state_cb_data = dns;
	o.timeout = 2000; /* ms per try: a lookup is bounded by 2 x 2 s per server */
	o.tries = 2;
	r = ares_init_options(&dns->ch, &o, ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (r != ARES_SUCCESS) {
		free(dns);
		return r == ARES_ENOMEM ? -ENOMEM : -EIO;
	}
	if (servers && servers[0] && ares_set_servers_ports_csv(dns->ch, servers) != ARES_SUCCESS) {
		ares_destroy(dns->ch);
		free(dns);
		return -EINVAL;
	}
	*ret = dns;
	return 0;
}

void cws_dns_free(cws_dns *dns)
{
	if (!dns)
		return;
	ares_destroy(dns->ch); /* every pending callback runs with ARES_EDESTRUCTION */
	free(dns);
}

/* xorshift64*: SRV weights only (RFC 2782 asks for no more than uniform) */
static uint32_t next_rnd(void *arg)
{
	cws_dns *dns = arg;

	dns->rnd ^= dns->rnd >> 12;
	dns->rnd ^= dns->rnd << 25;
	dns->rnd ^= dns->rnd >> 27;
	return (uint32_t)((dns->rnd * 2685821657736338717ull) >> 32);
}

static void make_key(const struct cws_dns_target *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s|%u|%u|%d|%u|%d", t->host, t->port, t->transport, t->sips, t->served,
	         t->family);
}

static struct cache_entry *cache_find(cws_dns *dns, const char *key, uint64_t now)
{
	for (size_t i = 0; i < CACHE_SIZE; i++)
		if (dns->cache[i].expires_ms > now && strcmp(dns->cache[i].key, key) == 0)
			return &dns->cache[i];
	return NULL;
}

static void cache_put(cws_dns *dns, const struct cws_dns_query *q)
{
	struct cache_entry *e = &dns->cache[0];

	if (q->ttl == 0)
		return;
	for (size_t i = 0; i < CACHE_SIZE; i++) /* a free or expired entry, else the soonest */
		if (dns->cache[i].expires_ms <= dns->now_ms || dns->cache[i].expires_ms < e->expires_ms)
			e = &dns->cache[i];
	snprintf(e->key, sizeof(e->key), "%s", q->key);
	memcpy(e->hops, q->hops, q->nhops * sizeof(q->hops[0]));
	e->n = q->nhops;
	e->expires_ms = dns->now_ms + (uint64_t)q->ttl * 1000u;
}

static void note_ttl(struct cws_dns_query *q, const unsigned char *abuf, int alen, unsigned type)
{
	uint32_t ttl;

	if (abuf && alen > 0 && cws_dns_min_ttl(abuf, (size_t)alen, type, &ttl) == 0 &&
	    ttl < q->ttl)
		q->ttl = ttl;
}

static void finish(struct cws_dns_query *q, int status)
{
	if (!q->cancelled) {
		int err = 0;

		if (q->nhops == 0)
			err = status == ARES_ETIMEOUT || q->timeouts ? -ETIMEDOUT
			      : status == ARES_ENOTFOUND || status == ARES_ENODATA || status == ARES_SUCCESS
			      ? -ENOENT : -EIO;
		else
			cache_put(q->dns, q);
		if (q->in_resolve) { /* c-ares answered at once (no server, no memory) */
			q->sync_done = 1;
			q->sync_err = err;
			return;
		}
		q->done(q->arg, err, q->hops, q->nhops);
	}
	free(q);
}

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen);

static void ask(struct cws_dns_query *q, const char *name, int type)
{
	ares_query(q->dns->ch, name, ns_c_in, type, on_answer, q);
}

/* The addresses of the next SRV target (or of the host itself). */
static void ask_addr(struct cws_dns_query *q, int status)
{
	if (q->isrv >= q->nsrv || q->nhops >= CWS_DNS_MAX_HOPS) {
		finish(q, status);
		return;
	}
	q->stage = ST_ADDR;
	ask(q, q->srv[q->isrv].target, q->t.family == AF_INET6 ? ns_t_aaaa : ns_t_a);
}

/* RFC 3263 §4.2: no SRV record: the host's own addresses, 5060 (5061 for TLS). */
static void addr_of_host(struct cws_dns_query *q, unsigned transport, int status)
{
	q->nsrv = 1;
	q->isrv = 0;
	q->srv_transport = transport;
	snprintf(q->srv[0].target, sizeof(q->srv[0].target), "%s", q->host);
	q->srv[0].port = (uint16_t)(q->t.port ? q->t.port : transport == CWS_DNS_TLS ? 5061 : 5060);
	ask_addr(q, status);
}

static unsigned default_transport(const struct cws_dns_query *q)
{
	/* RFC 3263 §4.1: without NAPTR and SRV, UDP for sip:, TCP (TLS) for sips: */
	if (q->t.transport)
		return q->t.transport;
	if (q->t.sips)
		return CWS_DNS_TLS;
	return (q->t.served & CWS_DNS_UDP) ? CWS_DNS_UDP : (q->t.served & CWS_DNS_TCP) ? CWS_DNS_TCP
	                                                                              : CWS_DNS_TLS;
}

static void ask_srv(struct cws_dns_query *q, int status)
{
	if (q->iname >= q->nnames) {
		addr_of_host(q, default_transport(q), status);
		return;
	}
	q->stage = ST_SRV;
	ask(q, q->names[q->iname].name, ns_t_srv);
}

static void got_naptr(struct cws_dns_query *q, int status, const unsigned char *abuf, int alen)
{
	struct ares_naptr_reply *list = NULL;
	struct cws_naptr_rec recs[32];
	size_t n = 0;

	if (status == ARES_SUCCESS && ares_parse_naptr_reply(abuf, alen, &list) == ARES_SUCCESS) {
		for (struct ares_naptr_reply *r = list; r && n < 32; r = r->next, n++) {
			recs[n].order = r->order;
			recs[n].preference = r->preference;
			snprintf(recs[n].flags, sizeof(recs[n].flags), "%s", (const char *)r->flags);
			snprintf(recs[n].service, sizeof(recs[n].service), "%s", (const char *)r->service);
			snprintf(recs[n].replacement, sizeof(recs[n].replacement), "%s", r->replacement);
		}
		ares_free_data(list);
		note_ttl(q, abuf, alen, ns_t_naptr);
	}
	q->nnames = cws_naptr_pick(recs, n, q->t.served, q->t.sips, q->names, MAX_NAMES);
	/* RFC 3263 §4.1: no usable NAPTR record: the SRV names of the transports served */
	if (q->nnames == 0)
		q->nnames = cws_srv_names(q->host, q->t.served, 0, q->t.sips, q->names, MAX_NAMES);
	q->iname = 0;
	ask_srv(q, status);
}

static void got_srv(struct cws_dns_query *q, int status, const unsigned char *abuf, int alen)
{
	struct ares_srv_reply *list = NULL;
	size_t n = 0;

	if (status == ARES_SUCCESS && ares_parse_srv_reply(abuf, alen, &list) == ARES_SUCCESS) {
		for (struct ares_srv_reply *r = list; r && n < MAX_SRV; r = r->next, n++) {
			q->srv[n].priority = r->priority;
			q->srv[n].weight = r->weight;
			q->srv[n].port = r->port;
			snprintf(q->srv[n].target, sizeof(q->srv[n].target), "%s", r->host);
		}
		ares_free_data(list);
		note_ttl(q, abuf, alen, ns_t_srv);
	}
	n = n ? cws_srv_order(q->srv, n, next_rnd, q->dns) : 0;
	if (n == 0) { /* RFC 3263 §4.2: the next SRV name, then the host's addresses */
		q->iname++;
		ask_srv(q, status);
		return;
	}
	q->nsrv = n;
	q->isrv = 0;
	q->srv_transport = q->names[q->iname].transport;
	ask_addr(q, status);
}

static void add_hop(struct cws_dns_query *q, int family, const void *addr)
{
	struct cws_hop *h;

	if (q->nhops >= CWS_DNS_MAX_HOPS)
		return;
	h = &q->hops[q->nhops];
	if (!inet_ntop(family, addr, h->ip, sizeof(h->ip)))
		return;
	h->port = q->srv[q->isrv].port;
	h->transport = q->srv_transport;
	q->nhops++;
}

static void got_addr(struct cws_dns_query *q, int status, const unsigned char *abuf, int alen)
{
	if (status == ARES_SUCCESS && q->t.family == AF_INET6) {
		struct ares_addr6ttl a[8];
		int n = 8;

		if (ares_parse_aaaa_reply(abuf, alen, NULL, a, &n) == ARES_SUCCESS)
			for (int i = 0; i < n; i++) {
				add_hop(q, AF_INET6, &a[i].ip6addr);
				if (a[i].ttl >= 0 && (uint32_t)a[i].ttl < q->ttl)
					q->ttl = (uint32_t)a[i].ttl;
			}
	} else if (status == ARES_SUCCESS) {
		struct ares_addrttl a[8];
		int n = 8;

		if (ares_parse_a_reply(abuf, alen, NULL, a, &n) == ARES_SUCCESS)
			for (int i = 0; i < n; i++) {
				add_hop(q, AF_INET, &a[i].ipaddr);
				if (a[i].ttl >= 0 && (uint32_t)a[i].ttl < q->ttl)
					q->ttl = (uint32_t)a[i].ttl;
			}
	}
	q->isrv++;
	ask_addr(q, status);
}

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct cws_dns_query *q = arg;

	q->timeouts += timeouts > 0 && status == ARES_ETIMEOUT;
	if (!q->cancelled && (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED)) {
		q->done(q->arg, -ECANCELED, q->hops, 0); /* cws_dns_free(): the caller lets go */
		free(q);
		return;
	}
	if (q->cancelled) {
		finish(q, status);
		return;
	}
	switch (q->stage) {
	case ST_NAPTR:
		got_naptr(q, status, abuf, alen);
		break;
	case ST_SRV:
		got_srv(q, status, abuf, alen);
		break;
	case ST_ADDR:
		got_addr(q, status, abuf, alen);
		break;
	}
}

static void step(struct cws_dns_query *q, int status)
{
	/* RFC 3263 §4.1, §4.2: an explicit port: the host's addresses only; an explicit
	 * transport: its SRV name only; neither: NAPTR first */
	if (q->t.port) {
		addr_of_host(q, default_transport(q), status);
	} else if (q->t.transport) {
		q->nnames = cws_srv_names(q->host, q->t.served, q->t.transport, q->t.sips, q->names,
		                          MAX_NAMES);
		q->iname = 0;
		ask_srv(q, status);
	} else {
		q->stage = ST_NAPTR;
		ask(q, q->host, ns_t_naptr);
	}
}

int cws_dns_resolve(cws_dns *dns, const struct cws_dns_target *t, uint64_t now_ms,
                    cws_dns_done_fn *done, void *arg, struct cws_hop *hops, size_t *n,
                    cws_dns_query **ret)
{
	struct cws_dns_query *q;
	struct cache_entry *e;
	char key[sizeof(q->key)];

	if (!dns || !t || !t->host || !t->host[0] || strlen(t->host) >= CWS_DNS_NAME_MAX || !done ||
	    !hops || !n || !ret)
		return -EINVAL;
	dns->now_ms = now_ms;
	make_key(t, key, sizeof(key));
	e = cache_find(dns, key, now_ms);
	if (e) {
		memcpy(hops, e->hops, e->n * sizeof(e->hops[0]));
		*n = e->n;
		return 0;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->dns = dns;
	q->done = done;
	q->arg = arg;
	q->t = *t;
	q->ttl = UINT32_MAX;
	snprintf(q->host, sizeof(q->host), "%s", t->host);
	q->t.host = q->host;
	snprintf(q->key, sizeof(q->key), "%s", key);
	q->in_resolve = 1;
	step(q, ARES_SUCCESS);
	q->in_resolve = 0;
	if (q->sync_done) {
		int err = q->sync_err;

		memcpy(hops, q->hops, q->nhops * sizeof(q->hops[0]));
		*n = q->nhops;
		free(q);
		return err;
	}
	*ret = q;
	return 1;
}

void cws_dns_cancel(cws_dns_query *q)
{
	if (q)
		q->cancelled = 1; /* freed at its query's answer (or ares_destroy()) */
}

void cws_dns_process(cws_dns *dns, int fd, uint64_t now_ms)
{
	dns->now_ms = now_ms;
	ares_process_fd(dns->ch, fd, fd);
}

int cws_dns_next_timeout_ms(cws_dns *dns)
{
	struct timeval tv, *tp;

	if (!dns)
		return -1;
	tp = ares_timeout(dns->ch, NULL, &tv);
	if (!tp)
		return -1;
	return (int)(tp->tv_sec * 1000 + (tp->tv_usec + 999) / 1000);
}

void cws_dns_run_timers(cws_dns *dns, uint64_t now_ms)
{
	if (!dns)
		return;
	dns->now_ms = now_ms;
	ares_process_fd(dns->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}
