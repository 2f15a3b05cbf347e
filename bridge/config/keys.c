/* SPDX-License-Identifier: MIT */
/*
 * keys.c — the keys of each section (README.md, "Sections and keys"):
 * one table per section of name -> handler. A handler stores its value
 * (parsed by values.c) and the line it came from; a key given twice is an
 * error, except target.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <causeway/q850.h>

#include "common/error.h"
#include "config.h"
#include "name_table.h"
#include "parser.h"
#include "suggest.h"

/* Range of each span timer, by enum cwcfg_timer (names in names.c). */
static const struct {
	long min, max;
} timer_ranges[CWCFG_TIMER_COUNT] = {
	[CWCFG_T200] = {1, 3600000}, /* ms */
	[CWCFG_T203] = {1, 3600000}, /* ms */
	[CWCFG_T303] = {1, 3600000}, /* ms */
	[CWCFG_T305] = {1, 3600000}, /* ms */
	[CWCFG_T308] = {1, 3600000}, /* ms */
	[CWCFG_T309] = {1, 3600000}, /* ms */
	[CWCFG_T310] = {1, 3600000}, /* ms */
	[CWCFG_T313] = {1, 3600000}, /* ms */
	[CWCFG_T316] = {1, 3600000}, /* ms */
	[CWCFG_N200] = {1, 16},      /* count */
	[CWCFG_K] = {1, 127},        /* count */
	[CWCFG_T301] = {1, 3600000}, /* ms */
	[CWCFG_T302] = {1, 3600000}, /* ms */
};

/* ---- the key handlers, by section ---- */

typedef int (*key_fn)(struct cwcfg_parser *p, const char *key, const char *value);

struct key_def {
	const char *name;
	key_fn fn;
};

static int g_log_level(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_general *g = &p->cfg->general;
	int v;

	ONCE(p, g->log_level_line, key);
	if (cwcfg_parse_name(p, key, cwcfg_log_level_names, value, &v) < 0)
		return p->err;
	g->log_level = (enum cwcfg_log_level)v;
	return 0;
}

static int g_pidfile(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.pidfile_line, key);
	return cwcfg_parse_path(p, key, value, CWCFG_MAX_PATH, &p->cfg->general.pidfile);
}

static int g_cdr_file(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.cdr_file_line, key);
	return cwcfg_parse_path(p, key, value, CWCFG_MAX_PATH, &p->cfg->general.cdr_file);
}

static int g_capture(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.capture_line, key);
	return cwcfg_parse_path(p, key, value, CWCFG_MAX_PATH, &p->cfg->general.capture);
}

static int g_capture_max_bytes(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_general *g = &p->cfg->general;

	ONCE(p, g->capture_max_bytes_line, key);
	if (cwcfg_parse_uint(p, key, value, 0, CWCFG_MAX_CAPTURE_BYTES, &g->capture_max_bytes) < 0)
		return p->err;
	if (g->capture_max_bytes && g->capture_max_bytes < CWCFG_MIN_CAPTURE_BYTES)
		return cwcfg_fail(p, p->lineno, -ERANGE,
		                  "capture_max_bytes: %u is below %u (0 = no rotation)",
		                  g->capture_max_bytes, CWCFG_MIN_CAPTURE_BYTES);
	return 0;
}

/* ADDR:PORT or [ADDR6]:PORT, numeric (host names are not resolved). */
static int g_capture_hep(struct cwcfg_parser *p, const char *key, const char *value)
{
	const char *colon = strrchr(value, ':'), *host = value;
	unsigned char addr[16];
	char buf[64];
	size_t n;
	unsigned port;
	int bracketed;

	ONCE(p, p->cfg->general.capture_hep_line, key);
	if (!colon || colon == value)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                  "capture_hep: '%s' is not ADDR:PORT ([ADDR]:PORT for IPv6)", value);
	n = (size_t)(colon - value);
	bracketed = value[0] == '[' && n >= 2 && value[n - 1] == ']';
	if (bracketed) {
		host++;
		n -= 2;
	}
	if (n >= sizeof(buf))
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "capture_hep: address too long");
	memcpy(buf, host, n);
	buf[n] = 0;
	if (inet_pton(bracketed ? AF_INET6 : AF_INET, buf, addr) != 1)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                  "capture_hep: '%s' is not an IPv4 address or a bracketed IPv6 "
		                  "one (host names are not resolved)", buf);
	if (cwcfg_parse_uint(p, key, colon + 1, 1, 65535, &port) < 0)
		return p->err;
	return cwcfg_set_str(p, &p->cfg->general.capture_hep, value);
}

/* ADDR[:PORT], ... (IPv6 as [ADDR6][:PORT]), numeric: the DNS servers asked for the targets'
 * host names (RFC 3263 §4); stored as c-ares's ares_set_servers_ports_csv() wants them. */
static int s_dns_servers(struct cwcfg_parser *p, const char *key, const char *value)
{
	char out[CWCFG_MAX_LINE + 1] = "", item[80], host[80];
	const char *s = value;
	size_t used = 0;

	ONCE(p, p->cfg->sip.dns_servers_line, key);
	while (*s) {
		size_t n = strcspn(s, ","), b = 0, e;
		const char *port = NULL;
		unsigned char addr[16];
		unsigned portnum = 53;
		int v6;

		while (b < n && (s[b] == ' ' || s[b] == '\t'))
			b++;
		e = n;
		while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
		if (e == b || e - b >= sizeof(item))
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                  "dns_servers: '%s' is not a list of ADDR[:PORT]", value);
		memcpy(item, s + b, e - b);
		item[e - b] = 0;
		v6 = item[0] == '[';
		if (v6) {
			char *end = strchr(item, ']');
			if (!end || (end[1] && end[1] != ':'))
				return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
				                  "dns_servers: '%s' is not [ADDR6][:PORT]", item);
			*end = 0;
			port = end[1] ? end + 2 : NULL;
			snprintf(host, sizeof(host), "%s", item + 1);
		} else {
			char *colon = strchr(item, ':');
			if (colon) {
				*colon = 0;
				port = colon + 1;
			}
			snprintf(host, sizeof(host), "%s", item);
		}
		if (inet_pton(v6 ? AF_INET6 : AF_INET, host, addr) != 1)
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                  "dns_servers: '%s' is not an IPv4 address or a bracketed IPv6 "
			                  "one (a server's name cannot be looked up)", host);
		if (port && cwcfg_parse_uint(p, key, port, 1, 65535, &portnum) < 0)
			return p->err;
		used += (size_t)snprintf(out + used, sizeof(out) - used, v6 ? "%s[%s]:%u" : "%s%s:%u",
		                         used ? "," : "", host, portnum);
		if (used >= sizeof(out))
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "dns_servers: too long");
		s += n;
		if (*s == ',')
			s++;
	}
	if (!used)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "dns_servers: empty");
	return cwcfg_set_str(p, &p->cfg->sip.dns_servers, out);
}

static int g_profile(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.profile_line, key);
	if (cwcfg_parse_profile(p, value) < 0)
		return p->err;
	return cwcfg_set_str(p, &p->cfg->general.profile_name, value);
}

static int g_overrides(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.overrides_line, key);
	return cwcfg_parse_path(p, key, value, CWCFG_MAX_PATH, &p->cfg->general.overrides);
}

static int g_dahdi_system_conf(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.dahdi_system_conf_line, key);
	return cwcfg_parse_path(p, key, value, CWCFG_MAX_PATH,
	                            &p->cfg->general.dahdi_system_conf);
}

/* metrics = ADDR:PORT (an IPv6 address in brackets: [::1]:9464), the /metrics server. */
static int g_metrics(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_general *g = &p->cfg->general;
	char host[CWCFG_MAX_LINE + 1];
	unsigned char addr[16];
	const char *colon = strrchr(value, ':'), *port;
	size_t n;

	ONCE(p, g->metrics_line, key);
	if (value[0] == '[') {
		const char *end = strchr(value, ']');

		if (end == NULL || end[1] != ':')
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                  "metrics: '%s' is not ADDR:PORT ([IPv6]:PORT for IPv6)", value);
		n = (size_t)(end - value - 1);
		memcpy(host, value + 1, n);
		port = end + 2;
	} else {
		if (colon == NULL || strchr(value, ':') != colon)
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                  "metrics: '%s' is not ADDR:PORT ([IPv6]:PORT for IPv6)", value);
		n = (size_t)(colon - value);
		memcpy(host, value, n);
		port = colon + 1;
	}
	host[n] = '\0';
	if (inet_pton(AF_INET, host, addr) != 1 && inet_pton(AF_INET6, host, addr) != 1)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                  "metrics: '%s' is not an IPv4 or IPv6 address (host names are not resolved)",
		                  host);
	if (cwcfg_parse_uint(p, key, port, 0, 65535, &g->metrics_port) < 0)
		return p->err;
	return cwcfg_set_str(p, &g->metrics_address, host);
}

static int g_drain_timeout(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.drain_timeout_line, key);
	return cwcfg_parse_uint(p, key, value, 0, CWCFG_MAX_DRAIN_SECONDS,
	                        &p->cfg->general.drain_timeout);
}

static int g_node(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->general.node_line, key);
	if (!cwcfg_valid_name(value))
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                  "node: '%s' is not a node name (1-%d of A-Z a-z 0-9 _ - .)", value,
		                  CWCFG_MAX_NAME);
	return cwcfg_set_str(p, &p->cfg->general.node, value);
}

static int s_bind(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_sip *sip = &p->cfg->sip;
	unsigned char addr[16];

	ONCE(p, sip->bind_line, key);
	if (inet_pton(AF_INET, value, addr) == 1)
		sip->bind_family = AF_INET;
	else if (inet_pton(AF_INET6, value, addr) == 1)
		sip->bind_family = AF_INET6;
	else if (value[0] == '[')
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "bind: write the IPv6 address without brackets");
	else
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "bind: '%s' is not an IPv4 or IPv6 address (host names are not resolved)",
		                      value);
	return cwcfg_set_str(p, &sip->bind, value);
}

/* rtp_ports = LOW-HIGH: even RTP ports and RTP + 1 for RTCP (RFC 3550 §11). */
static int s_rtp_ports(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_sip *sip = &p->cfg->sip;
	unsigned long lo, hi;
	const char *mid;
	char *end;

	ONCE(p, sip->rtp_ports_line, key);
	errno = 0;
	lo = strtoul(value, &end, 10);
	if (end == value || *end != '-' || errno)
		goto bad;
	mid = end + 1;
	hi = strtoul(mid, &end, 10);
	if (end == mid || *end || errno)
		goto bad;
	if (lo < 1024 || hi > 65535 || lo >= hi || (lo + 1) / 2 * 2 + 1 > hi)
		return cwcfg_fail(p, p->lineno, -ERANGE,
		                  "rtp_ports: %lu-%lu holds no even/odd pair within 1024-65535", lo, hi);
	sip->rtp_port_low = (unsigned)lo;
	sip->rtp_port_high = (unsigned)hi;
	return 0;
bad:
	return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "rtp_ports: '%s' is not LOW-HIGH", value);
}

/* media_address: the c= address (RFC 4566 §5.7); a wildcard there would mean hold (RFC 3264 §8.4). */
static int s_media_address(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_sip *sip = &p->cfg->sip;
	unsigned char addr[16];
	static const unsigned char zero[16];

	ONCE(p, sip->media_address_line, key);
	if (inet_pton(AF_INET, value, addr) == 1) {
		if (memcmp(addr, zero, 4) == 0)
			goto wildcard;
	} else if (inet_pton(AF_INET6, value, addr) == 1) {
		if (memcmp(addr, zero, 16) == 0)
			goto wildcard;
	} else {
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                  "media_address: '%s' is not an IPv4 or IPv6 address", value);
	}
	return cwcfg_set_str(p, &sip->media_address, value);
wildcard:
	return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
	                  "media_address: '%s' is a wildcard; a c= line needs the address peers "
	                  "send RTP to", value);
}

static int s_port(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.port_line, key);
	return cwcfg_parse_uint(p, key, value, 1, 65535, &p->cfg->sip.port);
}

/* dtmf: RFC 4733 telephone-events (§2.1, negotiated in SDP) or in-band only. */
static int s_dtmf(struct cwcfg_parser *p, const char *key, const char *value)
{
	int v, rc;

	ONCE(p, p->cfg->sip.dtmf_line, key);
	rc = cwcfg_parse_name(p, key, cwcfg_dtmf_names, value, &v);
	if (rc == 0)
		p->cfg->sip.dtmf = (enum cwcfg_dtmf)v;
	return rc;
}

static int s_transport(struct cwcfg_parser *p, const char *key, const char *value)
{
	char buf[CWCFG_MAX_LINE + 1], *tok, *save = NULL;
	unsigned bits = 0;

	ONCE(p, p->cfg->sip.transports_line, key);
	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		int bit;
		if (cwcfg_name_value(cwcfg_transport_names, tok, &bit) < 0)
			return cwcfg_fail(p, p->lineno, -ENOENT,
			                      "transport: '%s' is not supported (udp, tcp, tls or a list: udp,tcp,tls)",
			                      tok);
		if (bits & (unsigned)bit)
			return cwcfg_fail(p, p->lineno, CWCOM_EDUPLICATE,
			                      "transport: '%s' listed twice", tok);
		bits |= (unsigned)bit;
	}
	if (!bits)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "transport: empty list (udp, tcp, tls or a list: udp,tcp,tls)");
	p->cfg->sip.transports = bits;
	return 0;
}

static int s_user_agent(struct cwcfg_parser *p, const char *key, const char *value)
{
	const char *s;

	ONCE(p, p->cfg->sip.user_agent_line, key);
	if (strlen(value) > 128)
		return cwcfg_fail(p, p->lineno, CWCOM_ELIMIT,
		                      "user_agent: longer than 128 characters");
	for (s = value; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                      "user_agent: only printable ASCII characters are allowed");
	return cwcfg_set_str(p, &p->cfg->sip.user_agent, value);
}

static int s_retry_after(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.retry_after_line, key);
	return cwcfg_parse_uint(p, key, value, 0, 86400, &p->cfg->sip.retry_after);
}

static int s_invite_timeout(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.invite_timeout_line, key);
	return cwcfg_parse_uint(p, key, value, 1, 3600000, &p->cfg->sip.invite_timeout);
}

static int s_interwork_timeout(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, p->cfg->sip.interwork_timeout_line, key);
	return cwcfg_parse_uint(p, key, value, 1, 3600000, &p->cfg->sip.interwork_timeout);
}

/* [sip] flood limits: one handler, a table of ranges (README.md "Limits"). */
static const struct {
	const char *name;
	size_t value, line; /* offsets in struct cwcfg_sip */
	unsigned min, max;
} sip_limits[] = {
	{"source_rate", offsetof(struct cwcfg_sip, source_rate),
	 offsetof(struct cwcfg_sip, source_rate_line), 1, 100000},
	{"source_burst", offsetof(struct cwcfg_sip, source_burst),
	 offsetof(struct cwcfg_sip, source_burst_line), 1, 100000},
	{"source_max_calls", offsetof(struct cwcfg_sip, source_max_calls),
	 offsetof(struct cwcfg_sip, source_max_calls_line), 0, 100000},
	{"block_factor", offsetof(struct cwcfg_sip, block_factor),
	 offsetof(struct cwcfg_sip, block_factor_line), 0, 1000},
	{"block_seconds", offsetof(struct cwcfg_sip, block_seconds),
	 offsetof(struct cwcfg_sip, block_seconds_line), 1, 86400},
	{"max_calls", offsetof(struct cwcfg_sip, max_calls),
	 offsetof(struct cwcfg_sip, max_calls_line), 0, 100000},
	{"no_channel_shed_rate", offsetof(struct cwcfg_sip, no_channel_shed_rate),
	 offsetof(struct cwcfg_sip, no_channel_shed_rate_line), 0, 100000},
};

static int s_limit(struct cwcfg_parser *p, const char *key, const char *value)
{
	char *base = (char *)&p->cfg->sip;
	size_t i;

	for (i = 0; i < sizeof(sip_limits) / sizeof(sip_limits[0]); i++) {
		unsigned *v = (unsigned *)(void *)(base + sip_limits[i].value);
		unsigned *line = (unsigned *)(void *)(base + sip_limits[i].line);

		if (strcmp(sip_limits[i].name, key) != 0)
			continue;
		ONCE(p, *line, key);
		return cwcfg_parse_uint(p, key, value, sip_limits[i].min, sip_limits[i].max, v);
	}
	return cwcfg_fail(p, p->lineno, -ENOENT, "unknown key '%s' in [sip]", key);
}

static struct cwcfg_span *cur_span(struct cwcfg_parser *p)
{
	return &p->cfg->spans[p->sec_index];
}

static struct cwcfg_route *cur_route(struct cwcfg_parser *p)
{
	return &p->cfg->routes[p->sec_index];
}

static int sp_switchtype(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = cur_span(p);
	int v;

	ONCE(p, sp->switchtype_line, key);
	if (cwcfg_parse_name(p, key, cwcfg_switchtype_names, value, &v) < 0)
		return p->err;
	sp->switchtype = (enum cwcfg_switchtype)v;
	return 0;
}

static int sp_signalling(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = cur_span(p);
	int v;

	ONCE(p, sp->signalling_line, key);
	if (strncasecmp(value, "bri_", 4) == 0)
		return cwcfg_fail(p, p->lineno, -ENOENT,
		                      "signalling '%s': BRI is not supported (pri_cpe or pri_net)",
		                      value);
	if (cwcfg_parse_name(p, key, cwcfg_signalling_names, value, &v) < 0)
		return p->err;
	sp->signalling = (enum cwcfg_signalling)v;
	return 0;
}

/* KEY = socket:PATH (dchannel, audio): the path resolved into *ret. */
static int socket_path(struct cwcfg_parser *p, const char *key, const char *value, char **ret)
{
	if (!value[7])
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "%s: socket: needs a path", key);
	return cwcfg_parse_path(p, key, value + 7, CWCFG_MAX_SOCKET_PATH, ret);
}

static int sp_dchannel(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = cur_span(p);
	unsigned long ch;

	ONCE(p, sp->dchannel_line, key);
	if (strncasecmp(value, "socket:", 7) == 0) {
		sp->dchannel_kind = CWCFG_DCHAN_SOCKET;
		return socket_path(p, key, value, &sp->dchannel_path);
	}
	if (strcasecmp(value, "dahdi:auto") == 0) {
		sp->dchannel_kind = CWCFG_DCHAN_DAHDI;
		sp->dchannel_auto = 1; /* resolved by checks.c from system.conf */
		return 0;
	}
	if (strncasecmp(value, "dahdi:", 6) == 0) {
		if (cwcfg_parse_ulong(p, "dchannel dahdi channel", value + 6, 1,
		                          CWCFG_MAX_DAHDI_CHANNEL, &ch) < 0)
			return p->err;
		sp->dchannel_kind = CWCFG_DCHAN_DAHDI;
		sp->dchannel_channo = (unsigned)ch;
		return 0;
	}
	if (strspn(value, "0123456789") == strlen(value))
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "dchannel: '%s' has no source (did you mean 'dahdi:%s'?)",
		                      value, value);
	return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
	                      "dchannel: '%s' is not socket:PATH, dahdi:CHANNEL or dahdi:auto",
	                      value);
}

/* audio = socket:PATH | dahdi | dahdi:FIRST (bridge/pri README "B-channel audio"). */
static int sp_audio(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = cur_span(p);
	unsigned long ch;

	ONCE(p, sp->audio_line, key);
	if (strncasecmp(value, "socket:", 7) == 0) {
		sp->audio_kind = CWCFG_AUDIO_SOCKET;
		return socket_path(p, key, value, &sp->audio_path);
	}
	if (strcasecmp(value, "dahdi") == 0) {
		sp->audio_kind = CWCFG_AUDIO_DAHDI;
		return 0;
	}
	if (strncasecmp(value, "dahdi:", 6) == 0) {
		if (cwcfg_parse_ulong(p, "audio dahdi channel", value + 6, 1,
		                      CWCFG_MAX_DAHDI_CHANNEL, &ch) < 0)
			return p->err;
		sp->audio_kind = CWCFG_AUDIO_DAHDI;
		sp->audio_channo = (unsigned)ch;
		return 0;
	}
	return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
	                  "audio: '%s' is not socket:PATH, dahdi or dahdi:CHANNEL", value);
}

static int sp_bchannels(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = cur_span(p);
	char msg[160];
	int r;

	ONCE(p, sp->bchannels_line, key);
	r = cwcfg_channels_parse(value, &sp->bchannels, msg, sizeof(msg));
	if (r < 0)
		return cwcfg_fail(p, p->lineno, r, "bchannels: %s", msg);
	return 0;
}

static int sp_group(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = cur_span(p);

	ONCE(p, sp->group_line, key);
	if (!cwcfg_valid_name(value))
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "group: '%s' is not a group name (1-%d of A-Z a-z 0-9 _ - .)",
		                      value, CWCFG_MAX_NAME);
	return cwcfg_set_str(p, &sp->group, value);
}

static int sp_profile(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = cur_span(p);

	ONCE(p, sp->profile_line, key);
	if (cwcfg_parse_profile(p, value) < 0)
		return p->err;
	return cwcfg_set_str(p, &sp->profile_name, value);
}

static int sp_overrides(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = cur_span(p);

	ONCE(p, sp->overrides_line, key);
	if (!*value) /* "overrides =": none, even if [general] has one */
		return 0;
	return cwcfg_parse_path(p, key, value, CWCFG_MAX_PATH, &sp->overrides);
}

static int sp_location(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = cur_span(p);
	int loc;

	ONCE(p, sp->location_line, key);
	if (cw_location_from_name(value, strlen(value), &loc) < 0)
		return cwcfg_fail(p, p->lineno, -ENOENT,
		                      "location: '%s' is not an RFC 8606 location "
		                      "(U, LPN, LN, TN, RLN, RPN, INTL, BI) or 0-15",
		                      value);
	sp->location = loc;
	return 0;
}

static int sp_early_release(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = cur_span(p);

	ONCE(p, sp->early_release_line, key);
	return cwcfg_parse_bool(p, key, value, &sp->early_release);
}

static int sp_timer(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_span *sp = cur_span(p);
	unsigned long v;
	int i;

	/* span_keys sends only the timer names here */
	if (cwcfg_name_value(cwcfg_timer_names, key, &i) < 0)
		return cwcfg_fail(p, p->lineno, -ENOENT, "unknown timer '%s'", key);
	ONCE(p, sp->timer_lines[i], key);
	if (cwcfg_parse_ulong(p, key, value, (unsigned long)timer_ranges[i].min,
	                          (unsigned long)timer_ranges[i].max, &v) < 0)
		return p->err;
	sp->timers[i] = (long)v;
	return 0;
}

static int r_match(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_route *r = cur_route(p);

	ONCE(p, r->match_line, key);
	if (strcmp(value, "*") == 0)
		return cwcfg_set_str(p, &r->match, "");
	if (!cwcfg_valid_digits(value, 1))
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "match: '%s' is not '*' or a number prefix (1-%d of 0-9 + * #)",
		                      value, CWCFG_MAX_NUMBER);
	return cwcfg_set_str(p, &r->match, value);
}

static int r_target(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_route *r = cur_route(p);

	if (r->group_line)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "%s: target= (ISDN->SIP) and group= (SIP->ISDN, line %u) cannot be in one route",
		                      p->sec_text, r->group_line);
	if (r->n_targets >= CWCFG_MAX_TARGETS)
		return cwcfg_fail(p, p->lineno, CWCOM_ELIMIT, "%s: more than %d targets",
		                      p->sec_text, CWCFG_MAX_TARGETS);
	if (cwcfg_parse_target(p, value, &r->targets[r->n_targets]) < 0) {
		free(r->targets[r->n_targets].host);
		free(r->targets[r->n_targets].uri);
		memset(&r->targets[r->n_targets], 0, sizeof(r->targets[0]));
		return p->err;
	}
	r->n_targets++;
	r->direction = CWCFG_ISDN_TO_SIP;
	return 0;
}

static int r_group(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_route *r = cur_route(p);

	if (r->n_targets)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "%s: group= (SIP->ISDN) and target= (ISDN->SIP, line %u) cannot be in one route",
		                      p->sec_text, r->targets[0].line);
	ONCE(p, r->group_line, key);
	if (!cwcfg_valid_name(value))
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "group: '%s' is not a group name",
		                      value);
	r->direction = CWCFG_SIP_TO_ISDN;
	return cwcfg_set_str(p, &r->group, value);
}

static int r_strip(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, cur_route(p)->strip_line, key);
	return cwcfg_parse_uint(p, key, value, 0, CWCFG_MAX_NUMBER, &cur_route(p)->strip);
}

static int r_prefix(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, cur_route(p)->prefix_line, key);
	if (!cwcfg_valid_digits(value, 0))
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "prefix: '%s' is not a number prefix (0-%d of 0-9 + * #)",
		                      value, CWCFG_MAX_NUMBER);
	return cwcfg_set_str(p, &cur_route(p)->prefix, value);
}

static int r_ton(struct cwcfg_parser *p, const char *key, const char *value)
{
	int v;

	ONCE(p, cur_route(p)->ton_line, key);
	if (cwcfg_parse_name(p, key, cwcfg_ton_names, value, &v) < 0)
		return p->err;
	cur_route(p)->ton = (enum cwcfg_ton)v;
	return 0;
}

static int r_npi(struct cwcfg_parser *p, const char *key, const char *value)
{
	int v;

	ONCE(p, cur_route(p)->npi_line, key);
	if (cwcfg_parse_name(p, key, cwcfg_npi_names, value, &v) < 0)
		return p->err;
	cur_route(p)->npi = (enum cwcfg_npi)v;
	return 0;
}

static int r_trust_identity(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, cur_route(p)->trust_identity_line, key);
	return cwcfg_parse_bool(p, key, value, &cur_route(p)->trust_identity);
}

/* An ADDR[/LEN] list (bridge/policy cwp_block_list_parse()): allow, trusted_peers. */
static int parse_blocks(struct cwcfg_parser *p, const char *key, const char *value,
                        struct cwp_block *blocks, size_t cap, size_t *n)
{
	char err[CWP_ERROR_MAX];
	int rc = cwp_block_list_parse(value, blocks, cap, n, err, sizeof(err));

	if (rc < 0)
		return cwcfg_fail(p, p->lineno, rc, "%s: %s", key, err);
	return 0;
}

static int r_trusted_peers(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_route *r = cur_route(p);

	ONCE(p, r->trusted_peers_line, key);
	return parse_blocks(p, key, value, r->trusted_peers, CWCFG_MAX_PEERS,
	                    &r->n_trusted_peers);
}

static int r_allow(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_route *r = cur_route(p);

	ONCE(p, r->allow_line, key);
	return parse_blocks(p, key, value, r->allow, CWCFG_MAX_ALLOW, &r->n_allow);
}

static int r_auth(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, cur_route(p)->auth_line, key);
	return cwcfg_parse_path(p, key, value, CWCFG_MAX_PATH, &cur_route(p)->auth);
}

static int r_realm(struct cwcfg_parser *p, const char *key, const char *value)
{
	const char *s;

	ONCE(p, cur_route(p)->realm_line, key);
	/* RFC 3261 §25.1 quoted-string, kept to printable ASCII without '"' and '\' */
	if (strlen(value) > 64)
		return cwcfg_fail(p, p->lineno, CWCOM_ELIMIT, "realm: longer than 64 characters");
	for (s = value; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || *s == '"' || *s == '\\')
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                      "realm: only printable ASCII without '\"' and '\\'");
	return cwcfg_set_str(p, &cur_route(p)->realm, value);
}

/* target_user, target_secret: RFC 3261 §25.1 username / a password, printable ASCII
   (the digest writer quotes them); at most 128 characters. */
static int parse_credential(struct cwcfg_parser *p, const char *key, const char *value,
                            unsigned *line, char **dst)
{
	const char *s;

	ONCE(p, *line, key);
	if (strlen(value) > 128)
		return cwcfg_fail(p, p->lineno, CWCOM_ELIMIT, "%s: longer than 128 characters", key);
	for (s = value; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
			                      "%s: only printable ASCII characters are allowed", key);
	return cwcfg_set_str(p, dst, value);
}

static int r_target_user(struct cwcfg_parser *p, const char *key, const char *value)
{
	return parse_credential(p, key, value, &cur_route(p)->target_user_line,
	                        &cur_route(p)->target_user);
}

static int r_target_secret(struct cwcfg_parser *p, const char *key, const char *value)
{
	return parse_credential(p, key, value, &cur_route(p)->target_secret_line,
	                        &cur_route(p)->target_secret);
}

static int r_deny(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_route *r = cur_route(p);
	char err[CWP_ERROR_MAX];
	int rc;

	ONCE(p, r->deny_line, key);
	rc = cwp_prefix_list_parse(value, CWP_PREFIX_DENY, r->deny, CWCFG_MAX_DENY, &r->n_deny,
	                           err, sizeof(err));
	if (rc < 0)
		return cwcfg_fail(p, p->lineno, rc, "deny: %s", err);
	return 0;
}

static int r_deny_cause(struct cwcfg_parser *p, const char *key, const char *value)
{
	struct cwcfg_route *r = cur_route(p);
	unsigned cause;

	ONCE(p, r->deny_cause_line, key);
	if (cwcfg_parse_uint(p, key, value, 1, CW_Q850_CAUSE_MAX, &cause) < 0)
		return p->err;
	/* Q.850 §2.2.7: 21 call rejected; 57 bearer capability not authorized */
	if (cause != 21 && cause != 57)
		return cwcfg_fail(p, p->lineno, -ERANGE,
		                      "deny_cause: %u is not 21 (call rejected) or 57 (bearer "
		                      "capability not authorized)", cause);
	r->deny_cause = (int)cause;
	return 0;
}

static int r_max_call_seconds(struct cwcfg_parser *p, const char *key, const char *value)
{
	ONCE(p, cur_route(p)->max_call_seconds_line, key);
	return cwcfg_parse_uint(p, key, value, 0, CWCFG_MAX_CALL_SECONDS,
	                            &cur_route(p)->max_call_seconds);
}

/* [register NAME]: the handlers are in register_keys.c */
static const struct key_def register_keys[] = {
	{"registrar", cwcfg_register_key},   {"aor", cwcfg_register_key},
	{"contact_user", cwcfg_register_key}, {"auth_user", cwcfg_register_key},
	{"auth_secret", cwcfg_register_key}, {"expires", cwcfg_register_key},
	{"retry_interval", cwcfg_register_key}, {"retry_max", cwcfg_register_key},
	{NULL, NULL}};

static const struct key_def general_keys[] = {
	{"log_level", g_log_level}, {"pidfile", g_pidfile}, {"cdr_file", g_cdr_file},
	{"profile", g_profile},     {"overrides", g_overrides},
	{"dahdi_system_conf", g_dahdi_system_conf}, {"metrics", g_metrics},
	{"drain_timeout", g_drain_timeout}, {"node", g_node},
	{"capture", g_capture},     {"capture_max_bytes", g_capture_max_bytes},
	{"capture_hep", g_capture_hep}, {NULL, NULL}};

static const struct key_def sip_keys[] = {
	{"bind", s_bind},             {"port", s_port},
	{"transport", s_transport},   {"user_agent", s_user_agent},
	{"retry_after", s_retry_after}, {"invite_timeout", s_invite_timeout},
	{"dns_servers", s_dns_servers},
	{"interwork_timeout", s_interwork_timeout},
	/* TLS keys: tls_keys.c */
	{"tls_port", cwcfg_tls_port_key},         {"tls_certificate", cwcfg_tls_path_key},
	{"tls_private_key", cwcfg_tls_path_key},  {"tls_ca_file", cwcfg_tls_path_key},
	{"tls_ca_dir", cwcfg_tls_path_key},       {"tls_verify_client", cwcfg_tls_verify_key},
	{"tls_min_version", cwcfg_tls_version_key},
	{"source_rate", s_limit},     {"source_burst", s_limit},
	{"source_max_calls", s_limit}, {"block_factor", s_limit},
	{"block_seconds", s_limit},   {"max_calls", s_limit},
	{"no_channel_shed_rate", s_limit},
	/* RFC 4028 keys: session_keys.c */
	{"session_expires", cwcfg_session_expires_key}, {"min_se", cwcfg_min_se_key},
	{"session_refresher", cwcfg_session_refresher_key},
	{"rtp_ports", s_rtp_ports},   {"media_address", s_media_address},
	{"dtmf", s_dtmf},
	/* redirection keys: redirect_keys.c */
	{"redirect_headers", cwcfg_redirect_headers_key}, {"max_redirects", cwcfg_max_redirects_key},
	{NULL, NULL}};

static const struct key_def span_keys[] = {
	{"switchtype", sp_switchtype}, {"signalling", sp_signalling}, {"dchannel", sp_dchannel},
	{"bchannels", sp_bchannels},   {"group", sp_group},           {"profile", sp_profile},
	{"overrides", sp_overrides},   {"location", sp_location},     {"t200", sp_timer},
	{"t203", sp_timer},            {"t303", sp_timer},            {"t305", sp_timer},
	{"t301", sp_timer},            {"t302", sp_timer},
	{"overlap", cwcfg_span_overlap_key}, /* overlap_keys.c */
	{"overlap_method", cwcfg_span_overlap_method_key}, /* overlap_keys.c */
	{"overlap_sending", cwcfg_span_overlap_sending_key}, /* overlap_keys.c */
	{"overlap_sending_digits", cwcfg_span_overlap_sending_digits_key}, /* overlap_keys.c */
	{"hunting", cwcfg_span_hunting_key}, /* hunting_keys.c */
	{"digital", cwcfg_span_digital_key}, /* bearer_keys.c */
	{"t308", sp_timer},            {"t309", sp_timer},            {"t310", sp_timer},
	{"t313", sp_timer},            {"t316", sp_timer},            {"n200", sp_timer},
	{"k", sp_timer},               {"early_release", sp_early_release},
	{"audio", sp_audio},           {NULL, NULL}};

static const struct key_def route_keys[] = {
	{"match", r_match}, {"target", r_target}, {"group", r_group}, {"strip", r_strip},
	{"prefix", r_prefix}, {"ton", r_ton},     {"npi", r_npi},
	{"trust_identity", r_trust_identity},     {"trusted_peers", r_trusted_peers},
	{"allow", r_allow},   {"auth", r_auth},   {"realm", r_realm},  {"deny", r_deny},
	{"deny_cause", r_deny_cause},             {"max_call_seconds", r_max_call_seconds},
	{"target_user", r_target_user},           {"target_secret", r_target_secret},
	{"session_expires", cwcfg_route_session_expires_key}, /* session_keys.c */
	{"digits", cwcfg_route_digits_key},                   /* overlap_keys.c */
	{NULL, NULL}};

int cwcfg_keys_handle(struct cwcfg_parser *p, const char *name, const char *value)
{
	const struct key_def *keys, *k;
	const char *cands[32], *hint;
	size_t n = 0;

	switch (p->sec) {
	case CWCFG_SEC_GENERAL:
		keys = general_keys;
		break;
	case CWCFG_SEC_SIP:
		keys = sip_keys;
		break;
	case CWCFG_SEC_SPAN:
		keys = span_keys;
		break;
	case CWCFG_SEC_ROUTE:
		keys = route_keys;
		break;
	case CWCFG_SEC_REGISTER:
		keys = register_keys;
		break;
	case CWCFG_SEC_NONE:
	default:
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "'%s' is outside of any [section]",
		                      name);
	}
	for (k = keys; k->name; k++) {
		if (strcasecmp(k->name, name) == 0) {
			if (!*value && k->fn != sp_overrides && k->fn != r_prefix)
				return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "%s: empty value",
				                      k->name);
			return k->fn(p, k->name, value);
		}
		if (n < 32)
			cands[n++] = k->name;
	}
	hint = cwcfg_closest(name, cands, n);
	if (hint)
		return cwcfg_fail(p, p->lineno, -ENOENT,
		                      "unknown key '%s' in %s (did you mean '%s'?)", name,
		                      p->sec_text, hint);
	return cwcfg_fail(p, p->lineno, -ENOENT, "unknown key '%s' in %s", name, p->sec_text);
}
