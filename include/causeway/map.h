/* SPDX-License-Identifier: MIT */
/*
 * causeway/map.h — Q.850 cause <-> SIP status mapping profiles.
 *
 * A profile is a compiled, immutable table set. Built-in profiles are
 * const data compiled from tables/profiles/ at build time; an override
 * file layered over a profile gives a new, heap-allocated profile. All
 * lookups are pure, thread-safe and never allocate. Every result names
 * the rule (file:line and clause) that produced it.
 */
#ifndef CAUSEWAY_MAP_H
#define CAUSEWAY_MAP_H

#include <causeway/common.h>
#include <causeway/reason.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cw_profile cw_profile;

/*
 * A rule: one row of a map file. Owned by its profile; valid as long as
 * the profile is.
 */
typedef struct cw_rule {
	const char *profile;  /* the profile (or override file) it belongs to */
	const char *file;     /* "tables/profiles/rfc3398.map" or the override path */
	unsigned line;        /* 1-based line in file; 0 for causeway's built-in rules */
	const char *clause;   /* "RFC 3398 §7.2.4.1", or the override's comment */
	const char *key;      /* the row's key as canonical text, e.g. "cause 21 location=U" */
	int override;         /* 1 if it came from an override file */
} cw_rule;

/*
 * cw_rule_describe() - "rfc3398 RFC 3398 §7.2.4.1" for profile rules,
 * "override FILE:LINE" for override rules. NUL-terminated, truncated to
 * len; returns the length it would have written.
 */
CW_EXTERN size_t cw_rule_describe(const cw_rule *rule, char *buf, size_t len);

/*
 * Built-in profiles: "rfc3398" (the default), "rfc4497", "asterisk",
 * "freeswitch". Built-in profiles are static: never pass them to
 * cw_profile_free() (it ignores them).
 */
#define CW_PROFILE_DEFAULT "rfc3398"
CW_EXTERN int cw_profile_get(const char *name, const cw_profile **ret_profile);
CW_EXTERN size_t cw_profile_builtin_count(void);
CW_EXTERN const cw_profile *cw_profile_builtin_at(size_t index);
CW_EXTERN const char *cw_profile_name(const cw_profile *profile);
CW_EXTERN const char *cw_profile_description(const cw_profile *profile);

/*
 * cw_profile_overlay() - compile the override rows in text (the map
 * format, see tables/README.md) over base. filename is used in rules and
 * diagnostics only; no file is opened. On failure diag (may be NULL)
 * says where and why. The new profile keeps no pointer into text.
 * Returns 0, CW_ESYNTAX, CW_ERANGE, CW_ENOENT, CW_EDUPLICATE, CW_ELIMIT,
 * CW_ENOMEM or CW_EINVAL.
 */
CW_EXTERN int cw_profile_overlay(cw_profile **ret_profile, const cw_profile *base,
                                 const char *filename, const char *text, size_t len,
                                 cw_diag *diag);

/* cw_profile_free() - free an overlaid profile; NULL and built-ins are ignored. */
CW_EXTERN void cw_profile_free(const cw_profile *profile);

/* ---- Q.850 cause -> SIP final response (RFC 3398 §7.2.4.1) ---- */

enum cw_c2s_action {
	CW_C2S_RESPOND = 0,       /* send status as the final response */
	CW_C2S_CLEAR = 1,         /* clears by BYE/CANCEL; status is the fallback if a
	                             final response is still owed (cause 16) */
	CW_C2S_RETRY_CHANNEL = 2  /* untranslatable: re-send SETUP on another channel;
	                             status is the fallback (cause 44) */
};

#define CW_C2S_F_RETRY_AFTER 0x01u /* resource-unavailable class (32-47): Retry-After MAY be added */
#define CW_C2S_F_CONTACT 0x02u     /* cause 22 with diagnostic: put the new number in Contact */

typedef struct cw_sip_result {
	int status;                 /* 300..699 */
	enum cw_c2s_action action;
	unsigned flags;             /* CW_C2S_F_* */
	const cw_rule *rule;
} cw_sip_result;

/*
 * cw_map_cause_to_sip() - the SIP final response for a received cause.
 * location is 0..15 or CW_LOCATION_UNKNOWN; has_diagnostic is non-zero if
 * the Cause IE carried a usable diagnostic (cause 22: the new number).
 * Returns 0, CW_ERANGE (cause outside 1..127, location outside -1..15),
 * CW_EINVAL.
 */
CW_EXTERN int cw_map_cause_to_sip(const cw_profile *profile, int cause, int location,
                                  int has_diagnostic, cw_sip_result *ret_result);

/* ---- SIP -> Q.850 cause (RFC 3398 §8.2.6.1, §7.2.3) ---- */

enum cw_sip_event {
	CW_SIP_RESPONSE = 0, /* a response with status */
	CW_SIP_BYE = 1,      /* a BYE request */
	CW_SIP_CANCEL = 2    /* a CANCEL request */
};

enum cw_s2c_action {
	CW_S2C_RELEASE = 0,      /* clear the ISDN call with cause */
	CW_S2C_NONE = 1,         /* no clearing message (1xx, 2xx, 487); cause 0 */
	CW_S2C_REDIRECT = 2,     /* 3xx: recurse on Contact; cause if the gateway gives up */
	CW_S2C_AUTHENTICATE = 3, /* 401/407: authenticate if possible (RFC 3398 note (*)) */
	CW_S2C_REORIGINATE = 4   /* remedy and re-originate if possible (RFC 3398 note (+)) */
};

typedef struct cw_sip_query {
	enum cw_sip_event event;
	int status;                     /* for CW_SIP_RESPONSE: 100..699 */
	int warning;                    /* Warning warn-code (RFC 3261 §20.43), 0 if none */
	const cw_reason_list *reasons;  /* received Reason values, or NULL */
} cw_sip_query;

typedef struct cw_cause_result {
	int cause;                  /* 1..127, or 0 with CW_S2C_NONE */
	enum cw_s2c_action action;
	int location;               /* 0..15: the location to send in the Cause IE */
	const cw_reason *reason;    /* the received value that decided it, or NULL */
	const cw_rule *rule;        /* the rule that decided the cause */
	const cw_rule *location_rule; /* the rule that decided the location */
} cw_cause_result;

/*
 * cw_map_sip_to_cause() - the cause to send toward ISDN.
 * Precedence: a usable received Q.850 Reason value (RFC 3398 §7.2.3,
 * RFC 6432), when the profile honours it for this event; then the
 * profile's rows. Returns 0, CW_ERANGE (status outside 100..699, warning
 * outside 0..999), CW_EINVAL.
 */
CW_EXTERN int cw_map_sip_to_cause(const cw_profile *profile, const cw_sip_query *query,
                                  cw_cause_result *ret_result);

/* ---- Introspection, for audits ---- */

enum cw_row_kind {
	CW_ROW_CAUSE = 0,    /* cause -> status */
	CW_ROW_STATUS = 1,   /* status (or class, or default) -> cause */
	CW_ROW_REQUEST = 2,  /* BYE/CANCEL -> cause */
	CW_ROW_LOCATION = 3  /* status / class / request -> location */
};

/* Qualifiers of a row. */
enum cw_qualifier {
	CW_QUAL_NONE = 0,
	CW_QUAL_LOCATION = 1,   /* cause row: only for this received location */
	CW_QUAL_DIAGNOSTIC = 2, /* cause row: only when a diagnostic is present */
	CW_QUAL_WARNING = 3,    /* status row: only for this Warning code */
	CW_QUAL_REASON = 4      /* request row: only for a SIP Reason with this cause */
};

/* Key values besides numbers. */
#define CW_KEY_DEFAULT (-1)   /* "default" */
#define CW_KEY_CLASS(n) (-10 - (n)) /* "1xx".."6xx": CW_KEY_CLASS(1)..CW_KEY_CLASS(6) */

typedef struct cw_row {
	enum cw_row_kind kind;
	int key;                /* cause, status, CW_KEY_CLASS(n), CW_KEY_DEFAULT;
	                           for CW_ROW_REQUEST (and request locations) a cw_sip_event */
	enum cw_qualifier qualifier;
	int qualifier_value;
	int result;             /* status, cause (0 = none) or location */
	int action;             /* cw_c2s_action or cw_s2c_action; 0 for locations */
	const cw_rule *rule;
} cw_row;

/*
 * cw_profile_row_count() / cw_profile_row_at() - the profile's effective
 * rows (override rows replace base rows with the same key and qualifier),
 * in a stable order.
 */
CW_EXTERN size_t cw_profile_row_count(const cw_profile *profile);
CW_EXTERN int cw_profile_row_at(const cw_profile *profile, size_t index, cw_row *ret_row);

/* Which received Reason protocols take precedence, per event (option lines). */
#define CW_HONOUR_RESPONSE 0x1u
#define CW_HONOUR_BYE 0x2u
#define CW_HONOUR_CANCEL 0x4u
CW_EXTERN unsigned cw_profile_reason_q850(const cw_profile *profile);
CW_EXTERN unsigned cw_profile_reason_sip(const cw_profile *profile);

CW_EXTERN const char *cw_c2s_action_name(enum cw_c2s_action action);
CW_EXTERN const char *cw_s2c_action_name(enum cw_s2c_action action);

#ifdef __cplusplus
}
#endif

#endif /* CAUSEWAY_MAP_H */
