/* SPDX-License-Identifier: MIT */
/*
 * sdp.h — the SDP the bridge offers or answers for a B-channel (pure).
 * RFC 4566 syntax; one G.711 stream (RFC 3551 §4.5.14: PT 0 PCMU, PT 8
 * PCMA). No media is sent yet: the address and port only name the channel.
 */
#ifndef BRIDGE_DAEMON_SDP_H
#define BRIDGE_DAEMON_SDP_H

#include <stddef.h>
#include <stdint.h>

#define CWB_SDP_MAX 512
#define CWB_SDP_BASE_PORT 20000u

/*
 * cwb_sdp_port() - the m= port of a B-channel: 20000 + 64 * span_index +
 * 2 * channel (even, RFC 3550 §11: RTP on even ports, RTCP on the next).
 */
unsigned cwb_sdp_port(size_t span_index, int channel);

/*
 * cwb_sdp_media_address() - the c= address for a SIP bind address: the
 * address itself, or the loopback of its family for a wildcard (0.0.0.0,
 * ::). Writes at most len bytes (NUL included). 0 or -ENOSPC/-EINVAL.
 */
int cwb_sdp_media_address(const char *bind, char *out, size_t len);

/*
 * cwb_sdp_format() - the session description: address (IPv4 or IPv6
 * literal), port, alaw (1: PCMA/8000 PT 8, 0: PCMU/8000 PT 0), session id
 * and version for o= (RFC 4566 §5.2). Returns 0, -ENOSPC, -EINVAL;
 * *ret_len (may be NULL) gets the length.
 */
int cwb_sdp_format(char *buf, size_t len, const char *address, unsigned port, int alaw,
                   uint64_t session_id, unsigned version, size_t *ret_len);

#endif
