/* SPDX-License-Identifier: MIT */
/* bridge/media/rtp_event.c — RFC 4733 telephone-events. */
#include <errno.h>
#include <string.h>

#include "rtp_event.h"
#include "rtp_packet.h"

#define EVENT_E_BIT 0x80
#define EVENT_VOLUME_MASK 0x3f
#define SEGMENT_MAX 0xffffu /* RFC 4733 §2.5.1.3: the duration field's limit */

static const char event_digits[] = "0123456789*#ABCD"; /* RFC 4733 §3.2 Table 7 */

int cwm_rtp_event_encode(const struct cwm_rtp_event *ev, uint8_t buf[CWM_RTP_EVENT_LEN])
{
	if (ev->volume > EVENT_VOLUME_MASK)
		return -EINVAL;
	buf[0] = ev->event;
	buf[1] = (uint8_t)((ev->end ? EVENT_E_BIT : 0) | ev->volume); /* R bit 0 (§2.3.2) */
	cwm_rtp_put16(buf + 2, ev->duration);
	return 0;
}

int cwm_rtp_event_decode(const uint8_t *buf, unsigned len, struct cwm_rtp_event *out)
{
	if (len < CWM_RTP_EVENT_LEN)
		return -EBADMSG;
	out->event = buf[0];
	out->end = (buf[1] & EVENT_E_BIT) != 0;
	out->volume = buf[1] & EVENT_VOLUME_MASK; /* the R bit is ignored by a receiver (§2.3.2) */
	out->duration = cwm_rtp_get16(buf + 2);
	return 0;
}

int cwm_rtp_event_from_digit(char digit, uint8_t *code)
{
	const char *p = digit ? strchr(event_digits, digit >= 'a' && digit <= 'd' ? digit - 32 : digit)
	                      : NULL;

	if (!p)
		return -EINVAL;
	*code = (uint8_t)(p - event_digits);
	return 0;
}

int cwm_rtp_event_to_digit(uint8_t code, char *digit)
{
	if (code >= sizeof(event_digits) - 1)
		return -EINVAL;
	*digit = event_digits[code];
	return 0;
}

int cwm_rtp_event_tx_begin(struct cwm_rtp_event_tx *tx, uint8_t event, uint8_t volume,
                          uint32_t timestamp)
{
	if (volume > EVENT_VOLUME_MASK)
		return -EINVAL;
	if (tx->active)
		return -EBUSY;
	*tx = (struct cwm_rtp_event_tx){ .active = true, .event = event, .volume = volume,
		                        .timestamp = timestamp, .first = true };
	return 0;
}

void cwm_rtp_event_tx_end(struct cwm_rtp_event_tx *tx)
{
	if (tx->active && tx->ends_left == 0)
		tx->ends_left = CWM_RTP_EVENT_END_COPIES;
}

int cwm_rtp_event_tx_next(struct cwm_rtp_event_tx *tx, unsigned samples, struct cwm_rtp_event *ev,
                         uint32_t *timestamp, bool *marker)
{
	if (!tx->active)
		return 0;
	if (tx->ends_left == 0) {
		if (tx->duration + samples > SEGMENT_MAX) { /* §2.5.1.3: a new segment */
			tx->timestamp += tx->duration;
			tx->duration = 0;
		}
		tx->duration += samples;
	}
	ev->event = tx->event;
	ev->volume = tx->volume;
	ev->duration = (uint16_t)tx->duration;
	ev->end = tx->ends_left > 0;
	*timestamp = tx->timestamp;
	*marker = tx->first;
	tx->first = false;
	if (tx->ends_left > 0 && --tx->ends_left == 0)
		tx->active = false;
	return 1;
}

static void report(struct cwm_rtp_event_report *r, enum cwm_rtp_event_report_kind kind,
                   const struct cwm_rtp_event_rx *rx)
{
	*r = (struct cwm_rtp_event_report){ .kind = kind, .event = rx->event, .volume = rx->volume,
		                           .timestamp = rx->timestamp, .duration = rx->duration };
}

int cwm_rtp_event_rx_packet(struct cwm_rtp_event_rx *rx, const struct cwm_rtp_event *ev,
                           uint32_t timestamp, struct cwm_rtp_event_report out[3])
{
	int n = 0;

	if (rx->have_last && timestamp == rx->timestamp) {
		if (!rx->active) /* a redundant end packet, or a late update (§2.5.2.2) */
			return 0;
		if (ev->duration > rx->duration)
			rx->duration = ev->duration;
		if (ev->end) {
			rx->active = false;
			report(&out[n++], CWM_RTP_EVENT_END, rx);
		}
		return n;
	}
	/* A new event. A timestamp behind the last one is an old packet (§2.5.2.1). */
	if (rx->have_last && (int32_t)(timestamp - rx->timestamp) < 0)
		return 0;
	if (rx->active) { /* the previous event's end packets were all lost */
		rx->active = false;
		report(&out[n++], CWM_RTP_EVENT_END, rx);
	}
	rx->have_last = true;
	rx->timestamp = timestamp;
	rx->event = ev->event;
	rx->volume = ev->volume;
	rx->duration = ev->duration;
	rx->active = !ev->end;
	report(&out[n++], CWM_RTP_EVENT_BEGIN, rx);
	if (ev->end) /* a short event seen only by its end packet */
		report(&out[n++], CWM_RTP_EVENT_END, rx);
	return n;
}
