/* SPDX-License-Identifier: MIT */
/*
 * cdr.c — read and check one CDR line (docs/cdr.md, version 1) with
 * jansson. Every rule of docs/cdr.md that concerns one line is checked
 * here, so a record that parses is safe to use without further checks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <causeway/causeway.h>

#include "cdr.h"

#define MS_MAX 253402300799999LL /* 9999-12-31T23:59:59.999Z */
#define CALL_ID_MAX 1024
#define NUMBER_MAX 31            /* bridge/core/call.h CWC_CALL_NUMBER_MAX - 1 */
#define TEXT_MAX 512             /* profile, target, rule texts */
#define ROUTE_NAME_MAX 32        /* bridge/config: route names */

typedef struct ctx {
	char *err;
	size_t errlen;
	char path[96]; /* "cause_sent." or "routes_tried[3]." while inside one */
} ctx;

static const char *const direction_names[] = { "sip-to-isdn", "isdn-to-sip" };
static const char *const side_names[] = { "sip", "isdn", "local" };
static const char *const presentation_names[] = { "allowed", "restricted", "unavailable" };
static const char *const transport_names[] = { "udp", "tcp", "tls" };
#define SOURCE_MAX 55 /* "[" IPv6 "]:65535" */

const char *cdr_direction_name(enum cdr_direction dir)
{
	return dir == CDR_ISDN_TO_SIP ? direction_names[1] : direction_names[0];
}

/* Write the message, made printable ASCII (input bytes may be quoted in it). */
#if defined(__GNUC__)
static int fail(ctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
static int fail(ctx *c, int code, const char *fmt, ...)
{
	va_list ap;

	if (c->errlen == 0)
		return code;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	for (char *p = c->err; *p != '\0'; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch < 0x20 || ch >= 0x7f)
			*p = '?';
	}
	return code;
}

/* The member name of *obj, or a "missing field" error. */
static int member(ctx *c, json_t *obj, const char *name, json_t **ret)
{
	json_t *v = json_object_get(obj, name);

	if (v == NULL)
		return fail(c, CW_EMISSING, "missing field \"%s%s\"", c->path, name);
	*ret = v;
	return 0;
}

/* member(), then *ret = NULL for a null value when nullable (the caller's null). */
static int member_or_null(ctx *c, json_t *obj, const char *name, int nullable, json_t **ret)
{
	json_t *v = NULL;
	int rc = member(c, obj, name, &v);

	if (rc != 0)
		return rc;
	*ret = json_is_null(v) && nullable ? NULL : v;
	return 0;
}

static int get_int(ctx *c, json_t *obj, const char *name, long long min, long long max,
                   int nullable, long long *ret)
{
	json_t *v = NULL;
	long long n;
	int rc = member_or_null(c, obj, name, nullable, &v);

	if (rc != 0)
		return rc;
	if (v == NULL) {
		*ret = CDR_NULL;
		return 0;
	}
	if (!json_is_integer(v))
		return fail(c, CW_ESYNTAX, "field \"%s%s\": want an integer %lld-%lld%s", c->path,
		            name, min, max, nullable ? " or null" : "");
	n = (long long)json_integer_value(v);
	if (n < min || n > max)
		return fail(c, CW_ERANGE, "field \"%s%s\": %lld out of range (%lld-%lld)", c->path,
		            name, n, min, max);
	*ret = n;
	return 0;
}

/* get_int() for an int-sized field. */
static int get_small(ctx *c, json_t *obj, const char *name, int min, int max, int nullable,
                     int *ret)
{
	long long n;
	int rc = get_int(c, obj, name, min, max, nullable, &n);

	if (rc == 0)
		*ret = (int)n;
	return rc;
}

enum charset {
	CS_ANY,     /* no control characters (reasons: anything but NUL) */
	CS_VISIBLE, /* no control characters, no space */
	CS_NUMBER,  /* 0-9 * # + X */
	CS_NAME     /* A-Z a-z 0-9 _ - . */
};

static int char_ok(enum charset cs, unsigned char ch)
{
	switch (cs) {
	case CS_VISIBLE:
		return ch > 0x20 && ch != 0x7f;
	case CS_NUMBER:
		return (ch >= '0' && ch <= '9') || ch == '*' || ch == '#' || ch == '+' || ch == 'X';
	case CS_NAME:
		return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		       (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
	case CS_ANY:
		break;
	}
	return ch >= 0x20 && ch != 0x7f;
}

static int get_str(ctx *c, json_t *obj, const char *name, int nullable, size_t maxlen,
                   enum charset cs, const char **ret)
{
	json_t *v = NULL;
	const char *s;
	size_t n;
	int rc = member_or_null(c, obj, name, nullable, &v);

	if (rc != 0)
		return rc;
	if (v == NULL) {
		*ret = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return fail(c, CW_ESYNTAX, "field \"%s%s\": want a string%s", c->path, name,
		            nullable ? " or null" : "");
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0 || n > maxlen)
		return fail(c, CW_ERANGE, "field \"%s%s\": want 1-%zu bytes, got %zu", c->path, name,
		            maxlen, n);
	for (size_t i = 0; i < n; i++) {
		if (!char_ok(cs, (unsigned char)s[i]))
			return fail(c, CW_ERANGE, "field \"%s%s\": byte %zu not allowed", c->path,
			            name, i + 1);
	}
	*ret = s;
	return 0;
}

/* A string that must be one of names[0..n-1]; *ret is its index or CDR_NULL. */
static int get_enum(ctx *c, json_t *obj, const char *name, const char *const *names, size_t n,
                    int nullable, int *ret)
{
	json_t *v = NULL;
	int rc = member_or_null(c, obj, name, nullable, &v);

	if (rc != 0)
		return rc;
	if (v == NULL) {
		*ret = CDR_NULL;
		return 0;
	}
	if (json_is_string(v)) {
		for (size_t i = 0; i < n; i++) {
			if (names[i] != NULL && strcmp(json_string_value(v), names[i]) == 0) {
				*ret = (int)i;
				return 0;
			}
		}
		return fail(c, CW_ENOENT, "field \"%s%s\": unknown value \"%.40s\"", c->path, name,
		            json_string_value(v));
	}
	return fail(c, CW_ESYNTAX, "field \"%s%s\": want a string%s", c->path, name,
	            nullable ? " or null" : "");
}

static int get_bool(ctx *c, json_t *obj, const char *name, int *ret)
{
	json_t *v = NULL;
	int rc = member(c, obj, name, &v);

	if (rc != 0)
		return rc;
	if (!json_is_boolean(v))
		return fail(c, CW_ESYNTAX, "field \"%s%s\": want true or false", c->path, name);
	*ret = json_is_true(v);
	return 0;
}

/* An array of strings (raw Reason values); *ret is malloc'd (NULL when empty). */
static int get_strings(ctx *c, json_t *obj, const char *name, const char ***ret, size_t *ret_n)
{
	json_t *v = NULL;
	const char **arr = NULL;
	size_t n;
	int rc = member(c, obj, name, &v);

	if (rc != 0)
		return rc;
	if (!json_is_array(v))
		return fail(c, CW_ESYNTAX, "field \"%s%s\": want an array of strings", c->path, name);
	n = json_array_size(v);
	if (n > 0 && (arr = malloc(n * sizeof(*arr))) == NULL)
		return fail(c, CW_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(v, i);

		if (!json_is_string(e)) {
			free(arr);
			return fail(c, CW_ESYNTAX, "field \"%s%s\": element %zu is not a string",
			            c->path, name, i + 1);
		}
		arr[i] = json_string_value(e);
	}
	*ret = arr;
	*ret_n = n;
	return 0;
}

/* {cause, location, coding, diagnostic} or null. */
static int get_cause(ctx *c, json_t *obj, const char *name, cdr_cause *ret)
{
	const char *locations[16], *codings[4];
	cdr_cause out = { 0 };
	json_t *v = NULL;
	int rc = member_or_null(c, obj, name, 1, &v);

	if (rc != 0)
		return rc;
	if (v == NULL) {
		*ret = out;
		return 0;
	}
	if (!json_is_object(v))
		return fail(c, CW_ESYNTAX, "field \"%s\": want an object or null", name);
	for (int i = 0; i < 16; i++)
		locations[i] = cw_location_name(i);
	for (int i = 0; i < 4; i++)
		codings[i] = cw_coding_standard_name(i);
	snprintf(c->path, sizeof(c->path), "%s.", name);
	out.present = 1;
	if ((rc = get_small(c, v, "cause", CW_Q850_CAUSE_MIN, CW_Q850_CAUSE_MAX, 0, &out.cause)) ||
	    (rc = get_enum(c, v, "location", locations, 16, 1, &out.location)) ||
	    (rc = get_enum(c, v, "coding", codings, 4, 0, &out.coding)) ||
	    (rc = get_bool(c, v, "diagnostic", &out.diagnostic)))
		return rc;
	if (out.location == CDR_NULL)
		out.location = CW_LOCATION_UNKNOWN;
	c->path[0] = '\0';
	*ret = out;
	return 0;
}

/* One routes_tried entry: exactly one of target/span, with status/cause to match. */
static int get_route(ctx *c, json_t *v, size_t index, enum cdr_direction dir, cdr_route *ret)
{
	cdr_route r;
	const char **reasons = NULL;
	size_t nreasons = 0;
	int rc;

	if (!json_is_object(v))
		return fail(c, CW_ESYNTAX, "field \"routes_tried[%zu]\": want an object", index);
	if ((rc = get_str(c, v, "route", 1, ROUTE_NAME_MAX, CS_NAME, &r.route)) ||
	    (rc = get_str(c, v, "target", 1, TEXT_MAX, CS_VISIBLE, &r.target)) ||
	    (rc = get_small(c, v, "span", 1, 127, 1, &r.span)) ||
	    (rc = get_small(c, v, "status", 200, CW_SIP_STATUS_MAX, 1, &r.status)) ||
	    (rc = get_small(c, v, "cause", CW_Q850_CAUSE_MIN, CW_Q850_CAUSE_MAX, 1, &r.cause)) ||
	    (rc = get_strings(c, v, "reasons", &reasons, &nreasons)))
		return rc;
	free(reasons); /* checked only: the audit does not use them */
	if (dir == CDR_ISDN_TO_SIP &&
	    (r.target == NULL || r.span != CDR_NULL || r.status == CDR_NULL || r.cause != CDR_NULL))
		return fail(c, CW_ERANGE,
		            "routes_tried[%zu]: an isdn-to-sip attempt has target and status, "
		            "span and cause null",
		            index);
	if (dir == CDR_SIP_TO_ISDN &&
	    (r.span == CDR_NULL || r.target != NULL || r.cause == CDR_NULL || r.status != CDR_NULL))
		return fail(c, CW_ERANGE,
		            "routes_tried[%zu]: a sip-to-isdn attempt has span and cause, "
		            "target and status null",
		            index);
	*ret = r;
	return 0;
}

static int get_routes(ctx *c, json_t *obj, cdr_record *rec)
{
	json_t *v = NULL;
	size_t n;
	int rc = member(c, obj, "routes_tried", &v);

	if (rc != 0)
		return rc;
	if (!json_is_array(v))
		return fail(c, CW_ESYNTAX, "field \"routes_tried\": want an array");
	n = json_array_size(v);
	if (n > 0 && (rec->routes = calloc(n, sizeof(*rec->routes))) == NULL)
		return fail(c, CW_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		snprintf(c->path, sizeof(c->path), "routes_tried[%zu].", i);
		if ((rc = get_route(c, json_array_get(v, i), i, rec->direction, &rec->routes[i])) != 0)
			return rc;
	}
	c->path[0] = '\0';
	rec->nroutes = n;
	return 0;
}

static int get_rules(ctx *c, json_t *obj, cdr_record *rec)
{
	json_t *v = NULL;
	int rc = member(c, obj, "rules", &v);

	if (rc != 0)
		return rc;
	if (!json_is_object(v))
		return fail(c, CW_ESYNTAX, "field \"rules\": want an object");
	snprintf(c->path, sizeof(c->path), "rules.");
	if ((rc = get_str(c, v, "c2s", 1, TEXT_MAX, CS_ANY, &rec->rule_c2s)) ||
	    (rc = get_str(c, v, "s2c", 1, TEXT_MAX, CS_ANY, &rec->rule_s2c)) ||
	    (rc = get_str(c, v, "location", 1, TEXT_MAX, CS_ANY, &rec->rule_location)))
		return rc;
	c->path[0] = '\0';
	return 0;
}

/* The rules of docs/cdr.md that tie fields together. */
static int check_consistent(ctx *c, const cdr_record *r)
{
	long long duration = r->t_end - r->t_start;

	if (r->call_id_sip == NULL && r->cref_isdn == CDR_NULL)
		return fail(c, CW_ERANGE, "call_id_sip and cref_isdn are both null");
	if (r->cref_isdn != CDR_NULL && r->span == CDR_NULL)
		return fail(c, CW_ERANGE, "cref_isdn without span");
	if ((r->sip_source != NULL || r->sip_transport != CDR_NULL) &&
	    r->direction != CDR_SIP_TO_ISDN)
		return fail(c, CW_ERANGE, "sip_source/sip_transport set on an isdn-to-sip call");
	if (r->answered != (r->t_answer != CDR_NULL))
		return fail(c, CW_ERANGE, "answered is %s but t_answer is %s",
		            r->answered ? "true" : "false", r->t_answer == CDR_NULL ? "null" : "set");
	if (r->t_end < r->t_start ||
	    (r->t_answer != CDR_NULL && (r->t_answer < r->t_start || r->t_answer > r->t_end)))
		return fail(c, CW_ERANGE, "times out of order (t_start <= t_answer <= t_end)");
	if (r->ms_to_first_provisional > duration || r->ms_to_final > duration)
		return fail(c, CW_ERANGE, "ms_to_first_provisional or ms_to_final exceeds t_end - t_start");
	if (r->ms_to_first_provisional != CDR_NULL && r->ms_to_final != CDR_NULL &&
	    r->ms_to_first_provisional > r->ms_to_final)
		return fail(c, CW_ERANGE, "ms_to_first_provisional exceeds ms_to_final");
	if (r->answered && (r->sip_status < 200 || r->sip_status > 299))
		return fail(c, CW_ERANGE, "an answered call has a 2xx sip_status");
	if (!r->answered && r->sip_status != CDR_NULL && r->sip_status < 300)
		return fail(c, CW_ERANGE, "a call that was not answered has sip_status 300-699 or null");
	if (r->sip_status == CDR_NULL && r->ms_to_final != CDR_NULL)
		return fail(c, CW_ERANGE, "ms_to_final without sip_status");
	if (r->answered && r->nroutes == 0)
		return fail(c, CW_ERANGE, "an answered call has routes_tried");
	return 0;
}

static int parse_fields(ctx *c, json_t *o, cdr_record *r)
{
	long long v;
	int dir, side;
	int rc;

	if ((rc = get_int(c, o, "v", 0, 1000000, 0, &v)) != 0)
		return rc;
	if (v != CDR_VERSION)
		return fail(c, CW_ENOENT, "unsupported CDR version %lld (this reader knows %d)", v,
		            CDR_VERSION);
	if ((rc = get_str(c, o, "call_id_sip", 1, CALL_ID_MAX, CS_VISIBLE, &r->call_id_sip)) ||
	    (rc = get_int(c, o, "cref_isdn", 0, 32767, 1, &v)))
		return rc;
	r->cref_isdn = (long)v;
	if ((rc = get_small(c, o, "span", 1, 127, 1, &r->span)) ||
	    (rc = get_enum(c, o, "direction", direction_names, 2, 0, &dir)))
		return rc;
	r->direction = (enum cdr_direction)dir;
	if ((rc = get_str(c, o, "called", 1, NUMBER_MAX, CS_NUMBER, &r->called)) ||
	    (rc = get_str(c, o, "calling", 1, NUMBER_MAX, CS_NUMBER, &r->calling)) ||
	    (rc = get_enum(c, o, "presentation", presentation_names, 3, 1, &r->presentation)) ||
	    (rc = get_str(c, o, "profile", 0, TEXT_MAX, CS_ANY, &r->profile)) ||
	    (rc = get_int(c, o, "t_start", 0, MS_MAX, 0, &r->t_start)) ||
	    (rc = get_int(c, o, "t_answer", 0, MS_MAX, 1, &r->t_answer)) ||
	    (rc = get_int(c, o, "t_end", 0, MS_MAX, 0, &r->t_end)) ||
	    (rc = get_int(c, o, "ms_to_first_provisional", 0, MS_MAX, 1,
	                  &r->ms_to_first_provisional)) ||
	    (rc = get_int(c, o, "ms_to_final", 0, MS_MAX, 1, &r->ms_to_final)) ||
	    (rc = get_small(c, o, "sip_status", 200, CW_SIP_STATUS_MAX, 1, &r->sip_status)) ||
	    (rc = get_small(c, o, "warning", 100, 999, 1, &r->warning)) ||
	    (rc = get_cause(c, o, "cause_sent", &r->cause_sent)) ||
	    (rc = get_cause(c, o, "cause_received", &r->cause_received)) ||
	    (rc = get_strings(c, o, "reasons_sent", &r->reasons_sent, &r->nreasons_sent)) ||
	    (rc = get_strings(c, o, "reasons_received", &r->reasons_received,
	                      &r->nreasons_received)) ||
	    (rc = get_enum(c, o, "cleared_by", side_names, 3, 0, &side)))
		return rc;
	r->cleared_by = (enum cdr_side)side;
	/* added within version 1 (docs/cdr.md "Versioning"): an older line has neither */
	r->sip_source = NULL;
	r->sip_transport = CDR_NULL;
	if ((json_object_get(o, "sip_source") &&
	     (rc = get_str(c, o, "sip_source", 1, SOURCE_MAX, CS_VISIBLE, &r->sip_source))) ||
	    (json_object_get(o, "sip_transport") &&
	     (rc = get_enum(c, o, "sip_transport", transport_names, 3, 1, &r->sip_transport))))
		return rc;
	if ((rc = get_routes(c, o, r)) || (rc = get_rules(c, o, r)) ||
	    (rc = get_bool(c, o, "answered", &r->answered)))
		return rc;
	/* added within version 1 too: a line without it is read as null */
	r->node = NULL;
	if (json_object_get(o, "node") &&
	    (rc = get_str(c, o, "node", 1, ROUTE_NAME_MAX, CS_NAME, &r->node)))
		return rc;
	return check_consistent(c, r);
}

void cdr_record_free(cdr_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->reasons_sent);
	free(rec->reasons_received);
	free(rec->routes);
	json_decref((json_t *)rec->root);
	memset(rec, 0, sizeof(*rec));
}

int cdr_parse(const char *line, size_t len, cdr_record *ret, char *err, size_t errlen)
{
	ctx c = { .err = err, .errlen = errlen };
	cdr_record r;
	json_error_t jerr;
	json_t *root;
	int rc;

	if (errlen > 0)
		err[0] = '\0';
	if (len > CDR_LINE_MAX)
		return fail(&c, CW_ELIMIT, "line longer than 64 KiB");
	/* Duplicate members would make a field ambiguous: reject them. */
	root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return fail(&c, CW_ESYNTAX, "not JSON: %s (column %d)", jerr.text, jerr.column);
	if (!json_is_object(root)) {
		json_decref(root);
		return fail(&c, CW_ESYNTAX, "not a JSON object");
	}
	memset(&r, 0, sizeof(r));
	r.root = root;
	rc = parse_fields(&c, root, &r);
	if (rc != 0) {
		cdr_record_free(&r);
		return rc;
	}
	*ret = r;
	return 0;
}
