/* SPDX-License-Identifier: MIT */
/*
 * config.c — causeway-bridge configuration loader (inih).
 *
 * The file is read into memory and fed to ini_parse_stream() through our
 * own line reader. The reader counts lines (inih's handler gets no line
 * number in Debian's build), enforces the line length limit, strips
 * leading blanks (so inih never joins "continuation" lines) and opens
 * sections itself, so an empty [span N] is still seen and its header line
 * is known. inih then calls the handler for each key = value of the line
 * the reader just returned. The first error stops the reader; semantic
 * checks run after the whole file is read.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <ini.h>

#include <causeway/q850.h>
#include <causeway/version.h>

#include "config.h"
#include "name_table.h"

/* Range of each span timer, by enum cw_bridge_timer (names in names.c). */
static const struct {
	long min, max;
} timer_ranges[CW_BRIDGE_TIMER_COUNT] = {
	[CW_BRIDGE_T200] = {1, 3600000}, /* ms */
	[CW_BRIDGE_T203] = {1, 3600000}, /* ms */
	[CW_BRIDGE_T303] = {1, 3600000}, /* ms */
	[CW_BRIDGE_T305] = {1, 3600000}, /* ms */
	[CW_BRIDGE_T308] = {1, 3600000}, /* ms */
	[CW_BRIDGE_T309] = {1, 3600000}, /* ms */
	[CW_BRIDGE_T310] = {1, 3600000}, /* ms */
	[CW_BRIDGE_T313] = {1, 3600000}, /* ms */
	[CW_BRIDGE_T316] = {1, 3600000}, /* ms */
	[CW_BRIDGE_N200] = {1, 16},      /* count */
	[CW_BRIDGE_K] = {1, 127},        /* count */
	[CW_BRIDGE_T301] = {1, 3600000}, /* ms */
};

/* ---- "did you mean" ---- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64], i, j;

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The closest candidate within distance 2 (and less than half its length), or NULL. */
static const char *closest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = 3, i;

	for (i = 0; i < n; i++) {
		size_t d = edit_distance(word, cands[i]);
		if (d < best_d && d * 2 < strlen(cands[i]) + 1) {
			best = cands[i];
			best_d = d;
		}
	}
	return best;
}

/* ---- the parser state ---- */

enum section_kind { SEC_NONE, SEC_GENERAL, SEC_SIP, SEC_SPAN, SEC_ROUTE };

struct parser {
	struct cw_bridge_config *cfg;
	const char *filename;
	char dir[CW_BRIDGE_MAX_PATH + 1]; /* directory of filename, "" if none */
	const char *text;
	size_t pos, len;
	unsigned lineno;
	int err;
	cw_diag diag;
	enum section_kind sec;
	size_t sec_index;          /* span or route index */
	char sec_text[64];         /* "[span 1]" for messages */
	unsigned general_line, sip_line;
	size_t span_cap, route_cap;
};

__attribute__((format(printf, 4, 5)))
static int fail(struct parser *p, unsigned line, int code, const char *fmt, ...)
{
	va_list ap;

	if (p->err)
		return p->err;
	p->err = code;
	memset(&p->diag, 0, sizeof(p->diag));
	p->diag.code = code;
	p->diag.line = line;
	snprintf(p->diag.file, sizeof(p->diag.file), "%s", p->filename);
	va_start(ap, fmt);
	vsnprintf(p->diag.message, sizeof(p->diag.message), fmt, ap);
	va_end(ap);
	return code;
}

__attribute__((format(printf, 3, 4)))
static void warn(struct parser *p, unsigned line, const char *fmt, ...)
{
	struct cw_bridge_config *cfg = p->cfg;
	va_list ap;

	if (cfg->n_warnings >= CW_BRIDGE_MAX_WARNINGS)
		return;
	cfg->warnings[cfg->n_warnings].line = line;
	va_start(ap, fmt);
	vsnprintf(cfg->warnings[cfg->n_warnings].message, CW_DIAG_MESSAGE_MAX, fmt, ap);
	va_end(ap);
	cfg->n_warnings++;
}

static char *dup_str(struct parser *p, const char *s)
{
	char *d = strdup(s);

	if (!d)
		fail(p, p->lineno, CW_ENOMEM, "out of memory");
	return d;
}

/* Replace *slot with a copy of s. */
static int set_str(struct parser *p, char **slot, const char *s)
{
	char *d = dup_str(p, s);

	if (!d)
		return p->err;
	free(*slot);
	*slot = d;
	return 0;
}

/* Resolve a relative path against the config file's directory. */
static int resolve_path(struct parser *p, const char *key, const char *value, size_t max,
                        char **slot)
{
	char buf[2 * CW_BRIDGE_MAX_PATH + 2];
	size_t i;

	for (i = 0; value[i]; i++)
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
			return fail(p, p->lineno, CW_ESYNTAX, "%s: control character in path", key);
	if (value[0] == '/' || !p->dir[0])
		snprintf(buf, sizeof(buf), "%s", value);
	else
		snprintf(buf, sizeof(buf), "%s/%s", p->dir, value);
	if (strlen(buf) > max)
		return fail(p, p->lineno, CW_ELIMIT, "%s: path '%s' is longer than %zu characters",
		            key, buf, max);
	return set_str(p, slot, buf);
}

static int lookup_name(struct parser *p, const char *key, const struct cw_bridge_name *table,
                       const char *value, int *ret)
{
	const char *cands[16], *hint;
	char list[160];
	size_t n = 0;
	const struct cw_bridge_name *t;

	if (cw_bridge_name_value(table, value, ret) == 0)
		return 0;
	for (t = table; t->name && n < 16; t++)
		cands[n++] = t->name;
	hint = closest(value, cands, n);
	if (hint)
		return fail(p, p->lineno, CW_ENOENT, "unknown %s '%s' (did you mean '%s'?)", key,
		            value, hint);
	cw_bridge_name_list(table, list, sizeof(list));
	return fail(p, p->lineno, CW_ENOENT, "unknown %s '%s' (one of: %s)", key, value, list);
}

static int parse_ulong(struct parser *p, const char *key, const char *value, unsigned long min,
                       unsigned long max, unsigned long *ret)
{
	unsigned long v = 0;
	const char *s;

	if (!*value)
		return fail(p, p->lineno, CW_ESYNTAX, "%s: empty value, want a number", key);
	for (s = value; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return fail(p, p->lineno, CW_ESYNTAX, "%s: '%s' is not a number", key, value);
		if (v > (max - (unsigned long)(*s - '0')) / 10) {
			v = max + 1;
			break;
		}
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v < min || v > max)
		return fail(p, p->lineno, CW_ERANGE, "%s: %s is out of range %lu-%lu", key, value,
		            min, max);
	*ret = v;
	return 0;
}

static int parse_uint(struct parser *p, const char *key, const char *value, unsigned min,
                      unsigned max, unsigned *ret)
{
	unsigned long v;
	int r = parse_ulong(p, key, value, min, max, &v);

	if (r == 0)
		*ret = (unsigned)v;
	return r;
}

static int valid_name(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return 0;
	return n >= 1 && n <= CW_BRIDGE_MAX_NAME;
}

static int valid_digits(const char *s, size_t min)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!isdigit((unsigned char)*s) && *s != '+' && *s != '*' && *s != '#')
			return 0;
	return n >= min && n <= CW_BRIDGE_MAX_NUMBER;
}


static int valid_hostname(const char *h)
{
	size_t n = 0;

	for (; *h; h++, n++)
		if (!isalnum((unsigned char)*h) && *h != '-' && *h != '.')
			return 0;
	return n >= 1 && n <= 253;
}

static int parse_target(struct parser *p, const char *value, struct cw_bridge_target *t)
{
	char buf[CW_BRIDGE_MAX_LINE + 1], *s, *host, *params, *port = NULL;
	unsigned char addr[16];
	unsigned long portnum = 0;

	memset(t, 0, sizeof(*t));
	t->transport = CW_BRIDGE_TRANSPORT_UDP;
	t->line = p->lineno;
	if (strncasecmp(value, "sips:", 5) == 0)
		return fail(p, p->lineno, CW_ESYNTAX, "target: sips: (TLS) is not supported, use sip:");
	if (strncasecmp(value, "sip:", 4) != 0)
		return fail(p, p->lineno, CW_ESYNTAX,
		            "target: '%s' is not a sip: URI (want sip:HOST[:PORT][;transport=udp|tcp])",
		            value);
	snprintf(buf, sizeof(buf), "%s", value + 4);
	s = buf;
	if (strchr(s, '@'))
		return fail(p, p->lineno, CW_ESYNTAX,
		            "target: '%s' has a user part; give only the host (the user is the called number)",
		            value);
	params = strchr(s, ';');
	if (params)
		*params++ = '\0';
	if (*s == '[') {
		char *end = strchr(s, ']');
		if (!end)
			return fail(p, p->lineno, CW_ESYNTAX, "target: '%s': missing ']'", value);
		*end = '\0';
		host = s + 1;
		if (inet_pton(AF_INET6, host, addr) != 1)
			return fail(p, p->lineno, CW_ESYNTAX, "target: '%s' is not an IPv6 address", host);
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			return fail(p, p->lineno, CW_ESYNTAX, "target: '%s': junk after ']'", value);
	} else {
		host = s;
		port = strchr(s, ':');
		if (port)
			*port++ = '\0';
		if (!*host)
			return fail(p, p->lineno, CW_ESYNTAX, "target: '%s' has no host", value);
		if (strspn(host, "0123456789.") == strlen(host)) {
			if (inet_pton(AF_INET, host, addr) != 1)
				return fail(p, p->lineno, CW_ESYNTAX, "target: '%s' is not an IPv4 address",
				            host);
		} else if (!valid_hostname(host)) {
			return fail(p, p->lineno, CW_ESYNTAX, "target: '%s' is not a valid host name", host);
		}
	}
	if (port && parse_ulong(p, "target port", port, 1, 65535, &portnum) < 0)
		return p->err;
	while (params && *params) {
		char *next = strchr(params, ';');
		if (next)
			*next++ = '\0';
		if (strncasecmp(params, "transport=", 10) == 0) {
			const char *tr = params + 10;
			int bit;
			if (cw_bridge_name_value(cw_bridge_transport_names, tr, &bit) < 0)
				return fail(p, p->lineno, CW_ENOENT,
				            "target: transport '%s' is not supported (udp or tcp)", tr);
			t->transport = (unsigned)bit;
		} else {
			return fail(p, p->lineno, CW_ESYNTAX,
			            "target: unknown URI parameter '%s' (only transport=udp|tcp)", params);
		}
		params = next;
	}
	t->port = (unsigned)portnum;
	t->host = dup_str(p, host);
	t->uri = dup_str(p, value);
	return p->err;
}

/* ---- keys ---- */

typedef int (*key_fn)(struct parser *p, const char *key, const char *value);

struct key_def {
	const char *name;
	key_fn fn;
};

#define ONCE(p, line_field, key)                                                              \
	do {                                                                                  \
		if (line_field)                                                               \
			return fail((p), (p)->lineno, CW_EDUPLICATE,                            \
			            "%s: '%s' given twice (first at line %u)", (p)->sec_text,  \
			            (key), (line_field));                                       \
		(line_field) = (p)->lineno;                                                   \
	} while (0)

static int g_log_level(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_general *g = &p->cfg->general;
	int v;

	ONCE(p, g->log_level_line, key);
	if (lookup_name(p, key, cw_bridge_log_level_names, value, &v) < 0)
		return p->err;
	g->log_level = (enum cw_bridge_log_level)v;
	return 0;
}

static int g_pidfile(struct parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.pidfile_line, key);
	return resolve_path(p, key, value, CW_BRIDGE_MAX_PATH, &p->cfg->general.pidfile);
}

static int g_cdr_file(struct parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.cdr_file_line, key);
	return resolve_path(p, key, value, CW_BRIDGE_MAX_PATH, &p->cfg->general.cdr_file);
}

static int check_profile(struct parser *p, const char *value)
{
	const cw_profile *prof;
	char list[128] = "";
	size_t i, used = 0;

	if (cw_profile_get(value, &prof) == 0)
		return 0;
	for (i = 0; i < cw_profile_builtin_count() && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
		                         cw_profile_name(cw_profile_builtin_at(i)));
	return fail(p, p->lineno, CW_ENOENT, "unknown profile '%s' (one of: %s)", value, list);
}

static int g_profile(struct parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.profile_line, key);
	if (check_profile(p, value) < 0)
		return p->err;
	return set_str(p, &p->cfg->general.profile_name, value);
}

static int g_overrides(struct parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.overrides_line, key);
	return resolve_path(p, key, value, CW_BRIDGE_MAX_PATH, &p->cfg->general.overrides);
}

static int s_bind(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_sip *sip = &p->cfg->sip;
	unsigned char addr[16];

	ONCE(p, sip->bind_line, key);
	if (inet_pton(AF_INET, value, addr) == 1)
		sip->bind_family = AF_INET;
	else if (inet_pton(AF_INET6, value, addr) == 1)
		sip->bind_family = AF_INET6;
	else if (value[0] == '[')
		return fail(p, p->lineno, CW_ESYNTAX, "bind: write the IPv6 address without brackets");
	else
		return fail(p, p->lineno, CW_ESYNTAX,
		            "bind: '%s' is not an IPv4 or IPv6 address (host names are not resolved)",
		            value);
	return set_str(p, &sip->bind, value);
}

static int s_port(struct parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.port_line, key);
	return parse_uint(p, key, value, 1, 65535, &p->cfg->sip.port);
}

static int s_transport(struct parser *p, const char *key, const char *value)
{
	char buf[CW_BRIDGE_MAX_LINE + 1], *tok, *save = NULL;
	unsigned bits = 0;

	ONCE(p, p->cfg->sip.transports_line, key);
	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		int bit;
		if (cw_bridge_name_value(cw_bridge_transport_names, tok, &bit) < 0)
			return fail(p, p->lineno, CW_ENOENT,
			            "transport: '%s' is not supported (udp, tcp or udp,tcp)", tok);
		if (bits & (unsigned)bit)
			return fail(p, p->lineno, CW_EDUPLICATE, "transport: '%s' listed twice", tok);
		bits |= (unsigned)bit;
	}
	if (!bits)
		return fail(p, p->lineno, CW_ESYNTAX, "transport: empty list (udp, tcp or udp,tcp)");
	p->cfg->sip.transports = bits;
	return 0;
}

static int s_user_agent(struct parser *p, const char *key, const char *value)
{
	const char *s;

	ONCE(p, p->cfg->sip.user_agent_line, key);
	if (strlen(value) > 128)
		return fail(p, p->lineno, CW_ELIMIT, "user_agent: longer than 128 characters");
	for (s = value; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return fail(p, p->lineno, CW_ESYNTAX,
			            "user_agent: only printable ASCII characters are allowed");
	return set_str(p, &p->cfg->sip.user_agent, value);
}

static int s_retry_after(struct parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.retry_after_line, key);
	return parse_uint(p, key, value, 0, 86400, &p->cfg->sip.retry_after);
}

static int s_invite_timeout(struct parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.invite_timeout_line, key);
	return parse_uint(p, key, value, 1, 3600000, &p->cfg->sip.invite_timeout);
}

static int s_interwork_timeout(struct parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.interwork_timeout_line, key);
	return parse_uint(p, key, value, 1, 3600000, &p->cfg->sip.interwork_timeout);
}

/* yes|no (also true/false, on/off, 1/0). */
static int parse_bool(struct parser *p, const char *key, const char *value, int *ret)
{
	if (cw_bridge_name_value(cw_bridge_bool_names, value, ret) == 0)
		return 0;
	return fail(p, p->lineno, CW_ESYNTAX, "%s: '%s' is not yes or no", key, value);
}

static struct cw_bridge_span *cur_span(struct parser *p)
{
	return &p->cfg->spans[p->sec_index];
}

static struct cw_bridge_route *cur_route(struct parser *p)
{
	return &p->cfg->routes[p->sec_index];
}

static int sp_switchtype(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_span *sp = cur_span(p);
	int v;

	ONCE(p, sp->switchtype_line, key);
	if (lookup_name(p, key, cw_bridge_switchtype_names, value, &v) < 0)
		return p->err;
	sp->switchtype = (enum cw_bridge_switchtype)v;
	return 0;
}

static int sp_signalling(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_span *sp = cur_span(p);
	int v;

	ONCE(p, sp->signalling_line, key);
	if (strncasecmp(value, "bri_", 4) == 0)
		return fail(p, p->lineno, CW_ENOENT,
		            "signalling '%s': BRI is not supported (pri_cpe or pri_net)", value);
	if (lookup_name(p, key, cw_bridge_signalling_names, value, &v) < 0)
		return p->err;
	sp->signalling = (enum cw_bridge_signalling)v;
	return 0;
}

static int sp_dchannel(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_span *sp = cur_span(p);
	unsigned long ch;

	ONCE(p, sp->dchannel_line, key);
	if (strncasecmp(value, "socket:", 7) == 0) {
		if (!value[7])
			return fail(p, p->lineno, CW_ESYNTAX, "dchannel: socket: needs a path");
		sp->dchannel_kind = CW_BRIDGE_DCHAN_SOCKET;
		return resolve_path(p, key, value + 7, CW_BRIDGE_MAX_SOCKET_PATH, &sp->dchannel_path);
	}
	if (strncasecmp(value, "dahdi:", 6) == 0) {
		if (parse_ulong(p, "dchannel dahdi channel", value + 6, 1, CW_BRIDGE_MAX_DAHDI_CHANNEL,
		                &ch) < 0)
			return p->err;
		sp->dchannel_kind = CW_BRIDGE_DCHAN_DAHDI;
		sp->dchannel_channo = (unsigned)ch;
		return 0;
	}
	if (strspn(value, "0123456789") == strlen(value))
		return fail(p, p->lineno, CW_ESYNTAX,
		            "dchannel: '%s' has no source (did you mean 'dahdi:%s'?)", value, value);
	return fail(p, p->lineno, CW_ESYNTAX,
	            "dchannel: '%s' is not socket:PATH or dahdi:CHANNEL", value);
}

static int sp_bchannels(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_span *sp = cur_span(p);
	char msg[160];
	int r;

	ONCE(p, sp->bchannels_line, key);
	r = cw_bridge_channels_parse(value, &sp->bchannels, msg, sizeof(msg));
	if (r < 0)
		return fail(p, p->lineno, r, "bchannels: %s", msg);
	return 0;
}

static int sp_group(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_span *sp = cur_span(p);

	ONCE(p, sp->group_line, key);
	if (!valid_name(value))
		return fail(p, p->lineno, CW_ESYNTAX,
		            "group: '%s' is not a group name (1-%d of A-Z a-z 0-9 _ - .)", value,
		            CW_BRIDGE_MAX_NAME);
	return set_str(p, &sp->group, value);
}

static int sp_profile(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_span *sp = cur_span(p);

	ONCE(p, sp->profile_line, key);
	if (check_profile(p, value) < 0)
		return p->err;
	return set_str(p, &sp->profile_name, value);
}

static int sp_overrides(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_span *sp = cur_span(p);

	ONCE(p, sp->overrides_line, key);
	if (!*value) /* "overrides =": none, even if [general] has one */
		return 0;
	return resolve_path(p, key, value, CW_BRIDGE_MAX_PATH, &sp->overrides);
}

static int sp_location(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_span *sp = cur_span(p);
	int loc;

	ONCE(p, sp->location_line, key);
	if (cw_location_from_name(value, strlen(value), &loc) < 0)
		return fail(p, p->lineno, CW_ENOENT,
		            "location: '%s' is not an RFC 8606 location "
		            "(U, LPN, LN, TN, RLN, RPN, INTL, BI) or 0-15",
		            value);
	sp->location = loc;
	return 0;
}

static int sp_early_release(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_span *sp = cur_span(p);

	ONCE(p, sp->early_release_line, key);
	return parse_bool(p, key, value, &sp->early_release);
}

static int sp_timer(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_span *sp = cur_span(p);
	unsigned long v;
	int i;

	if (cw_bridge_name_value(cw_bridge_timer_names, key, &i) < 0) /* span_keys has only timers here */
		return fail(p, p->lineno, CW_ENOENT, "unknown timer '%s'", key);
	ONCE(p, sp->timer_lines[i], key);
	if (parse_ulong(p, key, value, (unsigned long)timer_ranges[i].min,
	                (unsigned long)timer_ranges[i].max, &v) < 0)
		return p->err;
	sp->timers[i] = (long)v;
	return 0;
}

static int r_match(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_route *r = cur_route(p);

	ONCE(p, r->match_line, key);
	if (strcmp(value, "*") == 0)
		return set_str(p, &r->match, "");
	if (!valid_digits(value, 1))
		return fail(p, p->lineno, CW_ESYNTAX,
		            "match: '%s' is not '*' or a number prefix (1-%d of 0-9 + * #)", value,
		            CW_BRIDGE_MAX_NUMBER);
	return set_str(p, &r->match, value);
}

static int r_target(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_route *r = cur_route(p);

	if (r->group_line)
		return fail(p, p->lineno, CW_ESYNTAX,
		            "%s: target= (ISDN->SIP) and group= (SIP->ISDN, line %u) cannot be in one route",
		            p->sec_text, r->group_line);
	if (r->n_targets >= CW_BRIDGE_MAX_TARGETS)
		return fail(p, p->lineno, CW_ELIMIT, "%s: more than %d targets", p->sec_text,
		            CW_BRIDGE_MAX_TARGETS);
	if (parse_target(p, value, &r->targets[r->n_targets]) < 0) {
		free(r->targets[r->n_targets].host);
		free(r->targets[r->n_targets].uri);
		memset(&r->targets[r->n_targets], 0, sizeof(r->targets[0]));
		return p->err;
	}
	r->n_targets++;
	r->direction = CW_BRIDGE_ISDN_TO_SIP;
	return 0;
}

static int r_group(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_route *r = cur_route(p);

	if (r->n_targets)
		return fail(p, p->lineno, CW_ESYNTAX,
		            "%s: group= (SIP->ISDN) and target= (ISDN->SIP, line %u) cannot be in one route",
		            p->sec_text, r->targets[0].line);
	ONCE(p, r->group_line, key);
	if (!valid_name(value))
		return fail(p, p->lineno, CW_ESYNTAX, "group: '%s' is not a group name", value);
	r->direction = CW_BRIDGE_SIP_TO_ISDN;
	return set_str(p, &r->group, value);
}

static int r_strip(struct parser *p, const char *key, const char *value)
{
	ONCE(p, cur_route(p)->strip_line, key);
	return parse_uint(p, key, value, 0, CW_BRIDGE_MAX_NUMBER, &cur_route(p)->strip);
}

static int r_prefix(struct parser *p, const char *key, const char *value)
{
	ONCE(p, cur_route(p)->prefix_line, key);
	if (!valid_digits(value, 0))
		return fail(p, p->lineno, CW_ESYNTAX,
		            "prefix: '%s' is not a number prefix (0-%d of 0-9 + * #)", value,
		            CW_BRIDGE_MAX_NUMBER);
	return set_str(p, &cur_route(p)->prefix, value);
}

static int r_ton(struct parser *p, const char *key, const char *value)
{
	int v;

	ONCE(p, cur_route(p)->ton_line, key);
	if (lookup_name(p, key, cw_bridge_ton_names, value, &v) < 0)
		return p->err;
	cur_route(p)->ton = (enum cw_bridge_ton)v;
	return 0;
}

static int r_npi(struct parser *p, const char *key, const char *value)
{
	int v;

	ONCE(p, cur_route(p)->npi_line, key);
	if (lookup_name(p, key, cw_bridge_npi_names, value, &v) < 0)
		return p->err;
	cur_route(p)->npi = (enum cw_bridge_npi)v;
	return 0;
}

static int r_trust_identity(struct parser *p, const char *key, const char *value)
{
	ONCE(p, cur_route(p)->trust_identity_line, key);
	return parse_bool(p, key, value, &cur_route(p)->trust_identity);
}

/* ADDR or ADDR/LEN, IPv4 or IPv6 (no brackets); host bits must be zero. */
static int parse_cidr(struct parser *p, const char *text, struct cw_bridge_cidr *c)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	unsigned long len;
	unsigned i;

	memset(c, 0, sizeof(*c));
	if (n == 0 || n >= sizeof(addr))
		return fail(p, p->lineno, CW_ESYNTAX, "trusted_peers: '%s' is not an address", text);
	memcpy(addr, text, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, c->addr) == 1)
		c->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, c->addr) == 1)
		c->family = AF_INET6;
	else
		return fail(p, p->lineno, CW_ESYNTAX,
		            "trusted_peers: '%s' is not an IPv4 or IPv6 address (names are not resolved)",
		            addr);
	c->prefix = c->family == AF_INET ? 32 : 128;
	if (slash) {
		if (parse_ulong(p, "trusted_peers prefix length", slash + 1, 0, c->prefix, &len) < 0)
			return p->err;
		c->prefix = (unsigned)len;
	}
	for (i = c->prefix; i < (c->family == AF_INET ? 32u : 128u); i++)
		if (c->addr[i / 8] & (0x80 >> (i % 8)))
			return fail(p, p->lineno, CW_ESYNTAX,
			            "trusted_peers: '%s' has bits set past /%u", text, c->prefix);
	return 0;
}

static int r_trusted_peers(struct parser *p, const char *key, const char *value)
{
	struct cw_bridge_route *r = cur_route(p);
	char buf[CW_BRIDGE_MAX_LINE + 1], *save = NULL, *tok;

	ONCE(p, r->trusted_peers_line, key);
	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		if (r->n_trusted_peers >= CW_BRIDGE_MAX_PEERS)
			return fail(p, p->lineno, CW_ELIMIT, "%s: more than %d trusted_peers", p->sec_text,
			            CW_BRIDGE_MAX_PEERS);
		if (parse_cidr(p, tok, &r->trusted_peers[r->n_trusted_peers]) < 0)
			return p->err;
		r->n_trusted_peers++;
	}
	if (!r->n_trusted_peers)
		return fail(p, p->lineno, CW_ESYNTAX, "trusted_peers: no address");
	return 0;
}

static const struct key_def general_keys[] = {
	{"log_level", g_log_level}, {"pidfile", g_pidfile}, {"cdr_file", g_cdr_file},
	{"profile", g_profile},     {"overrides", g_overrides}, {NULL, NULL}};

static const struct key_def sip_keys[] = {
	{"bind", s_bind},             {"port", s_port},
	{"transport", s_transport},   {"user_agent", s_user_agent},
	{"retry_after", s_retry_after}, {"invite_timeout", s_invite_timeout},
	{"interwork_timeout", s_interwork_timeout}, {NULL, NULL}};

static const struct key_def span_keys[] = {
	{"switchtype", sp_switchtype}, {"signalling", sp_signalling}, {"dchannel", sp_dchannel},
	{"bchannels", sp_bchannels},   {"group", sp_group},           {"profile", sp_profile},
	{"overrides", sp_overrides},   {"location", sp_location},     {"t200", sp_timer},
	{"t203", sp_timer},            {"t303", sp_timer},            {"t305", sp_timer},
	{"t301", sp_timer},
	{"t308", sp_timer},            {"t309", sp_timer},            {"t310", sp_timer},
	{"t313", sp_timer},            {"t316", sp_timer},            {"n200", sp_timer},
	{"k", sp_timer},               {"early_release", sp_early_release}, {NULL, NULL}};

static const struct key_def route_keys[] = {
	{"match", r_match}, {"target", r_target}, {"group", r_group}, {"strip", r_strip},
	{"prefix", r_prefix}, {"ton", r_ton},     {"npi", r_npi},
	{"trust_identity", r_trust_identity},     {"trusted_peers", r_trusted_peers}, {NULL, NULL}};

static int handle_key(struct parser *p, const char *name, const char *value)
{
	const struct key_def *keys, *k;
	const char *cands[32], *hint;
	size_t n = 0;

	switch (p->sec) {
	case SEC_GENERAL:
		keys = general_keys;
		break;
	case SEC_SIP:
		keys = sip_keys;
		break;
	case SEC_SPAN:
		keys = span_keys;
		break;
	case SEC_ROUTE:
		keys = route_keys;
		break;
	case SEC_NONE:
	default:
		return fail(p, p->lineno, CW_ESYNTAX, "'%s' is outside of any [section]", name);
	}
	for (k = keys; k->name; k++) {
		if (strcasecmp(k->name, name) == 0) {
			if (!*value && k->fn != sp_overrides && k->fn != r_prefix)
				return fail(p, p->lineno, CW_ESYNTAX, "%s: empty value", k->name);
			return k->fn(p, k->name, value);
		}
		if (n < 32)
			cands[n++] = k->name;
	}
	hint = closest(name, cands, n);
	if (hint)
		return fail(p, p->lineno, CW_ENOENT, "unknown key '%s' in %s (did you mean '%s'?)",
		            name, p->sec_text, hint);
	return fail(p, p->lineno, CW_ENOENT, "unknown key '%s' in %s", name, p->sec_text);
}

static int key_handler(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;

	(void)section; /* the reader tracks the section (and its line) itself */
	if (p->err)
		return 0;
	return handle_key(p, name, value) == 0;
}

/* ---- sections ---- */

static int open_span(struct parser *p, const char *arg)
{
	struct cw_bridge_config *cfg = p->cfg;
	struct cw_bridge_span *sp;
	unsigned long num;
	size_t i;

	if (!*arg)
		return fail(p, p->lineno, CW_ESYNTAX, "[span] needs a span number: [span 1]");
	if (parse_ulong(p, "span number", arg, 1, CW_BRIDGE_MAX_SPAN_NUMBER, &num) < 0)
		return p->err;
	for (i = 0; i < cfg->n_spans; i++)
		if (cfg->spans[i].number == num)
			return fail(p, p->lineno, CW_EDUPLICATE, "[span %lu] is defined twice (first at line %u)",
			            num, cfg->spans[i].line);
	if (cfg->n_spans >= CW_BRIDGE_MAX_SPANS)
		return fail(p, p->lineno, CW_ELIMIT, "more than %d spans", CW_BRIDGE_MAX_SPANS);
	if (cfg->n_spans == p->span_cap) {
		size_t cap = p->span_cap ? p->span_cap * 2 : 4;
		void *n = realloc(cfg->spans, cap * sizeof(*cfg->spans));
		if (!n)
			return fail(p, p->lineno, CW_ENOMEM, "out of memory");
		cfg->spans = n;
		p->span_cap = cap;
	}
	sp = &cfg->spans[cfg->n_spans];
	memset(sp, 0, sizeof(*sp));
	sp->number = (unsigned)num;
	sp->line = p->lineno;
	for (i = 0; i < CW_BRIDGE_TIMER_COUNT; i++)
		sp->timers[i] = -1;
	sp->early_release = 1;
	p->sec_index = cfg->n_spans++;
	p->sec = SEC_SPAN;
	snprintf(p->sec_text, sizeof(p->sec_text), "[span %lu]", num);
	return 0;
}

static int open_route(struct parser *p, const char *arg)
{
	struct cw_bridge_config *cfg = p->cfg;
	struct cw_bridge_route *r;
	size_t i;

	if (!*arg)
		return fail(p, p->lineno, CW_ESYNTAX, "[route] needs a name: [route NAME]");
	if (!valid_name(arg))
		return fail(p, p->lineno, CW_ESYNTAX,
		            "[route %s]: a route name is 1-%d of A-Z a-z 0-9 _ - .", arg,
		            CW_BRIDGE_MAX_NAME);
	for (i = 0; i < cfg->n_routes; i++)
		if (strcmp(cfg->routes[i].name, arg) == 0)
			return fail(p, p->lineno, CW_EDUPLICATE,
			            "[route %s] is defined twice (first at line %u)", arg,
			            cfg->routes[i].line);
	if (cfg->n_routes >= CW_BRIDGE_MAX_ROUTES)
		return fail(p, p->lineno, CW_ELIMIT, "more than %d routes", CW_BRIDGE_MAX_ROUTES);
	if (cfg->n_routes == p->route_cap) {
		size_t cap = p->route_cap ? p->route_cap * 2 : 8;
		void *n = realloc(cfg->routes, cap * sizeof(*cfg->routes));
		if (!n)
			return fail(p, p->lineno, CW_ENOMEM, "out of memory");
		cfg->routes = n;
		p->route_cap = cap;
	}
	r = &cfg->routes[cfg->n_routes];
	memset(r, 0, sizeof(*r));
	r->line = p->lineno;
	r->ton = CW_BRIDGE_TON_UNKNOWN;
	r->npi = CW_BRIDGE_NPI_ISDN;
	r->name = dup_str(p, arg);
	if (!r->name)
		return p->err;
	p->sec_index = cfg->n_routes++;
	p->sec = SEC_ROUTE;
	snprintf(p->sec_text, sizeof(p->sec_text), "[route %s]", arg);
	return 0;
}

/* A section header line ("[...]", leading blanks already gone). */
static int open_section(struct parser *p, const char *line)
{
	char name[64], word[16];
	const char *end = strchr(line, ']'), *arg, *rest;
	size_t len, wl;
	static const char *const sections[] = {"general", "sip", "span", "route"};

	if (!end)
		return fail(p, p->lineno, CW_ESYNTAX, "section header without ']'");
	for (rest = end + 1; *rest == ' ' || *rest == '\t'; rest++)
		;
	if (*rest && *rest != ';' && *rest != '#' && *rest != '\r' && *rest != '\n')
		return fail(p, p->lineno, CW_ESYNTAX, "text after the section header");
	/* trim and collapse: "[ span   1 ]" -> "span 1" */
	while (line[1] == ' ' || line[1] == '\t')
		line++;
	len = (size_t)(end - (line + 1));
	while (len && (line[len] == ' ' || line[len] == '\t'))
		len--;
	if (len >= sizeof(name))
		return fail(p, p->lineno, CW_ELIMIT, "section name longer than %zu characters",
		            sizeof(name) - 1);
	memcpy(name, line + 1, len);
	name[len] = '\0';
	wl = strcspn(name, " \t:");
	arg = name + wl;
	while (*arg == ' ' || *arg == '\t' || *arg == ':')
		arg++;
	if (wl >= sizeof(word))
		wl = sizeof(word) - 1;
	memcpy(word, name, wl);
	word[wl] = '\0';

	if (strcasecmp(word, "general") == 0 || strcasecmp(word, "sip") == 0) {
		int gen = tolower((unsigned char)word[0]) == 'g';
		unsigned *seen = gen ? &p->general_line : &p->sip_line;
		if (*arg)
			return fail(p, p->lineno, CW_ESYNTAX, "[%s] takes no argument", word);
		if (*seen)
			return fail(p, p->lineno, CW_EDUPLICATE,
			            "[%s] is defined twice (first at line %u)", gen ? "general" : "sip",
			            *seen);
		*seen = p->lineno;
		p->sec = gen ? SEC_GENERAL : SEC_SIP;
		snprintf(p->sec_text, sizeof(p->sec_text), "[%s]", gen ? "general" : "sip");
		return 0;
	}
	if (strcasecmp(word, "span") == 0)
		return open_span(p, arg);
	if (strcasecmp(word, "route") == 0)
		return open_route(p, arg);
	{
		const char *hint = closest(word, sections, 4);
		if (hint)
			return fail(p, p->lineno, CW_ENOENT, "unknown section [%s] (did you mean [%s%s]?)",
			            name, hint,
			            strcmp(hint, "span") == 0 ? " N" : strcmp(hint, "route") == 0 ? " NAME" : "");
		return fail(p, p->lineno, CW_ENOENT,
		            "unknown section [%s] (sections: general, sip, span N, route NAME)", name);
	}
}

/* inih's fgets-like reader over the in-memory text. */
static char *line_reader(char *str, int num, void *stream)
{
	struct parser *p = stream;
	const char *s, *nl;
	size_t len, max;

	if (p->err || p->pos >= p->len)
		return NULL;
	s = p->text + p->pos;
	nl = memchr(s, '\n', p->len - p->pos);
	len = nl ? (size_t)(nl - s) : p->len - p->pos;
	p->pos += len + (nl ? 1 : 0);
	p->lineno++;
	if (len && s[len - 1] == '\r')
		len--;
	if (p->lineno == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (memchr(s, '\0', len)) {
		fail(p, p->lineno, CW_ESYNTAX, "NUL byte in line");
		return NULL;
	}
	max = num > 3 ? (size_t)num - 3 : 0;
	if (max > CW_BRIDGE_MAX_LINE)
		max = CW_BRIDGE_MAX_LINE;
	if (len > max) {
		fail(p, p->lineno, CW_ELIMIT, "line longer than %zu characters", max);
		return NULL;
	}
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	memcpy(str, s, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	if (str[0] == '[' && open_section(p, str) < 0)
		return NULL;
	return str;
}

/* ---- files ---- */

static int read_file(const char *path, char **ret_text, size_t *ret_len, char *msg, size_t msg_len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f) {
		snprintf(msg, msg_len, "cannot open '%s': %s", path, strerror(errno));
		return errno == ENOENT ? CW_ENOENT : CW_EINVAL;
	}
	buf = malloc(CW_BRIDGE_MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		snprintf(msg, msg_len, "out of memory");
		return CW_ENOMEM;
	}
	n = fread(buf, 1, CW_BRIDGE_MAX_FILE + 1, f);
	if (ferror(f)) {
		snprintf(msg, msg_len, "cannot read '%s': %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return CW_EINVAL;
	}
	fclose(f);
	if (n > CW_BRIDGE_MAX_FILE) {
		snprintf(msg, msg_len, "'%s' is larger than %d bytes", path, CW_BRIDGE_MAX_FILE);
		free(buf);
		return CW_ELIMIT;
	}
	buf[n] = '\0';
	*ret_text = buf;
	*ret_len = n;
	return 0;
}

/* ---- checks after the whole file ---- */

static int load_profile(struct parser *p, struct cw_bridge_span *sp)
{
	const cw_profile *base;
	cw_profile *over;
	char *text, msg[CW_DIAG_MESSAGE_MAX];
	size_t len;
	unsigned line = sp->overrides_line ? sp->overrides_line : p->cfg->general.overrides_line;
	int r;

	if (cw_profile_get(sp->profile_name, &base) < 0)
		return fail(p, sp->profile_line ? sp->profile_line : p->cfg->general.profile_line,
		            CW_ENOENT, "unknown profile '%s'", sp->profile_name);
	sp->profile = base;
	if (!sp->overrides)
		return 0;
	r = read_file(sp->overrides, &text, &len, msg, sizeof(msg));
	if (r < 0)
		return fail(p, line, r, "overrides: %s", msg);
	r = cw_profile_overlay(&over, base, sp->overrides, text, len, &p->diag);
	free(text);
	if (r < 0) {
		/* keep the override file's own FILE:LINE:COL */
		p->err = r;
		p->diag.code = r;
		return r;
	}
	sp->profile = over;
	return 0;
}

static int finish(struct parser *p)
{
	struct cw_bridge_config *cfg = p->cfg;
	unsigned isdn_routes = 0, sip_routes = 0;
	size_t i, j;

	/* [general] and [sip] defaults */
	if (!cfg->general.profile_name && set_str(p, &cfg->general.profile_name, CW_PROFILE_DEFAULT))
		return p->err;
	if (!cfg->sip.bind) {
		if (set_str(p, &cfg->sip.bind, "0.0.0.0"))
			return p->err;
		cfg->sip.bind_family = AF_INET;
	}
	if (!cfg->sip.user_agent && set_str(p, &cfg->sip.user_agent, "causeway-bridge/" CW_VERSION_STRING))
		return p->err;

	if (cfg->n_spans == 0)
		return fail(p, p->lineno ? p->lineno : 1, CW_EMISSING,
		            "no [span N] section: at least one span is required");

	for (i = 0; i < cfg->n_spans; i++) {
		struct cw_bridge_span *sp = &cfg->spans[i];
		static const char *const required[] = {"switchtype", "signalling", "dchannel",
		                                       "bchannels"};
		const unsigned lines[] = {sp->switchtype_line, sp->signalling_line, sp->dchannel_line,
		                          sp->bchannels_line};
		char num[16];

		for (j = 0; j < 4; j++)
			if (!lines[j])
				return fail(p, sp->line, CW_EMISSING, "[span %u]: '%s' is missing",
				            sp->number, required[j]);
		if (!sp->bchannels)
			return fail(p, sp->bchannels_line, CW_EMISSING, "[span %u]: no B-channels",
			            sp->number);
		if ((sp->bchannels & (1UL << 16)) && (sp->bchannels & ~((1UL << 25) - 1)))
			warn(p, sp->bchannels_line,
			     "[span %u]: channel 16 is listed as a B-channel of what looks like "
			     "an E1 span (timeslot 16 is the E1 D-channel)",
			     sp->number);
		if (!sp->group) {
			snprintf(num, sizeof(num), "%u", sp->number);
			if (set_str(p, &sp->group, num))
				return p->err;
		}
		if (!sp->location_line)
			sp->location = sp->signalling == CW_BRIDGE_PRI_NET ? CW_LOC_LN : CW_LOC_LPN;
		if (!sp->profile_name && set_str(p, &sp->profile_name, cfg->general.profile_name))
			return p->err;
		if (!sp->overrides_line && cfg->general.overrides &&
		    set_str(p, &sp->overrides, cfg->general.overrides))
			return p->err;
		for (j = 0; j < i; j++) {
			const struct cw_bridge_span *o = &cfg->spans[j];
			if (o->dchannel_kind != sp->dchannel_kind)
				continue;
			if (sp->dchannel_kind == CW_BRIDGE_DCHAN_DAHDI
			        ? o->dchannel_channo == sp->dchannel_channo
			        : strcmp(o->dchannel_path, sp->dchannel_path) == 0)
				return fail(p, sp->dchannel_line, CW_EDUPLICATE,
				            "[span %u]: the same dchannel as [span %u] (line %u)", sp->number,
				            o->number, o->dchannel_line);
		}
	}

	for (i = 0; i < cfg->n_routes; i++) {
		struct cw_bridge_route *r = &cfg->routes[i];

		if (!r->n_targets && !r->group_line)
			return fail(p, r->line, CW_EMISSING,
			            "[route %s]: needs target= (ISDN->SIP) or group= (SIP->ISDN)", r->name);
		if (!r->match_line)
			return fail(p, r->line, CW_EMISSING,
			            "[route %s]: 'match' is missing (a number prefix, or * for any)",
			            r->name);
		if (!r->prefix && set_str(p, &r->prefix, ""))
			return p->err;
		if (r->direction == CW_BRIDGE_ISDN_TO_SIP) {
			isdn_routes++;
			if (r->ton_line || r->npi_line)
				return fail(p, r->ton_line ? r->ton_line : r->npi_line, CW_ESYNTAX,
				            "[route %s]: ton/npi apply to SIP->ISDN routes only (SIP has no type of number)",
				            r->name);
			if (r->trusted_peers_line)
				return fail(p, r->trusted_peers_line, CW_ESYNTAX,
				            "[route %s]: trusted_peers applies to SIP->ISDN routes (whose "
				            "P-Asserted-Identity to believe); use trust_identity = yes",
				            r->name);
			for (j = 0; j < r->n_targets; j++)
				if (!(cfg->sip.transports & r->targets[j].transport))
					warn(p, r->targets[j].line,
					     "[route %s]: target uses %s, which [sip] transport does not listen on",
					     r->name,
					     cw_bridge_name_of(cw_bridge_transport_names,
					                       (int)r->targets[j].transport));
		} else {
			sip_routes++;
			if (r->trust_identity_line)
				return fail(p, r->trust_identity_line, CW_ESYNTAX,
				            "[route %s]: trust_identity applies to ISDN->SIP routes (whom "
				            "to send P-Asserted-Identity); use trusted_peers = ADDR[/LEN],...",
				            r->name);
			if (strchr(r->prefix, '+'))
				return fail(p, r->prefix_line, CW_ESYNTAX,
				            "[route %s]: '+' is not a Q.931 digit; use ton = international",
				            r->name);
			for (j = 0; j < cfg->n_spans; j++)
				if (strcmp(cfg->spans[j].group, r->group) == 0)
					break;
			if (j == cfg->n_spans)
				return fail(p, r->group_line, CW_ENOENT,
				            "[route %s]: no span has group '%s'", r->name, r->group);
		}
		for (j = 0; j < i; j++) {
			const struct cw_bridge_route *o = &cfg->routes[j];
			if (o->direction == r->direction && strcmp(o->match, r->match) == 0)
				return fail(p, r->match_line, CW_EDUPLICATE,
				            "[route %s]: the same %s match as [route %s] (line %u)", r->name,
				            cw_bridge_direction_name(r->direction), o->name, o->match_line);
		}
	}
	if (!isdn_routes)
		warn(p, 0, "no ISDN->SIP route (target=): every call from ISDN is rejected");
	if (!sip_routes)
		warn(p, 0, "no SIP->ISDN route (group=): every call from SIP is rejected");

	for (i = 0; i < cfg->n_spans; i++)
		if (load_profile(p, &cfg->spans[i]) < 0)
			return p->err;
	return 0;
}

/* ---- entry points ---- */

static int load_text(const char *text, size_t len, const char *filename,
                     struct cw_bridge_config **ret, cw_diag *diag)
{
	struct parser p;
	const char *slash;
	int r;

	memset(&p, 0, sizeof(p));
	p.filename = filename;
	p.text = text;
	p.len = len;
	slash = strrchr(filename, '/');
	if (slash) {
		size_t dl = slash == filename ? 1 : (size_t)(slash - filename);
		if (dl > CW_BRIDGE_MAX_PATH)
			dl = CW_BRIDGE_MAX_PATH;
		memcpy(p.dir, filename, dl);
		p.dir[dl] = '\0';
		if (strcmp(p.dir, "/") == 0)
			p.dir[0] = '\0'; /* "/x" + "/" would give "//x"; absolute anyway */
	}
	p.cfg = calloc(1, sizeof(*p.cfg));
	if (!p.cfg) {
		fail(&p, 0, CW_ENOMEM, "out of memory");
		goto out;
	}
	p.cfg->general.log_level = CW_BRIDGE_LOG_NOTICE;
	p.cfg->sip.port = 5060;
	p.cfg->sip.transports = CW_BRIDGE_TRANSPORT_UDP;
	p.cfg->sip.retry_after = 30;
	p.cfg->sip.invite_timeout = 32000; /* RFC 3261 §17.1.1.2 Timer B = 64*T1 */
	p.cfg->sip.interwork_timeout = 10000; /* the core's INTERWORK default */
	p.cfg->file = strdup(filename);
	if (!p.cfg->file) {
		fail(&p, 0, CW_ENOMEM, "out of memory");
		goto out;
	}

	r = ini_parse_stream(line_reader, &p, key_handler, &p);
	if (r > 0 && (!p.err || (unsigned)r < p.diag.line)) {
		p.err = 0;
		fail(&p, (unsigned)r, CW_ESYNTAX, "expected 'key = value' or '[section]'");
	} else if (r < 0 && !p.err) {
		fail(&p, 0, CW_ENOMEM, "inih failed (%d)", r);
	}
	if (!p.err)
		finish(&p);
out:
	if (p.err) {
		if (diag)
			*diag = p.diag;
		cw_bridge_config_free(p.cfg);
		return p.err;
	}
	*ret = p.cfg;
	return 0;
}

int cw_bridge_config_load_string(const char *text, const char *filename,
                                 struct cw_bridge_config **ret, cw_diag *diag)
{
	if (!text || !filename || !ret)
		return CW_EINVAL;
	return load_text(text, strlen(text), filename, ret, diag);
}

int cw_bridge_config_load(const char *path, struct cw_bridge_config **ret, cw_diag *diag)
{
	char *text;
	size_t len;
	cw_diag d;
	int r;

	if (!path || !ret)
		return CW_EINVAL;
	memset(&d, 0, sizeof(d));
	r = read_file(path, &text, &len, d.message, sizeof(d.message));
	if (r < 0) {
		if (diag) {
			d.code = r;
			snprintf(d.file, sizeof(d.file), "%s", path);
			*diag = d;
		}
		return r;
	}
	r = load_text(text, len, path, ret, diag);
	free(text);
	return r;
}

void cw_bridge_config_free(struct cw_bridge_config *cfg)
{
	size_t i, j;

	if (!cfg)
		return;
	free(cfg->file);
	free(cfg->general.pidfile);
	free(cfg->general.cdr_file);
	free(cfg->general.profile_name);
	free(cfg->general.overrides);
	free(cfg->sip.bind);
	free(cfg->sip.user_agent);
	for (i = 0; i < cfg->n_spans; i++) {
		struct cw_bridge_span *sp = &cfg->spans[i];
		free(sp->dchannel_path);
		free(sp->group);
		free(sp->profile_name);
		free(sp->overrides);
		cw_profile_free(sp->profile);
	}
	free(cfg->spans);
	for (i = 0; i < cfg->n_routes; i++) {
		struct cw_bridge_route *r = &cfg->routes[i];
		free(r->name);
		free(r->match);
		free(r->group);
		free(r->prefix);
		for (j = 0; j < r->n_targets; j++) {
			free(r->targets[j].uri);
			free(r->targets[j].host);
		}
	}
	free(cfg->routes);
	free(cfg);
}
