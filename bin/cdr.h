/* SPDX-License-Identifier: MIT */
/*
 * cdr.h — read one CDR line (docs/cdr.md, version 1) into a struct.
 *
 * The line is parsed with jansson and every field is checked against
 * docs/cdr.md: presence, type, range, and the rules that tie fields
 * together (answered <-> t_answer, t_start <= t_answer <= t_end, ...).
 * Unknown members are ignored (a later v1 writer may add fields).
 */
#ifndef CW_CLI_CDR_H
#define CW_CLI_CDR_H

#include <stddef.h>

#define CDR_VERSION 1
#define CDR_LINE_MAX (64u * 1024u) /* longest line read, without its newline */
#define CDR_ERROR_MAX 256          /* buffer for a cdr_parse() message */
#define CDR_NULL (-1)              /* an integer field that is null */

enum cdr_direction {
	CDR_SIP_TO_ISDN = 0,
	CDR_ISDN_TO_SIP = 1
};

enum cdr_side {
	CDR_SIDE_SIP = 0,
	CDR_SIDE_ISDN = 1,
	CDR_SIDE_LOCAL = 2
};

/* A Cause IE (Q.850 §2): cause_sent, cause_received. */
typedef struct cdr_cause {
	int present;    /* 0: the field is null, the rest is unset */
	int cause;      /* 1..127 */
	int location;   /* 0..15, or CW_LOCATION_UNKNOWN (-1) */
	int coding;     /* enum cw_coding_standard, 0..3 */
	int diagnostic; /* 1 if the IE carried a diagnostic */
} cdr_cause;

/* One entry of routes_tried. Strings point into the record's JSON tree. */
typedef struct cdr_route {
	const char *route;  /* route name, or NULL */
	const char *target; /* SIP target, or NULL for a span attempt */
	int span;           /* 1..127, or CDR_NULL for a target attempt */
	int status;         /* target: final status 200..699; span: CDR_NULL */
	int cause;          /* span: 1..127; target: CDR_NULL */
} cdr_route;

/*
 * A parsed line. Strings and arrays point into memory owned by the
 * record: valid until cdr_record_free(). Nullable integers are CDR_NULL
 * when null; nullable strings are NULL.
 */
typedef struct cdr_record {
	void *root;                   /* the JSON tree (jansson json_t) */
	const char *call_id_sip;
	const char *sip_source;       /* "ADDR:PORT" a sip-to-isdn INVITE came from, or NULL */
	const char *node;             /* the gateway that wrote the line ([general] node), or NULL */
	int sip_transport;            /* 0 udp, 1 tcp, 2 tls, or CDR_NULL */
	long cref_isdn;               /* 0..32767 or CDR_NULL */
	int span;                     /* 1..127 or CDR_NULL */
	enum cdr_direction direction;
	const char *called;
	const char *calling;
	int presentation;             /* 0 allowed, 1 restricted, 2 unavailable, or CDR_NULL */
	const char *profile;
	long long t_start, t_answer, t_end; /* ms since the epoch; t_answer may be CDR_NULL */
	long long ms_to_first_provisional;  /* or CDR_NULL */
	long long ms_to_final;              /* or CDR_NULL */
	int sip_status;               /* 200..699 or CDR_NULL */
	int warning;                  /* 100..999 or CDR_NULL */
	cdr_cause cause_sent;
	cdr_cause cause_received;
	const char **reasons_sent;    /* raw Reason header values */
	size_t nreasons_sent;
	const char **reasons_received;
	size_t nreasons_received;
	enum cdr_side cleared_by;
	cdr_route *routes;
	size_t nroutes;
	const char *rule_c2s;         /* cw_rule_describe() text, or NULL */
	const char *rule_s2c;
	const char *rule_location;
	int answered;
} cdr_record;

/*
 * cdr_parse() - parse and check one line of len bytes (no newline; may
 * contain NUL bytes, which make it malformed). On failure err gets a
 * one-line message of printable ASCII (truncated to errlen) and *ret is
 * untouched. Returns 0, CW_ESYNTAX (not JSON, wrong type), CW_EMISSING
 * (a required field is absent), CW_ERANGE (a value out of range or
 * inconsistent with another field), CW_ENOENT (an unknown name or
 * version), CW_ELIMIT (line too long) or CW_ENOMEM.
 */
int cdr_parse(const char *line, size_t len, cdr_record *ret, char *err, size_t errlen);

/* cdr_record_free() - release what cdr_parse() allocated; NULL is ignored. */
void cdr_record_free(cdr_record *rec);

/* cdr_direction_name() - "sip-to-isdn" / "isdn-to-sip". */
const char *cdr_direction_name(enum cdr_direction dir);

#endif /* CW_CLI_CDR_H */
