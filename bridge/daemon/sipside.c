/* SPDX-License-Identifier: MIT */
/*
 * sipside.c — the SIP adapter (bridge/sip) joined to the core: cws
 * events -> core events, core SIP actions -> cws calls, and the offer/answer
 * of each call's media (media.c) carried in INVITE, 183, 200 and ACK.
 *
 * What the adapter already does and the core therefore never asks twice
 * (bridge/sip/README.md): 100 Trying on every INVITE, 200 for BYE and
 * CANCEL, the ACK for a 2xx (CWC_ACT_SIP_ACK is a no-op here), 2xx and ACK
 * retransmissions, and holding a CANCEL until a provisional response
 * arrived (RFC 3261 §9.1).
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

#include "admission.h"
#include "calls.h"
#include "common/error.h"
#include "config_ref.h"
#include "identity.h"
#include "log.h"
#include "metrics.h"
#include "resources.h"
#include "route.h"
#include "media.h"
#include "session_timer.h"
#include "sip.h"
#include "sipdns.h"
#include "sipside.h"

static void fill_reasons(struct cwc_call_event *ev, const struct cws_call_event *se)
{
	size_t i;

	for (i = 0; i < se->nreasons && ev->nreasons < CWC_CALL_REASON_LINES_MAX; i++) {
		if (!se->reasons[i])
			continue;
		ev->reasons[ev->nreasons].ptr = se->reasons[i];
		ev->reasons[ev->nreasons].len = strlen(se->reasons[i]);
		ev->nreasons++;
	}
}

/* The calling party of the INVITE (identity.c): a P-Asserted-Identity is
   believed only from the route's trusted_peers (RFC 3325 §5). */
static enum cwb_identity_source fill_calling(struct cwc_call_party *p,
                                             const struct cws_call_event *se,
                                             const struct cwcfg_route *route)
{
	struct cwb_sip_caller in;

	memset(&in, 0, sizeof(in));
	in.from_display = se->from_display;
	in.from_user = se->from_user;
	in.from_host = se->from_host;
	in.pai = se->pai;
	in.npai = se->npai;
	in.privacy = se->privacy;
	in.nprivacy = se->nprivacy;
	in.trusted = cwcfg_route_trusts_peer(route, se->src_ip);
	return cwb_identity_from_sip(&in, p);
}

/* docs/cdr.md sip_source: "192.0.2.7:5060", "[2001:db8::7]:5060"; "" when unknown. */
static void source_text(const struct cws_call_event *se, char *buf, size_t len)
{
	struct cwp_addr a;

	buf[0] = '\0';
	if (!se->src_ip || cwp_addr_parse(se->src_ip, &a) < 0)
		return;
	a.port = se->src_port > 0 && se->src_port <= 65535 ? (uint16_t)se->src_port : 0;
	if (cwp_addr_format(&a, buf, len) < 0)
		buf[0] = '\0';
}

/* ---- Session timers (RFC 4028) ----
 *
 * bridge/sip/session_timer.c decides; here the decision meets the call: the
 * core gets the interval (cwc_call_set_session()) and runs SESSION-REFRESH and
 * SESSION-EXPIRY; CWC_ACT_SIP_REFRESH goes out as UPDATE when the peer allows
 * it, else as a re-INVITE with the current SDP (session_sdp()). */

/* [sip]'s settings, with the route's session_expires where it has one. */
static void session_policy(const struct cwb *d, const struct cwcfg_route *route,
                           struct cws_session_policy *pol)
{
	pol->session_expires = route && route->session_expires_line ? route->session_expires
	                                                            : d->cfg->sip.session_expires;
	pol->min_se = d->cfg->sip.min_se;
	pol->refresher = d->cfg->sip.session_refresher == CWCFG_REFRESHER_PEER
		                 ? CWS_SESSION_PREF_PEER
		                 : CWS_SESSION_PREF_BRIDGE;
}

/* The RFC 4028 headers of a message; an unreadable value counts as absent. */
static void session_headers(const struct cws_call_event *se, struct cws_session_headers *h)
{
	memset(h, 0, sizeof(*h));
	h->supported = se->timer_supported;
	h->required = se->timer_required;
	if (!se->session_expires ||
	    cws_session_expires_parse(se->session_expires, &h->se, &h->refresher) < 0) {
		h->se = 0;
		h->refresher = CWS_REFRESHER_NONE;
	}
	if (!se->min_se || cws_min_se_parse(se->min_se, &h->min_se) < 0)
		h->min_se = 0;
}

/* The current local SDP of the call for a re-INVITE refresh or its answer: the one
 * place session timers take SDP from (media.c's last description). NULL: none. */
static const char *session_sdp(const struct cwb_call *c);

/* A re-offer in the dialog answered by the media code: the status to answer with. */
static int reoffer_answer(struct cwb_call *c, const char *sdp, size_t len, char *warning,
                          size_t wlen);

/* The bridge as UAS (§9): what to answer a request (INVITE, re-INVITE, UPDATE) with;
 * the 2xx's (or 422's) header lines into lines. 0 or -EINVAL. */
static int session_answer_request(const struct cwb *d, const struct cwcfg_route *route,
                                  const struct cws_call_event *se,
                                  struct cws_session_answer *ans, char *lines, size_t len)
{
	struct cws_session_policy pol;
	struct cws_session_headers h;
	int r;

	session_policy(d, route, &pol);
	session_headers(se, &h);
	lines[0] = '\0';
	if ((r = cws_session_uas(&pol, &h, ans)) < 0)
		return r;
	return cws_session_lines(ans, 1, lines, len);
}

/* The negotiated interval into the leg and the core (SESSION-REFRESH, SESSION-EXPIRY). */
static void session_apply(struct cwb_call *c, const struct cws_session_answer *ans)
{
	if (ans->interval != c->sip.se_interval || ans->local_refresher != c->sip.se_local)
		cwb_call_debug(c, "session interval %u s, refresher %s", ans->interval,
		                  ans->local_refresher ? "bridge" : "peer");
	c->sip.se_interval = ans->interval;
	c->sip.se_local = ans->local_refresher;
	(void)cwc_call_set_session(c->core, ans->interval, ans->local_refresher);
}

static void session_feed(struct cwb_call *c, enum cwc_call_event_type type, int status)
{
	struct cwc_call_event ev;

	cwc_call_event_init(&ev, type, c->d->now_ms);
	ev.status = status;
	cwb_call_feed(c, &ev);
}

/*
 * The peer's UPDATE or re-INVITE in the dialog. An offer in it is answered by the
 * media code (RFC 3264 §8, RFC 3311 §5.2: hold, a new address, another codec); one
 * that cannot be served gets 488 + Warning (491 while our own offer is pending) and
 * the session, media and timers stay as they were. A re-INVITE without an offer gets
 * the session as it is as our offer in the 2xx (RFC 3261 §14.2; the same o= version,
 * so the ACK's answer changes nothing). An accepted request refreshes the session
 * timer (RFC 4028 §9, §10); below [sip] min_se it gets 422.
 */
static void session_on_request(struct cwb_call *c, const struct cws_call_event *se)
{
	struct cws_response_opts o;
	struct cws_session_answer ans;
	char lines[192], warning[160];
	const char *what = se->type == CWS_EV_REINVITE ? "re-INVITE" : "UPDATE";
	int r;

	memset(&o, 0, sizeof(o));
	if (session_answer_request(c->d, c->route, se, &ans, lines, sizeof(lines)) < 0) {
		(void)cws_call_respond_request(c->sip.sc, 500, NULL);
		return;
	}
	o.extra_headers = lines;
	if (ans.status == 422) { /* §9: below min_se */
		(void)cws_call_respond_request(c->sip.sc, 422, &o);
		return;
	}
	if (se->sdp && se->sdp_len > 0) {
		int status = reoffer_answer(c, se->sdp, se->sdp_len, warning, sizeof(warning));

		if (status != 200) {
			memset(&o, 0, sizeof(o));
			o.warning = warning[0] ? warning : NULL;
			r = cws_call_respond_request(c->sip.sc, status, &o);
			cwb_call_info(c, "%s answered %d%s", what, status,
			                 r < 0 ? " (not sent)" : "");
			return;
		}
		o.sdp = session_sdp(c);
	} else if (se->type == CWS_EV_REINVITE) {
		o.sdp = session_sdp(c);
		if (!o.sdp) {
			(void)cws_call_respond_request(c->sip.sc, 488, NULL);
			return;
		}
	}
	r = cws_call_respond_request(c->sip.sc, 200, &o);
	if (r < 0) {
		cwb_call_warning(c, "200 for the %s failed: %s", what, cwcom_strerror(r));
		return;
	}
	cwb_call_info(c, "%s answered 200", what);
	if (se->allow_update)
		c->sip.peer_update = 1;
	session_apply(c, &ans);
	session_feed(c, CWC_EV_SIP_REFRESH, 0);
}

/* CWC_ACT_SIP_REFRESH: the bridge refreshes (§10), by UPDATE if the peer allows it. */
static void session_refresh(struct cwb_call *c)
{
	struct cwb_sip_leg *leg = &c->sip;
	struct cws_session_answer ans;
	char lines[192];
	const char *method = leg->peer_update ? "UPDATE" : "INVITE";
	int r;

	if (!leg->sc || !leg->se_interval)
		return;
	memset(&ans, 0, sizeof(ans));
	ans.interval = leg->se_interval;
	ans.local_refresher = 1;
	ans.min_se = c->d->cfg->sip.min_se;
	if (cws_session_lines(&ans, 0, lines, sizeof(lines)) < 0)
		return;
	if (leg->peer_update)
		r = cws_call_refresh(leg->sc, method, NULL, lines);
	else
		r = cws_call_refresh(leg->sc, method, session_sdp(c), lines);
	if (r < 0) {
		cwb_call_warning(c, "session refresh (%s) not sent: %s", method,
		                    cwcom_strerror(r));
		return;
	}
	leg->refresh_pending = 1;
	cwb_call_debug(c, "session refresh (%s)", method);
}

/* The final response to our refresh: a 2xx refreshes (and may change the interval,
 * §7.2), 408/481 end the session (§10), anything else leaves it to its expiry. */
static void session_on_refresh_done(struct cwb_call *c, const struct cws_call_event *se)
{
	struct cws_session_headers h;
	struct cws_session_answer ans;

	c->sip.refresh_pending = 0;
	if (se->status >= 200 && se->status < 300) {
		session_headers(se, &h);
		if (cws_session_uac_answer(c->sip.se_interval, &h, &ans) == 0)
			session_apply(c, &ans);
		if (se->allow_update)
			c->sip.peer_update = 1;
		session_feed(c, CWC_EV_SIP_REFRESH, se->status);
		return;
	}
	if (se->status == 408 || se->status == 481) {
		cwb_call_notice(c, "session refresh answered %d: the session is over", se->status);
		session_feed(c, CWC_EV_SIP_REFRESH_FAILED, se->status);
		return;
	}
	if ((se->status == 405 || se->status == 501) && se->method && !strcmp(se->method, "UPDATE"))
		c->sip.peer_update = 0; /* the next refresh is a re-INVITE */
	cwb_call_notice(c, "session refresh answered %d", se->status);
}

/*
 * Connected line (README.md "Connected line"; Q.951 §3 COLP, §4 COLR). ISDN->SIP: the
 * P-Asserted-Identity of the 2xx, from targets inside the trust domain
 * (trust_identity), becomes the CONNECT's Connected number, restricted with
 * Privacy id (isdn.c sends it).
 */
static void connected_from_2xx(struct cwb_call *c, const struct cws_call_event *se)
{
	struct cwc_call_party *p = &c->connected;

	if (c->dir != CWC_CALL_FROM_ISDN || c->connected.digits[0])
		return; /* a 2xx retransmission, or a second 2xx (forked) */
	if (cwb_connected_from_sip(se->pai, se->npai, se->privacy, se->nprivacy,
	                           c->route && c->route->trust_identity, p) == 0)
		cwb_call_info(c, "connected number=%s presentation=%s (P-Asserted-Identity)",
		              p->digits, p->presentation == 1 ? "restricted" : "allowed");
}

/* SIP->ISDN: who answered, as P-Asserted-Identity of the 200 toward a trusted peer only
 * (RFC 3325 §9.1): the CONNECT's Connected number, with Privacy: id when restricted
 * (§9.3), and its connected name (isdn.c: a QSIG connectedName) as the display name;
 * with a name and no number the number called. id holds the strings o points at. */
static void connected_to_2xx(const struct cwb_call *c, struct cwb_sip_identity *id,
                             struct cws_response_opts *o)
{
	if (!c->sip.peer_trusted)
		return;
	if (c->connected.digits[0]) {
		cwb_identity_to_sip(&c->connected, 1, id);
		if (id->pai_user[0]) {
			o->pai_user = id->pai_user;
			o->pai_display = id->pai_display[0] ? id->pai_display : NULL;
			o->privacy_id = id->privacy_id;
		}
	}
	if (c->connected_name[0]) {
		o->pai_user = o->pai_user ? o->pai_user : c->called;
		o->pai_display = o->pai_display ? o->pai_display : c->connected_name;
	}
}

/* The 2xx's P-Asserted-Identity display name, for the CONNECT (isdn.c: a QSIG
   connectedName): who answered, believed from a target of a trust_identity route only
   (RFC 3325 §5, as its INVITE carried our PAI). */
static void answered_name(struct cwb_call *c, const struct cws_call_event *se)
{
	char digits[CWC_CALL_NUMBER_MAX];
	int international;

	if (!c->route || !c->route->trust_identity || se->npai == 0 ||
	    cwb_pai_parse(se->pai[0], digits, sizeof(digits), &international, c->connected_name,
	                  sizeof(c->connected_name)) < 0)
		c->connected_name[0] = '\0';
}

/* ISDN->SIP: the 2xx decides the session (§7.2). */
static void session_on_answer(struct cwb_call *c, const struct cws_call_event *se)
{
	struct cws_session_headers h;
	struct cws_session_answer ans;

	c->sip.peer_update = se->allow_update;
	session_headers(se, &h);
	if (cws_session_uac_answer(c->sip.se_offered, &h, &ans) == 0)
		session_apply(c, &ans);
}

static void send_invite(struct cwb_call *c, const struct cwc_call_action *a, uint64_t now);

/* ISDN->SIP: a 422 (§7.4): the INVITE once more to the same target, asking for at least
 * the 422's Min-SE. 1 if it went out (the 422 is not the core's), else 0. */
static int session_retry_422(struct cwb_call *c, const struct cws_call_event *se, uint64_t now)
{
	struct cwb_sip_leg *leg = &c->sip;
	unsigned min_se;

	if (c->dir != CWC_CALL_FROM_ISDN || se->status != 422 || leg->se_min_422 || !se->min_se ||
	    !leg->invite ||
	    cws_min_se_parse(se->min_se, &min_se) < 0 || min_se <= leg->se_offered ||
	    min_se > CWCFG_SESSION_EXPIRES_MAX)
		return 0;
	cwb_call_info(c, "422, Min-SE %u: the INVITE again", min_se);
	leg->se_min_422 = min_se;
	if (leg->target >= 0 && leg->target < CWCFG_MAX_TARGETS)
		c->targets_tried &= ~(1u << leg->target);
	if (leg->target >= 0 && leg->hops_for == leg->target + 1 && leg->ihop > 0)
		leg->ihop--; /* the same address again */
	leg->retry_of = leg->sc;
	leg->sc = NULL;
	leg->retrying = 1;
	send_invite(c, leg->invite, now);
	leg->retrying = 0;
	if (leg->retry_of) {
		cws_call_set_user(leg->retry_of, NULL);
		cws_call_release(leg->retry_of);
		leg->retry_of = NULL;
	}
	return 1;
}

/* Cause 47, resource unavailable (Q.850 §2.2.7.1): no RTP port pair left. */
#define CAUSE_RESOURCE_UNAVAILABLE 47

/* *slot = a copy of text at its size ("" or NULL: none); 0, or -ENOMEM with none. */
static int set_text(char **slot, const char *text)
{
	free(*slot);
	*slot = text && text[0] ? strdup(text) : NULL;
	return text && text[0] && !*slot ? -ENOMEM : 0;
}

/* A Warning header value for a refused description (RFC 3261 §20.43: code, agent, text). */
static void warning_value(const struct cwm_sdp_oa_result *res, char *buf, size_t len)
{
	snprintf(buf, len, "%d causeway \"%s\"", res->warning, res->warning_text);
}

/*
 * The media of an INVITE to ISDN, before anything goes there: an RTP session for the
 * claimed B-channel and the answer to the INVITE's offer (RFC 3264 §6). 0, or the cause
 * to refuse the call with: 65 for an offer that cannot be served (the core answers 488,
 * RFC 3398 §7.2.4.1; a malformed one too, whose 488 would otherwise read as cause 31
 * only through a Warning 399 the core does not send), 47 when no port pair is free. An
 * INVITE without an offer gets ours in the first reliable response (RFC 3261 §13.2.1).
 */
static int invite_media(struct cwb_call *c, const struct cws_call_event *se)
{
	struct cwm_sdp_oa_result res;
	int r;

	r = cwb_media_call_new(c->d, c->bchan.span, c->id, c->sip.peer, c->d->sdp_session + c->id,
	                       &c->media);
	if (r < 0) {
		cwb_call_warning(c, "no RTP session: %s", cwcom_strerror(r));
		return CAUSE_RESOURCE_UNAVAILABLE;
	}
	if (!se->sdp || se->sdp_len == 0)
		return 0;
	memset(&res, 0, sizeof(res));
	r = cwb_media_call_answer(c->media, se->sdp, se->sdp_len, &res);
	if (r < 0) {
		cwb_call_warning(c, "offer: %s", cwcom_strerror(r));
		return CAUSE_RESOURCE_UNAVAILABLE;
	}
	if (!res.accepted) {
		cwb_call_info(c, "offer refused: %d, Warning %d \"%s\", cause %d",
		                 res.sip_status, res.warning, res.warning_text, res.cause);
		/* RFC 3261 §20.43: what was wrong with the offer, on the 488 */
		{
			char w[160];

			warning_value(&res, w, sizeof(w));
			(void)set_text(&c->sip.warning, w); /* none: the 488 has no Warning */
		}
		return CWB_CAUSE_BEARER_NOT_IMPLEMENTED;
	}
	if (cwb_media_call_clearmode(c->media)) {
		/* RFC 4040 §3: clearmode and no G.711, the unrestricted digital bearer */
		c->bearer = CWC_BEARER_DIGITAL;
		if (!c->cfg->spans[c->bchan.span].digital) {
			cwb_call_info(c, "clearmode offer: span %u has digital = no, cause 58",
			                 c->cfg->spans[c->bchan.span].number);
			return CWB_CAUSE_BEARER_NOT_AVAILABLE;
		}
	}
	return 0;
}

/*
 * The new calls refused for want of a B-channel (on_invite() as calls, refuse_no_channel()
 * at admission): counted per second, the current one and the one before ([sip]
 * no_channel_shed_rate); the episodes of refusals at admission, for their log lines; and
 * the new calls admitted in the read under way, whose INVITEs reach on_invite() and claim
 * their channels only once the read is over (cws_on_readable() runs the transactions
 * after it).
 */
static struct {
	uint64_t window_ms;        /* start of the current second */
	unsigned count, before;    /* refusals in it, and in the second before */
	unsigned long shed, shed_at_start;
	uint64_t last_shed_ms;
	int on;
	unsigned admitted;
} no_channel;

/* The per-second windows at now (monotonic ms). */
static void no_channel_roll(uint64_t now)
{
	if (now - no_channel.window_ms < 1000)
		return;
	no_channel.before = now - no_channel.window_ms < 2000 ? no_channel.count : 0;
	no_channel.count = 0;
	no_channel.window_ms = now;
}

/* A new call refused for want of a B-channel (cause 34 or 38 from its hunt). */
static void no_channel_note(uint64_t now)
{
	no_channel_roll(now);
	no_channel.count++;
}

/* The first span of group: whose profile and location a call of the group has until it
   holds a channel (NULL: none). */
static const struct cwcfg_span *group_span(const struct cwcfg_config *cfg, const char *group)
{
	for (size_t i = 0; i < cfg->n_spans; i++)
		if (strcmp(cfg->spans[i].group, group) == 0)
			return &cfg->spans[i];
	return NULL;
}

/*
 * RFC 3578 §3 from SIP: an INVITE with the Call-ID and From tag of a call from SIP still in
 * U1 (its SETUP, without Sending complete, to an overlap_sending span; no CALL PROCEEDING
 * yet) whose Request-URI user extends that call's. The digits it adds go to ISDN in
 * INFORMATION (the core's SIP_MORE_DIGITS), the INVITE it replaces is answered 484 (the
 * sender takes it as the shorter number's, §3.3), the new one is the call's from now on.
 * 1 when joined, 0 when the INVITE is a call of its own.
 */
static int join_overlap(struct cwb *d, const struct cws_call_event *se, const char *user)
{
	const char *cid = cws_call_id(se->call);
	struct cwm_sdp_oa_result res;
	struct cws_response_opts o;
	struct cwc_call_event ev;
	struct cwb_call *c;
	size_t have;

	if (!se->from_tag || !cid)
		return 0;
	/* only the calls whose SETUP went out with overlap sending (isdn.c lists them), not
	 * every call: an INVITE costs the same with 10 calls up or 10 000 */
	for (c = d->overlap_calls; c; c = c->overlap_next) {
		if (c->finished || c->dir != CWC_CALL_FROM_SIP || !c->sip.sc || !c->sip.dialled[0] ||
		    c->bchan.span < 0 || (size_t)c->bchan.span >= c->cfg->n_spans ||
		    !c->cfg->spans[c->bchan.span].overlap_sending)
			continue;
		have = strlen(c->sip.dialled);
		if (cwc_call_state(c->core) == CWC_CS_S_U1_INITIATED &&
		    strcmp(cws_call_id(c->sip.sc), cid) == 0 &&
		    strcmp(c->sip.from_tag, se->from_tag) == 0 && strlen(user) > have &&
		    strncmp(user, c->sip.dialled, have) == 0)
			break;
	}
	if (!c)
		return 0;
	cwb_call_info(c, "INVITE %s (Call-ID %s): %s more for the call (RFC 3578 §3); 484 to the "
	              "INVITE before", user, cid, user + have);
	memset(&o, 0, sizeof(o));
	o.reason = "Q.850;cause=28;text=\"Invalid number format (address incomplete)\"";
	(void)cws_call_respond(c->sip.sc, 484, &o); /* as any 484 (RFC 3398 §7.2.4.1) */
	cws_call_set_user(c->sip.sc, NULL);
	cws_call_release(c->sip.sc);
	c->sip.sc = se->call;
	cws_call_set_user(se->call, c);
	/* one call of its source for admission.c, as before */
	cwb_admission_call_end(d->adm, se->src_ip, d->now_ms);
	/* RFC 3264 §5: the new INVITE's offer is answered in its responses */
	memset(&res, 0, sizeof(res));
	if (c->media && se->sdp && se->sdp_len &&
	    (cwb_media_call_answer(c->media, se->sdp, se->sdp_len, &res) < 0 || !res.accepted))
		cwb_call_warning(c, "the new INVITE's offer not taken: the answer stays");
	cwc_call_event_init(&ev, CWC_EV_SIP_MORE_DIGITS, d->now_ms);
	snprintf(ev.called.digits, sizeof(ev.called.digits), "%.*s",
	         (int)(sizeof(ev.called.digits) - 1), user + have);
	snprintf(c->sip.dialled, sizeof(c->sip.dialled), "%s", user);
	have = strlen(c->called);
	snprintf(c->called + have, sizeof(c->called) - have, "%s", ev.called.digits);
	cwb_call_feed(c, &ev);
	return 1;
}

static void on_invite(struct cwb *d, const struct cws_call_event *se)
{
	const char *user = se->ruri_user ? se->ruri_user : "";
	const struct cwcfg_config *cfg = d->cfg;
	const struct cwcfg_route *route;
	enum cwcfg_match match;
	const struct cwcfg_span *profile_span = cfg->n_spans ? &cfg->spans[0] : NULL;
	struct cwb_claim claim = CWB_CLAIM_NONE;
	struct cwb_tried tried;
	struct cwb_call *c;
	struct cwc_call_event ev;
	char called[CWC_CALL_NUMBER_MAX];
	enum cwb_identity_source id_src;
	struct cws_session_answer sa;
	char se_lines[CWB_SE_LINES_MAX];
	int rc;

	memset(&tried, 0, sizeof(tried));
	cwc_call_event_init(&ev, CWC_EV_SIP_INVITE, d->now_ms);
	ev.has_sdp = se->sdp && se->sdp_len > 0;
	ev.bearer = CWC_BEARER_SPEECH; /* digital for a clearmode offer (invite_media()) */
	fill_reasons(&ev, se);
	snprintf(ev.called.digits, sizeof(ev.called.digits), "%.*s",
	         (int)(sizeof(ev.called.digits) - 1), user);
	if (user[0] && join_overlap(d, se, user))
		return;

	/* RFC 3398 §7.2.1: route by the Request-URI user, hunt a B-channel. */
	match = cwcfg_route_classify(d->cfg, CWCFG_SIP_TO_ISDN, user, &route);
	/* RFC 4028 §9: an interval below min_se is refused before anything is claimed */
	if (session_answer_request(d, route, se, &sa, se_lines, sizeof(se_lines)) < 0) {
		memset(&sa, 0, sizeof(sa));
		se_lines[0] = '\0';
	}
	if (sa.status == 422) {
		struct cws_response_opts o;

		memset(&o, 0, sizeof(o));
		o.extra_headers = se_lines;
		cwb_info("INVITE %s (Call-ID %s): Session-Expires below min_se %u: 422", user,
		         cws_call_id(se->call), sa.min_se);
		cwb_admission_call_end(d->adm, se->src_ip, d->now_ms);
		(void)cws_call_respond(se->call, 422, &o);
		cws_call_release(se->call);
		return;
	}
	id_src = fill_calling(&ev.calling, se, route);
	if (!user[0]) {
		/* No user part (sip:host): no number to dial. Cause 28, 484 Address Incomplete
		   (RFC 3398 §8.2.6.1); never a SETUP with an empty Called party number. */
		ev.reject_cause = CWB_CAUSE_INVALID_NUMBER;
	} else if (match == CWCFG_MATCH_PREFIX) {
		/* RFC 3578 §2: a number a route would take with more digits is incomplete:
		   cause 28, 484 Address Incomplete (RFC 3398 §7.2.4.1); nothing goes to ISDN */
		ev.reject_cause = CWB_CAUSE_INVALID_NUMBER;
	} else if (!route) {
		ev.reject_cause = CWB_CAUSE_NO_ROUTE;
	} else if (cwb_number_rewrite(route, user, 0, called, sizeof(called)) < 0) {
		ev.reject_cause = CWB_CAUSE_INVALID_NUMBER;
	} else {
		const struct cwcfg_span *first = group_span(cfg, route->group);

		memcpy(ev.called.digits, called, sizeof(called));
		ev.called.ton = (int)route->ton;
		ev.called.npi = (int)route->npi;
		if (first) /* else [span 1]'s */
			profile_span = first;
		rc = cwb_resources_claim_hunt(d->res, route->group, 0, &tried, &claim);
		if (rc != 0) {
			ev.reject_cause = rc;
			no_channel_note(d->now_ms);
		} else
			profile_span = &cfg->spans[claim.span];
	}
	if (d->stopping) {
		/* draining (README.md "Drain"): 503 + Retry-After, RFC 3398 §8.2.6.1 */
		ev.reject_cause = CWB_CAUSE_CONGESTION;
		cwb_resources_release(d->res, &claim);
		claim.span = -1;
	}

	c = cwb_call_new(d, CWC_CALL_FROM_SIP, profile_span);
	if (!c) {
		cwb_admission_call_end(d->adm, se->src_ip, d->now_ms);
		cwb_resources_release(d->res, &claim);
		(void)cws_call_respond(se->call, 500, NULL);
		cws_call_release(se->call);
		return;
	}
	c->sip.sc = se->call;
	snprintf(c->sip.from_tag, sizeof(c->sip.from_tag), "%s", se->from_tag ? se->from_tag : "");
	snprintf(c->sip.dialled, sizeof(c->sip.dialled), "%s", user);
	/* admission.c counted the INVITE as a call of its source: until sip_finished() */
	snprintf(c->sip.src_ip, sizeof(c->sip.src_ip), "%s", se->src_ip ? se->src_ip : "");
	source_text(se, c->sip.source, sizeof(c->sip.source));
	c->sip.transport = se->transport ? se->transport : "udp";
	if (c->sip.source[0])
		snprintf(c->sip.peer, sizeof(c->sip.peer), "%s/%s", c->sip.source, c->sip.transport);
	cws_call_set_user(se->call, c);
	c->route = route;
	c->sip.peer_trusted = cwcfg_route_trusts_peer(route, se->src_ip);
	c->bchan = claim;
	c->tried = tried;
	if (!ev.reject_cause && c->bchan.span >= 0 && c->bchan.channel > 0 &&
	    (ev.reject_cause = invite_media(c, se)) != 0) {
		/* nothing reaches ISDN: the channel and the session go back now */
		cwb_resources_release(d->res, &c->bchan);
		c->bchan.span = -1;
		cwb_media_call_free(c->media);
		c->media = NULL;
	}
	ev.bearer = c->bearer;
	snprintf(c->called, sizeof(c->called), "%s", ev.called.digits);
	snprintf(c->calling, sizeof(c->calling), "%s", ev.calling.digits);
	/* RFC 4028 §9: the 2xx carries se_lines; the timers run from the ACK on */
	c->sip.peer_update = se->allow_update;
	if (set_text(&c->sip.se_lines, se_lines) < 0)
		cwb_call_warning(c, "out of memory: the 2xx goes without Session-Expires");
	session_apply(c, &sa);
	cwb_call_info(c, "INVITE %s from %s (Call-ID %s)%s%d", user,
	                 se->from_user ? se->from_user : "-", cws_call_id(se->call),
	                 ev.reject_cause ? ": refused, cause " : ", channel ",
	                 ev.reject_cause ? ev.reject_cause : c->bchan.channel);
	{
		static const char *const srcs[] = { "none", "from", "pai",
			                            "from(untrusted-pai-ignored)" };
		cwb_call_identity_log(c, &ev.calling, srcs[id_src]);
	}
	/* RFC 5806 Diversion first, else RFC 7044 History-Info: the SETUP's Redirecting number */
	if (cwb_diversion_parse(se->diversion, se->ndiversion, &c->redirecting) == 0)
		cwb_call_redirect_log(c, "diversion");
	else if (cwb_history_info_parse(se->history_info, se->nhistory_info, &c->redirecting) == 0)
		cwb_call_redirect_log(c, "history-info");
	cwb_call_start(c, &ev);
}

/* The core refused the INVITE itself (a bad field): answer it here. */
static void sip_refused(struct cwb_call *c)
{
	(void)cws_call_respond(c->sip.sc, 500, NULL);
}

/* The target a new INVITE of c would go to now (README "Failover"), or -1. */
static int target_next(const struct cwb_call *c)
{
	return cwb_resources_target_next(c->d->res, c->route, c->targets_tried, c->d->now_ms);
}

/* A URI as the call keeps it: 64-bit FNV-1a, 8 bytes instead of CWB_URI_MAX (a false
 * "tried" needs a collision among a call's dozen URIs). */
static uint64_t uri_hash(const char *uri)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *uri; uri++)
		h = (h ^ (unsigned char)*uri) * 1099511628211ULL;
	return h;
}

static int uri_tried(const struct cwb_call *c, const char *uri)
{
	uint64_t h = uri_hash(uri);
	size_t i;

	for (i = 0; i < c->sip.nuris; i++)
		if (c->sip.uris[i] == h)
			return 1;
	return 0;
}

/*
 * What the core needs to choose between failover and clearing: a 503's
 * Retry-After puts the target aside for that long (RFC 3261 §21.5.4);
 * more_routes = another target is usable; has_contact = a 3xx names a SIP
 * URI this call has not tried (loop-safe; the core bounds the count).
 */
static void failover_info(struct cwb_call *c, const struct cws_call_event *se,
                          struct cwc_call_event *ev)
{
	struct cwb_sip_leg *leg = &c->sip;

	if (se->type == CWS_EV_FAILED && se->status == 503 && se->retry_after > 0 && c->route &&
	    leg->target >= 0 && leg->target < CWCFG_MAX_TARGETS) {
		unsigned ra = se->retry_after > 86400 ? 86400 : se->retry_after;

		cwb_resources_target_aside(c->d->res, c->route, leg->target,
		                           c->d->now_ms + (uint64_t)ra * 1000);
		cwb_notice("route %s: target %s skipped for %u s (503 Retry-After)", c->route->name,
		           c->route->targets[leg->target].uri, ra);
	}
	ev->more_routes = target_next(c) >= 0;
	if (se->type == CWS_EV_FAILED && se->status >= 300 && se->status <= 399 && se->contact &&
	    (strncmp(se->contact, "sip:", 4) == 0 || strncmp(se->contact, "sips:", 5) == 0) &&
	    strlen(se->contact) < CWB_URI_MAX && !uri_tried(c, se->contact) &&
	    set_text(&leg->redirect_uri, se->contact) == 0 && leg->redirect_uri) {
		leg->redirect_status = se->status;
		ev->has_contact = 1;
	}
}

/*
 * A body on a response to our INVITE (183, 200: RFC 3264 §5, the answer to our offer),
 * or on the ACK after our offer in a 200 (RFC 3261 §13.2.1). A second copy of an
 * answer already taken (the 200 after a 183) finds no offer pending: nothing changes.
 * An answer the gateway cannot use returns its cause (65, RFC 3398 §8.2.6.1), else 0.
 */
static int sip_media_event(struct cwb_call *c, const struct cws_call_event *se)
{
	struct cwm_sdp_oa_result res;
	int r;

	if (se->type != CWS_EV_PROGRESS && se->type != CWS_EV_ANSWERED && se->type != CWS_EV_ACK)
		return 0;
	memset(&res, 0, sizeof(res));
	r = cwb_media_call_take_answer(c->media, se->sdp, se->sdp_len, &res);
	if (r == CWCOM_ESTATE)
		return 0;
	if (r < 0) {
		cwb_call_warning(c, "answer: %s", cwcom_strerror(r));
		return 0;
	}
	if (res.accepted)
		return 0;
	cwb_call_notice(c, "answer refused: Warning %d \"%s\": clearing with cause %d",
	                   res.warning, res.warning_text, res.cause);
	return res.cause;
}

/*
 * A re-offer in the dialog (a re-INVITE, RFC 3264 §8): hold and resume (sendonly,
 * inactive, 0.0.0.0, then sendrecv), a new remote address, another codec. Answered
 * 200 with our answer, 488 + Warning when it cannot be served (the session stays
 * as it was, §8), 491 while our own offer is pending (RFC 3261 §14.2). The call and
 * the core do not change either way.
 */
static int reoffer_answer(struct cwb_call *c, const char *sdp, size_t len, char *warning,
                          size_t wlen)
{
	struct cwm_sdp_oa_result res;
	int r;

	warning[0] = '\0';
	if (!c->media || !sdp || !len)
		return 488; /* no offer to answer: an offer of ours would need the ACK's answer */
	memset(&res, 0, sizeof(res));
	r = cwb_media_call_answer(c->media, sdp, len, &res);
	if (r == CWCOM_ESTATE)
		return 491;
	if (r < 0) {
		cwb_call_warning(c, "re-offer: %s", cwcom_strerror(r));
		return 500;
	}
	if (!res.accepted) {
		cwb_call_info(c, "re-offer refused: Warning %d \"%s\"", res.warning,
		                 res.warning_text);
		warning_value(&res, warning, wlen);
		return 488;
	}
	return 200;
}

static void on_sip_event(void *user, const struct cws_call_event *se)
{
	struct cwb *d = user;
	struct cwb_call *c;
	struct cwc_call_event ev;
	enum cwc_call_event_type type;
	int media_cause = 0;

	if (se->type == CWS_EV_INVITE) {
		on_invite(d, se);
		return;
	}
	c = se->call ? cws_call_get_user(se->call) : NULL;
	if (!c || c->finished) {
		cwb_debug("sip: event %d for a finished call: ignored", (int)se->type);
		return;
	}
	switch (se->type) {
	case CWS_EV_PROGRESS:
		type = CWC_EV_SIP_1XX;
		break;
	case CWS_EV_ANSWERED:
		type = CWC_EV_SIP_2XX;
		session_on_answer(c, se);
		connected_from_2xx(c, se);
		answered_name(c, se);
		break;
	case CWS_EV_FAILED:
		if (session_retry_422(c, se, d->now_ms))
			return;
		type = CWC_EV_SIP_FINAL_ERROR;
		break;
	case CWS_EV_ACK:
		type = CWC_EV_SIP_ACK;
		break;
	case CWS_EV_BYE:
		type = CWC_EV_SIP_BYE;
		break;
	case CWS_EV_CANCEL:
		type = CWC_EV_SIP_CANCEL;
		break;
	case CWS_EV_TIMEOUT:
		if (c->sip.refresh_pending) { /* RFC 4028 §10: our refresh got no answer */
			c->sip.refresh_pending = 0;
			session_feed(c, CWC_EV_SIP_REFRESH_FAILED, 0);
			return;
		}
		/* Timer B (INVITE) ends the INVITE even with a CANCEL still held
		 * (RFC 3261 §9.1, §17.1.1.2); Timer F is any other request. */
		type = se->method && strcmp(se->method, "INVITE") == 0 ? CWC_EV_SIP_INVITE_TIMEOUT
		                                                       : CWC_EV_SIP_NONINVITE_TIMEOUT;
		break;
	case CWS_EV_UPDATE:
	case CWS_EV_REINVITE:
		session_on_request(c, se);
		return;
	case CWS_EV_REFRESH_DONE:
		session_on_refresh_done(c, se);
		return;
	case CWS_EV_TRANSPORT_ERROR:
		type = CWC_EV_SIP_TRANSPORT_ERROR;
		if (se->error) /* e.g. a TLS certificate not naming the target (RFC 5922 §7) */
			cwb_call_warning(c, "%s not sent: %s", se->method ? se->method : "request",
			                    se->error);
		break;
	case CWS_EV_BYE_DONE:
		cwb_call_debug(c, "%d for our BYE", se->status);
		return;
	case CWS_EV_AUTH_SENT: /* the core sees one INVITE: the adapter answered the challenge */
		cwb_call_info(c, "%d: INVITE sent again with credentials", se->status);
		return;
	case CWS_EV_INVITE:
	default:
		return;
	}
	if (se->sdp && se->sdp_len && c->media)
		media_cause = sip_media_event(c, se);
	cwc_call_event_init(&ev, type, d->now_ms);
	ev.status = se->status;
	ev.warning = se->warning_code >= 0 && se->warning_code <= 999 ? se->warning_code : 0;
	ev.has_sdp = se->sdp && se->sdp_len > 0;
	fill_reasons(&ev, se);
	if (c->dir == CWC_CALL_FROM_ISDN && (type == CWC_EV_SIP_FINAL_ERROR ||
	                                    type == CWC_EV_SIP_INVITE_TIMEOUT ||
	                                    type == CWC_EV_SIP_TRANSPORT_ERROR))
		failover_info(c, se, &ev);
	cwb_call_feed(c, &ev);
	if (media_cause) {
		/* no media both sides can use: the call goes (BYE or CANCEL, DISCONNECT 65) */
		cwc_call_event_init(&ev, CWC_EV_ADMIN_RELEASE, d->now_ms);
		ev.cause = media_cause;
		cwb_call_feed(c, &ev);
	}
}

/* The body of a response to an INVITE from SIP: our answer, or, to an INVITE
 * without an offer, our offer (RFC 3261 §13.2.1); NULL without a session. Once
 * it went out in a 183 or 200 the B-channel's audio flows toward SIP. */
static const char *response_sdp(struct cwb_call *c)
{
	if (!c->media)
		return NULL;
	if (!cwb_media_call_sdp(c->media) && cwb_media_call_offer(c->media, 0) < 0)
		return NULL;
	cwb_media_call_connect(c->media);
	return cwb_media_call_sdp(c->media);
}

/* The offer of an INVITE to a SIP target: a new negotiation for each target. */
static const char *invite_sdp(struct cwb_call *c)
{
	int r;

	if (!c->media) {
		r = cwb_media_call_new(c->d, c->bchan.span, c->id, c->sip.peer,
		                       c->d->sdp_session + c->id, &c->media);
		if (r < 0) {
			cwb_call_warning(c, "no RTP session: %s", cwcom_strerror(r));
			return NULL;
		}
	}
	/* RFC 4040 §5: an unrestricted digital call offers clearmode only */
	cwb_media_call_set_digital(c->media, c->bearer == CWC_BEARER_DIGITAL);
	r = cwb_media_call_offer(c->media, 1);
	if (r < 0) {
		cwb_call_warning(c, "offer: %s", cwcom_strerror(r));
		return NULL;
	}
	return cwb_media_call_sdp(c->media);
}

static const char *session_sdp(const struct cwb_call *c)
{
	return c->media ? cwb_media_call_sdp(c->media) : NULL;
}

/* fed after the current actions, or at once from a lookup's answer (cwb_call_feed()) */
static void queue_transport_error(struct cwb_call *c, const char *what, int r, uint64_t now)
{
	struct cwc_call_event ev;

	cwb_call_warning(c, "%s failed: %s", what, cwcom_strerror(r));
	cwc_call_event_init(&ev, CWC_EV_SIP_TRANSPORT_ERROR, now);
	ev.more_routes = c->route && target_next(c) >= 0; /* README "Failover" */
	cwb_call_feed(c, &ev);
}

/* RFC 3398 §8.1.1: Request-URI user = the called number, host from the target
 * (sip: or sips:, RFC 5630). */
static int target_uri(const char *target, const char *user, char *buf, size_t len)
{
	int n;

	if (strncmp(target, "sips:", 5) == 0)
		n = snprintf(buf, len, "sips:%s@%s", user, target + 5);
	else if (strncmp(target, "sip:", 4) == 0)
		n = snprintf(buf, len, "sip:%s@%s", user, target + 4);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The CDR's "host[:port]" of a URI: after "sip:" and any "user@", up to ';', '?' or '>'. */
static void uri_hostport(const char *uri, char *buf, size_t len)
{
	const char *p = strchr(uri, ':'), *at;
	size_t n;

	p = p ? p + 1 : uri;
	at = strchr(p, '@');
	if (at)
		p = at + 1;
	n = strcspn(p, ";?> ");
	snprintf(buf, len, "%.*s", (int)n, p);
}

/*
 * The SIP peer of the log lines (README "Log lines"), "ADDR:PORT/TRANSPORT", of the
 * INVITE to uri at hostport: the transport of a sips: URI is tls (RFC 3261 §19.1), else
 * its transport parameter, else udp; no port is 5060, 5061 for tls (§19.1.2).
 */
static void peer_of_target(const char *uri, const char *hostport, char *buf, size_t len)
{
	const char *p = strstr(uri, ";transport="), *close = strrchr(hostport, ']');
	const char *colon = strrchr(close ? close : hostport, ':');
	char transport[8] = "udp";

	if (strncmp(uri, "sips:", 5) == 0)
		snprintf(transport, sizeof(transport), "tls");
	else if (p)
		snprintf(transport, sizeof(transport), "%.*s", (int)strcspn(p + 11, ";?> "), p + 11);
	for (char *q = transport; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	if (colon)
		snprintf(buf, len, "%s/%s", hostport, transport);
	else
		snprintf(buf, len, "%s:%u/%s", hostport, strcmp(transport, "tls") ? 5060u : 5061u,
		         transport);
}

static void target_hostport(const struct cwcfg_target *t, char *buf, size_t len)
{
	if (t->port)
		snprintf(buf, len, strchr(t->host, ':') ? "[%s]:%u" : "%s:%u", t->host, t->port);
	else
		snprintf(buf, len, strchr(t->host, ':') ? "[%s]" : "%s", t->host);
}

static void on_located(void *arg, int err, const struct cwb_hop *hops, size_t n);

static void overlap_prev_release(struct cwb_sip_leg *leg)
{
	cws_call_release(leg->overlap_prev);
	leg->overlap_prev = NULL;
}

/* The addresses of a lookup kept at their number: 0, or -ENOMEM (none kept). */
static int keep_hops(struct cwb_sip_leg *leg, const struct cwb_hop *hops, size_t n)
{
	struct cwb_hop *p;

	if (n > CWB_MAX_HOPS)
		n = CWB_MAX_HOPS;
	if (n == 0) {
		leg->nhops = 0;
		return 0;
	}
	p = realloc(leg->hops, n * sizeof(*p));
	if (!p) {
		leg->nhops = 0;
		return -ENOMEM;
	}
	memcpy(p, hops, n * sizeof(*p));
	leg->hops = p;
	leg->nhops = n;
	return 0;
}

/* A lookup under way dropped, with the INVITE it held. */
static void drop_lookup(struct cwb_sip_leg *leg)
{
	cwb_sipdns_cancel(leg->dnsq);
	leg->dnsq = NULL;
	free(leg->dns_action);
	leg->dns_action = NULL;
}

/*
 * RFC 3263 §4: the next address of target t (a host name): 0 and *hop, the target marked
 * tried at its last address; 1: a lookup has started (a waits for it); < 0: none found.
 */
static int target_hop(struct cwb_call *c, const struct cwc_call_action *a, int t,
                      const struct cwb_hop **hop)
{
	struct cwb_sip_leg *leg = &c->sip;
	const struct cwcfg_target *tg = &c->route->targets[t];
	int r = 0;

	if (leg->hops_for != t + 1) {
		struct cwb_hop found[CWB_MAX_HOPS];
		size_t n = 0;

		drop_lookup(leg); /* one lookup per call at a time */
		leg->nhops = leg->ihop = 0;
		leg->dns_err = 0;
		r = cwb_sipdns_locate(c->d, tg, on_located, c, found, &n, &leg->dnsq);
		if (r == 1) {
			/* the INVITE held for the answer (on_located(), never called from within
			 * cwb_sipdns_locate()); only a lookup under way allocates it */
			leg->dns_action = malloc(sizeof(*leg->dns_action));
			if (leg->dns_action) {
				*leg->dns_action = *a;
				leg->dns_target = t;
				cwb_call_info(c, "looking up %s", tg->uri);
				return 1;
			}
			drop_lookup(leg);
			r = -ENOMEM;
		} else if (r == 0 && keep_hops(leg, found, n) < 0) {
			r = -ENOMEM;
		}
		leg->hops_for = t + 1;
	}
	if (r < 0 || leg->ihop >= leg->nhops) {
		r = r < 0 ? r : leg->dns_err < 0 ? leg->dns_err : -ENOENT;
		c->targets_tried |= 1u << t;
		cwb_call_warning(c, "target %s: no address found (%s)", tg->uri, cwcom_strerror(r));
		return r;
	}
	*hop = &leg->hops[leg->ihop++];
	if (leg->ihop >= leg->nhops)
		c->targets_tried |= 1u << t;
	return 0;
}

/* The Request-URI for a located address: a transport NAPTR or SRV chose is said in it. */
static void hop_uri(const struct cwcfg_target *tg, const struct cwb_hop *hop, char *uri,
                    size_t len)
{
	size_t n = strlen(uri);
	unsigned asked = tg->transport_given ? tg->transport : CWCFG_TRANSPORT_UDP;

	if (tg->sips || hop->transport == asked)
		return;
	snprintf(uri + n, len - n, ";transport=%s",
	         hop->transport == CWCFG_TRANSPORT_TCP ? "tcp" : hop->transport == CWCFG_TRANSPORT_TLS
	                                                         ? "tls" : "udp");
}

/* The lookup's answer: the INVITE it held goes out (or fails over, as a transport error). */
static void on_located(void *arg, int err, const struct cwb_hop *hops, size_t n)
{
	struct cwb_call *c = arg;
	struct cwb_sip_leg *leg = &c->sip;
	struct cwc_call_action *held = leg->dns_action;

	leg->dnsq = NULL;
	leg->dns_action = NULL;
	if (c->finished || !held) {
		free(held);
		return;
	}
	if (err == 0 && keep_hops(leg, hops, n) < 0)
		err = -ENOMEM;
	if (err < 0)
		leg->nhops = 0;
	leg->ihop = 0;
	leg->hops_for = leg->dns_target + 1;
	leg->dns_err = err;
	send_invite(c, held, c->d->now_ms);
	free(held);
}

/* A CANCEL while the lookup runs: no INVITE went out; the lookup ends the SIP leg, as
 * a transport error would (unless an INVITE to the next target follows at once). */
static void cancel_lookup(struct cwb_call *c, uint64_t now)
{
	struct cwc_call_event ev;

	drop_lookup(&c->sip);
	/* a timer failover goes on with the next target, not this lookup again */
	if (c->sip.dns_target >= 0 && c->sip.dns_target < CWCFG_MAX_TARGETS)
		c->targets_tried |= 1u << c->sip.dns_target;
	cwc_call_event_init(&ev, CWC_EV_SIP_TRANSPORT_ERROR, now);
	cwb_call_queue(c, &ev);
	c->sip.dns_cancel_queued = 1;
}

/*
 * A 3xx followed is a redirection of its own (RFC 7044 §10.2, RFC 5806 §1): the number the
 * redirected INVITE was sent to (its Request-URI user, else the number dialled) becomes the
 * redirecting party, the 3xx its reason (RFC 4458 §3: cause-param 302 is "unconditional").
 */
static void redirect_hop(struct cwb_call *c, const char *dialled)
{
	struct cwb_redirecting *r = &c->redirecting;
	const char *prev = c->sip.last_uri ? c->sip.last_uri : "";
	int intl = 0, count = r->present ? r->count : 0;

	memset(r, 0, sizeof(*r));
	r->present = 1;
	r->npi = 1; /* E.164 */
	if (cwb_uri_number(prev, strlen(prev), r->digits, sizeof(r->digits), &intl) == 0)
		r->ton = intl ? 1 : 0;
	else
		snprintf(r->digits, sizeof(r->digits), "%s", dialled);
	r->presentation = r->digits[0] ? 0 : 2;
	r->reason = cwb_redirect_isdn_of_cause(c->sip.redirect_status);
	r->count = count < CWB_REDIRECT_COUNT_MAX ? count + 1 : CWB_REDIRECT_COUNT_MAX;
	cwb_call_redirect_log(c, "3xx");
}

/* [sip] redirect_headers of the call's configuration as redirect.h's bits. */
static unsigned redirect_headers(const struct cwb_call *c)
{
	unsigned h = (c->cfg ? c->cfg : c->d->cfg)->sip.redirect_headers;

	return ((h & CWCFG_REDIRECT_DIVERSION) ? CWB_REDIRECT_DIVERSION : 0) |
	       ((h & CWCFG_REDIRECT_HISTORY_INFO) ? CWB_REDIRECT_HISTORY_INFO : 0);
}

/* SIP_INVITE: the route's first usable target; SIP_INVITE_NEXT: the next one, or the
 * Contact of the 3xx (redirect). The INVITE before it has ended: its handle goes. */
static void send_invite(struct cwb_call *c, const struct cwc_call_action *a, uint64_t now)
{
	struct cwb *d = c->d;
	struct cwb_sip_leg *leg = &c->sip;
	struct cws_invite_opts o;
	struct cwb_sip_identity id;
	struct cws_session_policy pol;
	char uri[CWB_URI_MAX], hostport[CWC_CALL_TARGET_MAX], se_lines[CWB_SE_LINES_MAX], extra[1024];
	char uri_host[CWC_CALL_TARGET_MAX];
	cws_call *sc = NULL;
	const struct cwb_hop *hop = NULL;
	int r, t = -1, se_ask, grown;

	if (leg->dns_cancel_queued && c->nqueue &&
	    c->queue[c->nqueue - 1].type == CWC_EV_SIP_TRANSPORT_ERROR)
		c->nqueue--; /* a timer failover: the CANCEL of the lookup ends nothing */
	leg->dns_cancel_queued = 0;
	if (a->type == CWC_ACT_SIP_INVITE_NEXT && leg->sc) {
		cws_call_set_user(leg->sc, NULL);
		cws_call_release(leg->sc);
		leg->sc = NULL;
	}
	if (a->type == CWC_ACT_SIP_INVITE && leg->sc) {
		/* RFC 3578 §3.2: the next INVITE of overlap receiving, the number grown; the one
		   before got its 484 or was CANCELled just now (§3.4). The route's targets from
		   the first again: a new number is a new attempt. */
		cws_call_set_user(leg->sc, NULL);
		if (leg->overlap_prev)
			cws_call_release(leg->overlap_prev);
		leg->overlap_prev = leg->sc;
		leg->sc = NULL;
		c->targets_tried = 0;
		leg->hops_for = 0;
	}
	if (a->type == CWC_ACT_SIP_INVITE_NEXT && a->redirect) {
		/* RFC 3261 §8.1.3.4: the Contact becomes the Request-URI as it is */
		snprintf(uri, sizeof(uri), "%s", leg->redirect_uri ? leg->redirect_uri : "");
		uri_hostport(uri, hostport, sizeof(hostport));
		if (!leg->retrying)
			redirect_hop(c, a->called.digits);
	} else {
		t = target_next(c);
		if (t < 0 || target_uri(c->route->targets[t].uri, a->called.digits, uri, sizeof(uri)) < 0) {
			queue_transport_error(c, "INVITE (no usable target)", -EINVAL, now);
			return;
		}
		if (!cwb_sipdns_is_numeric(c->route->targets[t].host)) {
			r = target_hop(c, a, t, &hop);
			if (r == 1)
				return; /* the lookup's answer sends it (on_located) */
			if (r < 0) {
				queue_transport_error(c, "INVITE (target not located)", r, now);
				return;
			}
			hop_uri(&c->route->targets[t], hop, uri, sizeof(uri));
			snprintf(hostport, sizeof(hostport), strchr(hop->ip, ':') ? "[%s]:%u" : "%s:%u",
			         hop->ip, hop->port);
		} else {
			c->targets_tried |= 1u << t;
			target_hostport(&c->route->targets[t], hostport, sizeof(hostport));
		}
	}
	leg->target = t;
	peer_of_target(uri, hostport, leg->peer, sizeof(leg->peer));
	if (!leg->retrying) { /* the retry after a 422 is the same attempt */
		if (!leg->invite && !(leg->invite = malloc(sizeof(*leg->invite)))) {
			queue_transport_error(c, "INVITE", -ENOMEM, now);
			return;
		}
		*leg->invite = *a;
		leg->se_min_422 = 0;
		if (leg->nuris < CWB_MAX_URIS)
			leg->uris[leg->nuris++] = uri_hash(uri);
		(void)cwc_call_attempt_begin(c->core, hostport, 0); /* docs/cdr.md routes_tried */
	}
	memset(&o, 0, sizeof(o));
	/* RFC 4028 §7.1: Supported: timer, the interval asked for (§7.4: after a 422, its Min-SE) */
	session_policy(d, c->route, &pol);
	se_ask = cws_session_uac_offer(&pol, leg->se_min_422, se_lines, sizeof(se_lines));
	leg->se_offered = se_ask > 0 ? (unsigned)se_ask : 0;
	snprintf(extra, sizeof(extra), "%s", se_ask >= 0 ? se_lines : "");
	/* RFC 5806 Diversion / RFC 7044 History-Info: the SETUP's Redirecting number, or the
	   3xx followed; a 3xx Contact is outside the trust domain as for the identity */
	uri_hostport(uri, uri_host, sizeof(uri_host));
	if (cwb_redirect_to_sip(&c->redirecting, redirect_headers(c),
	                        c->route->trust_identity &&
	                                !(a->type == CWC_ACT_SIP_INVITE_NEXT && a->redirect),
	                        a->called.digits, uri_host, extra, sizeof(extra)) < 0)
		cwb_call_info(c, "redirecting party not sent: the headers do not fit");
	o.extra_headers = extra[0] ? extra : NULL;
	o.retry_of = leg->retrying ? leg->retry_of : leg->overlap_prev; /* RFC 3261 §8.1.3.5 */
	o.target = uri;
	o.next_hop = hop ? hop->ip : NULL; /* RFC 3263 §4: the address located */
	o.next_hop_port = hop ? hop->port : 0;
	/* RFC 3323 §4.1.1.3, RFC 3325 §9: From, P-Asserted-Identity, Privacy (identity.c) */
	/* a 3xx Contact is no configured target: outside the trust domain */
	cwb_identity_to_sip(&a->calling,
	                    c->route->trust_identity && !(a->type == CWC_ACT_SIP_INVITE_NEXT && a->redirect),
	                    &id);
	o.from_user = id.from_user[0] ? id.from_user : NULL;
	o.from_display = id.from_display[0] ? id.from_display : NULL;
	o.pai_user = id.pai_user[0] ? id.pai_user : NULL;
	o.pai_display = id.pai_display[0] ? id.pai_display : NULL;
	o.privacy_id = id.privacy_id;
	o.to_user = a->called.digits;
	o.sdp = invite_sdp(c);
	/* RFC 3261 §22.2: the route's credentials answer a target's 401/407 (the adapter
	   sends the INVITE again); a 3xx Contact is no configured target: none for it */
	if (!(a->type == CWC_ACT_SIP_INVITE_NEXT && a->redirect)) {
		o.auth_user = c->route->target_user;
		o.auth_password = c->route->target_secret;
	}
	grown = leg->overlap_prev != NULL;
	r = cws_call_invite(d->sip, &sc, &o);
	overlap_prev_release(leg);
	if (r < 0) {
		queue_transport_error(c, "INVITE", r, now);
		return;
	}
	leg->sc = sc;
	if (set_text(&leg->last_uri, uri) < 0)
		cwb_call_warning(c, "out of memory: the INVITE's URI not kept for a redirection");
	cws_call_set_user(sc, c);
	cwb_call_info(c, "INVITE %s%s%s%s (Call-ID %s)", uri, hop ? " to " : "", hop ? hostport : "",
	              a->type != CWC_ACT_SIP_INVITE_NEXT ? (grown ? " (more digits, RFC 3578)" : "")
	              : a->redirect ? " (redirected)" : " (next target)",
	              cws_call_id(sc));
}

static void sip_perform(struct cwb_call *c, const struct cwc_call_action *a, uint64_t now)
{
	struct cwb *d = c->d;
	cws_call *sc = c->sip.sc;
	struct cws_response_opts o;
	struct cwb_sip_identity conn;
	char contact[160];
	int r = 0;

	if (a->type == CWC_ACT_SIP_INVITE || a->type == CWC_ACT_SIP_INVITE_NEXT) {
		send_invite(c, a, now);
		return;
	}
	if (a->type == CWC_ACT_SIP_CANCEL && c->sip.dnsq) {
		cancel_lookup(c, now);
		return;
	}
	if (!sc)
		return;
	memset(&o, 0, sizeof(o));
	switch (a->type) {
	case CWC_ACT_SIP_PROVISIONAL:
		if (a->status <= 100)
			return; /* the adapter sent 100 Trying already */
		if (a->with_sdp)
			o.sdp = response_sdp(c);
		r = cws_call_respond(sc, a->status, &o);
		break;
	case CWC_ACT_SIP_200_OK:
		o.sdp = response_sdp(c);
		o.extra_headers = c->sip.se_lines; /* RFC 4028 §9; NULL: none */
		connected_to_2xx(c, &conn, &o);
		r = cws_call_respond(sc, 200, &o);
		break;
	case CWC_ACT_SIP_REFRESH:
		session_refresh(c);
		return;
	case CWC_ACT_SIP_FINAL_ERROR:
		o.reason = a->reason[0] ? a->reason : NULL;
		o.retry_after = (int)a->retry_after_s;
		o.warning = a->status == 488 ? c->sip.warning : NULL;
		if (a->contact[0]) {
			/* RFC 3398 §7.2.4.2: cause 22 with a new number -> 301 Contact */
			if (strchr(d->media_addr, ':'))
				snprintf(contact, sizeof(contact), "<sip:%s@[%s]:%u>", a->contact,
				         d->media_addr, cws_port(d->sip));
			else
				snprintf(contact, sizeof(contact), "<sip:%s@%s:%u>", a->contact, d->media_addr,
				         cws_port(d->sip));
			o.contact = contact;
		}
		r = cws_call_respond(sc, a->status, &o);
		break;
	case CWC_ACT_SIP_CANCEL:
		/* Held by the adapter until a 1xx (RFC 3261 §9.1). If none ever comes,
		 * Timer B ends the INVITE: CWC_EV_SIP_INVITE_TIMEOUT (CANCEL_LEG). */
		r = cws_call_cancel(sc, a->reason[0] ? a->reason : NULL);
		if (r < 0) {
			/* Only logged: a CANCEL before INVITE_NEXT (failover) must not clear
			 * the call, and a clearing one is ended by Timer B or the core's
			 * clearing guard (CWC_TIMER_CLEAR_GUARD). */
			cwb_call_warning(c, "CANCEL failed: %s", cwcom_strerror(r));
			return;
		}
		break;
	case CWC_ACT_SIP_BYE:
		r = cws_call_bye(sc, a->reason[0] ? a->reason : NULL);
		if (r < 0) {
			queue_transport_error(c, "BYE", r, now);
			return;
		}
		break;
	case CWC_ACT_SIP_ACK:
		return; /* the adapter ACKs every 2xx itself (sip.h, CWS_EV_ANSWERED) */
	default:
		return;
	}
	if (r < 0)
		cwb_call_warning(c, "%s %d failed: %s", cwc_call_action_name(a->type),
		                    a->status, cwcom_strerror(r));
}

static void sip_describe(const struct cwb_call *c, struct cwb_cdr_legs *legs)
{
	legs->call_id_sip = c->sip.sc ? cws_call_id(c->sip.sc) : NULL;
	if (c->dir == CWC_CALL_FROM_SIP && c->sip.source[0]) {
		legs->sip_source = c->sip.source;
		legs->sip_transport = c->sip.transport;
	}
}

/* A call from SIP no longer counts against its source's limits (admission.c). */
static void sip_finished(struct cwb_call *c, const struct cwc_call_summary *s)
{
	(void)s;
	if (c->dir == CWC_CALL_FROM_SIP && c->sip.src_ip[0]) {
		cwb_admission_call_end(c->d->adm, c->sip.src_ip, c->d->now_ms);
		c->sip.src_ip[0] = '\0';
	}
}

static void sip_release(struct cwb_call *c)
{
	drop_lookup(&c->sip);
	free(c->sip.hops);
	c->sip.hops = NULL;
	c->sip.nhops = 0;
	free(c->sip.invite);
	c->sip.invite = NULL;
	free(c->sip.redirect_uri);
	free(c->sip.last_uri);
	free(c->sip.warning);
	free(c->sip.se_lines);
	c->sip.redirect_uri = c->sip.last_uri = c->sip.warning = c->sip.se_lines = NULL;
	overlap_prev_release(&c->sip);
	if (!c->sip.sc)
		return;
	cws_call_set_user(c->sip.sc, NULL);
	cws_call_release(c->sip.sc);
	c->sip.sc = NULL;
}

static const struct cwb_leg_ops sip_ops = {
	.perform = sip_perform,
	.refused = sip_refused,
	.finished = sip_finished,
	.describe = sip_describe,
	.release = sip_release,
};

/* bridge/sip's overload answers (its README "Overload"), one episode at a time. */
static struct {
	unsigned long seen, at_start;
	uint64_t last_ms;
	int on;
} overload;

/* The read is over: the INVITEs it admitted have claimed their channels, or not. */
static void no_channel_read_done(void)
{
	no_channel.admitted = 0;
}

static void sip_readable(void *arg, uint64_t now)
{
	struct cwb *d = arg;

	(void)now; /* the adapter's events take the loop's now_ms */
	(void)cws_on_readable(d->sip);
	no_channel_read_done();
}

void cwb_sip_run_timers(struct cwb *d)
{
	(void)cws_on_timeout(d->sip);
	cwb_sipdns_run_timers(d);
}

void cwb_sip_flush(struct cwb *d)
{
	(void)cws_process(d->sip);
}

void cwb_sip_overload_report(struct cwb *d, uint64_t now)
{
	struct cws_stats st;

	if (!d->sip)
		return;
	if (no_channel.on && now - no_channel.last_shed_ms >= 1000) {
		cwb_notice("sip: overload over: %lu new INVITEs refused at admission for want of a "
		           "B-channel", no_channel.shed - no_channel.shed_at_start);
		no_channel.on = 0;
	}
	cws_get_stats(d->sip, &st);
	if (st.shed != overload.seen) {
		if (!overload.on) {
			cwb_warning("sip: overload: receive queue long, new INVITEs answered 503");
			overload.on = 1;
			overload.at_start = overload.seen;
		}
		overload.seen = st.shed;
		overload.last_ms = now;
	} else if (overload.on && now - overload.last_ms >= 1000) {
		cwb_notice("sip: overload over: %lu new INVITEs answered 503",
		           overload.seen - overload.at_start);
		overload.on = 0;
	}
}

int cwb_sip_next_timeout(const struct cwb *d)
{
	int a = cws_next_timeout_ms(d->sip), b = cwb_sipdns_next_timeout(d);

	return a < 0 ? b : b < 0 || a < b ? a : b;
}

void cwb_sip_set_health(struct cwb *d, int status)
{
	(void)cws_set_options_status(d->sip, status, d->cfg->sip.retry_after);
}

void cwb_sip_free(struct cwb *d)
{
	cwb_sipdns_free(d);
	cws_free(d->sip);
	d->sip = NULL;
	cwb_admission_free(d->adm);
	d->adm = NULL;
}

/* bridge/sip's message observer: every message in and out, counted. */
static void sip_message(void *user, int out, const char *method, int status)
{
	struct cwb *d = user;

	cwb_metrics_sip_message(d->metrics, out, method, status);
}

/* Refusals for want of a B-channel are to be made at admission ([sip]
   no_channel_shed_rate): past the rate, or in an episode of the early 503, under way or
   begun in the read in progress (the report comes after it). */
static int shedding_no_channel(const struct cwb *d)
{
	unsigned rate = d->cfg->sip.no_channel_shed_rate;
	struct cws_stats st;

	if (rate == 0)
		return 0;
	no_channel_roll(d->now_ms);
	if (no_channel.count >= rate || no_channel.before >= rate || overload.on)
		return 1;
	cws_get_stats(d->sip, &st);
	return st.shed != overload.seen;
}

/* An overlap-sending call (RFC 3578 §3) this INVITE could join: join_overlap() decides. */
static int may_join_overlap(const struct cwb *d, const struct cws_request_info *req)
{
	const struct cwb_call *c;

	if (!req->call_id || !req->from_tag)
		return 0;
	for (c = d->overlap_calls; c; c = c->overlap_next)
		if (!c->finished && c->sip.sc && strcmp(c->sip.from_tag, req->from_tag) == 0 &&
		    strcmp(cws_call_id(c->sip.sc), req->call_id) == 0)
			return 1;
	return 0;
}

/*
 * Past [sip] no_channel_shed_rate calls a second refused for want of a B-channel, or in
 * an episode of bridge/sip's early 503 (shedding_no_channel()), a new call that on_invite()
 * would refuse so is refused here, at admission, with what on_invite() would answer: the
 * hunt's cause, 34 no circuit/channel available (or, no span of the group up, 38 network
 * out of order; Q.850 §2.2.7), each call admitted earlier in the same read counted as a
 * channel taken, through the profile of the route's first span (RFC 3398 §8.2.6.1: 503)
 * with its Reason and Retry-After, statelessly, before a transaction, a call or a CDR line
 * cost anything: such refusals are what fills an overloaded gateway's time and memory
 * (bench/load/README.md "Overload"). Only a call that would get exactly that: a route for
 * the number as it stands, a number the route can rewrite, no overlap call it could join,
 * not draining. Below the rate such a call goes on and is refused as a call, with its CDR
 * line; so is every other refusal. 1: refused (ret and the status filled in).
 */
static int refuse_no_channel(struct cwb *d, const struct cws_request_info *req,
                             struct cws_refusal *ret, int *status)
{
	const char *user = req->ruri_user ? req->ruri_user : "";
	const struct cwcfg_route *route = NULL;
	const struct cwcfg_span *span;
	const cw_q850_info *info = NULL;
	char called[CWC_CALL_NUMBER_MAX];
	cw_sip_result r;
	int cause;

	if (!shedding_no_channel(d) || d->stopping || !user[0] || req->in_dialog ||
	    cwcfg_route_classify(d->cfg, CWCFG_SIP_TO_ISDN, user, &route) == CWCFG_MATCH_PREFIX ||
	    !route || cwb_number_rewrite(route, user, 0, called, sizeof(called)) < 0 ||
	    may_join_overlap(d, req))
		return 0;
	cause = cwb_resources_hunt_cause(d->res, route->group, no_channel.admitted);
	if (cause == 0)
		return 0;
	span = group_span(d->cfg, route->group);
	if (!span || cw_map_cause_to_sip(span->profile, cause, span->location, 0, &r) != 0 ||
	    cw_q850_info_get(cause, &info) != 0 ||
	    cw_reason_format(ret->header_value, sizeof(ret->header_value), CW_REASON_Q850, cause,
	                     info->name, span->location, NULL) != 0)
		return 0;
	snprintf(ret->header_name, sizeof(ret->header_name), "Reason");
	if (r.flags & CW_C2S_F_RETRY_AFTER)
		ret->retry_after = d->cfg->sip.retry_after;
	*status = r.status;
	no_channel_note(d->now_ms);
	if (!no_channel.on) {
		cwb_warning("sip: overload: new INVITEs refused at admission for want of a B-channel "
		            "(no call, no CDR line)");
		no_channel.on = 1;
		no_channel.shed_at_start = no_channel.shed;
	}
	no_channel.shed++;
	no_channel.last_shed_ms = d->now_ms;
	cwb_metrics_refusal(d->metrics, "no-channel");
	cwb_admission_call_end(d->adm, req->src_ip, d->now_ms);
	return 1;
}

/* bridge/sip's admission callback: admission.c decides, the refusal is logged here. */
static int sip_admit(void *user, const struct cws_request_info *req, struct cws_refusal *ret)
{
	struct cwb *d = user;
	struct cwb_admission_request ar;
	struct cwb_admission_answer ans;

	memset(&ar, 0, sizeof(ar));
	ar.method = req->method;
	ar.request_uri = req->request_uri;
	ar.ruri_user = req->ruri_user;
	ar.in_dialog = req->in_dialog;
	ar.authorization = req->authorization;
	ar.src_ip = req->src_ip;
	ar.src_port = req->src_port;
	ar.transport = req->transport;
	if (cwb_admission_check(d->adm, &ar, d->now_ms, &ans) < 0)
		return 500; /* admission could not decide: refuse rather than let it through */
	if (ans.log_line[0])
		cwb_notice("%s", ans.log_line);
	if (ans.reason)
		cwb_metrics_refusal(d->metrics, ans.reason);
	snprintf(ret->header_name, sizeof(ret->header_name), "%s", ans.header_name);
	snprintf(ret->header_value, sizeof(ret->header_value), "%s", ans.header_value);
	if (ans.status == 0 && ans.new_call && !refuse_no_channel(d, req, ret, &ans.status))
		no_channel.admitted++;
	return ans.status;
}

/* ---- outbound registration ([register NAME], RFC 3261 §10.2): one line per change ---- */

static void on_register(void *user, const struct cws_register_event *ev)
{
	char st[16];

	(void)user;
	snprintf(st, sizeof(st), ev->status ? "%d" : "timeout", ev->status);
	if (ev->state == CWS_REGISTER_OK)
		cwb_notice("register %s: registered (%s, expires %u s)", ev->name, st, ev->expires);
	else if (ev->state == CWS_REGISTER_FAILED)
		cwb_warning("register %s: failed (%s), retry in %u s", ev->name, st, ev->retry_s);
	else
		cwb_notice("register %s: unregistered (%s)", ev->name, st);
}

static int register_add(struct cwb *d, const struct cwcfg_config *cfg,
                        const struct cwcfg_register *r, const struct cwb_hop *hop)
{
	struct cws_register_opts o = {
		.name = r->name, .registrar = r->registrar.uri, .aor = r->aor,
		.contact_user = r->contact_user, .auth_user = r->auth_user,
		.auth_password = r->auth_secret, .expires = r->expires,
		.retry_interval_s = r->retry_interval, .retry_max_s = r->retry_max,
		.next_hop = hop ? hop->ip : NULL, .next_hop_port = hop ? hop->port : 0,
	};
	int rc = cws_register_add(d->sip, &o);

	if (rc < 0)
		cwb_error("%s:%u: [register %s]: %s", cfg->file, r->line, r->name, cwcom_strerror(rc));
	else if (hop)
		cwb_info("register %s: registrar %s at %s:%u", r->name, r->registrar.uri, hop->ip,
		         hop->port);
	return rc;
}

/* A registrar given by host name, being located (RFC 3263 §4): the configuration held
 * until the answer (a reload may replace it meanwhile). */
struct reg_lookup {
	struct cwb *d;
	struct cwb_config_ref *ref;
	const struct cwcfg_register *r;
};

static void on_registrar_located(void *arg, int err, const struct cwb_hop *hops, size_t n)
{
	struct reg_lookup *l = arg;
	const struct cwcfg_config *cfg = cwb_config_ref_get(l->ref);
	const struct cwcfg_target *t = &l->r->registrar;
	/* the URI's transport: the registration sends over it (NAPTR may offer others) */
	unsigned want = t->transport_given ? t->transport : CWCFG_TRANSPORT_UDP;
	size_t i = 0;

	while (i < n && hops[i].transport != want)
		i++;
	/* the first address only: a registration keeps one binding (its refreshes go there) */
	if (err == -ECANCELED)
		; /* shutting down */
	else if (err < 0 || i == n)
		cwb_warning("register %s: registrar %s: no address found (%s)", l->r->name, t->uri,
		            cwcom_strerror(err < 0 ? err : -ENOENT));
	else
		(void)register_add(l->d, cfg, l->r, &hops[i]);
	cwb_config_ref_drop(l->ref);
	free(l);
}

static int start_registrations(struct cwb *d)
{
	for (size_t i = 0; i < d->cfg->n_registers; i++) {
		const struct cwcfg_register *r = &d->cfg->registers[i];
		struct cwb_hop hops[CWB_MAX_HOPS];
		struct cwb_sipdns_query *q = NULL;
		struct reg_lookup *l;
		size_t n = 0;
		int rc;

		if (cwb_sipdns_is_numeric(r->registrar.host)) {
			if (register_add(d, d->cfg, r, NULL) < 0)
				return 1;
			continue;
		}
		l = calloc(1, sizeof(*l));
		if (!l)
			return 1;
		l->d = d;
		l->r = r;
		l->ref = cwb_config_ref_hold(d->cfg_ref);
		rc = cwb_sipdns_locate(d, &r->registrar, on_registrar_located, l, hops, &n, &q);
		if (rc != 1)
			on_registrar_located(l, rc, hops, n);
		else
			cwb_info("register %s: looking up %s", r->name, r->registrar.uri);
	}
	return 0;
}

int cwb_sip_unregister(struct cwb *d)
{
	return d->sip ? cws_register_stop(d->sip) : 0;
}

int cwb_sip_unregistering(const struct cwb *d)
{
	return d->sip ? cws_register_pending(d->sip) : 0;
}

int cwb_sip_start(struct cwb *d)
{
	struct cws_config sc;
	struct cws_tls_options tls;
	const char *bind = d->cfg->sip.bind, *protos;
	char err[CW_DIAG_MESSAGE_MAX + CWCFG_MAX_PATH + 16];
	int r;

	r = cwb_admission_new(&d->adm, d->cfg, err, sizeof(err));
	if (r < 0) {
		cwb_error("%s", err);
		return 1;
	}
	memset(&sc, 0, sizeof(sc));
	sc.address = bind;
	sc.port = d->cfg->sip.port;
	sc.transports = (d->cfg->sip.transports & CWCFG_TRANSPORT_UDP ? CWS_TRANSPORT_UDP : 0) |
	                (d->cfg->sip.transports & CWCFG_TRANSPORT_TCP ? CWS_TRANSPORT_TCP : 0);
	if (d->cfg->sip.transports & CWCFG_TRANSPORT_TLS) {
		memset(&tls, 0, sizeof(tls));
		tls.port = d->cfg->sip.tls_port;
		tls.certificate = d->cfg->sip.tls_certificate;
		tls.private_key = d->cfg->sip.tls_private_key;
		tls.ca_file = d->cfg->sip.tls_ca_file;
		tls.ca_dir = d->cfg->sip.tls_ca_dir;
		tls.verify_client = d->cfg->sip.tls_verify_client;
		tls.min_version = (int)d->cfg->sip.tls_min_version;
		sc.transports |= CWS_TRANSPORT_TLS;
		sc.tls = &tls;
	}
	sc.on_event = on_sip_event;
	sc.user = d;
	sc.admit = sip_admit;
	sc.on_message = sip_message;
	sc.capture = d->cap;
	sc.on_register = on_register;
	errno = 0;
	r = cws_new(&d->sip, &sc);
	if (r < 0) {
		int e = errno;

		cwb_error("%s:%u: cannot listen on %s port %u: %s%s%s", d->cfg->file,
		          d->cfg->sip.port_line ? d->cfg->sip.port_line : d->cfg->sip.bind_line, bind,
		          d->cfg->sip.port, cwcom_strerror(r), e ? ": " : "", e ? strerror(e) : "");
		d->sip = NULL;
		return 1;
	}
	switch (sc.transports & (CWS_TRANSPORT_UDP | CWS_TRANSPORT_TCP)) {
	case CWS_TRANSPORT_UDP: protos = "udp"; break;
	case CWS_TRANSPORT_TCP: protos = "tcp"; break;
	case 0: protos = NULL; break;
	default: protos = "udp,tcp"; break;
	}
	if (protos)
		cwb_notice(strchr(bind, ':') ? "sip: listening on [%s]:%u (%s)" : "sip: listening on %s:%u (%s)",
		           bind, cws_port(d->sip), protos);
	if (sc.transports & CWS_TRANSPORT_TLS)
		cwb_notice(strchr(bind, ':') ? "sip: listening on [%s]:%u (tls)" : "sip: listening on %s:%u (tls)",
		           bind, cws_tls_port(d->sip));
	if (d->fd_ops->watch(d, cws_fd(d->sip), EPOLLIN, sip_readable, d) < 0) {
		cwb_error("epoll_ctl: %s", strerror(errno));
		return 1;
	}
	if (cwb_sipdns_start(d))
		return 1;
	cwb_calls_set_leg(d, CWB_SIDE_SIP, &sip_ops);
	return start_registrations(d);
}
