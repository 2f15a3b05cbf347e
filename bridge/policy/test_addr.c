/* SPDX-License-Identifier: MIT */
/*
 * test_addr.c — addresses and address blocks: RFC 4291 §2.2 text forms,
 * IPv4-mapped addresses (§2.5.5.2), prefix lengths, host bits, lists.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <causeway/common.h>

#include "common/error.h"
#include "addr.h"
#include "check.h"

static void check_addr_round_trip(const char *text, int family, const char *canonical)
{
	char out[CWP_ADDR_TEXT_MAX];
	struct cwp_addr a;

	CHECK(cwp_addr_parse(text, &a) == 0);
	CHECK(a.family == family);
	CHECK(a.port == 0);
	CHECK(cwp_addr_format(&a, out, sizeof(out)) == (int)strlen(canonical));
	CHECK(strcmp(out, canonical) == 0);
}

static void test_addr_parse(void)
{
	static const char *const broken[] = {
		"", " 192.0.2.1", "192.0.2.1 ", "192.0.2", "192.0.2.256", "192.0.2.01",
		"1.2.3.4.5", "2001:db8::1::2", "2001:db8:::1", ":::", "2001:db8::g",
		"[2001:db8::1]", "fe80::1%eth0", "192.0.2.1:5060", "localhost", "1:2:3:4:5:6:7:8:9",
		"12345::", "::ffff:1.2.3", NULL,
	};
	struct cwp_addr a, before;
	size_t i;

	check_addr_round_trip("192.0.2.1", AF_INET, "192.0.2.1");
	check_addr_round_trip("0.0.0.0", AF_INET, "0.0.0.0");
	check_addr_round_trip("2001:DB8:0:0:0:0:0:1", AF_INET6, "2001:db8::1");
	check_addr_round_trip("2001:db8::", AF_INET6, "2001:db8::");
	check_addr_round_trip("::", AF_INET6, "::");
	check_addr_round_trip("::1", AF_INET6, "::1");
	check_addr_round_trip("1:2:3:4:5:6:7:8", AF_INET6, "1:2:3:4:5:6:7:8");
	check_addr_round_trip("64:ff9b::192.0.2.33", AF_INET6, "64:ff9b::c000:221");
	/* RFC 4291 §2.5.5.2: IPv4-mapped becomes the IPv4 address */
	check_addr_round_trip("::ffff:192.0.2.1", AF_INET, "192.0.2.1");
	check_addr_round_trip("::FFFF:c000:0201", AF_INET, "192.0.2.1");
	/* §2.5.5.1 IPv4-compatible is not mapped */
	check_addr_round_trip("::192.0.2.1", AF_INET6, "::192.0.2.1");

	memset(&before, 0x5a, sizeof(before));
	for (i = 0; broken[i]; i++) {
		a = before;
		CHECK(cwp_addr_parse(broken[i], &a) == CWCOM_ESYNTAX);
		CHECK(memcmp(&a, &before, sizeof(a)) == 0); /* untouched on failure */
	}
	CHECK(cwp_addr_parse(NULL, &a) == -EINVAL);
	CHECK(cwp_addr_parse("192.0.2.1", NULL) == -EINVAL);
}

/* A recvfrom() peer: text in family, port; what a dual-stack socket gives. */
static void peer(struct sockaddr_storage *ss, int family, const char *text, uint16_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		CHECK(inet_pton(AF_INET, text, &sin->sin_addr) == 1);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		CHECK(inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1);
	}
}

/* The peer converts to want_family and formats as want. */
static void check_peer(int family, const char *text, uint16_t port, int want_family,
                       const char *want)
{
	struct sockaddr_storage ss;
	char out[CWP_ADDR_TEXT_MAX];
	struct cwp_addr a;

	peer(&ss, family, text, port);
	CHECK(cwp_addr_from_sockaddr(&ss, &a) == 0);
	CHECK(a.family == want_family && a.port == port);
	CHECK(cwp_addr_format(&a, out, sizeof(out)) == (int)strlen(want));
	CHECK(strcmp(out, want) == 0);
	/* too small a buffer */
	CHECK(cwp_addr_format(&a, out, strlen(want)) == -ENOSPC);
}

static void test_addr_sockaddr(void)
{
	struct sockaddr_storage ss;
	struct cwp_addr a;

	check_peer(AF_INET, "198.51.100.7", 5060, AF_INET, "198.51.100.7:5060");
	check_peer(AF_INET6, "2001:db8::5", 5061, AF_INET6, "[2001:db8::5]:5061");
	/* a dual-stack socket's IPv4 peer */
	check_peer(AF_INET6, "::ffff:198.51.100.7", 5061, AF_INET, "198.51.100.7:5061");

	peer(&ss, AF_INET, "198.51.100.7", 5060);
	ss.ss_family = AF_UNIX;
	CHECK(cwp_addr_from_sockaddr(&ss, &a) == -EINVAL);
	CHECK(cwp_addr_from_sockaddr(NULL, &a) == -EINVAL);
}

struct block_vector {
	const char *text;
	int rc;
	const char *canonical; /* rc 0: cwp_block_format() */
};

static void test_block_parse(void)
{
	static const struct block_vector v[] = {
		{ "192.0.2.0/24", 0, "192.0.2.0/24" },
		{ "192.0.2.1", 0, "192.0.2.1/32" },
		{ "192.0.2.1/32", 0, "192.0.2.1/32" },
		{ "0.0.0.0/0", 0, "0.0.0.0/0" },
		{ "10.0.0.0/8", 0, "10.0.0.0/8" },
		{ "2001:db8::/32", 0, "2001:db8::/32" },
		{ "2001:DB8:0::/48", 0, "2001:db8::/48" },
		{ "::/0", 0, "::/0" },
		{ "::1", 0, "::1/128" },
		{ "2001:db8::8000/113", 0, "2001:db8::8000/113" },
		/* RFC 4291 §2.5.5.2: a block of IPv4-mapped addresses is the IPv4 block */
		{ "::ffff:192.0.2.0/120", 0, "192.0.2.0/24" },
		{ "::ffff:192.0.2.7", 0, "192.0.2.7/32" },
		{ "::ffff:0.0.0.0/96", 0, "0.0.0.0/0" },
		{ "::ffff:0:0/95", CWCOM_ESYNTAX, NULL },  /* bit 95 is set in ffff */
		{ "::/80", 0, "::/80" },
		/* host bits */
		{ "192.0.2.1/24", CWCOM_ESYNTAX, NULL },
		{ "10.0.0.1/0", CWCOM_ESYNTAX, NULL },
		{ "2001:db8::1/64", CWCOM_ESYNTAX, NULL },
		{ "2001:db8::8000/112", CWCOM_ESYNTAX, NULL },
		{ "2001:db8::/111", 0, "2001:db8::/111" },
		{ "2001:db8::4000/113", CWCOM_ESYNTAX, NULL },
		/* lengths */
		{ "192.0.2.0/33", -ERANGE, NULL },
		{ "2001:db8::/129", -ERANGE, NULL },
		{ "192.0.2.0/999", -ERANGE, NULL },
		{ "192.0.2.0/1000", CWCOM_ESYNTAX, NULL },
		{ "192.0.2.0/", CWCOM_ESYNTAX, NULL },
		{ "192.0.2.0/024", CWCOM_ESYNTAX, NULL },
		{ "192.0.2.0/+24", CWCOM_ESYNTAX, NULL },
		{ "192.0.2.0/-1", CWCOM_ESYNTAX, NULL },
		{ "192.0.2.0/24/24", CWCOM_ESYNTAX, NULL },
		{ "192.0.2.0/2x", CWCOM_ESYNTAX, NULL },
		/* addresses */
		{ "", CWCOM_ESYNTAX, NULL },
		{ "/24", CWCOM_ESYNTAX, NULL },
		{ "gateway.example/24", CWCOM_ESYNTAX, NULL },
		{ "[2001:db8::]/32", CWCOM_ESYNTAX, NULL },
		{ "192.0.2/24", CWCOM_ESYNTAX, NULL },
		{ "2001:db8::1%lo", CWCOM_ESYNTAX, NULL },
	};
	char out[CWP_ADDR_TEXT_MAX + 4], err[CWP_ERROR_MAX];
	struct cwp_block b;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int rc;

		err[0] = '\0';
		rc = cwp_block_parse(v[i].text, &b, err, sizeof(err));
		CHECK(rc == v[i].rc);
		if (rc != v[i].rc)
			fprintf(stderr, "  '%s': %d (%s)\n", v[i].text, rc, err);
		if (rc == 0 && v[i].rc == 0) {
			CHECK(cwp_block_format(&b, out, sizeof(out)) == (int)strlen(v[i].canonical));
			CHECK(strcmp(out, v[i].canonical) == 0);
		} else if (rc != 0) {
			CHECK(err[0] != '\0');
		}
	}
	/* the messages say what is wrong */
	CHECK(cwp_block_parse("192.0.2.1/24", &b, err, sizeof(err)) == CWCOM_ESYNTAX);
	CHECK(strstr(err, "bits set past /24") != NULL);
	CHECK(cwp_block_parse("192.0.2.0/40", &b, err, sizeof(err)) == -ERANGE);
	CHECK(strstr(err, "more than 32") != NULL);
	CHECK(cwp_block_parse("pbx.example", &b, err, sizeof(err)) == CWCOM_ESYNTAX);
	CHECK(strstr(err, "names are not resolved") != NULL);
	/* err may be NULL or short */
	CHECK(cwp_block_parse("192.0.2.1/24", &b, NULL, 0) == CWCOM_ESYNTAX);
	CHECK(cwp_block_parse("192.0.2.1/24", &b, err, 4) == CWCOM_ESYNTAX && strlen(err) == 3);
}

static void test_block_list(void)
{
	struct cwp_block blocks[4];
	char err[CWP_ERROR_MAX];
	struct cwp_addr a;
	size_t n = 0;

	CHECK(cwp_block_list_parse("192.0.2.0/24, 2001:db8::/32 10.0.0.0/8,,\t192.0.2.128/25",
	                           blocks, 4, &n, err, sizeof(err)) == 0);
	CHECK(n == 4);
	/* the most specific block wins */
	CHECK(cwp_block_list_match_text(blocks, n, "192.0.2.200") == 3);
	CHECK(cwp_block_list_match_text(blocks, n, "192.0.2.100") == 0);
	CHECK(cwp_block_list_match_text(blocks, n, "::ffff:192.0.2.200") == 3);
	CHECK(cwp_block_list_match_text(blocks, n, "10.255.255.255") == 2);
	CHECK(cwp_block_list_match_text(blocks, n, "11.0.0.0") == -1);
	CHECK(cwp_block_list_match_text(blocks, n, "2001:db8:ffff::1") == 1);
	CHECK(cwp_block_list_match_text(blocks, n, "2001:db9::1") == -1);
	/* an IPv4 block never matches an IPv6 address that is not mapped */
	CHECK(cwp_block_list_match_text(blocks, n, "::192.0.2.200") == -1);
	CHECK(cwp_block_list_match_text(blocks, n, "not an address") == -1);
	CHECK(cwp_addr_parse("192.0.2.9", &a) == 0);
	a.port = 5060; /* ports are ignored */
	CHECK(cwp_block_list_match(blocks, n, &a) == 0);
	CHECK(cwp_block_list_match(blocks, n, NULL) == -1);
	/* ::ffff:192.0.2.200 filled by hand */
	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	a.bytes[10] = a.bytes[11] = 0xff;
	a.bytes[12] = 192;
	a.bytes[14] = 2;
	a.bytes[15] = 200;
	CHECK(cwp_block_list_match(blocks, n, &a) == 3);
	cwp_addr_normalize(&a);
	CHECK(a.family == AF_INET && a.bytes[0] == 192 && a.bytes[3] == 200 && a.bytes[15] == 0);

	/* full, duplicate, empty, broken: nothing appended */
	CHECK(cwp_block_list_parse("198.51.100.0/24", blocks, 4, &n, err, sizeof(err)) == CWCOM_ELIMIT);
	CHECK(n == 4);
	n = 1;
	CHECK(cwp_block_list_parse("198.51.100.0/24 ::ffff:192.0.2.0/120", blocks, 4, &n, err,
	                           sizeof(err)) == CWCOM_EDUPLICATE);
	CHECK(n == 1 && strstr(err, "listed twice") != NULL);
	CHECK(cwp_block_list_parse(" , ", blocks, 4, &n, err, sizeof(err)) == CWCOM_ESYNTAX);
	CHECK(cwp_block_list_parse("", blocks, 4, &n, err, sizeof(err)) == CWCOM_ESYNTAX);
	CHECK(cwp_block_list_parse("198.51.100.0/24, 198.51.100.1/24", blocks, 4, &n, err,
	                           sizeof(err)) == CWCOM_ESYNTAX);
	CHECK(n == 1);
	CHECK(cwp_block_list_parse("1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:cccc", blocks,
	                           4, &n, err, sizeof(err)) == CWCOM_ESYNTAX);
	CHECK(n == 1);
	CHECK(cwp_block_list_parse("198.51.100.0/24", blocks, 4, &n, err, sizeof(err)) == 0);
	CHECK(n == 2);
	n = 5;
	CHECK(cwp_block_list_parse("198.51.100.0/24", blocks, 4, &n, err, sizeof(err)) == -EINVAL);
}

static void test_block_sockaddr(void)
{
	struct sockaddr_storage ss;
	struct cwp_block blocks[2];
	size_t n = 0;

	CHECK(cwp_block_list_parse("192.0.2.0/24 2001:db8::/32", blocks, 2, &n, NULL, 0) == 0);
	peer(&ss, AF_INET6, "::ffff:192.0.2.77", 5060);
	CHECK(cwp_block_list_match_sockaddr(blocks, n, &ss) == 0);
	peer(&ss, AF_INET, "192.0.2.77", 5060);
	CHECK(cwp_block_list_match_sockaddr(blocks, n, &ss) == 0);
	peer(&ss, AF_INET6, "2001:db8:1::77", 5060);
	CHECK(cwp_block_list_match_sockaddr(blocks, n, &ss) == 1);
	peer(&ss, AF_INET6, "::ffff:192.0.3.77", 5060);
	CHECK(cwp_block_list_match_sockaddr(blocks, n, &ss) == -1);
	ss.ss_family = AF_UNIX;
	CHECK(cwp_block_list_match_sockaddr(blocks, n, &ss) == -1);
}

int main(void)
{
	test_addr_parse();
	test_addr_sockaddr();
	test_block_parse();
	test_block_list();
	test_block_sockaddr();
	return check_done();
}
