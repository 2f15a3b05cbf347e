/* SPDX-License-Identifier: MIT */
/* bridge/media/test_rtp_event.c — RFC 4733 payloads against octets worked
 * out from §2.3, the sender's schedule (§2.5.1) and the receiver (§2.5.2). */
#include <string.h>

#include "check.h"
#include "rtp_event.h"

static void test_vectors(void)
{
	/* §2.3: event | E R volume | duration (16 bits, network order) */
	static const struct {
		struct cwm_rtp_event ev;
		uint8_t octets[4];
	} v[] = {
		{ { 5, false, 10, 800 }, { 0x05, 0x0a, 0x03, 0x20 } },
		{ { 5, true, 10, 800 }, { 0x05, 0x8a, 0x03, 0x20 } },
		{ { 11, true, 63, 0xffff }, { 0x0b, 0xbf, 0xff, 0xff } },  /* '#' */
		{ { 16, false, 0, 160 }, { 0x10, 0x00, 0x00, 0xa0 } },     /* flash */
	};
	uint8_t buf[4];
	struct cwm_rtp_event back;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CHECK_INT(cwm_rtp_event_encode(&v[i].ev, buf), 0);
		CHECK(memcmp(buf, v[i].octets, 4) == 0);
		CHECK_INT(cwm_rtp_event_decode(v[i].octets, 4, &back), 0);
		CHECK_INT(back.event, v[i].ev.event);
		CHECK_INT(back.end, v[i].ev.end);
		CHECK_INT(back.volume, v[i].ev.volume);
		CHECK_INT(back.duration, v[i].ev.duration);
	}
	/* The R bit is ignored (§2.3.2); a short payload is refused; so is volume 64. */
	CHECK_INT(cwm_rtp_event_decode((const uint8_t[]){ 1, 0x4a, 0, 80 }, 4, &back), 0);
	CHECK_INT(back.volume, 10);
	CHECK_INT(back.end, 0);
	CHECK(cwm_rtp_event_decode(buf, 3, &back) < 0);
	CHECK(cwm_rtp_event_encode(&(struct cwm_rtp_event){ 1, false, 64, 0 }, buf) < 0);

	uint8_t code;
	char digit;

	CHECK_INT(cwm_rtp_event_from_digit('#', &code), 0);
	CHECK_INT(code, 11);
	CHECK_INT(cwm_rtp_event_from_digit('d', &code), 0);
	CHECK_INT(code, 15);
	CHECK(cwm_rtp_event_from_digit('x', &code) < 0);
	CHECK_INT(cwm_rtp_event_to_digit(10, &digit), 0);
	CHECK_INT(digit, '*');
	CHECK(cwm_rtp_event_to_digit(16, &digit) < 0);
}

static void test_sender(void)
{
	struct cwm_rtp_event_tx tx = { 0 };
	struct cwm_rtp_event ev;
	uint32_t ts;
	bool marker;

	CHECK_INT(cwm_rtp_event_tx_next(&tx, 160, &ev, &ts, &marker), 0);
	CHECK_INT(cwm_rtp_event_tx_begin(&tx, 1, 10, 1000), 0);
	CHECK(cwm_rtp_event_tx_begin(&tx, 2, 10, 1000) < 0); /* one at a time */
	for (int i = 1; i <= 5; i++) {
		CHECK_INT(cwm_rtp_event_tx_next(&tx, 160, &ev, &ts, &marker), 1);
		CHECK_INT(ts, 1000);
		CHECK_INT(marker, i == 1);
		CHECK_INT(ev.duration, 160 * i);
		CHECK_INT(ev.end, 0);
	}
	cwm_rtp_event_tx_end(&tx);
	for (int i = 0; i < 3; i++) { /* §2.5.1.4: three end packets, the same duration */
		CHECK_INT(cwm_rtp_event_tx_next(&tx, 160, &ev, &ts, &marker), 1);
		CHECK_INT(ev.end, 1);
		CHECK_INT(ev.duration, 800);
		CHECK_INT(ts, 1000);
		CHECK_INT(marker, 0);
	}
	CHECK_INT(cwm_rtp_event_tx_next(&tx, 160, &ev, &ts, &marker), 0);
	/* §2.5.1.3: beyond 0xffff the event goes on in a new segment */
	CHECK_INT(cwm_rtp_event_tx_begin(&tx, 3, 0, 0), 0);
	uint32_t last_ts = 0;
	uint16_t last_dur = 0;

	for (int i = 0; i < 410; i++) { /* 410 * 160 = 65600 > 65535 */
		cwm_rtp_event_tx_next(&tx, 160, &ev, &ts, &marker);
		last_ts = ts;
		last_dur = ev.duration;
	}
	CHECK_INT(last_ts, 409 * 160);
	CHECK_INT(last_dur, 160);
}

static void test_receiver(void)
{
	struct cwm_rtp_event_rx rx = { 0 };
	struct cwm_rtp_event_report r[3];
	struct cwm_rtp_event ev = { 7, false, 12, 160 };

	CHECK_INT(cwm_rtp_event_rx_packet(&rx, &ev, 5000, r), 1);
	CHECK_INT(r[0].kind, CWM_RTP_EVENT_BEGIN);
	CHECK_INT(r[0].event, 7);
	ev.duration = 320;
	CHECK_INT(cwm_rtp_event_rx_packet(&rx, &ev, 5000, r), 0); /* an update: nothing new */
	ev.end = true;
	ev.duration = 480;
	CHECK_INT(cwm_rtp_event_rx_packet(&rx, &ev, 5000, r), 1);
	CHECK_INT(r[0].kind, CWM_RTP_EVENT_END);
	CHECK_INT(r[0].duration, 480);
	CHECK_INT(cwm_rtp_event_rx_packet(&rx, &ev, 5000, r), 0); /* redundant end packets */
	CHECK_INT(cwm_rtp_event_rx_packet(&rx, &ev, 5000, r), 0);
	/* a new event whose end packets are all lost, then the next one */
	ev = (struct cwm_rtp_event){ 8, false, 12, 160 };
	CHECK_INT(cwm_rtp_event_rx_packet(&rx, &ev, 9000, r), 1);
	ev = (struct cwm_rtp_event){ 9, false, 12, 160 };
	CHECK_INT(cwm_rtp_event_rx_packet(&rx, &ev, 12000, r), 2);
	CHECK_INT(r[0].kind, CWM_RTP_EVENT_END);
	CHECK_INT(r[0].event, 8);
	CHECK_INT(r[1].kind, CWM_RTP_EVENT_BEGIN);
	CHECK_INT(r[1].event, 9);
	/* an old event's late packet is ignored */
	ev = (struct cwm_rtp_event){ 8, true, 12, 480 };
	CHECK_INT(cwm_rtp_event_rx_packet(&rx, &ev, 9000, r), 0);
	/* a short event seen only by an end packet: begin and end at once */
	ev = (struct cwm_rtp_event){ 1, true, 12, 400 };
	CHECK_INT(cwm_rtp_event_rx_packet(&rx, &ev, 20000, r), 3);
	CHECK_INT(r[0].event, 9);
	CHECK_INT(r[1].kind, CWM_RTP_EVENT_BEGIN);
	CHECK_INT(r[2].kind, CWM_RTP_EVENT_END);
	CHECK_INT(r[2].duration, 400);
}

int main(void)
{
	test_vectors();
	test_sender();
	test_receiver();
	return check_done();
}
