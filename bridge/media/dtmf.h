/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/dtmf.h — DTMF between the B-channel and RTP, one call, one
 * object per direction:
 *
 *  - cwm_dtmf_in (TDM -> SIP): each 20 ms frame from the B-channel goes
 *    through a DTMF receiver (spandsp dtmf_rx); a digit heard becomes an
 *    RFC 4733 telephone-event: one packet per frame while the tone lasts,
 *    the end packet three times (§2.5.1), with the option to mute the
 *    in-band audio while the digit is sent as events.
 *  - cwm_dtmf_out (SIP -> TDM): RFC 4733 events received are played as
 *    in-band DTMF (spandsp dtmf_tx) into the frames toward the B-channel,
 *    for the event's duration (§2.5.2).
 *
 * Pure: no I/O, no clock. Time is the frames themselves (160 samples each,
 * 8000/s) and the RTP timestamps the caller passes. Samples are 16-bit
 * linear (cwm_g711_decode() / cwm_g711_encode() on the B-channel side).
 * Errors are negative errno values. README.md, "DTMF and fax tones", has
 * the calls in the order the media module makes them.
 */
#ifndef BRIDGE_MEDIA_DTMF_H
#define BRIDGE_MEDIA_DTMF_H

#include <stdbool.h>
#include <stdint.h>

#include "rtp_event.h"

#define CWM_DTMF_FRAME 160 /* samples of a 20 ms frame, also the timestamp step */

/* ---- TDM -> SIP ---------------------------------------------------------- */

struct cwm_dtmf_in_config {
	/* Accepted twist (ITU-T Q.24 §3): how far, in dB, the low group may lie
	 * above the high group (0: 8), and the high group above the low one
	 * (reverse_twist_db, 0: 4). A pair outside is not a digit. */
	int twist_db, reverse_twist_db;
	/* Quieter than this (dBm0 per tone, about) is not a digit; 0: -32. */
	int threshold_dbm0;
	bool filter_dialtone; /* spandsp's dial tone notch (350/440 Hz, 425 Hz) */
	/* Mute the in-band audio (linear 0) from the frame where a tone starts
	 * to the frame its end is heard, so the far end gets the digit once, as
	 * events. It costs one frame of delay: with suppress, the frame handed
	 * back is the one before (a digit is confirmed one frame after its first
	 * samples); the first call hands back silence. */
	bool suppress;
};

/* One RFC 4733 packet to send with the negotiated telephone-event payload
 * type: the payload octets (§2.3), the RTP timestamp of the event (the same
 * for all its packets, §2.5.1.2) and the marker (first packet only). */
struct cwm_dtmf_packet {
	struct cwm_rtp_event ev;
	uint8_t payload[CWM_RTP_EVENT_LEN];
	uint32_t timestamp;
	bool marker;
};

/* What one frame gave. */
struct cwm_dtmf_in_result {
	bool has_packet;            /* at most one packet per frame */
	struct cwm_dtmf_packet packet;
	char begin;                 /* a digit began with this frame ('0'-'9' * # A-D), or 0 */
	uint8_t begin_code, begin_volume; /* its RFC 4733 code (§3.2) and volume (-dBm0) */
	char end;                   /* the digit that ended with this frame, or 0 */
	bool muted;                 /* suppress: the frame was replaced by silence */
};

struct cwm_dtmf_in;

/* 0, -EINVAL (twist outside 0..20 dB, threshold outside -60..0) or -ENOMEM.
 * cfg NULL: the defaults, no suppression. */
int cwm_dtmf_in_new(const struct cwm_dtmf_in_config *cfg, struct cwm_dtmf_in **out);
void cwm_dtmf_in_free(struct cwm_dtmf_in *d);

/*
 * cwm_dtmf_in_frame() - one 20 ms frame from the B-channel, pcm[160],
 * whose first sample goes out at RTP timestamp ts. With suppress, pcm is
 * overwritten with the frame before, or with silence (res->muted). res->packet is the event packet
 * to send for this frame, instead of the frame's audio while one is sent.
 *
 * The schedule is cwm_rtp_event_tx's (rtp_event.h): the event's timestamp
 * is ts of the frame the digit was heard in; each frame after is one packet
 * with the duration grown by 160; the end goes out in three packets, one per
 * frame. A digit heard while the previous one's end packets are still going
 * out waits for them (at most two frames), so one event is never cut short
 * by the next. res->begin and res->end name the same edges for a sender
 * with a schedule of its own (cwm_rtp_session_event_begin() / _end()).
 * 0, or -EINVAL for a NULL argument.
 */
int cwm_dtmf_in_frame(struct cwm_dtmf_in *d, int16_t pcm[CWM_DTMF_FRAME], uint32_t ts,
                      struct cwm_dtmf_in_result *res);

/* Digits heard so far (for a CDR or a log); counters. */
struct cwm_dtmf_in_stats {
	uint64_t digits, packets, muted_frames;
};
void cwm_dtmf_in_stats(const struct cwm_dtmf_in *d, struct cwm_dtmf_in_stats *out);

/* ---- SIP -> TDM ---------------------------------------------------------- */

struct cwm_dtmf_out_config {
	/* An event whose packets stopped (all its end packets lost) ends this
	 * long after its last packet; 0: 300 ms. Only cwm_dtmf_out_packet()
	 * knows about every packet; after cwm_dtmf_out_report() only max_ms
	 * holds. */
	unsigned idle_ms;
	/* No tone is played longer; 0: 10000 ms. */
	unsigned max_ms;
	/* Each digit plays at least this long, with at least this silence
	 * before the next (ITU-T Q.24: 40 ms each); 0: 40, 40. */
	unsigned min_on_ms, min_off_ms;
};

struct cwm_dtmf_out;

/* 0, -EINVAL (a time above 60000 ms) or -ENOMEM. cfg NULL: the defaults. */
int cwm_dtmf_out_new(const struct cwm_dtmf_out_config *cfg, struct cwm_dtmf_out **out);
void cwm_dtmf_out_free(struct cwm_dtmf_out *g);

/*
 * cwm_dtmf_out_packet() - one received telephone-event packet (decoded
 * with cwm_rtp_event_decode()) at its RTP timestamp. Updates and the
 * redundant end packets are absorbed (cwm_rtp_event_rx, §2.5.2); an event
 * whose start was lost begins with the first of its packets that arrives.
 * 0; -EINVAL for an event code that is not a DTMF digit (0..15; others,
 * flash 16 among them, are ignored after the report of the previous
 * event's end).
 */
int cwm_dtmf_out_packet(struct cwm_dtmf_out *g, const struct cwm_rtp_event *ev,
                        uint32_t timestamp);

/* cwm_dtmf_out_report() - the same from cwm_rtp_session_next_event()'s
 * BEGIN and END reports. 0, or -EINVAL as above. */
int cwm_dtmf_out_report(struct cwm_dtmf_out *g, const struct cwm_rtp_event_report *r);

/*
 * cwm_dtmf_out_frame() - the next 20 ms frame toward the B-channel: while
 * a digit plays, or in the silence after it, pcm is overwritten (tone, then
 * 0); otherwise it is left as it is. The digit plays from the frame after
 * its BEGIN for the event's final duration (at least min_on_ms), ending
 * inside a frame when the duration says so. 1 when pcm was written, 0 when
 * not.
 */
int cwm_dtmf_out_frame(struct cwm_dtmf_out *g, int16_t pcm[CWM_DTMF_FRAME]);

/* Played digits so far, and counters. */
struct cwm_dtmf_out_stats {
	uint64_t digits, timeouts, dropped; /* dropped: the queue of waiting digits was full */
};
void cwm_dtmf_out_stats(const struct cwm_dtmf_out *g, struct cwm_dtmf_out_stats *out);

#endif /* BRIDGE_MEDIA_DTMF_H */
