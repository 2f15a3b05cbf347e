/* SPDX-License-Identifier: MIT */
/*
 * fuzz_auth_header.c — libFuzzer target for the Digest header parsers
 * (header.c) and what is built on them.
 *
 * The input is parsed as a challenge list (with room for 1 and for 8
 * challenges) and as credentials. Every result is held to the contract
 * of auth.h: a known return code, NUL-terminated values within
 * CWA_VALUE_MAX, count within max. Each challenge the UAC can answer is
 * answered, and those credentials must parse back with the challenge's
 * realm, nonce, opaque and algorithm. Credentials are checked by a
 * verifier that made no nonce for them: the verdict is never OK.
 * Any violation calls abort().
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int condition)
{
	if (!condition)
		abort();
}

static void require_value(const char *v)
{
	require(memchr(v, '\0', CWA_VALUE_MAX + 1) != NULL);
}

static int known_code(int r)
{
	return r == 0 || r == CWA_ESCHEME || r == CWCOM_ESYNTAX || r == CWCOM_EDUPLICATE ||
	       r == CWCOM_EMISSING || r == CWCOM_ELIMIT;
}

static void answer(const struct cwa_challenge *ch)
{
	struct cwa_uac_input in = {.username = "alice", .password = "secret", .method = "INVITE",
	                           .uri = "sip:bob@example.com", .cnonce = "0a4f113b", .nc = 7};
	struct cwa_credentials c;
	char value[4096];
	size_t len = 0;
	int r = cwa_uac_authorization(ch, &in, value, sizeof(value), &len);

	if (r == -ENOSPC)
		return; /* escaped values can outgrow the buffer */
	require(r == 0);
	require(len == strlen(value));
	require(cwa_credentials_parse(value, len, &c) == 0);
	require(strcmp(c.realm, ch->realm) == 0 && strcmp(c.nonce, ch->nonce) == 0);
	require(c.has_opaque == ch->has_opaque);
	require(!ch->has_opaque || strcmp(c.opaque, ch->opaque) == 0);
	require(c.algorithm == ch->algorithm);
	require((c.qop != 0) == ((ch->qop & CWA_QOP_AUTH) != 0));
}

static void challenges(const char *in, size_t len, size_t max)
{
	struct cwa_challenge list[8];
	size_t count = 99;
	int r = cwa_challenges_parse(in, len, list, max, &count);

	require(known_code(r));
	if (r != 0) {
		require(count == 0);
		return;
	}
	require(count >= 1 && count <= max);
	for (size_t i = 0; i < count; i++) {
		require_value(list[i].realm);
		require_value(list[i].nonce);
		require_value(list[i].opaque);
		require(list[i].stale == 0 || list[i].stale == 1);
		if (cwa_algorithm_name(list[i].algorithm) &&
		    (list[i].qop == 0 || (list[i].qop & CWA_QOP_AUTH)))
			answer(&list[i]);
	}
	{
		const struct cwa_challenge *pick = cwa_challenge_pick(list, count);

		require(!pick || (pick >= list && pick < list + count));
	}
}

static int any_user(void *arg, const char *username, const char *realm, enum cwa_algorithm alg,
                    struct cwa_secret *out)
{
	(void)arg, (void)username, (void)realm, (void)alg;
	out->kind = CWA_SECRET_PASSWORD;
	out->password = "secret";
	return 0;
}

static void credentials(const char *in, size_t len)
{
	static const uint8_t secret[16] = "fuzz-secret-0123";
	struct cwa_verifier_config cfg = {
		.secret = secret, .secret_len = sizeof(secret), .realm = "example.com",
		.nonce_lifetime = 300, .algorithms = CWA_ALG_BIT(CWA_ALG_MD5) | CWA_ALG_BIT(CWA_ALG_SHA256),
		.replay_slots = 4, .allow_rfc2069 = 1,
	};
	struct cwa_request req = {.method = "INVITE", .request_uri = "sip:bob@example.com",
	                          .credentials = in, .credentials_len = len};
	struct cwa_verifier *v = NULL;
	struct cwa_credentials c;
	enum cwa_verdict verdict;
	enum cwa_reason reason;
	int r = cwa_credentials_parse(in, len, &c);

	require(known_code(r));
	if (r == 0) {
		require_value(c.username);
		require_value(c.realm);
		require_value(c.nonce);
		require_value(c.uri);
		require_value(c.response);
		require_value(c.cnonce);
		require_value(c.opaque);
		require(c.qop == 0 || c.qop == CWA_QOP_AUTH || c.qop == CWA_QOP_AUTH_INT ||
		        c.qop == CWA_QOP_OTHER);
	}
	require(cwa_verifier_new(&cfg, &v) == 0);
	require(cwa_verifier_verify(v, &req, any_user, NULL, 100, &verdict, &reason, NULL) == 0);
	require(verdict != CWA_VERDICT_OK);
	require(r == 0 || reason == CWA_REASON_MALFORMED);
	cwa_verifier_free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;

	challenges(in, size, 1);
	challenges(in, size, 8);
	credentials(in, size);
	return 0;
}
