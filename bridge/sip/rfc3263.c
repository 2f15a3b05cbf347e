/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/rfc3263.c — locating a SIP server, the pure part (rfc3263.h).
 */
#include "rfc3263.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* RFC 3263 §4.1 and RFC 3261 §26.2 (the registered NAPTR services). */
static const struct {
	const char *service;
	unsigned transport;
	int for_sips;
} services[] = {
	{ "SIP+D2U", CWS_DNS_UDP, 0 },
	{ "SIP+D2T", CWS_DNS_TCP, 0 },
	{ "SIP+D2S", CWS_DNS_TLS, 1 },
	{ "SIPS+D2T", CWS_DNS_TLS, 1 },
};

static unsigned service_transport(const char *service, int sips)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (strcasecmp(service, services[i].service) == 0 && (!sips || services[i].for_sips))
			return services[i].transport;
	return 0;
}

/* RFC 3403 §4.1: lower order first, then lower preference. */
static int naptr_before(const struct cws_naptr_rec *a, const struct cws_naptr_rec *b)
{
	return a->order != b->order ? a->order < b->order : a->preference < b->preference;
}

size_t cws_naptr_pick(const struct cws_naptr_rec *recs, size_t n, unsigned served, int sips,
                      struct cws_srv_name *out, size_t max)
{
	unsigned char used[64] = { 0 };
	size_t k = 0;

	if (n > sizeof(used))
		n = sizeof(used);
	while (k < max) {
		size_t best = n;
		unsigned tr = 0;

		for (size_t i = 0; i < n; i++) {
			unsigned t;

			if (used[i])
				continue;
			/* RFC 3263 §4.1: an "s" flag (the next lookup is SRV), a service served */
			t = strcasecmp(recs[i].flags, "s") == 0 ? service_transport(recs[i].service, sips) : 0;
			if (!(t & served) || !recs[i].replacement[0] || strcmp(recs[i].replacement, ".") == 0) {
				used[i] = 1;
				continue;
			}
			if (best == n || naptr_before(&recs[i], &recs[best])) {
				best = i;
				tr = t;
			}
		}
		if (best == n)
			break;
		used[best] = 1;
		snprintf(out[k].name, sizeof(out[k].name), "%s", recs[best].replacement);
		out[k].transport = tr;
		k++;
	}
	return k;
}

size_t cws_srv_names(const char *host, unsigned served, unsigned transport, int sips,
                     struct cws_srv_name *out, size_t max)
{
	/* RFC 3263 §4.1: the transports in the order UDP, TCP, TLS (RFC 3261 §18.1.1) */
	static const struct {
		unsigned transport;
		const char *prefix;
	} order[] = {
		{ CWS_DNS_UDP, "_sip._udp." },
		{ CWS_DNS_TCP, "_sip._tcp." },
		{ CWS_DNS_TLS, "_sips._tcp." },
	};
	size_t k = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && k < max; i++) {
		unsigned t = order[i].transport;

		if (transport ? t != transport : !(served & t))
			continue;
		if (sips && t != CWS_DNS_TLS) /* RFC 3263 §4.1: sips: only over TLS */
			continue;
		snprintf(out[k].name, sizeof(out[k].name), "%s%s", order[i].prefix, host);
		out[k].transport = t;
		k++;
	}
	return k;
}

static int srv_cmp(const void *a, const void *b)
{
	const struct cws_srv_rec *x = a, *y = b;

	return (int)x->priority - (int)y->priority;
}

size_t cws_srv_order(struct cws_srv_rec *recs, size_t n, uint32_t (*rnd)(void *), void *arg)
{
	size_t i = 0;

	/* RFC 2782: a single record with target "." means "decidedly not available" */
	if (n == 1 && strcmp(recs[0].target, ".") == 0)
		return 0;
	qsort(recs, n, sizeof(*recs), srv_cmp);
	while (i < n) {
		size_t end = i;

		while (end < n && recs[end].priority == recs[i].priority)
			end++;
		/* RFC 2782 "Usage rules": zero weights first, then pick by running sums */
		for (size_t j = i; j < end; j++)
			if (recs[j].weight == 0)
				for (size_t z = j; z > i && recs[z - 1].weight != 0; z--) {
					struct cws_srv_rec t = recs[z];
					recs[z] = recs[z - 1];
					recs[z - 1] = t;
				}
		for (; i < end; i++) {
			uint64_t sum = 0, r, run = 0;
			size_t pick = i;

			for (size_t j = i; j < end; j++)
				sum += recs[j].weight;
			r = sum ? (uint64_t)rnd(arg) % (sum + 1) : 0;
			for (size_t j = i; j < end; j++) {
				run += recs[j].weight;
				if (run >= r) {
					pick = j;
					break;
				}
			}
			if (pick != i) {
				struct cws_srv_rec t = recs[pick];
				memmove(&recs[i + 1], &recs[i], (pick - i) * sizeof(*recs));
				recs[i] = t;
			}
		}
	}
	return n;
}

/* RFC 1035 §4.1.4: step over a name (labels, ending in a zero octet or a pointer). */
static int skip_name(const unsigned char *buf, size_t len, size_t *pos)
{
	size_t p = *pos;

	for (;;) {
		if (p >= len)
			return -EINVAL;
		if ((buf[p] & 0xC0) == 0xC0) {
			if (p + 2 > len)
				return -EINVAL;
			*pos = p + 2;
			return 0;
		}
		if (buf[p] & 0xC0) /* 0x40, 0x80: reserved label types */
			return -EINVAL;
		if (buf[p] == 0) {
			*pos = p + 1;
			return 0;
		}
		p += 1u + buf[p];
	}
}

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

int cws_dns_min_ttl(const unsigned char *buf, size_t len, unsigned qtype, uint32_t *ttl)
{
	size_t pos = 12, qd, an;
	int found = 0;
	uint32_t best = 0;

	if (len < 12) /* RFC 1035 §4.1.1: the header */
		return -EINVAL;
	qd = get16(buf + 4);
	an = get16(buf + 6);
	for (size_t i = 0; i < qd; i++) { /* §4.1.2: QNAME, QTYPE, QCLASS */
		if (skip_name(buf, len, &pos) < 0 || pos + 4 > len)
			return -EINVAL;
		pos += 4;
	}
	for (size_t i = 0; i < an; i++) { /* §4.1.3: NAME, TYPE, CLASS, TTL, RDLENGTH, RDATA */
		uint32_t t;
		unsigned type, rdlen;

		if (skip_name(buf, len, &pos) < 0 || pos + 10 > len)
			return -EINVAL;
		type = get16(buf + pos);
		t = (uint32_t)buf[pos + 4] << 24 | (uint32_t)buf[pos + 5] << 16 |
		    (uint32_t)buf[pos + 6] << 8 | buf[pos + 7];
		rdlen = get16(buf + pos + 8);
		pos += 10;
		if (pos + rdlen > len)
			return -EINVAL;
		pos += rdlen;
		if (type != qtype)
			continue;
		if (t > 0x7FFFFFFFu) /* RFC 2181 §8: a TTL with the top bit set is zero */
			t = 0;
		if (!found || t < best)
			best = t;
		found = 1;
	}
	if (!found)
		return -ENOENT;
	*ttl = best;
	return 0;
}
