/* SPDX-License-Identifier: MIT */
/*
 * bridge/cdr/cdr.h — the call detail record of causeway-bridge: one JSON
 * line per call in the format of docs/cdr.md (version 1), and the file it
 * is appended to.
 *
 * struct cw_cdr is plain data the daemon fills as the call goes; the
 * strings it points to are the caller's and only read by cw_cdr_format().
 * cw_cdr_format() writes the whole line into one buffer, so that
 * cw_cdr_file_append() can hand it to a single write() on an O_APPEND file
 * (docs/cdr.md "The file": concurrent writers and a crash never interleave
 * or split records).
 */
#ifndef CW_BRIDGE_CDR_H
#define CW_BRIDGE_CDR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CW_CDR_VERSION 1
#define CW_CDR_LINE_MAX 65536 /* bytes per line without the LF (docs/cdr.md) */
#define CW_CDR_REASONS_MAX 8  /* Reason values kept per list */
#define CW_CDR_ATTEMPTS_MAX 16

enum cw_cdr_direction {
	CW_CDR_SIP_TO_ISDN = 0, /* INVITE received, SETUP sent (RFC 3398 §7) */
	CW_CDR_ISDN_TO_SIP = 1  /* SETUP received, INVITE sent (RFC 3398 §8) */
};

/* A Cause IE sent or received (Q.850 §2.2). present 0 writes null. */
struct cw_cdr_cause {
	int present;
	int cause;       /* 1..127 */
	int location;    /* 0..15 or CW_LOCATION_UNKNOWN */
	int coding;      /* enum cw_coding_standard, 0 = ITU-T */
	int diagnostic;  /* the IE carried a diagnostic */
};

/* One attempt of routes_tried[]: a SIP target (isdn-to-sip) or a span (sip-to-isdn). */
struct cw_cdr_attempt {
	const char *route;   /* [route NAME], NULL = null */
	const char *target;  /* "host[:port]", NULL for a span */
	int span;            /* 1..127, 0 for a target */
	int status;          /* target: final status (408 if none came); 0 = null */
	int cause;           /* span: clearing cause 1..127 (required); 0 for a target */
	const char *reasons[CW_CDR_REASONS_MAX];
	size_t nreasons;
};

struct cw_cdr {
	const char *call_id_sip;       /* NULL: no SIP leg */
	const char *sip_source;        /* sip-to-isdn: "ADDR:PORT" / "[ADDR]:PORT" the INVITE came
	                                  from; NULL = null */
	const char *sip_transport;     /* sip-to-isdn: "udp", "tcp"; NULL = null */
	int cref_isdn;                 /* 0..32767, -1: no ISDN leg */
	int span;                      /* 1..127, 0: none */
	enum cw_cdr_direction direction;
	const char *called, *calling;  /* NULL = null */
	const char *presentation;      /* "allowed", "restricted", "unavailable", NULL */
	const char *profile;           /* cw_profile_name() */
	int64_t t_start_ms;            /* ms since the epoch */
	int64_t answer_after_ms;       /* from t_start; -1 = not answered */
	int64_t end_after_ms;          /* from t_start, >= 0 */
	int64_t first_provisional_ms;  /* from t_start; -1 = none */
	int64_t final_ms;              /* from t_start; -1 = none */
	int sip_status;                /* 200..699, 0 = null */
	int warning;                   /* 100..999, 0 = null */
	struct cw_cdr_cause cause_sent, cause_received;
	const char *reasons_sent[CW_CDR_REASONS_MAX];
	size_t nreasons_sent;
	const char *reasons_received[CW_CDR_REASONS_MAX];
	size_t nreasons_received;
	const char *cleared_by;        /* "sip", "isdn", "local" */
	struct cw_cdr_attempt attempts[CW_CDR_ATTEMPTS_MAX];
	size_t nattempts;
	const char *rule_c2s, *rule_s2c, *rule_location; /* cw_rule_describe() text, NULL = null */
	int answered;
};

/* cw_cdr_init() - an empty record: no legs, no times, nothing sent or received. */
void cw_cdr_init(struct cw_cdr *cdr);

/*
 * cw_cdr_format() - the record as one JSON line ending in LF, in a new
 * buffer (*ret_line, free()) of *ret_len bytes. Strings that are not
 * UTF-8 have the bad bytes replaced by U+FFFD; control characters are
 * escaped. Returns 0, CW_EINVAL (NULL, or a field out of its range:
 * the line would not pass `causeway audit`), CW_ELIMIT (longer than
 * CW_CDR_LINE_MAX), CW_ENOMEM.
 */
int cw_cdr_format(const struct cw_cdr *cdr, char **ret_line, size_t *ret_len);

struct cw_cdr_file;

/* cw_cdr_file_open() - open (create, mode 0640) path for appending. 0 or -errno. */
int cw_cdr_file_open(const char *path, struct cw_cdr_file **ret);

/*
 * cw_cdr_file_append() - one write() of the line, then fdatasync(). 0, or
 * -errno (the line is then lost: the caller logs it, with the line).
 */
int cw_cdr_file_append(struct cw_cdr_file *file, const char *line, size_t len);

/* cw_cdr_file_reopen() - reopen the same path (log rotation on SIGHUP). 0 or -errno. */
int cw_cdr_file_reopen(struct cw_cdr_file *file);

/* cw_cdr_file_close() - NULL is ignored. */
void cw_cdr_file_close(struct cw_cdr_file *file);

#ifdef __cplusplus
}
#endif

#endif /* CW_BRIDGE_CDR_H */
