/* SPDX-License-Identifier: MIT */
/*
 * bridge/capture/frame.c — the SLL, IP and UDP/TCP headers of a record
 * (frame.h). All fields in network byte order except where said.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "frame.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define IP_MAX 65535u

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint32_t cwcap_frame_checksum(uint32_t sum, const uint8_t *data, size_t len)
{
	size_t i;

	/* RFC 1071 §4.1: 16-bit words, an odd last byte padded with zero */
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)data[i] << 8 | data[i + 1];
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t cwcap_frame_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The Linux cooked header: pkttype, hatype, halen, addr[8], protocol. */
static void put_sll(uint8_t *p, const struct cwcap_frame *f, uint16_t protocol)
{
	put16(p, f->pkttype);
	put16(p + 2, f->hatype);
	put16(p + 4, (uint16_t)f->lladdr_len);
	memset(p + 6, 0, 8);
	if (f->lladdr_len)
		memcpy(p + 6, f->lladdr, f->lladdr_len);
	put16(p + 14, protocol);
}

/* RFC 768 / RFC 9293 §3.1 header, checksum field zero. */
static size_t put_l4(uint8_t *p, const struct cwcap_frame *f, uint16_t sport, uint16_t dport,
                     size_t len)
{
	put16(p, sport);
	put16(p + 2, dport);
	if (!f->tcp) {
		put16(p + 4, (uint16_t)(8 + len));
		put16(p + 6, 0);
		return 8;
	}
	put32(p + 4, f->seq);
	put32(p + 8, f->ack);
	p[12] = 5 << 4; /* data offset: 5 words, no options */
	p[13] = f->flags;
	put16(p + 14, 65535); /* window */
	put16(p + 16, 0);
	put16(p + 18, 0);     /* urgent pointer */
	return 20;
}

int cwcap_frame_header(uint8_t *hdr, size_t room, const struct cwcap_frame *f,
                       const uint8_t *payload, size_t len)
{
	uint8_t pseudo[40];
	size_t ip_len, l4_len = f && f->tcp ? 20 : 8, plen, n;
	uint32_t sum;
	uint8_t *l4;
	int v6;

	if (!hdr || !f || !f->src || !f->dst || f->src->sa_family != f->dst->sa_family ||
	    (f->src->sa_family != AF_INET && f->src->sa_family != AF_INET6) ||
	    f->lladdr_len > 8 || (f->lladdr_len && !f->lladdr) || (len && !payload))
		return -EINVAL;
	v6 = f->src->sa_family == AF_INET6;
	ip_len = v6 ? 40 : 20;
	/* IPv4: total length; IPv6: the payload length (RFC 8200 §3) */
	if ((v6 ? l4_len + len : ip_len + l4_len + len) > IP_MAX)
		return -EMSGSIZE;
	if (room < CWCAP_SLL_LEN + ip_len + l4_len)
		return -ENOSPC;
	put_sll(hdr, f, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
	l4 = hdr + CWCAP_SLL_LEN + ip_len;
	if (v6) {
		const struct sockaddr_in6 *s = (const void *)f->src, *d = (const void *)f->dst;
		uint8_t *ip = hdr + CWCAP_SLL_LEN;

		put32(ip, 6u << 28); /* version 6, traffic class 0, flow label 0 */
		put16(ip + 4, (uint16_t)(l4_len + len));
		ip[6] = f->tcp ? IPPROTO_TCP : IPPROTO_UDP;
		ip[7] = 64; /* hop limit */
		memcpy(ip + 8, &s->sin6_addr, 16);
		memcpy(ip + 24, &d->sin6_addr, 16);
		n = put_l4(l4, f, ntohs(s->sin6_port), ntohs(d->sin6_port), len);
		/* RFC 8200 §8.1: source, destination, upper-layer length, next header */
		memcpy(pseudo, ip + 8, 32);
		plen = 32;
	} else {
		const struct sockaddr_in *s = (const void *)f->src, *d = (const void *)f->dst;
		uint8_t *ip = hdr + CWCAP_SLL_LEN;

		ip[0] = 0x45; /* version 4, 5 words */
		ip[1] = 0;
		put16(ip + 2, (uint16_t)(ip_len + l4_len + len));
		put16(ip + 4, f->ip_id);
		put16(ip + 6, 0x4000); /* don't fragment */
		ip[8] = 64;            /* TTL */
		ip[9] = f->tcp ? IPPROTO_TCP : IPPROTO_UDP;
		put16(ip + 10, 0);
		memcpy(ip + 12, &s->sin_addr, 4);
		memcpy(ip + 16, &d->sin_addr, 4);
		put16(ip + 10, cwcap_frame_fold(cwcap_frame_checksum(0, ip, 20))); /* RFC 791 */
		n = put_l4(l4, f, ntohs(s->sin_port), ntohs(d->sin_port), len);
		/* RFC 768: source, destination, zero, protocol, UDP length */
		memcpy(pseudo, ip + 12, 8);
		plen = 8;
	}
	if (v6) {
		put32(pseudo + plen, (uint32_t)(n + len));
		memset(pseudo + plen + 4, 0, 3);
		pseudo[plen + 7] = f->tcp ? IPPROTO_TCP : IPPROTO_UDP;
		plen += 8;
	} else {
		pseudo[plen] = 0;
		pseudo[plen + 1] = f->tcp ? IPPROTO_TCP : IPPROTO_UDP;
		put16(pseudo + plen + 2, (uint16_t)(n + len));
		plen += 4;
	}
	sum = cwcap_frame_checksum(0, pseudo, plen);
	sum = cwcap_frame_checksum(sum, l4, n);
	/* an odd-length header never happens (8 or 20), so the payload's words line up */
	sum = cwcap_frame_checksum(sum, payload, len);
	{
		uint16_t c = cwcap_frame_fold(sum);
		if (!f->tcp && c == 0)
			c = 0xffff; /* RFC 768: a computed zero is sent as all ones */
		put16(l4 + (f->tcp ? 16 : 6), c);
	}
	return (int)(CWCAP_SLL_LEN + ip_len + n);
}

int cwcap_frame_lapd_ends(unsigned span, struct sockaddr_storage *bridge,
                          struct sockaddr_storage *peer)
{
	struct sockaddr_in *b = (struct sockaddr_in *)(void *)bridge;
	struct sockaddr_in *p = (struct sockaddr_in *)(void *)peer;

	if (span == 0 || span > 65535 || !bridge || !peer)
		return -EINVAL;
	memset(bridge, 0, sizeof(*bridge));
	memset(peer, 0, sizeof(*peer));
	b->sin_family = p->sin_family = AF_INET;
	b->sin_port = p->sin_port = htons(CWCAP_LAPD_PORT);
	b->sin_addr.s_addr = htonl(0x7f5c0000u | span); /* 127.92.H.L */
	p->sin_addr.s_addr = htonl(0x7f5d0000u | span); /* 127.93.H.L */
	return 0;
}
