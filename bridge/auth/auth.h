/* SPDX-License-Identifier: MIT */
/*
 * auth.h — SIP digest authentication, both roles (RFC 3261 §22, RFC 7616,
 * RFC 8760). Pure: no I/O, no clock, no global mutable state. The caller
 * passes the time (`now`, any monotonic unit, the same one as the nonce
 * lifetime) and the random bytes (the nonce secret, the client nonce).
 *
 * Parts:
 *   - header parsing: WWW-Authenticate / Proxy-Authenticate challenges and
 *     Authorization / Proxy-Authorization credentials (RFC 3261 §25.1),
 *     bounded, into fixed-size structs (no allocation);
 *   - the digest itself: HA1, response, constant-time comparison;
 *   - UAS: a verifier that makes challenges and checks credentials;
 *   - UAC: the Authorization value for a challenge;
 *   - a users file: `user:realm:HA1`, `user:realm:TAG:HA1`, `user:secret`.
 *
 * Errors follow bridge/common/error.h: 0, a negative errno value or a
 * bridge code (CWCOM_E*, the CWA_E* names below among them);
 * cwa_strerror() and cwcom_strerror() name them all.
 */
#ifndef CAUSEWAY_BRIDGE_AUTH_H
#define CAUSEWAY_BRIDGE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include <causeway/common.h>

#include "common/error.h"

/* The bridge codes this module's callers test for by name. */
enum cwa_error {
	CWA_ESCHEME = CWCOM_ESCHEME,       /* not a Digest challenge / credentials */
	CWA_EALGORITHM = CWCOM_EALGORITHM, /* an algorithm this module does not compute */
};

/* cwa_strerror() - text for any bridge error (cwcom_strerror()); never NULL. */
const char *cwa_strerror(int err);

/* ---- algorithms (RFC 7616 §3.3, RFC 8760 §2.2) ---- */

enum cwa_algorithm {
	CWA_ALG_UNKNOWN = 0, /* named in a header, but not one of the below */
	CWA_ALG_MD5,         /* also the meaning of an absent algorithm= */
	CWA_ALG_SHA256,      /* "SHA-256" */
	CWA_ALG_SHA512_256,  /* "SHA-512-256" */
};
#define CWA_ALG_BIT(alg) (1u << (alg))

#define CWA_HASH_MAX 32 /* bytes of the longest digest */
#define CWA_HEX_MAX 64  /* hex digits of the longest digest */

/* "MD5", "SHA-256", "SHA-512-256"; NULL for CWA_ALG_UNKNOWN. */
const char *cwa_algorithm_name(enum cwa_algorithm alg);
/* Case-insensitive; "-sess" variants and other names give CWA_ALG_UNKNOWN. */
enum cwa_algorithm cwa_algorithm_from_name(const char *name, size_t len);
/* Hex digits of alg's digest (32 or 64), 0 for CWA_ALG_UNKNOWN. */
size_t cwa_algorithm_hex_len(enum cwa_algorithm alg);

/* ---- the digest (RFC 7616 §3.4.1, §3.4.2) ---- */

/*
 * cwa_ha1() - HA1 = H(username ":" realm ":" password), lower-case hex,
 * NUL-terminated, into out. Returns 0 or CWA_EALGORITHM.
 */
int cwa_ha1(enum cwa_algorithm alg, const char *username, const char *realm,
            const char *password, char out[CWA_HEX_MAX + 1]);

/*
 * The inputs of a response. qop NULL is the RFC 2069 form
 * H(HA1:nonce:HA2); with qop ("auth") nc and cnonce are used too.
 * ha1 is the hex HA1 (upper or lower case) of the same algorithm.
 */
struct cwa_response_input {
	enum cwa_algorithm algorithm;
	const char *ha1;
	const char *method;
	const char *uri;
	const char *nonce;
	const char *qop;    /* "auth" or NULL */
	uint32_t nc;        /* written as 8 hex digits */
	const char *cnonce;
};

/* cwa_response() - the request-digest, lower-case hex. Returns 0, -EINVAL or CWA_EALGORITHM. */
int cwa_response(const struct cwa_response_input *in, char out[CWA_HEX_MAX + 1]);

/*
 * cwa_digest_equal() - 1 when the hex digests a and b are equal (case-
 * insensitive), 0 otherwise. Time depends on the lengths only.
 */
int cwa_digest_equal(const char *a, const char *b);

/* ---- headers (RFC 3261 §25.1, §20.7, §20.27, §20.28, §20.44) ---- */

#define CWA_VALUE_MAX 255     /* bytes of one unquoted parameter value */
#define CWA_PARAMS_MAX 32     /* parameters of one challenge / credentials */
#define CWA_CHALLENGES_MAX 8  /* Digest challenges kept from one header value */

/* qop values (RFC 7616 §3.3). */
#define CWA_QOP_AUTH 0x1u
#define CWA_QOP_AUTH_INT 0x2u
#define CWA_QOP_OTHER 0x4u /* a token this module does not know */

/*
 * One Digest challenge. Strings are unquoted and NUL-terminated. realm and
 * nonce are required; algorithm is CWA_ALG_MD5 when absent (RFC 7616 §3.3)
 * and CWA_ALG_UNKNOWN for a name not in enum cwa_algorithm; qop is a mask
 * of CWA_QOP_*, 0 when absent (the RFC 2069 form).
 */
struct cwa_challenge {
	char realm[CWA_VALUE_MAX + 1];
	char nonce[CWA_VALUE_MAX + 1];
	char opaque[CWA_VALUE_MAX + 1];
	int has_opaque;
	enum cwa_algorithm algorithm;
	int has_algorithm;
	unsigned qop;
	int stale;
};

/*
 * cwa_challenges_parse() - the value of a WWW-Authenticate or
 * Proxy-Authenticate header (s, len bytes; never read past). It may hold
 * several challenges separated by commas (RFC 7235 §4.1); the Digest ones
 * fill out[0..max), the others (Basic, Bearer, ...) are skipped. *count is
 * the number of Digest challenges stored. Parameter names are case-
 * insensitive, unknown ones ignored, a name twice in one challenge refused.
 *
 * Returns 0; CWA_ESCHEME when there is no Digest challenge; CWCOM_ESYNTAX
 * (malformed); CWCOM_EDUPLICATE; CWCOM_EMISSING (realm or nonce absent);
 * CWCOM_ELIMIT (a value over CWA_VALUE_MAX, more than CWA_PARAMS_MAX
 * parameters or max Digest challenges); -EINVAL. Nothing in *out is
 * meaningful on error.
 */
int cwa_challenges_parse(const char *s, size_t len, struct cwa_challenge *out, size_t max,
                         size_t *count);

/*
 * Digest credentials (RFC 3261 §25.1 digest-response). username, realm,
 * nonce, uri and response are required; with qop, nc and cnonce too.
 */
struct cwa_credentials {
	char username[CWA_VALUE_MAX + 1];
	char realm[CWA_VALUE_MAX + 1];
	char nonce[CWA_VALUE_MAX + 1];
	char uri[CWA_VALUE_MAX + 1];
	char response[CWA_VALUE_MAX + 1];
	char cnonce[CWA_VALUE_MAX + 1];
	char opaque[CWA_VALUE_MAX + 1];
	int has_opaque;
	enum cwa_algorithm algorithm; /* CWA_ALG_MD5 when absent */
	int has_algorithm;
	unsigned qop;                 /* one CWA_QOP_* bit, 0 when absent */
	uint32_t nc;                  /* when qop is present */
};

/*
 * cwa_credentials_parse() - the value of an Authorization or
 * Proxy-Authorization header: one "Digest" credentials (s, len bytes).
 * nc must be 8 lower-case hex digits (RFC 3261 §25.1 nonce-count, 8LHEX).
 * Returns 0, CWA_ESCHEME, CWCOM_ESYNTAX, CWCOM_EDUPLICATE, CWCOM_EMISSING, CWCOM_ELIMIT
 * or -EINVAL.
 */
int cwa_credentials_parse(const char *s, size_t len, struct cwa_credentials *out);

/* ---- what a user's secret is ---- */

enum cwa_secret_kind {
	CWA_SECRET_PASSWORD, /* password: HA1 is computed for the realm asked */
	CWA_SECRET_HA1,      /* ha1: hex HA1 of the algorithm asked */
};

struct cwa_secret {
	enum cwa_secret_kind kind;
	const char *password;       /* CWA_SECRET_PASSWORD; owned by the lookup's store */
	char ha1[CWA_HEX_MAX + 1];  /* CWA_SECRET_HA1 */
};

/*
 * A user lookup: fill *out for (username, realm, algorithm); return 0, or
 * -ENOENT when the user has no secret usable for that realm and algorithm.
 */
typedef int (*cwa_lookup_fn)(void *arg, const char *username, const char *realm,
                             enum cwa_algorithm alg, struct cwa_secret *out);

/* ---- UAS: the verifier (RFC 3261 §22.2, §22.3; RFC 7616 §3.3, §3.4) ---- */

struct cwa_verifier;

struct cwa_verifier_config {
	const uint8_t *secret;   /* the caller's random bytes, >= 16; copied */
	size_t secret_len;
	const char *realm;       /* copied; at most CWA_VALUE_MAX bytes */
	uint64_t nonce_lifetime; /* in the unit of `now` */
	unsigned algorithms;     /* CWA_ALG_BIT() mask, at least one */
	size_t replay_slots;     /* nonces whose nc is remembered, >= 1 */
	int allow_rfc2069;       /* accept credentials without qop */
	int use_opaque;          /* send opaque= and require it back */
};

/* Returns 0, -EINVAL (a config value out of range) or -ENOMEM. */
int cwa_verifier_new(const struct cwa_verifier_config *cfg, struct cwa_verifier **out);
void cwa_verifier_free(struct cwa_verifier *v);

/*
 * cwa_verifier_challenge() - a WWW-Authenticate / Proxy-Authenticate value
 * for algorithm alg (one of cfg->algorithms) with a fresh nonce made at
 * `now`: Digest realm="...", nonce="...", [opaque="...",] algorithm=...,
 * qop="auth"[, stale=true]. NUL-terminated; *len (may be NULL) is its
 * length. Returns 0, -EINVAL or -ENOSPC.
 */
int cwa_verifier_challenge(struct cwa_verifier *v, uint64_t now, int stale,
                           enum cwa_algorithm alg, char *buf, size_t size, size_t *len);

/* What to answer. */
enum cwa_verdict {
	CWA_VERDICT_OK,        /* the request is authenticated */
	CWA_VERDICT_CHALLENGE, /* 401/407 with a fresh challenge */
	CWA_VERDICT_STALE,     /* 401/407 with a fresh challenge, stale=true */
	CWA_VERDICT_FORBIDDEN, /* 403 */
};

/* Why (for the log; the verdict is the answer). */
enum cwa_reason {
	CWA_REASON_NONE,           /* OK */
	CWA_REASON_NO_CREDENTIALS, /* no header value given */
	CWA_REASON_MALFORMED,      /* the credentials do not parse */
	CWA_REASON_OTHER_REALM,    /* credentials for another realm */
	CWA_REASON_ALGORITHM,      /* an algorithm not offered */
	CWA_REASON_BAD_NONCE,      /* not a nonce of this verifier (or tampered) */
	CWA_REASON_OPAQUE,         /* opaque missing or not ours */
	CWA_REASON_QOP,            /* qop not offered, or absent while required */
	CWA_REASON_WRONG_URI,      /* uri= is not the Request-URI */
	CWA_REASON_UNKNOWN_USER,
	CWA_REASON_WRONG_RESPONSE, /* wrong password */
	CWA_REASON_EXPIRED,        /* right response, nonce too old */
	CWA_REASON_REPLAY,         /* right response, nc not above the last one */
	CWA_REASON_FORGOTTEN,      /* right response, nonce no longer remembered */
};

const char *cwa_reason_name(enum cwa_reason reason);

struct cwa_request {
	const char *method;      /* the request's method, hashed in A2 (RFC 7616 §3.4.3) */
	const char *request_uri; /* the Request-URI as received */
	const char *credentials; /* the Authorization value, NULL if none */
	size_t credentials_len;
};

/*
 * cwa_verifier_verify() - check a request's credentials. *verdict is
 * always set; *reason (may be NULL) tells why; *user (may be NULL, at
 * least CWA_VALUE_MAX + 1 bytes) gets the authenticated username on OK.
 * Only an OK request advances the nonce's nc. Returns 0, or -EINVAL
 * for NULL arguments (then *verdict is FORBIDDEN).
 */
int cwa_verifier_verify(struct cwa_verifier *v, const struct cwa_request *req,
                        cwa_lookup_fn lookup, void *lookup_arg, uint64_t now,
                        enum cwa_verdict *verdict, enum cwa_reason *reason, char *user);

/* ---- UAC (RFC 3261 §22.2, §22.3; RFC 7616 §3.4) ---- */

/*
 * cwa_challenge_pick() - the first challenge of list[0..n) whose algorithm
 * this module computes and that offers qop=auth or no qop (RFC 8760 §2.4:
 * the UAS lists its preferred one first). NULL when none.
 */
const struct cwa_challenge *cwa_challenge_pick(const struct cwa_challenge *list, size_t n);

struct cwa_uac_input {
	const char *username;
	const char *password; /* or NULL and ha1 set */
	const char *ha1;      /* hex HA1 of the challenge's algorithm and realm */
	const char *method;
	const char *uri;      /* the Request-URI of the request being sent */
	const char *cnonce;   /* the caller's random, printable (used with qop) */
	uint32_t nc;          /* the count of requests sent with this nonce, >= 1 */
};

/*
 * cwa_uac_authorization() - the Authorization / Proxy-Authorization value
 * answering ch: qop=auth when offered (else the RFC 2069 form), opaque and
 * algorithm echoed. NUL-terminated into buf; *len (may be NULL) is its
 * length. Returns 0, -EINVAL, CWA_EALGORITHM, -ENOSPC, or -ENOENT
 * when ch offers qop but not "auth".
 */
int cwa_uac_authorization(const struct cwa_challenge *ch, const struct cwa_uac_input *in,
                          char *buf, size_t size, size_t *len);

/* ---- UAC: one request's challenges (RFC 3261 §22.2, §22.3) ---- */

#define CWA_UAC_REALMS_MAX 4 /* realms answered for one request (proxies and the UAS) */

struct cwa_uac_realm {
	int proxy;                 /* 1: a 407's Proxy-Authenticate; 0: a 401's WWW-Authenticate */
	struct cwa_challenge ch;   /* the challenge answered */
	uint32_t nc;               /* requests sent with its nonce */
	int stale_used;            /* a stale=true renewal was answered already */
};

/* Plain data: copy it, keep it with the request it belongs to. */
struct cwa_uac_state {
	struct cwa_uac_realm realms[CWA_UAC_REALMS_MAX];
	size_t n;
};

void cwa_uac_state_init(struct cwa_uac_state *st);

/*
 * cwa_uac_state_challenged() - a 401 (proxy 0, its WWW-Authenticate values)
 * or a 407 (proxy 1, its Proxy-Authenticate values) answered the request.
 * Each value's first computable challenge (cwa_challenge_pick()) is kept
 * for its realm. Returns 0 when a realm not answered before (or renewed
 * with stale=true, once per realm, RFC 7616 §3.3) was added: send the
 * request again with cwa_uac_state_answer() for every realm. -EACCES when a
 * realm answered before challenges again without stale (the credentials
 * were refused: the response is final); -ENOENT when no value holds a
 * challenge this module can answer; CWCOM_ELIMIT beyond CWA_UAC_REALMS_MAX
 * realms; -EINVAL.
 */
int cwa_uac_state_challenged(struct cwa_uac_state *st, int proxy, const char *const *values,
                             size_t nvalues);

/* The number of realms to answer in the next request. */
size_t cwa_uac_state_count(const struct cwa_uac_state *st);

/*
 * cwa_uac_state_answer() - the Authorization (*proxy 0) or
 * Proxy-Authorization (*proxy 1) value for realm i of the next request
 * (in->nc is ignored: the realm's count goes up by one). Errors of
 * cwa_uac_authorization(), or -EINVAL.
 */
int cwa_uac_state_answer(struct cwa_uac_state *st, size_t i, const struct cwa_uac_input *in,
                         int *proxy, char *buf, size_t size, size_t *len);

/* ---- the users file ---- */

struct cwa_users;

/*
 * cwa_users_parse() - parse a users file held in text (len bytes; the
 * name is only for diagnostics). One entry a line:
 *   user:realm:HEX         HA1; 32 hex digits MD5, 64 SHA-256
 *   user:realm:TAG:HEX     TAG md5, sha256 / sha-256, sha512-256 / sha-512-256
 *   user:secret            a password, for whatever realm asks
 * '#' starts a comment line; blank lines are skipped; the same user, realm
 * and kind twice is refused. On error *diag (may be NULL) names FILE:LINE.
 * Returns 0, CWCOM_ESYNTAX, CWCOM_EDUPLICATE, CWCOM_ELIMIT, -EINVAL or -ENOMEM.
 */
int cwa_users_parse(const char *text, size_t len, const char *name, struct cwa_users **out,
                    cw_diag *diag);
/* cwa_users_load() - read path and parse it. Also -ENOENT when it cannot be read. */
int cwa_users_load(const char *path, struct cwa_users **out, cw_diag *diag);
void cwa_users_free(struct cwa_users *users);
size_t cwa_users_count(const struct cwa_users *users);

/*
 * cwa_users_lookup() - a cwa_lookup_fn over a struct cwa_users (arg):
 * the HA1 for (username, realm, alg) if the file has one, else the
 * user's password, else -ENOENT.
 */
int cwa_users_lookup(void *arg, const char *username, const char *realm,
                     enum cwa_algorithm alg, struct cwa_secret *out);

/*
 * cwa_diag_print() - "FILE:LINE: error: MESSAGE" (the form of the
 * bridge's config errors) into buf, NUL-terminated and truncated to size.
 * Returns the length it would have written.
 */
size_t cwa_diag_print(const cw_diag *diag, char *buf, size_t size);

#endif
