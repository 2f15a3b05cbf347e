/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/rtp_session.h — the RTP/RTCP of one call (RFC 3550, RFC 3551
 * PCMU/PCMA, RFC 4733 events): one socket pair from a port range, symmetric
 * RTP (RFC 4961) with latching, the playout buffer toward the TDM side and
 * TDM-clocked sending toward SIP.
 *
 * No thread, no clock: the caller's epoll loop watches the two fds
 * (cw_rtp_session_fds()), calls cw_rtp_session_read_rtp()/_read_rtcp() when
 * they are readable, cw_rtp_session_on_timer() at the deadline of
 * cw_rtp_session_deadline_us(), and every 20 ms of its TDM clock moves one
 * frame each way with cw_rtp_session_put_frame() and _get_frame(). Every
 * `now_us` is the loop's monotonic time in microseconds.
 *
 * Latching (README.md "Latching"): the remote address comes from the offer
 * or answer (cw_rtp_session_set_remote()); the first valid RTP packet (RTP
 * version 2, a negotiated payload type) from anywhere fixes the remote
 * address and SSRC, whoever sent it: a NATed phone's packets come from its
 * public address, not the one in its SDP. After that, packets from another
 * address are dropped, except once per SSRC change: a packet with a new
 * SSRC from a new address after the latched source was quiet for
 * relatch_quiet_ms moves the latch. RTCP is taken only from the latched
 * IP address and answered where it comes from; RTCP never moves the latch.
 */
#ifndef CW_MEDIA_RTP_SESSION_H
#define CW_MEDIA_RTP_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "g711.h"
#include "rtcp.h"
#include "rtp_event.h"
#include "rtp_jb.h"
#include "rtp_ports.h"

struct cw_rtp_session_config {
	struct cw_rtp_ports *ports;       /* not owned */
	const struct sockaddr *local;     /* the address to bind (port ignored) */
	socklen_t local_len;
	enum cw_g711_law law;             /* PCMU or PCMA, both ways */
	int event_pt;                     /* telephone-event payload type 96..127, -1: none */
	unsigned ptime_ms;                /* 10, 20 or 30 toward SIP; 0: 20 */
	struct cw_jb_config jb;
	uint32_t ssrc;                    /* random, from the caller (RFC 3550 §8.1) */
	uint32_t initial_seq, initial_ts; /* random too (§5.1) */
	const char *cname;                /* RFC 3550 §6.5.1, e.g. "causeway@host" */
	int64_t unix_offset_us;           /* unix time = now_us + this, for SR NTP times */
	uint32_t seed;                    /* of the RTCP interval's randomisation */
	unsigned relatch_quiet_ms;        /* 0: 500 */
	bool use_mmsg;                    /* recvmmsg()/sendmmsg() instead of one call a packet */
};

struct cw_rtp_session_stats {
	uint64_t packets_sent, octets_sent, packets_received, octets_received;
	uint64_t invalid;      /* not RTP, or a payload type not negotiated */
	uint64_t foreign;      /* from an address other than the latched one: dropped */
	uint64_t latches;      /* times the remote address was fixed or moved */
	uint64_t rtcp_sent, rtcp_received;
	uint64_t events_sent;  /* RFC 4733 packets */
	struct cw_rtcp_block local;  /* what our next report would say (not advanced) */
	struct cw_rtcp_block remote; /* the last block the peer sent about us */
	bool have_remote_block;
	int64_t rtt_us;              /* from the last such block, -1 unknown */
	struct cw_jb_stats jb;
};

struct cw_rtp_session;

/* 0, -EINVAL (a bad law, ptime, event type or CNAME), -EADDRINUSE (no free
 * pair), -ENOMEM, or the errno of socket()/bind(). */
int cw_rtp_session_new(const struct cw_rtp_session_config *cfg, uint64_t now_us,
                       struct cw_rtp_session **out);
/* Closes the sockets and gives the pair back. NULL is allowed. */
void cw_rtp_session_free(struct cw_rtp_session *s);

void cw_rtp_session_fds(const struct cw_rtp_session *s, int *rtp_fd, int *rtcp_fd);
uint16_t cw_rtp_session_port(const struct cw_rtp_session *s);

/* The address from SDP (RTCP: its port + 1, RFC 3550 §11); the latch starts
 * over. -EINVAL for a family other than the socket's. */
int cw_rtp_session_set_remote(struct cw_rtp_session *s, const struct sockaddr *addr,
                              socklen_t len);
/* The address RTP goes to now (the latched one); -ENOTCONN when none. */
int cw_rtp_session_remote(const struct cw_rtp_session *s, struct sockaddr_storage *out,
                          socklen_t *len);

/* Drain the RTP (RTCP) socket: the number of datagrams read, or a negative
 * errno of recvmsg() other than EAGAIN. */
int cw_rtp_session_read_rtp(struct cw_rtp_session *s, uint64_t now_us);
int cw_rtp_session_read_rtcp(struct cw_rtp_session *s, uint64_t now_us);

/* One 20 ms TDM frame toward SIP: 0 with 0..2 packets sent, -ENOTCONN with
 * no remote address, or the errno of sendmsg(). While an event is being
 * sent the frame's audio is not (RFC 4733 §2.5.1.2 allows either). */
int cw_rtp_session_put_frame(struct cw_rtp_session *s, const int16_t pcm[CW_JB_FRAME],
                             uint64_t now_us);
/* One 20 ms frame toward the TDM side: a cw_jb_frame_kind. */
int cw_rtp_session_get_frame(struct cw_rtp_session *s, int16_t pcm[CW_JB_FRAME]);

/* Fax or modem on the line: the playout buffer's passthrough mode, or back. */
int cw_rtp_session_set_passthrough(struct cw_rtp_session *s, bool on);

/* RFC 4733: a key went down (the event's packets start with the next
 * frame); it went up (three end packets follow). -EINVAL without an event
 * payload type or for a volume above 63, -EBUSY while one is being sent. */
int cw_rtp_session_event_begin(struct cw_rtp_session *s, uint8_t event, uint8_t volume);
void cw_rtp_session_event_end(struct cw_rtp_session *s);
/* The next received event report: 1 with *out, 0 when none is queued. */
int cw_rtp_session_next_event(struct cw_rtp_session *s, struct cw_rtp_event_report *out);

/* When the next RTCP report is due, and the call to make then. */
uint64_t cw_rtp_session_deadline_us(const struct cw_rtp_session *s);
int cw_rtp_session_on_timer(struct cw_rtp_session *s, uint64_t now_us);
/* A last report with a BYE (RFC 3550 §6.6), before cw_rtp_session_free(). */
int cw_rtp_session_bye(struct cw_rtp_session *s, uint64_t now_us);

void cw_rtp_session_stats(const struct cw_rtp_session *s, uint64_t now_us,
                          struct cw_rtp_session_stats *out);

#endif /* CW_MEDIA_RTP_SESSION_H */
