/* SPDX-License-Identifier: MIT */
/*
 * reload.c — SIGHUP's configuration step (reload.h, README.md "Reload"):
 *
 *   1. load the file again; an error is logged as FILE:LINE and nothing changes;
 *   2. the same spans in the same order, or nothing changes (adding or removing a
 *      span needs a restart; reload_diff.c compares);
 *   3. what cannot change while running keeps its running value (reload_diff.c);
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
#include "reload_diff.h"
#include "resources.h"

#define ERR_MAX (CW_DIAG_FILE_MAX + CW_DIAG_MESSAGE_MAX + CWCFG_MAX_PATH + 64)

static void log_reloaded(const struct cwcfg_config *next, const struct cwb_reload_changes *ch,
                         int counted, unsigned kept, unsigned long calls_on_old)
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
	struct cwb_reload_changes ch;
	struct cwb_reload_kept kept;
	char err[ERR_MAX];
	cw_diag diag;
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
	if (!cwb_reload_same_spans(d->cfg, next, err, sizeof(err))) {
		cwb_error("reload: %s: %s needs a restart; the running configuration stays",
		          next->file, err);
		cwcfg_config_free(next);
		return -1;
	}
	/* 3. what only a restart changes */
	if (cwb_reload_keep_running(d->cfg, next, &kept) < 0) {
		cwb_error("reload: out of memory; the running configuration stays");
		cwcfg_config_free(next);
		return -1;
	}
	counted = cwb_reload_count_changes(d->cfg, next, &ch) == 0;
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
	/* 6. what changed */
	for (i = 0; i < kept.n && i < CWB_RELOAD_KEPT_MAX; i++)
		cwb_warning("reload: %s changed: needs a restart, the running value stays",
		            kept.what[i]);
	if (kept.n > CWB_RELOAD_KEPT_MAX)
		cwb_warning("reload: %u more changes need a restart", kept.n - CWB_RELOAD_KEPT_MAX);
	log_reloaded(next, &ch, counted, kept.n, calls_on_old);
	return 0;
}
