/* SPDX-License-Identifier: MIT */
/*
 * dump.c — the effective configuration, defaults filled in, printed as a
 * config file that loads again to the same configuration; and
 * --check-config (load, then the dump or FILE:LINE: error: ...).
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <causeway/q850.h>

#include "config.h"
#include "name_table.h"
#include "parser.h"

/* "KEY = BLOCK, BLOCK" (cwp_block_format()); nothing for an empty list. */
static void dump_blocks(FILE *out, const char *key, const struct cwp_block *blocks, size_t n)
{
	char text[CWP_ADDR_TEXT_MAX];
	size_t i;

	if (!n)
		return;
	fprintf(out, "%s =", key);
	for (i = 0; i < n; i++) {
		if (cwp_block_format(&blocks[i], text, sizeof(text)) < 0)
			snprintf(text, sizeof(text), "?");
		fprintf(out, "%s %s", i ? "," : "", text);
	}
	fprintf(out, "\n");
}

/* allow, auth, realm, deny, deny_cause of a SIP->ISDN route. */
static void dump_admission(FILE *out, const struct cwcfg_route *r)
{
	size_t i;

	dump_blocks(out, "allow", r->allow, r->n_allow);
	if (r->auth)
		fprintf(out, "auth = %s\n", r->auth);
	if (r->realm)
		fprintf(out, "realm = %s\n", r->realm);
	if (r->n_deny) {
		fprintf(out, "deny =");
		for (i = 0; i < r->n_deny; i++)
			fprintf(out, "%s %s", i ? "," : "", r->deny[i].digits);
		fprintf(out, "\ndeny_cause = %d\n", r->deny_cause);
	}
}

/* "udp", "tcp", "udp,tcp,tls"..., as [sip] transport is written. */
static void format_transports(unsigned bits, char *buf, size_t len)
{
	const struct cwcfg_name *t;
	size_t used = 0;

	buf[0] = '\0';
	for (t = cwcfg_transport_names; t->name && used < len; t++)
		if (bits & (unsigned)t->value)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "," : "", t->name);
}

void cwcfg_config_dump(const struct cwcfg_config *cfg, FILE *out)
{
	char chans[128], transports[16];
	size_t i, j;

	if (!cfg || !out)
		return;
	fprintf(out, "# causeway-bridge effective configuration (from %s)\n", cfg->file);
	for (i = 0; i < cfg->n_warnings; i++) {
		if (cfg->warnings[i].line)
			fprintf(out, "# warning: %s:%u: %s\n", cfg->file, cfg->warnings[i].line,
			        cfg->warnings[i].message);
		else
			fprintf(out, "# warning: %s: %s\n", cfg->file, cfg->warnings[i].message);
	}
	fprintf(out, "\n[general]\nlog_level = %s\n", cwcfg_log_level_name(cfg->general.log_level));
	if (cfg->general.pidfile)
		fprintf(out, "pidfile = %s\n", cfg->general.pidfile);
	if (cfg->general.cdr_file)
		fprintf(out, "cdr_file = %s\n", cfg->general.cdr_file);
	if (cfg->general.capture)
		fprintf(out, "capture = %s\ncapture_max_bytes = %u\n", cfg->general.capture,
		        cfg->general.capture_max_bytes);
	if (cfg->general.capture_hep)
		fprintf(out, "capture_hep = %s\n", cfg->general.capture_hep);
	fprintf(out, "profile = %s\n", cfg->general.profile_name);
	if (cfg->general.overrides)
		fprintf(out, "overrides = %s\n", cfg->general.overrides);
	if (cfg->general.dahdi_system_conf)
		fprintf(out, "dahdi_system_conf = %s\n", cfg->general.dahdi_system_conf);
	if (cfg->general.metrics_address && strchr(cfg->general.metrics_address, ':'))
		fprintf(out, "metrics = [%s]:%u\n", cfg->general.metrics_address,
		        cfg->general.metrics_port);
	else if (cfg->general.metrics_address)
		fprintf(out, "metrics = %s:%u\n", cfg->general.metrics_address,
		        cfg->general.metrics_port);
	fprintf(out, "drain_timeout = %u\n", cfg->general.drain_timeout);
	if (cfg->general.node)
		fprintf(out, "node = %s\n", cfg->general.node);

	format_transports(cfg->sip.transports, transports, sizeof(transports));
	fprintf(out, "\n[sip]\nbind = %s\nport = %u\ntransport = %s\nuser_agent = %s\nretry_after = %u\n"
	             "invite_timeout = %u\ninterwork_timeout = %u\n",
	        cfg->sip.bind, cfg->sip.port, transports,
	        cfg->sip.user_agent, cfg->sip.retry_after, cfg->sip.invite_timeout,
	        cfg->sip.interwork_timeout);
	if (cfg->sip.dns_servers)
		fprintf(out, "dns_servers = %s\n", cfg->sip.dns_servers);
	if (cfg->sip.transports & CWCFG_TRANSPORT_TLS) {
		fprintf(out, "tls_port = %u\ntls_certificate = %s\ntls_private_key = %s\n",
		        cfg->sip.tls_port, cfg->sip.tls_certificate, cfg->sip.tls_private_key);
		if (cfg->sip.tls_ca_file)
			fprintf(out, "tls_ca_file = %s\n", cfg->sip.tls_ca_file);
		if (cfg->sip.tls_ca_dir)
			fprintf(out, "tls_ca_dir = %s\n", cfg->sip.tls_ca_dir);
		fprintf(out, "tls_verify_client = %s\ntls_min_version = 1.%u\n",
		        cwcfg_name_of(cwcfg_bool_names, cfg->sip.tls_verify_client),
		        cfg->sip.tls_min_version % 10);
	}
	fprintf(out, "source_rate = %u\nsource_burst = %u\nsource_max_calls = %u\nblock_factor = %u\n"
	             "block_seconds = %u\nmax_calls = %u\nno_channel_shed_rate = %u\n",
	        cfg->sip.source_rate, cfg->sip.source_burst, cfg->sip.source_max_calls,
	        cfg->sip.block_factor, cfg->sip.block_seconds, cfg->sip.max_calls,
	        cfg->sip.no_channel_shed_rate);
	fprintf(out, "session_expires = %u\nmin_se = %u\nsession_refresher = %s\n",
	        cfg->sip.session_expires, cfg->sip.min_se,
	        cwcfg_refresher_name(cfg->sip.session_refresher));
	fprintf(out, "rtp_ports = %u-%u\n", cfg->sip.rtp_port_low, cfg->sip.rtp_port_high);
	if (cfg->sip.media_address)
		fprintf(out, "media_address = %s\n", cfg->sip.media_address);
	else
		fprintf(out, "; media_address: the bind address (a wildcard: its interface's, at start)\n");
	fprintf(out, "dtmf = %s\n", cwcfg_dtmf_name(cfg->sip.dtmf));
	cwcfg_redirect_dump_sip(&cfg->sip, out);

	for (i = 0; i < cfg->n_spans; i++) {
		const struct cwcfg_span *sp = &cfg->spans[i];
		cwcfg_channels_format(sp->bchannels, chans, sizeof(chans));
		fprintf(out, "\n[span %u]\nswitchtype = %s\nsignalling = %s\n", sp->number,
		        cwcfg_switchtype_name(sp->switchtype),
		        cwcfg_signalling_name(sp->signalling));
		if (sp->dchannel_kind == CWCFG_DCHAN_SOCKET)
			fprintf(out, "dchannel = socket:%s\n", sp->dchannel_path);
		else
			fprintf(out, "dchannel = dahdi:%u%s\n", sp->dchannel_channo,
			        sp->dchannel_auto ? " ; dahdi:auto, from the DAHDI system.conf" : "");
		fprintf(out, "bchannels = %s\ngroup = %s\nprofile = %s\n", chans, sp->group,
		        sp->profile_name);
		if (sp->overrides)
			fprintf(out, "overrides = %s\n", sp->overrides);
		else
			fprintf(out, "overrides =\n");
		fprintf(out, "location = %s\n", cw_location_name(sp->location));
		fprintf(out, "early_release = %s\n", cwcfg_name_of(cwcfg_bool_names, sp->early_release));
		cwcfg_overlap_dump_span(sp, out);
		cwcfg_hunting_dump_span(sp, out);
		cwcfg_bearer_dump_span(sp, out);
		if (sp->audio_kind == CWCFG_AUDIO_SOCKET)
			fprintf(out, "audio = socket:%s\n", sp->audio_path);
		else if (sp->audio_kind == CWCFG_AUDIO_DAHDI && sp->audio_channo)
			fprintf(out, "audio = dahdi:%u\n", sp->audio_channo);
		else if (sp->audio_kind == CWCFG_AUDIO_DAHDI)
			fprintf(out, "audio = dahdi ; B-channel 1 from the D-channel's number\n");
		for (j = 0; j < CWCFG_TIMER_COUNT; j++)
			if (sp->timers[j] >= 0)
				fprintf(out, "%s = %ld\n", cwcfg_timer_name((enum cwcfg_timer)j), sp->timers[j]);
	}

	for (i = 0; i < cfg->n_routes; i++) {
		const struct cwcfg_route *r = &cfg->routes[i];
		fprintf(out, "\n[route %s]\n; %s\nmatch = %s\n", r->name,
		        cwcfg_direction_name(r->direction), r->match[0] ? r->match : "*");
		for (j = 0; j < r->n_targets; j++)
			fprintf(out, "target = %s\n", r->targets[j].uri);
		if (r->direction == CWCFG_SIP_TO_ISDN)
			fprintf(out, "group = %s\n", r->group);
		fprintf(out, "strip = %u\n", r->strip);
		if (r->prefix[0])
			fprintf(out, "prefix = %s\n", r->prefix);
		if (r->direction == CWCFG_SIP_TO_ISDN)
			fprintf(out, "ton = %s\nnpi = %s\n", cwcfg_ton_name(r->ton),
			        cwcfg_npi_name(r->npi));
		if (r->direction == CWCFG_ISDN_TO_SIP) {
			fprintf(out, "trust_identity = %s\n", cwcfg_name_of(cwcfg_bool_names, r->trust_identity));
			if (r->target_user) /* the secret itself is never printed */
				fprintf(out, "target_user = %s\ntarget_secret = (set)\n", r->target_user);
		} else {
			dump_blocks(out, "trusted_peers", r->trusted_peers, r->n_trusted_peers);
			dump_admission(out, r);
		}
		fprintf(out, "max_call_seconds = %u\n", r->max_call_seconds);
		if (r->session_expires_line)
			fprintf(out, "session_expires = %u\n", r->session_expires);
		cwcfg_overlap_dump_route(r, out);
	}
	cwcfg_register_dump(cfg, out);
}

int cwcfg_config_check(const char *path, FILE *out, FILE *err)
{
	struct cwcfg_config *cfg = NULL;
	cw_diag d;
	int r;

	memset(&d, 0, sizeof(d));
	r = cwcfg_config_load(path, &cfg, &d);
	if (r < 0) {
		if (d.line && d.column)
			fprintf(err, "%s:%u:%u: error: %s\n", d.file, d.line, d.column, d.message);
		else if (d.line)
			fprintf(err, "%s:%u: error: %s\n", d.file, d.line, d.message);
		else
			fprintf(err, "%s: error: %s\n", d.file, d.message);
		return 2;
	}
	cwcfg_config_dump(cfg, out);
	cwcfg_config_free(cfg);
	return 0;
}
