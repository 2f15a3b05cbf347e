/* SPDX-License-Identifier: MIT */
/*
 * redirect.c — the redirecting party between SIP and ISDN (pure; see redirect.h).
 *
 * Parsers of untrusted header text: every loop is bounded by the input's
 * length and every write by the output's size (fuzz_redirect.c).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "identity.h"
#include "redirect.h"

enum { PRES_ALLOWED = 0, PRES_RESTRICTED = 1, PRES_NOT_AVAILABLE = 2 };
enum { TON_UNKNOWN = 0, TON_INTERNATIONAL = 1 };
enum { NPI_E164 = 1 };

#define HI_ENTRIES_MAX 32 /* History-Info entries looked at */
#define HI_INDEX_MAX 24   /* an index / mp value, with the NUL */

/* ---- the table (tables/redirect-reasons.txt) ---- */

static const struct cwb_redirect_isdn *isdn_row(int isdn)
{
	for (size_t i = 0; i < cwb_redirect_isdn_count; i++)
		if (cwb_redirect_isdn_reasons[i].isdn == isdn)
			return &cwb_redirect_isdn_reasons[i];
	return &cwb_redirect_isdn_reasons[0]; /* isdn 0, "unknown": first, tablegen checks it */
}

const char *cwb_redirect_reason_name(int isdn)
{
	return isdn_row(isdn)->name;
}

const char *cwb_redirect_diversion_token(int isdn)
{
	return isdn_row(isdn)->diversion;
}

int cwb_redirect_cause_param(int isdn)
{
	return isdn_row(isdn)->cause;
}

int cwb_redirect_isdn_of_token(const char *token, size_t len)
{
	for (size_t i = 0; token && i < cwb_redirect_token_count; i++)
		if (strlen(cwb_redirect_tokens[i].token) == len &&
		    strncasecmp(cwb_redirect_tokens[i].token, token, len) == 0)
			return cwb_redirect_tokens[i].isdn;
	return 0;
}

int cwb_redirect_isdn_of_cause(int cause)
{
	for (size_t i = 0; i < cwb_redirect_cause_count; i++)
		if (cwb_redirect_causes[i].cause == cause)
			return cwb_redirect_causes[i].isdn;
	return 0;
}

/* ---- ISDN -> SIP ---- */

/* Digits only: what goes into a URI user part unescaped. */
static int plain_number(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* The redirecting party's URI, or the anonymous one (RFC 3323 §4.1.1.3). */
static void party_uri(const struct cwb_redirecting *r, int trusted, const char *host,
                      int history_privacy, char *b, size_t n)
{
	int shown = plain_number(r->digits) && (r->presentation == PRES_ALLOWED ||
	                                        (r->presentation == PRES_RESTRICTED && trusted));

	if (!shown)
		snprintf(b, n, "<sip:anonymous@anonymous.invalid>");
	else
		snprintf(b, n, "<sip:%s%s@%s;user=phone%s>", r->ton == TON_INTERNATIONAL ? "+" : "",
		         r->digits, host,
		         /* RFC 7044 §10.1.2: the entry is private to the trust domain */
		         history_privacy && r->presentation == PRES_RESTRICTED ? "?Privacy=history" : "");
}

int cwb_redirect_to_sip(const struct cwb_redirecting *r, unsigned headers, int trusted,
                        const char *called, const char *host, char *out, size_t n)
{
	char uri[160], line[512];
	size_t used = out && n ? strnlen(out, n) : n, orig = used;
	int k, count;

	if (!r || !out || used >= n || !host || strlen(host) >= CWC_CALL_TARGET_MAX ||
	    (called && strlen(called) >= CWC_CALL_NUMBER_MAX))
		return -1;
	if (!r->present || !headers)
		return 0;
	count = r->count < 1 ? 1 : r->count > CWB_REDIRECT_COUNT_MAX ? CWB_REDIRECT_COUNT_MAX : r->count;
	if (headers & CWB_REDIRECT_DIVERSION) {
		/* RFC 5806 §4: name-addr; reason; counter; privacy=full hides the diverting party */
		party_uri(r, trusted, host, 0, uri, sizeof(uri));
		k = snprintf(line, sizeof(line), "Diversion: %s;reason=%s;counter=%d%s\r\n", uri,
		             cwb_redirect_diversion_token(r->reason), count,
		             r->presentation == PRES_RESTRICTED ? ";privacy=full" : "");
		if (k < 0 || (size_t)k >= sizeof(line) || (size_t)k >= n - used)
			return -1;
		memcpy(out + used, line, (size_t)k + 1);
		used += (size_t)k;
	}
	if (headers & CWB_REDIRECT_HISTORY_INFO) {
		/* RFC 7044 §9: the diverting party, then the new target, mapped (mp) from it, with
		   the RFC 4458 cause-param of the reason */
		party_uri(r, trusted, host, 1, uri, sizeof(uri));
		k = snprintf(line, sizeof(line),
		             "History-Info: %s;index=1,<sip:%s@%s;user=phone;cause=%d>;index=1.1;mp=1\r\n",
		             uri, plain_number(called) ? called : "unknown", host,
		             cwb_redirect_cause_param(r->reason));
		if (k < 0 || (size_t)k >= sizeof(line) || (size_t)k >= n - used) {
			out[orig] = '\0';
			return -1;
		}
		memcpy(out + used, line, (size_t)k + 1);
	}
	return 0;
}

/* ---- SIP -> ISDN: shared pieces ---- */

static int is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **p, const char **end)
{
	while (*p < *end && is_lws(**p))
		(*p)++;
	while (*end > *p && is_lws((*end)[-1]))
		(*end)--;
}

/* A value span without its quotes (a quoted-string, RFC 3261 §25.1), trimmed. */
static void unquote(const char **v, size_t *len)
{
	const char *p = *v, *e = *v + *len;

	trim(&p, &e);
	if (e - p >= 2 && *p == '"' && e[-1] == '"') {
		p++;
		e--;
	}
	*v = p;
	*len = (size_t)(e - p);
}

/* Case-insensitive: is [s, s+len) the word w? */
static int is_word(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && strncasecmp(s, w, len) == 0;
}

/*
 * The next ";name[=value]" of [*p, end): name and value spans (value 0 long if
 * none); quotes keep ';' in a value. 0, or -1 at the end.
 */
static int next_param(const char **p, const char *end, const char **name, size_t *nlen,
                      const char **val, size_t *vlen)
{
	const char *q = *p, *eq = NULL;
	int quoted = 0;

	while (q < end && *q != ';')
		q++;
	if (q >= end)
		return -1;
	*name = ++q;
	for (; q < end; q++) {
		if (quoted && *q == '\\' && q + 1 < end)
			q++;
		else if (*q == '"')
			quoted = !quoted;
		else if (!quoted && *q == '=' && !eq)
			eq = q;
		else if (!quoted && *q == ';')
			break;
	}
	if (eq) {
		*nlen = (size_t)(eq - *name);
		*val = eq + 1;
		*vlen = (size_t)(q - eq - 1);
	} else {
		*nlen = (size_t)(q - *name);
		*val = q;
		*vlen = 0;
	}
	{
		const char *ns = *name, *ne = *name + *nlen;

		trim(&ns, &ne);
		*name = ns;
		*nlen = (size_t)(ne - ns);
	}
	unquote(val, vlen);
	*p = q;
	return 0;
}

/* One name-addr entry at [p, end): the URI inside <> and the header params after '>'. */
static int entry_split(const char *p, const char *end, const char **uri, size_t *ulen,
                       const char **params)
{
	const char *disp;
	size_t dlen;

	if (cwb_name_addr_split(p, end, uri, ulen, &disp, &dlen) != 0 || *uri == p ||
	    (*uri)[-1] != '<') /* RFC 5806 §4, RFC 7044 §9: name-addr only */
		return -1;
	*params = *uri + *ulen + 1; /* after the '>' */
	return 0;
}

static void party_clear(struct cwb_redirecting *r)
{
	memset(r, 0, sizeof(*r));
	r->npi = NPI_E164;
}

/* The number of uri into r: presentation 2 (not available) when it has none. */
static void party_number(const char *uri, size_t ulen, struct cwb_redirecting *r)
{
	int intl = 0;

	if (cwb_uri_number(uri, ulen, r->digits, sizeof(r->digits), &intl) == 0) {
		r->ton = intl ? TON_INTERNATIONAL : TON_UNKNOWN;
		return;
	}
	r->digits[0] = '\0';
	r->presentation = PRES_NOT_AVAILABLE;
}

/* 1..2 digits (RFC 5806 §4 diversion-counter); anything else counts as 1. */
static int counter_value(const char *v, size_t len)
{
	if (len == 1 && v[0] >= '1' && v[0] <= '9')
		return v[0] - '0';
	if (len == 2 && v[0] >= '0' && v[0] <= '9' && v[1] >= '0' && v[1] <= '9' &&
	    (v[0] - '0') * 10 + (v[1] - '0') > 0)
		return (v[0] - '0') * 10 + (v[1] - '0');
	return 1;
}

/* ---- Diversion (RFC 5806 §4) ---- */

int cwb_diversion_parse(const char *const *values, size_t n, struct cwb_redirecting *r)
{
	int total = 0;

	if (!r)
		return -1;
	party_clear(r);
	for (size_t i = 0; values && i < n; i++) {
		const char *p = values[i], *end;

		if (!p)
			continue;
		end = p + strlen(p);
		while (p < end) {
			const char *q = cwb_list_item_end(p, end), *uri, *params, *name, *val;
			size_t ulen, nlen, vlen;
			int counter = 1, first = !r->present;

			if (entry_split(p, q, &uri, &ulen, &params) == 0) {
				if (first) {
					r->present = 1;
					party_number(uri, ulen, r);
				}
				while (next_param(&params, q, &name, &nlen, &val, &vlen) == 0) {
					if (is_word(name, nlen, "counter"))
						counter = counter_value(val, vlen);
					else if (first && is_word(name, nlen, "reason"))
						r->reason = cwb_redirect_isdn_of_token(val, vlen);
					else if (first && is_word(name, nlen, "privacy") &&
					         (is_word(val, vlen, "full") || is_word(val, vlen, "uri")) &&
					         r->presentation == PRES_ALLOWED)
						r->presentation = PRES_RESTRICTED;
				}
				total += counter;
				if (total > CWB_REDIRECT_COUNT_MAX)
					total = CWB_REDIRECT_COUNT_MAX;
			}
			p = q < end ? q + 1 : q;
		}
	}
	r->count = total;
	return r->present ? 0 : -1;
}

/* ---- History-Info (RFC 7044 §9, RFC 4458 §3) ---- */

struct hi_entry {
	const char *uri;
	size_t ulen;
	char index[HI_INDEX_MAX], mp[HI_INDEX_MAX];
	int cause;    /* 0: no cause-param */
	int private_; /* Privacy=history in the URI's headers (RFC 7044 §10.1.2) */
};

static void copy_span(char *dst, size_t n, const char *s, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* The RFC 4458 cause-param of a URI's parameters and its Privacy=history header. */
static void hi_uri(struct hi_entry *e)
{
	const char *u = e->uri, *end = e->uri + e->ulen, *at = u, *hdr, *p, *name, *val;
	size_t nlen, vlen;

	while (at < end && *at != '@')
		at++;
	if (at == end)
		at = u;
	for (hdr = at; hdr < end && *hdr != '?'; hdr++)
		;
	p = at;
	while (next_param(&p, hdr, &name, &nlen, &val, &vlen) == 0)
		if (is_word(name, nlen, "cause") && vlen == 3 && val[0] >= '3' && val[0] <= '6' &&
		    val[1] >= '0' && val[1] <= '9' && val[2] >= '0' && val[2] <= '9')
			e->cause = (val[0] - '0') * 100 + (val[1] - '0') * 10 + (val[2] - '0');
	/* headers: hname=hvalue *("&" ...); "=" may come escaped as %3D */
	for (p = hdr < end ? hdr + 1 : end; p < end;) {
		const char *amp = p;

		while (amp < end && *amp != '&')
			amp++;
		if (is_word(p, (size_t)(amp - p), "privacy=history") ||
		    is_word(p, (size_t)(amp - p), "privacy%3dhistory"))
			e->private_ = 1;
		p = amp < end ? amp + 1 : amp;
	}
}

int cwb_history_info_parse(const char *const *values, size_t n, struct cwb_redirecting *r)
{
	struct hi_entry ent[HI_ENTRIES_MAX];
	size_t ne = 0, i, last = HI_ENTRIES_MAX, from = HI_ENTRIES_MAX;
	int count = 0;

	if (!r)
		return -1;
	party_clear(r);
	for (i = 0; values && i < n; i++) {
		const char *p = values[i], *end;

		if (!p)
			continue;
		end = p + strlen(p);
		while (p < end && ne < HI_ENTRIES_MAX) {
			const char *q = cwb_list_item_end(p, end), *params, *name, *val;
			struct hi_entry *e = &ent[ne];
			size_t nlen, vlen;

			memset(e, 0, sizeof(*e));
			if (entry_split(p, q, &e->uri, &e->ulen, &params) == 0) {
				hi_uri(e);
				while (next_param(&params, q, &name, &nlen, &val, &vlen) == 0) {
					if (is_word(name, nlen, "index"))
						copy_span(e->index, sizeof(e->index), val, vlen);
					else if (is_word(name, nlen, "mp"))
						copy_span(e->mp, sizeof(e->mp), val, vlen);
				}
				ne++;
			}
			p = q < end ? q + 1 : q;
		}
	}
	/* each entry with a cause-param or mp= is one redirection (RFC 7044 §10.2) */
	for (i = 0; i < ne; i++)
		if (ent[i].cause || ent[i].mp[0]) {
			last = i;
			if (count < CWB_REDIRECT_COUNT_MAX)
				count++;
		}
	if (last == HI_ENTRIES_MAX)
		return -1;
	if (ent[last].mp[0])
		for (i = 0; i < last; i++)
			if (!strcmp(ent[i].index, ent[last].mp))
				from = i;
	if (from == HI_ENTRIES_MAX && last > 0)
		from = last - 1;
	r->present = 1;
	r->count = count;
	r->reason = ent[last].cause ? cwb_redirect_isdn_of_cause(ent[last].cause) : 0;
	if (from == HI_ENTRIES_MAX) {
		r->presentation = PRES_NOT_AVAILABLE;
		return 0;
	}
	party_number(ent[from].uri, ent[from].ulen, r);
	if (ent[from].private_ && r->presentation == PRES_ALLOWED)
		r->presentation = PRES_RESTRICTED;
	return 0;
}
