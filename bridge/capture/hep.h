/* SPDX-License-Identifier: MIT */
/*
 * bridge/capture/hep.h — HEP version 3 (the HEP/EEP encapsulation of
 * Homer and sngrep: "HEP3", a total length, then chunks of vendor 0, type,
 * length and value, all in network byte order). Pure: no I/O, no clock.
 * One SIP message per packet; the chunks written are README.md "HEP".
 */
#ifndef BRIDGE_CAPTURE_HEP_H
#define BRIDGE_CAPTURE_HEP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* The longest HEP packet (its length field has 16 bits). */
#define CWCAP_HEP_MAX 65535u

/* Chunk types of the generic vendor (0) */
#define CWCAP_HEP_FAMILY 0x0001     /* uint8: 2 = IPv4, 10 = IPv6 */
#define CWCAP_HEP_IP_PROTO 0x0002   /* uint8: 17 UDP, 6 TCP */
#define CWCAP_HEP_SRC_IP4 0x0003
#define CWCAP_HEP_DST_IP4 0x0004
#define CWCAP_HEP_SRC_IP6 0x0005
#define CWCAP_HEP_DST_IP6 0x0006
#define CWCAP_HEP_SRC_PORT 0x0007   /* uint16 */
#define CWCAP_HEP_DST_PORT 0x0008   /* uint16 */
#define CWCAP_HEP_TS_SEC 0x0009     /* uint32 */
#define CWCAP_HEP_TS_USEC 0x000a    /* uint32 */
#define CWCAP_HEP_PROTO_TYPE 0x000b /* uint8: 1 = SIP */
#define CWCAP_HEP_PAYLOAD 0x000f

struct cwcap_hep_msg {
	const struct sockaddr *src, *dst; /* the same family, AF_INET or AF_INET6 */
	int tcp;                          /* 0: UDP, 1: TCP (TLS too: the plaintext) */
	uint32_t sec, usec;               /* when */
	const uint8_t *payload;           /* one SIP message */
	size_t len;
};

/* cwcap_hep_encode() - one HEP3 packet of m into out (room bytes). Its
   length, -EINVAL (addresses), -EMSGSIZE (above CWCAP_HEP_MAX) or -ENOSPC. */
int cwcap_hep_encode(uint8_t *out, size_t room, const struct cwcap_hep_msg *m);

#endif
