/* SPDX-License-Identifier: MIT */
/*
 * audit.h — what "causeway audit" computes from CDR records: the mapping
 * check of one call against a profile (audit_check.c) and the totals over
 * a file (audit_stats.c). No I/O here; cmd_audit.c reads and prints.
 */
#ifndef CW_CLI_AUDIT_H
#define CW_CLI_AUDIT_H

#include <stddef.h>

#include <causeway/causeway.h>

#include "cdr.h"

#define AUDIT_TEXT_MAX 160
#define AUDIT_RULE_MAX 512

/* ---- audit_check.c ---- */

enum audit_kind {
	AUDIT_NOT_CHECKED = 0, /* the call holds no mapping decision to check */
	AUDIT_CAUSE2SIP = 1,   /* a cause decided the SIP status */
	AUDIT_SIP2CAUSE = 2    /* a response, BYE or CANCEL decided the cause sent */
};

typedef struct audit_finding {
	enum audit_kind kind;
	int agree;                       /* 1 if the call did what the profile says */
	char input[AUDIT_TEXT_MAX];      /* "cause 21 location=U", "486 Busy Here warning=399", "BYE" */
	char seen[AUDIT_TEXT_MAX];       /* "403 Forbidden", "17 User busy location=BI" */
	char expected[AUDIT_TEXT_MAX];   /* the same for the profile's answer */
	char rule[AUDIT_RULE_MAX];       /* the profile's rule (cw_rule_describe()) */
	const char *recorded_rule;       /* the CDR's rule for that decision (into the record), or NULL */
} audit_finding;

/*
 * audit_check() - recompute with profile the mapping decision the call
 * records (docs/cdr.md, "What causeway audit checks") and compare.
 * Returns 0 (*ret filled, kind AUDIT_NOT_CHECKED when there is nothing to
 * check) or a CW_E* code of libcauseway.
 */
int audit_check(const cw_profile *profile, const cdr_record *rec, audit_finding *ret);

/* ---- audit_stats.c ---- */

typedef struct audit_attempt {
	char *route;  /* route name or NULL; route and target share one allocation */
	char *target; /* SIP target or NULL */
	int span;     /* or CDR_NULL */
	int error;
} audit_attempt;

typedef struct audit_stats {
	unsigned long calls, answered, other_profile;
	unsigned long status[CW_SIP_STATUS_MAX + 1];  /* by final status; [0]: none */
	unsigned long cause_received[CW_Q850_CAUSE_MAX + 1]; /* [0]: none */
	unsigned long cause_sent[CW_Q850_CAUSE_MAX + 1];     /* [0]: none */
	long long *ttf;          /* ms_to_final values; sorted by audit_stats_finish() */
	size_t nttf, cttf;
	audit_attempt *attempts; /* sorted by audit_stats_finish() */
	size_t nattempts, cattempts;
} audit_stats;

/* One line of the per-route table. */
typedef struct audit_route {
	const char *route;   /* NULL: no route name */
	const char *target;  /* NULL for a span */
	int span;
	unsigned long attempts, errors;
} audit_route;

void audit_stats_init(audit_stats *s);
void audit_stats_free(audit_stats *s);

/*
 * audit_stats_add() - count one call. profile decides which span
 * attempts are errors (docs/cdr.md). Returns 0 or CW_ENOMEM (nothing
 * counted).
 */
int audit_stats_add(audit_stats *s, const cw_profile *profile, const cdr_record *rec);

/* audit_stats_finish() - sort, after the last audit_stats_add(). */
void audit_stats_finish(audit_stats *s);

/*
 * audit_percentile() - nearest-rank percentile pct (1..100) of
 * ms_to_final: the value at rank ceil(pct/100 * N) of the N sorted values.
 * Returns 0, or CW_ENOENT when no call has ms_to_final.
 */
int audit_percentile(const audit_stats *s, unsigned pct, long long *ret);

/*
 * audit_route_next() - the per-route totals, in order (route name, then
 * spans ascending, then targets byte-wise). *pos starts at 0.
 * Returns 1 and *ret, or 0 at the end.
 */
int audit_route_next(const audit_stats *s, size_t *pos, audit_route *ret);

/*
 * audit_grow() - room for one more element in arr (n used, *cap
 * allocated, elem bytes each): *ret_arr is arr or its reallocation.
 * Returns 0 or CW_ENOMEM (arr still valid and unchanged).
 */
int audit_grow(void *arr, size_t *cap, size_t n, size_t elem, void **ret_arr);

/* ---- what cmd_audit.c collects, audit_report.c prints ---- */

typedef struct audit_disagreement {
	unsigned long line;
	enum cdr_direction direction;
	enum audit_kind kind;
	long cref_isdn;       /* or CDR_NULL */
	int span;             /* or CDR_NULL */
	char *call_id_sip;    /* or NULL; the strings share one allocation, owned by blob */
	char *input, *seen, *expected, *rule;
	char *recorded_rule;  /* or NULL */
	char *blob;
} audit_disagreement;

typedef struct audit_malformed {
	unsigned long line;
	char message[CDR_ERROR_MAX];
} audit_malformed;

typedef struct audit_report {
	const char *file;           /* the name in messages: the path, or "<stdin>" */
	const cw_profile *profile;
	audit_stats stats;          /* finished */
	unsigned long checked;      /* calls with a decision to check */
	audit_disagreement *dis;
	size_t ndis, cdis;
	audit_malformed *bad;
	size_t nbad, cbad;
} audit_report;

/* ---- audit_report.c: the exact formats of bin/README.md ---- */

void audit_print_text(const audit_report *r);
void audit_print_json(const audit_report *r);

#endif /* CW_CLI_AUDIT_H */
