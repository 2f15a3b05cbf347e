/* SPDX-License-Identifier: MIT */
/*
 * causeway/reason.h — the SIP Reason header: RFC 3326 (grammar), RFC 6432
 * (Q.850 in responses), RFC 8606 (location), RFC 4411 (preemption).
 *
 * Parsing never allocates: values are written into a caller-provided
 * array, unescaped text into a caller-provided buffer, and the remaining
 * spans point into the input, which must outlive the list.
 */
#ifndef CAUSEWAY_REASON_H
#define CAUSEWAY_REASON_H

#include <causeway/common.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cw_reason_protocol {
	CW_REASON_OTHER = 0,      /* any other token, kept as written */
	CW_REASON_SIP = 1,        /* RFC 3326 §2: cause is a SIP status */
	CW_REASON_Q850 = 2,       /* RFC 3326 §2: cause is a Q.850 cause */
	CW_REASON_PREEMPTION = 3  /* RFC 4411 §5 */
};

/* Per-value flags. */
#define CW_REASON_F_DUPLICATE 0x01u     /* same protocol seen before: ignored (RFC 3326 §2) */
#define CW_REASON_F_BAD_LOCATION 0x02u  /* location= present but not an RFC 8606 name: ignored */
#define CW_REASON_F_IGNORED_LOCATION 0x04u /* location= on a non-Q.850 value: ignored (RFC 8606 §3) */
#define CW_REASON_F_PARAMS_TRUNCATED 0x08u /* more than CW_REASON_MAX_PARAMS unknown params */
#define CW_REASON_F_TEXT_TRUNCATED 0x10u   /* text buffer full: text cut */
#define CW_REASON_F_DUPLICATE_PARAM 0x20u  /* a parameter repeated (RFC 3261 §7.3.1): first kept */

#define CW_REASON_MAX_PARAMS 8

typedef struct cw_reason_param {
	cw_str name;   /* points into the input */
	cw_str value;  /* points into the input; len 0 and ptr NULL if no value;
	                  a quoted-string value is kept with its quotes */
} cw_reason_param;

typedef struct cw_reason {
	int error;                        /* 0, or the CW_E* code why this value is unusable */
	cw_str error_at;                  /* the value's raw text when error != 0 (into input) */
	enum cw_reason_protocol protocol;
	cw_str protocol_token;            /* as written (into input) */
	int cause;                        /* -1 if absent */
	int location;                     /* 0..15, or CW_LOCATION_UNKNOWN (-1) */
	int has_text;                     /* 1 if text= was present */
	cw_str text;                      /* unescaped (into the caller's text buffer) */
	unsigned flags;                   /* CW_REASON_F_* */
	size_t nparams;                   /* unknown parameters kept */
	cw_reason_param params[CW_REASON_MAX_PARAMS];
} cw_reason;

/*
 * A list of parsed values, accumulated over one or more header lines.
 * Initialise with cw_reason_list_init(); all storage is the caller's.
 */
typedef struct cw_reason_list {
	cw_reason *values;   /* caller array */
	size_t capacity;
	size_t count;        /* values stored (<= capacity) */
	size_t seen;         /* values seen; seen > count means values were dropped */
	char *text;          /* caller buffer for unescaped text */
	size_t text_capacity;
	size_t text_used;
} cw_reason_list;

CW_EXTERN void cw_reason_list_init(cw_reason_list *list, cw_reason *values, size_t capacity,
                                   char *text, size_t text_capacity);

/*
 * cw_reason_list_parse() - parse one Reason header field value (the part
 * after "Reason:"; one header line, possibly folded), appending its
 * comma-separated values to list. Call once per header line.
 *
 * Grammar: RFC 3326 §2 with RFC 3261 §25.1 SWS/LWS, quoted-string and
 * token rules; protocol and parameter names are case-insensitive; cause
 * is 1*DIGIT, range-checked per protocol (Q.850 1..127, SIP 100..699);
 * text is a quoted-string, unescaped; location per RFC 8606 (Q.850 only).
 *
 * A malformed value is stored with error != 0 and parsing resumes at the
 * next top-level comma: a bad value never spoils the good ones. A value
 * whose protocol was already seen is kept but flagged
 * CW_REASON_F_DUPLICATE (the first one wins).
 *
 * Cost is linear in len; the duplicate check is linear in the values
 * stored, so keep the capacity small (a SIP message rarely carries more
 * than 3 values; 16 to 64 is plenty).
 *
 * Returns 0 when the line was read to its end (even if some values carry
 * errors), CW_EINVAL for NULL arguments. Values beyond the capacity are
 * counted in list->seen but not stored.
 */
CW_EXTERN int cw_reason_list_parse(cw_reason_list *list, const char *value, size_t len);

/*
 * cw_reason_list_find() - the first usable (error == 0, not duplicate)
 * value with the given protocol, or NULL.
 */
CW_EXTERN const cw_reason *cw_reason_list_find(const cw_reason_list *list,
                                               enum cw_reason_protocol protocol);

/*
 * cw_reason_format() - one reason-value: PROTOCOL;cause=N[;text="..."][;location=L]
 * protocol is CW_REASON_SIP, CW_REASON_Q850 or CW_REASON_PREEMPTION.
 * text may be NULL; it is escaped as a quoted-string (quote and backslash
 * as quoted-pairs; CR, LF and invalid UTF-8 replaced by a space).
 * location is written only for Q.850 and 0..15 (RFC 8606 §3).
 * Writes a NUL-terminated string. Returns 0, CW_ENOSPC (buf untouched
 * beyond len) or CW_ERANGE/CW_EINVAL. *ret_len (may be NULL) gets the length.
 */
CW_EXTERN int cw_reason_format(char *buf, size_t len, enum cw_reason_protocol protocol,
                               int cause, const char *text, int location, size_t *ret_len);

/* cw_reason_protocol_name() - "SIP", "Q.850", "preemption", "other". */
CW_EXTERN const char *cw_reason_protocol_name(enum cw_reason_protocol protocol);

#ifdef __cplusplus
}
#endif

#endif /* CAUSEWAY_REASON_H */
