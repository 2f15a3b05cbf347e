/* SPDX-License-Identifier: MIT */
/*
 * bridge/capture/frame.h — the bytes in front of a captured payload: the
 * Linux cooked header (LINKTYPE_LINUX_SLL, 16 bytes), an IPv4 or IPv6
 * header and a UDP or TCP header, lengths and checksums filled in. Pure:
 * no I/O, no clock. The layout of a D-channel record is README.md "Layout".
 */
#ifndef BRIDGE_CAPTURE_FRAME_H
#define BRIDGE_CAPTURE_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define CWCAP_SLL_LEN 16
/* The longest header: SLL + IPv6 (40) + TCP (20). */
#define CWCAP_HDR_MAX (CWCAP_SLL_LEN + 40 + 20)

/* sll_pkttype (Linux if_packet.h) */
#define CWCAP_PKT_HOST 0     /* received by the bridge */
#define CWCAP_PKT_OUTGOING 4 /* sent by the bridge */

/* sll_hatype (Linux if_arp.h): SIP records carry none, D-channel records the LAPD type. */
#define CWCAP_HATYPE_NONE 0xfffe
#define CWCAP_HATYPE_LAPD 8445

/* The UDP port of both ends of every D-channel record (README.md "Layout"). */
#define CWCAP_LAPD_PORT 9921

/* TCP flags (RFC 9293 §3.1) */
#define CWCAP_TCP_FIN 0x01
#define CWCAP_TCP_SYN 0x02
#define CWCAP_TCP_PSH 0x08
#define CWCAP_TCP_ACK 0x10

/* What one record's header says. src and dst: the same family, AF_INET or AF_INET6. */
struct cwcap_frame {
	uint16_t pkttype;          /* CWCAP_PKT_* */
	uint16_t hatype;           /* CWCAP_HATYPE_* */
	const uint8_t *lladdr;     /* sll_addr, at most 8 bytes; NULL with lladdr_len 0 */
	size_t lladdr_len;
	const struct sockaddr *src;
	const struct sockaddr *dst;
	int tcp;                   /* 0: UDP, 1: TCP */
	uint32_t seq, ack;         /* TCP only */
	uint8_t flags;             /* TCP only: CWCAP_TCP_* */
	uint16_t ip_id;            /* IPv4 identification */
};

/*
 * cwcap_frame_header() - write the SLL, IP and UDP/TCP headers for
 * payload[0..len) into hdr (room bytes, CWCAP_HDR_MAX is always enough);
 * the checksums cover the payload. Returns the header's length, -EINVAL
 * (families, lladdr), -EMSGSIZE (the IP packet would exceed 65535 bytes)
 * or -ENOSPC (room).
 */
int cwcap_frame_header(uint8_t *hdr, size_t room, const struct cwcap_frame *f,
                       const uint8_t *payload, size_t len);

/*
 * cwcap_frame_lapd_ends() - the two ends of span number `span` (1..65535):
 * the bridge's 127.92.H.L and the peer's 127.93.H.L (H.L = span as two
 * bytes), both on CWCAP_LAPD_PORT. -EINVAL for span 0 or above 65535.
 */
int cwcap_frame_lapd_ends(unsigned span, struct sockaddr_storage *bridge,
                          struct sockaddr_storage *peer);

/* cwcap_frame_checksum() - the Internet checksum (RFC 1071) of data,
   continuing sum (0 to start); cwcap_frame_fold() ends it. */
uint32_t cwcap_frame_checksum(uint32_t sum, const uint8_t *data, size_t len);
uint16_t cwcap_frame_fold(uint32_t sum);

#endif
