/* SPDX-License-Identifier: MIT */
/*
 * bridge/capture/hep.c — a SIP message as a HEP3 packet (hep.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "hep.h"

#define HEP_HDR 6   /* "HEP3" + total length */
#define CHUNK_HDR 6 /* vendor, type, length */

struct out {
	uint8_t *p;
	size_t room, len;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* One chunk: vendor 0, type, length (header included), value. Written only while it fits. */
static void chunk(struct out *o, uint16_t type, const void *value, size_t n)
{
	size_t at = o->len;

	o->len += CHUNK_HDR + n;
	if (o->len > o->room)
		return;
	put16(o->p + at, 0);
	put16(o->p + at + 2, type);
	put16(o->p + at + 4, (uint16_t)(CHUNK_HDR + n));
	if (n)
		memcpy(o->p + at + CHUNK_HDR, value, n);
}

static void chunk8(struct out *o, uint16_t type, uint8_t v)
{
	chunk(o, type, &v, 1);
}

static void chunk16(struct out *o, uint16_t type, uint16_t v)
{
	uint8_t b[2];

	put16(b, v);
	chunk(o, type, b, 2);
}

static void chunk32(struct out *o, uint16_t type, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	chunk(o, type, b, 4);
}

int cwcap_hep_encode(uint8_t *out, size_t room, const struct cwcap_hep_msg *m)
{
	struct out o = { out, room, HEP_HDR };
	int v6;

	if (!out || !m || !m->src || !m->dst || m->src->sa_family != m->dst->sa_family ||
	    (m->src->sa_family != AF_INET && m->src->sa_family != AF_INET6) ||
	    (m->len && !m->payload))
		return -EINVAL;
	v6 = m->src->sa_family == AF_INET6;
	chunk8(&o, CWCAP_HEP_FAMILY, v6 ? 10 : 2);
	chunk8(&o, CWCAP_HEP_IP_PROTO, m->tcp ? IPPROTO_TCP : IPPROTO_UDP);
	if (v6) {
		const struct sockaddr_in6 *s = (const void *)m->src, *d = (const void *)m->dst;
		chunk(&o, CWCAP_HEP_SRC_IP6, &s->sin6_addr, 16);
		chunk(&o, CWCAP_HEP_DST_IP6, &d->sin6_addr, 16);
		chunk16(&o, CWCAP_HEP_SRC_PORT, ntohs(s->sin6_port));
		chunk16(&o, CWCAP_HEP_DST_PORT, ntohs(d->sin6_port));
	} else {
		const struct sockaddr_in *s = (const void *)m->src, *d = (const void *)m->dst;
		chunk(&o, CWCAP_HEP_SRC_IP4, &s->sin_addr, 4);
		chunk(&o, CWCAP_HEP_DST_IP4, &d->sin_addr, 4);
		chunk16(&o, CWCAP_HEP_SRC_PORT, ntohs(s->sin_port));
		chunk16(&o, CWCAP_HEP_DST_PORT, ntohs(d->sin_port));
	}
	chunk32(&o, CWCAP_HEP_TS_SEC, m->sec);
	chunk32(&o, CWCAP_HEP_TS_USEC, m->usec);
	chunk8(&o, CWCAP_HEP_PROTO_TYPE, 1); /* SIP */
	if (o.len + CHUNK_HDR + m->len > CWCAP_HEP_MAX)
		return -EMSGSIZE;
	chunk(&o, CWCAP_HEP_PAYLOAD, m->payload, m->len);
	if (o.len > room)
		return -ENOSPC;
	memcpy(out, "HEP3", 4);
	put16(out + 4, (uint16_t)o.len);
	return (int)o.len;
}
