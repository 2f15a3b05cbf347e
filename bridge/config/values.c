/* SPDX-License-Identifier: MIT */
/*
 * values.c — the value parsers of the keys: numbers, yes/no, words of a
 * name table, paths, profiles, names and digit strings, SIP target URIs,
 * address blocks. Each one reports a bad value at the line being read
 * (cwcfg_fail()) and returns the parser's error.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "common/error.h"
#include "config.h"
#include "name_table.h"
#include "parser.h"
#include "suggest.h"

/* Resolve a relative path against the config file's directory. */
int cwcfg_parse_path(struct cwcfg_parser *p, const char *key, const char *value,
                         size_t max, char **slot)
{
	char buf[2 * CWCFG_MAX_PATH + 2];
	size_t i;

	for (i = 0; value[i]; i++)
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                      "%s: control character in path", key);
	if (value[0] == '/' || !p->dir[0])
		snprintf(buf, sizeof(buf), "%s", value);
	else
		snprintf(buf, sizeof(buf), "%s/%s", p->dir, value);
	if (strlen(buf) > max)
		return cwcfg_fail(p, p->lineno, CWCOM_ELIMIT,
		                      "%s: path '%s' is longer than %zu characters", key, buf, max);
	return cwcfg_set_str(p, slot, buf);
}

int cwcfg_parse_name(struct cwcfg_parser *p, const char *key,
                         const struct cwcfg_name *table, const char *value, int *ret)
{
	const char *cands[16], *hint;
	char list[160];
	size_t n = 0;
	const struct cwcfg_name *t;

	if (cwcfg_name_value(table, value, ret) == 0)
		return 0;
	for (t = table; t->name && n < 16; t++)
		cands[n++] = t->name;
	hint = cwcfg_closest(value, cands, n);
	if (hint)
		return cwcfg_fail(p, p->lineno, -ENOENT,
		                      "unknown %s '%s' (did you mean '%s'?)", key, value, hint);
	cwcfg_name_list(table, list, sizeof(list));
	return cwcfg_fail(p, p->lineno, -ENOENT, "unknown %s '%s' (one of: %s)", key, value,
	                      list);
}

int cwcfg_parse_ulong(struct cwcfg_parser *p, const char *key, const char *value,
                          unsigned long min, unsigned long max, unsigned long *ret)
{
	unsigned long v = 0;
	const char *s;

	if (!*value)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "%s: empty value, want a number",
		                      key);
	for (s = value; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "%s: '%s' is not a number",
			                      key, value);
		if (v > (max - (unsigned long)(*s - '0')) / 10) {
			v = max + 1;
			break;
		}
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v < min || v > max)
		return cwcfg_fail(p, p->lineno, -ERANGE, "%s: %s is out of range %lu-%lu",
		                      key, value, min, max);
	*ret = v;
	return 0;
}

int cwcfg_parse_uint(struct cwcfg_parser *p, const char *key, const char *value,
                         unsigned min, unsigned max, unsigned *ret)
{
	unsigned long v;
	int r = cwcfg_parse_ulong(p, key, value, min, max, &v);

	if (r == 0)
		*ret = (unsigned)v;
	return r;
}

int cwcfg_valid_name(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return 0;
	return n >= 1 && n <= CWCFG_MAX_NAME;
}

int cwcfg_valid_digits(const char *s, size_t min)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!isdigit((unsigned char)*s) && *s != '+' && *s != '*' && *s != '#')
			return 0;
	return n >= min && n <= CWCFG_MAX_NUMBER;
}


static int valid_hostname(const char *h)
{
	size_t n = 0;

	for (; *h; h++, n++)
		if (!isalnum((unsigned char)*h) && *h != '-' && *h != '.')
			return 0;
	return n >= 1 && n <= 253;
}

int cwcfg_parse_target(struct cwcfg_parser *p, const char *value,
                           struct cwcfg_target *t)
{
	char buf[CWCFG_MAX_LINE + 1], *s, *host, *params, *port = NULL;
	unsigned char addr[16];
	unsigned long portnum = 0;

	memset(t, 0, sizeof(*t));
	t->transport = CWCFG_TRANSPORT_UDP;
	t->line = p->lineno;
	if (strncasecmp(value, "sips:", 5) == 0) { /* RFC 5630 §3.1.1: TLS on every hop */
		t->sips = 1;
		t->transport = CWCFG_TRANSPORT_TLS;
		t->transport_given = 1;
	} else if (strncasecmp(value, "sip:", 4) != 0) {
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "target: '%s' is not a sip: or sips: URI (want sip[s]:HOST[:PORT][;transport=udp|tcp|tls])",
		                      value);
	}
	snprintf(buf, sizeof(buf), "%s", value + (t->sips ? 5 : 4));
	s = buf;
	if (strchr(s, '@'))
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "target: '%s' has a user part; give only the host (the user is the called number)",
		                      value);
	params = strchr(s, ';');
	if (params)
		*params++ = '\0';
	if (*s == '[') {
		char *end = strchr(s, ']');
		if (!end)
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "target: '%s': missing ']'",
			                      value);
		*end = '\0';
		host = s + 1;
		if (inet_pton(AF_INET6, host, addr) != 1)
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                      "target: '%s' is not an IPv6 address", host);
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                      "target: '%s': junk after ']'", value);
	} else {
		host = s;
		port = strchr(s, ':');
		if (port)
			*port++ = '\0';
		if (!*host)
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "target: '%s' has no host",
			                      value);
		if (strspn(host, "0123456789.") == strlen(host)) {
			if (inet_pton(AF_INET, host, addr) != 1)
				return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
				                      "target: '%s' is not an IPv4 address", host);
		} else if (!valid_hostname(host)) {
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                      "target: '%s' is not a valid host name", host);
		}
	}
	if (port && cwcfg_parse_ulong(p, "target port", port, 1, 65535, &portnum) < 0)
		return p->err;
	while (params && *params) {
		char *next = strchr(params, ';');
		if (next)
			*next++ = '\0';
		if (strncasecmp(params, "transport=", 10) == 0) {
			const char *tr = params + 10;
			int bit;
			if (cwcfg_name_value(cwcfg_transport_names, tr, &bit) < 0)
				return cwcfg_fail(p, p->lineno, -ENOENT,
				                      "target: transport '%s' is not supported (udp, tcp or tls)",
				                      tr);
			/* RFC 5630 §3.1.3: sips: runs over TLS (transport=tcp says so), never UDP */
			if (t->sips && bit == CWCFG_TRANSPORT_UDP)
				return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
				                      "target: a sips: URI cannot use transport=udp (RFC 5630)");
			t->transport = t->sips ? CWCFG_TRANSPORT_TLS : (unsigned)bit;
			t->transport_given = 1;
		} else {
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                      "target: unknown URI parameter '%s' (only transport=udp|tcp|tls)",
			                      params);
		}
		params = next;
	}
	t->port = (unsigned)portnum;
	t->host = cwcfg_strdup(p, host);
	t->uri = cwcfg_strdup(p, value);
	return p->err;
}

int cwcfg_parse_profile(struct cwcfg_parser *p, const char *value)
{
	const cw_profile *prof;
	char list[128] = "";
	size_t i, used = 0;

	if (cw_profile_get(value, &prof) == 0)
		return 0;
	for (i = 0; i < cw_profile_builtin_count() && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
		                         cw_profile_name(cw_profile_builtin_at(i)));
	return cwcfg_fail(p, p->lineno, -ENOENT, "unknown profile '%s' (one of: %s)", value,
	                      list);
}

/* yes|no (also true/false, on/off, 1/0). */
int cwcfg_parse_bool(struct cwcfg_parser *p, const char *key, const char *value, int *ret)
{
	if (cwcfg_name_value(cwcfg_bool_names, value, ret) == 0)
		return 0;
	return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "%s: '%s' is not yes or no", key, value);
}

