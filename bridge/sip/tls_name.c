/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/tls_name.c — the RFC 5922 §7 host name check, pure.
 */
#include "tls_name.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

/* A host as an address: family and bytes; 0 if it is a domain name. */
static int parse_ip(const char *host, unsigned char addr[16])
{
	char b[64];
	size_t n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		if (n - 2 >= sizeof(b))
			return 0;
		memcpy(b, host + 1, n - 2);
		b[n - 2] = 0;
	} else {
		if (n >= sizeof(b))
			return 0;
		memcpy(b, host, n + 1);
	}
	if (inet_pton(AF_INET, b, addr) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, b, addr) == 1)
		return AF_INET6;
	return 0;
}

/* Domain names equal without regard to case, one trailing dot ignored;
   a '*' anywhere in the certificate's name never matches (RFC 5922 §7.2). */
static int same_domain(const char *want, const char *cert, size_t cert_len)
{
	size_t wl = strlen(want);
	if (memchr(cert, '*', cert_len) != NULL || cert_len == 0 || wl == 0)
		return 0;
	if (want[wl - 1] == '.')
		wl--;
	if (cert[cert_len - 1] == '.')
		cert_len--;
	return wl == cert_len && strncasecmp(want, cert, wl) == 0;
}

/* The host of a sip:/sips: URI with no user part (RFC 5922 §7.1: a URI
   with a user part names a user, not a domain), compared with want. */
static int uri_names_domain(const char *want, const char *uri)
{
	const char *h, *end;
	if (strncasecmp(uri, "sip:", 4) == 0)
		h = uri + 4;
	else if (strncasecmp(uri, "sips:", 5) == 0)
		h = uri + 5;
	else
		return 0;
	end = h + strcspn(h, ":;?>");
	if (memchr(h, '@', strcspn(h, ";?>")) != NULL)
		return 0;
	return same_domain(want, h, (size_t)(end - h));
}

int cws_tls_name_match(const char *host, const struct cws_tls_names *n)
{
	unsigned char want[16], got[16];
	int fam;

	if (host == NULL || n == NULL || host[0] == 0)
		return 0;
	fam = parse_ip(host, want);
	if (fam != 0) {
		for (size_t i = 0; i < n->nip; i++)
			if (n->ip[i] && parse_ip(n->ip[i], got) == fam &&
			    memcmp(want, got, fam == AF_INET ? 4 : 16) == 0)
				return 1;
		return 0;
	}
	for (size_t i = 0; i < n->ndns; i++)
		if (n->dns[i] && same_domain(host, n->dns[i], strlen(n->dns[i])))
			return 1;
	for (size_t i = 0; i < n->nuri; i++)
		if (n->uri[i] && uri_names_domain(host, n->uri[i]))
			return 1;
	/* RFC 5922 §7.1: the CN only if there is no subjectAltName to look at */
	if (n->ndns == 0 && n->nuri == 0 && n->nip == 0 && n->cn)
		return same_domain(host, n->cn, strlen(n->cn));
	return 0;
}
