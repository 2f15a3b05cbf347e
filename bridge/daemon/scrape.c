/* SPDX-License-Identifier: MIT */
/*
 * scrape.c — the /metrics server in the loop (scrape.h): libmicrohttpd's
 * epoll fd is one more fd of the loop (d->fd_ops), its timeout one more
 * timeout, and every wake-up runs it once, so there is no thread and no
 * blocking call. A scrape reads the spans from resources.c at that moment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "http.h"
#include "log.h"
#include "metrics.h"
#include "resources.h"
#include "scrape.h"

static int body(void *arg, char **out, size_t *len)
{
	struct cwb *d = arg;
	struct cwb_metrics_span *spans;
	size_t n = d->cfg->n_spans;
	int r;

	spans = calloc(n ? n : 1, sizeof(*spans));
	if (spans == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		spans[i].number = d->cfg->spans[i].number;
		cwb_resources_span_channels(d->res, i, &spans[i].up, &spans[i].busy, &spans[i].total);
		spans[i].out_of_service = cwb_resources_span_out_of_service(d->res, i);
	}
	/* the running configuration's name: a reload that changes it shows at the next scrape */
	cwb_metrics_node(d->metrics, d->cfg->general.node);
	r = cwb_metrics_format(d->metrics, spans, n, d->ncalls_live, out, len);
	free(spans);
	return r;
}

static void readable(void *arg, uint64_t now)
{
	struct cwb *d = arg;

	(void)now;
	(void)cwmet_http_run(d->scrape);
}

int cwb_scrape_start(struct cwb *d)
{
	const struct cwcfg_general *g = &d->cfg->general;
	struct cwmet_http_config hc;
	int r;

	if (g->metrics_address == NULL)
		return 0;
	r = cwb_metrics_new(&d->metrics);
	if (r < 0) {
		cwb_error("metrics: %s", strerror(-r));
		return 1;
	}
	memset(&hc, 0, sizeof(hc));
	hc.address = g->metrics_address;
	hc.port = g->metrics_port;
	hc.body = body;
	hc.arg = d;
	r = cwmet_http_start(&hc, &d->scrape);
	if (r < 0) {
		cwb_error("%s:%u: cannot listen for metrics on %s port %u: %s", d->cfg->file,
		          g->metrics_line, g->metrics_address, g->metrics_port, strerror(-r));
		return 1;
	}
	if (d->fd_ops->watch(d, cwmet_http_fd(d->scrape), EPOLLIN, readable, d) < 0) {
		cwb_error("epoll_ctl: %s", strerror(errno));
		return 1;
	}
	cwb_notice(strchr(g->metrics_address, ':') ? "metrics: listening on http://[%s]:%u/metrics"
	                                           : "metrics: listening on http://%s:%u/metrics",
	           g->metrics_address, cwmet_http_port(d->scrape));
	return 0;
}

void cwb_scrape_free(struct cwb *d)
{
	if (d->scrape) {
		d->fd_ops->unwatch(d, cwmet_http_fd(d->scrape));
		cwmet_http_stop(d->scrape);
	}
	d->scrape = NULL;
	cwb_metrics_free(d->metrics);
	d->metrics = NULL;
}

long long cwb_scrape_next_timeout(const struct cwb *d)
{
	return d->scrape ? cwmet_http_timeout_ms(d->scrape) : -1;
}

void cwb_scrape_run(struct cwb *d)
{
	if (d->scrape)
		(void)cwmet_http_run(d->scrape);
}
