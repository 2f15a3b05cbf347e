/* SPDX-License-Identifier: MIT */
/*
 * config_ref.c — a configuration freed by its last holder (config_ref.h).
 * One thread: a plain counter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "config_ref.h"

struct cwb_config_ref {
	struct cwcfg_config *cfg;
	unsigned long holders;
};

int cwb_config_ref_new(struct cwcfg_config *cfg, struct cwb_config_ref **ret)
{
	struct cwb_config_ref *r;

	if (!cfg || !ret)
		return -EINVAL;
	r = malloc(sizeof(*r));
	if (!r) {
		cwcfg_config_free(cfg);
		return -ENOMEM;
	}
	r->cfg = cfg;
	r->holders = 1;
	*ret = r;
	return 0;
}

struct cwb_config_ref *cwb_config_ref_hold(struct cwb_config_ref *r)
{
	if (r)
		r->holders++;
	return r;
}

void cwb_config_ref_drop(struct cwb_config_ref *r)
{
	if (!r || --r->holders > 0)
		return;
	cwcfg_config_free(r->cfg);
	free(r);
}

const struct cwcfg_config *cwb_config_ref_get(const struct cwb_config_ref *r)
{
	return r ? r->cfg : NULL;
}

unsigned long cwb_config_ref_holders(const struct cwb_config_ref *r)
{
	return r ? r->holders : 0;
}

void cwb_config_diag_text(const cw_diag *diag, char *buf, size_t len)
{
	if (diag->line && diag->column)
		snprintf(buf, len, "%s:%u:%u: error: %s", diag->file, diag->line, diag->column,
		         diag->message);
	else if (diag->line)
		snprintf(buf, len, "%s:%u: error: %s", diag->file, diag->line, diag->message);
	else
		snprintf(buf, len, "%s: error: %s", diag->file, diag->message);
}
