/* SPDX-License-Identifier: MIT */
/*
 * system_conf.c — a span's D-channel and B-channels from DAHDI's
 * /etc/dahdi/system.conf, for `dchannel = dahdi:auto` (README.md, "[span N]").
 *
 * What is read (system.conf(5) of dahdi-tools, docs/dahdi.md §6):
 *   span=N,TIMING,LBO,FRAMING,CODING[,crc4][,yellow]  E1 (cas/ccs): 31 channels,
 *                                                     T1 (d4/esf): 24
 *   dchan=LIST, hardhdlc=LIST                         D-channels
 *   bchan=LIST                                        B-channels
 * LIST is global channel numbers, "1-15,17-31". Global numbers run over the
 * spans in span order, as the driver numbers them. Every other key
 * (loadzone, echocanceller, fxsks, ...) is not ours and is skipped.
 */
#include <errno.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "parser.h"

#define SYSTEM_CONF_MAX_CHANNEL 4096 /* CWCFG_MAX_DAHDI_CHANNEL */

struct sc_span {
	unsigned line;     /* the span= line, 0 = not declared */
	unsigned nchans;   /* 31 (E1) or 24 (T1) */
};

struct sc_state {
	struct cwcfg_parser *p;
	const char *path;
	unsigned want;                              /* the span asked for */
	struct sc_span spans[CWCFG_MAX_SPAN_NUMBER + 1];
	unsigned listed[SYSTEM_CONF_MAX_CHANNEL + 1]; /* line a channel is on, 0 = none */
	struct cwcfg_dahdi_span *out;
	unsigned dchan_line;
};

/* An error at PATH:LINE of system.conf, not of the bridge's file. */
__attribute__((format(printf, 4, 5)))
static int sc_fail(struct sc_state *st, unsigned line, int code, const char *fmt, ...)
{
	const char *own = st->p->filename;
	char msg[CW_DIAG_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	st->p->filename = st->path;
	cwcfg_fail(st->p, line, code, "%s", msg);
	st->p->filename = own;
	return st->p->err;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* A decimal number of at most 4 digits: 0 and *ret, or -1. */
static int sc_number(const char **s, unsigned *ret)
{
	unsigned v = 0, n = 0;

	while (isspace((unsigned char)**s))
		(*s)++;
	while (isdigit((unsigned char)**s) && n < 5) {
		v = v * 10 + (unsigned)(**s - '0');
		(*s)++;
		n++;
	}
	while (isspace((unsigned char)**s))
		(*s)++;
	if (n == 0 || n == 5)
		return -1;
	*ret = v;
	return 0;
}

/* span=N,TIMING,LBO,FRAMING,CODING[,crc4][,yellow] */
static int sc_span_line(struct sc_state *st, unsigned line, char *value)
{
	char *f[8], *save = NULL, *tok;
	unsigned n = 0, spanno, e1;
	const char *s;

	for (tok = strtok_r(value, ",", &save); tok && n < 8; tok = strtok_r(NULL, ",", &save))
		f[n++] = trim(tok);
	s = n ? f[0] : "";
	if (n < 5 || sc_number(&s, &spanno) < 0 || *s)
		return sc_fail(st, line, CWCOM_ESYNTAX,
		               "span=%s: expected N,TIMING,LBO,FRAMING,CODING", n ? f[0] : "");
	if (spanno < 1 || spanno > CWCFG_MAX_SPAN_NUMBER)
		return sc_fail(st, line, -ERANGE, "span %u is out of range 1-%d", spanno,
		               CWCFG_MAX_SPAN_NUMBER);
	if (st->spans[spanno].line)
		return sc_fail(st, line, CWCOM_EDUPLICATE, "span %u is declared twice (first at line %u)",
		               spanno, st->spans[spanno].line);
	if (strcasecmp(f[3], "cas") == 0 || strcasecmp(f[3], "ccs") == 0)
		e1 = 1;
	else if (strcasecmp(f[3], "d4") == 0 || strcasecmp(f[3], "esf") == 0)
		e1 = 0;
	else
		return sc_fail(st, line, -ENOENT,
		               "span %u: framing '%s' is not one of d4, esf (T1), cas, ccs (E1)", spanno,
		               f[3]);
	if (strcasecmp(f[4], e1 ? "hdb3" : "b8zs") != 0 && strcasecmp(f[4], "ami") != 0)
		return sc_fail(st, line, -ENOENT, "span %u: coding '%s' does not go with %s framing "
		               "(%s or ami)", spanno, f[4], f[3], e1 ? "hdb3" : "b8zs");
	st->spans[spanno].line = line;
	st->spans[spanno].nchans = e1 ? 31 : 24;
	return 0;
}

/* The span and position of global channel c, 0 when no declared span has it. */
static unsigned sc_span_of(const struct sc_state *st, unsigned c, unsigned *pos)
{
	unsigned k, base = 1;

	for (k = 1; k <= CWCFG_MAX_SPAN_NUMBER && st->spans[k].line; k++) {
		if (c < base + st->spans[k].nchans) {
			*pos = c - base + 1;
			return k;
		}
		base += st->spans[k].nchans;
	}
	return 0;
}

/* dchan=, hardhdlc=, bchan=: each channel of LIST once in the file. */
static int sc_channels_line(struct sc_state *st, unsigned line, const char *key, const char *value,
                            int is_d)
{
	const char *s = value;

	for (;;) {
		unsigned lo, hi, c, pos, span;

		if (sc_number(&s, &lo) < 0)
			return sc_fail(st, line, CWCOM_ESYNTAX, "%s=%s: expected a channel number at '%s'",
			               key, value, s);
		hi = lo;
		if (*s == '-') {
			s++;
			if (sc_number(&s, &hi) < 0)
				return sc_fail(st, line, CWCOM_ESYNTAX,
				               "%s=%s: expected a channel number at '%s'", key, value, s);
		}
		if (lo < 1 || hi > SYSTEM_CONF_MAX_CHANNEL || hi < lo)
			return sc_fail(st, line, -ERANGE, "%s=%s: %u-%u is not a range of 1-%d", key,
			               value, lo, hi, SYSTEM_CONF_MAX_CHANNEL);
		for (c = lo; c <= hi; c++) {
			if (st->listed[c])
				return sc_fail(st, line, CWCOM_EDUPLICATE,
				               "channel %u is already configured at line %u", c,
				               st->listed[c]);
			st->listed[c] = line;
			span = sc_span_of(st, c, &pos);
			if (!span)
				return sc_fail(st, line, -ERANGE,
				               "%s: channel %u is on no span of this file (spans number "
				               "channels from span 1 on, without a gap)",
				               key, c);
			if (span != st->want)
				continue;
			if (!is_d) {
				st->out->bchans |= 1UL << pos;
				continue;
			}
			if (st->out->dchan)
				return sc_fail(st, line, CWCOM_EDUPLICATE,
				               "span %u has a second D-channel %u (the first, %u, at line %u)",
				               span, c, st->out->dchan, st->dchan_line);
			st->out->dchan = c;
			st->dchan_line = line;
		}
		if (!*s)
			return 0;
		if (*s != ',')
			return sc_fail(st, line, CWCOM_ESYNTAX, "%s=%s: unexpected '%c'", key, value, *s);
		s++;
	}
}

/* One pass over the text: span= lines (pass 0) or channel lines (pass 1). */
static int sc_pass(struct sc_state *st, char *text, int pass)
{
	char *line = text, *next;
	unsigned lineno = 0;

	for (; line; line = next) {
		char *eq, *key, *value;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line[strcspn(line, "#;")] = '\0';
		line = trim(line);
		if (!*line)
			continue;
		eq = strchr(line, '=');
		if (!eq)
			return sc_fail(st, lineno, CWCOM_ESYNTAX, "expected 'key=value'");
		*eq = '\0';
		key = trim(line);
		value = trim(eq + 1);
		if (pass == 0 && strcasecmp(key, "span") == 0) {
			if (sc_span_line(st, lineno, value) < 0)
				return st->p->err;
		} else if (pass == 1 && (strcasecmp(key, "dchan") == 0 ||
		                         strcasecmp(key, "hardhdlc") == 0 ||
		                         strcasecmp(key, "bchan") == 0)) {
			if (sc_channels_line(st, lineno, key, value, strcasecmp(key, "bchan") != 0) < 0)
				return st->p->err;
		}
	}
	return 0;
}

int cwcfg_system_conf_span(struct cwcfg_parser *p, const char *path, unsigned spanno,
                               unsigned cfg_line, struct cwcfg_dahdi_span *ret)
{
	struct sc_state *st;
	char *text = NULL, *copy = NULL, msg[CW_DIAG_MESSAGE_MAX];
	size_t len;
	int r;

	memset(ret, 0, sizeof(*ret));
	r = cwcfg_read_file(path, &text, &len, msg, sizeof(msg));
	if (r < 0)
		return cwcfg_fail(p, cfg_line, r, "dchannel = dahdi:auto: %s", msg);
	st = calloc(1, sizeof(*st));
	copy = malloc(len + 1);
	if (!st || !copy) {
		free(st);
		free(copy);
		free(text);
		return cwcfg_fail(p, cfg_line, -ENOMEM, "out of memory");
	}
	st->p = p;
	st->path = path;
	st->want = spanno;
	st->out = ret;
	memcpy(copy, text, len + 1);
	/* Pass 0 numbers the spans; pass 1 places each listed channel on one. */
	if (sc_pass(st, text, 0) == 0 && sc_pass(st, copy, 1) == 0) {
		if (!st->spans[spanno].line)
			cwcfg_fail(p, cfg_line, -ENOENT,
			               "dchannel = dahdi:auto: span %u is not declared in %s (span=%u,...)",
			               spanno, path, spanno);
		else if (!ret->dchan)
			sc_fail(st, st->spans[spanno].line, CWCOM_EMISSING,
			        "span %u has no D-channel (dchan= or hardhdlc=)", spanno);
	}
	r = p->err;
	free(copy);
	free(text);
	free(st);
	return r;
}
