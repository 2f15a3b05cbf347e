/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dtmf.c — libFuzzer target of the DTMF objects (dtmf.h). The first
 * octet chooses the direction:
 *
 *  - even: SIP -> TDM. The rest, in records of 8 octets, is RFC 4733
 *    traffic: a 4-octet payload (§2.3), a 16-bit step of the RTP timestamp,
 *    a frame count (0..3 frames run after it) and a flag octet (bit 0: give
 *    it as the session's BEGIN/END report instead of a packet);
 *  - odd: TDM -> SIP. The rest is 16-bit little-endian audio, frame by
 *    frame, with suppression when bit 1 of the first octet is set.
 *
 * The checks are the module's contracts: a frame left alone is unchanged;
 * no more digits play than began; toward SIP one packet per frame at most,
 * the marker only on an event's first packet, at most three end packets
 * per event and no new event before them, each event's duration growing by
 * one frame (or a new segment past 0xffff, §2.5.1.3), and a digit that
 * began is one of 0-9 * # A-D.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtmf.h"

#define FRAME CWM_DTMF_FRAME

static void sip_to_tdm(const uint8_t *data, size_t size)
{
	struct cwm_dtmf_out *g;
	uint32_t ts = 0;
	uint64_t begins = 0;

	if (cwm_dtmf_out_new(&(struct cwm_dtmf_out_config){ .idle_ms = 100, .max_ms = 2000 }, &g) < 0)
		abort();
	for (size_t off = 0; off + 8 <= size; off += 8) {
		const uint8_t *r = data + off;
		struct cwm_rtp_event ev;

		ts += (uint32_t)(r[4] << 8 | r[5]);
		if (cwm_rtp_event_decode(r, 4, &ev) < 0)
			abort(); /* four octets always decode */
		if (r[7] & 1) {
			struct cwm_rtp_event_report rep = {
				.kind = ev.end ? CWM_RTP_EVENT_END : CWM_RTP_EVENT_BEGIN,
				.event = ev.event, .volume = ev.volume, .timestamp = ts,
				.duration = ev.duration,
			};

			if (cwm_dtmf_out_report(g, &rep) == 0 && !ev.end)
				begins++;
		} else {
			int rc = cwm_dtmf_out_packet(g, &ev, ts);

			if (rc != 0 && rc != -EINVAL)
				abort();
			begins++; /* at most one event begins per packet */
		}
		for (unsigned f = 0; f < (r[6] & 3u); f++) {
			int16_t pcm[FRAME], before[FRAME];

			for (int i = 0; i < FRAME; i++)
				pcm[i] = before[i] = (int16_t)(i * 97 + off);
			if (cwm_dtmf_out_frame(g, pcm) == 0 && memcmp(pcm, before, sizeof(pcm)) != 0)
				abort();
		}
	}
	struct cwm_dtmf_out_stats st;

	cwm_dtmf_out_stats(g, &st);
	if (st.digits > begins)
		abort();
	cwm_dtmf_out_free(g);
}

static void tdm_to_sip(const uint8_t *data, size_t size, bool suppress)
{
	struct cwm_dtmf_in *d;
	uint32_t event_ts = 0, last_duration = 0;
	unsigned ends = 0;
	bool in_event = false;

	if (cwm_dtmf_in_new(&(struct cwm_dtmf_in_config){ .suppress = suppress }, &d) < 0)
		abort();
	for (size_t off = 0, f = 0; off + 2 * FRAME <= size; off += 2 * FRAME, f++) {
		int16_t pcm[FRAME];
		struct cwm_dtmf_in_result res;

		for (int i = 0; i < FRAME; i++)
			pcm[i] = (int16_t)(data[off + 2 * i] | data[off + 2 * i + 1] << 8);
		if (cwm_dtmf_in_frame(d, pcm, (uint32_t)(f * FRAME), &res) < 0)
			abort();
		if (res.begin && !strchr("0123456789*#ABCD", res.begin))
			abort();
		if (!res.has_packet)
			continue;
		const struct cwm_dtmf_packet *p = &res.packet;

		if (p->marker) { /* a new event */
			if (p->ev.end || p->ev.duration != FRAME || (in_event && ends != 3))
				abort();
			in_event = true;
			event_ts = p->timestamp;
			ends = 0;
		} else if (in_event && !p->ev.end && !ends && p->timestamp == event_ts + last_duration &&
		           last_duration + FRAME > 0xffff && p->ev.duration == FRAME) {
			event_ts = p->timestamp; /* §2.5.1.3: the next segment */
		} else if (!in_event || p->timestamp != event_ts) {
			abort();
		} else if (!p->ev.end && (ends || p->ev.duration != last_duration + FRAME)) {
			abort();
		}
		if (p->ev.end && ++ends > 3)
			abort();
		last_duration = p->ev.duration;
	}
	cwm_dtmf_in_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		tdm_to_sip(data + 1, size - 1, data[0] & 2);
	else
		sip_to_tdm(data + 1, size - 1);
	return 0;
}
