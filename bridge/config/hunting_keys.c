/* SPDX-License-Identifier: MIT */
/*
 * hunting_keys.c — [span N] hunting: the order in which the span's
 * B-channels are taken for a SETUP the bridge sends (Q.931 §5.1.2: the
 * user side names the channel), and its dump line. The daemon's hunter
 * (bridge/daemon/route.c) follows it.
 */
#include <stdio.h>

#include "common/error.h"
#include "config.h"
#include "name_table.h"
#include "parser.h"

static const struct cwcfg_name hunting_names[] = {
	{"ascending", CWCFG_HUNT_ASCENDING},
	{"descending", CWCFG_HUNT_DESCENDING},
	{"round-robin", CWCFG_HUNT_ROUND_ROBIN},
	{NULL, 0}};

const char *cwcfg_hunting_name(enum cwcfg_hunting hunting)
{
	return cwcfg_name_of(hunting_names, (int)hunting);
}

int cwcfg_span_hunting_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = &p->cfg->spans[p->sec_index];
	int v = 0, rc;

	ONCE(p, sp->hunting_line, key);
	rc = cwcfg_parse_name(p, key, hunting_names, value, &v);
	if (rc == 0)
		sp->hunting = (enum cwcfg_hunting)v;
	return rc;
}

void cwcfg_hunting_dump_span(const struct cwcfg_span *sp, FILE *out)
{
	fprintf(out, "hunting = %s\n", cwcfg_hunting_name(sp->hunting));
}
