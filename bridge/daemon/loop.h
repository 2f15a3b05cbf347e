/* SPDX-License-Identifier: MIT */
/*
 * loop.h — one thread, one epoll loop: the legs' fds (watched for them
 * through d->fd_ops), a signalfd, the clock. The loop reads the time once
 * per wake-up and passes it down (d->now_ms, and as arguments).
 */
#ifndef CWB_LOOP_H
#define CWB_LOOP_H

#include "daemon.h"

/* cwb_loop_open() - epoll, the signalfd (SIGTERM, SIGINT, SIGHUP), d->fd_ops, the clock;
 * 0, or 1 (fatal: logged). */
int cwb_loop_open(struct cwb *d);
/* cwb_check_ready() - log "ready" once SIP is bound and every span was up once. */
void cwb_check_ready(struct cwb *d);
/* cwb_run() - the loop, until a signal's shutdown is over. 0, or 1 on a fatal error. */
int cwb_run(struct cwb *d);
/* cwb_loop_close() - close what cwb_loop_open() opened (safe after a failed open). */
void cwb_loop_close(struct cwb *d);

#endif /* CWB_LOOP_H */
