/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/addr.c — addresses and address blocks (addr.h).
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <causeway/common.h>

#include "common/error.h"
#include "addr.h"
#include "list.h"

/* RFC 4291 §2.5.5.2: ::ffff:0:0/96 */
static const uint8_t v4mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

void cwp_addr_normalize(struct cwp_addr *a)
{
	if (a->family == AF_INET6 && memcmp(a->bytes, v4mapped_prefix, sizeof(v4mapped_prefix)) == 0) {
		memmove(a->bytes, a->bytes + 12, 4);
		a->family = AF_INET;
	}
	if (a->family == AF_INET)
		memset(a->bytes + 4, 0, sizeof(a->bytes) - 4);
}

/* bytes holds an IPv6 address: store it, as IPv4 when it is IPv4-mapped. */
static void set_v6(struct cwp_addr *a, const uint8_t bytes[16])
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	memcpy(a->bytes, bytes, 16);
	cwp_addr_normalize(a);
}

static unsigned family_bits(uint8_t family)
{
	return family == AF_INET ? 32u : 128u;
}

int cwp_addr_parse(const char *text, struct cwp_addr *ret)
{
	uint8_t bytes[16];
	struct cwp_addr a;

	if (!text || !ret)
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	/* inet_pton(3) takes exactly the RFC 4291 §2.2 forms and dotted quads
	 * without leading zeros; no names, zones or brackets. */
	if (inet_pton(AF_INET, text, bytes) == 1) {
		a.family = AF_INET;
		memcpy(a.bytes, bytes, 4);
	} else if (inet_pton(AF_INET6, text, bytes) == 1) {
		set_v6(&a, bytes);
	} else {
		return CWCOM_ESYNTAX;
	}
	*ret = a;
	return 0;
}

int cwp_addr_from_sockaddr(const struct sockaddr_storage *ss, struct cwp_addr *ret)
{
	struct cwp_addr a;

	if (!ss || !ret)
		return -EINVAL;
	if (ss->ss_family == AF_INET) {
		struct sockaddr_in sin;

		memcpy(&sin, ss, sizeof(sin));
		memset(&a, 0, sizeof(a));
		a.family = AF_INET;
		memcpy(a.bytes, &sin.sin_addr, 4);
		a.port = ntohs(sin.sin_port);
	} else if (ss->ss_family == AF_INET6) {
		struct sockaddr_in6 sin6;

		memcpy(&sin6, ss, sizeof(sin6));
		set_v6(&a, sin6.sin6_addr.s6_addr);
		a.port = ntohs(sin6.sin6_port);
	} else {
		return -EINVAL;
	}
	*ret = a;
	return 0;
}

int cwp_addr_format(const struct cwp_addr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	int n;

	if (!a || !buf || (a->family != AF_INET && a->family != AF_INET6))
		return -EINVAL;
	if (!inet_ntop(a->family, a->bytes, host, sizeof(host)))
		return -EINVAL;
	if (!a->port)
		n = snprintf(buf, len, "%s", host);
	else if (a->family == AF_INET)
		n = snprintf(buf, len, "%s:%u", host, (unsigned)a->port);
	else
		n = snprintf(buf, len, "[%s]:%u", host, (unsigned)a->port);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return n;
}

int cwp_addr_equal(const struct cwp_addr *a, const struct cwp_addr *b, int with_port)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0 &&
	       (!with_port || a->port == b->port);
}

/* The first bits bits of x and y agree. */
static int leading_bits_equal(const uint8_t *x, const uint8_t *y, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(x, y, whole) != 0)
		return 0;
	return rest == 0 || ((x[whole] ^ y[whole]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static int bits_past(const uint8_t *bytes, unsigned from, unsigned to)
{
	unsigned i;

	for (i = from; i < to; i++)
		if (bytes[i / 8] & (0x80 >> (i % 8)))
			return 1;
	return 0;
}

/* "0".."128": decimal, no sign, no leading zero. */
static int parse_len(const char *s, unsigned *ret)
{
	unsigned v = 0;
	size_t i;

	if (!s[0] || (s[0] == '0' && s[1]) || strlen(s) > 3)
		return CWCOM_ESYNTAX;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return CWCOM_ESYNTAX;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*ret = v;
	return 0;
}

int cwp_block_parse(const char *text, struct cwp_block *ret, char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *slash;
	uint8_t bytes[16];
	struct cwp_block b;
	unsigned len, max;
	size_t n;
	int v6;

	if (!text || !ret)
		return cwp_error(err, errlen, -EINVAL, "no block");
	slash = strchr(text, '/');
	n = slash ? (size_t)(slash - text) : strlen(text);
	if (n == 0 || n >= sizeof(host))
		return cwp_error(err, errlen, CWCOM_ESYNTAX, "'%.64s' is not an address", text);
	memcpy(host, text, n);
	host[n] = '\0';
	memset(&b, 0, sizeof(b));
	if (inet_pton(AF_INET, host, bytes) == 1)
		v6 = 0;
	else if (inet_pton(AF_INET6, host, bytes) == 1)
		v6 = 1;
	else
		return cwp_error(err, errlen, CWCOM_ESYNTAX,
		                 "'%s' is not an IPv4 or IPv6 address (names are not resolved)", host);
	max = v6 ? 128u : 32u;
	len = max;
	if (slash) {
		if (parse_len(slash + 1, &len) < 0)
			return cwp_error(err, errlen, CWCOM_ESYNTAX,
			                 "'%.64s': the prefix length is not a number", text);
		if (len > max)
			return cwp_error(err, errlen, -ERANGE,
			                 "'%.64s': the prefix length is more than %u", text, max);
	}
	if (bits_past(bytes, len, max))
		return cwp_error(err, errlen, CWCOM_ESYNTAX,
		                 "'%.64s' has bits set past /%u (a host, not a block)", text, len);
	if (v6) {
		set_v6(&b.net, bytes);
		/* RFC 4291 §2.5.5.2: a block inside ::ffff:0:0/96 is the IPv4 block;
		 * a shorter one covers more than IPv4 and stays IPv6. */
		if (b.net.family == AF_INET && len < 96) {
			b.net.family = AF_INET6;
			memcpy(b.net.bytes, bytes, 16);
		} else if (b.net.family == AF_INET) {
			len -= 96;
		}
	} else {
		b.net.family = AF_INET;
		memcpy(b.net.bytes, bytes, 4);
	}
	b.len = (uint8_t)len;
	*ret = b;
	return 0;
}

static int block_equal(const struct cwp_block *x, const struct cwp_block *y)
{
	return x->len == y->len && cwp_addr_equal(&x->net, &y->net, 0);
}

int cwp_block_list_parse(const char *text, struct cwp_block *blocks, size_t cap,
                         size_t *n_inout, char *err, size_t errlen)
{
	char item[CWP_ITEM_MAX + 1];
	const char *cursor = text;
	size_t n, i, first;
	int rc;

	if (!text || !n_inout || (!blocks && cap) || *n_inout > cap)
		return cwp_error(err, errlen, -EINVAL, "no list");
	first = n = *n_inout;
	while ((rc = cwp_list_next(&cursor, item)) != 0) {
		struct cwp_block b;

		if (rc < 0)
			return cwp_error(err, errlen, CWCOM_ESYNTAX, "'%s...' is not an address", item);
		rc = cwp_block_parse(item, &b, err, errlen);
		if (rc < 0)
			return rc;
		for (i = 0; i < n; i++)
			if (block_equal(&blocks[i], &b))
				return cwp_error(err, errlen, CWCOM_EDUPLICATE, "'%s' is listed twice", item);
		if (n == cap)
			return cwp_error(err, errlen, CWCOM_ELIMIT, "more than %zu blocks", cap);
		blocks[n++] = b;
	}
	if (n == first)
		return cwp_error(err, errlen, CWCOM_ESYNTAX, "no address");
	*n_inout = n;
	return 0;
}

int cwp_block_contains(const struct cwp_block *b, const struct cwp_addr *a)
{
	return b->net.family == a->family && b->len <= family_bits(a->family) &&
	       leading_bits_equal(b->net.bytes, a->bytes, b->len);
}

long cwp_block_list_match(const struct cwp_block *blocks, size_t n, const struct cwp_addr *a)
{
	struct cwp_addr norm;
	long best = -1;
	size_t i;

	if (!a || !blocks)
		return -1;
	norm = *a;
	cwp_addr_normalize(&norm);
	for (i = 0; i < n; i++)
		if (cwp_block_contains(&blocks[i], &norm) &&
		    (best < 0 || blocks[i].len > blocks[best].len))
			best = (long)i;
	return best;
}

long cwp_block_list_match_sockaddr(const struct cwp_block *blocks, size_t n,
                                   const struct sockaddr_storage *ss)
{
	struct cwp_addr a;

	if (cwp_addr_from_sockaddr(ss, &a) < 0)
		return -1;
	return cwp_block_list_match(blocks, n, &a);
}

long cwp_block_list_match_text(const struct cwp_block *blocks, size_t n, const char *text)
{
	struct cwp_addr a;

	if (cwp_addr_parse(text, &a) < 0)
		return -1;
	return cwp_block_list_match(blocks, n, &a);
}

int cwp_block_format(const struct cwp_block *b, char *buf, size_t len)
{
	int n, m;

	if (!b)
		return -EINVAL;
	n = cwp_addr_format(&b->net, buf, len);
	if (n < 0)
		return n;
	m = snprintf(buf + n, len - (size_t)n, "/%u", (unsigned)b->len);
	if (m < 0 || (size_t)(n + m) >= len)
		return -ENOSPC;
	return n + m;
}
