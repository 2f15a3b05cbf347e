/* SPDX-License-Identifier: MIT */
/*
 * redirect_keys.c — the [sip] keys of call redirection: redirect_headers (how an
 * ISDN->SIP INVITE carries the SETUP's Redirecting number: RFC 5806 Diversion,
 * RFC 7044 History-Info, both or neither) and max_redirects (3xx responses
 * followed per call, RFC 3261 §8.1.3.4), and their dump lines. The daemon's
 * bridge/daemon/redirect.c writes and reads the headers.
 */
#include <stdio.h>

#include "common/error.h"
#include "config.h"
#include "name_table.h"
#include "parser.h"

static const struct cwcfg_name redirect_header_names[] = {
	{"diversion", CWCFG_REDIRECT_DIVERSION},
	{"history-info", CWCFG_REDIRECT_HISTORY_INFO},
	{"both", CWCFG_REDIRECT_DIVERSION | CWCFG_REDIRECT_HISTORY_INFO},
	{"none", 0},
	{NULL, 0}};

const char *cwcfg_redirect_headers_name(unsigned headers)
{
	return cwcfg_name_of(redirect_header_names, (int)headers);
}

int cwcfg_redirect_headers_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	int v = 0, rc;

	ONCE(p, p->cfg->sip.redirect_headers_line, key);
	rc = cwcfg_parse_name(p, key, redirect_header_names, value, &v);
	if (rc == 0)
		p->cfg->sip.redirect_headers = (unsigned)v;
	return rc;
}

int cwcfg_max_redirects_key(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.max_redirects_line, key);
	return cwcfg_parse_uint(p, key, value, 0, CWCFG_MAX_REDIRECTS_MAX, &p->cfg->sip.max_redirects);
}

void cwcfg_redirect_dump_sip(const struct cwcfg_sip *sip, FILE *out)
{
	fprintf(out, "redirect_headers = %s\nmax_redirects = %u\n",
	        cwcfg_redirect_headers_name(sip->redirect_headers), sip->max_redirects);
}
