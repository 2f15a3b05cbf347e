/* SPDX-License-Identifier: MIT */
/*
 * scrape.h — the /metrics server of [general] metrics (docs/metrics.md):
 * bridge/metrics's HTTP server on an fd the loop watches, answering each
 * scrape with metrics.c's counters and the gauges of that moment (spans,
 * B-channels from resources.c; calls). Without the key it does nothing.
 */
#ifndef CWB_SCRAPE_H
#define CWB_SCRAPE_H

#include "daemon.h"

/* cwb_scrape_start() - the counters (d->metrics) and the server, when the key is set.
 * 0, or 1 (logged: the address cannot be listened on). */
int cwb_scrape_start(struct cwb *d);
/* cwb_scrape_free() - the server and the counters. */
void cwb_scrape_free(struct cwb *d);
/* cwb_scrape_next_timeout() - ms until the server must run without its fd, -1: none. */
long long cwb_scrape_next_timeout(const struct cwb *d);
/* cwb_scrape_run() - what the server has to do now; never blocks. */
void cwb_scrape_run(struct cwb *d);

#endif /* CWB_SCRAPE_H */
