/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/test_tls_name.c — sip-tls-name: the RFC 5922 §7 host name
 * check on the cases that section names.
 */
#include "tls_name.h"

#include <stdio.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int failures;

static void expect(int line, const char *host, const struct cws_tls_names *n, int want)
{
	int got = cws_tls_name_match(host, n);
	if (got != want) {
		fprintf(stderr, "line %d: '%s' matched %d, want %d\n", line, host, got, want);
		failures++;
	}
}

int main(void)
{
	static const char *const dns[] = {"sip.example.com", "Other.Example.NET."};
	static const char *const wild[] = {"*.example.com", "sip*.example.com"};
	static const char *const uris[] = {"sip:proxy.example.org", "sips:alice@user.example.org",
	                                   "sips:edge.example.org:5061;transport=tcp",
	                                   "http://web.example.org"};
	static const char *const ips[] = {"192.0.2.7", "2001:db8::1"};
	struct cws_tls_names n;

	/* dNSName, case folded, trailing dot ignored (§7.2) */
	n = (struct cws_tls_names){.dns = dns, .ndns = N(dns), .cn = "cn.example.com"};
	expect(__LINE__, "sip.example.com", &n, 1);
	expect(__LINE__, "SIP.EXAMPLE.COM", &n, 1);
	expect(__LINE__, "other.example.net", &n, 1);
	expect(__LINE__, "sip.example.com.", &n, 1);
	expect(__LINE__, "example.com", &n, 0);
	expect(__LINE__, "a.sip.example.com", &n, 0);
	/* a CN is not looked at when there is a subjectAltName (§7.1) */
	expect(__LINE__, "cn.example.com", &n, 0);

	/* no wildcards (§7.2) */
	n = (struct cws_tls_names){.dns = wild, .ndns = N(wild)};
	expect(__LINE__, "sip.example.com", &n, 0);
	expect(__LINE__, "sip1.example.com", &n, 0);
	expect(__LINE__, "*.example.com", &n, 0);
	n = (struct cws_tls_names){.cn = "*.example.com"};
	expect(__LINE__, "a.example.com", &n, 0);

	/* URI entries: sip:/sips: without a user part name a domain (§7.1) */
	n = (struct cws_tls_names){.uri = uris, .nuri = N(uris)};
	expect(__LINE__, "proxy.example.org", &n, 1);
	expect(__LINE__, "PROXY.example.org", &n, 1);
	expect(__LINE__, "edge.example.org", &n, 1);
	expect(__LINE__, "user.example.org", &n, 0);
	expect(__LINE__, "web.example.org", &n, 0);

	/* CN only without subjectAltName (§7.1) */
	n = (struct cws_tls_names){.cn = "Legacy.Example.com"};
	expect(__LINE__, "legacy.example.com", &n, 1);
	expect(__LINE__, "other.example.com", &n, 0);
	n = (struct cws_tls_names){.ip = ips, .nip = N(ips), .cn = "legacy.example.com"};
	expect(__LINE__, "legacy.example.com", &n, 0);

	/* IP literals against iPAddress entries only, compared as addresses */
	expect(__LINE__, "192.0.2.7", &n, 1);
	expect(__LINE__, "192.0.2.8", &n, 0);
	expect(__LINE__, "[2001:db8::1]", &n, 1);
	expect(__LINE__, "2001:0db8:0:0::1", &n, 1);
	expect(__LINE__, "[2001:db8::2]", &n, 0);
	n = (struct cws_tls_names){.dns = (const char *const[]){"192.0.2.7"}, .ndns = 1,
	                              .cn = "192.0.2.7"};
	expect(__LINE__, "192.0.2.7", &n, 0);

	/* nothing names nothing */
	n = (struct cws_tls_names){0};
	expect(__LINE__, "sip.example.com", &n, 0);
	expect(__LINE__, "", &n, 0);
	expect(__LINE__, "192.0.2.7", &n, 0);

	if (failures == 0)
		printf("sip-tls-name: all cases hold\n");
	return failures ? 1 : 0;
}
