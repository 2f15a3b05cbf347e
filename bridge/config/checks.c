/* SPDX-License-Identifier: MIT */
/*
 * checks.c — what can be checked only after the whole file is read:
 * defaults that depend on other keys, required span keys, one D-channel
 * per span, route direction rules, route groups that a span has, one
 * match per direction, the warnings; then each span's profile and
 * override file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <causeway/q850.h>
#include <causeway/version.h>

#include "common/error.h"
#include "config.h"
#include "name_table.h"
#include "parser.h"

/* The span's profile, with its override file layered over it (cw_profile_overlay()). */
static int load_profile(struct cwcfg_parser *p, struct cwcfg_span *sp)
{
	const cw_profile *base;
	cw_profile *over;
	char *text, msg[CW_DIAG_MESSAGE_MAX];
	size_t len;
	unsigned line = sp->overrides_line ? sp->overrides_line : p->cfg->general.overrides_line;
	unsigned profile_line = sp->profile_line ? sp->profile_line : p->cfg->general.profile_line;
	int r;

	if (cw_profile_get(sp->profile_name, &base) < 0)
		return cwcfg_fail(p, profile_line, -ENOENT, "unknown profile '%s'",
		                      sp->profile_name);
	sp->profile = base;
	if (!sp->overrides)
		return 0;
	r = cwcfg_read_file(sp->overrides, &text, &len, msg, sizeof(msg));
	if (r < 0)
		return cwcfg_fail(p, line, r, "overrides: %s", msg);
	r = cwcom_from_cw(cw_profile_overlay(&over, base, sp->overrides, text, len, &p->diag));
	free(text);
	if (r < 0) {
		/* keep the override file's own FILE:LINE:COL */
		p->err = r;
		p->diag.code = r;
		return r;
	}
	sp->profile = over;
	return 0;
}

/* dchannel = dahdi:auto: the D-channel, and the B-channels unless given, from system.conf. */
static int from_system_conf(struct cwcfg_parser *p, struct cwcfg_span *sp)
{
	const char *path = p->cfg->general.dahdi_system_conf ? p->cfg->general.dahdi_system_conf
	                                                     : "/etc/dahdi/system.conf";
	struct cwcfg_dahdi_span ds;

	if (cwcfg_system_conf_span(p, path, sp->number, sp->dchannel_line, &ds) < 0)
		return p->err;
	sp->dchannel_channo = ds.dchan;
	if (!sp->bchannels_line) {
		sp->bchannels = ds.bchans;
		sp->bchannels_line = sp->dchannel_line; /* "no B-channels" points at dahdi:auto */
	}
	return 0;
}

/* G.704: a T1 PRI carries B-channels on timeslots 1-23 and the D-channel on 24, an E1 PRI
   B-channels on 1-15 and 17-31 and the D-channel on 16. ni2, dms100, 4ess and 5ess are T1
   switch types; euroisdn and qsig are taken as E1. Bit N = channel N. */
#define T1_BCHANNELS 0x00fffffeUL
#define E1_BCHANNELS 0xfffefffeUL

static int switchtype_is_t1(enum cwcfg_switchtype switchtype)
{
	return switchtype != CWCFG_SWITCH_EUROISDN && switchtype != CWCFG_SWITCH_QSIG;
}

/* bchannels: the switch type's whole trunk when not given; on a T1 switch type only 1-23. */
static int span_bchannels(struct cwcfg_parser *p, struct cwcfg_span *sp)
{
	unsigned long beyond;
	int ch;

	if (!sp->bchannels_line) {
		sp->bchannels = switchtype_is_t1(sp->switchtype) ? T1_BCHANNELS : E1_BCHANNELS;
		return 0;
	}
	if (!sp->bchannels)
		return cwcfg_fail(p, sp->bchannels_line, CWCOM_EMISSING, "[span %u]: no B-channels",
		                  sp->number);
	beyond = sp->bchannels & ~T1_BCHANNELS;
	if (!switchtype_is_t1(sp->switchtype) || !beyond)
		return 0;
	for (ch = 1; !(beyond & (1UL << ch)); ch++)
		;
	return cwcfg_fail(p, sp->bchannels_line, -ERANGE,
	                  "[span %u]: bchannels: channel %d is not a B-channel of a T1 span "
	                  "(switchtype %s: 1-23, timeslot 24 is the D-channel)",
	                  sp->number, ch, cwcfg_switchtype_name(sp->switchtype));
}

/* The first line of a key that only a SIP->ISDN route may have, or 0. */
static unsigned sip_only_line(const struct cwcfg_route *r)
{
	const unsigned lines[] = {r->allow_line, r->auth_line, r->realm_line, r->deny_line,
	                          r->deny_cause_line};
	unsigned first = 0;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (lines[i] && (!first || lines[i] < first))
			first = lines[i];
	return first;
}

/* README.md "Admission": deny by default, and what opens a route too wide. */
static void admission_warnings(struct cwcfg_parser *p, const struct cwcfg_route *r)
{
	size_t i;

	if (!r->n_allow && !r->auth)
		cwcfg_warn(p, r->line,
		               "[route %s]: neither allow nor auth: every call from SIP is refused "
		               "(403, cause 21)",
		               r->name);
	for (i = 0; i < r->n_allow; i++)
		if (r->allow[i].len == 0)
			cwcfg_warn(p, r->allow_line,
			               "[route %s]: allow has a /0 block: any host that reaches the SIP "
			               "port may call out",
			               r->name);
	if (r->realm_line && !r->auth)
		cwcfg_warn(p, r->realm_line, "[route %s]: realm without auth is not used", r->name);
	if (r->deny_cause_line && !r->n_deny)
		cwcfg_warn(p, r->deny_cause_line, "[route %s]: deny_cause without deny is not used",
		               r->name);
}

int cwcfg_checks_run(struct cwcfg_parser *p)
{
	struct cwcfg_config *cfg = p->cfg;
	unsigned isdn_routes = 0, sip_routes = 0;
	size_t i, j;

	/* [general] and [sip] defaults */
	if (!cfg->general.profile_name &&
	    cwcfg_set_str(p, &cfg->general.profile_name, CW_PROFILE_DEFAULT))
		return p->err;
	if (!cfg->sip.bind) {
		if (cwcfg_set_str(p, &cfg->sip.bind, "0.0.0.0"))
			return p->err;
		cfg->sip.bind_family = AF_INET;
	}
	if (!cfg->sip.user_agent &&
	    cwcfg_set_str(p, &cfg->sip.user_agent, "causeway-bridge/" CW_VERSION_STRING))
		return p->err;

	/* bridge/policy limits.h: a burst that is allowed must never start a block */
	if (cfg->sip.block_factor &&
	    (unsigned long)cfg->sip.block_factor * cfg->sip.source_rate < cfg->sip.source_burst)
		return cwcfg_fail(p,
		                      cfg->sip.block_factor_line ? cfg->sip.block_factor_line
		                      : cfg->sip.source_burst_line ? cfg->sip.source_burst_line
		                                                   : cfg->sip.source_rate_line,
		                      -ERANGE,
		                      "[sip]: block_factor * source_rate (%lu) is below source_burst "
		                      "(%u): an allowed burst would start a block",
		                      (unsigned long)cfg->sip.block_factor * cfg->sip.source_rate,
		                      cfg->sip.source_burst);

	if (cfg->general.capture_max_bytes_line && !cfg->general.capture)
		cwcfg_warn(p, cfg->general.capture_max_bytes_line,
		           "capture_max_bytes without capture is not used");

	/* RTP is bound on the SIP bind address: c= must be of its family */
	if (cfg->sip.media_address &&
	    (strchr(cfg->sip.media_address, ':') != NULL) != (cfg->sip.bind_family == AF_INET6))
		return cwcfg_fail(p, cfg->sip.media_address_line, CWCOM_ESYNTAX,
		                  "media_address: %s is not of the bind address's family (%s)",
		                  cfg->sip.media_address, cfg->sip.bind);
	if (cfg->n_spans == 0)
		return cwcfg_fail(p, p->lineno ? p->lineno : 1, CWCOM_EMISSING,
		                      "no [span N] section: at least one span is required");

	for (i = 0; i < cfg->n_spans; i++) {
		struct cwcfg_span *sp = &cfg->spans[i];
		static const char *const required[] = {"switchtype", "signalling", "dchannel"};
		unsigned lines[3];
		char num[16];

		if (sp->dchannel_auto && from_system_conf(p, sp) < 0)
			return p->err;
		if (cwcfg_overlap_check_span(p, sp) < 0)
			return p->err;
		lines[0] = sp->switchtype_line;
		lines[1] = sp->signalling_line;
		lines[2] = sp->dchannel_line;

		for (j = 0; j < 3; j++)
			if (!lines[j])
				return cwcfg_fail(p, sp->line, CWCOM_EMISSING,
				                      "[span %u]: '%s' is missing", sp->number,
				                      required[j]);
		if (span_bchannels(p, sp) < 0)
			return p->err;
		/* audio = dahdi: B-channel 1 is the DAHDI channel 15 (E1) or 23 (T1) below the
		   D-channel's timeslot, which a socket: D-channel does not have */
		if (sp->audio_kind == CWCFG_AUDIO_DAHDI && !sp->audio_channo &&
		    sp->dchannel_kind != CWCFG_DCHAN_DAHDI)
			return cwcfg_fail(p, sp->audio_line, CWCOM_EMISSING,
			                  "[span %u]: audio = dahdi needs a dahdi: dchannel, or "
			                  "dahdi:CHANNEL (the DAHDI channel of B-channel 1)", sp->number);
		if ((sp->bchannels & (1UL << 16)) && (sp->bchannels & ~((1UL << 25) - 1)))
			cwcfg_warn(p, sp->bchannels_line,
			               "[span %u]: channel 16 is listed as a B-channel of what looks like "
			               "an E1 span (timeslot 16 is the E1 D-channel)",
			               sp->number);
		if (!sp->group) {
			snprintf(num, sizeof(num), "%u", sp->number);
			if (cwcfg_set_str(p, &sp->group, num))
				return p->err;
		}
		if (!sp->location_line)
			sp->location = sp->signalling == CWCFG_PRI_NET ? CW_LOC_LN : CW_LOC_LPN;
		if (!sp->profile_name &&
		    cwcfg_set_str(p, &sp->profile_name, cfg->general.profile_name))
			return p->err;
		if (!sp->overrides_line && cfg->general.overrides &&
		    cwcfg_set_str(p, &sp->overrides, cfg->general.overrides))
			return p->err;
		for (j = 0; j < i; j++) {
			const struct cwcfg_span *o = &cfg->spans[j];
			if (o->dchannel_kind != sp->dchannel_kind)
				continue;
			if (sp->dchannel_kind == CWCFG_DCHAN_DAHDI
			        ? o->dchannel_channo == sp->dchannel_channo
			        : strcmp(o->dchannel_path, sp->dchannel_path) == 0)
				return cwcfg_fail(p, sp->dchannel_line, CWCOM_EDUPLICATE,
				                      "[span %u]: the same dchannel as [span %u] (line %u)",
				                      sp->number, o->number, o->dchannel_line);
		}
	}

	for (i = 0; i < cfg->n_routes; i++) {
		struct cwcfg_route *r = &cfg->routes[i];

		if (!r->n_targets && !r->group_line)
			return cwcfg_fail(p, r->line, CWCOM_EMISSING,
			                      "[route %s]: needs target= (ISDN->SIP) or group= (SIP->ISDN)",
			                      r->name);
		if (!r->match_line)
			return cwcfg_fail(p, r->line, CWCOM_EMISSING,
			                      "[route %s]: 'match' is missing (a number prefix, or * for any)",
			                      r->name);
		if (!r->prefix && cwcfg_set_str(p, &r->prefix, ""))
			return p->err;
		if (r->direction == CWCFG_ISDN_TO_SIP) {
			isdn_routes++;
			if (r->ton_line || r->npi_line)
				return cwcfg_fail(p, r->ton_line ? r->ton_line : r->npi_line,
				                      CWCOM_ESYNTAX,
				                      "[route %s]: ton/npi apply to SIP->ISDN routes only (SIP has no type of number)",
				                      r->name);
			if (r->trusted_peers_line)
				return cwcfg_fail(p, r->trusted_peers_line, CWCOM_ESYNTAX,
				                      "[route %s]: trusted_peers applies to SIP->ISDN routes (whose "
				                      "P-Asserted-Identity to believe); use trust_identity = yes",
				                      r->name);
			if (sip_only_line(r))
				return cwcfg_fail(p, sip_only_line(r), CWCOM_ESYNTAX,
				                      "[route %s]: allow, auth, realm, deny and deny_cause apply "
				                      "to SIP->ISDN routes (who may call out, and where to)",
				                      r->name);
			if (!r->target_user != !r->target_secret)
				return cwcfg_fail(p, r->target_user ? r->target_user_line : r->target_secret_line,
				                      CWCOM_EMISSING,
				                      "[route %s]: target_user and target_secret go together",
				                      r->name);
			for (j = 0; j < r->n_targets; j++) {
				const struct cwcfg_target *t = &r->targets[j];
				if (!(cfg->sip.transports & t->transport))
					cwcfg_warn(p, t->line,
					               "[route %s]: target uses %s, which [sip] transport does not listen on",
					               r->name,
					               cwcfg_name_of(cwcfg_transport_names, (int)t->transport));
			}
		} else {
			sip_routes++;
			if (r->trust_identity_line)
				return cwcfg_fail(p, r->trust_identity_line, CWCOM_ESYNTAX,
				                      "[route %s]: trust_identity applies to ISDN->SIP routes (whom "
				                      "to send P-Asserted-Identity); use trusted_peers = ADDR[/LEN],...",
				                      r->name);
			if (strchr(r->prefix, '+'))
				return cwcfg_fail(p, r->prefix_line, CWCOM_ESYNTAX,
				                      "[route %s]: '+' is not a Q.931 digit; use ton = international",
				                      r->name);
			if (r->target_user_line || r->target_secret_line)
				return cwcfg_fail(p, r->target_user_line ? r->target_user_line
				                                         : r->target_secret_line,
				                      CWCOM_ESYNTAX,
				                      "[route %s]: target_user and target_secret apply to ISDN->SIP "
				                      "routes (the credentials for the targets' challenges)",
				                      r->name);
			admission_warnings(p, r);
			for (j = 0; j < cfg->n_spans; j++)
				if (strcmp(cfg->spans[j].group, r->group) == 0)
					break;
			if (j == cfg->n_spans)
				return cwcfg_fail(p, r->group_line, -ENOENT,
				                      "[route %s]: no span has group '%s'", r->name,
				                      r->group);
		}
		for (j = 0; j < i; j++) {
			const struct cwcfg_route *o = &cfg->routes[j];
			if (o->direction == r->direction && strcmp(o->match, r->match) == 0)
				return cwcfg_fail(p, r->match_line, CWCOM_EDUPLICATE,
				                      "[route %s]: the same %s match as [route %s] (line %u)",
				                      r->name,
				                      cwcfg_direction_name(r->direction),
				                      o->name, o->match_line);
		}
	}
	if (!isdn_routes)
		cwcfg_warn(p, 0,
		               "no ISDN->SIP route (target=): every call from ISDN is rejected");
	if (!sip_routes)
		cwcfg_warn(p, 0,
		               "no SIP->ISDN route (group=): every call from SIP is rejected");

	for (i = 0; i < cfg->n_spans; i++)
		if (load_profile(p, &cfg->spans[i]) < 0)
			return p->err;
	if (cwcfg_register_check(p) < 0)
		return p->err;
	if (cwcfg_session_check(p))
		return p->err;
	return cwcfg_tls_check(p);
}
