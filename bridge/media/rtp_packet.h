/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/rtp_packet.h — the RTP fixed header (RFC 3550 §5.1): read
 * from and written to a datagram. Pure: no I/O, no clock.
 */
#ifndef BRIDGE_MEDIA_RTP_PACKET_H
#define BRIDGE_MEDIA_RTP_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define CWM_RTP_HEADER_LEN 12 /* RFC 3550 §5.1, without CSRCs */
#define CWM_RTP_VERSION 2

struct cwm_rtp_header {
	uint8_t marker;
	uint8_t payload_type;
	uint16_t seq;
	uint32_t timestamp;
	uint32_t ssrc;
	const uint8_t *payload; /* inside the datagram read */
	size_t payload_len;
};

/*
 * cwm_rtp_header_parse() - the header of a received datagram (RFC 3550 §5.1,
 * the validity checks of §A.1: version 2, CSRC list, extension and padding
 * inside the datagram). 0, or -EBADMSG for anything else (an RTCP packet on
 * the RTP port included: payload types 72..76 with the marker, §A.1).
 */
int cwm_rtp_header_parse(const uint8_t *buf, size_t len, struct cwm_rtp_header *out);

/* Writes the 12-octet header of h (no CSRC, no extension) to buf. */
void cwm_rtp_header_write(const struct cwm_rtp_header *h, uint8_t buf[CWM_RTP_HEADER_LEN]);

/* Big-endian loads and stores, shared by the RTCP and RFC 4733 codecs. */
static inline uint16_t cwm_rtp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t cwm_rtp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void cwm_rtp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void cwm_rtp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif /* BRIDGE_MEDIA_RTP_PACKET_H */
