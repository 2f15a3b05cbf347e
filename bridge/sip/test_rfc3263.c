/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/test_rfc3263.c — sip-rfc3263: NAPTR selection, the SRV names
 * asked without NAPTR, RFC 2782 ordering by priority and weight, the answer's
 * smallest TTL.
 */
#include "rfc3263.h"

#include <errno.h>
#include "check.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t fixed(void *arg)
{
	return *(uint32_t *)arg;
}

static void test_naptr(void)
{
	/* RFC 3263 §4.1's example, with one service we do not know and a TLS record */
	static const struct cws_naptr_rec recs[] = {
		{ 90, 50, "s", "SIP+D2T", "_sip._tcp.example.com" },
		{ 100, 50, "s", "SIP+D2U", "_sip._udp.example.com" },
		{ 50, 50, "s", "SIPS+D2T", "_sips._tcp.example.com" },
		{ 10, 10, "s", "E2U+sip", "_x._udp.example.com" },
		{ 90, 10, "u", "SIP+D2U", "!^.*$!sip:a@b!" },
		{ 90, 40, "S", "sip+d2u", "_sip._udp.alt.example.com" },
	};
	struct cws_srv_name out[8];
	size_t n;

	n = cws_naptr_pick(recs, N(recs), CWS_DNS_UDP | CWS_DNS_TCP, 0, out, N(out));
	CHECK_INT(n, 3);
	CHECK_STR(out[0].name, "_sip._udp.alt.example.com"); /* order 90, preference 40 */
	CHECK_INT(out[0].transport, CWS_DNS_UDP);
	CHECK_STR(out[1].name, "_sip._tcp.example.com");
	CHECK_INT(out[1].transport, CWS_DNS_TCP);
	CHECK_STR(out[2].name, "_sip._udp.example.com");
	/* TLS served: SIPS+D2T comes first (order 50) */
	n = cws_naptr_pick(recs, N(recs), CWS_DNS_UDP | CWS_DNS_TLS, 0, out, N(out));
	CHECK_INT(n, 3);
	CHECK_STR(out[0].name, "_sips._tcp.example.com");
	CHECK_INT(out[0].transport, CWS_DNS_TLS);
	/* sips: only the TLS services */
	n = cws_naptr_pick(recs, N(recs), CWS_DNS_UDP | CWS_DNS_TCP | CWS_DNS_TLS, 1, out, N(out));
	CHECK_INT(n, 1);
	CHECK_STR(out[0].name, "_sips._tcp.example.com");
	/* nothing served that the records offer */
	CHECK_INT(cws_naptr_pick(recs, 2, CWS_DNS_TLS, 0, out, N(out)), 0);
	/* max bounds the output */
	CHECK_INT(cws_naptr_pick(recs, N(recs), CWS_DNS_UDP | CWS_DNS_TCP, 0, out, 1), 1);
}

static void test_srv_names(void)
{
	struct cws_srv_name out[4];

	CHECK_INT(cws_srv_names("gw.test", CWS_DNS_UDP | CWS_DNS_TCP, 0, 0, out, N(out)), 2);
	CHECK_STR(out[0].name, "_sip._udp.gw.test");
	CHECK_STR(out[1].name, "_sip._tcp.gw.test");
	CHECK_INT(cws_srv_names("gw.test", CWS_DNS_UDP, CWS_DNS_TCP, 0, out, N(out)), 1);
	CHECK_STR(out[0].name, "_sip._tcp.gw.test");
	CHECK_INT(cws_srv_names("gw.test", CWS_DNS_UDP | CWS_DNS_TLS, 0, 1, out, N(out)), 1);
	CHECK_STR(out[0].name, "_sips._tcp.gw.test");
	CHECK_INT(out[0].transport, CWS_DNS_TLS);
}

static void test_srv_order(void)
{
	struct cws_srv_rec r[] = {
		{ 20, 0, 5062, "c.test" },
		{ 10, 60, 5060, "a.test" },
		{ 10, 40, 5061, "b.test" },
		{ 10, 0, 5063, "z.test" },
	};
	struct cws_srv_rec dot[] = { { 0, 0, 0, "." } };
	uint32_t v = 0;

	/* r = 0: the zero-weight record of priority 10 first, then by running sums */
	CHECK_INT(cws_srv_order(r, N(r), fixed, &v), 4);
	CHECK_STR(r[0].target, "z.test");
	CHECK_INT(r[0].priority, 10);
	CHECK_STR(r[3].target, "c.test"); /* priority 20 last */
	/* r = 100 (mod 101): the running sum reaches it only at the last record */
	{
		struct cws_srv_rec s[] = {
			{ 10, 60, 1, "a.test" },
			{ 10, 40, 2, "b.test" },
		};
		v = 100;
		cws_srv_order(s, N(s), fixed, &v);
		CHECK_STR(s[0].target, "b.test");
		CHECK_STR(s[1].target, "a.test");
		v = 59;
		s[0] = (struct cws_srv_rec){ 10, 60, 1, "a.test" };
		s[1] = (struct cws_srv_rec){ 10, 40, 2, "b.test" };
		cws_srv_order(s, N(s), fixed, &v);
		CHECK_STR(s[0].target, "a.test");
	}
	CHECK_INT(cws_srv_order(dot, 1, fixed, &v), 0);
}

static void test_ttl(void)
{
	/* one question (gw.test A), two answers: TTL 300 and 60, a pointer for each name */
	static const unsigned char msg[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
		2, 'g', 'w', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1,
		0xC0, 12, 0, 1, 0, 1, 0, 0, 0x01, 0x2C, 0, 4, 127, 0, 0, 1,
		0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 2,
	};
	uint32_t ttl = 0;

	CHECK_INT(cws_dns_min_ttl(msg, sizeof(msg), 1, &ttl), 0);
	CHECK_INT(ttl, 60);
	CHECK_INT(cws_dns_min_ttl(msg, sizeof(msg), 33, &ttl), -ENOENT);
	CHECK_INT(cws_dns_min_ttl(msg, sizeof(msg) - 1, 1, &ttl), -EINVAL);
	CHECK_INT(cws_dns_min_ttl(msg, 11, 1, &ttl), -EINVAL);
}

int main(void)
{
	test_naptr();
	test_srv_names();
	test_srv_order();
	test_ttl();
	return check_done();
}
