/* SPDX-License-Identifier: MIT */
/*
 * sipdns.h — where an ISDN->SIP target given by host name is (RFC 3263 §4): bridge/sip's
 * resolver (dns.h, c-ares) on the loop's fds and deadlines, never blocking. The SIP leg
 * (sipside.c) asks, each address found is one attempt of the call (README "Failover").
 */
#ifndef CWB_SIPDNS_H
#define CWB_SIPDNS_H
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "daemon.h"

#define CWB_MAX_HOPS 16

/* One address to send to: numeric, a port, a CWCFG_TRANSPORT_* bit. */
struct cwb_hop {
	char ip[64];
	unsigned port;
	unsigned transport;
};

struct cwb_sipdns_query;

/* done() - err 0 and n >= 1 hops in failover order, or -ENOENT / -ETIMEDOUT / -EIO. */
typedef void cwb_sipdns_done_fn(void *arg, int err, const struct cwb_hop *hops, size_t n);

/* cwb_sipdns_start() - the resolver on [sip] dns_servers (none: resolv.conf); 0 or 1
 * (fatal: logged). */
int cwb_sipdns_start(struct cwb *d);
void cwb_sipdns_free(struct cwb *d);
/* cwb_sipdns_next_timeout() - ms until the resolver's next timeout; -1 none. */
int cwb_sipdns_next_timeout(const struct cwb *d);
/* cwb_sipdns_run_timers() - the resolver's due timeouts (a server that did not answer). */
void cwb_sipdns_run_timers(struct cwb *d);

/* cwb_sipdns_is_numeric() - 1 when host is an IPv4 or IPv6 literal (no lookup). */
int cwb_sipdns_is_numeric(const char *host);

/*
 * cwb_sipdns_locate() - the addresses of target t (its host a name). 0: known now (cached,
 * or a failure at once: then the negative error), hops and *n written. 1: done(arg, ...)
 * comes later from the loop, *q is the lookup (cwb_sipdns_cancel() before arg goes).
 */
int cwb_sipdns_locate(struct cwb *d, const struct cwcfg_target *t, cwb_sipdns_done_fn *done,
                      void *arg, struct cwb_hop *hops, size_t *n, struct cwb_sipdns_query **q);
void cwb_sipdns_cancel(struct cwb_sipdns_query *q);

#endif /* CWB_SIPDNS_H */
