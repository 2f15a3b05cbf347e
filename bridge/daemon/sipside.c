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
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

#include "admission.h"
#include "calls.h"
#include "common/error.h"
#include "identity.h"
#include "log.h"
#include "resources.h"
#include "route.h"
#include "media.h"
#include "sip.h"
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

/* Cause 47, resource unavailable (Q.850 §2.2.7.1): no RTP port pair left. */
#define CAUSE_RESOURCE_UNAVAILABLE 47
/* Cause 65, bearer capability not implemented: what 488 maps to (RFC 3398 §8.2.6.1). */
#define CAUSE_BEARER_NOT_IMPLEMENTED 65

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

	r = cwb_media_call_new(c->d, c->bchan.span, c->id, c->d->sdp_session + c->id, &c->media);
	if (r < 0) {
		cwb_warning("call %lu: no RTP session: %s", c->id, cwcom_strerror(r));
		return CAUSE_RESOURCE_UNAVAILABLE;
	}
	if (!se->sdp || se->sdp_len == 0)
		return 0;
	memset(&res, 0, sizeof(res));
	r = cwb_media_call_answer(c->media, se->sdp, se->sdp_len, &res);
	if (r < 0) {
		cwb_warning("call %lu: offer: %s", c->id, cwcom_strerror(r));
		return CAUSE_RESOURCE_UNAVAILABLE;
	}
	if (!res.accepted) {
		cwb_info("call %lu: offer refused: %d, Warning %d \"%s\", cause %d", c->id,
		         res.sip_status, res.warning, res.warning_text, res.cause);
		/* RFC 3261 §20.43: what was wrong with the offer, on the 488 */
		warning_value(&res, c->sip.warning, sizeof(c->sip.warning));
		return CAUSE_BEARER_NOT_IMPLEMENTED;
	}
	return 0;
}

static void on_invite(struct cwb *d, const struct cws_call_event *se)
{
	const char *user = se->ruri_user ? se->ruri_user : "";
	const struct cwcfg_config *cfg = d->cfg;
	const struct cwcfg_route *route;
	const struct cwcfg_span *profile_span = cfg->n_spans ? &cfg->spans[0] : NULL;
	struct cwb_claim claim = CWB_CLAIM_NONE;
	struct cwb_tried tried;
	struct cwb_call *c;
	struct cwc_call_event ev;
	char called[CWC_CALL_NUMBER_MAX];
	enum cwb_identity_source id_src;
	size_t i;
	int rc;

	memset(&tried, 0, sizeof(tried));
	cwc_call_event_init(&ev, CWC_EV_SIP_INVITE, d->now_ms);
	ev.has_sdp = se->sdp && se->sdp_len > 0;
	ev.bearer = CWC_BEARER_SPEECH;
	fill_reasons(&ev, se);
	snprintf(ev.called.digits, sizeof(ev.called.digits), "%.*s",
	         (int)(sizeof(ev.called.digits) - 1), user);

	/* RFC 3398 §7.2.1: route by the Request-URI user, hunt a B-channel. */
	route = cwcfg_route_find(d->cfg, CWCFG_SIP_TO_ISDN, user);
	id_src = fill_calling(&ev.calling, se, route);
	if (!user[0]) {
		/* No user part (sip:host): no number to dial. Cause 28, 484 Address Incomplete
		   (RFC 3398 §8.2.6.1); never a SETUP with an empty Called party number. */
		ev.reject_cause = CWB_CAUSE_INVALID_NUMBER;
	} else if (!route) {
		ev.reject_cause = CWB_CAUSE_NO_ROUTE;
	} else if (cwb_number_rewrite(route, user, 0, called, sizeof(called)) < 0) {
		ev.reject_cause = CWB_CAUSE_INVALID_NUMBER;
	} else {
		memcpy(ev.called.digits, called, sizeof(called));
		ev.called.ton = (int)route->ton;
		ev.called.npi = (int)route->npi;
		for (i = 0; i < cfg->n_spans; i++)
			if (strcmp(cfg->spans[i].group, route->group) == 0) {
				profile_span = &cfg->spans[i];
				break;
			}
		rc = cwb_resources_claim_hunt(d->res, route->group, 0, &tried, &claim);
		if (rc != 0)
			ev.reject_cause = rc;
		else
			profile_span = &cfg->spans[claim.span];
	}
	if (d->stopping && !ev.reject_cause) {
		ev.reject_cause = CWB_CAUSE_OUT_OF_ORDER; /* shutting down */
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
	/* admission.c counted the INVITE as a call of its source: until sip_finished() */
	snprintf(c->sip.src_ip, sizeof(c->sip.src_ip), "%s", se->src_ip ? se->src_ip : "");
	source_text(se, c->sip.source, sizeof(c->sip.source));
	c->sip.transport = se->transport ? se->transport : "udp";
	cws_call_set_user(se->call, c);
	c->route = route;
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
	snprintf(c->called, sizeof(c->called), "%s", ev.called.digits);
	snprintf(c->calling, sizeof(c->calling), "%s", ev.calling.digits);
	cwb_info("call %lu: INVITE %s from %s (Call-ID %s)%s%d", c->id, user,
	         se->from_user ? se->from_user : "-", cws_call_id(se->call),
	         ev.reject_cause ? ": refused, cause " : ", channel ",
	         ev.reject_cause ? ev.reject_cause : c->bchan.channel);
	{
		static const char *const srcs[] = { "none", "from", "pai",
			                            "from(untrusted-pai-ignored)" };
		cwb_call_identity_log(c, &ev.calling, srcs[id_src]);
	}
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

static int uri_tried(const struct cwb_call *c, const char *uri)
{
	size_t i;

	for (i = 0; i < c->sip.nuris; i++)
		if (strcmp(c->sip.uris[i], uri) == 0)
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
	    strlen(se->contact) < sizeof(leg->redirect_uri) && !uri_tried(c, se->contact)) {
		snprintf(leg->redirect_uri, sizeof(leg->redirect_uri), "%s", se->contact);
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
		cwb_warning("call %lu: answer: %s", c->id, cwcom_strerror(r));
		return 0;
	}
	if (res.accepted)
		return 0;
	cwb_notice("call %lu: answer refused: Warning %d \"%s\": clearing with cause %d", c->id,
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
		cwb_warning("call %lu: re-offer: %s", c->id, cwcom_strerror(r));
		return 500;
	}
	if (!res.accepted) {
		cwb_info("call %lu: re-offer refused: Warning %d \"%s\"", c->id, res.warning,
		         res.warning_text);
		warning_value(&res, warning, wlen);
		return 488;
	}
	return 200;
}

static void on_reinvite(struct cwb_call *c, const struct cws_call_event *se)
{
	char warning[160];
	int status = reoffer_answer(c, se->sdp, se->sdp_len, warning, sizeof(warning));
	int r;

	r = cws_call_reinvite_respond(se->call, status,
	                              status == 200 ? cwb_media_call_sdp(c->media) : NULL, warning);
	if (r < 0)
		cwb_warning("call %lu: re-INVITE %d: %s", c->id, status, cwcom_strerror(r));
	else
		cwb_info("call %lu: re-INVITE answered %d", c->id, status);
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
	if (se->type == CWS_EV_REINVITE) {
		on_reinvite(c, se);
		return;
	}
	switch (se->type) {
	case CWS_EV_PROGRESS:
		type = CWC_EV_SIP_1XX;
		break;
	case CWS_EV_ANSWERED:
		type = CWC_EV_SIP_2XX;
		break;
	case CWS_EV_FAILED:
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
		/* Timer B (INVITE) ends the INVITE even with a CANCEL still held
		 * (RFC 3261 §9.1, §17.1.1.2); Timer F is any other request. */
		type = se->method && strcmp(se->method, "INVITE") == 0 ? CWC_EV_SIP_INVITE_TIMEOUT
		                                                       : CWC_EV_SIP_NONINVITE_TIMEOUT;
		break;
	case CWS_EV_TRANSPORT_ERROR:
		type = CWC_EV_SIP_TRANSPORT_ERROR;
		if (se->error) /* e.g. a TLS certificate not naming the target (RFC 5922 §7) */
			cwb_warning("call %lu: %s not sent: %s", c->id, se->method ? se->method : "request",
			            se->error);
		break;
	case CWS_EV_BYE_DONE:
		cwb_debug("call %lu: %d for our BYE", c->id, se->status);
		return;
	case CWS_EV_INVITE:
	case CWS_EV_REINVITE:
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
		r = cwb_media_call_new(c->d, c->bchan.span, c->id, c->d->sdp_session + c->id,
		                       &c->media);
		if (r < 0) {
			cwb_warning("call %lu: no RTP session: %s", c->id, cwcom_strerror(r));
			return NULL;
		}
	}
	r = cwb_media_call_offer(c->media, 1);
	if (r < 0) {
		cwb_warning("call %lu: offer: %s", c->id, cwcom_strerror(r));
		return NULL;
	}
	return cwb_media_call_sdp(c->media);
}

static void queue_transport_error(struct cwb_call *c, const char *what, int r, uint64_t now)
{
	struct cwc_call_event ev;

	cwb_warning("call %lu: %s failed: %s", c->id, what, cwcom_strerror(r));
	cwc_call_event_init(&ev, CWC_EV_SIP_TRANSPORT_ERROR, now);
	cwb_call_queue(c, &ev);
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

static void target_hostport(const struct cwcfg_target *t, char *buf, size_t len)
{
	if (t->port)
		snprintf(buf, len, strchr(t->host, ':') ? "[%s]:%u" : "%s:%u", t->host, t->port);
	else
		snprintf(buf, len, strchr(t->host, ':') ? "[%s]" : "%s", t->host);
}

/* SIP_INVITE: the route's first usable target; SIP_INVITE_NEXT: the next one, or the
 * Contact of the 3xx (redirect). The INVITE before it has ended: its handle goes. */
static void send_invite(struct cwb_call *c, const struct cwc_call_action *a, uint64_t now)
{
	struct cwb *d = c->d;
	struct cwb_sip_leg *leg = &c->sip;
	struct cws_invite_opts o;
	struct cwb_sip_identity id;
	char uri[CWB_URI_MAX], hostport[CWC_CALL_TARGET_MAX];
	cws_call *sc = NULL;
	int r, t = -1;

	if (a->type == CWC_ACT_SIP_INVITE_NEXT && leg->sc) {
		cws_call_set_user(leg->sc, NULL);
		cws_call_release(leg->sc);
		leg->sc = NULL;
	}
	if (a->type == CWC_ACT_SIP_INVITE_NEXT && a->redirect) {
		/* RFC 3261 §8.1.3.4: the Contact becomes the Request-URI as it is */
		snprintf(uri, sizeof(uri), "%s", leg->redirect_uri);
		uri_hostport(uri, hostport, sizeof(hostport));
	} else {
		t = target_next(c);
		if (t < 0 || target_uri(c->route->targets[t].uri, a->called.digits, uri, sizeof(uri)) < 0) {
			queue_transport_error(c, "INVITE (no usable target)", -EINVAL, now);
			return;
		}
		c->targets_tried |= 1u << t;
		target_hostport(&c->route->targets[t], hostport, sizeof(hostport));
	}
	leg->target = t;
	if (leg->nuris < CWB_MAX_URIS)
		snprintf(leg->uris[leg->nuris++], sizeof(leg->uris[0]), "%s", uri);
	(void)cwc_call_attempt_begin(c->core, hostport, 0); /* docs/cdr.md routes_tried */
	memset(&o, 0, sizeof(o));
	o.target = uri;
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
	r = cws_call_invite(d->sip, &sc, &o);
	if (r < 0) {
		queue_transport_error(c, "INVITE", r, now);
		return;
	}
	leg->sc = sc;
	cws_call_set_user(sc, c);
	cwb_info("call %lu: INVITE %s%s (Call-ID %s)", c->id, uri,
	         a->type != CWC_ACT_SIP_INVITE_NEXT ? "" : a->redirect ? " (redirected)" : " (next target)",
	         cws_call_id(sc));
}

static void sip_perform(struct cwb_call *c, const struct cwc_call_action *a, uint64_t now)
{
	struct cwb *d = c->d;
	cws_call *sc = c->sip.sc;
	struct cws_response_opts o;
	char contact[160];
	int r = 0;

	if (a->type == CWC_ACT_SIP_INVITE || a->type == CWC_ACT_SIP_INVITE_NEXT) {
		send_invite(c, a, now);
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
		r = cws_call_respond(sc, 200, &o);
		break;
	case CWC_ACT_SIP_FINAL_ERROR:
		o.reason = a->reason[0] ? a->reason : NULL;
		o.retry_after = (int)a->retry_after_s;
		o.warning = a->status == 488 && c->sip.warning[0] ? c->sip.warning : NULL;
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
			cwb_warning("call %lu: CANCEL failed: %s", c->id, cwcom_strerror(r));
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
		cwb_warning("call %lu: %s %d failed: %s", c->id, cwc_call_action_name(a->type),
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

static void sip_readable(void *arg, uint64_t now)
{
	struct cwb *d = arg;

	(void)now; /* the adapter's events take the loop's now_ms */
	(void)cws_on_readable(d->sip);
}

void cwb_sip_run_timers(struct cwb *d)
{
	(void)cws_on_timeout(d->sip);
}

void cwb_sip_flush(struct cwb *d)
{
	(void)cws_process(d->sip);
}

int cwb_sip_next_timeout(const struct cwb *d)
{
	return cws_next_timeout_ms(d->sip);
}

void cwb_sip_set_health(struct cwb *d, int status)
{
	(void)cws_set_options_status(d->sip, status, d->cfg->sip.retry_after);
}

void cwb_sip_free(struct cwb *d)
{
	cws_free(d->sip);
	d->sip = NULL;
	cwb_admission_free(d->adm);
	d->adm = NULL;
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
	snprintf(ret->header_name, sizeof(ret->header_name), "%s", ans.header_name);
	snprintf(ret->header_value, sizeof(ret->header_value), "%s", ans.header_value);
	return ans.status;
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
	cwb_calls_set_leg(d, CWB_SIDE_SIP, &sip_ops);
	return 0;
}
