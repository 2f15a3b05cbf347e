/* SPDX-License-Identifier: MIT */
/*
 * test_verifier.c — the UAS side end to end: a verifier's challenge is
 * answered by the UAC code and checked again, then spoiled one way at a
 * time: stale, replayed nc, wrong realm, wrong uri, wrong password,
 * unknown user, a nonce of another secret or tampered, opaque, qop,
 * algorithms, the RFC 2069 form, a forgotten nonce.
 */
#include <errno.h>
#include <string.h>

#include "auth.h"
#include "check.h"

#define REALM "gw.example.net"
#define URI "sip:+4930100@gw.example.net"
#define LIFETIME 300

static const uint8_t secret_a[32] = "0123456789abcdef0123456789abcdef";
static const uint8_t secret_b[32] = "fedcba9876543210fedcba9876543210";

/* alice has a password; bob an MD5 HA1 only */
static int lookup(void *arg, const char *username, const char *realm, enum cwa_algorithm alg,
                  struct cwa_secret *out)
{
	(void)arg;
	memset(out, 0, sizeof(*out));
	if (strcmp(username, "alice") == 0) {
		out->kind = CWA_SECRET_PASSWORD;
		out->password = "wonderland";
		return 0;
	}
	if (strcmp(username, "bob") == 0 && alg == CWA_ALG_MD5) {
		out->kind = CWA_SECRET_HA1;
		return cwa_ha1(alg, "bob", realm, "builder", out->ha1) ? -ENOENT : 0;
	}
	return -ENOENT;
}

static struct cwa_verifier_config config(const uint8_t *secret)
{
	struct cwa_verifier_config cfg = {
		.secret = secret, .secret_len = 32, .realm = REALM, .nonce_lifetime = LIFETIME,
		.algorithms = CWA_ALG_BIT(CWA_ALG_MD5) | CWA_ALG_BIT(CWA_ALG_SHA256),
		.replay_slots = 4, .allow_rfc2069 = 0, .use_opaque = 1,
	};
	return cfg;
}

static struct cwa_verifier *verifier(const struct cwa_verifier_config *cfg)
{
	struct cwa_verifier *v = NULL;

	CHECK(cwa_verifier_new(cfg, &v) == 0);
	return v;
}

/* A challenge of v, parsed as a UAC would. */
static struct cwa_challenge challenge(struct cwa_verifier *v, uint64_t now, int stale,
                                      enum cwa_algorithm alg)
{
	struct cwa_challenge ch;
	char hdr[512];
	size_t len = 0, n = 0;

	memset(&ch, 0, sizeof(ch));
	CHECK(cwa_verifier_challenge(v, now, stale, alg, hdr, sizeof(hdr), &len) == 0);
	CHECK(cwa_challenges_parse(hdr, len, &ch, 1, &n) == 0 && n == 1);
	CHECK(strcmp(ch.realm, REALM) == 0 && ch.algorithm == alg && ch.qop == CWA_QOP_AUTH);
	CHECK(ch.stale == !!stale);
	return ch;
}

struct answer {
	const char *user, *password, *uri, *method;
	uint32_t nc;
};

static void answer(const struct cwa_challenge *ch, const struct answer *a, char *buf, size_t size)
{
	struct cwa_uac_input in = {
		.username = a->user, .password = a->password, .method = a->method ? a->method : "INVITE",
		.uri = a->uri ? a->uri : URI, .cnonce = "4f1c2a", .nc = a->nc ? a->nc : 1,
	};

	CHECK(cwa_uac_authorization(ch, &in, buf, size, NULL) == 0);
}

static enum cwa_verdict verify(struct cwa_verifier *v, const char *credentials, uint64_t now,
                               enum cwa_reason *reason)
{
	struct cwa_request req = {.method = "INVITE", .request_uri = URI, .credentials = credentials,
	                          .credentials_len = credentials ? strlen(credentials) : 0};
	enum cwa_verdict verdict;

	CHECK(cwa_verifier_verify(v, &req, lookup, NULL, now, &verdict, reason, NULL) == 0);
	return verdict;
}

#define EXPECT(v, cred, now, want_verdict, want_reason)                       \
	do {                                                                  \
		enum cwa_reason why_ = CWA_REASON_NONE;                       \
		enum cwa_verdict got_ = verify(v, cred, now, &why_);          \
		if (got_ != (want_verdict) || why_ != (want_reason))          \
			fprintf(stderr, "line %d: verdict %d reason %s\n", __LINE__, got_, \
			        cwa_reason_name(why_));                       \
		CHECK(got_ == (want_verdict) && why_ == (want_reason));       \
	} while (0)

static void good_and_replayed(void)
{
	struct cwa_verifier_config cfg = config(secret_a);
	struct cwa_verifier *v = verifier(&cfg);
	struct cwa_challenge ch = challenge(v, 1000, 0, CWA_ALG_SHA256);
	struct answer a = {.user = "alice", .password = "wonderland"};
	struct cwa_request req = {.method = "INVITE", .request_uri = URI};
	char cred[1024], user[CWA_VALUE_MAX + 1] = "";
	enum cwa_verdict verdict;
	enum cwa_reason why;

	answer(&ch, &a, cred, sizeof(cred));
	req.credentials = cred;
	req.credentials_len = strlen(cred);
	CHECK(cwa_verifier_verify(v, &req, lookup, NULL, 1001, &verdict, &why, user) == 0);
	CHECK(verdict == CWA_VERDICT_OK && why == CWA_REASON_NONE && strcmp(user, "alice") == 0);
	/* the same nc again: a replay */
	EXPECT(v, cred, 1002, CWA_VERDICT_STALE, CWA_REASON_REPLAY);
	/* the next nc is fine, a lower one is not */
	a.nc = 3;
	answer(&ch, &a, cred, sizeof(cred));
	EXPECT(v, cred, 1003, CWA_VERDICT_OK, CWA_REASON_NONE);
	a.nc = 2;
	answer(&ch, &a, cred, sizeof(cred));
	EXPECT(v, cred, 1004, CWA_VERDICT_STALE, CWA_REASON_REPLAY);
	/* answered for another method (BYE): A2 differs, so does the response */
	a.nc = 9;
	a.method = "BYE";
	answer(&ch, &a, cred, sizeof(cred));
	EXPECT(v, cred, 1005, CWA_VERDICT_FORBIDDEN, CWA_REASON_WRONG_RESPONSE);
	cwa_verifier_free(v);
}

static void stale(void)
{
	struct cwa_verifier_config cfg = config(secret_a);
	struct cwa_verifier *v = verifier(&cfg);
	struct cwa_challenge ch = challenge(v, 1000, 0, CWA_ALG_MD5);
	struct answer a = {.user = "alice", .password = "wonderland"};
	struct answer wrong = {.user = "alice", .password = "looking-glass"};
	char cred[1024];

	answer(&ch, &a, cred, sizeof(cred));
	EXPECT(v, cred, 1000 + LIFETIME + 1, CWA_VERDICT_STALE, CWA_REASON_EXPIRED);
	/* expired and wrong: no stale, a refusal */
	answer(&ch, &wrong, cred, sizeof(cred));
	EXPECT(v, cred, 1000 + LIFETIME + 1, CWA_VERDICT_FORBIDDEN, CWA_REASON_WRONG_RESPONSE);
	/* at the edge of the lifetime it still holds */
	answer(&ch, &a, cred, sizeof(cred));
	EXPECT(v, cred, 1000 + LIFETIME, CWA_VERDICT_OK, CWA_REASON_NONE);
	/* a nonce from the future is none of ours */
	ch = challenge(v, 5000, 1, CWA_ALG_MD5);
	answer(&ch, &a, cred, sizeof(cred));
	EXPECT(v, cred, 4999, CWA_VERDICT_CHALLENGE, CWA_REASON_BAD_NONCE);
	cwa_verifier_free(v);
}

/* a's answer to ch, checked by v at 1001. */
static void expect_answer(struct cwa_verifier *v, const struct cwa_challenge *ch,
                          const struct answer *a, enum cwa_verdict verdict, enum cwa_reason reason)
{
	char cred[1024];

	answer(ch, a, cred, sizeof(cred));
	EXPECT(v, cred, 1001, verdict, reason);
}

static void refusals(void)
{
	struct cwa_verifier_config cfg = config(secret_a), cfg_b = config(secret_b);
	struct cwa_verifier *v = verifier(&cfg), *other = verifier(&cfg_b);
	struct cwa_challenge ch = challenge(v, 1000, 0, CWA_ALG_MD5);
	struct answer a = {.user = "alice", .password = "wonderland"};
	char cred[1024], *p;

	EXPECT(v, NULL, 1000, CWA_VERDICT_CHALLENGE, CWA_REASON_NO_CREDENTIALS);
	EXPECT(v, "Basic YWxpY2U6d29uZGVybGFuZA==", 1000, CWA_VERDICT_CHALLENGE,
	       CWA_REASON_MALFORMED);
	EXPECT(v, "Digest username=alice", 1000, CWA_VERDICT_CHALLENGE, CWA_REASON_MALFORMED);

	/* wrong password, unknown user: the same verdict */
	{
		struct answer w = {.user = "alice", .password = "guess"};
		struct answer u = {.user = "mallory", .password = "wonderland"};

		expect_answer(v, &ch, &w, CWA_VERDICT_FORBIDDEN, CWA_REASON_WRONG_RESPONSE);
		expect_answer(v, &ch, &u, CWA_VERDICT_FORBIDDEN, CWA_REASON_UNKNOWN_USER);
	}
	/* the uri parameter must be the Request-URI */
	{
		struct answer u = {.user = "alice", .password = "wonderland", .uri = "sip:+4930999@gw.example.net"};

		expect_answer(v, &ch, &u, CWA_VERDICT_FORBIDDEN, CWA_REASON_WRONG_URI);
	}
	/* another realm in the challenge the UAC answers */
	{
		struct cwa_challenge r = ch;

		strcpy(r.realm, "other.example.net");
		expect_answer(v, &r, &a, CWA_VERDICT_CHALLENGE, CWA_REASON_OTHER_REALM);
	}
	/* a nonce of another secret (a restart), and one tampered with */
	{
		struct cwa_challenge o = challenge(other, 1000, 0, CWA_ALG_MD5);

		expect_answer(v, &o, &a, CWA_VERDICT_CHALLENGE, CWA_REASON_BAD_NONCE);
		o = ch;
		o.nonce[3] = o.nonce[3] == '0' ? '1' : '0'; /* the timestamp */
		expect_answer(v, &o, &a, CWA_VERDICT_CHALLENGE, CWA_REASON_BAD_NONCE);
		o = ch;
		o.nonce[strlen(o.nonce) - 1] = '\0';
		expect_answer(v, &o, &a, CWA_VERDICT_CHALLENGE, CWA_REASON_BAD_NONCE);
	}
	/* opaque must come back unchanged */
	{
		struct cwa_challenge o = ch;

		o.has_opaque = 0;
		expect_answer(v, &o, &a, CWA_VERDICT_CHALLENGE, CWA_REASON_OPAQUE);
		o.has_opaque = 1;
		strcpy(o.opaque, "00");
		expect_answer(v, &o, &a, CWA_VERDICT_CHALLENGE, CWA_REASON_OPAQUE);
	}
	/* the algorithm is part of the nonce: an MD5 nonce is no SHA-256 one */
	{
		struct cwa_challenge o = ch;

		o.algorithm = CWA_ALG_SHA256;
		expect_answer(v, &o, &a, CWA_VERDICT_CHALLENGE, CWA_REASON_BAD_NONCE);
		o.algorithm = CWA_ALG_SHA512_256; /* not offered */
		expect_answer(v, &o, &a, CWA_VERDICT_CHALLENGE, CWA_REASON_ALGORITHM);
	}
	/* without qop, while RFC 2069 answers are not allowed */
	{
		struct cwa_challenge o = ch;

		o.qop = 0;
		expect_answer(v, &o, &a, CWA_VERDICT_CHALLENGE, CWA_REASON_QOP);
	}
	/* qop=auth-int was never offered */
	answer(&ch, &a, cred, sizeof(cred));
	p = strstr(cred, "qop=auth");
	CHECK(p != NULL);
	{
		char spoiled[1100];

		snprintf(spoiled, sizeof(spoiled), "%.*sqop=auth-int%s", (int)(p - cred), cred, p + 8);
		EXPECT(v, spoiled, 1001, CWA_VERDICT_CHALLENGE, CWA_REASON_QOP);
	}
	/* after all that the right answer still works */
	EXPECT(v, cred, 1001, CWA_VERDICT_OK, CWA_REASON_NONE);
	cwa_verifier_free(v);
	cwa_verifier_free(other);
}

static void stored_ha1(void)
{
	struct cwa_verifier_config cfg = config(secret_a);
	struct cwa_verifier *v = verifier(&cfg);
	struct answer b = {.user = "bob", .password = "builder"};
	struct cwa_challenge md5 = challenge(v, 10, 0, CWA_ALG_MD5);
	struct cwa_challenge sha = challenge(v, 10, 0, CWA_ALG_SHA256);
	char cred[1024];

	answer(&md5, &b, cred, sizeof(cred));
	EXPECT(v, cred, 11, CWA_VERDICT_OK, CWA_REASON_NONE);
	/* bob has no SHA-256 HA1 */
	answer(&sha, &b, cred, sizeof(cred));
	EXPECT(v, cred, 11, CWA_VERDICT_FORBIDDEN, CWA_REASON_UNKNOWN_USER);
	cwa_verifier_free(v);
}

static void rfc2069(void)
{
	struct cwa_verifier_config cfg = config(secret_a);
	struct cwa_verifier *v;
	struct cwa_challenge ch;
	struct answer a = {.user = "alice", .password = "wonderland"};
	char cred[1024];

	cfg.allow_rfc2069 = 1;
	cfg.use_opaque = 0;
	v = verifier(&cfg);
	ch = challenge(v, 10, 0, CWA_ALG_MD5);
	CHECK(!ch.has_opaque);
	ch.qop = 0;
	answer(&ch, &a, cred, sizeof(cred));
	CHECK(strstr(cred, "qop") == NULL);
	EXPECT(v, cred, 11, CWA_VERDICT_OK, CWA_REASON_NONE);
	/* without nc there is no telling a replay: such a nonce serves once */
	EXPECT(v, cred, 12, CWA_VERDICT_STALE, CWA_REASON_REPLAY);
	cwa_verifier_free(v);
}

static void forgotten(void)
{
	struct cwa_verifier_config cfg = config(secret_a);
	struct cwa_verifier *v = verifier(&cfg);
	struct answer a = {.user = "alice", .password = "wonderland"};
	struct cwa_challenge first = challenge(v, 10, 0, CWA_ALG_MD5), last;
	char cred[1024];

	/* replay_slots newer challenges push the first out */
	for (size_t i = 0; i < cfg.replay_slots; i++)
		last = challenge(v, 10, 0, CWA_ALG_MD5);
	answer(&first, &a, cred, sizeof(cred));
	EXPECT(v, cred, 11, CWA_VERDICT_STALE, CWA_REASON_FORGOTTEN);
	answer(&last, &a, cred, sizeof(cred));
	EXPECT(v, cred, 11, CWA_VERDICT_OK, CWA_REASON_NONE);
	/* two nonces of one instant differ, and count apart */
	CHECK(strcmp(first.nonce, last.nonce) != 0);
	cwa_verifier_free(v);
}

static void bad_config(void)
{
	struct cwa_verifier_config cfg = config(secret_a);
	struct cwa_verifier *v = NULL;
	char buf[512];

	cfg.secret_len = 15;
	CHECK(cwa_verifier_new(&cfg, &v) == -EINVAL);
	cfg = config(secret_a);
	cfg.algorithms = 0;
	CHECK(cwa_verifier_new(&cfg, &v) == -EINVAL);
	cfg.algorithms = CWA_ALG_BIT(CWA_ALG_UNKNOWN);
	CHECK(cwa_verifier_new(&cfg, &v) == -EINVAL);
	cfg = config(secret_a);
	cfg.replay_slots = 0;
	CHECK(cwa_verifier_new(&cfg, &v) == -EINVAL);
	cfg = config(secret_a);
	cfg.nonce_lifetime = 0;
	CHECK(cwa_verifier_new(&cfg, &v) == -EINVAL);
	cfg = config(secret_a);
	cfg.algorithms = CWA_ALG_BIT(CWA_ALG_SHA256);
	CHECK(cwa_verifier_new(&cfg, &v) == 0);
	CHECK(cwa_verifier_challenge(v, 0, 0, CWA_ALG_MD5, buf, sizeof(buf), NULL) == -EINVAL);
	CHECK(cwa_verifier_challenge(v, 0, 0, CWA_ALG_SHA256, buf, 40, NULL) == -ENOSPC);
	CHECK(cwa_verifier_verify(v, NULL, lookup, NULL, 0, NULL, NULL, NULL) == -EINVAL);
	cwa_verifier_free(v);
	CHECK(strcmp(cwa_reason_name(CWA_REASON_REPLAY), "nonce count replayed") == 0);
	CHECK(strcmp(cwa_reason_name((enum cwa_reason)99), "unknown") == 0);
}

int main(void)
{
	good_and_replayed();
	stale();
	refusals();
	stored_ha1();
	rfc2069();
	forgotten();
	bad_config();
	return check_done();
}
