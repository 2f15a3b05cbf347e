/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/rtp_ports.h — the RTP port range: pairs of an even RTP port
 * and RTP + 1 for RTCP (RFC 3550 §11), taken from a configured LOW-HIGH.
 * A pair in use by a call is never handed out again before it is given
 * back; a pair another program holds (bind() fails with EADDRINUSE) is
 * skipped; the search goes round the range from where the last one ended,
 * so a pair just given back is the last to be reused (late packets of the
 * call before find no one).
 */
#ifndef BRIDGE_MEDIA_RTP_PORTS_H
#define BRIDGE_MEDIA_RTP_PORTS_H

#include <stdint.h>
#include <sys/socket.h>

struct cwm_rtp_ports;

/* "LOW-HIGH", 1024 <= LOW < HIGH <= 65535, room for one even/odd pair at
 * least. 0, or -EINVAL. */
int cwm_rtp_ports_parse(const char *text, uint16_t *low, uint16_t *high);

/* 0, -EINVAL (the range holds no pair), -ENOMEM. */
int cwm_rtp_ports_new(uint16_t low, uint16_t high, struct cwm_rtp_ports **out);
void cwm_rtp_ports_free(struct cwm_rtp_ports *ports);

/*
 * cwm_rtp_ports_open() - two non-blocking UDP sockets bound to the next free
 * pair on addr (its port is ignored). 0 with the fds and the RTP port;
 * -EADDRINUSE when every pair is in use or held; another negative errno
 * when socket() or bind() fails otherwise.
 */
int cwm_rtp_ports_open(struct cwm_rtp_ports *ports, const struct sockaddr *addr, socklen_t len,
                      int *rtp_fd, int *rtcp_fd, uint16_t *rtp_port);

/* The pair of rtp_port is free again (its sockets closed by the caller). */
void cwm_rtp_ports_release(struct cwm_rtp_ports *ports, uint16_t rtp_port);

unsigned cwm_rtp_ports_in_use(const struct cwm_rtp_ports *ports);
unsigned cwm_rtp_ports_capacity(const struct cwm_rtp_ports *ports);

#endif /* BRIDGE_MEDIA_RTP_PORTS_H */
