/* SPDX-License-Identifier: MIT */
/*
 * reader.c — reading the file (inih): cwcfg_config_load() and
 * _load_string(), section headers, the FILE:LINE diagnostics and
 * cwcfg_config_free().
 *
 * The file is read into memory and fed to ini_parse_stream() through our
 * own line reader. The reader counts lines (inih's handler gets no line
 * number in Debian's build), enforces the line length limit, strips
 * leading blanks (so inih never joins "continuation" lines) and opens
 * sections itself, so an empty [span N] is still seen and its header line
 * is known. inih then calls the handler for each key = value of the line
 * the reader just returned (keys.c). The first error stops the reader;
 * the checks of checks.c run after the whole file is read.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "common/error.h"
#include "config.h"
#include "parser.h"
#include "suggest.h"

/* ---- diagnostics (parser.h) ---- */

int cwcfg_fail(struct cwcfg_parser *p, unsigned line, int code, const char *fmt, ...)
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

void cwcfg_warn(struct cwcfg_parser *p, unsigned line, const char *fmt, ...)
{
	struct cwcfg_config *cfg = p->cfg;
	va_list ap;

	if (cfg->n_warnings >= CWCFG_MAX_WARNINGS)
		return;
	cfg->warnings[cfg->n_warnings].line = line;
	va_start(ap, fmt);
	vsnprintf(cfg->warnings[cfg->n_warnings].message, CW_DIAG_MESSAGE_MAX, fmt, ap);
	va_end(ap);
	cfg->n_warnings++;
}

char *cwcfg_strdup(struct cwcfg_parser *p, const char *s)
{
	char *d = strdup(s);

	if (!d)
		cwcfg_fail(p, p->lineno, -ENOMEM, "out of memory");
	return d;
}

/* Replace *slot with a copy of s. */
int cwcfg_set_str(struct cwcfg_parser *p, char **slot, const char *s)
{
	char *d = cwcfg_strdup(p, s);

	if (!d)
		return p->err;
	free(*slot);
	*slot = d;
	return 0;
}

/* ---- inih's handler: one key = value ---- */

static int key_handler(void *user, const char *section, const char *name, const char *value)
{
	struct cwcfg_parser *p = user;

	(void)section; /* the reader tracks the section (and its line) itself */
	if (p->err)
		return 0;
	return cwcfg_keys_handle(p, name, value) == 0;
}

/* ---- sections ---- */

/*
 * The array of n elements of size bytes (capacity *cap) with room for one
 * more: itself, or grown (first elements at first, then doubled); NULL
 * with -ENOMEM set if it cannot grow.
 */
static void *room_for_one_more(struct cwcfg_parser *p, void *array, size_t n, size_t *cap,
                               size_t first, size_t size)
{
	size_t want;
	void *grown;

	if (n < *cap)
		return array;
	want = *cap ? *cap * 2 : first;
	grown = realloc(array, want * size);
	if (!grown) {
		cwcfg_fail(p, p->lineno, -ENOMEM, "out of memory");
		return NULL;
	}
	*cap = want;
	return grown;
}

static int open_span(struct cwcfg_parser *p, const char *arg)
{
	struct cwcfg_config *cfg = p->cfg;
	struct cwcfg_span *sp;
	unsigned long num;
	size_t i;

	if (!*arg)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "[span] needs a span number: [span 1]");
	if (cwcfg_parse_ulong(p, "span number", arg, 1, CWCFG_MAX_SPAN_NUMBER, &num) < 0)
		return p->err;
	for (i = 0; i < cfg->n_spans; i++)
		if (cfg->spans[i].number == num)
			return cwcfg_fail(p, p->lineno, CWCOM_EDUPLICATE,
			                      "[span %lu] is defined twice (first at line %u)", num,
			                      cfg->spans[i].line);
	if (cfg->n_spans >= CWCFG_MAX_SPANS)
		return cwcfg_fail(p, p->lineno, CWCOM_ELIMIT, "more than %d spans",
		                      CWCFG_MAX_SPANS);
	sp = room_for_one_more(p, cfg->spans, cfg->n_spans, &p->span_cap, 4, sizeof(*sp));
	if (!sp)
		return p->err;
	cfg->spans = sp;
	sp = &cfg->spans[cfg->n_spans];
	memset(sp, 0, sizeof(*sp));
	sp->number = (unsigned)num;
	sp->line = p->lineno;
	for (i = 0; i < CWCFG_TIMER_COUNT; i++)
		sp->timers[i] = -1;
	sp->early_release = 1;
	sp->overlap_sending_digits = 1;
	sp->digital = 1;
	p->sec_index = cfg->n_spans++;
	p->sec = CWCFG_SEC_SPAN;
	snprintf(p->sec_text, sizeof(p->sec_text), "[span %lu]", num);
	return 0;
}

static int open_route(struct cwcfg_parser *p, const char *arg)
{
	struct cwcfg_config *cfg = p->cfg;
	struct cwcfg_route *r;
	size_t i;

	if (!*arg)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "[route] needs a name: [route NAME]");
	if (!cwcfg_valid_name(arg))
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX,
		                      "[route %s]: a route name is 1-%d of A-Z a-z 0-9 _ - .", arg,
		                      CWCFG_MAX_NAME);
	for (i = 0; i < cfg->n_routes; i++)
		if (strcmp(cfg->routes[i].name, arg) == 0)
			return cwcfg_fail(p, p->lineno, CWCOM_EDUPLICATE,
			                      "[route %s] is defined twice (first at line %u)", arg,
			                      cfg->routes[i].line);
	if (cfg->n_routes >= CWCFG_MAX_ROUTES)
		return cwcfg_fail(p, p->lineno, CWCOM_ELIMIT, "more than %d routes",
		                      CWCFG_MAX_ROUTES);
	r = room_for_one_more(p, cfg->routes, cfg->n_routes, &p->route_cap, 8, sizeof(*r));
	if (!r)
		return p->err;
	cfg->routes = r;
	r = &cfg->routes[cfg->n_routes];
	memset(r, 0, sizeof(*r));
	r->line = p->lineno;
	r->ton = CWCFG_TON_UNKNOWN;
	r->npi = CWCFG_NPI_ISDN;
	r->deny_cause = 21; /* Q.850 call rejected (RFC 3398 §8.2.6.1: 403) */
	r->name = cwcfg_strdup(p, arg);
	if (!r->name)
		return p->err;
	p->sec_index = cfg->n_routes++;
	p->sec = CWCFG_SEC_ROUTE;
	snprintf(p->sec_text, sizeof(p->sec_text), "[route %s]", arg);
	return 0;
}

/* A section header line ("[...]", leading blanks already gone). */
static int open_section(struct cwcfg_parser *p, const char *line)
{
	char name[64], word[16];
	const char *end = strchr(line, ']'), *arg, *rest;
	size_t len, wl;
	static const char *const sections[] = {"general", "sip", "span", "route", "register"};

	if (!end)
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "section header without ']'");
	for (rest = end + 1; *rest == ' ' || *rest == '\t'; rest++)
		;
	if (*rest && *rest != ';' && *rest != '#' && *rest != '\r' && *rest != '\n')
		return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "text after the section header");
	/* trim and collapse: "[ span   1 ]" -> "span 1" */
	while (line[1] == ' ' || line[1] == '\t')
		line++;
	len = (size_t)(end - (line + 1));
	while (len && (line[len] == ' ' || line[len] == '\t'))
		len--;
	if (len >= sizeof(name))
		return cwcfg_fail(p, p->lineno, CWCOM_ELIMIT,
		                      "section name longer than %zu characters", sizeof(name) - 1);
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
			return cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "[%s] takes no argument",
			                      word);
		if (*seen)
			return cwcfg_fail(p, p->lineno, CWCOM_EDUPLICATE,
			                      "[%s] is defined twice (first at line %u)",
			                      gen ? "general" : "sip", *seen);
		*seen = p->lineno;
		p->sec = gen ? CWCFG_SEC_GENERAL : CWCFG_SEC_SIP;
		snprintf(p->sec_text, sizeof(p->sec_text), "[%s]", gen ? "general" : "sip");
		return 0;
	}
	if (strcasecmp(word, "span") == 0)
		return open_span(p, arg);
	if (strcasecmp(word, "route") == 0)
		return open_route(p, arg);
	if (strcasecmp(word, "register") == 0)
		return cwcfg_register_open(p, arg);
	{
		const char *hint = cwcfg_closest(word, sections, 5);
		if (hint)
			return cwcfg_fail(p, p->lineno, -ENOENT,
			                      "unknown section [%s] (did you mean [%s%s]?)", name,
			                      hint,
			                      strcmp(hint, "span") == 0    ? " N"
			                      : strcmp(hint, "route") == 0 || strcmp(hint, "register") == 0
			                          ? " NAME"
			                          : "");
		return cwcfg_fail(p, p->lineno, -ENOENT,
		                      "unknown section [%s] (sections: general, sip, span N, route NAME, register NAME)",
		                      name);
	}
}

/* inih's fgets-like reader over the in-memory text. */
static char *line_reader(char *str, int num, void *stream)
{
	struct cwcfg_parser *p = stream;
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
		cwcfg_fail(p, p->lineno, CWCOM_ESYNTAX, "NUL byte in line");
		return NULL;
	}
	max = num > 3 ? (size_t)num - 3 : 0;
	if (max > CWCFG_MAX_LINE)
		max = CWCFG_MAX_LINE;
	if (len > max) {
		cwcfg_fail(p, p->lineno, CWCOM_ELIMIT, "line longer than %zu characters", max);
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

int cwcfg_read_file(const char *path, char **ret_text, size_t *ret_len, char *msg,
                        size_t msg_len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f) {
		snprintf(msg, msg_len, "cannot open '%s': %s", path, strerror(errno));
		return errno == ENOENT ? -ENOENT : -EINVAL;
	}
	buf = malloc(CWCFG_MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		snprintf(msg, msg_len, "out of memory");
		return -ENOMEM;
	}
	n = fread(buf, 1, CWCFG_MAX_FILE + 1, f);
	if (ferror(f)) {
		snprintf(msg, msg_len, "cannot read '%s': %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return -EINVAL;
	}
	fclose(f);
	if (n > CWCFG_MAX_FILE) {
		snprintf(msg, msg_len, "'%s' is larger than %d bytes", path, CWCFG_MAX_FILE);
		free(buf);
		return CWCOM_ELIMIT;
	}
	buf[n] = '\0';
	*ret_text = buf;
	*ret_len = n;
	return 0;
}

/* ---- entry points ---- */

static int load_text(const char *text, size_t len, const char *filename,
                     struct cwcfg_config **ret, cw_diag *diag)
{
	struct cwcfg_parser p;
	const char *slash;
	int r;

	memset(&p, 0, sizeof(p));
	p.filename = filename;
	p.text = text;
	p.len = len;
	slash = strrchr(filename, '/');
	if (slash) {
		size_t dl = slash == filename ? 1 : (size_t)(slash - filename);
		if (dl > CWCFG_MAX_PATH)
			dl = CWCFG_MAX_PATH;
		memcpy(p.dir, filename, dl);
		p.dir[dl] = '\0';
		if (strcmp(p.dir, "/") == 0)
			p.dir[0] = '\0'; /* "/x" + "/" would give "//x"; absolute anyway */
	}
	p.cfg = calloc(1, sizeof(*p.cfg));
	if (!p.cfg) {
		cwcfg_fail(&p, 0, -ENOMEM, "out of memory");
		goto out;
	}
	p.cfg->general.log_level = CWCFG_LOG_NOTICE;
	p.cfg->general.drain_timeout = 30; /* seconds (README.md "drain_timeout") */
	p.cfg->sip.port = 5060;
	p.cfg->sip.transports = CWCFG_TRANSPORT_UDP;
	p.cfg->sip.retry_after = 30;
	p.cfg->sip.invite_timeout = 32000; /* RFC 3261 §17.1.1.2 Timer B = 64*T1 */
	p.cfg->sip.source_rate = 100;
	p.cfg->sip.source_burst = 200;
	p.cfg->sip.block_factor = 10;
	p.cfg->sip.block_seconds = 60;
	p.cfg->sip.no_channel_shed_rate = 100;
	p.cfg->sip.interwork_timeout = 10000; /* the core's INTERWORK default */
	p.cfg->sip.tls_port = 5061;           /* RFC 3261 §26.3.1 */
	p.cfg->sip.tls_min_version = 12;
	p.cfg->sip.session_expires = 1800; /* RFC 4028 §4 */
	p.cfg->sip.min_se = 90;            /* RFC 4028 §5 */
	p.cfg->sip.rtp_port_low = 20000;
	p.cfg->sip.rtp_port_high = 29999;
	p.cfg->sip.redirect_headers = CWCFG_REDIRECT_DIVERSION; /* redirect_keys.c */
	p.cfg->sip.max_redirects = 3;                           /* RFC 3261 §8.1.3.4 */
	p.cfg->file = strdup(filename);
	if (!p.cfg->file) {
		cwcfg_fail(&p, 0, -ENOMEM, "out of memory");
		goto out;
	}

	r = ini_parse_stream(line_reader, &p, key_handler, &p);
	if (r > 0 && (!p.err || (unsigned)r < p.diag.line)) {
		p.err = 0;
		cwcfg_fail(&p, (unsigned)r, CWCOM_ESYNTAX,
		               "expected 'key = value' or '[section]'");
	} else if (r < 0 && !p.err) {
		cwcfg_fail(&p, 0, -ENOMEM, "inih failed (%d)", r);
	}
	if (!p.err)
		cwcfg_checks_run(&p);
out:
	if (p.err) {
		if (diag)
			*diag = p.diag;
		cwcfg_config_free(p.cfg);
		return p.err;
	}
	*ret = p.cfg;
	return 0;
}

int cwcfg_config_load_string(const char *text, const char *filename,
                                 struct cwcfg_config **ret, cw_diag *diag)
{
	if (!text || !filename || !ret)
		return -EINVAL;
	return load_text(text, strlen(text), filename, ret, diag);
}

int cwcfg_config_load(const char *path, struct cwcfg_config **ret, cw_diag *diag)
{
	char *text;
	size_t len;
	cw_diag d;
	int r;

	if (!path || !ret)
		return -EINVAL;
	memset(&d, 0, sizeof(d));
	r = cwcfg_read_file(path, &text, &len, d.message, sizeof(d.message));
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

void cwcfg_config_free(struct cwcfg_config *cfg)
{
	size_t i, j;

	if (!cfg)
		return;
	free(cfg->file);
	free(cfg->general.pidfile);
	free(cfg->general.cdr_file);
	free(cfg->general.metrics_address);
	free(cfg->general.capture);
	free(cfg->general.capture_hep);
	free(cfg->general.node);
	free(cfg->general.profile_name);
	free(cfg->general.overrides);
	free(cfg->general.dahdi_system_conf);
	free(cfg->sip.bind);
	free(cfg->sip.user_agent);
	free(cfg->sip.tls_certificate);
	free(cfg->sip.tls_private_key);
	free(cfg->sip.tls_ca_file);
	free(cfg->sip.tls_ca_dir);
	free(cfg->sip.dns_servers);
	free(cfg->sip.media_address);
	for (i = 0; i < cfg->n_spans; i++) {
		struct cwcfg_span *sp = &cfg->spans[i];
		free(sp->dchannel_path);
		free(sp->audio_path);
		free(sp->group);
		free(sp->profile_name);
		free(sp->overrides);
		cw_profile_free(sp->profile);
	}
	free(cfg->spans);
	for (i = 0; i < cfg->n_routes; i++) {
		struct cwcfg_route *r = &cfg->routes[i];
		free(r->name);
		free(r->match);
		free(r->group);
		free(r->prefix);
		free(r->auth);
		free(r->realm);
		free(r->target_user);
		if (r->target_secret)
			explicit_bzero(r->target_secret, strlen(r->target_secret));
		free(r->target_secret);
		for (j = 0; j < r->n_targets; j++) {
			free(r->targets[j].uri);
			free(r->targets[j].host);
		}
	}
	free(cfg->routes);
	cwcfg_register_free(cfg);
	free(cfg);
}
