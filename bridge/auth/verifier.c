/* SPDX-License-Identifier: MIT */
/*
 * verifier.c — the UAS side (RFC 3261 §22.2 for a UAS, §22.3 for a proxy;
 * RFC 7616 §3.3 the challenge, §3.4 the check, §5.4-§5.5 nonces and
 * replays).
 *
 * A nonce is hex(ts, 8 bytes) hex(serial, 8 bytes) hex(tag, 16 bytes):
 * ts the `now` of its challenge, serial a count of the challenges this
 * verifier made, tag the first 128 bits of HMAC-SHA256(secret, ts |
 * serial | algorithm | realm) (RFC 2104 §5: a tag of at least half the
 * hash). So the verifier keeps no state to recognise its own nonces, and a
 * nonce is bound to its realm and algorithm. The nc of recent nonces is
 * kept in a ring of replay_slots indexed by serial: a newer nonce takes
 * the slot of the oldest; a nonce whose slot was taken is "forgotten".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/hmac.h>
#include <nettle/memops.h>

#include "auth_internal.h"

#define TAG_LEN 16
#define NONCE_HEX_LEN (2 * (8 + 8 + TAG_LEN))
#define REPLAY_SLOTS_MAX (1u << 20)

struct replay_slot {
	uint64_t serial;
	uint32_t last_nc; /* 0: no request yet */
	int valid;
	int used;         /* taken by a request without qop (RFC 2069) */
};

struct cwa_verifier {
	struct hmac_sha256_ctx key; /* keyed once; copied for each tag */
	char realm[CWA_VALUE_MAX + 1];
	char opaque[2 * TAG_LEN + 1];
	uint64_t lifetime;
	unsigned algorithms;
	int allow_rfc2069;
	int use_opaque;
	uint64_t next_serial;
	size_t n_slots;
	struct replay_slot slots[];
};

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void nonce_tag(const struct cwa_verifier *v, uint64_t ts, uint64_t serial,
                      enum cwa_algorithm alg, uint8_t tag[TAG_LEN])
{
	struct hmac_sha256_ctx ctx = v->key;
	uint8_t head[17];

	put_be64(head, ts);
	put_be64(head + 8, serial);
	head[16] = (uint8_t)alg;
	hmac_sha256_update(&ctx, sizeof(head), head);
	hmac_sha256_update(&ctx, strlen(v->realm), (const uint8_t *)v->realm);
	hmac_sha256_digest(&ctx, TAG_LEN, tag);
}

static int known_algorithms(unsigned mask)
{
	unsigned all = CWA_ALG_BIT(CWA_ALG_MD5) | CWA_ALG_BIT(CWA_ALG_SHA256) |
	               CWA_ALG_BIT(CWA_ALG_SHA512_256);

	return mask && (mask & ~all) == 0;
}

int cwa_verifier_new(const struct cwa_verifier_config *cfg, struct cwa_verifier **out)
{
	struct cwa_verifier *v;

	if (!cfg || !out || !cfg->secret || cfg->secret_len < 16 || !cfg->realm ||
	    strlen(cfg->realm) > CWA_VALUE_MAX || cfg->nonce_lifetime == 0 ||
	    !known_algorithms(cfg->algorithms) || cfg->replay_slots == 0 ||
	    cfg->replay_slots > REPLAY_SLOTS_MAX)
		return -EINVAL;
	v = calloc(1, sizeof(*v) + cfg->replay_slots * sizeof(v->slots[0]));
	if (!v)
		return -ENOMEM;
	hmac_sha256_set_key(&v->key, cfg->secret_len, cfg->secret);
	strcpy(v->realm, cfg->realm);
	v->lifetime = cfg->nonce_lifetime;
	v->algorithms = cfg->algorithms;
	v->allow_rfc2069 = cfg->allow_rfc2069;
	v->use_opaque = cfg->use_opaque;
	v->n_slots = cfg->replay_slots;
	if (v->use_opaque) {
		struct hmac_sha256_ctx ctx = v->key;
		uint8_t tag[TAG_LEN];

		hmac_sha256_update(&ctx, 7, (const uint8_t *)"opaque:");
		hmac_sha256_update(&ctx, strlen(v->realm), (const uint8_t *)v->realm);
		hmac_sha256_digest(&ctx, TAG_LEN, tag);
		cwa_hex(tag, TAG_LEN, v->opaque);
	}
	*out = v;
	return 0;
}

void cwa_verifier_free(struct cwa_verifier *v)
{
	free(v);
}

int cwa_verifier_challenge(struct cwa_verifier *v, uint64_t now, int stale,
                           enum cwa_algorithm alg, char *buf, size_t size, size_t *len)
{
	uint8_t raw[8 + 8 + TAG_LEN];
	char nonce[NONCE_HEX_LEN + 1];
	struct replay_slot *slot;
	struct cwa_writer w;
	uint64_t serial;

	if (!v || !buf || !cwa_algorithm_name(alg) || !(v->algorithms & CWA_ALG_BIT(alg)))
		return -EINVAL;
	serial = v->next_serial++;
	put_be64(raw, now);
	put_be64(raw + 8, serial);
	nonce_tag(v, now, serial, alg, raw + 16);
	cwa_hex(raw, sizeof(raw), nonce);

	slot = &v->slots[serial % v->n_slots];
	memset(slot, 0, sizeof(*slot));
	slot->serial = serial;
	slot->valid = 1;

	/* RFC 3261 §25.1 digest-cln; RFC 8760 §2.4 one challenge per algorithm */
	cwa_writer_init(&w, buf, size);
	cwa_put(&w, "Digest ");
	cwa_put_quoted_param(&w, "realm", v->realm);
	cwa_put_quoted_param(&w, "nonce", nonce);
	if (v->use_opaque)
		cwa_put_quoted_param(&w, "opaque", v->opaque);
	cwa_put_token_param(&w, "algorithm", cwa_algorithm_name(alg));
	cwa_put_quoted_param(&w, "qop", "auth");
	if (stale)
		cwa_put_token_param(&w, "stale", "true");
	return cwa_writer_finish(&w, len);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The nonce's ts and serial, if its tag is ours for alg. */
static int check_nonce(const struct cwa_verifier *v, const char *nonce, enum cwa_algorithm alg,
                       uint64_t *ts, uint64_t *serial)
{
	uint8_t raw[8 + 8 + TAG_LEN], tag[TAG_LEN];

	if (strlen(nonce) != NONCE_HEX_LEN)
		return -1;
	for (size_t i = 0; i < sizeof(raw); i++) {
		int hi = hex_digit(nonce[2 * i]), lo = hex_digit(nonce[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		raw[i] = (uint8_t)(hi << 4 | lo);
	}
	*ts = get_be64(raw);
	*serial = get_be64(raw + 8);
	nonce_tag(v, *ts, *serial, alg, tag);
	return memeql_sec(tag, raw + 16, TAG_LEN) ? 0 : -1;
}

const char *cwa_reason_name(enum cwa_reason reason)
{
	static const char *const names[] = {
		[CWA_REASON_NONE] = "none",
		[CWA_REASON_NO_CREDENTIALS] = "no credentials",
		[CWA_REASON_MALFORMED] = "malformed credentials",
		[CWA_REASON_OTHER_REALM] = "credentials for another realm",
		[CWA_REASON_ALGORITHM] = "algorithm not offered",
		[CWA_REASON_BAD_NONCE] = "nonce not made here",
		[CWA_REASON_OPAQUE] = "opaque not echoed",
		[CWA_REASON_QOP] = "qop not offered or missing",
		[CWA_REASON_WRONG_URI] = "uri is not the Request-URI",
		[CWA_REASON_UNKNOWN_USER] = "unknown user",
		[CWA_REASON_WRONG_RESPONSE] = "wrong response",
		[CWA_REASON_EXPIRED] = "nonce expired",
		[CWA_REASON_REPLAY] = "nonce count replayed",
		[CWA_REASON_FORGOTTEN] = "nonce no longer remembered",
	};

	if ((unsigned)reason >= sizeof(names) / sizeof(names[0]) || !names[reason])
		return "unknown";
	return names[reason];
}

/* The HA1 the user's secret gives for the verifier's realm and alg. */
static int secret_ha1(const struct cwa_verifier *v, const struct cwa_credentials *c,
                      const struct cwa_secret *s, char ha1[CWA_HEX_MAX + 1])
{
	if (s->kind == CWA_SECRET_PASSWORD)
		return s->password ? cwa_ha1(c->algorithm, c->username, v->realm, s->password, ha1)
		                   : -EINVAL;
	if (s->kind != CWA_SECRET_HA1 || strlen(s->ha1) != cwa_algorithm_hex_len(c->algorithm))
		return -EINVAL;
	memcpy(ha1, s->ha1, sizeof(s->ha1));
	return 0;
}

static enum cwa_verdict verdict_for(struct cwa_verifier *v, const struct cwa_request *req,
                                    cwa_lookup_fn lookup, void *lookup_arg, uint64_t now,
                                    struct cwa_credentials *c, enum cwa_reason *reason)
{
	struct cwa_response_input in;
	char ha1[CWA_HEX_MAX + 1], expected[CWA_HEX_MAX + 1];
	struct cwa_secret secret;
	struct replay_slot *slot;
	uint64_t ts, serial;

	if (!req->credentials)
		return *reason = CWA_REASON_NO_CREDENTIALS, CWA_VERDICT_CHALLENGE;
	if (cwa_credentials_parse(req->credentials, req->credentials_len, c) != 0)
		return *reason = CWA_REASON_MALFORMED, CWA_VERDICT_CHALLENGE;
	/* RFC 3261 §22.1: credentials for a realm not ours are not an answer */
	if (strcmp(c->realm, v->realm) != 0)
		return *reason = CWA_REASON_OTHER_REALM, CWA_VERDICT_CHALLENGE;
	if (!cwa_algorithm_name(c->algorithm) || !(v->algorithms & CWA_ALG_BIT(c->algorithm)))
		return *reason = CWA_REASON_ALGORITHM, CWA_VERDICT_CHALLENGE;
	if (check_nonce(v, c->nonce, c->algorithm, &ts, &serial) != 0 || ts > now)
		return *reason = CWA_REASON_BAD_NONCE, CWA_VERDICT_CHALLENGE;
	/* RFC 7616 §3.3: opaque SHOULD be returned unchanged */
	if (v->use_opaque && (!c->has_opaque || strcmp(c->opaque, v->opaque) != 0))
		return *reason = CWA_REASON_OPAQUE, CWA_VERDICT_CHALLENGE;
	if (c->qop ? c->qop != CWA_QOP_AUTH : !v->allow_rfc2069)
		return *reason = CWA_REASON_QOP, CWA_VERDICT_CHALLENGE;
	if (c->qop && c->nc == 0)
		return *reason = CWA_REASON_MALFORMED, CWA_VERDICT_CHALLENGE;
	/* RFC 2617 §3.2.2.5 (RFC 7616 §3.4.6): the digest-uri names the Request-URI */
	if (strcmp(c->uri, req->request_uri) != 0)
		return *reason = CWA_REASON_WRONG_URI, CWA_VERDICT_FORBIDDEN;
	memset(&secret, 0, sizeof(secret));
	if (lookup(lookup_arg, c->username, v->realm, c->algorithm, &secret) != 0 ||
	    secret_ha1(v, c, &secret, ha1) != 0)
		return *reason = CWA_REASON_UNKNOWN_USER, CWA_VERDICT_FORBIDDEN;

	in = (struct cwa_response_input){
		.algorithm = c->algorithm, .ha1 = ha1, .method = req->method, .uri = c->uri,
		.nonce = c->nonce, .qop = c->qop ? "auth" : NULL, .nc = c->nc, .cnonce = c->cnonce,
	};
	if (cwa_response(&in, expected) != 0 || !cwa_digest_equal(c->response, expected))
		return *reason = CWA_REASON_WRONG_RESPONSE, CWA_VERDICT_FORBIDDEN;

	/* The response is right; is the nonce still good for it? (RFC 7616 §3.3 stale) */
	if (now - ts > v->lifetime)
		return *reason = CWA_REASON_EXPIRED, CWA_VERDICT_STALE;
	slot = &v->slots[serial % v->n_slots];
	if (!slot->valid || slot->serial != serial)
		return *reason = CWA_REASON_FORGOTTEN, CWA_VERDICT_STALE;
	/* RFC 7616 §3.4: nc counts up; without qop a nonce serves once */
	if (c->qop ? c->nc <= slot->last_nc : slot->used)
		return *reason = CWA_REASON_REPLAY, CWA_VERDICT_STALE;
	if (c->qop)
		slot->last_nc = c->nc;
	else
		slot->used = 1;
	return *reason = CWA_REASON_NONE, CWA_VERDICT_OK;
}

int cwa_verifier_verify(struct cwa_verifier *v, const struct cwa_request *req,
                        cwa_lookup_fn lookup, void *lookup_arg, uint64_t now,
                        enum cwa_verdict *verdict, enum cwa_reason *reason, char *user)
{
	struct cwa_credentials c;
	enum cwa_reason why = CWA_REASON_NONE;

	if (verdict)
		*verdict = CWA_VERDICT_FORBIDDEN;
	if (reason)
		*reason = CWA_REASON_NONE;
	if (!v || !req || !req->method || !req->request_uri || !lookup || !verdict)
		return -EINVAL;
	*verdict = verdict_for(v, req, lookup, lookup_arg, now, &c, &why);
	if (reason)
		*reason = why;
	if (*verdict == CWA_VERDICT_OK && user)
		memcpy(user, c.username, strlen(c.username) + 1);
	return 0;
}
