/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/rtp_event.h — RFC 4733 telephone-events: the 4-octet
 * payload (§2.3), the sender's packet schedule (§2.5.1) and the receiver's
 * begin/end reports (§2.5.2). Pure: the caller passes the RTP timestamps.
 */
#ifndef BRIDGE_MEDIA_RTP_EVENT_H
#define BRIDGE_MEDIA_RTP_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#define CWM_RTP_EVENT_LEN 4       /* RFC 4733 §2.3 */
#define CWM_RTP_EVENT_END_COPIES 3 /* RFC 4733 §2.5.1.4: the final packet sent three times */
#define CWM_RTP_EVENT_MAX 255      /* RFC 4733 §3.2: 0-9 * # A-D are 0..15, flash 16 */

struct cwm_rtp_event {
	uint8_t event;     /* RFC 4733 §3.2 code: '0'..'9' = 0..9, '*' 10, '#' 11, A-D 12-15 */
	bool end;          /* E bit */
	uint8_t volume;    /* 0..63: -dBm0 of the tone (§2.3.3) */
	uint16_t duration; /* in timestamp units since the event's timestamp (§2.3.5) */
};

/* §2.3: event, E|R|volume, duration. -EINVAL for a volume above 63. */
int cwm_rtp_event_encode(const struct cwm_rtp_event *ev, uint8_t buf[CWM_RTP_EVENT_LEN]);
/* -EBADMSG when len is short of 4 octets (more are ignored: §2.3's payload
 * may carry redundant blocks, RFC 2198, which this side does not ask for). */
int cwm_rtp_event_decode(const uint8_t *buf, unsigned len, struct cwm_rtp_event *out);

/* The digit of an event code and back: -EINVAL outside 0-9 * # A-D. */
int cwm_rtp_event_from_digit(char digit, uint8_t *code);
int cwm_rtp_event_to_digit(uint8_t code, char *digit);

/*
 * The sender (§2.5.1): one event at a time. Begin at the timestamp of the
 * frame the key went down on; each frame after is one packet of the event
 * with the duration grown by the frame; end() arms the E bit, and the next
 * three packets carry it with the final duration (§2.5.1.4). The marker is
 * on the first packet only (§2.5.1.3). A duration beyond 0xffff is split
 * into segments (§2.5.1.3): a new timestamp, no marker.
 */
struct cwm_rtp_event_tx {
	bool active;
	uint8_t event, volume;
	uint32_t timestamp;      /* of the event (or of its current segment) */
	uint32_t duration;       /* so far, in the current segment */
	unsigned ends_left;      /* 0 while the key is down, then 3..1 */
	bool first;              /* the next packet is the first of the event */
};

int cwm_rtp_event_tx_begin(struct cwm_rtp_event_tx *tx, uint8_t event, uint8_t volume,
                          uint32_t timestamp);
void cwm_rtp_event_tx_end(struct cwm_rtp_event_tx *tx);
/*
 * cwm_rtp_event_tx_next() - the packet for one more frame of samples
 * (samples > 0). 1 with *ev, *timestamp and *marker to send, 0 when no event
 * is being sent. After the third end packet the sender is idle again.
 */
int cwm_rtp_event_tx_next(struct cwm_rtp_event_tx *tx, unsigned samples, struct cwm_rtp_event *ev,
                         uint32_t *timestamp, bool *marker);

/*
 * The receiver (§2.5.2): packets in, begin and end reports out, once each,
 * whatever the number of updates and of redundant end packets. An event is
 * named by its RTP timestamp; a new timestamp before an end was seen ends
 * the previous event (its end packets were lost, §2.5.2.2).
 */
struct cwm_rtp_event_rx {
	bool active;      /* an event began and has not ended */
	bool have_last;   /* the last event's timestamp is known */
	uint32_t timestamp;
	uint8_t event, volume;
	uint32_t duration;
};

enum cwm_rtp_event_report_kind { CWM_RTP_EVENT_BEGIN = 1, CWM_RTP_EVENT_END = 2 };

struct cwm_rtp_event_report {
	enum cwm_rtp_event_report_kind kind;
	uint8_t event, volume;
	uint32_t timestamp;
	uint32_t duration; /* at END: the final duration; at BEGIN: the first one */
};

/*
 * cwm_rtp_event_rx_packet() - one received event packet at timestamp. Up to
 * three reports in out[] (an END of the previous event, a BEGIN, and its END
 * when the first packet seen already ends it); the
 * number written is returned.
 */
int cwm_rtp_event_rx_packet(struct cwm_rtp_event_rx *rx, const struct cwm_rtp_event *ev,
                           uint32_t timestamp, struct cwm_rtp_event_report out[3]);

#endif /* BRIDGE_MEDIA_RTP_EVENT_H */
