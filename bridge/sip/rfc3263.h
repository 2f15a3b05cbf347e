/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/rfc3263.h — the pure part of locating a SIP server (RFC 3263 §4):
 * which NAPTR records lead where, which SRV names to ask without them, the
 * order of SRV records (RFC 2782), and the smallest TTL of a DNS answer. No
 * I/O, no clock; randomness is the caller's.
 */
#ifndef BRIDGE_SIP_RFC3263_H
#define BRIDGE_SIP_RFC3263_H
#include <stddef.h>
#include <stdint.h>

/* Transports, as bits (the same values as the configuration's CWCFG_TRANSPORT_*). */
#define CWS_DNS_UDP 0x1u
#define CWS_DNS_TCP 0x2u
#define CWS_DNS_TLS 0x4u

#define CWS_DNS_NAME_MAX 256

struct cws_srv_rec {
	uint16_t priority, weight, port;
	char target[CWS_DNS_NAME_MAX];
};

struct cws_naptr_rec {
	uint16_t order, preference;
	char flags[16];
	char service[32];
	char replacement[CWS_DNS_NAME_MAX];
};

/* An SRV name to ask and the transport its records serve. */
struct cws_srv_name {
	char name[CWS_DNS_NAME_MAX + 16];
	unsigned transport; /* one CWS_DNS_* bit */
};

/*
 * cws_naptr_pick() - RFC 3263 §4.1: of n NAPTR records, those with flag "s" and a
 * service this client serves (SIP+D2U -> UDP, SIP+D2T -> TCP, SIP+D2S -> TLS; sips:
 * only SIPS+D2T / SIP+D2S), in the order of RFC 3403 §4.1 (order, then preference),
 * written to out (at most max). Returns how many.
 */
size_t cws_naptr_pick(const struct cws_naptr_rec *recs, size_t n, unsigned served, int sips,
                      struct cws_srv_name *out, size_t max);

/*
 * cws_srv_names() - RFC 3263 §4.1 without NAPTR records: the SRV names of host for the
 * transports served (_sip._udp, _sip._tcp, _sips._tcp; sips: only _sips._tcp), or only
 * for transport when it is not 0 (the URI said it). Returns how many.
 */
size_t cws_srv_names(const char *host, unsigned served, unsigned transport, int sips,
                     struct cws_srv_name *out, size_t max);

/*
 * cws_srv_order() - RFC 2782: sort recs by priority, lowest first, and within one
 * priority pick by weight: rnd(arg) gives uniform 32-bit values. A single record whose
 * target is "." (service not offered) leaves none: returns the number left.
 */
size_t cws_srv_order(struct cws_srv_rec *recs, size_t n, uint32_t (*rnd)(void *), void *arg);

/*
 * cws_dns_min_ttl() - the smallest TTL of the answer section's records of type qtype in
 * the DNS message buf (RFC 1035 §4.1). 0 and *ttl written when one was found, -ENOENT
 * when none, -EINVAL for a message that ends early or whose names do not parse.
 */
int cws_dns_min_ttl(const unsigned char *buf, size_t len, unsigned qtype, uint32_t *ttl);

#endif /* BRIDGE_SIP_RFC3263_H */
