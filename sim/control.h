/* SPDX-License-Identifier: MIT */
/*
 * control.h — causeway-pstn-sim's control socket: a Unix SOCK_STREAM
 * socket taking text lines (call, drop, hangup, restart, service, status; README.md "Control
 * socket"), each answered with one line "ok ..." or "error ...".
 */
#ifndef SIM_CONTROL_H
#define SIM_CONTROL_H

#include <poll.h>
#include <stddef.h>

#include "calls.h"

#define SIM_CTL_CLIENTS 8
#define SIM_CTL_LINE 512
#define SIM_CTL_POLLFDS (1 + SIM_CTL_CLIENTS) /* the socket, then each client */

struct sim_ctl_client {
	int fd;
	char buf[SIM_CTL_LINE];
	size_t len;
};

struct sim_control {
	int listen_fd;          /* -1: no control socket */
	const char *path;
	struct sim_ctl_client clients[SIM_CTL_CLIENTS];
	struct sim_calls *calls;
};

/* sim_control_init() - no socket yet (sim_control_close() is safe after it). */
void sim_control_init(struct sim_control *ctl, struct sim_calls *calls);

/* sim_control_listen() - listen on path (a socket left there is replaced). 0 or -errno. */
int sim_control_listen(struct sim_control *ctl, const char *path);

/*
 * sim_control_pollfds() - fill pfd[SIM_CTL_POLLFDS]: the socket, then each
 * client slot (fd -1 when unused, which poll() skips).
 */
void sim_control_pollfds(const struct sim_control *ctl, struct pollfd *pfd);

/* sim_control_on_poll() - accept a client and read the clients, per the revents of pfd. */
void sim_control_on_poll(struct sim_control *ctl, const struct pollfd *pfd);

/* sim_control_close() - close every client and the socket, and remove the socket file. */
void sim_control_close(struct sim_control *ctl);

#endif /* SIM_CONTROL_H */
