/* SPDX-License-Identifier: MIT */
/*
 * test_uac_state.c — one request's challenges as the UAC keeps them: a 401
 * answered once, the answer accepted by this module's own verifier; the same
 * realm again is final (wrong password); stale=true renews once; a 407 and
 * then a 401 of another realm are both answered, nc counting per nonce; a
 * challenge nothing here can compute, and too many realms; one response with a
 * challenge per algorithm for one realm (RFC 8760 §2.4): the first is answered.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "auth.h"
#include "check.h"

#define URI "sip:4930100@192.0.2.7:5070"

static const uint8_t secret[32] = "0123456789abcdef0123456789abcdef";

static int lookup(void *arg, const char *username, const char *realm, enum cwa_algorithm alg,
                  struct cwa_secret *out)
{
	(void)arg, (void)realm, (void)alg;
	memset(out, 0, sizeof(*out));
	if (strcmp(username, "gw") != 0)
		return -ENOENT;
	out->kind = CWA_SECRET_PASSWORD;
	out->password = "s3cret";
	return 0;
}

static struct cwa_verifier *verifier(const char *realm, enum cwa_algorithm alg)
{
	struct cwa_verifier_config cfg = {
		.secret = secret, .secret_len = 32, .realm = realm, .nonce_lifetime = 300,
		.algorithms = CWA_ALG_BIT(alg), .replay_slots = 8, .use_opaque = 1,
	};
	struct cwa_verifier *v = NULL;

	CHECK(cwa_verifier_new(&cfg, &v) == 0);
	return v;
}

/* The verdict of v on the answer to realm i of st, with password pw. */
static enum cwa_verdict answer(struct cwa_verifier *v, struct cwa_uac_state *st, size_t i,
                               const char *pw, int *proxy, uint64_t now)
{
	struct cwa_uac_input in = {"gw", pw, NULL, "INVITE", URI, "0a4f113b", 0};
	struct cwa_request req;
	enum cwa_verdict verdict = CWA_VERDICT_FORBIDDEN;
	char buf[1024];
	size_t len;

	CHECK(cwa_uac_state_answer(st, i, &in, proxy, buf, sizeof(buf), &len) == 0);
	req = (struct cwa_request){"INVITE", URI, buf, len};
	CHECK(cwa_verifier_verify(v, &req, lookup, NULL, now, &verdict, NULL, NULL) == 0);
	return verdict;
}

static void once_per_realm(void)
{
	struct cwa_verifier *v = verifier("trunk.example.net", CWA_ALG_SHA256);
	struct cwa_uac_state st;
	char ch[512];
	const char *vals[1] = {ch};
	int proxy = -1;

	cwa_uac_state_init(&st);
	CHECK(cwa_verifier_challenge(v, 1, 0, CWA_ALG_SHA256, ch, sizeof(ch), NULL) == 0);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, vals, 1), 0);
	CHECK_INT(cwa_uac_state_count(&st), 1);
	CHECK(answer(v, &st, 0, "s3cret", &proxy, 2) == CWA_VERDICT_OK);
	CHECK_INT(proxy, 0);
	CHECK_INT(st.realms[0].nc, 1);
	/* a second challenge of the same realm: the credentials were refused */
	CHECK(cwa_verifier_challenge(v, 3, 0, CWA_ALG_SHA256, ch, sizeof(ch), NULL) == 0);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, vals, 1), -EACCES);
	/* the same realm from a proxy is another realm to answer */
	CHECK_INT(cwa_uac_state_challenged(&st, 1, vals, 1), 0);
	CHECK_INT(cwa_uac_state_count(&st), 2);
	cwa_verifier_free(v);
}

static void wrong_password(void)
{
	struct cwa_verifier *v = verifier("trunk.example.net", CWA_ALG_MD5);
	struct cwa_uac_state st;
	char ch[512];
	const char *vals[1] = {ch};

	cwa_uac_state_init(&st);
	CHECK(cwa_verifier_challenge(v, 1, 0, CWA_ALG_MD5, ch, sizeof(ch), NULL) == 0);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, vals, 1), 0);
	CHECK(answer(v, &st, 0, "wrong", NULL, 2) == CWA_VERDICT_FORBIDDEN);
	CHECK(cwa_verifier_challenge(v, 2, 0, CWA_ALG_MD5, ch, sizeof(ch), NULL) == 0);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, vals, 1), -EACCES);
	cwa_verifier_free(v);
}

static void stale_once(void)
{
	struct cwa_verifier *v = verifier("trunk.example.net", CWA_ALG_MD5);
	struct cwa_uac_state st;
	char ch[512];
	const char *vals[1] = {ch};

	cwa_uac_state_init(&st);
	CHECK(cwa_verifier_challenge(v, 1, 0, CWA_ALG_MD5, ch, sizeof(ch), NULL) == 0);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, vals, 1), 0);
	CHECK(answer(v, &st, 0, "s3cret", NULL, 2) == CWA_VERDICT_OK);
	CHECK(cwa_verifier_challenge(v, 3, 1, CWA_ALG_MD5, ch, sizeof(ch), NULL) == 0);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, vals, 1), 0);
	CHECK_INT(st.realms[0].nc, 0); /* a new nonce: counted from 1 again */
	CHECK(answer(v, &st, 0, "s3cret", NULL, 4) == CWA_VERDICT_OK);
	/* stale a second time: refused, no endless loop */
	CHECK(cwa_verifier_challenge(v, 5, 1, CWA_ALG_MD5, ch, sizeof(ch), NULL) == 0);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, vals, 1), -EACCES);
	cwa_verifier_free(v);
}

static void proxy_then_uas(void)
{
	struct cwa_verifier *pv = verifier("proxy.example.net", CWA_ALG_MD5);
	struct cwa_verifier *uv = verifier("pbx.example.net", CWA_ALG_SHA512_256);
	struct cwa_uac_state st;
	char ch[512];
	const char *vals[1] = {ch};
	int proxy = -1;

	cwa_uac_state_init(&st);
	CHECK(cwa_verifier_challenge(pv, 1, 0, CWA_ALG_MD5, ch, sizeof(ch), NULL) == 0);
	CHECK_INT(cwa_uac_state_challenged(&st, 1, vals, 1), 0);
	CHECK(answer(pv, &st, 0, "s3cret", &proxy, 2) == CWA_VERDICT_OK);
	CHECK_INT(proxy, 1);
	CHECK(cwa_verifier_challenge(uv, 3, 0, CWA_ALG_SHA512_256, ch, sizeof(ch), NULL) == 0);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, vals, 1), 0);
	CHECK_INT(cwa_uac_state_count(&st), 2);
	/* RFC 3261 §22.3: the proxy's credentials go again, nc 2 on its nonce */
	CHECK(answer(pv, &st, 0, "s3cret", &proxy, 4) == CWA_VERDICT_OK);
	CHECK_INT(st.realms[0].nc, 2);
	CHECK(answer(uv, &st, 1, "s3cret", &proxy, 4) == CWA_VERDICT_OK);
	CHECK_INT(proxy, 0);
	cwa_verifier_free(pv);
	cwa_verifier_free(uv);
}

static void algorithms(void)
{
	struct cwa_verifier *v = verifier("proxy.example.net", CWA_ALG_SHA256);
	struct cwa_uac_state st;
	char sha[512], md5[512];
	const char *vals[2] = {sha, md5}, *unknown[2] = {"Digest realm=\"proxy.example.net\", "
	                                                 "nonce=\"x\", algorithm=SHA-256-sess", md5};

	cwa_uac_state_init(&st);
	CHECK(cwa_verifier_challenge(v, 1, 0, CWA_ALG_SHA256, sha, sizeof(sha), NULL) == 0);
	snprintf(md5, sizeof(md5), "Digest realm=\"proxy.example.net\", nonce=\"m\", algorithm=MD5");
	/* SHA-256 first, MD5 second: one realm, answered with SHA-256 */
	CHECK_INT(cwa_uac_state_challenged(&st, 1, vals, 2), 0);
	CHECK_INT(cwa_uac_state_count(&st), 1);
	CHECK_INT(st.realms[0].ch.algorithm, CWA_ALG_SHA256);
	CHECK(answer(v, &st, 0, "s3cret", NULL, 2) == CWA_VERDICT_OK);
	/* the same two again: the realm was answered, refused (the second no excuse) */
	CHECK(cwa_verifier_challenge(v, 3, 0, CWA_ALG_SHA256, sha, sizeof(sha), NULL) == 0);
	CHECK_INT(cwa_uac_state_challenged(&st, 1, vals, 2), -EACCES);
	/* a first value nothing here computes: the next one is taken */
	cwa_uac_state_init(&st);
	CHECK_INT(cwa_uac_state_challenged(&st, 1, unknown, 2), 0);
	CHECK_INT(st.realms[0].ch.algorithm, CWA_ALG_MD5);
	cwa_verifier_free(v);
}

static void unusable(void)
{
	struct cwa_uac_state st;
	const char *sess[1] = {"Digest realm=\"r\", nonce=\"n\", algorithm=MD5-sess, qop=\"auth\""};
	const char *basic[1] = {"Basic realm=\"r\""};
	const char *intonly[1] = {"Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\""};
	char v[4][64];
	const char *vals[4] = {v[0], v[1], v[2], v[3]};

	cwa_uac_state_init(&st);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, sess, 1), -ENOENT);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, basic, 1), -ENOENT);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, intonly, 1), -ENOENT);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, NULL, 0), -ENOENT);
	CHECK_INT(cwa_uac_state_count(&st), 0);
	for (int i = 0; i < 4; i++)
		snprintf(v[i], sizeof(v[i]), "Digest realm=\"r%d\", nonce=\"n\"", i);
	CHECK_INT(cwa_uac_state_challenged(&st, 0, vals, 4), 0);
	CHECK_INT(cwa_uac_state_count(&st), CWA_UAC_REALMS_MAX);
	snprintf(v[0], sizeof(v[0]), "Digest realm=\"r9\", nonce=\"n\"");
	CHECK_INT(cwa_uac_state_challenged(&st, 0, vals, 1), CWCOM_ELIMIT);
	CHECK_INT(cwa_uac_state_challenged(NULL, 0, vals, 1), -EINVAL);
}

int main(void)
{
	once_per_realm();
	wrong_password();
	stale_once();
	proxy_then_uas();
	algorithms();
	unusable();
	return check_done();
}
