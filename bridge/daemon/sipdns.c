/* SPDX-License-Identifier: MIT */
/*
 * sipdns.c — the SIP leg's lookups of targets given by host name (sipdns.h): bridge/sip's
 * resolver, its sockets watched by the loop (fd_ops) and its timeouts among the loop's.
 */
#include "sipdns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "dns.h"
#include "common/error.h"
#include "log.h"

#define MAX_FDS 16

/* one socket of the resolver, as the loop's watch argument */
struct dns_fd {
	struct cwb *d;
	int fd;
};

struct cwb_sipdns_query {
	cwb_sipdns_done_fn *done;
	void *arg;
	cws_dns_query *q;
};

/* the resolver lives as long as the daemon: one per process */
static struct {
	cws_dns *dns;
	struct dns_fd fds[MAX_FDS];
} state;

static void on_readable(void *arg, uint64_t now)
{
	struct dns_fd *f = arg;

	if (state.dns && f->fd >= 0)
		cws_dns_process(state.dns, f->fd, now);
}

/* ARES_OPT_SOCK_STATE_CB through dns.h: watch fd for what c-ares waits for, or stop. */
static void on_watch(void *arg, int fd, int readable, int writable)
{
	struct cwb *d = arg;
	struct dns_fd *slot = NULL;

	for (size_t i = 0; i < MAX_FDS; i++)
		if (state.fds[i].fd == fd) {
			d->fd_ops->unwatch(d, fd);
			state.fds[i].fd = -1;
		}
	if (!readable && !writable)
		return;
	for (size_t i = 0; i < MAX_FDS && !slot; i++)
		if (state.fds[i].fd < 0)
			slot = &state.fds[i];
	if (!slot) {
		cwb_warning("dns: more than %d resolver sockets: one not watched", MAX_FDS);
		return;
	}
	slot->d = d;
	slot->fd = fd;
	if (d->fd_ops->watch(d, fd, (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0),
	                     on_readable, slot) < 0) {
		cwb_warning("dns: cannot watch a resolver socket: %s", strerror(errno));
		slot->fd = -1;
	}
}

int cwb_sipdns_start(struct cwb *d)
{
	const char *servers = d->cfg->sip.dns_servers;
	int r;

	for (size_t i = 0; i < MAX_FDS; i++)
		state.fds[i].fd = -1;
	r = cws_dns_new(servers, on_watch, d, &state.dns);
	if (r < 0) {
		cwb_error("%s:%u: dns_servers: the resolver did not start: %s", d->cfg->file,
		          d->cfg->sip.dns_servers_line, cwcom_strerror(r));
		state.dns = NULL;
		return 1;
	}
	if (servers && servers[0])
		cwb_info("dns: servers %s", servers);
	return 0;
}

void cwb_sipdns_free(struct cwb *d)
{
	(void)d;
	cws_dns_free(state.dns);
	state.dns = NULL;
}

int cwb_sipdns_next_timeout(const struct cwb *d)
{
	(void)d;
	return cws_dns_next_timeout_ms(state.dns);
}

void cwb_sipdns_run_timers(struct cwb *d)
{
	cws_dns_run_timers(state.dns, d->now_ms);
}

int cwb_sipdns_is_numeric(const char *host)
{
	unsigned char a[16];

	return inet_pton(AF_INET, host, a) == 1 || inet_pton(AF_INET6, host, a) == 1;
}

static size_t copy_hops(const struct cws_hop *from, size_t n, struct cwb_hop *to)
{
	if (n > CWB_MAX_HOPS)
		n = CWB_MAX_HOPS;
	for (size_t i = 0; i < n; i++) {
		memcpy(to[i].ip, from[i].ip, sizeof(to[i].ip));
		to[i].port = from[i].port;
		to[i].transport = from[i].transport; /* CWS_DNS_* = CWCFG_TRANSPORT_* */
	}
	return n;
}

static void on_done(void *arg, int err, const struct cws_hop *hops, size_t n)
{
	struct cwb_sipdns_query *w = arg;
	struct cwb_hop out[CWB_MAX_HOPS];

	n = copy_hops(hops, n, out);
	w->done(w->arg, err, out, n);
	free(w);
}

int cwb_sipdns_locate(struct cwb *d, const struct cwcfg_target *t, cwb_sipdns_done_fn *done,
                      void *arg, struct cwb_hop *hops, size_t *n, struct cwb_sipdns_query **q)
{
	struct cws_dns_target dt;
	struct cws_hop found[CWS_DNS_MAX_HOPS];
	struct cwb_sipdns_query *w;
	size_t nf = 0;
	int r;

	if (!state.dns)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->done = done;
	w->arg = arg;
	memset(&dt, 0, sizeof(dt));
	dt.host = t->host;
	dt.port = t->port;
	dt.transport = t->transport_given ? t->transport : 0;
	dt.sips = t->sips;
	dt.served = d->cfg->sip.transports;
	dt.family = strchr(d->cfg->sip.bind, ':') ? AF_INET6 : AF_INET;
	r = cws_dns_resolve(state.dns, &dt, d->now_ms, on_done, w, found, &nf, &w->q);
	if (r == 1) {
		*q = w;
		return 1;
	}
	free(w);
	*n = r == 0 ? copy_hops(found, nf, hops) : 0;
	return r;
}

void cwb_sipdns_cancel(struct cwb_sipdns_query *w)
{
	if (!w)
		return;
	cws_dns_cancel(w->q);
	free(w);
}
