/* SPDX-License-Identifier: MIT */
/*
 * sdp_oa.h — SDP offer/answer (RFC 3264) for one B-channel's audio stream.
 *
 * Pure: no I/O, no clock. Session descriptions are parsed with libosip2's
 * SDP parser (osipparser2's sdp_message_parse()) and written here. One
 * handle per call keeps the negotiated stream, the o= session id and
 * version (RFC 3264 §8: the version goes up by one on every change) and
 * the m= lines of the last exchange, so that re-offers are judged against
 * the session they would change and a refused one leaves it as it was.
 *
 * What the gateway serves: one audio stream over RTP/AVP with G.711
 * (RFC 3551 §4.5.14: PT 8 PCMA, PT 0 PCMU, or a dynamic PT with rtpmap),
 * telephone-event (RFC 4733) events 0-15, ptime 10-30 ms. Every other m=
 * line is answered with port 0 (RFC 3264 §6). SDP.md has the rules and
 * the choices made where RFC 3264 leaves room.
 *
 * Every function returns 0 or a negative error: -EINVAL (an argument),
 * -ENOSPC (the output buffer), -ENOMEM, CWCOM_ESTATE (not permitted
 * now: an answer with no offer outstanding, an offer received while ours
 * is pending, RFC 3264 §4). A description the gateway cannot accept is
 * not an error: the function returns 0 with result->accepted = 0 and the
 * SIP status, Q.850 cause and Warning code to use.
 */
#ifndef BRIDGE_MEDIA_SDP_OA_H
#define BRIDGE_MEDIA_SDP_OA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The span's companding law (G.711 A-law on E1, µ-law on T1/J1). */
enum cwm_sdp_oa_law {
	CWM_SDP_OA_ALAW, /* PCMA */
	CWM_SDP_OA_ULAW, /* PCMU */
};

/*
 * Direction of a stream, as bits from one side's point of view: SEND (1)
 * and RECV (2). RFC 3264 §6.1: sendonly is answered recvonly and the
 * reverse; sendrecv and inactive answer themselves.
 */
enum cwm_sdp_oa_direction {
	CWM_SDP_OA_INACTIVE = 0,
	CWM_SDP_OA_SENDONLY = 1,
	CWM_SDP_OA_RECVONLY = 2,
	CWM_SDP_OA_SENDRECV = 3,
};

/* What the caller decided for this call; copied by cwm_sdp_oa_new(). */
struct cwm_sdp_oa_config {
	enum cwm_sdp_oa_law law;  /* the span's law: preferred in answers and offers */
	int offer_both_laws;     /* 1: offers list the other law after the span's */
	/* 1: telephone-event (RFC 4733 §7) is neither offered nor taken from an offer
	 * or answer (te_pt -1): DTMF stays in-band */
	int no_telephone_event;
	/* 1: the call's bearer is unrestricted digital (Q.931 §4.5.5): offers carry
	 * clearmode only (RFC 4040 §3, PT 97, no telephone-event) and the answer must
	 * take it. Answers do not look at it: an offer is served with G.711 when it
	 * has G.711, else with clearmode when it has that (result media.clearmode). */
	int clearmode;
	/*
	 * The c= and o= address: an IPv4 or IPv6 literal the caller chose (a
	 * configured media address, or the address of the interface a
	 * wildcard bind resolves to). A wildcard (0.0.0.0, ::) is refused
	 * with -EINVAL: in a c= line it means hold (RFC 3264 §8.4).
	 */
	const char *address;
	unsigned port;          /* our RTP port, even (RFC 3550 §11), 1-65535 */
	uint64_t session_id;    /* o= sess-id (RFC 4566 §5.2), kept for the call */
	uint64_t session_version; /* o= sess-version of the first description sent */
};

/* The negotiated stream. */
struct cwm_sdp_oa_media {
	enum cwm_sdp_oa_law law;  /* the codec on the wire */
	int conversion;          /* 1: the codec's law is not the span's (A/µ conversion) */
	int pt;                  /* its payload type, as the remote side numbers it */
	int te_pt;               /* telephone-event PT, or -1 when not negotiated */
	uint16_t te_events;      /* bit N: event N (0-15) agreed */
	unsigned ptime;          /* ms per packet, 10-30 */
	enum cwm_sdp_oa_direction direction; /* what the gateway does: send and/or receive */
	int held;                /* 1: the remote side holds the call (sendonly, inactive, 0.0.0.0) */
	int family;              /* 4 or 6: the remote address's family (c= addrtype) */
	int address_is_name;     /* 1: address is a host name (RFC 4566 §5.7) the caller resolves */
	char address[64];        /* the remote RTP address: a literal, or a name */
	unsigned port;           /* the remote RTP port */
	unsigned m_index;        /* which m= line (0-based) carries it */
	int clearmode;           /* 1: clearmode (RFC 4040): the channel's octets unconverted,
	                            PT pt; law is the span's, no conversion, te_pt -1 */
};

/* Bits of cwm_sdp_oa_result.changes: what a re-offer or answer changed. */
#define CWM_SDP_OA_CHANGED_CODEC 0x01u     /* law or PT */
#define CWM_SDP_OA_CHANGED_REMOTE 0x02u    /* remote address or port */
#define CWM_SDP_OA_CHANGED_DIRECTION 0x04u /* direction or held */
#define CWM_SDP_OA_CHANGED_PTIME 0x08u
#define CWM_SDP_OA_CHANGED_EVENTS 0x10u    /* telephone-event PT or events */

struct cwm_sdp_oa_result {
	int accepted;       /* 1: media holds the session now */
	/* When not accepted: answer the offer with sip_status (488, RFC 3261
	 * §21.4.26) and Warning warning (RFC 3261 §20.43) with warning_text;
	 * on the ISDN side cause, what RFC 3398 §8.2.6.1 maps them to: 65
	 * (bearer capability not implemented) with Warning 304 (no audio
	 * stream the gateway can serve) or 305 (no common codec), 31 with
	 * Warning 399 (a malformed description, or one breaking RFC 3264 §6
	 * or §8). Zero when accepted. */
	int sip_status;
	int cause;
	int warning;
	const char *warning_text; /* static text, "" when accepted */
	unsigned changes;   /* CWM_SDP_OA_CHANGED_* against the previous session; all
	                       bits on the first exchange */
	struct cwm_sdp_oa_media media; /* the session (the old one when refused) */
};

struct cwm_sdp_oa;

/* cwm_sdp_oa_new() - a handle for one call. 0, -EINVAL, -ENOMEM. */
int cwm_sdp_oa_new(const struct cwm_sdp_oa_config *config, struct cwm_sdp_oa **ret_oa);

void cwm_sdp_oa_free(struct cwm_sdp_oa *oa);

/*
 * cwm_sdp_oa_answer() - answer the offer sdp[0..len) (RFC 3264 §6; §8 when
 * a session exists). When accepted, the answer is written to buf (NUL
 * terminated, *ret_len its length) and the session is the new one. When
 * refused, nothing is written and the session stays as it was (a refused
 * re-offer: 488, the call goes on).
 */
int cwm_sdp_oa_answer(struct cwm_sdp_oa *oa, const char *sdp, size_t len, char *buf, size_t cap,
                     size_t *ret_len, struct cwm_sdp_oa_result *result);

/*
 * cwm_sdp_oa_offer() - write an offer (RFC 3264 §5) to buf: the span's law
 * first, the other law when configured, telephone-event/8000 (PT 101,
 * events 0-15), ptime 20, the direction given (CWM_SDP_OA_SENDONLY or
 * INACTIVE to hold, RFC 3264 §8.4). After an exchange it is a re-offer
 * (§8): every m= line of the session comes back, the refused ones with
 * port 0. The offer is pending until cwm_sdp_oa_process_answer().
 */
int cwm_sdp_oa_offer(struct cwm_sdp_oa *oa, enum cwm_sdp_oa_direction direction, char *buf,
                    size_t cap, size_t *ret_len);

/*
 * cwm_sdp_oa_process_answer() - judge the answer sdp[0..len) to our
 * pending offer (RFC 3264 §5, §6). Refused when the audio line has port 0
 * or names no codec we offered, or the m= lines do not match the offer;
 * an initial exchange then leaves no session, a re-offer the old one.
 */
int cwm_sdp_oa_process_answer(struct cwm_sdp_oa *oa, const char *sdp, size_t len,
                             struct cwm_sdp_oa_result *result);

/* cwm_sdp_oa_session() - the current session: 0, or -ENOENT when none. */
int cwm_sdp_oa_session(const struct cwm_sdp_oa *oa, struct cwm_sdp_oa_media *ret_media);

/* cwm_sdp_oa_version() - the o= sess-version of the last description written. */
uint64_t cwm_sdp_oa_version(const struct cwm_sdp_oa *oa);

#ifdef __cplusplus
}
#endif

#endif /* BRIDGE_MEDIA_SDP_OA_H */
