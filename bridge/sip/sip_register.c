/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_register.c — outbound registration (RFC 3261 §10.2): a
 * REGISTER per registration when reg_fsm.c says so (the first at once,
 * refreshes, retries after back-off, Expires: 0 at the end), as a NICT of
 * its shard; one Call-ID per registration with CSeq counting up (§10.2.4);
 * 401/407 answered with the credentials (sip_uac_auth.c, bridge/auth), then
 * sent with every later REGISTER of the registration (RFC 7616 §3.4: nc
 * counts on); the response's granted expires for our contact (§10.2.4:
 * the Contact's expires parameter, else Expires). Timers are the
 * registrations' deadlines in cws_next_timeout_ms(); nothing blocks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reg_fsm.h"
#include "sip_internal.h"

static char n_expires[] = "expires";

struct cws_reg {
	struct cws_reg *next;
	char *name, *registrar, *aor, *contact_user;
	enum cws_proto proto;
	char *call_id, *from_tag;
	unsigned cseq;
	unsigned sent_expires;       /* the Expires of the REGISTER out */
	osip_transaction_t *tr;      /* the REGISTER out, NULL when none */
	struct cws_uac_auth *auth;   /* NULL: no credentials */
	int preemptive;              /* the REGISTER out carried credentials of earlier ones */
	struct cws_reg_fsm fsm;
	char *hop_ip;                /* RFC 3263: the registrar's address located; NULL none */
	int hop_port;
};

static void reg_free(struct cws_reg *r)
{
	free(r->name);
	free(r->registrar);
	free(r->aor);
	free(r->contact_user);
	osip_free(r->call_id);
	osip_free(r->from_tag);
	cws_uac_auth_free(r->auth);
	free(r->hop_ip);
	free(r);
}

void cws_register_free_all(cws *sip)
{
	while (sip->regs) {
		struct cws_reg *r = sip->regs;

		sip->regs = r->next;
		reg_free(r);
	}
}

/* RFC 3261 §10.2: Request-URI = the registrar, From and To = the AOR (From with our
   tag), our Contact, Expires; the credentials answered so far. */
static int send_register(cws *sip, struct cws_reg *r, unsigned expires)
{
	osip_message_t *m = NULL;
	osip_uri_t *uri = NULL;
	osip_transaction_t *tr = NULL;
	struct shard *sh;
	char b[512];

	if (osip_message_init(&m) != 0)
		return -ENOMEM;
	osip_message_set_method(m, osip_strdup("REGISTER"));
	osip_message_set_version(m, osip_strdup("SIP/2.0"));
	if (osip_uri_init(&uri) != 0 || osip_uri_parse(uri, r->registrar) != 0) {
		osip_uri_free(uri);
		osip_message_free(m);
		return -EINVAL;
	}
	osip_message_set_uri(m, uri);
	cws_add_via(sip, m, r->proto, NULL);
	snprintf(b, sizeof(b), "<%s>;tag=%s", r->aor, r->from_tag);
	osip_message_set_from(m, b);
	snprintf(b, sizeof(b), "<%s>", r->aor);
	osip_message_set_to(m, b);
	osip_message_set_call_id(m, r->call_id);
	snprintf(b, sizeof(b), "%u REGISTER", ++r->cseq);
	osip_message_set_cseq(m, b);
	osip_message_set_max_forwards(m, "70");
	cws_set_contact(sip, m, r->contact_user);
	snprintf(b, sizeof(b), "%u", expires);
	osip_message_set_expires(m, b);
	if (r->auth && cwa_uac_state_count(&r->auth->state) &&
	    cws_uac_auth_add(r->auth, m) != 0) {
		osip_message_free(m);
		return -ENOMEM;
	}
	sh = cws_shard_for(sip, m);
	if (osip_transaction_init(&tr, NICT, sh->osip, m) != 0) {
		osip_message_free(m);
		return -ENOMEM;
	}
	sip->stats.transactions_live++;
	osip_transaction_set_out_socket(tr, -1);
	if (r->hop_ip && tr->nict_context) { /* RFC 3263 §4: the address located */
		char *h = osip_strdup(r->hop_ip);

		if (h)
			osip_nict_set_destination(tr->nict_context, h, r->hop_port);
	}
	cws_queue_event(sip, tr, osip_new_outgoing_sipmessage(m));
	r->tr = tr;
	r->sent_expires = expires;
	return 0;
}

static void emit(cws *sip, const struct cws_reg *r)
{
	struct cws_register_event ev;

	if (!sip->on_register)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.name = r->name;
	ev.status = r->fsm.status;
	switch (r->fsm.state) {
	case CWS_REG_REGISTERED:
		ev.state = CWS_REGISTER_OK;
		ev.expires = r->fsm.granted_s;
		break;
	case CWS_REG_DONE:
		ev.state = CWS_REGISTER_REMOVED;
		break;
	default:
		ev.state = CWS_REGISTER_FAILED;
		ev.retry_s = r->fsm.retry_s;
		break;
	}
	sip->on_register(sip->user, &ev);
}

/* What the state machine asked for: a new REGISTER (with the credentials of the
   last ones, if any), a log line. */
static void act(cws *sip, struct cws_reg *r, const struct cws_reg_out *out)
{
	if (out->send) {
		r->preemptive = r->auth && cwa_uac_state_count(&r->auth->state) > 0;
		if (send_register(sip, r, out->expires) != 0) {
			struct cws_reg_out again;

			/* nothing went out: a failure like a transport error */
			cws_reg_response(&r->fsm, (uint64_t)cws_mono_ms(), 0, 0, 0, 0, &again);
			if (again.changed)
				emit(sip, r);
			return;
		}
	}
	if (out->changed)
		emit(sip, r);
}

int cws_register_add(cws *sip, const struct cws_register_opts *o)
{
	struct cws_reg_params par;
	struct cws_reg *r;
	osip_uri_t *uri = NULL;
	int rc;

	if (!sip || !o || !o->name || !o->registrar || !o->aor || !o->contact_user ||
	    strpbrk(o->aor, "<>\"\r\n") || strpbrk(o->contact_user, "@<>\"\r\n"))
		return -EINVAL;
	par = (struct cws_reg_params){o->expires, o->retry_interval_s, o->retry_max_s};
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->name = strdup(o->name);
	r->registrar = strdup(o->registrar);
	r->aor = strdup(o->aor);
	r->contact_user = strdup(o->contact_user);
	r->call_id = cws_rnd_token(sip, "cw-reg-");
	r->from_tag = cws_rnd_token(sip, "cw");
	rc = cws_reg_init(&r->fsm, &par, (uint64_t)cws_mono_ms());
	if (!rc && (!r->name || !r->registrar || !r->aor || !r->contact_user || !r->call_id ||
	            !r->from_tag))
		rc = -ENOMEM;
	if (!rc && o->auth_password)
		rc = cws_uac_auth_new(o->auth_user, o->auth_password, &r->auth);
	if (!rc && o->next_hop && o->next_hop[0]) {
		r->hop_ip = strdup(o->next_hop);
		r->hop_port = (int)o->next_hop_port;
		if (!r->hop_ip)
			rc = -ENOMEM;
	}
	if (!rc && (osip_uri_init(&uri) != 0 || osip_uri_parse(uri, o->registrar) != 0 ||
	            !uri->host || !uri->scheme))
		rc = -EINVAL;
	if (!rc)
		r->proto = cws_uri_proto(uri);
	osip_uri_free(uri);
	if (rc) {
		reg_free(r);
		return rc;
	}
	r->next = sip->regs;
	sip->regs = r;
	return 0;
}

static struct cws_reg *find(cws *sip, osip_transaction_t *tr)
{
	for (struct cws_reg *r = sip->regs; r; r = r->next)
		if (r->tr == tr)
			return r;
	return NULL;
}

/* A header's delta-seconds (Expires, Min-Expires, Retry-After), 0 when absent. */
static unsigned header_seconds(osip_message_t *m, const char *name)
{
	osip_header_t *h = NULL;
	unsigned long v = 0;
	const char *p;

	if (osip_message_header_get_byname(m, name, 0, &h) < 0 || !h || !h->hvalue)
		return 0;
	for (p = h->hvalue; *p == ' ' || *p == '\t'; p++)
		;
	while (*p >= '0' && *p <= '9' && v < 4000000000UL)
		v = v * 10 + (unsigned long)(*p++ - '0');
	return (unsigned)v;
}

/* RFC 3261 §10.2.4: the expires the registrar granted our contact: its Contact's
   expires parameter (ours, else the only one), else the Expires header; 0: none. */
static unsigned granted_expires(cws *sip, const struct cws_reg *r, osip_message_t *m)
{
	osip_contact_t *ct;
	osip_generic_param_t *e;
	osip_list_iterator_t it;
	unsigned n = 0, only = 0;

	for (ct = osip_list_get_first(&m->contacts, &it); ct; ct = osip_list_get_next(&it)) {
		e = NULL;
		osip_contact_param_get_byname(ct, n_expires, &e);
		if (!e || !e->gvalue)
			continue;
		n++;
		only = (unsigned)strtoul(e->gvalue, NULL, 10);
		if (ct->url && ct->url->username && ct->url->host &&
		    strcmp(ct->url->username, r->contact_user) == 0 &&
		    strcmp(ct->url->host, cws_transport_host(sip->tp)) == 0)
			return only;
	}
	if (header_seconds(m, "expires"))
		return header_seconds(m, "expires");
	return n == 1 ? only : 0;
}

void cws_register_on_response(cws *sip, int type, osip_transaction_t *tr, osip_message_t *m)
{
	struct cws_reg *r = find(sip, tr);
	struct cws_reg_out out;
	int st;

	if (!r || !m || type == OSIP_NICT_STATUS_1XX_RECEIVED)
		return;
	r->tr = NULL;
	st = m->status_code;
	/* RFC 3261 §22.2: a challenge answered once per realm. Credentials sent ahead
	   (RFC 7616 §3.4) that get a challenge mean a new nonce: answered afresh. */
	if ((st == 401 || st == 407) && r->auth &&
	    (r->fsm.state == CWS_REG_REGISTERING || r->fsm.state == CWS_REG_UNREGISTERING)) {
		if (r->preemptive) {
			cwa_uac_state_init(&r->auth->state);
			r->preemptive = 0;
		}
		if (cws_uac_auth_challenged(r->auth, m) == 0 &&
		    send_register(sip, r, r->sent_expires) == 0)
			return;
	}
	cws_reg_response(&r->fsm, (uint64_t)cws_mono_ms(), st,
	                 st >= 200 && st < 300 ? granted_expires(sip, r, m) : 0,
	                 st == 423 ? header_seconds(m, "min-expires") : 0,
	                 header_seconds(m, "retry-after"), &out);
	act(sip, r, &out);
}

void cws_register_on_failure(cws *sip, osip_transaction_t *tr)
{
	struct cws_reg *r = find(sip, tr);
	struct cws_reg_out out;

	if (!r)
		return;
	r->tr = NULL;
	cws_reg_response(&r->fsm, (uint64_t)cws_mono_ms(), 0, 0, 0, 0, &out);
	act(sip, r, &out);
}

void cws_register_run(cws *sip)
{
	uint64_t now = (uint64_t)cws_mono_ms();
	struct cws_reg_out out;

	for (struct cws_reg *r = sip->regs; r; r = r->next) {
		cws_reg_tick(&r->fsm, now, &out);
		act(sip, r, &out);
	}
}

long long cws_register_next_ms(const cws *sip)
{
	uint64_t best = CWS_REG_NEVER;

	for (const struct cws_reg *r = sip->regs; r; r = r->next) {
		uint64_t d = cws_reg_deadline(&r->fsm);

		if (d < best)
			best = d;
	}
	return best == CWS_REG_NEVER ? -1 : (long long)best;
}

int cws_register_stop(cws *sip)
{
	uint64_t now;
	struct cws_reg_out out;

	if (!sip)
		return -EINVAL;
	now = (uint64_t)cws_mono_ms();
	for (struct cws_reg *r = sip->regs; r; r = r->next) {
		cws_reg_stop(&r->fsm, now, &out);
		act(sip, r, &out);
	}
	return cws_register_pending(sip);
}

int cws_register_pending(const cws *sip)
{
	int n = 0;

	for (const struct cws_reg *r = sip ? sip->regs : NULL; r; r = r->next)
		n += r->fsm.state == CWS_REG_UNREGISTERING;
	return n;
}
