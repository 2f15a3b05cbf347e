/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/rtp_session.h — the RTP/RTCP of one call (RFC 3550, RFC 3551
 * PCMU/PCMA, RFC 4733 events): one socket pair from a port range, symmetric
 * RTP (RFC 4961) with latching, the playout buffer toward the TDM side and
 * TDM-clocked sending toward SIP.
 *
 * No thread, no clock: the caller's epoll loop watches the two fds
 * (cwm_rtp_session_fds()), calls cwm_rtp_session_read_rtp()/_read_rtcp() when
 * they are readable, cwm_rtp_session_on_timer() at the deadline of
 * cwm_rtp_session_deadline_us(), and every 20 ms of its TDM clock moves one
 * frame each way with cwm_rtp_session_put_frame() and _get_frame(). Every
 * `now_us` is the loop's monotonic time in microseconds.
 *
 * Latching (README.md "Latching"): the remote address comes from the offer
 * or answer (cwm_rtp_session_set_remote()); the first valid RTP packet (RTP
 * version 2, a negotiated payload type) from anywhere fixes the remote
 * address and SSRC, whoever sent it: a NATed phone's packets come from its
 * public address, not the one in its SDP. After that, packets from another
 * address are dropped, except once per SSRC change: a packet with a new
 * SSRC from a new address after the latched source was quiet for
 * relatch_quiet_ms moves the latch. RTCP is taken only from the latched
 * IP address and answered where it comes from; RTCP never moves the latch.
 */
#ifndef BRIDGE_MEDIA_RTP_SESSION_H
#define BRIDGE_MEDIA_RTP_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "g711.h"
#include "rtcp.h"
#include "rtp_event.h"
#include "rtp_jb.h"
#include "rtp_ports.h"

struct cwm_rtp_session_config {
	struct cwm_rtp_ports *ports;       /* not owned */
	const struct sockaddr *local;     /* the address to bind (port ignored) */
	socklen_t local_len;
	enum cwm_g711_law law;             /* PCMU or PCMA, both ways */
	int event_pt;                     /* telephone-event payload type 96..127, -1: none */
	unsigned ptime_ms;                /* 10, 20 or 30 toward SIP; 0: 20 */
	struct cwm_jb_config jb;
	uint32_t ssrc;                    /* random, from the caller (RFC 3550 §8.1) */
	uint32_t initial_seq, initial_ts; /* random too (§5.1) */
	const char *cname;                /* RFC 3550 §6.5.1, e.g. "causeway@host" */
	int64_t unix_offset_us;           /* unix time = now_us + this, for SR NTP times */
	uint32_t seed;                    /* of the RTCP interval's randomisation */
	unsigned relatch_quiet_ms;        /* 0: 500 */
	bool use_mmsg;                    /* recvmmsg()/sendmmsg() instead of one call a packet */
};

struct cwm_rtp_session_stats {
	uint64_t packets_sent, octets_sent, packets_received, octets_received;
	uint64_t invalid;      /* not RTP, or a payload type not negotiated */
	uint64_t foreign;      /* from an address other than the latched one: dropped */
	uint64_t latches;      /* times the remote address was fixed or moved */
	uint64_t rtcp_sent, rtcp_received;
	uint64_t events_sent;  /* RFC 4733 packets */
	struct cwm_rtcp_block local;  /* what our next report would say (not advanced) */
	struct cwm_rtcp_block remote; /* the last block the peer sent about us */
	bool have_remote_block;
	int64_t rtt_us;              /* from the last such block, -1 unknown */
	struct cwm_jb_stats jb;
};

struct cwm_rtp_session;

/* 0, -EINVAL (a bad law, ptime, event type or CNAME), -EADDRINUSE (no free
 * pair), -ENOMEM, or the errno of socket()/bind(). */
int cwm_rtp_session_new(const struct cwm_rtp_session_config *cfg, uint64_t now_us,
                       struct cwm_rtp_session **out);
/* Closes the sockets and gives the pair back. NULL is allowed. */
void cwm_rtp_session_free(struct cwm_rtp_session *s);

void cwm_rtp_session_fds(const struct cwm_rtp_session *s, int *rtp_fd, int *rtcp_fd);
uint16_t cwm_rtp_session_port(const struct cwm_rtp_session *s);

/* The address from SDP (RTCP: its port + 1, RFC 3550 §11); the latch starts
 * over. -EINVAL for a family other than the socket's. */
int cwm_rtp_session_set_remote(struct cwm_rtp_session *s, const struct sockaddr *addr,
                              socklen_t len);
/* The address RTP goes to now (the latched one); -ENOTCONN when none. */
int cwm_rtp_session_remote(const struct cwm_rtp_session *s, struct sockaddr_storage *out,
                          socklen_t *len);

/* Drain the RTP (RTCP) socket: the number of datagrams read, or a negative
 * errno of recvmsg() other than EAGAIN. */
int cwm_rtp_session_read_rtp(struct cwm_rtp_session *s, uint64_t now_us);
int cwm_rtp_session_read_rtcp(struct cwm_rtp_session *s, uint64_t now_us);

/* One 20 ms TDM frame toward SIP: 0 with 0..2 packets sent, -ENOTCONN with
 * no remote address, or the errno of sendmsg(). While an event is being
 * sent the frame's audio is not (RFC 4733 §2.5.1.2 allows either). */
int cwm_rtp_session_put_frame(struct cwm_rtp_session *s, const int16_t pcm[CWM_JB_FRAME],
                             uint64_t now_us);
/* One 20 ms frame toward the TDM side: a cwm_jb_frame_kind. */
int cwm_rtp_session_get_frame(struct cwm_rtp_session *s, int16_t pcm[CWM_JB_FRAME]);

/* The codec the offer/answer settled on (SDP.md), once it is known or when a
 * re-offer changes it: law, telephone-event PT (-1: none) and ptime toward
 * SIP, as in the config. Audio not yet packed is dropped; without an event
 * PT an event being sent stops (no more of its packets). 0 or -EINVAL. */
int cwm_rtp_session_set_codec(struct cwm_rtp_session *s, enum cwm_g711_law law, int event_pt,
                             unsigned ptime_ms);

/* Clearmode (RFC 4040 §3) from now on, for good: the frames put and got hold
 * octets (each sample 0..255, the B-channel's octet as it is), sent and taken
 * as payload type pt (96..127), ptime as set_codec's; no events; the playout
 * buffer in passthrough (a gap plays as CWM_JB_SILENCE, never concealed).
 * 0 or -EINVAL. */
int cwm_rtp_session_set_clearmode(struct cwm_rtp_session *s, int pt, unsigned ptime_ms);

/* Fax or modem on the line: the playout buffer's passthrough mode, or back. */
int cwm_rtp_session_set_passthrough(struct cwm_rtp_session *s, bool on);

/* RFC 4733: a key went down (the event's packets start with the next
 * frame); it went up (three end packets follow). -EINVAL without an event
 * payload type or for a volume above 63, -EBUSY while one is being sent. */
int cwm_rtp_session_event_begin(struct cwm_rtp_session *s, uint8_t event, uint8_t volume);
void cwm_rtp_session_event_end(struct cwm_rtp_session *s);
/* The next received event report: 1 with *out, 0 when none is queued. */
int cwm_rtp_session_next_event(struct cwm_rtp_session *s, struct cwm_rtp_event_report *out);

/* When the next RTCP report is due, and the call to make then. */
uint64_t cwm_rtp_session_deadline_us(const struct cwm_rtp_session *s);
int cwm_rtp_session_on_timer(struct cwm_rtp_session *s, uint64_t now_us);
/* A last report with a BYE (RFC 3550 §6.6), before cwm_rtp_session_free(). */
int cwm_rtp_session_bye(struct cwm_rtp_session *s, uint64_t now_us);

void cwm_rtp_session_stats(const struct cwm_rtp_session *s, uint64_t now_us,
                          struct cwm_rtp_session_stats *out);

#endif /* BRIDGE_MEDIA_RTP_SESSION_H */
