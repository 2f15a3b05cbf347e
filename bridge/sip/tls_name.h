/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/tls_name.h — does a server certificate name the SIP host we
 * meant to reach? RFC 5922 §7.1-§7.3, pure: the names are handed in as text
 * (tls.c takes them out of the X.509 certificate), no OpenSSL here.
 */
#ifndef BRIDGE_SIP_TLS_NAME_H
#define BRIDGE_SIP_TLS_NAME_H

#include <stddef.h>

/* The identities a certificate presents. */
struct cws_tls_names {
	const char *const *dns;   /* subjectAltName dNSName entries */
	size_t ndns;
	const char *const *uri;   /* subjectAltName uniformResourceIdentifier entries */
	size_t nuri;
	const char *const *ip;    /* subjectAltName iPAddress entries, numeric text */
	size_t nip;
	const char *cn;           /* the subject's most specific CN, or NULL */
};

/*
 * cws_tls_name_match() - 1 if `host` (a SIP URI host: a domain name, an
 * IPv4 literal or a bracketed/unbracketed IPv6 literal) is named by `names`,
 * else 0.
 *
 * Domain names (RFC 5922 §7.1, §7.2): compared without regard to case with
 * each dNSName and with the host of each sip:/sips: URI without a user part;
 * the CN is used only when the certificate has no subjectAltName of those
 * kinds; no wildcard matches anything (§7.2: "wildcard ... MUST NOT" be
 * taken as matching). IP literals compare as addresses with iPAddress
 * entries only.
 */
int cws_tls_name_match(const char *host, const struct cws_tls_names *names);

#endif
