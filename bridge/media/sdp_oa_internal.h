/* SPDX-License-Identifier: MIT */
/*
 * sdp_oa_internal.h — what the files of the offer/answer module share: a
 * session description read into fixed fields (sdp_oa_read.c) and the
 * writer of the gateway's own descriptions (sdp_oa_write.c).
 */
#ifndef BRIDGE_MEDIA_SDP_OA_INTERNAL_H
#define BRIDGE_MEDIA_SDP_OA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sdp_oa.h"

#define SDP_OA_MAX_LINES 16   /* m= lines in one description */
#define SDP_OA_TOKEN 32       /* media, proto */
#define SDP_OA_FMTS 256       /* an m= line's format list, as text */
#define SDP_OA_TE_ALL 0xffffu /* events 0-15 (RFC 4733 §3.2, DTMF) */
#define SDP_OA_TE_PT 101      /* our telephone-event PT in offers */
#define SDP_OA_CLEAR_PT 97    /* our clearmode PT in offers (RFC 4040 §5's example) */

/* A c= line (RFC 4566 §5.7), the media-level one or else the session's. */
struct sdp_oa_conn {
	int present;
	int family;         /* 4 or 6; 0 when not IN IP4/IP6 with a literal or name */
	int name;           /* a host name (RFC 4566 §5.7 FQDN), not a literal */
	int multicast;      /* a TTL or a multicast group: not served */
	int hold;           /* 0.0.0.0 (RFC 3264 §8.4, RFC 2543 hold) */
	char addr[64];
};

/* One m= line with what the gateway looks at. */
struct sdp_oa_line {
	char media[SDP_OA_TOKEN];
	char proto[SDP_OA_TOKEN];
	char fmts[SDP_OA_FMTS];  /* the format list, space separated, as received */
	unsigned port;
	int pcma_pt, pcmu_pt;    /* first PT of each law, or -1 */
	int first_law;           /* the law the line lists first, or -1 */
	int te_pt;               /* telephone-event/8000 PT, or -1 */
	uint16_t te_events;      /* events offered, limited to 0-15 */
	int clear_pt;            /* CLEARMODE/8000 PT (RFC 4040 §3, dynamic), or -1 */
	unsigned ptime, maxptime; /* 0: absent */
	enum cwm_sdp_oa_direction direction;
	struct sdp_oa_conn conn;
};

struct sdp_oa_desc {
	char t_start[24], t_stop[24]; /* the first t= line */
	unsigned n_lines;
	struct sdp_oa_line lines[SDP_OA_MAX_LINES];
};

/*
 * sdp_oa_read() - parse text[0..len) with sdp_message_parse() into *desc.
 * 0, -ENOMEM, or CWCOM_ESYNTAX with a static reason in *ret_why (not
 * parsed, an m= line without formats or with a bad port, too many m=
 * lines or too long a token).
 */
int sdp_oa_read(const char *text, size_t len, struct sdp_oa_desc *desc, const char **ret_why);

/* The reverse direction (RFC 3264 §6.1): sendonly <-> recvonly. */
enum cwm_sdp_oa_direction sdp_oa_reverse(enum cwm_sdp_oa_direction d);

/* An accumulating writer into buf[0..cap); overflow is remembered. */
struct sdp_oa_out {
	char *buf;
	size_t cap, len;
	int overflow;
};

void sdp_oa_printf(struct sdp_oa_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* v= and o= of one of our descriptions (RFC 4566 §5.1, §5.2). */
void sdp_oa_write_origin(struct sdp_oa_out *out, const char *address, uint64_t id,
                         uint64_t version);

/* s=, c= and t= (RFC 4566 §5.3, §5.7, §5.9): what follows o=. */
void sdp_oa_write_session(struct sdp_oa_out *out, const char *address, const char *t_start,
                          const char *t_stop);

/*
 * The m= line of our audio stream and its attributes: law's PT first (pt),
 * the other law's when other_pt >= 0, telephone-event when te_pt >= 0 with
 * te_events, ptime, direction. clearmode: pt is CLEARMODE/8000 (RFC 4040 §3)
 * and the only format; law, other_pt and te_pt are not written.
 */
struct sdp_oa_audio {
	const char *proto;
	unsigned port;
	enum cwm_sdp_oa_law law;
	int pt;
	int other_pt;
	int te_pt;
	uint16_t te_events;
	unsigned ptime;
	enum cwm_sdp_oa_direction direction;
	int clearmode;
};

void sdp_oa_write_audio(struct sdp_oa_out *out, const struct sdp_oa_audio *audio);

/* A refused m= line: port 0, the same media, proto and formats (RFC 3264 §6). */
void sdp_oa_write_refused(struct sdp_oa_out *out, const char *media, const char *proto,
                          const char *fmts);

#endif /* BRIDGE_MEDIA_SDP_OA_INTERNAL_H */
