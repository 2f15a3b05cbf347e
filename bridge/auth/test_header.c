/* SPDX-License-Identifier: MIT */
/*
 * test_header.c — the challenge and credentials parsers (RFC 3261 §25.1):
 * good headers value by value, then a table of broken ones and the code
 * each must give.
 */
#include <errno.h>
#include <string.h>

#include "common/error.h"
#include "auth.h"
#include "check.h"

static int parse_challenges(const char *s, struct cwa_challenge *out, size_t max, size_t *n)
{
	return cwa_challenges_parse(s, strlen(s), out, max, n);
}

static void rfc3261_challenge(void)
{
	/* the RFC 3261 §20.44 example, with stale and its odd case */
	static const char s[] = "Digest realm=\"atlanta.com\", domain=\"sip:boxesbybob.com\", "
	                        "qop=\"auth\", nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", "
	                        "opaque=\"\", stale=FALSE, algorithm=MD5";
	struct cwa_challenge c;
	size_t n = 0;

	CHECK(parse_challenges(s, &c, 1, &n) == 0 && n == 1);
	CHECK(strcmp(c.realm, "atlanta.com") == 0);
	CHECK(strcmp(c.nonce, "f84f1cec41e6cbe5aea9c8e88d359") == 0);
	CHECK(c.has_opaque && c.opaque[0] == '\0');
	CHECK(c.stale == 0 && c.qop == CWA_QOP_AUTH);
	CHECK(c.has_algorithm && c.algorithm == CWA_ALG_MD5);
}

static void several_challenges(void)
{
	static const char s[] = "Basic realm=\"simple\", Bearer mF_9.B5f-4.1JqM==, "
	                        "Digest REALM=r1, NONCE=n1, Algorithm=sha-256, QOP=\"auth-int, auth\", "
	                        "Negotiate, "
	                        "digest realm=\"r2\", nonce=\"n2\", algorithm=MD5-sess, stale=true, "
	                        "qop=\"x-token\"";
	struct cwa_challenge c[4];
	size_t n = 0;

	CHECK(parse_challenges(s, c, 4, &n) == 0 && n == 2);
	CHECK(strcmp(c[0].realm, "r1") == 0 && strcmp(c[0].nonce, "n1") == 0);
	CHECK(c[0].algorithm == CWA_ALG_SHA256 && c[0].qop == (CWA_QOP_AUTH | CWA_QOP_AUTH_INT));
	CHECK(!c[0].has_opaque && !c[0].stale);
	CHECK(strcmp(c[1].realm, "r2") == 0 && c[1].algorithm == CWA_ALG_UNKNOWN);
	CHECK(c[1].stale == 1 && c[1].qop == CWA_QOP_OTHER);
	CHECK(cwa_challenge_pick(c, n) == &c[0]);
	/* room for one: the second Digest challenge does not fit */
	CHECK(parse_challenges(s, c, 1, &n) == CWCOM_ELIMIT);
	/* no Digest at all */
	CHECK(parse_challenges("Basic realm=\"x\", Bearer abc", c, 4, &n) == CWA_ESCHEME && n == 0);
}

static void quoting_and_folding(void)
{
	static const char s[] = "Digest\r\n\trealm=\"say \\\"hi\\\" \\\\ folded\r\n line\" ,\r\n"
	                        " nonce = \"\xc3\xa9t\xc3\xa9\" , , unknown=\"ignored, really\"";
	struct cwa_challenge c;
	size_t n = 0;

	CHECK(parse_challenges(s, &c, 1, &n) == 0 && n == 1);
	CHECK(strcmp(c.realm, "say \"hi\" \\ folded line") == 0);
	CHECK(strcmp(c.nonce, "\xc3\xa9t\xc3\xa9") == 0);
	CHECK(c.algorithm == CWA_ALG_MD5 && !c.has_algorithm && c.qop == 0);
}

static void bounded_read(void)
{
	/* the length is the end: what follows is never looked at */
	static const char s[] = "Digest realm=\"r\", nonce=\"n\"garbage";
	struct cwa_challenge c;
	struct cwa_credentials cr;
	size_t n = 0;

	CHECK(cwa_challenges_parse(s, strlen(s) - 7, &c, 1, &n) == 0 && n == 1);
	CHECK(cwa_challenges_parse(s, strlen(s), &c, 1, &n) == CWCOM_ESYNTAX);
	CHECK(cwa_challenges_parse(s, 24, &c, 1, &n) == CWCOM_ESYNTAX); /* inside "n" */
	CHECK(cwa_credentials_parse(s, 6, &cr) == CWCOM_EMISSING);
	CHECK(cwa_challenges_parse(NULL, 0, &c, 1, &n) == CWA_ESCHEME);
	CHECK(cwa_challenges_parse(NULL, 3, &c, 1, &n) == -EINVAL);
	CHECK(cwa_credentials_parse(s, strlen(s), NULL) == -EINVAL);
}

static void credentials(void)
{
	static const char s[] = "Digest username=\"bob\", realm=\"biloxi.com\", "
	                        "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:bob@biloxi.com\", "
	                        "qop=auth, nc=0000000a, cnonce=\"0a4f113b\", "
	                        "response=\"6629fae49393a05397450978507c4ef1\", "
	                        "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", userhash=false";
	struct cwa_credentials c;

	CHECK(cwa_credentials_parse(s, strlen(s), &c) == 0);
	CHECK(strcmp(c.username, "bob") == 0 && strcmp(c.realm, "biloxi.com") == 0);
	CHECK(strcmp(c.uri, "sip:bob@biloxi.com") == 0);
	CHECK(strcmp(c.response, "6629fae49393a05397450978507c4ef1") == 0);
	CHECK(c.qop == CWA_QOP_AUTH && c.nc == 10 && strcmp(c.cnonce, "0a4f113b") == 0);
	CHECK(c.has_opaque && !c.has_algorithm && c.algorithm == CWA_ALG_MD5);

	/* qop quoted, as some clients send it; algorithm quoted too */
	{
		static const char q[] = "Digest username=u, realm=r, nonce=n, uri=\"sip:a@b\", "
		                        "response=\"00\", qop=\"auth\", nc=00000001, cnonce=c, "
		                        "algorithm=\"SHA-256\"";

		CHECK(cwa_credentials_parse(q, strlen(q), &c) == 0);
		CHECK(c.qop == CWA_QOP_AUTH && c.algorithm == CWA_ALG_SHA256);
	}
}

struct broken {
	const char *text;
	int challenge_rc; /* what cwa_challenges_parse() gives */
	int credentials_rc; /* what cwa_credentials_parse() gives */
	size_t len;         /* 0: strlen(text) */
};

#define CRED "Digest username=u, realm=r, nonce=n, uri=\"sip:a@b\", response=\"00\""

static const struct broken broken[] = {
	{"", CWA_ESCHEME, CWCOM_ESYNTAX, 0},
	{"Digest", CWCOM_EMISSING, CWCOM_EMISSING, 0},
	{"Digest realm=\"r\"", CWCOM_EMISSING, CWCOM_EMISSING, 0},
	{"Digest nonce=\"n\"", CWCOM_EMISSING, CWCOM_EMISSING, 0},
	{"Digest realm=\"a, nonce=\"n", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0},     /* unbalanced quote */
	{"Digest realm=\"r\" nonce=\"n\"", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0},  /* no comma */
	{"Digest realm=\"r\", REALM=\"s\", nonce=n", CWCOM_EDUPLICATE, CWCOM_EDUPLICATE, 0},
	{"Digest realm=r, nonce=n, x=1, X=2", CWCOM_EDUPLICATE, CWCOM_EDUPLICATE, 0},
	{"Digest realm=, nonce=n", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0},          /* empty value */
	{"Digest realm=r, nonce=n, =v", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0},
	{"Digest realm=\"a\\\0b\", nonce=n", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 28}, /* escaped NUL */
	{"Digest realm=\"a\rb\", nonce=n", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0},  /* bare CR in quotes */
	{"Digest realm=\"a\r\nb\", nonce=n", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0}, /* CRLF not a fold */
	{"Digest realm=r,\r\nnonce=n", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0},      /* line end outside quotes */
	{"Digest realm=\"a\\", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0},              /* trailing backslash */
	{"Digest realm=\"\x01\", nonce=n", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0},  /* control in qdtext */
	{"Digest realm=r, nonce=n, stale=maybe", CWCOM_ESYNTAX, CWCOM_EMISSING, 0},
	{"Digest realm=r, nonce=n, qop=\"auth,\"", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0},
	{"Digest realm=r, nonce=n, qop=\"\"", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0},
	{"Digest\"realm=r", CWCOM_ESYNTAX, CWCOM_ESYNTAX, 0},                 /* no LWS after the scheme */
	{"realm=r, nonce=n", CWCOM_ESYNTAX, CWA_ESCHEME, 0},
	{"Basic dXNlcjpwYXNz", CWA_ESCHEME, CWA_ESCHEME, 0},
	{CRED, 0, 0, 0},
	{CRED ", qop=auth, cnonce=c", 0, CWCOM_EMISSING, 0},     /* qop without nc */
	{CRED ", qop=auth, nc=00000001", 0, CWCOM_EMISSING, 0},  /* qop without cnonce */
	{CRED ", qop=auth, nc=0000001, cnonce=c", 0, CWCOM_ESYNTAX, 0},
	{CRED ", qop=auth, nc=0000000g, cnonce=c", 0, CWCOM_ESYNTAX, 0},
	{CRED ", qop=auth, nc=000000001, cnonce=c", 0, CWCOM_ESYNTAX, 0},
	{CRED ", qop=auth, nc=0000000A, cnonce=c", 0, CWCOM_ESYNTAX, 0},  /* LHEX is lower case */
	{CRED ", qop=\"auth,auth-int\", nc=00000001, cnonce=c", 0, CWCOM_ESYNTAX, 0},
	{CRED ", Digest realm=r", CWCOM_EMISSING, CWCOM_ESYNTAX, 0},          /* one credentials a header */
};

static void broken_headers(void)
{
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		const struct broken *b = &broken[i];
		size_t len = b->len ? b->len : strlen(b->text), n = 99;
		struct cwa_challenge c[2];
		struct cwa_credentials cr;
		int r;

		r = cwa_challenges_parse(b->text, len, c, 2, &n);
		if (r != b->challenge_rc)
			fprintf(stderr, "challenge %zu: %d, %d expected\n", i, r, b->challenge_rc);
		CHECK(r == b->challenge_rc);
		CHECK(r != 0 || n > 0);
		r = cwa_credentials_parse(b->text, len, &cr);
		if (r != b->credentials_rc)
			fprintf(stderr, "credentials %zu: %d, %d expected\n", i, r, b->credentials_rc);
		CHECK(r == b->credentials_rc);
	}
}

static void limits(void)
{
	char s[1200];
	struct cwa_challenge c;
	size_t n, len;

	/* a value of exactly CWA_VALUE_MAX bytes fits, one more does not */
	len = (size_t)snprintf(s, sizeof(s), "Digest nonce=n, realm=\"%0*d\"", CWA_VALUE_MAX, 0);
	CHECK(cwa_challenges_parse(s, len, &c, 1, &n) == 0 && strlen(c.realm) == CWA_VALUE_MAX);
	len = (size_t)snprintf(s, sizeof(s), "Digest nonce=n, realm=\"%0*d\"", CWA_VALUE_MAX + 1, 0);
	CHECK(cwa_challenges_parse(s, len, &c, 1, &n) == CWCOM_ELIMIT);
	len = (size_t)snprintf(s, sizeof(s), "Digest nonce=n, realm=%0*d", CWA_VALUE_MAX + 1, 0);
	CHECK(cwa_challenges_parse(s, len, &c, 1, &n) == CWCOM_ELIMIT);

	/* CWA_PARAMS_MAX parameters are fine, one more is not */
	len = (size_t)snprintf(s, sizeof(s), "Digest realm=r, nonce=n");
	for (int i = 2; i < CWA_PARAMS_MAX; i++)
		len += (size_t)snprintf(s + len, sizeof(s) - len, ", p%d=v", i);
	CHECK(cwa_challenges_parse(s, len, &c, 1, &n) == 0);
	len += (size_t)snprintf(s + len, sizeof(s) - len, ", one=more");
	CHECK(cwa_challenges_parse(s, len, &c, 1, &n) == CWCOM_ELIMIT);
}

int main(void)
{
	rfc3261_challenge();
	several_challenges();
	quoting_and_folding();
	bounded_read();
	credentials();
	broken_headers();
	limits();
	return check_done();
}
