/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/linger.h — what is left of a server transaction once it only
 * absorbs retransmissions (README "Lingering transactions").
 *
 * A non-INVITE server transaction that sent its final response over UDP
 * waits in Completed for timer J, 64*T1 = 32 s (RFC 3261 §17.2.2), only to
 * send that response again when the request is retransmitted. libosip2
 * keeps the whole transaction for it: the parsed request and response,
 * and through it the call with its dialog. The adapter keeps instead one
 * record per such transaction: the key a retransmission matches on
 * (RFC 3261 §17.2.3: top-Via branch and sent-by, the method; the Call-ID
 * and CSeq number too, which a retransmission repeats and which tell apart
 * requests whose branch is not unique, RFC 2543's), the serialized
 * response and where it went, until the deadline.
 *
 * Pure: no socket, no libosip2, no clock (times are the caller's
 * milliseconds, monotonic). One thread owns a table.
 */
#ifndef BRIDGE_SIP_LINGER_H
#define BRIDGE_SIP_LINGER_H

#include <stddef.h>

/* What a retransmission matches on; a NULL field is taken as "". */
struct cws_linger_key {
	const char *branch;      /* top-Via branch */
	const char *host;        /* top-Via sent-by host (compared without case) */
	const char *port;        /* top-Via sent-by port, NULL when absent */
	const char *method;
	const char *call_id;     /* the whole Call-ID */
	const char *cseq;        /* the CSeq number */
};

/* Where the response went, to send it there again. */
struct cws_linger_dest {
	int proto;               /* enum cws_proto */
	int sock;                /* the transport's socket, -1 its default */
	const char *host;
	int port;
};

struct cws_linger_entry;

struct cws_linger {
	struct cws_linger_entry **buckets;
	unsigned nbuckets;
	struct cws_linger_entry *oldest, *newest; /* by deadline */
	size_t count;
	size_t bytes;            /* allocated for the records */
};

/* cws_linger_init() - an empty table of nbuckets (1..1<<20). 0, -EINVAL, -ENOMEM. */
int cws_linger_init(struct cws_linger *t, unsigned nbuckets);
/* cws_linger_free() - every record, then the buckets. */
void cws_linger_free(struct cws_linger *t);

/*
 * cws_linger_add() - a record of key (strings copied), the response
 * resp[0..len) with its status, and dest, kept until expires_ms. A record
 * of the same key is replaced. 0, -EINVAL, -ENOMEM (nothing kept).
 */
int cws_linger_add(struct cws_linger *t, const struct cws_linger_key *key, int status,
                   const char *resp, size_t len, const struct cws_linger_dest *dest,
                   long long expires_ms);

/*
 * cws_linger_match() - the record of key not expired at now_ms, else NULL
 * (a request that is not a retransmission: a new transaction). The record
 * stays until cws_linger_expire() removes it.
 */
const struct cws_linger_entry *cws_linger_match(const struct cws_linger *t,
                                                const struct cws_linger_key *key,
                                                long long now_ms);

/* What a matched record says: its response, status, method and destination. */
const char *cws_linger_response(const struct cws_linger_entry *e, size_t *ret_len);
int cws_linger_status(const struct cws_linger_entry *e);
const char *cws_linger_method(const struct cws_linger_entry *e);
void cws_linger_dest_of(const struct cws_linger_entry *e, struct cws_linger_dest *ret);

/* cws_linger_expire() - remove the records due at now_ms; how many. */
size_t cws_linger_expire(struct cws_linger *t, long long now_ms);
/* cws_linger_next() - the earliest deadline, -1 when the table is empty. */
long long cws_linger_next(const struct cws_linger *t);

#endif /* BRIDGE_SIP_LINGER_H */
