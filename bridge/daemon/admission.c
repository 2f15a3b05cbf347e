/* SPDX-License-Identifier: MIT */
/*
 * admission.c — the decision for each SIP request before anything else is
 * done for it (admission.h; bridge/config/README.md "Admission"):
 *
 *   1. the source's flood limits (bridge/policy limits.h): a blocked source
 *      is dropped unanswered (the block logged once, when it starts); rate,
 *      per-source calls and the gateway's cap get 503 + Retry-After;
 *   2. an INVITE outside a dialog: the route of its Request-URI user, then
 *      allow, else the route's digest users (401, then 403 + cause 21 for
 *      a wrong answer), else 403 + cause 21 (deny by default);
 *   3. the route's deny prefixes: 403 + Reason cause deny_cause.
 *
 * Every refusal but a challenge writes the refusal line (bridge/policy
 * refusal.h) into the answer for the caller to log.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <causeway/q850.h>
#include <causeway/reason.h>

#include "addr.h"
#include "common/error.h"
#include "admission.h"
#include "auth.h"
#include "limits.h"

#define CWB_ADMISSION_SOURCES 16384        /* sources tracked at once (about 1.4 MB) */
#define CWB_NONCE_LIFETIME_MS 300000       /* a challenge's nonce: 5 min, then stale */
#define CWB_REPLAY_SLOTS 4096              /* nonces whose nc is remembered */

/* A route with auth: its users and the verifier of its realm. */
struct route_auth {
	const struct cwcfg_route *route;
	struct cwa_users *users;
	struct cwa_verifier *verifier;
	int shared;     /* the verifier is also the running one's (a reload being made) */
};

struct cwb_admission {
	const struct cwcfg_config *cfg;
	cwp_limits *limits;
	struct route_auth *auth;
	size_t nauth;
};

static int fill_random(uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);
		if (n < 0)
			return -EINVAL;
		got += (size_t)n;
	}
	return 0;
}

/* The route's digest realm (bridge/config/README.md realm: default the route's name). */
static const char *realm_of(const struct cwcfg_route *r)
{
	return r->realm ? r->realm : r->name;
}

static int verifier_new(struct route_auth *ra, const struct cwcfg_route *r, char *err,
                        size_t errlen)
{
	struct cwa_verifier_config vc;
	uint8_t secret[32];
	int rc;

	/* the nonces' HMAC key: random at every start (RFC 3261 §22.4: unpredictable) */
	if (fill_random(secret, sizeof(secret)) < 0) {
		snprintf(err, errlen, "getrandom: no random bytes for the digest nonces");
		return -EINVAL;
	}
	memset(&vc, 0, sizeof(vc));
	vc.secret = secret;
	vc.secret_len = sizeof(secret);
	vc.realm = realm_of(r);
	vc.nonce_lifetime = CWB_NONCE_LIFETIME_MS;
	vc.algorithms = CWA_ALG_BIT(CWA_ALG_MD5) | CWA_ALG_BIT(CWA_ALG_SHA256);
	vc.replay_slots = CWB_REPLAY_SLOTS;
	rc = cwa_verifier_new(&vc, &ra->verifier);
	memset(secret, 0, sizeof(secret));
	if (rc < 0)
		snprintf(err, errlen, "[route %s]: digest verifier: %s", r->name, cwa_strerror(rc));
	return rc;
}

/* The users of route r and a verifier: keep, when not NULL, is the verifier of the same
 * route and realm before a reload, shared so that the nonces given out stay good. */
static int auth_new(struct route_auth *ra, const struct cwcfg_route *r,
                    struct cwa_verifier *keep, char *err, size_t errlen)
{
	cw_diag diag;
	int rc;

	memset(&diag, 0, sizeof(diag));
	ra->route = r;
	rc = cwa_users_load(r->auth, &ra->users, &diag);
	if (rc < 0) {
		cwa_diag_print(&diag, err, errlen);
		return rc;
	}
	if (keep) {
		ra->verifier = keep;
		ra->shared = 1;
		return 0;
	}
	return verifier_new(ra, r, err, errlen);
}

/* Frees auth[0..n), the verifiers but those shared (still the running routes'). */
static void auth_free(struct route_auth *auth, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!auth[i].shared)
			cwa_verifier_free(auth[i].verifier);
		cwa_users_free(auth[i].users);
	}
	free(auth);
}

/* [sip] flood limits of cfg (admission.h). */
static void limits_config(const struct cwcfg_config *cfg, struct cwp_limits_config *lc)
{
	memset(lc, 0, sizeof(*lc));
	/* [sip] max_calls 0: no cap of its own; the B-channel hunt still refuses with 34 */
	lc->max_calls = cfg->sip.max_calls ? cfg->sip.max_calls : CWB_ADMISSION_SOURCES - 1;
	lc->capacity = CWB_ADMISSION_SOURCES > lc->max_calls ? CWB_ADMISSION_SOURCES
	                                                     : (size_t)lc->max_calls + 1;
	lc->rate = cfg->sip.source_rate;
	lc->burst = cfg->sip.source_burst;
	lc->block_factor = cfg->sip.block_factor;
	lc->block_ms = cfg->sip.block_seconds * 1000u;
	lc->max_calls_per_source = cfg->sip.source_max_calls;
	lc->with_port = 0; /* a source is its address: a new port is no new source */
}

/* The running verifier of route r's name and realm, or NULL. */
static struct cwa_verifier *running_verifier(const struct route_auth *run, size_t n,
                                             const struct cwcfg_route *r)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(run[i].route->name, r->name) == 0 &&
		    strcmp(realm_of(run[i].route), realm_of(r)) == 0)
			return run[i].verifier;
	return NULL;
}

/* The route_auth of every route of cfg with auth; run: the running ones (a reload), whose
 * verifiers the routes of the same name and realm share; NULL at start. */
static int auths_new(const struct cwcfg_config *cfg, const struct route_auth *run, size_t nrun,
                     struct route_auth **ret, size_t *nret, char *err, size_t errlen)
{
	struct route_auth *auth = calloc(cfg->n_routes ? cfg->n_routes : 1, sizeof(*auth));
	size_t i, n = 0;
	int rc;

	if (!auth)
		return -ENOMEM;
	for (i = 0; i < cfg->n_routes; i++) {
		const struct cwcfg_route *r = &cfg->routes[i];

		if (!r->auth)
			continue;
		rc = auth_new(&auth[n++], r, running_verifier(run, nrun, r), err, errlen);
		if (rc < 0) {
			auth_free(auth, n);
			return rc;
		}
	}
	*ret = auth;
	*nret = n;
	return 0;
}

int cwb_admission_new(struct cwb_admission **ret, const struct cwcfg_config *cfg, char *err,
                      size_t errlen)
{
	struct cwp_limits_config lc;
	struct cwb_admission *a;
	int rc;

	if (!ret || !cfg)
		return -EINVAL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->cfg = cfg;
	limits_config(cfg, &lc);
	rc = fill_random(lc.hash_key, sizeof(lc.hash_key));
	if (rc == 0)
		rc = cwp_limits_new(&a->limits, &lc);
	if (rc < 0) {
		snprintf(err, errlen, "flood limits: %s", cwcom_strerror(rc));
		free(a);
		return rc;
	}
	rc = auths_new(cfg, NULL, 0, &a->auth, &a->nauth, err, errlen);
	if (rc < 0) {
		cwb_admission_free(a);
		return rc;
	}
	*ret = a;
	return 0;
}

int cwb_admission_reload(struct cwb_admission *a, const struct cwcfg_config *cfg, char *err,
                         size_t errlen)
{
	struct cwp_limits_config lc;
	struct route_auth *auth = NULL;
	size_t nauth = 0, i, j;
	int rc;

	if (!a || !cfg)
		return -EINVAL;
	rc = auths_new(cfg, a->auth, a->nauth, &auth, &nauth, err, errlen);
	if (rc < 0)
		return rc;
	limits_config(cfg, &lc);
	rc = cwp_limits_reconfigure(a->limits, &lc);
	if (rc < 0) {
		snprintf(err, errlen, "[sip] flood limits: %s (a max_calls the running table cannot "
		         "hold, %u or more, needs a restart)", cwcom_strerror(rc),
		         (unsigned)CWB_ADMISSION_SOURCES);
		auth_free(auth, nauth);
		return rc;
	}
	/* the running verifiers the new routes share become theirs */
	for (i = 0; i < a->nauth; i++)
		for (j = 0; j < nauth; j++)
			if (auth[j].shared && auth[j].verifier == a->auth[i].verifier)
				a->auth[i].shared = 1;
	for (j = 0; j < nauth; j++)
		auth[j].shared = 0;
	auth_free(a->auth, a->nauth);
	a->auth = auth;
	a->nauth = nauth;
	a->cfg = cfg;
	return 0;
}

void cwb_admission_free(struct cwb_admission *a)
{
	if (!a)
		return;
	auth_free(a->auth, a->nauth);
	cwp_limits_free(a->limits);
	free(a);
}

static struct route_auth *auth_of(struct cwb_admission *a, const struct cwcfg_route *r)
{
	size_t i;

	for (i = 0; i < a->nauth; i++)
		if (a->auth[i].route == r)
			return &a->auth[i];
	return NULL;
}

/* The location of the causes the route's spans make (Q.850 §2.2.4). */
static int route_location(const struct cwcfg_config *cfg, const struct cwcfg_route *r)
{
	size_t i;

	for (i = 0; i < cfg->n_spans; i++)
		if (r->group && strcmp(cfg->spans[i].group, r->group) == 0)
			return cfg->spans[i].location;
	return CW_LOC_LPN;
}

static void set_header(struct cwb_admission_answer *ans, const char *name, const char *value)
{
	snprintf(ans->header_name, sizeof(ans->header_name), "%s", name);
	snprintf(ans->header_value, sizeof(ans->header_value), "%s", value);
}

/* 403 with Reason: Q.850;cause=N (RFC 3398 §8.2.6.1: 21 and 57 both map to 403). */
static void forbid(struct cwb_admission_answer *ans, int cause, int location)
{
	const cw_q850_info *info = NULL;

	ans->status = 403;
	if (cw_q850_info_get(cause, &info) == 0 &&
	    cw_reason_format(ans->header_value, sizeof(ans->header_value), CW_REASON_Q850, cause,
	                     info->name, location, NULL) == 0)
		snprintf(ans->header_name, sizeof(ans->header_name), "Reason");
}

/* 503 with Retry-After ([sip] retry_after) for the source's rate and the call caps. */
static void busy(const struct cwb_admission *a, struct cwb_admission_answer *ans)
{
	char ra[16];

	ans->status = 503;
	if (a->cfg->sip.retry_after) {
		snprintf(ra, sizeof(ra), "%u", a->cfg->sip.retry_after);
		set_header(ans, "Retry-After", ra);
	}
}

static void log_refusal(struct cwb_admission_answer *ans, enum cwp_verdict v,
                        const struct cwb_admission_request *req, const struct cwp_addr *src,
                        const char *prefix, uint64_t block_ms)
{
	struct cwp_refusal r;

	memset(&r, 0, sizeof(r));
	r.verdict = v;
	r.from = src;
	r.transport = req->transport ? req->transport : "udp";
	r.method = req->method;
	r.to = req->ruri_user;
	r.prefix = prefix;
	r.block_ms = block_ms;
	ans->reason = cwp_verdict_name(v);
	if (cwp_refusal_format(&r, ans->log_line, sizeof(ans->log_line)) < 0)
		ans->log_line[0] = '\0';
}

/* Step 2 of an INVITE (file comment): allow, else digest users, else deny by default.
   1 = the source may use the route. */
static int source_admitted(struct cwb_admission *a, const struct cwcfg_route *r,
                           const struct cwb_admission_request *req, const struct cwp_addr *src,
                           uint64_t now, struct cwb_admission_answer *ans)
{
	struct route_auth *ra;
	struct cwa_request cr;
	enum cwa_verdict verdict;
	enum cwa_reason why;
	int stale;

	if (cwcfg_route_allows_source(r, src))
		return 1;
	ra = auth_of(a, r);
	if (ra) {
		memset(&cr, 0, sizeof(cr));
		cr.method = req->method;
		cr.request_uri = req->request_uri ? req->request_uri : "";
		cr.credentials = req->authorization;
		cr.credentials_len = req->authorization ? strlen(req->authorization) : 0;
		(void)cwa_verifier_verify(ra->verifier, &cr, cwa_users_lookup, ra->users, now, &verdict,
		                          &why, NULL);
		if (verdict == CWA_VERDICT_OK)
			return 1;
		if (verdict != CWA_VERDICT_FORBIDDEN) {
			/* RFC 3261 §22.2: 401 with WWW-Authenticate; stale=true for an old nonce */
			stale = verdict == CWA_VERDICT_STALE;
			if (cwa_verifier_challenge(ra->verifier, now, stale, CWA_ALG_MD5, ans->header_value,
			                           sizeof(ans->header_value), NULL) == 0) {
				ans->status = 401;
				snprintf(ans->header_name, sizeof(ans->header_name), "WWW-Authenticate");
				return 0;
			}
		}
	}
	/* Q.850 §2.2.7 cause 21 call rejected: not in allow, no or wrong credentials */
	forbid(ans, 21, route_location(a->cfg, r));
	log_refusal(ans, CWP_REFUSED_ACL, req, src, NULL, 0);
	return 0;
}

int cwb_admission_check(struct cwb_admission *a, const struct cwb_admission_request *req,
                        uint64_t now, struct cwb_admission_answer *ans)
{
	const struct cwcfg_route *route;
	const struct cwp_prefix_rule *rule;
	struct cwp_admission adm;
	struct cwp_addr src;
	int new_call;

	if (!a || !req || !ans)
		return -EINVAL;
	memset(ans, 0, sizeof(ans[0]));
	new_call = req->method && strcmp(req->method, "INVITE") == 0 && !req->in_dialog;
	if (!req->src_ip || cwp_addr_parse(req->src_ip, &src) < 0) {
		/* Not an address a socket gives: nothing to count it against and nothing an
		   allow list can vouch for. A new call is refused (deny by default); other
		   requests go on to their transactions. */
		if (new_call) {
			route = cwcfg_route_find(a->cfg, CWCFG_SIP_TO_ISDN,
			                         req->ruri_user ? req->ruri_user : "");
			forbid(ans, 21, route ? route_location(a->cfg, route) : CW_LOC_LPN);
		}
		return 0;
	}
	src.port = req->src_port > 0 && req->src_port <= 65535 ? (uint16_t)req->src_port : 0;

	/* 1. flood limits, before anything else */
	cwp_limits_check(a->limits, &src, now, new_call ? CWP_LIMITS_NEW_CALL : CWP_LIMITS_REQUEST,
	                 &adm);
	if (adm.verdict != CWP_ADMIT) {
		if (adm.verdict == CWP_REFUSED_BLOCKED) {
			ans->status = -1; /* a flood gets nothing back */
			ans->reason = cwp_verdict_name(adm.verdict);
			if (adm.block_started)
				log_refusal(ans, adm.verdict, req, &src, NULL,
				            (uint64_t)a->cfg->sip.block_seconds * 1000u);
			return 0;
		}
		busy(a, ans);
		log_refusal(ans, adm.verdict, req, &src, NULL, 0);
		return 0;
	}
	if (!new_call)
		return 0;

	/* 2. the route: without one the call goes on and is refused with cause 3 */
	route = cwcfg_route_find(a->cfg, CWCFG_SIP_TO_ISDN,
	                             req->ruri_user ? req->ruri_user : "");
	if (route && !source_admitted(a, route, req, &src, now, ans)) {
		(void)cwp_limits_call_end(a->limits, &src, now);
		return 0;
	}
	/* 3. the destination, as dialed */
	rule = route ? cwcfg_route_denies_number(route, req->ruri_user) : NULL;
	if (rule) {
		(void)cwp_limits_call_end(a->limits, &src, now);
		forbid(ans, route->deny_cause, route_location(a->cfg, route));
		log_refusal(ans, CWP_REFUSED_DESTINATION, req, &src, rule->digits, 0);
		return 0;
	}
	ans->new_call = 1;
	return 0;
}

void cwb_admission_call_end(struct cwb_admission *a, const char *src_ip, uint64_t now)
{
	struct cwp_addr src;

	if (!a || !src_ip || cwp_addr_parse(src_ip, &src) < 0)
		return;
	(void)cwp_limits_call_end(a->limits, &src, now);
}
