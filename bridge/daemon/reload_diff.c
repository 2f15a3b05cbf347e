/* SPDX-License-Identifier: MIT */
/*
 * reload_diff.c — a new configuration against the running one (reload_diff.h):
 * the same spans or not; the running values of what only a restart changes,
 * into the new one; what changed, section by section of the --check-config
 * dump. Pure: no I/O but an in-memory stream.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reload_diff.h"

int cwb_reload_same_spans(const struct cwcfg_config *run, const struct cwcfg_config *next,
                          char *why, size_t len)
{
	size_t i;

	if (run->n_spans != next->n_spans) {
		snprintf(why, len, "%zu span%s now, %zu running: adding or removing a span",
		         next->n_spans, next->n_spans == 1 ? "" : "s", run->n_spans);
		return 0;
	}
	for (i = 0; i < run->n_spans; i++)
		if (run->spans[i].number != next->spans[i].number) {
			snprintf(why, len, "[span %u] where [span %u] runs: renumbering or moving a span",
			         next->spans[i].number, run->spans[i].number);
			return 0;
		}
	return 1;
}

/* ---- what only a restart changes ---- */

static void needs_restart(struct cwb_reload_kept *k, const char *section, const char *key)
{
	if (k->n < CWB_RELOAD_KEPT_MAX)
		snprintf(k->what[k->n], sizeof(k->what[0]), "%s %s", section, key);
	k->n++;
}

static int str_differs(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

/* *next gets a copy of run (NULL stays NULL). 0 or -ENOMEM. */
static int keep_str(struct cwb_reload_kept *k, const char *section, const char *key,
                    char **next, const char *run)
{
	char *copy = NULL;

	if (!str_differs(*next, run))
		return 0;
	if (run && !(copy = strdup(run)))
		return -ENOMEM;
	needs_restart(k, section, key);
	free(*next);
	*next = copy;
	return 0;
}

#define KEEP(section, key, field)                            \
	do {                                                 \
		if (next->field != run->field) {             \
			needs_restart(k, (section), (key));  \
			next->field = run->field;            \
		}                                            \
	} while (0)

/* The libpri timers: set once when the span starts (isdn.c); t310, t301 are the core's. */
static const enum cwcfg_timer libpri_timers[] = {
	CWCFG_T200, CWCFG_T203, CWCFG_T303, CWCFG_T305, CWCFG_T308,
	CWCFG_T309, CWCFG_T313, CWCFG_T316, CWCFG_N200, CWCFG_K,
};

static int keep_span(struct cwb_reload_kept *k, const struct cwcfg_span *run,
                     struct cwcfg_span *next)
{
	char sec[32];
	size_t i;

	snprintf(sec, sizeof(sec), "[span %u]", run->number);
	KEEP(sec, "switchtype", switchtype);
	KEEP(sec, "signalling", signalling);
	if (next->dchannel_kind != run->dchannel_kind || next->dchannel_channo != run->dchannel_channo ||
	    next->dchannel_auto != run->dchannel_auto ||
	    str_differs(next->dchannel_path, run->dchannel_path)) {
		next->dchannel_kind = run->dchannel_kind;
		next->dchannel_channo = run->dchannel_channo;
		next->dchannel_auto = run->dchannel_auto;
		free(next->dchannel_path);
		next->dchannel_path = NULL;
		if (run->dchannel_path && !(next->dchannel_path = strdup(run->dchannel_path)))
			return -ENOMEM;
		needs_restart(k, sec, "dchannel");
	}
	KEEP(sec, "bchannels", bchannels);
	/* the audio sources are opened at start (media.c) */
	if (next->audio_kind != run->audio_kind || next->audio_channo != run->audio_channo ||
	    str_differs(next->audio_path, run->audio_path)) {
		next->audio_kind = run->audio_kind;
		next->audio_channo = run->audio_channo;
		free(next->audio_path);
		next->audio_path = NULL;
		if (run->audio_path && !(next->audio_path = strdup(run->audio_path)))
			return -ENOMEM;
		needs_restart(k, sec, "audio");
	}
	for (i = 0; i < sizeof(libpri_timers) / sizeof(libpri_timers[0]); i++) {
		enum cwcfg_timer t = libpri_timers[i];

		if (next->timers[t] != run->timers[t]) {
			needs_restart(k, sec, cwcfg_timer_name(t));
			next->timers[t] = run->timers[t];
		}
	}
	return 0;
}

/* The [register NAME] bindings are started once (sipside.c); the adapter keeps its copies. */
static int register_differs(const struct cwcfg_register *a, const struct cwcfg_register *b)
{
	return str_differs(a->name, b->name) || str_differs(a->registrar.uri, b->registrar.uri) ||
	       str_differs(a->aor, b->aor) || str_differs(a->contact_user, b->contact_user) ||
	       str_differs(a->auth_user, b->auth_user) ||
	       str_differs(a->auth_secret, b->auth_secret) || a->expires != b->expires ||
	       a->retry_interval != b->retry_interval || a->retry_max != b->retry_max;
}

int cwb_reload_keep_running(const struct cwcfg_config *run, struct cwcfg_config *next,
                            struct cwb_reload_kept *k)
{
	size_t i;

	memset(k, 0, sizeof(*k));
	if (keep_str(k, "[general]", "pidfile", &next->general.pidfile, run->general.pidfile) ||
	    keep_str(k, "[general]", "cdr_file", &next->general.cdr_file, run->general.cdr_file) ||
	    keep_str(k, "[general]", "dahdi_system_conf", &next->general.dahdi_system_conf,
	             run->general.dahdi_system_conf) ||
	    keep_str(k, "[general]", "metrics", &next->general.metrics_address,
	             run->general.metrics_address) ||
	    keep_str(k, "[general]", "capture", &next->general.capture, run->general.capture) ||
	    keep_str(k, "[general]", "capture_hep", &next->general.capture_hep,
	             run->general.capture_hep) ||
	    keep_str(k, "[sip]", "bind", &next->sip.bind, run->sip.bind) ||
	    keep_str(k, "[sip]", "media_address", &next->sip.media_address,
	             run->sip.media_address) ||
	    keep_str(k, "[sip]", "tls_certificate", &next->sip.tls_certificate,
	             run->sip.tls_certificate) ||
	    keep_str(k, "[sip]", "tls_private_key", &next->sip.tls_private_key,
	             run->sip.tls_private_key) ||
	    keep_str(k, "[sip]", "tls_ca_file", &next->sip.tls_ca_file, run->sip.tls_ca_file) ||
	    keep_str(k, "[sip]", "tls_ca_dir", &next->sip.tls_ca_dir, run->sip.tls_ca_dir) ||
	    /* the resolver is made once (sipdns.c) */
	    keep_str(k, "[sip]", "dns_servers", &next->sip.dns_servers, run->sip.dns_servers))
		return -ENOMEM;
	next->sip.bind_family = run->sip.bind_family;
	KEEP("[general]", "metrics", general.metrics_port);
	KEEP("[general]", "capture_max_bytes", general.capture_max_bytes);
	KEEP("[sip]", "port", sip.port);
	if (next->sip.rtp_port_low != run->sip.rtp_port_low ||
	    next->sip.rtp_port_high != run->sip.rtp_port_high) { /* media.c's pool, made at start */
		needs_restart(k, "[sip]", "rtp_ports");
		next->sip.rtp_port_low = run->sip.rtp_port_low;
		next->sip.rtp_port_high = run->sip.rtp_port_high;
	}
	KEEP("[sip]", "transport", sip.transports);
	KEEP("[sip]", "tls_port", sip.tls_port);
	KEEP("[sip]", "tls_verify_client", sip.tls_verify_client);
	KEEP("[sip]", "tls_min_version", sip.tls_min_version);
	if (next->n_registers != run->n_registers)
		needs_restart(k, "[register]", "sections");
	else
		for (i = 0; i < run->n_registers; i++)
			if (register_differs(&run->registers[i], &next->registers[i])) {
				needs_restart(k, "[register]", "sections");
				break;
			}
	for (i = 0; i < run->n_spans; i++)
		if (keep_span(k, &run->spans[i], &next->spans[i]) < 0)
			return -ENOMEM;
	return 0;
}

/* ---- what changed: the effective dumps, section by section ---- */

struct section {
	const char *head, *body; /* "[route x]", the text up to the next section */
	size_t head_len, body_len;
};

#define MAX_SECTIONS (2 + CWCFG_MAX_SPANS + CWCFG_MAX_ROUTES)

/* The dump of cfg in *text (free it), cut into sections. -ENOMEM. */
static int sections_of(const struct cwcfg_config *cfg, char **text, struct section *sec,
                       size_t *nsec)
{
	size_t size = 0, n = 0;
	FILE *f = open_memstream(text, &size);
	char *p;

	if (!f)
		return -ENOMEM;
	cwcfg_config_dump(cfg, f);
	if (fclose(f) != 0)
		return -ENOMEM;
	for (p = *text; p && *p; ) {
		char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (p[0] == '[' && n < MAX_SECTIONS) {
			sec[n].head = p;
			sec[n].head_len = len;
			sec[n].body = p + len;
			sec[n].body_len = 0;
			n++;
		} else if (n > 0) {
			sec[n - 1].body_len = (size_t)(p + len - sec[n - 1].body);
		}
		p = eol ? eol + 1 : p + len;
	}
	*nsec = n;
	return 0;
}

static const struct section *find_section(const struct section *sec, size_t n,
                                          const struct section *want)
{
	for (size_t i = 0; i < n; i++)
		if (sec[i].head_len == want->head_len &&
		    memcmp(sec[i].head, want->head, want->head_len) == 0)
			return &sec[i];
	return NULL;
}

static int section_kind(const struct section *s)
{
	if (s->head_len > 7 && memcmp(s->head, "[route ", 7) == 0)
		return 0;
	if (s->head_len > 6 && memcmp(s->head, "[span ", 6) == 0)
		return 1;
	return -1;
}

int cwb_reload_count_changes(const struct cwcfg_config *run, const struct cwcfg_config *next,
                             struct cwb_reload_changes *ch)
{
	struct section *a = calloc(2 * MAX_SECTIONS, sizeof(*a)), *b = a ? a + MAX_SECTIONS : NULL;
	char *ta = NULL, *tb = NULL;
	size_t na = 0, nb = 0, i;
	int rc = -ENOMEM;

	memset(ch, 0, sizeof(*ch));
	if (!a || sections_of(run, &ta, a, &na) < 0 || sections_of(next, &tb, b, &nb) < 0)
		goto out;
	for (i = 0; i < nb; i++) {
		const struct section *was = find_section(a, na, &b[i]);
		int kind = section_kind(&b[i]);
		int differs = was && (was->body_len != b[i].body_len ||
		                      memcmp(was->body, b[i].body, b[i].body_len) != 0);

		if (kind < 0) {
			if (differs && b[i].head_len == 5 && memcmp(b[i].head, "[sip]", 5) == 0)
				ch->sip = 1;
			else if (differs)
				ch->general = 1;
		} else if (!was) {
			ch->added[kind]++;
		} else if (differs) {
			ch->changed[kind]++;
		}
	}
	for (i = 0; i < na; i++)
		if (section_kind(&a[i]) >= 0 && !find_section(b, nb, &a[i]))
			ch->removed[section_kind(&a[i])]++;
	rc = 0;
out:
	free(ta);
	free(tb);
	free(a);
	return rc;
}

