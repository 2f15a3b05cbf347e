/* SPDX-License-Identifier: MIT */
/*
 * bridge/metrics/http.c — the /metrics server on libmicrohttpd (http.h).
 * MHD_USE_EPOLL without MHD_USE_INTERNAL_POLLING_THREAD is libmicrohttpd's
 * external loop on Linux: its epoll fd (MHD_DAEMON_INFO_EPOLL_FD) goes into
 * the caller's epoll set, MHD_run() does the work without blocking, and
 * MHD_get_timeout() says when MHD_run() is due without the fd (connection
 * time-outs, data already read). One request per connection is small: a
 * connection limit and an idle time-out keep a slow client from holding
 * the loop's resources.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "http.h"

#define CONNECTIONS_MAX 16   /* a Prometheus server or two, and an operator's curl */
#define IDLE_TIMEOUT_S 10

struct cwmet_http {
	struct MHD_Daemon *mhd;
	cwmet_http_body_fn *body;
	void *arg;
	int fd;
	unsigned port;
};

/* RFC 9110 §15.5.5 / §15.5.6: 404 and 405 with a one-line body. */
static enum MHD_Result answer_text(struct MHD_Connection *conn, unsigned status,
                                   const char *text, int allow)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
	                                                         MHD_RESPMEM_PERSISTENT);
	enum MHD_Result rc;

	if (r == NULL)
		return MHD_NO;
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (allow)
		(void)MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
	struct cwmet_http *h = cls;
	struct MHD_Response *r;
	char *body = NULL;
	size_t len = 0;
	enum MHD_Result rc;

	(void)version;
	(void)upload_data;
	if (*req_cls == NULL) {
		/* the first call has the headers only: answer on the next one */
		*req_cls = h;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		/* a body (a POST): read and dropped; the answer comes once it is all in */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (strcmp(url, "/metrics") != 0)
		return answer_text(conn, MHD_HTTP_NOT_FOUND, "not found: the metrics are at /metrics\n", 0);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return answer_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n", 1);
	if (h->body(h->arg, &body, &len) < 0 || body == NULL) {
		free(body);
		return answer_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "metrics not available\n", 0);
	}
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	/* prometheus.io "Exposition formats": the text format's media type */
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	                              "text/plain; version=0.0.4; charset=utf-8");
	rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

/* libmicrohttpd's own messages would go to stderr; the caller logs what start returns. */
static void quiet(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	(void)fmt;
	(void)ap;
}

int cwmet_http_start(const struct cwmet_http_config *cfg, struct cwmet_http **ret)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;
	struct cwmet_http *h;

	if (cfg == NULL || ret == NULL || cfg->address == NULL || cfg->body == NULL || cfg->port > 65535)
		return -EINVAL;
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, cfg->address, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)cfg->port);
	} else if (inet_pton(AF_INET6, cfg->address, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)cfg->port);
		flags |= MHD_USE_IPv6;
	} else {
		return -EINVAL;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return -ENOMEM;
	h->body = cfg->body;
	h->arg = cfg->arg;
	errno = 0;
	h->mhd = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, on_request, h,
	                          MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	                          MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTIONS_MAX,
	                          MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
	                          MHD_OPTION_EXTERNAL_LOGGER, quiet, NULL,
	                          MHD_OPTION_END);
	if (h->mhd == NULL) {
		int e = errno ? errno : EADDRINUSE;

		free(h);
		return -e;
	}
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	h->fd = info ? info->epoll_fd : -1;
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : cfg->port;
	if (h->fd < 0) {
		cwmet_http_stop(h);
		return -ENOTSUP;
	}
	*ret = h;
	return 0;
}

void cwmet_http_stop(struct cwmet_http *h)
{
	if (h == NULL)
		return;
	if (h->mhd)
		MHD_stop_daemon(h->mhd);
	free(h);
}

int cwmet_http_fd(const struct cwmet_http *h)
{
	return h ? h->fd : -1;
}

unsigned cwmet_http_port(const struct cwmet_http *h)
{
	return h ? h->port : 0;
}

long long cwmet_http_timeout_ms(const struct cwmet_http *h)
{
	MHD_UNSIGNED_LONG_LONG t = 0;

	if (h == NULL || MHD_get_timeout(h->mhd, &t) != MHD_YES)
		return -1;
	return t > (MHD_UNSIGNED_LONG_LONG)3600000 ? 3600000 : (long long)t;
}

int cwmet_http_run(struct cwmet_http *h)
{
	if (h == NULL)
		return -EINVAL;
	return MHD_run(h->mhd) == MHD_YES ? 0 : -EIO;
}
