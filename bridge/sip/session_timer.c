/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/session_timer.c — RFC 4028 session timers, the pure part: the
 * header values and the negotiation as UAS (§9) and UAC (§7). See
 * session_timer.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "session_timer.h"

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Calls fn(item, len, arg) for each item of a comma list, blanks trimmed; stops at a
   nonzero return and returns it. */
static int each_item(const char *value, int (*fn)(const char *, size_t, const char *),
                     const char *arg)
{
	const char *p = value;

	while (p && *p) {
		const char *end = strchr(p, ','), *e;
		int r;

		if (!end)
			end = p + strlen(p);
		while (p < end && blank(*p))
			p++;
		e = end;
		while (e > p && blank(e[-1]))
			e--;
		if (e > p && (r = fn(p, (size_t)(e - p), arg)) != 0)
			return r;
		p = *end ? end + 1 : end;
	}
	return 0;
}

static int item_is(const char *item, size_t len, const char *tag)
{
	return strlen(tag) == len && strncasecmp(item, tag, len) == 0;
}

static int item_other(const char *item, size_t len, const char *tag)
{
	return !item_is(item, len, tag);
}

int cws_option_tag_listed(const char *value, const char *tag)
{
	return value && tag && each_item(value, item_is, tag);
}

int cws_option_tags_only(const char *value, const char *tag)
{
	return value && tag && !each_item(value, item_other, tag);
}

/* delta-seconds (RFC 3261 §25.1: 1*DIGIT), capped; the rest after it in *ret_end. */
static int delta_seconds(const char *p, unsigned *ret, const char **ret_end)
{
	unsigned long v = 0;

	while (blank(*p))
		p++;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9') {
		if (v < CWS_SESSION_EXPIRES_MAX)
			v = v * 10 + (unsigned long)(*p - '0');
		p++;
	}
	*ret = v > CWS_SESSION_EXPIRES_MAX ? CWS_SESSION_EXPIRES_MAX : (unsigned)v;
	while (blank(*p))
		p++;
	*ret_end = p;
	return 0;
}

/* *(SEMI param): each "name[=value]" up to the next ';'; refresher= read when asked. */
static int params(const char *p, enum cws_refresher *ret_refresher)
{
	while (*p) {
		const char *name, *eq, *end;
		size_t nlen;

		if (*p != ';')
			return -EINVAL;
		p++;
		end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		while (p < end && blank(*p))
			p++;
		name = p;
		eq = memchr(p, '=', (size_t)(end - p));
		nlen = (size_t)((eq ? eq : end) - name);
		while (nlen && blank(name[nlen - 1]))
			nlen--;
		if (nlen == 0)
			return -EINVAL;
		if (ret_refresher && eq && nlen == 9 && strncasecmp(name, "refresher", 9) == 0) {
			const char *v = eq + 1, *ve = end;

			while (v < ve && blank(*v))
				v++;
			while (ve > v && blank(ve[-1]))
				ve--;
			if (ve - v == 3 && strncasecmp(v, "uac", 3) == 0)
				*ret_refresher = CWS_REFRESHER_UAC;
			else if (ve - v == 3 && strncasecmp(v, "uas", 3) == 0)
				*ret_refresher = CWS_REFRESHER_UAS;
			else
				return -EINVAL;
		}
		p = end;
	}
	return 0;
}

int cws_session_expires_parse(const char *value, unsigned *ret_se,
                              enum cws_refresher *ret_refresher)
{
	enum cws_refresher r = CWS_REFRESHER_NONE;
	const char *rest;
	unsigned se;

	if (!value || !ret_se || !ret_refresher)
		return -EINVAL;
	if (delta_seconds(value, &se, &rest) != 0 || params(rest, &r) != 0)
		return -EINVAL;
	*ret_se = se;
	*ret_refresher = r;
	return 0;
}

int cws_min_se_parse(const char *value, unsigned *ret_min_se)
{
	const char *rest;
	unsigned v;

	if (!value || !ret_min_se)
		return -EINVAL;
	if (delta_seconds(value, &v, &rest) != 0 || params(rest, NULL) != 0)
		return -EINVAL;
	*ret_min_se = v;
	return 0;
}

static unsigned umax(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

static int policy_ok(const struct cws_session_policy *pol)
{
	return pol && pol->min_se >= CWS_SESSION_MIN_SE_FLOOR &&
	       (pol->session_expires == 0 || pol->session_expires >= pol->min_se);
}

int cws_session_uas(const struct cws_session_policy *pol, const struct cws_session_headers *req,
                    struct cws_session_answer *ret)
{
	unsigned floor;

	if (!policy_ok(pol) || !req || !ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	/* §9: never below the bridge's minimum nor the Min-SE the request carries */
	floor = umax(pol->min_se, req->min_se);
	ret->min_se = floor;
	if (req->se) {
		/* §9: too small for the bridge: 422 with its Min-SE (§6) */
		if (req->se < pol->min_se) {
			ret->status = 422;
			ret->min_se = pol->min_se;
			return 0;
		}
		/* §9: the UAS may lower the interval, not below Min-SE */
		ret->interval = umax(req->se, floor); /* §4: never below its own Min-SE either */
		if (pol->session_expires && pol->session_expires < ret->interval)
			ret->interval = umax(pol->session_expires, floor);
	} else if (pol->session_expires) {
		/* §9: the request has none: the UAS may ask for one itself */
		ret->interval = umax(pol->session_expires, floor);
	} else {
		return 0;
	}
	if (!req->supported && !req->required)
		ret->refresher = CWS_REFRESHER_UAS; /* §9: the UAC cannot refresh */
	else if (req->refresher != CWS_REFRESHER_NONE)
		ret->refresher = req->refresher;    /* §9: the UAC's choice stands */
	else
		ret->refresher = pol->refresher == CWS_SESSION_PREF_PEER ? CWS_REFRESHER_UAC
		                                                         : CWS_REFRESHER_UAS;
	ret->local_refresher = ret->refresher == CWS_REFRESHER_UAS;
	ret->require = req->supported || req->required; /* §9: Require: timer in the 2xx */
	return 0;
}

/* Appends one header line to buf at *used: "NAME: V;refresher=WHO", "NAME: V" (who NULL)
   or NAME as it is (v 0, who NULL); -ENOSPC when it does not fit. */
static int put(char *buf, size_t len, size_t *used, const char *name, unsigned v, const char *who)
{
	size_t room = len - *used;
	int n;

	if (who)
		n = snprintf(buf + *used, room, "%s: %u;refresher=%s\r\n", name, v, who);
	else if (v)
		n = snprintf(buf + *used, room, "%s: %u\r\n", name, v);
	else
		n = snprintf(buf + *used, room, "%s\r\n", name);
	if (n < 0 || (size_t)n >= room)
		return -ENOSPC;
	*used += (size_t)n;
	return 0;
}

int cws_session_uac_offer(const struct cws_session_policy *pol, unsigned min_se_422,
                          char *buf, size_t len)
{
	unsigned se, min_se;
	size_t used = 0;

	if (!policy_ok(pol) || !buf || !len)
		return -EINVAL;
	buf[0] = '\0';
	/* §7.1: Supported: timer in every INVITE */
	if (put(buf, len, &used, "Supported: timer", 0, NULL))
		return -ENOSPC;
	if (!pol->session_expires && !min_se_422)
		return 0;
	/* §7.4: after a 422, at least its Min-SE, which the retry carries too */
	se = umax(umax(pol->session_expires, pol->min_se), min_se_422);
	min_se = umax(pol->min_se, min_se_422);
	if (se > CWS_SESSION_EXPIRES_MAX)
		return -EINVAL;
	if (put(buf, len, &used, "Session-Expires", se,
	        pol->refresher == CWS_SESSION_PREF_PEER ? "uas" : "uac") ||
	    put(buf, len, &used, "Min-SE", min_se, NULL))
		return -ENOSPC;
	return (int)se;
}

int cws_session_uac_answer(unsigned offered_se, const struct cws_session_headers *resp,
                           struct cws_session_answer *ret)
{
	if (!resp || !ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	ret->min_se = resp->min_se;
	if (resp->se) {
		ret->interval = resp->se;
		/* §7.2: refresher=uas: the peer; uac, none, or no Require: timer (the peer does
		   not do timers): the bridge */
		ret->local_refresher = !(resp->refresher == CWS_REFRESHER_UAS && resp->required);
	} else if (offered_se) {
		ret->interval = offered_se; /* no expiry agreed; the bridge still refreshes */
		ret->local_refresher = 1;
	}
	ret->refresher = ret->local_refresher ? CWS_REFRESHER_UAC : CWS_REFRESHER_UAS;
	return 0;
}

int cws_session_lines(const struct cws_session_answer *ans, int uas, char *buf, size_t len)
{
	size_t used = 0;
	const char *who;

	if (!ans || !buf || !len)
		return -EINVAL;
	buf[0] = '\0';
	if (ans->status == 422)
		return put(buf, len, &used, "Min-SE", ans->min_se, NULL);
	if (!ans->interval)
		return 0;
	if (uas)
		who = ans->refresher == CWS_REFRESHER_UAC ? "uac" : "uas";
	else
		who = "uac"; /* the bridge sends the refresh: it is the UAC (§10) */
	if (put(buf, len, &used, "Session-Expires", ans->interval, who))
		return -ENOSPC;
	if (uas && ans->require && put(buf, len, &used, "Require: timer", 0, NULL))
		return -ENOSPC;
	if (!uas && ans->min_se &&
	    put(buf, len, &used, "Min-SE", ans->min_se, NULL))
		return -ENOSPC;
	return put(buf, len, &used, "Supported: timer", 0, NULL);
}
