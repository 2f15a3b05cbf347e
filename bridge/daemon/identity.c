/* SPDX-License-Identifier: MIT */
/*
 * identity.c — the calling party between SIP and ISDN (pure; see identity.h).
 *
 * Parsers of untrusted header text: every loop is bounded by the input's
 * length and every write by the output's size (tests/fuzz/fuzz_identity.c).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "identity.h"

/* Q.931 §4.5.10 octet 3a */
enum { PRES_ALLOWED = 0, PRES_RESTRICTED = 1, PRES_NOT_AVAILABLE = 2 };
enum { SCREEN_UNSCREENED = 0, SCREEN_PASSED = 1, SCREEN_FAILED = 2, SCREEN_NETWORK = 3 };
enum { TON_UNKNOWN = 0, TON_INTERNATIONAL = 1 };
enum { NPI_E164 = 1 };

static int is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- Privacy (RFC 3323 §4.2) ---- */

static unsigned priv_token(const char *t, size_t n)
{
	static const struct {
		const char *name;
		unsigned bit;
	} tokens[] = { { "header", CWB_PRIV_HEADER }, { "session", CWB_PRIV_SESSION },
		       { "user", CWB_PRIV_USER },     { "none", CWB_PRIV_NONE },
		       { "critical", CWB_PRIV_CRITICAL }, { "id", CWB_PRIV_ID } };

	for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		if (strlen(tokens[i].name) == n && strncasecmp(t, tokens[i].name, n) == 0)
			return tokens[i].bit;
	return CWB_PRIV_OTHER;
}

unsigned cwb_privacy_parse(const char *const *values, size_t n)
{
	unsigned bits = 0;

	for (size_t i = 0; values && i < n; i++) {
		const char *p = values[i];
		while (p && *p) {
			/* priv-value *(";" priv-value); libosip2 keeps a comma list of
			   several Privacy headers joined, so ',' separates too */
			size_t len = strcspn(p, ";,");
			const char *t = p, *e = p + len;
			while (t < e && is_lws(*t))
				t++;
			while (e > t && is_lws(e[-1]))
				e--;
			if (e > t)
				bits |= priv_token(t, (size_t)(e - t));
			p += len;
			if (*p)
				p++;
		}
	}
	return bits;
}

int cwb_privacy_restricts(unsigned privacy)
{
	/* RFC 3325 §9.3 "id"; RFC 3323 §4.2 "user" and "header" also hide who calls */
	return (privacy & (CWB_PRIV_ID | CWB_PRIV_USER | CWB_PRIV_HEADER)) != 0;
}

/* ---- numbers and names ---- */

int cwb_sip_number(const char *user, size_t len, char *digits, size_t n, int *international)
{
	size_t i = 0, k = 0;

	if (!user || !digits || n == 0)
		return -1;
	*international = 0;
	if (i < len && user[i] == '+') {
		*international = 1;
		i++;
	}
	for (; i < len && user[i] != ';'; i++) {
		char c = user[i];
		if (c == '-' || c == '.' || c == '(' || c == ')') /* RFC 3966 visual-separator */
			continue;
		if (c < '0' || c > '9' || k + 1 >= n)
			return -1;
		digits[k++] = c;
	}
	digits[k] = '\0';
	return k > 0 ? 0 : -1;
}

/* Append c to out (size n) at *k unless full. */
static void put(char *out, size_t n, size_t *k, char c)
{
	if (*k + 1 < n)
		out[(*k)++] = c;
}

/* The display-name text of [in, in+len) (a quoted-string or *(token LWS)). */
static void clean_span(const char *in, size_t len, char *dst, size_t dstlen)
{
	char out[128]; /* "Anonymous" is recognised before the cut to dstlen */
	size_t i = 0, k = 0, s, e, n = sizeof(out);

	if (dstlen == 0)
		return;
	while (i < len && is_lws(in[i]))
		i++;
	while (len > i && is_lws(in[len - 1]))
		len--;
	if (i < len && in[i] == '"') {
		i++;
		if (len > i && in[len - 1] == '"')
			len--;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '\\' && i + 1 < len) /* quoted-pair */
			c = (unsigned char)in[++i];
		if (c >= 0x20 && c < 0x7f)
			put(out, n, &k, (char)c);
		else if (c >= 0xc0) /* the lead byte of a UTF-8 sequence: one '?' */
			put(out, n, &k, '?');
		else if (c == '\t')
			put(out, n, &k, ' ');
		/* continuation bytes and other controls: dropped */
	}
	out[k] = '\0';
	/* trim the spaces a cut or a tab may have left */
	for (s = 0; out[s] == ' '; s++)
		;
	e = strlen(out);
	while (e > s && out[e - 1] == ' ')
		e--;
	memmove(out, out + s, e - s);
	out[e - s] = '\0';
	if (strcasecmp(out, "anonymous") == 0) /* RFC 3323 §4.1.1.3: not a name */
		out[0] = '\0';
	snprintf(dst, dstlen, "%s", out);
	/* the cut may leave a trailing space */
	e = strlen(dst);
	while (e > 0 && dst[e - 1] == ' ')
		dst[--e] = '\0';
}

void cwb_display_clean(const char *in, char *out, size_t n)
{
	if (n == 0)
		return;
	out[0] = '\0';
	if (in)
		clean_span(in, strlen(in), out, n);
}

int cwb_uri_number(const char *u, size_t len, char *digits, size_t n, int *intl)
{
	size_t skip, at;

	if (len > 4 && strncasecmp(u, "tel:", 4) == 0)
		return cwb_sip_number(u + 4, len - 4, digits, n, intl);
	if (len > 4 && strncasecmp(u, "sip:", 4) == 0)
		skip = 4;
	else if (len > 5 && strncasecmp(u, "sips:", 5) == 0)
		skip = 5;
	else
		return -1;
	for (at = skip; at < len && u[at] != '@'; at++)
		;
	if (at == len) /* no user part */
		return -1;
	return cwb_sip_number(u + skip, at - skip, digits, n, intl);
}

const char *cwb_list_item_end(const char *p, const char *end)
{
	int quoted = 0, angle = 0;

	for (; p < end; p++) {
		if (quoted && *p == '\\' && p + 1 < end)
			p++;
		else if (*p == '"' && !angle)
			quoted = !quoted;
		else if (!quoted && *p == '<')
			angle = 1;
		else if (!quoted && *p == '>')
			angle = 0;
		else if (!quoted && !angle && *p == ',')
			break;
	}
	return p;
}

int cwb_name_addr_split(const char *p, const char *end, const char **uri, size_t *ulen,
                        const char **disp, size_t *dlen)
{
	const char *lt = NULL, *gt, *q;
	int quoted = 0;

	*disp = p;
	*dlen = 0;
	for (q = p; q < end; q++) {
		if (*q == '\\' && quoted && q + 1 < end)
			q++;
		else if (*q == '"')
			quoted = !quoted;
		else if (*q == '<' && !quoted) {
			lt = q;
			break;
		}
	}
	if (!lt) { /* addr-spec */
		while (p < end && is_lws(*p))
			p++;
		while (end > p && is_lws(end[-1]))
			end--;
		*uri = p;
		*ulen = (size_t)(end - p);
		return *ulen ? 0 : -1;
	}
	for (gt = lt + 1; gt < end && *gt != '>'; gt++)
		;
	if (gt == end)
		return -1;
	*uri = lt + 1;
	*ulen = (size_t)(gt - lt - 1);
	*dlen = (size_t)(lt - p);
	return 0;
}

int cwb_pai_parse(const char *value, char *digits, size_t ndigits, int *international,
                  char *display, size_t ndisplay)
{
	const char *p, *end;
	int found = 0;

	if (!value || !digits || !international || !display || ndisplay == 0)
		return -1;
	end = value + strlen(value);
	display[0] = '\0';
	for (p = value; p < end;) {
		const char *q = cwb_list_item_end(p, end), *uri, *disp;
		size_t ulen, dlen;

		if (cwb_name_addr_split(p, q, &uri, &ulen, &disp, &dlen) == 0) {
			/* RFC 3325 §9.1: the values (a sip: and a tel: URI) are one
			   identity: a name given with either is the caller's */
			char name[CWC_CALL_NAME_MAX];
			clean_span(disp, dlen, name, sizeof(name));
			if (name[0] && (!display[0] || !found))
				snprintf(display, ndisplay, "%s", name);
			if (!found && cwb_uri_number(uri, ulen, digits, ndigits, international) == 0)
				found = 1;
		}
		p = q < end ? q + 1 : q;
	}
	if (!found)
		display[0] = '\0';
	return found ? 0 : -1;
}

/* ---- SIP -> ISDN ---- */

static int is_anonymous(const struct cwb_sip_caller *in)
{
	/* RFC 3323 §4.1.1.3: "Anonymous" <sip:anonymous@anonymous.invalid> */
	return (in->from_host && strcasecmp(in->from_host, "anonymous.invalid") == 0) ||
	       (in->from_user && strcasecmp(in->from_user, "anonymous") == 0);
}

enum cwb_identity_source cwb_identity_from_sip(const struct cwb_sip_caller *in,
                                               struct cwc_call_party *p)
{
	enum cwb_identity_source src = CWB_ID_NONE;
	int restricted = cwb_privacy_restricts(cwb_privacy_parse(in->privacy, in->nprivacy));
	int intl = 0;
	char name[CWC_CALL_NAME_MAX] = "";
	size_t i;

	p->digits[0] = '\0';
	p->ton = TON_UNKNOWN;
	p->npi = NPI_E164;
	p->screening = SCREEN_UNSCREENED;
	p->name[0] = '\0';
	/* RFC 3325 §5: only a trusted peer's assertion is believed; then the
	   number was verified in the trust domain (Q.931 octet 3a "user-provided,
	   verified and passed": this gateway is the user side of the PRI). */
	for (i = 0; i < in->npai && in->pai; i++) {
		if (cwb_pai_parse(in->pai[i], p->digits, sizeof(p->digits), &intl, name,
		                  sizeof(name)) != 0)
			continue;
		if (in->trusted) {
			src = CWB_ID_PAI;
			p->screening = SCREEN_PASSED;
		} else {
			src = CWB_ID_PAI_IGNORED;
			p->digits[0] = '\0';
			name[0] = '\0';
		}
		break;
	}
	if (src != CWB_ID_PAI) {
		/* RFC 3398 §7.2.1: the From user part is the user-provided number */
		const char *u = in->from_user ? in->from_user : "";
		intl = 0;
		if (is_anonymous(in) || cwb_sip_number(u, strlen(u), p->digits, sizeof(p->digits),
		                                       &intl) != 0) {
			p->digits[0] = '\0';
			intl = 0;
			/* an anonymous From asks for privacy (RFC 3323 §4.1.1.3) */
			p->presentation = restricted || is_anonymous(in) ? PRES_RESTRICTED
			                                                  : PRES_NOT_AVAILABLE;
			return src;
		}
		if (src == CWB_ID_NONE)
			src = CWB_ID_FROM;
	}
	if (!name[0])
		cwb_display_clean(in->from_display, name, sizeof(name));
	p->ton = intl ? TON_INTERNATIONAL : TON_UNKNOWN;
	p->presentation = restricted ? PRES_RESTRICTED : PRES_ALLOWED;
	/* a restricted caller's name is not sent either (Q.931 §4.5.10 note) */
	if (!restricted)
		memcpy(p->name, name, sizeof(p->name));
	return src;
}

/* ---- ISDN -> SIP ---- */

void cwb_identity_to_sip(const struct cwc_call_party *c, int trusted, struct cwb_sip_identity *o)
{
	char user[sizeof(o->from_user)];
	int asserted, restricted;

	memset(o, 0, sizeof(*o));
	if (!c->digits[0] || (c->presentation != PRES_ALLOWED && c->presentation != PRES_RESTRICTED))
		return; /* no number: the anonymous From */
	/* E.164 in SIP carries its '+' (RFC 3966 §5.1.4); Q.931 carries the TON */
	snprintf(user, sizeof(user), "%s%s", c->ton == TON_INTERNATIONAL ? "+" : "", c->digits);
	restricted = c->presentation == PRES_RESTRICTED;
	/* only a number the network verified is an asserted identity */
	asserted = c->screening == SCREEN_PASSED || c->screening == SCREEN_NETWORK;
	if (!restricted) { /* RFC 3323 §4.1.1.3: else the anonymous From */
		memcpy(o->from_user, user, sizeof(user));
		snprintf(o->from_display, sizeof(o->from_display), "%s", c->name);
	}
	if (trusted && asserted) {
		/* RFC 3325 §9.1, and §9.3: the trust domain keeps it private */
		memcpy(o->pai_user, user, sizeof(user));
		snprintf(o->pai_display, sizeof(o->pai_display), "%s", c->name);
		o->privacy_id = restricted;
	}
}

int cwb_connected_from_sip(const char *const *pai, size_t npai, const char *const *privacy,
                           size_t nprivacy, int trusted, struct cwc_call_party *p)
{
	char name[CWC_CALL_NAME_MAX];
	int intl = 0;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->npi = NPI_E164;
	for (i = 0; trusted && pai && i < npai; i++) {
		if (cwb_pai_parse(pai[i], p->digits, sizeof(p->digits), &intl, name,
		                  sizeof(name)) != 0)
			continue;
		p->ton = intl ? TON_INTERNATIONAL : TON_UNKNOWN;
		p->presentation = cwb_privacy_restricts(cwb_privacy_parse(privacy, nprivacy))
		                          ? PRES_RESTRICTED
		                          : PRES_ALLOWED;
		p->screening = SCREEN_PASSED; /* asserted in the trust domain (RFC 3325 §5) */
		return 0;
	}
	p->digits[0] = '\0';
	return -1;
}

const char *cwb_screening_name(int screening)
{
	switch (screening) {
	case SCREEN_UNSCREENED:
		return "unscreened";
	case SCREEN_PASSED:
		return "passed";
	case SCREEN_FAILED:
		return "failed";
	case SCREEN_NETWORK:
		return "network";
	default:
		return "?";
	}
}
