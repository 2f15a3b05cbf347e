/* SPDX-License-Identifier: MIT */
/*
 * session_keys.c — the [sip] keys of SIP session timers (RFC 4028):
 * session_expires, min_se, session_refresher, a route's session_expires, and
 * their check against each other. The negotiation itself is bridge/sip/session_timer.c.
 */
#include <errno.h>

#include "common/error.h"
#include "config.h"
#include "parser.h"

/* RFC 4028 §4 recommends 1800 s; §5: no Min-SE below 90 s. */
static const struct cwcfg_name refresher_names[] = {
	{"bridge", CWCFG_REFRESHER_BRIDGE}, {"peer", CWCFG_REFRESHER_PEER}, {NULL, 0}};

const char *cwcfg_refresher_name(enum cwcfg_refresher refresher)
{
	return cwcfg_name_of(refresher_names, (int)refresher);
}

/* 0 (asks for none) or CWCFG_MIN_SE_FLOOR..CWCFG_SESSION_EXPIRES_MAX seconds. */
static int interval(struct cwcfg_parser *p, const char *key, const char *value, unsigned *ret)
{
	if (value[0] == '0' && value[1] == '\0') {
		*ret = 0;
		return 0;
	}
	return cwcfg_parse_uint(p, key, value, CWCFG_MIN_SE_FLOOR, CWCFG_SESSION_EXPIRES_MAX, ret);
}

int cwcfg_session_expires_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.session_expires_line, key);
	return interval(p, key, value, &p->cfg->sip.session_expires);
}

int cwcfg_route_session_expires_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_route *r = &p->cfg->routes[p->sec_index];

	ONCE(p, r->session_expires_line, key);
	return interval(p, key, value, &r->session_expires);
}

int cwcfg_min_se_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.min_se_line, key);
	return cwcfg_parse_uint(p, key, value, CWCFG_MIN_SE_FLOOR, CWCFG_SESSION_EXPIRES_MAX,
	                        &p->cfg->sip.min_se);
}

int cwcfg_session_refresher_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	int v;
	int rc;

	ONCE(p, p->cfg->sip.session_refresher_line, key);
	rc = cwcfg_parse_name(p, key, refresher_names, value, &v);
	if (rc == 0)
		p->cfg->sip.session_refresher = (enum cwcfg_refresher)v;
	return rc;
}

/* RFC 4028 §4: the interval asked for is never below the Min-SE. */
int cwcfg_session_check(struct cwcfg_parser *p)
{
	const struct cwcfg_sip *sip = &p->cfg->sip;

	if (sip->session_expires && sip->session_expires < sip->min_se)
		return cwcfg_fail(p, sip->session_expires_line ? sip->session_expires_line : sip->min_se_line,
		                  -ERANGE, "[sip]: session_expires (%u) is below min_se (%u) (RFC 4028 §4)",
		                  sip->session_expires, sip->min_se);
	for (size_t i = 0; i < p->cfg->n_routes; i++) {
		const struct cwcfg_route *r = &p->cfg->routes[i];

		if (r->session_expires_line && r->session_expires && r->session_expires < sip->min_se)
			return cwcfg_fail(p, r->session_expires_line, -ERANGE,
			                  "[route %s]: session_expires (%u) is below [sip] min_se (%u) "
			                  "(RFC 4028 §4)", r->name, r->session_expires, sip->min_se);
	}
	return 0;
}
