/* SPDX-License-Identifier: MIT */
/*
 * test_digest.c — the digest against the RFCs' worked examples: RFC 7616
 * §3.9.1 (MD5 and SHA-256, "Mufasa"), RFC 2617 §3.5 (MD5, qop=auth, the
 * example RFC 3261 §22.4 inherits); the RFC 2069 §2.1.1 form without qop
 * on RFC 2069's example inputs (the expected value computed apart, with
 * Python's hashlib, not by this code); then the UAC
 * answering the RFC 7616 challenges, and the constant-time comparison.
 */
#include <errno.h>
#include <string.h>

#include "common/error.h"
#include "auth_internal.h"
#include "check.h"

#define RFC7616_REALM "http-auth@example.org"
#define RFC7616_NONCE "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define RFC7616_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
#define RFC7616_OPAQUE "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
#define RFC7616_MD5 "8ca523f5e9506fed4657c9700eebdbec"
#define RFC7616_SHA256 "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"

static void rfc7616_response(enum cwa_algorithm alg, const char *want)
{
	char ha1[CWA_HEX_MAX + 1], out[CWA_HEX_MAX + 1];
	struct cwa_response_input in = {
		.algorithm = alg, .ha1 = ha1, .method = "GET", .uri = "/dir/index.html",
		.nonce = RFC7616_NONCE, .qop = "auth", .nc = 1, .cnonce = RFC7616_CNONCE,
	};

	CHECK(cwa_ha1(alg, "Mufasa", RFC7616_REALM, "Circle of Life", ha1) == 0);
	CHECK(cwa_response(&in, out) == 0);
	CHECK(strcmp(out, want) == 0);
	/* a stored HA1 in upper case gives the same response */
	for (char *c = ha1; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 32);
	CHECK(cwa_response(&in, out) == 0);
	CHECK(strcmp(out, want) == 0);
}

static void rfc2617_example(void)
{
	char ha1[CWA_HEX_MAX + 1], out[CWA_HEX_MAX + 1];
	struct cwa_response_input in = {
		.algorithm = CWA_ALG_MD5, .ha1 = ha1, .method = "GET", .uri = "/dir/index.html",
		.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093", .qop = "auth", .nc = 1,
		.cnonce = "0a4f113b",
	};

	CHECK(cwa_ha1(CWA_ALG_MD5, "Mufasa", "testrealm@host.com", "Circle Of Life", ha1) == 0);
	CHECK(cwa_response(&in, out) == 0);
	CHECK(strcmp(out, "6629fae49393a05397450978507c4ef1") == 0);
}

static void rfc2069_form(void)
{
	char ha1[CWA_HEX_MAX + 1], out[CWA_HEX_MAX + 1];
	struct cwa_response_input in = {
		.algorithm = CWA_ALG_MD5, .ha1 = ha1, .method = "GET", .uri = "/dir/index.html",
		.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093",
	};

	CHECK(cwa_ha1(CWA_ALG_MD5, "Mufasa", "testrealm@host.com", "CircleOfLife", ha1) == 0);
	CHECK(cwa_response(&in, out) == 0);
	CHECK(strcmp(out, "1949323746fe6a43ef61f9606e7febea") == 0);
}

/* FIPS 180-4 SHA-512/256 of "abc", through the field hash (one field, no ':'). */
static void sha512_256_vector(void)
{
	const char *abc[] = {"abc"};
	char out[CWA_HEX_MAX + 1];

	CHECK(cwa_hash_fields(CWA_ALG_SHA512_256, abc, 1, out) == 0);
	CHECK(strcmp(out, "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23") == 0);
	CHECK(cwa_hash_fields(CWA_ALG_UNKNOWN, abc, 1, out) == CWA_EALGORITHM);
}

static void algorithm_names(void)
{
	CHECK(cwa_algorithm_from_name("md5", 3) == CWA_ALG_MD5);
	CHECK(cwa_algorithm_from_name("SHA-256", 7) == CWA_ALG_SHA256);
	CHECK(cwa_algorithm_from_name("sha-512-256", 11) == CWA_ALG_SHA512_256);
	CHECK(cwa_algorithm_from_name("MD5-sess", 8) == CWA_ALG_UNKNOWN);
	CHECK(cwa_algorithm_from_name("SHA-256x", 7) == CWA_ALG_SHA256); /* length counts */
	CHECK(cwa_algorithm_from_name("SHA", 3) == CWA_ALG_UNKNOWN);
	CHECK(strcmp(cwa_algorithm_name(CWA_ALG_SHA256), "SHA-256") == 0);
	CHECK(cwa_algorithm_name(CWA_ALG_UNKNOWN) == NULL);
	CHECK(cwa_algorithm_hex_len(CWA_ALG_MD5) == 32);
	CHECK(cwa_algorithm_hex_len(CWA_ALG_SHA512_256) == 64);
	CHECK(cwa_algorithm_hex_len(CWA_ALG_UNKNOWN) == 0);
}

/* The two challenges of RFC 7616 §3.9.1 as one folded header value. */
static const char rfc7616_challenges[] =
	"Digest\r\n"
	"       realm=\"" RFC7616_REALM "\",\r\n"
	"       qop=\"auth, auth-int\",\r\n"
	"       algorithm=SHA-256,\r\n"
	"       nonce=\"" RFC7616_NONCE "\",\r\n"
	"       opaque=\"" RFC7616_OPAQUE "\", "
	"Digest\r\n"
	"       realm=\"" RFC7616_REALM "\",\r\n"
	"       qop=\"auth, auth-int\",\r\n"
	"       algorithm=MD5,\r\n"
	"       nonce=\"" RFC7616_NONCE "\",\r\n"
	"       opaque=\"" RFC7616_OPAQUE "\"";

static void uac_answers(const struct cwa_challenge *ch, const char *want)
{
	struct cwa_uac_input in = {
		.username = "Mufasa", .password = "Circle of Life", .method = "GET",
		.uri = "/dir/index.html", .cnonce = RFC7616_CNONCE, .nc = 1,
	};
	struct cwa_credentials c;
	char value[1024], ha1[CWA_HEX_MAX + 1];
	size_t len = 0;

	CHECK(cwa_uac_authorization(ch, &in, value, sizeof(value), &len) == 0);
	CHECK(len == strlen(value));
	CHECK(cwa_credentials_parse(value, len, &c) == 0);
	CHECK(strcmp(c.response, want) == 0);
	CHECK(strcmp(c.username, "Mufasa") == 0 && strcmp(c.realm, RFC7616_REALM) == 0);
	CHECK(strcmp(c.nonce, RFC7616_NONCE) == 0 && strcmp(c.cnonce, RFC7616_CNONCE) == 0);
	CHECK(c.has_opaque && strcmp(c.opaque, RFC7616_OPAQUE) == 0);
	CHECK(c.has_algorithm && c.algorithm == ch->algorithm);
	CHECK(c.qop == CWA_QOP_AUTH && c.nc == 1);
	CHECK(strstr(value, "nc=00000001") != NULL && strstr(value, "qop=auth") != NULL);

	/* the same from a stored HA1 */
	CHECK(cwa_ha1(ch->algorithm, "Mufasa", RFC7616_REALM, "Circle of Life", ha1) == 0);
	in.password = NULL;
	in.ha1 = ha1;
	CHECK(cwa_uac_authorization(ch, &in, value, sizeof(value), &len) == 0);
	CHECK(cwa_credentials_parse(value, len, &c) == 0 && strcmp(c.response, want) == 0);

	/* too small a buffer */
	CHECK(cwa_uac_authorization(ch, &in, value, 40, &len) == -ENOSPC);
	in.ha1 = "abc";
	CHECK(cwa_uac_authorization(ch, &in, value, sizeof(value), &len) == -EINVAL);
}

static void uac(void)
{
	struct cwa_challenge ch[4];
	const struct cwa_challenge *pick;
	size_t n = 0;

	CHECK(cwa_challenges_parse(rfc7616_challenges, strlen(rfc7616_challenges), ch, 4, &n) == 0);
	CHECK(n == 2);
	pick = cwa_challenge_pick(ch, n);
	CHECK(pick == &ch[0] && pick->algorithm == CWA_ALG_SHA256); /* RFC 8760 §2.4: first */
	uac_answers(&ch[0], RFC7616_SHA256);
	uac_answers(&ch[1], RFC7616_MD5);

	/* an unknown algorithm first: the next one is picked */
	ch[0].algorithm = CWA_ALG_UNKNOWN;
	CHECK(cwa_challenge_pick(ch, n) == &ch[1]);
	/* auth-int only: nothing to answer with */
	ch[1].qop = CWA_QOP_AUTH_INT;
	CHECK(cwa_challenge_pick(ch, n) == NULL);
	{
		struct cwa_uac_input in = {.username = "u", .password = "p", .method = "INVITE",
		                           .uri = "sip:a@b", .cnonce = "c", .nc = 1};
		char value[512];

		CHECK(cwa_uac_authorization(&ch[1], &in, value, sizeof(value), NULL) == -ENOENT);
		CHECK(cwa_uac_authorization(&ch[0], &in, value, sizeof(value), NULL) == CWA_EALGORITHM);
	}
}

/* No qop offered: the RFC 2069 form, no cnonce or nc written. */
static void uac_rfc2069(void)
{
	static const char hdr[] = "Digest realm=\"testrealm@host.com\", "
	                          "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"";
	struct cwa_uac_input in = {.username = "Mufasa", .password = "CircleOfLife",
	                           .method = "GET", .uri = "/dir/index.html"};
	struct cwa_challenge ch;
	struct cwa_credentials c;
	char value[512];
	size_t n = 0, len = 0;

	CHECK(cwa_challenges_parse(hdr, strlen(hdr), &ch, 1, &n) == 0 && n == 1);
	CHECK(ch.algorithm == CWA_ALG_MD5 && !ch.has_algorithm && ch.qop == 0);
	CHECK(cwa_uac_authorization(&ch, &in, value, sizeof(value), &len) == 0);
	CHECK(strstr(value, "cnonce") == NULL && strstr(value, "nc=") == NULL);
	CHECK(cwa_credentials_parse(value, len, &c) == 0);
	CHECK(strcmp(c.response, "1949323746fe6a43ef61f9606e7febea") == 0 && c.qop == 0);
}

static void uac_escapes(void)
{
	static const char hdr[] = "Digest realm=\"a \\\"quoted\\\" realm\", nonce=n";
	struct cwa_uac_input in = {.username = "back\\slash", .password = "p", .method = "INVITE",
	                           .uri = "sip:bob@example.com", .cnonce = "xyz", .nc = 2};
	struct cwa_challenge ch;
	struct cwa_credentials c;
	char value[512];
	size_t n = 0, len = 0;

	CHECK(cwa_challenges_parse(hdr, strlen(hdr), &ch, 1, &n) == 0);
	CHECK(strcmp(ch.realm, "a \"quoted\" realm") == 0);
	ch.qop = CWA_QOP_AUTH;
	CHECK(cwa_uac_authorization(&ch, &in, value, sizeof(value), &len) == 0);
	CHECK(strstr(value, "username=\"back\\\\slash\"") != NULL);
	CHECK(cwa_credentials_parse(value, len, &c) == 0);
	CHECK(strcmp(c.username, "back\\slash") == 0 && strcmp(c.realm, ch.realm) == 0);
	CHECK(c.nc == 2);
}

static void digest_equal(void)
{
	CHECK(cwa_digest_equal(RFC7616_MD5, RFC7616_MD5));
	CHECK(cwa_digest_equal("8CA523F5E9506FED4657C9700EEBDBEC", RFC7616_MD5));
	CHECK(!cwa_digest_equal("8ca523f5e9506fed4657c9700eebdbed", RFC7616_MD5));
	CHECK(!cwa_digest_equal("8ca523f5e9506fed4657c9700eebdbe", RFC7616_MD5));
	CHECK(!cwa_digest_equal("", ""));
	CHECK(!cwa_digest_equal(RFC7616_SHA256 "00", RFC7616_SHA256 "00"));
	/* '@' is not 'a' lower-cased, nor '[' '{' */
	CHECK(!cwa_digest_equal("@", "`"));
	CHECK(!cwa_digest_equal("[", "{"));
}

static void errors(void)
{
	char out[CWA_HEX_MAX + 1];
	struct cwa_response_input in = {.algorithm = CWA_ALG_MD5, .ha1 = "00", .method = "GET",
	                                .uri = "/", .nonce = "n"};

	CHECK(cwa_response(&in, out) == -EINVAL); /* HA1 of the wrong length */
	in.algorithm = CWA_ALG_UNKNOWN;
	CHECK(cwa_response(&in, out) == CWA_EALGORITHM);
	CHECK(cwa_ha1(CWA_ALG_MD5, NULL, "r", "p", out) == -EINVAL);
	CHECK(strcmp(cwa_strerror(CWA_ESCHEME), "not Digest authentication") == 0);
	CHECK(strcmp(cwa_strerror(CWA_EALGORITHM), "unsupported digest algorithm") == 0);
	CHECK(strcmp(cwa_strerror(CWCOM_ESYNTAX), cwcom_strerror(CWCOM_ESYNTAX)) == 0);
}

int main(void)
{
	rfc7616_response(CWA_ALG_MD5, RFC7616_MD5);
	rfc7616_response(CWA_ALG_SHA256, RFC7616_SHA256);
	rfc2617_example();
	rfc2069_form();
	sha512_256_vector();
	algorithm_names();
	uac();
	uac_rfc2069();
	uac_escapes();
	digest_equal();
	errors();
	return check_done();
}
