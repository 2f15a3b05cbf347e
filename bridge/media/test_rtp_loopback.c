/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/test_rtp_loopback.c — two calls' RTP on 127.0.0.1: a 1004 Hz
 * tone for 2 s from one to the other, checked with a Goertzel filter on the
 * received side; latching and its refusals; RFC 4733 events across; RTCP
 * SR/RR both ways with a round-trip time; a codec change; clearmode octets across
 * unchanged. The time is the test's own
 * (`now` is passed in), the sockets are real.
 */
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "rtp_packet.h"
#include "rtp_session.h"
#include "test_loopback.h"
#include "tone_check.h"

#define FRAME_US 20000u
#define TONE_HZ 1004.0

int main(void)
{
	struct cwm_rtp_ports *ports;
	struct cwm_rtp_session *a, *b;
	struct cwm_rtp_session_stats sa, sb;
	static int16_t heard[100 * CWM_JB_FRAME];
	int16_t tone[CWM_JB_FRAME], silence[CWM_JB_FRAME] = { 0 }, out[CWM_JB_FRAME];
	uint64_t now = 0;
	uint16_t base;

	srand((unsigned)getpid());
	base = (uint16_t)(30000 + 2 * (rand() % 4000));
	CHECK_INT(cwm_rtp_ports_new(base, (uint16_t)(base + 99), &ports), 0);
	a = test_open_session(ports, 0x11111111, 30, CWM_G711_ALAW); /* 30 ms packets: packing */
	b = test_open_session(ports, 0x22222222, 20, CWM_G711_ALAW);
	CHECK(a && b);
	if (!a || !b)
		return check_done();

	/* A knows B's port from the answer; B was offered a wrong one (a NAT): it latches. */
	struct sockaddr_in to_b = test_loopback(cwm_rtp_session_port(b));
	struct sockaddr_in wrong = test_loopback((uint16_t)(cwm_rtp_session_port(a) + 50));

	CHECK_INT(cwm_rtp_session_put_frame(a, silence, now), -ENOTCONN); /* no answer yet */
	cwm_rtp_session_stats(a, now, &sa);
	CHECK_INT(sa.packets_sent, 0);
	CHECK_INT(cwm_rtp_session_set_remote(a, (struct sockaddr *)&to_b, sizeof(to_b)), 0);
	CHECK_INT(cwm_rtp_session_set_remote(b, (struct sockaddr *)&wrong, sizeof(wrong)), 0);

	/* 2 s of a 1004 Hz tone at -10 dBm0-ish, one 20 ms frame a tick both ways */
	unsigned phase = 0;

	for (int t = 0; t < 100; t++, now += FRAME_US) {
		tone_fill(tone, CWM_JB_FRAME, TONE_HZ, 8000, &phase);
		CHECK_INT(cwm_rtp_session_put_frame(a, tone, now), 0);
		cwm_rtp_session_put_frame(b, silence, now);
		usleep(200); /* loopback delivery */
		cwm_rtp_session_read_rtp(b, now);
		cwm_rtp_session_read_rtp(a, now);
		cwm_rtp_session_get_frame(b, heard + t * CWM_JB_FRAME);
		cwm_rtp_session_get_frame(a, out);
	}
	/* the last 1.5 s: all of the received power is the tone's */
	double share = tone_share(heard + 25 * CWM_JB_FRAME, 75 * CWM_JB_FRAME, TONE_HZ);
	double other = tone_share(heard + 25 * CWM_JB_FRAME, 75 * CWM_JB_FRAME, 2 * TONE_HZ);

	CHECK(share > 0.95);
	CHECK(other < 0.01);
	cwm_rtp_session_stats(a, now, &sa);
	cwm_rtp_session_stats(b, now, &sb);
	CHECK_INT(sa.packets_sent, 100 * 20 / 30 - (100 * 20 % 30 != 0 ? 0 : 0));
	CHECK_INT(sb.packets_received, sa.packets_sent);
	CHECK_INT(sb.latches, 1);
	CHECK_INT(sb.jb.frames_concealed, 0);
	CHECK_INT(sb.local.cumulative_lost, 0);

	struct sockaddr_storage latched;
	socklen_t len;

	CHECK_INT(cwm_rtp_session_remote(b, &latched, &len), 0);
	CHECK_INT(ntohs(((struct sockaddr_in *)&latched)->sin_port), cwm_rtp_session_port(a));
	CHECK(sa.packets_received > 90); /* B's silence reached A once B latched */

	/* A third party sends valid RTP to B: A's SSRC, then a new one while A talks. */
	int intruder = socket(AF_INET, SOCK_DGRAM, 0);
	uint8_t pkt[CWM_RTP_HEADER_LEN + 160];
	struct cwm_rtp_header h = { .payload_type = CWM_G711_ALAW, .seq = 1, .timestamp = 1,
		                   .ssrc = 0x11111111 };

	memset(pkt, 0xd5, sizeof(pkt));
	cwm_rtp_header_write(&h, pkt);
	sendto(intruder, pkt, sizeof(pkt), 0, (struct sockaddr *)&to_b, sizeof(to_b));
	h.ssrc = 0x33333333;
	cwm_rtp_header_write(&h, pkt);
	sendto(intruder, pkt, sizeof(pkt), 0, (struct sockaddr *)&to_b, sizeof(to_b));
	usleep(2000);
	cwm_rtp_session_read_rtp(b, now);
	cwm_rtp_session_stats(b, now, &sb);
	CHECK_INT(sb.foreign, 2);
	CHECK_INT(sb.latches, 1);
	/* After 500 ms of quiet from A, a new SSRC from a new address moves the latch once. */
	now += 600000;
	sendto(intruder, pkt, sizeof(pkt), 0, (struct sockaddr *)&to_b, sizeof(to_b));
	usleep(2000);
	cwm_rtp_session_read_rtp(b, now);
	cwm_rtp_session_stats(b, now, &sb);
	CHECK_INT(sb.latches, 2);
	close(intruder);
	CHECK_INT(cwm_rtp_session_set_remote(b, (struct sockaddr *)&latched, len), 0);

	/* RFC 4733: '5' held for 5 frames; B reports it once begun and once ended. */
	uint8_t five;
	struct cwm_rtp_event_report r;
	int begins = 0, ends = 0;

	CHECK_INT(cwm_rtp_event_from_digit('5', &five), 0);
	CHECK_INT(cwm_rtp_session_event_begin(a, five, 10), 0);
	for (int t = 0; t < 10; t++, now += FRAME_US) {
		if (t == 5)
			cwm_rtp_session_event_end(a);
		cwm_rtp_session_put_frame(a, tone, now);
		usleep(200);
		cwm_rtp_session_read_rtp(b, now);
		while (cwm_rtp_session_next_event(b, &r) == 1) {
			begins += r.kind == CWM_RTP_EVENT_BEGIN;
			ends += r.kind == CWM_RTP_EVENT_END;
			CHECK_INT(r.event, 5);
			if (r.kind == CWM_RTP_EVENT_END)
				CHECK_INT(r.duration, 5 * CWM_JB_FRAME);
		}
	}
	CHECK_INT(begins, 1);
	CHECK_INT(ends, 1);
	cwm_rtp_session_stats(a, now, &sa);
	CHECK_INT(sa.events_sent, 5 + 3);

	/* A codec change (a re-offer, SDP.md "Re-offers"): A sends PCMU; B drops it as not
	   negotiated until it takes PCMU too, then hears the tone again. */
	uint64_t invalid;

	CHECK_INT(cwm_rtp_session_set_codec(a, (enum cwm_g711_law)3, -1, 20), -EINVAL);
	CHECK_INT(cwm_rtp_session_set_codec(a, CWM_G711_ULAW, 95, 20), -EINVAL);
	CHECK_INT(cwm_rtp_session_set_codec(a, CWM_G711_ULAW, -1, 25), -EINVAL);
	CHECK_INT(cwm_rtp_session_set_codec(a, CWM_G711_ULAW, 101, 20), 0);
	cwm_rtp_session_stats(b, now, &sb);
	invalid = sb.invalid;
	CHECK_INT(cwm_rtp_session_put_frame(a, tone, now), 0);
	usleep(200);
	cwm_rtp_session_read_rtp(b, now);
	now += FRAME_US;
	cwm_rtp_session_stats(b, now, &sb);
	CHECK_INT(sb.invalid, invalid + 1);
	CHECK_INT(cwm_rtp_session_set_codec(b, CWM_G711_ULAW, 101, 20), 0);
	for (int t = 0; t < 50; t++, now += FRAME_US) {
		tone_fill(tone, CWM_JB_FRAME, TONE_HZ, 8000, &phase);
		CHECK_INT(cwm_rtp_session_put_frame(a, tone, now), 0);
		usleep(200);
		cwm_rtp_session_read_rtp(b, now);
		cwm_rtp_session_get_frame(b, heard + t * CWM_JB_FRAME);
	}
	CHECK(tone_share(heard + 25 * CWM_JB_FRAME, 25 * CWM_JB_FRAME, TONE_HZ) > 0.95);
	cwm_rtp_session_stats(b, now, &sb);
	CHECK_INT(sb.invalid, invalid + 1);

	/* A re-offer that drops telephone-event while a digit goes out: the event stops, and
	   nothing is sent under a payload type no longer negotiated; the audio goes on. */
	uint64_t events, received;

	CHECK_INT(cwm_rtp_session_event_begin(a, five, 10), 0);
	CHECK_INT(cwm_rtp_session_put_frame(a, tone, now), 0);
	now += FRAME_US;
	CHECK_INT(cwm_rtp_session_set_codec(a, CWM_G711_ULAW, -1, 20), 0);
	cwm_rtp_session_stats(a, now, &sa);
	events = sa.events_sent;
	usleep(200);
	cwm_rtp_session_read_rtp(b, now);
	cwm_rtp_session_stats(b, now, &sb);
	received = sb.packets_received;
	for (int t = 0; t < 4; t++, now += FRAME_US) {
		CHECK_INT(cwm_rtp_session_put_frame(a, tone, now), 0);
		usleep(200);
		cwm_rtp_session_read_rtp(b, now);
	}
	cwm_rtp_session_stats(a, now, &sa);
	CHECK_INT(sa.events_sent, events);
	cwm_rtp_session_stats(b, now, &sb);
	CHECK_INT(sb.invalid, invalid + 1);
	CHECK_INT(sb.packets_received, received + 4);

	/* Clearmode (RFC 4040): every octet value (0x7f and 0xff too, two mu-law zeros) arrives
	   as sent under PT 97, none concealed, whatever the law. */
	int16_t octets[CWM_JB_FRAME];
	unsigned audio_frames = 0, exact = 0;

	CHECK_INT(cwm_rtp_session_set_clearmode(a, 95, 20), -EINVAL);
	CHECK_INT(cwm_rtp_session_set_clearmode(a, 97, 25), -EINVAL);
	CHECK_INT(cwm_rtp_session_set_clearmode(a, 97, 20), 0);
	CHECK_INT(cwm_rtp_session_set_clearmode(b, 97, 20), 0);
	CHECK_INT(cwm_rtp_session_event_begin(a, five, 10), -EINVAL); /* no events */
	for (int t = 0; t < 60; t++, now += FRAME_US) {
		for (int i = 0; i < CWM_JB_FRAME; i++)
			octets[i] = (int16_t)((t * CWM_JB_FRAME + i) & 0xff);
		CHECK_INT(cwm_rtp_session_put_frame(a, octets, now), 0);
		usleep(200);
		cwm_rtp_session_read_rtp(b, now);
		/* the tone still buffered plays out first */
		if (cwm_rtp_session_get_frame(b, out) != CWM_JB_AUDIO || t < 15)
			continue;
		audio_frames++;
		int same = out[0] >= 0 && out[0] <= 0xff;

		for (int i = 1; i < CWM_JB_FRAME; i++)
			same = same && out[i] == ((out[0] + i) & 0xff);
		exact += same;
	}
	CHECK(audio_frames > 30);
	CHECK_INT(exact, audio_frames);
	cwm_rtp_session_stats(b, now, &sb);
	CHECK_INT(sb.invalid, invalid + 1);

	/* RTCP: A's SR reaches B; B's RR carries LSR/DLSR; A gets a round-trip time. */
	now = cwm_rtp_session_deadline_us(a) > now ? cwm_rtp_session_deadline_us(a) : now;
	CHECK_INT(cwm_rtp_session_on_timer(a, now), 0);
	usleep(2000);
	cwm_rtp_session_read_rtcp(b, now);
	now += 30000;
	now = cwm_rtp_session_deadline_us(b) > now ? cwm_rtp_session_deadline_us(b) : now;
	CHECK_INT(cwm_rtp_session_on_timer(b, now), 0);
	usleep(2000);
	cwm_rtp_session_read_rtcp(a, now);
	cwm_rtp_session_stats(a, now, &sa);
	cwm_rtp_session_stats(b, now, &sb);
	CHECK_INT(sb.rtcp_received, 1);
	CHECK_INT(sa.rtcp_received, 1);
	CHECK_INT(sa.have_remote_block, 1);
	CHECK_INT(sa.remote.ssrc, 0x11111111);
	CHECK(sa.remote.lsr != 0);
	CHECK(sa.rtt_us >= 0 && sa.rtt_us < 2000); /* the test's own time: 0 plus rounding */
	CHECK(cwm_rtp_session_deadline_us(a) > now); /* the next one is scheduled */

	CHECK_INT(cwm_rtp_session_bye(a, now), 0);
	cwm_rtp_session_free(a);
	cwm_rtp_session_free(b);
	CHECK_INT(cwm_rtp_ports_in_use(ports), 0);
	cwm_rtp_ports_free(ports);
	return check_done();
}
