/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/dns.h — RFC 3263 §4 server location on c-ares, without blocking:
 * the caller's loop watches the resolver's sockets (watch callback) and takes
 * cws_dns_next_timeout_ms() into its timeout. Answers are kept for their TTL.
 */
#ifndef BRIDGE_SIP_DNS_H
#define BRIDGE_SIP_DNS_H
#include <stddef.h>
#include <stdint.h>
#include "rfc3263.h"

typedef struct cws_dns cws_dns;
typedef struct cws_dns_query cws_dns_query;

#define CWS_DNS_MAX_HOPS 16

/* One address to send to: numeric, the port and the transport (a CWS_DNS_* bit). */
struct cws_hop {
	char ip[64];
	unsigned port;
	unsigned transport;
};

/* What to locate: sip:HOST[:PORT][;transport=T] or sips:. */
struct cws_dns_target {
	const char *host;      /* a host name (numeric hosts need no lookup) */
	unsigned port;         /* 0: not in the URI (RFC 3263 §4.2: SRV, or 5060/5061) */
	unsigned transport;    /* 0: not in the URI (§4.1: NAPTR); else a CWS_DNS_* bit */
	int sips;
	unsigned served;       /* CWS_DNS_* bits this client can use */
	int family;            /* AF_INET or AF_INET6: the addresses wanted */
};

/* watch() - the resolver wants fd watched for reading (and writing), or not at all. */
typedef void cws_dns_watch_fn(void *arg, int fd, int readable, int writable);
/* done() - the answer: err 0 and n >= 1 hops in the order to try, or -ENOENT, -ETIMEDOUT,
 * -EIO with none; -ECANCELED from cws_dns_free(). Not called after cws_dns_cancel(). */
typedef void cws_dns_done_fn(void *arg, int err, const struct cws_hop *hops, size_t n);

/*
 * cws_dns_new() - a resolver. servers: "ADDR[:PORT],..." or NULL for resolv.conf.
 * 0, -ENOMEM, -EINVAL (servers), -EIO (c-ares could not start).
 */
int cws_dns_new(const char *servers, cws_dns_watch_fn *watch, void *watch_arg, cws_dns **ret);
void cws_dns_free(cws_dns *dns);

/*
 * cws_dns_resolve() - locate t at now_ms. A cached answer: returns 0 with hops and *n
 * written, no callback. Else 1: done(arg, ...) is called later from cws_dns_process() or
 * cws_dns_run_timers(), and *q is the query (cws_dns_cancel() before arg goes away).
 * -EINVAL, -ENOMEM; -ENOENT, -ETIMEDOUT, -EIO when c-ares failed at once.
 */
int cws_dns_resolve(cws_dns *dns, const struct cws_dns_target *t, uint64_t now_ms,
                    cws_dns_done_fn *done, void *arg, struct cws_hop *hops, size_t *n,
                    cws_dns_query **q);
/* cws_dns_cancel() - done() will not be called for q. */
void cws_dns_cancel(cws_dns_query *q);

/* cws_dns_process() - fd (given to watch()) is ready. */
void cws_dns_process(cws_dns *dns, int fd, uint64_t now_ms);
/* cws_dns_next_timeout_ms() - ms until the resolver needs cws_dns_run_timers(), -1 none. */
int cws_dns_next_timeout_ms(cws_dns *dns);
void cws_dns_run_timers(cws_dns *dns, uint64_t now_ms);

#endif /* BRIDGE_SIP_DNS_H */
