/* SPDX-License-Identifier: MIT */
/*
 * bearer_keys.c — [span N] digital: whether the span carries calls of the
 * unrestricted digital information bearer (Q.931 §4.5.5 octet 3, 01000),
 * which SIP carries as clearmode (RFC 4040), and its dump line.
 */
#include <stdio.h>

#include "common/error.h"
#include "config.h"
#include "parser.h"

int cwcfg_span_digital_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = &p->cfg->spans[p->sec_index];

	ONCE(p, sp->digital_line, key);
	return cwcfg_parse_bool(p, key, value, &sp->digital);
}

void cwcfg_bearer_dump_span(const struct cwcfg_span *sp, FILE *out)
{
	fprintf(out, "digital = %s\n", sp->digital ? "yes" : "no");
}
