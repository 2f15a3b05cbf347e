/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/transport.c — UDP socket, TCP and TLS listeners and
 * connections (RFC 3261 §18, §26.3.1), non-blocking, behind one epoll fd.
 *
 * A TLS connection is a TCP connection with an SSL on it: the handshake,
 * SSL_read() and SSL_write() run from the same events, and whichever of them
 * last asked for writability (SSL_ERROR_WANT_WRITE, or EAGAIN on a plain
 * socket) puts EPOLLOUT into the fd's interest until it is retried.
 */
#include "capture/capture.h"
#include "common/error.h"
#include "transport.h"
#include "sip_frame.h"
#include "tls.h"
#include "common/tls_files.h"

#include <causeway/common.h>

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <linux/sock_diag.h> /* SK_MEMINFO_*: SO_MEMINFO, socket(7) */
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>


struct conn {
	int fd;
	enum cws_proto proto;  /* CWS_TCP or CWS_TLS */
	int connecting;
	SSL *ssl;            /* TLS only */
	int handshaking;
	int want_out;        /* the last I/O call waits for writability */
	unsigned interest;   /* the epoll events registered */
	char name[256];      /* TLS client: the name its certificate must carry (SNI) */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	struct sockaddr_storage local; /* our end (the capture's addresses) */
	char ip[64];
	int port;
	char *rx;            /* CWS_TP_MAX_MSG + 1 bytes */
	size_t rx_len;
	char *tx;            /* pending output */
	size_t tx_len, tx_cap;
	long long last_ms;
	struct conn *next;
};

struct cws_transport {
	int ep;
	int udp;
	int lfd;
	int tlfd;            /* TLS listener */
	unsigned protos;     /* CWS_TP_* served */
	int family;
	unsigned port;
	unsigned tls_port;
	cws_tls *tls;
	cws_tp_fail_cb *fail_cb;
	unsigned idle_ms;
	char host[80];
	cws_tp_msg_cb *cb;
	void *user;
	struct conn *conns;
	unsigned nconns;
	char *ubuf;          /* UDP receive buffer */
	cwcap *cap;          /* NULL: no capture */
	struct sockaddr_storage udp_local; /* the UDP socket's bound address */
	int udp_backlog;     /* the UDP receive queue was found long (cws_transport_backlogged) */
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void addr_to_ip(const struct sockaddr_storage *ss, char *ip, size_t iplen, int *port)
{
	ip[0] = 0;
	*port = 0;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)(const void *)ss;
		inet_ntop(AF_INET, &s->sin_addr, ip, (socklen_t)iplen);
		*port = ntohs(s->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)(const void *)ss;
		inet_ntop(AF_INET6, &s->sin6_addr, ip, (socklen_t)iplen);
		*port = ntohs(s->sin6_port);
	}
}

/* Numeric host (brackets allowed) and port to a sockaddr. */
static int make_addr(const char *host, int port, struct sockaddr_storage *ss, socklen_t *len)
{
	char h[80];
	size_t n;
	struct addrinfo hints, *res = NULL;
	char ps[16];

	if (host == NULL || port <= 0 || port > 65535)
		return -EINVAL;
	n = strlen(host);
	if (n >= sizeof(h))
		return -EINVAL;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		memcpy(h, host + 1, n - 2);
		h[n - 2] = 0;
	} else {
		memcpy(h, host, n + 1);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_family = AF_UNSPEC;
	snprintf(ps, sizeof(ps), "%d", port);
	if (getaddrinfo(h, ps, &hints, &res) != 0 || res == NULL)
		return -EINVAL;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static int ep_add(cws_transport *tp, int fd, unsigned events)
{
	struct epoll_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.fd = fd;
	return epoll_ctl(tp->ep, EPOLL_CTL_ADD, fd, &ev);
}

static void ep_mod(cws_transport *tp, int fd, unsigned events)
{
	struct epoll_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.fd = fd;
	epoll_ctl(tp->ep, EPOLL_CTL_MOD, fd, &ev);
}

/* The TLS listener on its own port (RFC 3261 §26.3.1: 5061 by default). */
static int listen_tls(cws_transport *tp, const struct sockaddr_storage *addr, socklen_t len,
                      unsigned port)
{
	struct sockaddr_storage ss = *addr, b;
	socklen_t bl = sizeof(b);
	int one = 1, p;
	char ip[64];

	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)(void *)&ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)(void *)&ss)->sin6_port = htons((uint16_t)port);
	tp->tlfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (tp->tlfd < 0)
		return -1;
	setsockopt(tp->tlfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(tp->tlfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(tp->tlfd, (struct sockaddr *)&ss, len) != 0 || listen(tp->tlfd, 128) != 0 ||
	    getsockname(tp->tlfd, (struct sockaddr *)&b, &bl) != 0)
		return -1;
	addr_to_ip(&b, ip, sizeof(ip), &p);
	tp->tls_port = (unsigned)p;
	return ep_add(tp, tp->tlfd, EPOLLIN);
}

int cws_transport_new(cws_transport **ret, const char *address, unsigned port,
                         unsigned protos, unsigned idle_ms, cws_tp_msg_cb *cb, void *user)
{
	return cws_transport_new_tls(ret, address, port, protos, idle_ms, cb, user, NULL, NULL);
}

int cws_transport_new_tls(cws_transport **ret, const char *address, unsigned port,
                             unsigned protos, unsigned idle_ms, cws_tp_msg_cb *cb, void *user,
                             const struct cws_tls_options *tls, cws_tp_fail_cb *fail_cb)
{
	cws_transport *tp;
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, p;
	char ip[64];

	if (protos == 0)
		protos = CWS_TP_UDP | CWS_TP_TCP;
	if (ret == NULL || address == NULL || cb == NULL || port > 65535 ||
	    (protos & ~(CWS_TP_UDP | CWS_TP_TCP | CWS_TP_TLS)) != 0 ||
	    ((protos & CWS_TP_TLS) && (tls == NULL || tls->port > 65535)))
		return -EINVAL;
	if (make_addr(address, port ? (int)port : 1, &ss, &len) != 0)
		return -EINVAL;
	tp = calloc(1, sizeof(*tp));
	if (tp == NULL)
		return -ENOMEM;
	tp->ep = tp->udp = tp->lfd = tp->tlfd = -1;
	tp->protos = protos;
	tp->fail_cb = fail_cb;
	tp->cb = cb;
	tp->user = user;
	tp->idle_ms = idle_ms ? idle_ms : 300000;
	tp->family = ss.ss_family;
	tp->ubuf = malloc(CWS_TP_MAX_MSG + 1);
	if (tp->ubuf == NULL)
		goto fail_nomem;
	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)(void *)&ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)(void *)&ss)->sin6_port = htons((uint16_t)port);

	tp->ep = epoll_create1(EPOLL_CLOEXEC);
	tp->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (tp->ep < 0 || tp->lfd < 0)
		goto fail;
	setsockopt(tp->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(tp->lfd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	/* Port 0: bind TCP first, then UDP on the same number; retry if taken.
	   Both are bound even when one is left out, so that the port is the same
	   whichever is served; the one left out is closed below, and a TCP socket
	   left out never listens. */
	for (int attempt = 0; attempt < 20; attempt++) {
		struct sockaddr_storage b;
		socklen_t bl = sizeof(b);
		if (bind(tp->lfd, (struct sockaddr *)&ss, len) != 0 ||
		    ((protos & CWS_TP_TCP) && listen(tp->lfd, 128) != 0))
			goto fail;
		getsockname(tp->lfd, (struct sockaddr *)&b, &bl);
		addr_to_ip(&b, ip, sizeof(ip), &p);
		tp->port = (unsigned)p;
		tp->udp = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (tp->udp < 0)
			goto fail;
		if (ss.ss_family == AF_INET6)
			setsockopt(tp->udp, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		memcpy(&b, &ss, len);
		if (b.ss_family == AF_INET)
			((struct sockaddr_in *)(void *)&b)->sin_port = htons((uint16_t)p);
		else
			((struct sockaddr_in6 *)(void *)&b)->sin6_port = htons((uint16_t)p);
		if (bind(tp->udp, (struct sockaddr *)&b, len) == 0)
			break;
		close(tp->udp);
		tp->udp = -1;
		if (port != 0)
			goto fail;
		/* the UDP port was taken: new TCP socket, new port */
		close(tp->lfd);
		tp->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (tp->lfd < 0)
			goto fail;
	}
	if (tp->udp < 0)
		goto fail;
	{
		int sz = 4 * 1024 * 1024;
		setsockopt(tp->udp, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	}
	if (ss.ss_family == AF_INET6)
		snprintf(tp->host, sizeof(tp->host), "[%s]", ip);
	else
		snprintf(tp->host, sizeof(tp->host), "%s", ip);
	if (!(protos & CWS_TP_UDP)) {
		close(tp->udp);
		tp->udp = -1;
	}
	if (!(protos & CWS_TP_TCP)) {
		close(tp->lfd);
		tp->lfd = -1;
	}
	if ((tp->udp >= 0 && ep_add(tp, tp->udp, EPOLLIN) != 0) ||
	    (tp->lfd >= 0 && ep_add(tp, tp->lfd, EPOLLIN) != 0))
		goto fail;
	if (protos & CWS_TP_TLS) {
		char err[320];
		if (cws_tls_new(&tp->tls, tls, err, sizeof(err)) != 0) {
			cws_transport_free(tp);
			return -EINVAL;
		}
		if (listen_tls(tp, &ss, len, tls->port) != 0)
			goto fail;
	}
	*ret = tp;
	return 0;
fail_nomem:
	cws_transport_free(tp);
	return -ENOMEM;
fail:
	cws_transport_free(tp);
	return CWCOM_ELIMIT;
}

static void conn_close(cws_transport *tp, struct conn *c)
{
	struct conn **pp;
	for (pp = &tp->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	epoll_ctl(tp->ep, EPOLL_CTL_DEL, c->fd, NULL);
	cwcap_tcp_closed(tp->cap, (struct sockaddr *)&c->local, (struct sockaddr *)&c->addr);
	SSL_free(c->ssl);
	close(c->fd);
	free(c->rx);
	free(c->tx);
	free(c);
	tp->nconns--;
}

void cws_transport_free(cws_transport *tp)
{
	if (tp == NULL)
		return;
	while (tp->conns)
		conn_close(tp, tp->conns);
	if (tp->udp >= 0)
		close(tp->udp);
	if (tp->lfd >= 0)
		close(tp->lfd);
	if (tp->tlfd >= 0)
		close(tp->tlfd);
	cws_tls_free(tp->tls);
	if (tp->ep >= 0)
		close(tp->ep);
	free(tp->ubuf);
	free(tp);
}

void cws_transport_set_capture(cws_transport *tp, cwcap *cap)
{
	socklen_t l = sizeof(tp->udp_local);

	tp->cap = cap;
	memset(&tp->udp_local, 0, sizeof(tp->udp_local));
	if (tp->udp >= 0)
		getsockname(tp->udp, (struct sockaddr *)&tp->udp_local, &l);
}

int cws_transport_fd(const cws_transport *tp) { return tp->ep; }
int cws_transport_udp_fd(const cws_transport *tp) { return tp->udp; }
int cws_transport_listen_fd(const cws_transport *tp) { return tp->lfd; }
unsigned cws_transport_port(const cws_transport *tp) { return tp->port; }
unsigned cws_transport_tls_port(const cws_transport *tp) { return tp->tls_port; }
int cws_transport_tls_listen_fd(const cws_transport *tp) { return tp->tlfd; }
const char *cws_transport_host(const cws_transport *tp) { return tp->host; }

static struct conn *conn_new(cws_transport *tp, int fd, const struct sockaddr_storage *ss,
                             socklen_t len)
{
	struct conn *c;
	int one = 1;
	socklen_t ll = sizeof(c->local);
	if (tp->nconns >= CWS_TP_MAX_CONNS)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return NULL;
	c->rx = malloc(CWS_TP_MAX_MSG + 1);
	if (c->rx == NULL) {
		free(c);
		return NULL;
	}
	c->fd = fd;
	c->proto = CWS_TCP;
	memcpy(&c->addr, ss, len);
	c->addrlen = len;
	getsockname(fd, (struct sockaddr *)&c->local, &ll);
	addr_to_ip(ss, c->ip, sizeof(c->ip), &c->port);
	c->last_ms = now_ms();
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->next = tp->conns;
	tp->conns = c;
	tp->nconns++;
	return c;
}

static struct conn *conn_by_fd(cws_transport *tp, int fd)
{
	for (struct conn *c = tp->conns; c; c = c->next)
		if (c->fd == fd)
			return c;
	return NULL;
}

/* EPOLLOUT only while something waits for writability. */
static void conn_interest(cws_transport *tp, struct conn *c)
{
	unsigned ev = EPOLLIN;
	if (c->connecting || c->want_out)
		ev |= EPOLLOUT;
	if (ev != c->interest) {
		ep_mod(tp, c->fd, ev);
		c->interest = ev;
	}
}

/* After an SSL call returned r <= 0: 1 if it only waits for the socket
   (SSL_ERROR_WANT_WRITE asks for EPOLLOUT, SSL_ERROR_WANT_READ for EPOLLIN,
   which is always watched), 0 if the connection failed. */
static int tls_waits(struct conn *c, int r)
{
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_WRITE:
		c->want_out = 1;
		return 1;
	case SSL_ERROR_WANT_READ:
		return 1;
	default:
		return 0;
	}
}

/* Write what is queued, as far as the socket takes it now. 0, or -1 when
   the connection failed. */
static int conn_flush(cws_transport *tp, struct conn *c)
{
	while (c->tx_len > 0) {
		ssize_t w;
		if (c->ssl) {
			int r;
			ERR_clear_error();  /* SSL_get_error() reads this thread's queue */
			r = SSL_write(c->ssl, c->tx, c->tx_len > INT_MAX ? INT_MAX : (int)c->tx_len);
			if (r <= 0) {
				if (!tls_waits(c, r))
					return -1;
				break;  /* retried with the same bytes at the front */
			}
			w = r;
		} else {
			w = send(c->fd, c->tx, c->tx_len, MSG_NOSIGNAL);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				if (errno != EAGAIN && errno != EWOULDBLOCK)
					return -1;
				c->want_out = 1;
				break;
			}
		}
		cwcap_tcp(tp->cap, 1, (struct sockaddr *)&c->local, (struct sockaddr *)&c->addr, c->tx,
		          (size_t)w);
		memmove(c->tx, c->tx + w, c->tx_len - (size_t)w);
		c->tx_len -= (size_t)w;
	}
	conn_interest(tp, c);
	return 0;
}

/* Bytes read (> 0), 0 when nothing can be read now, -1 when the connection
   ended or failed. */
static ssize_t conn_recv(struct conn *c, char *buf, size_t len)
{
	if (c->ssl) {
		int r;
		ERR_clear_error();
		r = SSL_read(c->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
		if (r > 0)
			return r;
		return tls_waits(c, r) ? 0 : -1;  /* else close_notify, EOF or an error */
	}
	for (;;) {
		ssize_t r = recv(c->fd, buf, len, 0);
		if (r > 0)
			return r;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return -1;
	}
}

/* Returns -1 if the connection was closed. */
static int conn_read(cws_transport *tp, struct conn *c)
{
	for (;;) {
		ssize_t r;
		size_t m;
		if (c->rx_len >= CWS_TP_MAX_MSG) {
			conn_close(tp, c);
			return -1;
		}
		r = conn_recv(c, c->rx + c->rx_len, CWS_TP_MAX_MSG - c->rx_len);
		if (r == 0)
			return 0;
		if (r < 0) {
			conn_close(tp, c);
			return -1;
		}
		cwcap_tcp(tp->cap, 0, (struct sockaddr *)&c->local, (struct sockaddr *)&c->addr,
		          c->rx + c->rx_len, (size_t)r);
		c->rx_len += (size_t)r;
		c->last_ms = now_ms();
		for (;;) {
			struct cws_peer peer;
			char save;
			/* skip keep-alive CRLFs between messages (RFC 5626 §3.5.1) */
			size_t skip = cws_frame_keepalive_len(c->rx, c->rx_len);
			if (skip) {
				memmove(c->rx, c->rx + skip, c->rx_len - skip);
				c->rx_len -= skip;
			}
			if (cws_frame_message(c->rx, c->rx_len, &m) != 0) {
				conn_close(tp, c);
				return -1;
			}
			if (m == 0)
				break;
			peer.proto = c->proto;
			peer.sock = c->fd;
			snprintf(peer.ip, sizeof(peer.ip), "%s", c->ip);
			peer.port = c->port;
			cwcap_tcp_message(tp->cap, 0, (struct sockaddr *)&c->local,
			                  (struct sockaddr *)&c->addr, c->rx, m);
			save = c->rx[m];
			c->rx[m] = 0;
			{
				int fd = c->fd;
				tp->cb(tp->user, c->rx, m, &peer);
				/* the callback may have sent on, but not closed, c */
				if (conn_by_fd(tp, fd) != c)
					return -1;
			}
			c->rx[m] = save;
			memmove(c->rx, c->rx + m, c->rx_len - m);
			c->rx_len -= m;
		}
	}
}

/* A TLS connection we opened failed before it was usable: closed, then the
   owner told which address it was to (the one sent to) and why. */
static void conn_fail(cws_transport *tp, struct conn *c, const char *why)
{
	char host[sizeof(c->ip)];
	int port = c->port, tell = c->ssl && c->name[0];
	snprintf(host, sizeof(host), "%s", c->ip);
	conn_close(tp, c);
	if (tell && tp->fail_cb)
		tp->fail_cb(tp->user, CWS_TLS, host, port, why);
}


/* One step of the TLS handshake (RFC 3261 §26.3.1); a client checks the
   server's certificate at its end. 0: done or waiting, -1: failed. */
static int conn_handshake(struct conn *c, char *why, size_t len)
{
	int r;
	ERR_clear_error();
	r = SSL_do_handshake(c->ssl);
	if (r == 1) {
		c->handshaking = 0;
		return c->name[0] ? cws_tls_check_server(c->ssl, c->name, why, len) : 0;
	}
	if (tls_waits(c, r))
		return 0;
	snprintf(why, len, "TLS handshake: ");
	cwcom_tls_last_error(why + strlen(why), len - strlen(why), "closed by the peer");
	return -1;
}

static void conn_event(cws_transport *tp, struct conn *c, unsigned events)
{
	char why[300];

	c->want_out = 0;
	if (c->connecting) {
		int err = 0;
		socklen_t el = sizeof(err);
		if (!(events & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
			return;
		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err || (events & (EPOLLHUP | EPOLLERR))) {
			snprintf(why, sizeof(why), "connect: %s", strerror(err ? err : ECONNREFUSED));
			conn_fail(tp, c, why);
			return;
		}
		c->connecting = 0;
	}
	if (c->handshaking) {
		if (conn_handshake(c, why, sizeof(why)) != 0) {
			conn_fail(tp, c, why);
			return;
		}
		if (c->handshaking) {
			conn_interest(tp, c);
			return;
		}
	}
	/* SSL_read() may be waiting on an EPOLLOUT: a TLS connection reads on any event */
	if ((c->ssl || (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) && conn_read(tp, c) != 0)
		return;
	if (conn_flush(tp, c) != 0)
		conn_close(tp, c);
}

static void accept_all(cws_transport *tp, int lfd, enum cws_proto proto)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		struct conn *c;
		int cfd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0)
			break;
		c = conn_new(tp, cfd, &ss, sl);
		if (c == NULL) {
			close(cfd);
			continue;
		}
		c->proto = proto;
		c->interest = EPOLLIN;
		if (proto == CWS_TLS) {
			c->ssl = cws_tls_server(tp->tls, cfd);
			c->handshaking = 1;
		}
		if ((proto == CWS_TLS && c->ssl == NULL) || ep_add(tp, cfd, EPOLLIN) != 0)
			conn_close(tp, c);
	}
}

int cws_backlog_next(int was, unsigned long queued, unsigned long rcvbuf)
{
	if (rcvbuf == 0)
		return 0;
	if (queued >= rcvbuf / CWS_BACKLOG_ON_PART)
		return 1;
	return was && queued >= rcvbuf / CWS_BACKLOG_OFF_PART;
}

/* The UDP receive queue against its limit (SO_MEMINFO: what the kernel holds for the
 * socket, skb overhead included, and the buffer it may hold); unchanged if unreadable. */
static void udp_backlog_measure(cws_transport *tp)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t sl = sizeof(mem);

	if (getsockopt(tp->udp, SOL_SOCKET, SO_MEMINFO, mem, &sl) == 0 &&
	    sl >= (socklen_t)((SK_MEMINFO_RCVBUF + 1) * sizeof(mem[0])))
		tp->udp_backlog = cws_backlog_next(tp->udp_backlog, mem[SK_MEMINFO_RMEM_ALLOC],
		                                   mem[SK_MEMINFO_RCVBUF]);
}

int cws_transport_backlogged(const cws_transport *tp)
{
	return tp && tp->udp_backlog;
}

int cws_transport_on_readable(cws_transport *tp)
{
	struct epoll_event evs[64];
	int n, loops = 0;

	while ((n = epoll_wait(tp->ep, evs, 64, 0)) > 0 && loops++ < 16) {
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			if (fd == tp->udp) {
				for (int k = 0; k < 256; k++) {
					struct sockaddr_storage ss;
					socklen_t sl = sizeof(ss);
					struct cws_peer peer;
					ssize_t r;

					if (k % CWS_BACKLOG_EVERY == 0)
						udp_backlog_measure(tp);
					r = recvfrom(tp->udp, tp->ubuf, CWS_TP_MAX_MSG, 0,
					             (struct sockaddr *)&ss, &sl);
					if (r < 0) {
						tp->udp_backlog = 0; /* read to the end */
						break;
					}
					cwcap_udp(tp->cap, 0, (struct sockaddr *)&tp->udp_local,
					          (struct sockaddr *)&ss, tp->ubuf, (size_t)r);
					tp->ubuf[r] = 0;
					peer.proto = CWS_UDP;
					peer.sock = tp->udp;
					addr_to_ip(&ss, peer.ip, sizeof(peer.ip), &peer.port);
					if (r > 4)  /* ignore keep-alives */
						tp->cb(tp->user, tp->ubuf, (size_t)r, &peer);
				}
			} else if (fd == tp->lfd) {
				accept_all(tp, tp->lfd, CWS_TCP);
			} else if (fd == tp->tlfd) {
				accept_all(tp, tp->tlfd, CWS_TLS);
			} else {
				struct conn *c = conn_by_fd(tp, fd);
				if (c != NULL)
					conn_event(tp, c, evs[i].events);
			}
		}
	}
	return 0;
}

int cws_transport_next_timeout_ms(const cws_transport *tp)
{
	long long now, best = -1;
	if (tp->conns == NULL)
		return -1;
	now = now_ms();
	for (const struct conn *c = tp->conns; c; c = c->next) {
		long long left = c->last_ms + tp->idle_ms - now;
		if (left < 0)
			left = 0;
		if (best < 0 || left < best)
			best = left;
	}
	return (int)(best > 3600000 ? 3600000 : best);
}

int cws_transport_on_timeout(cws_transport *tp)
{
	long long now = now_ms();
	struct conn *c = tp->conns, *next;
	for (; c; c = next) {
		next = c->next;
		if (now - c->last_ms >= (long long)tp->idle_ms)
			conn_close(tp, c);
	}
	return cws_transport_next_timeout_ms(tp);
}

static int tx_append(struct conn *c, const char *buf, size_t len)
{
	if (c->tx_len + len > 4 * CWS_TP_MAX_MSG)
		return CWCOM_ELIMIT;
	if (c->tx_len + len > c->tx_cap) {
		size_t cap = c->tx_cap ? c->tx_cap : 4096;
		char *t;
		while (cap < c->tx_len + len)
			cap *= 2;
		t = realloc(c->tx, cap);
		if (t == NULL)
			return -ENOMEM;
		c->tx = t;
		c->tx_cap = cap;
	}
	memcpy(c->tx + c->tx_len, buf, len);
	c->tx_len += len;
	return 0;
}

static int same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	{
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
	}
}

/* An open connection for proto to ss (RFC 3261 §18: reused per peer); a TLS
   one we opened only if its certificate was checked for the same name. */
static struct conn *conn_to(cws_transport *tp, enum cws_proto proto,
                            const struct sockaddr_storage *ss, const char *name)
{
	for (struct conn *k = tp->conns; k; k = k->next)
		if (k->proto == proto && same_addr(&k->addr, ss) &&
		    (proto != CWS_TLS || k->name[0] == 0 || strcasecmp(k->name, name) == 0))
			return k;
	return NULL;
}

/* A new non-blocking connection to ss, output queued until it is up; TLS
   sends name as SNI (RFC 6066 §3) and checks the certificate against it. */
static int conn_open(cws_transport *tp, enum cws_proto proto,
                     const struct sockaddr_storage *ss, socklen_t sl, const char *name,
                     const char *buf, size_t len)
{
	struct conn *c;
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return CWCOM_ELIMIT;
	if (connect(fd, (const struct sockaddr *)ss, sl) != 0 && errno != EINPROGRESS) {
		close(fd);
		return CWCOM_ELIMIT;
	}
	c = conn_new(tp, fd, ss, sl);
	if (c == NULL) {
		close(fd);
		return -ENOMEM;
	}
	c->proto = proto;
	c->connecting = 1;
	c->interest = EPOLLIN | EPOLLOUT;
	if (proto == CWS_TLS) {
		snprintf(c->name, sizeof(c->name), "%s", name);
		c->ssl = cws_tls_client(tp->tls, fd, name);
		c->handshaking = 1;
	}
	if ((proto == CWS_TLS && c->ssl == NULL) || ep_add(tp, fd, c->interest) != 0) {
		conn_close(tp, c);
		return CWCOM_ELIMIT;
	}
	cwcap_tcp_message(tp->cap, 1, (struct sockaddr *)&c->local, (struct sockaddr *)&c->addr,
	                  buf, len);
	return tx_append(c, buf, len);
}

int cws_transport_send(cws_transport *tp, enum cws_proto proto, int sock,
                          const char *host, int port, const char *buf, size_t len)
{
	return cws_transport_send_named(tp, proto, sock, host, port, NULL, buf, len);
}

int cws_transport_send_named(cws_transport *tp, enum cws_proto proto, int sock,
                             const char *host, int port, const char *name, const char *buf,
                             size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	struct conn *c = NULL;
	int have_addr = make_addr(host, port, &ss, &sl) == 0;

	if (name == NULL || name[0] == 0)
		name = host;
	if (proto == CWS_UDP) {
		if (!have_addr || ss.ss_family != tp->family || tp->udp < 0)
			return -EINVAL;
		if (sendto(tp->udp, buf, len, 0, (struct sockaddr *)&ss, sl) < 0)
			return CWCOM_ELIMIT;
		cwcap_udp(tp->cap, 1, (struct sockaddr *)&tp->udp_local, (struct sockaddr *)&ss, buf,
		          len);
		return 0;
	}
	/* RFC 3261 §18.2.2: a response goes back over the connection its
	   request came on, whatever the Via says */
	if (sock >= 0)
		c = conn_by_fd(tp, sock);
	if (c == NULL && !(tp->protos & (proto == CWS_TLS ? CWS_TP_TLS : CWS_TP_TCP)))
		return -EINVAL;
	if (c == NULL && have_addr)
		c = conn_to(tp, proto, &ss, name);
	if (c == NULL) {
		if (!have_addr || ss.ss_family != tp->family)
			return -EINVAL;
		return conn_open(tp, proto, &ss, sl, name, buf, len);
	}
	c->last_ms = now_ms();
	if (tx_append(c, buf, len) != 0)
		return CWCOM_ELIMIT;
	cwcap_tcp_message(tp->cap, 1, (struct sockaddr *)&c->local, (struct sockaddr *)&c->addr,
	                  buf, len);
	if (!c->connecting && !c->handshaking && conn_flush(tp, c) != 0) {
		conn_close(tp, c);
		return CWCOM_ELIMIT;
	}
	return 0;
}
