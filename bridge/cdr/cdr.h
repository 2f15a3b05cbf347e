/* SPDX-License-Identifier: MIT */
/*
 * bridge/cdr/cdr.h — the call detail record of causeway-bridge: one JSON
 * line per call in the format of docs/cdr.md (version 1), and the file it
 * is appended to.
 *
 * struct cwcdr is plain data the daemon fills as the call goes; the
 * strings it points to are the caller's and only read by cwcdr_format().
 * cwcdr_format() writes the whole line into one buffer, so that
 * cwcdr_file_append() can hand it to a single write() on an O_APPEND file
 * (docs/cdr.md "The file": concurrent writers and a crash never interleave
 * or split records).
 */
#ifndef BRIDGE_CDR_H
#define BRIDGE_CDR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CWCDR_VERSION 1
#define CWCDR_LINE_MAX 65536 /* bytes per line without the LF (docs/cdr.md) */
#define CWCDR_REASONS_MAX 8  /* Reason values kept per list */
#define CWCDR_ATTEMPTS_MAX 16

enum cwcdr_direction {
	CWCDR_SIP_TO_ISDN = 0, /* INVITE received, SETUP sent (RFC 3398 §7) */
	CWCDR_ISDN_TO_SIP = 1  /* SETUP received, INVITE sent (RFC 3398 §8) */
};

/* A Cause IE sent or received (Q.850 §2.2). present 0 writes null. */
struct cwcdr_cause {
	int present;
	int cause;       /* 1..127 */
	int location;    /* 0..15 or CW_LOCATION_UNKNOWN */
	int coding;      /* enum cw_coding_standard, 0 = ITU-T */
	int diagnostic;  /* the IE carried a diagnostic */
};

/* One attempt of routes_tried[]: a SIP target (isdn-to-sip) or a span (sip-to-isdn). */
struct cwcdr_attempt {
	const char *route;   /* [route NAME], NULL = null */
	const char *target;  /* "host[:port]", NULL for a span */
	int span;            /* 1..127, 0 for a target */
	int status;          /* target: final status (408 if none came); 0 = null */
	int cause;           /* span: clearing cause 1..127 (required); 0 for a target */
	const char *reasons[CWCDR_REASONS_MAX];
	size_t nreasons;
};

struct cwcdr {
	const char *call_id_sip;       /* NULL: no SIP leg */
	const char *sip_source;        /* sip-to-isdn: "ADDR:PORT" / "[ADDR]:PORT" the INVITE came
	                                  from; NULL = null */
	const char *sip_transport;     /* sip-to-isdn: "udp", "tcp"; NULL = null */
	int cref_isdn;                 /* 0..32767, -1: no ISDN leg */
	int span;                      /* 1..127, 0: none */
	enum cwcdr_direction direction;
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
	struct cwcdr_cause cause_sent, cause_received;
	const char *reasons_sent[CWCDR_REASONS_MAX];
	size_t nreasons_sent;
	const char *reasons_received[CWCDR_REASONS_MAX];
	size_t nreasons_received;
	const char *cleared_by;        /* "sip", "isdn", "local" */
	struct cwcdr_attempt attempts[CWCDR_ATTEMPTS_MAX];
	size_t nattempts;
	const char *rule_c2s, *rule_s2c, *rule_location; /* cw_rule_describe() text, NULL = null */
	int answered;
	const char *node;              /* [general] node: the gateway that wrote the line
	                                  (1-32 of A-Z a-z 0-9 _ - .); NULL = null */
	const char *bearer;            /* the set-up's bearer capability (Q.931 §4.5.5):
	                                  "speech", "3.1khz", "digital"; NULL = null */
};

/* cwcdr_init() - an empty record: no legs, no times, nothing sent or received. */
void cwcdr_init(struct cwcdr *cdr);

/*
 * cwcdr_format() - the record as one JSON line ending in LF, in a new
 * buffer (*ret_line, free()) of *ret_len bytes. Strings that are not
 * UTF-8 have the bad bytes replaced by U+FFFD; control characters are
 * escaped. Returns 0, -EINVAL (NULL, or a field out of its range:
 * the line would not pass `causeway audit`), CWCOM_ELIMIT (longer than
 * CWCDR_LINE_MAX), -ENOMEM.
 */
int cwcdr_format(const struct cwcdr *cdr, char **ret_line, size_t *ret_len);

struct cwcdr_file;

/* cwcdr_file_open() - open (create, mode 0640) path for appending. 0 or -errno. */
int cwcdr_file_open(const char *path, struct cwcdr_file **ret);

/*
 * cwcdr_file_append() - one write() of the line, then fdatasync(). 0, or
 * -errno (the line is then lost: the caller logs it, with the line).
 */
int cwcdr_file_append(struct cwcdr_file *file, const char *line, size_t len);

/* cwcdr_file_reopen() - reopen the same path (log rotation on SIGHUP). 0 or -errno. */
int cwcdr_file_reopen(struct cwcdr_file *file);

/* cwcdr_file_close() - NULL is ignored. */
void cwcdr_file_close(struct cwcdr_file *file);

#ifdef __cplusplus
}
#endif

#endif /* BRIDGE_CDR_H */
