/* SPDX-License-Identifier: MIT */
/*
 * parser.h — the state of one load, shared by the files of the loader:
 * reader.c (lines, sections, diagnostics), keys.c (the keys of each
 * section), values.c (their value parsers) and checks.c (after the whole
 * file). Not installed; the API is config.h.
 *
 * Every function that takes a parser and returns int returns 0 or the
 * parser's first error (p->err, with p->diag naming FILE:LINE); once an
 * error is set, later ones do not replace it.
 */
#ifndef BRIDGE_PARSER_H
#define BRIDGE_PARSER_H

#include <stddef.h>

#include <causeway/common.h>

#include "config.h"
#include "name_table.h"

/* The section the reader is in. */
enum cwcfg_section_kind {
	CWCFG_SEC_NONE, /* before the first header */
	CWCFG_SEC_GENERAL,
	CWCFG_SEC_SIP,
	CWCFG_SEC_SPAN,
	CWCFG_SEC_ROUTE,
	CWCFG_SEC_REGISTER
};

/* One load of one file: the configuration being built and where the reader is. */
struct cwcfg_parser {
	struct cwcfg_config *cfg;
	const char *filename;
	char dir[CWCFG_MAX_PATH + 1]; /* directory of filename, "" if none */
	const char *text;
	size_t pos, len;
	unsigned lineno;
	int err;
	cw_diag diag;
	enum cwcfg_section_kind sec;
	size_t sec_index;          /* span or route index */
	char sec_text[64];         /* "[span 1]" for messages */
	unsigned general_line, sip_line;
	size_t span_cap, route_cap;
};

/* register_keys.c: [register NAME] (its key names are in keys.c's table) */
int cwcfg_register_open(struct cwcfg_parser *p, const char *arg);
int cwcfg_register_key(struct cwcfg_parser *p, const char *key, const char *value);
int cwcfg_register_check(struct cwcfg_parser *p);
void cwcfg_register_dump(const struct cwcfg_config *cfg, FILE *out);
void cwcfg_register_free(struct cwcfg_config *cfg);

/* reader.c */

/* Set the error (code, at line of the file, with a message), unless one is set. */
__attribute__((format(printf, 4, 5)))
int cwcfg_fail(struct cwcfg_parser *p, unsigned line, int code, const char *fmt, ...);

/* Add a warning at line (0 = the file as a whole); past CWCFG_MAX_WARNINGS it is dropped. */
__attribute__((format(printf, 3, 4)))
void cwcfg_warn(struct cwcfg_parser *p, unsigned line, const char *fmt, ...);

/* A copy of s, or NULL with -ENOMEM set at the current line. */
char *cwcfg_strdup(struct cwcfg_parser *p, const char *s);

/* Replace *slot with a copy of s. */
int cwcfg_set_str(struct cwcfg_parser *p, char **slot, const char *s);

/*
 * cwcfg_read_file() - the whole file at path (at most
 * CWCFG_MAX_FILE bytes), NUL-terminated, into *ret_text (free it).
 * Returns 0, -ENOENT, -EINVAL, CWCOM_ELIMIT or -ENOMEM with one line
 * of why in msg.
 */
int cwcfg_read_file(const char *path, char **ret_text, size_t *ret_len, char *msg,
                        size_t msg_len);

/* A key given a second time in its section: an error naming the first line. */
#define ONCE(p, line_field, key)                                                              \
	do {                                                                                  \
		if (line_field)                                                               \
			return cwcfg_fail((p), (p)->lineno, CWCOM_EDUPLICATE,                \
			                      "%s: '%s' given twice (first at line %u)",      \
			                      (p)->sec_text, (key), (line_field));            \
		(line_field) = (p)->lineno;                                                   \
	} while (0)

/* keys.c */

/* The key = value of the current line, in the current section. */
int cwcfg_keys_handle(struct cwcfg_parser *p, const char *name, const char *value);

/* values.c: each reports a bad value at the current line; key names it in the message. */

int cwcfg_parse_ulong(struct cwcfg_parser *p, const char *key, const char *value,
                          unsigned long min, unsigned long max, unsigned long *ret);
int cwcfg_parse_uint(struct cwcfg_parser *p, const char *key, const char *value,
                         unsigned min, unsigned max, unsigned *ret);
/* yes|no (also true/false, on/off, 1/0). */
int cwcfg_parse_bool(struct cwcfg_parser *p, const char *key, const char *value, int *ret);
/* A word of table; unknown: "did you mean", or the list of words. */
int cwcfg_parse_name(struct cwcfg_parser *p, const char *key,
                         const struct cwcfg_name *table, const char *value, int *ret);
/* A path, relative ones resolved against the config file's directory, at most max long. */
int cwcfg_parse_path(struct cwcfg_parser *p, const char *key, const char *value,
                         size_t max, char **slot);
/* The name of a built-in mapping profile. */
int cwcfg_parse_profile(struct cwcfg_parser *p, const char *value);
/* sip:HOST[:PORT][;transport=udp|tcp] */
int cwcfg_parse_target(struct cwcfg_parser *p, const char *value,
                           struct cwcfg_target *t);
/* ADDR or ADDR/LEN, IPv4 or IPv6 (no brackets); host bits must be zero. */
/* 1 when s is a route or group name: 1-CWCFG_MAX_NAME of A-Z a-z 0-9 _ - . */
int cwcfg_valid_name(const char *s);
/* 1 when s is min-CWCFG_MAX_NUMBER of 0-9 + * # */
int cwcfg_valid_digits(const char *s, size_t min);

/* system_conf.c */
/* One span of DAHDI's system.conf: what dchannel = dahdi:auto takes from it. */
struct cwcfg_dahdi_span {
	unsigned dchan;             /* global channel number of dchan= / hardhdlc= */
	unsigned long bchans;       /* bit n: Q.931 channel (position) n has bchan= */
};
/*
 * cwcfg_system_conf_span() - read the system.conf at path for span spanno.
 * Its errors name PATH:LINE; a span not in the file, or the file not read,
 * names cfg_line of the bridge's file.
 */
int cwcfg_system_conf_span(struct cwcfg_parser *p, const char *path, unsigned spanno,
                               unsigned cfg_line, struct cwcfg_dahdi_span *ret);

/* tls_keys.c: the [sip] tls_* keys (keys.c's table names them) */

int cwcfg_tls_port_key(struct cwcfg_parser *p, const char *key, const char *value);
int cwcfg_tls_path_key(struct cwcfg_parser *p, const char *key, const char *value);
int cwcfg_tls_verify_key(struct cwcfg_parser *p, const char *key, const char *value);
int cwcfg_tls_version_key(struct cwcfg_parser *p, const char *key, const char *value);
/* With tls in [sip] transport: certificate and key given, readable, loadable. */
int cwcfg_tls_check(struct cwcfg_parser *p);

/* session_keys.c: the [sip] RFC 4028 keys (keys.c's table names them) */

int cwcfg_session_expires_key(struct cwcfg_parser *p, const char *key, const char *value);
int cwcfg_min_se_key(struct cwcfg_parser *p, const char *key, const char *value);
int cwcfg_session_refresher_key(struct cwcfg_parser *p, const char *key, const char *value);
/* [route NAME] session_expires */
int cwcfg_route_session_expires_key(struct cwcfg_parser *p, const char *key, const char *value);
/* session_expires ([sip] and every route's) is not below min_se. */
int cwcfg_session_check(struct cwcfg_parser *p);

/* overlap_keys.c: [span N] overlap, [route NAME] digits (keys.c's tables name them) */
int cwcfg_span_overlap_key(struct cwcfg_parser *p, const char *key, const char *value);
int cwcfg_route_digits_key(struct cwcfg_parser *p, const char *key, const char *value);
/* overlap_keys.c: [span N] overlap_method, overlap_sending, overlap_sending_digits */
int cwcfg_span_overlap_method_key(struct cwcfg_parser *p, const char *key, const char *value);
int cwcfg_span_overlap_sending_key(struct cwcfg_parser *p, const char *key, const char *value);
int cwcfg_span_overlap_sending_digits_key(struct cwcfg_parser *p, const char *key,
                                          const char *value);
/* overlap_method = multiple-invite without overlap = yes is an error. */
int cwcfg_overlap_check_span(struct cwcfg_parser *p, const struct cwcfg_span *sp);
/* redirect_keys.c: [sip] redirect_headers, max_redirects (keys.c's table names them), and
   their dump lines */
int cwcfg_redirect_headers_key(struct cwcfg_parser *p, const char *key, const char *value);
int cwcfg_max_redirects_key(struct cwcfg_parser *p, const char *key, const char *value);
void cwcfg_redirect_dump_sip(const struct cwcfg_sip *sip, FILE *out);

/* hunting_keys.c: [span N] hunting (keys.c's table names it), and its dump line */
int cwcfg_span_hunting_key(struct cwcfg_parser *p, const char *key, const char *value);
void cwcfg_hunting_dump_span(const struct cwcfg_span *sp, FILE *out);

/* bearer_keys.c: [span N] digital (keys.c's table names it), and its dump line */
int cwcfg_span_digital_key(struct cwcfg_parser *p, const char *key, const char *value);
void cwcfg_bearer_dump_span(const struct cwcfg_span *sp, FILE *out);

/* Print a span's overlap and a route's digits for the --check-config dump. */
void cwcfg_overlap_dump_span(const struct cwcfg_span *sp, FILE *out);
void cwcfg_overlap_dump_route(const struct cwcfg_route *r, FILE *out);

/* checks.c */

/* Defaults, cross-section checks and warnings, profiles; after the whole file. */
int cwcfg_checks_run(struct cwcfg_parser *p);

#endif /* BRIDGE_PARSER_H */
