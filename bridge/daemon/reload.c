/* SPDX-License-Identifier: MIT */
/*
 * reload.c — SIGHUP's configuration step (reload.h, README.md "Reload"):
 *
 *   1. load the file again; an error is logged as FILE:LINE and nothing changes;
 *   2. the same spans in the same order, or nothing changes (adding or removing a
 *      span needs a restart);
 *   3. what cannot change while running keeps its running value, each logged;
 *   4. admission (routes' allow, auth, deny; [sip] flood limits): the one step
 *      that may still refuse (a users file) — nothing changed before it;
 *   5. resources (hunting groups, targets put aside), the spans' sections, the
 *      daemon's configuration: new calls take it; calls up hold the one they
 *      started with (config_ref.h) until they end;
 *   6. one line says what changed, section by section of the effective dump.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admission.h"
#include "config_ref.h"
#include "isdn.h"
#include "log.h"
#include "reload.h"
#include "resources.h"

#define ERR_MAX (CW_DIAG_FILE_MAX + CW_DIAG_MESSAGE_MAX + CWCFG_MAX_PATH + 64)

/* ---- 2. the spans ---- */

static int same_spans(const struct cwcfg_config *run, const struct cwcfg_config *next,
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

/* ---- 3. what only a restart changes ---- */

static void needs_restart(const char *section, const char *key)
{
	cwb_warning("reload: %s %s changed: needs a restart, the running value stays", section,
	            key);
}

static int str_differs(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

/* *next gets a copy of run (NULL stays NULL). 0 or -ENOMEM. */
static int keep_str(const char *section, const char *key, char **next, const char *run,
                    unsigned *n)
{
	char *copy = NULL;

	if (!str_differs(*next, run))
		return 0;
	if (run && !(copy = strdup(run)))
		return -ENOMEM;
	needs_restart(section, key);
	free(*next);
	*next = copy;
	(*n)++;
	return 0;
}

#define KEEP(section, key, field)                         \
	do {                                              \
		if (next->field != run->field) {          \
			needs_restart((section), (key));  \
			next->field = run->field;         \
			n++;                              \
		}                                         \
	} while (0)

/* The libpri timers: set once when the span starts (isdn.c); t310, t301 are the core's. */
static const enum cwcfg_timer libpri_timers[] = {
	CWCFG_T200, CWCFG_T203, CWCFG_T303, CWCFG_T305, CWCFG_T308,
	CWCFG_T309, CWCFG_T313, CWCFG_T316, CWCFG_N200, CWCFG_K,
};

static int keep_span(const struct cwcfg_span *run, struct cwcfg_span *next, unsigned *count)
{
	char sec[32];
	unsigned n = 0;
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
		needs_restart(sec, "dchannel");
		n++;
	}
	KEEP(sec, "bchannels", bchannels);
	for (i = 0; i < sizeof(libpri_timers) / sizeof(libpri_timers[0]); i++) {
		enum cwcfg_timer t = libpri_timers[i];

		if (next->timers[t] != run->timers[t]) {
			needs_restart(sec, cwcfg_timer_name(t));
			next->timers[t] = run->timers[t];
			n++;
		}
	}
	*count += n;
	return 0;
}

/* The running values into next; *count = how many there were. 0 or -ENOMEM. */
static int keep_running(const struct cwcfg_config *run, struct cwcfg_config *next,
                        unsigned *count)
{
	unsigned n = 0;
	size_t i;

	if (keep_str("[general]", "pidfile", &next->general.pidfile, run->general.pidfile, &n) ||
	    keep_str("[general]", "cdr_file", &next->general.cdr_file, run->general.cdr_file, &n) ||
	    keep_str("[general]", "dahdi_system_conf", &next->general.dahdi_system_conf,
	             run->general.dahdi_system_conf, &n) ||
	    keep_str("[sip]", "bind", &next->sip.bind, run->sip.bind, &n) ||
	    keep_str("[sip]", "tls_certificate", &next->sip.tls_certificate,
	             run->sip.tls_certificate, &n) ||
	    keep_str("[sip]", "tls_private_key", &next->sip.tls_private_key,
	             run->sip.tls_private_key, &n) ||
	    keep_str("[sip]", "tls_ca_file", &next->sip.tls_ca_file, run->sip.tls_ca_file, &n) ||
	    keep_str("[sip]", "tls_ca_dir", &next->sip.tls_ca_dir, run->sip.tls_ca_dir, &n))
		return -ENOMEM;
	next->sip.bind_family = run->sip.bind_family;
	KEEP("[sip]", "port", sip.port);
	KEEP("[sip]", "transport", sip.transports);
	KEEP("[sip]", "tls_port", sip.tls_port);
	KEEP("[sip]", "tls_verify_client", sip.tls_verify_client);
	KEEP("[sip]", "tls_min_version", sip.tls_min_version);
	for (i = 0; i < run->n_spans; i++)
		if (keep_span(&run->spans[i], &next->spans[i], &n) < 0)
			return -ENOMEM;
	*count = n;
	return 0;
}

/* ---- 6. what changed: the effective dumps, section by section ---- */

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

struct changes {
	unsigned added[2], changed[2], removed[2]; /* [0] routes, [1] spans */
	int general, sip;                           /* 1: changed */
};

static int section_kind(const struct section *s)
{
	if (s->head_len > 7 && memcmp(s->head, "[route ", 7) == 0)
		return 0;
	if (s->head_len > 6 && memcmp(s->head, "[span ", 6) == 0)
		return 1;
	return -1;
}

static int count_changes(const struct cwcfg_config *run, const struct cwcfg_config *next,
                         struct changes *ch)
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

static void log_reloaded(const struct cwcfg_config *next, const struct changes *ch, int counted,
                         unsigned kept, unsigned long calls_on_old)
{
	char what[256];

	if (counted)
		snprintf(what, sizeof(what),
		         "%zu route%s (%u added, %u changed, %u removed), %zu span%s (%u changed), "
		         "[general] %s, [sip] %s",
		         next->n_routes, next->n_routes == 1 ? "" : "s", ch->added[0], ch->changed[0],
		         ch->removed[0], next->n_spans, next->n_spans == 1 ? "" : "s", ch->changed[1],
		         ch->general ? "changed" : "unchanged", ch->sip ? "changed" : "unchanged");
	else
		snprintf(what, sizeof(what), "%zu route%s, %zu span%s", next->n_routes,
		         next->n_routes == 1 ? "" : "s", next->n_spans, next->n_spans == 1 ? "" : "s");
	cwb_notice("reload: %s reloaded: %s; %u change%s need%s a restart; %lu call%s up keep%s "
	           "the previous configuration",
	           next->file, what, kept, kept == 1 ? "" : "s", kept == 1 ? "s" : "", calls_on_old,
	           calls_on_old == 1 ? "" : "s", calls_on_old == 1 ? "s" : "");
}

int cwb_reload_config(struct cwb *d)
{
	struct cwcfg_config *next = NULL;
	struct cwb_config_ref *ref, *old = d->cfg_ref;
	struct changes ch;
	char err[ERR_MAX];
	cw_diag diag;
	unsigned kept = 0;
	unsigned long calls_on_old;
	int counted, rc;
	size_t i;

	/* 1. the file */
	memset(&diag, 0, sizeof(diag));
	if (cwcfg_config_load(d->cfg->file, &next, &diag) < 0) {
		cwb_config_diag_text(&diag, err, sizeof(err));
		cwb_error("reload: %s; the running configuration stays", err);
		return -1;
	}
	for (i = 0; i < next->n_warnings; i++)
		if (next->warnings[i].line)
			cwb_warning("reload: %s:%u: %s", next->file, next->warnings[i].line,
			            next->warnings[i].message);
		else
			cwb_warning("reload: %s: %s", next->file, next->warnings[i].message);
	/* 2. the spans */
	if (!same_spans(d->cfg, next, err, sizeof(err))) {
		cwb_error("reload: %s: %s needs a restart; the running configuration stays",
		          next->file, err);
		cwcfg_config_free(next);
		return -1;
	}
	/* 3. what only a restart changes */
	if (keep_running(d->cfg, next, &kept) < 0) {
		cwb_error("reload: out of memory; the running configuration stays");
		cwcfg_config_free(next);
		return -1;
	}
	counted = count_changes(d->cfg, next, &ch) == 0;
	if (cwb_config_ref_new(next, &ref) < 0) {
		cwb_error("reload: out of memory; the running configuration stays");
		return -1;
	}
	/* 4. admission: the last step that may refuse */
	err[0] = '\0';
	rc = cwb_admission_reload(d->adm, next, err, sizeof(err));
	if (rc < 0) {
		cwb_error("reload: %s; the running configuration stays",
		          err[0] ? err : strerror(-rc));
		cwb_config_ref_drop(ref);
		return -1;
	}
	/* 5. from now on */
	cwb_resources_reload(d->res, next);
	cwb_isdn_reload(d, next);
	d->cfg = next;
	d->cfg_ref = ref;
	calls_on_old = cwb_config_ref_holders(old) - 1;
	cwb_config_ref_drop(old);
	if (!d->log_level_fixed)
		cwb_log_level = next->general.log_level;
	/* 6. */
	log_reloaded(next, &ch, counted, kept, calls_on_old);
	return 0;
}
