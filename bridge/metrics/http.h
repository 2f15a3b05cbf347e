/* SPDX-License-Identifier: MIT */
/*
 * bridge/metrics/http.h — the /metrics HTTP server: libmicrohttpd in its
 * external event loop mode on epoll (no thread of its own), so the
 * caller's loop watches one fd, honours one timeout and calls
 * cwmet_http_run(). GET or HEAD /metrics answers 200 with the body the
 * caller formats (Content-Type text/plain; version=0.0.4); another path
 * 404, another method 405. Nothing blocks.
 *
 * Returns are 0 or a negative errno value.
 */
#ifndef BRIDGE_METRICS_HTTP_H
#define BRIDGE_METRICS_HTTP_H

#include <stddef.h>

struct cwmet_http;

/* The exposition at the time of a request: *body malloc'd (the server frees it), *len its
 * length. 0 or a negative errno value (the request is answered 500). */
typedef int cwmet_http_body_fn(void *arg, char **body, size_t *len);

struct cwmet_http_config {
	const char *address;        /* an IPv4 or IPv6 literal */
	unsigned port;              /* 0: a free one (cwmet_http_port()) */
	cwmet_http_body_fn *body;
	void *arg;
};

/* cwmet_http_start() - listen. -EINVAL (not an address), -EADDRINUSE or another errno
 * value from the socket, -ENOMEM. */
int cwmet_http_start(const struct cwmet_http_config *cfg, struct cwmet_http **ret);
/* cwmet_http_stop() - close every connection and the socket; NULL is ignored. */
void cwmet_http_stop(struct cwmet_http *h);

/* cwmet_http_fd() - the fd to watch for EPOLLIN (libmicrohttpd's epoll fd). */
int cwmet_http_fd(const struct cwmet_http *h);
/* cwmet_http_port() - the port listened on. */
unsigned cwmet_http_port(const struct cwmet_http *h);
/* cwmet_http_timeout_ms() - run again within this many ms; -1: only when the fd is readable. */
long long cwmet_http_timeout_ms(const struct cwmet_http *h);
/* cwmet_http_run() - accept, read, answer and close what is ready; never blocks. */
int cwmet_http_run(struct cwmet_http *h);

#endif /* BRIDGE_METRICS_HTTP_H */
