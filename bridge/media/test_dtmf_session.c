/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/test_dtmf_session.c — the test media-dtmf-session: the join
 * of README.md "DTMF and fax tones", frame for frame, over two RTP
 * sessions on 127.0.0.1. Gateway A hears digits on its B-channel
 * (cwm_dtmf_in, muting them) and its session sends them as RFC 4733
 * events from the begin/end edges; gateway B's session reports them and
 * cwm_dtmf_out plays them toward its B-channel, where spandsp's receiver
 * hears the same digits. B's audio from RTP holds no in-band digit.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <spandsp.h>

#include "check.h"
#include "dtmf.h"
#include "rtp_session.h"
#include "test_loopback.h"
#include "test_signals.h"

#define FRAME CWM_DTMF_FRAME
#define FRAME_US 20000u
#define DIGITS "7410#*"

int main(void)
{
	struct cwm_rtp_ports *ports;
	struct cwm_rtp_session *a, *b;
	struct cwm_dtmf_in *din;
	struct cwm_dtmf_out *dout;
	struct sig_heard at_b = { { 0 } }, in_rtp = { { 0 } };
	dtmf_rx_state_t *rx_b = dtmf_rx_init(NULL, sig_heard_digits, &at_b);
	dtmf_rx_state_t *rx_rtp = dtmf_rx_init(NULL, sig_heard_digits, &in_rtp);
	dtmf_tx_state_t *phone = dtmf_tx_init(NULL);
	uint64_t now = 0, packets = 0, begins = 0, reports = 0;
	uint16_t base;

	srand((unsigned)getpid());
	base = (uint16_t)(36000 + 2 * (rand() % 4000));
	CHECK_INT(cwm_rtp_ports_new(base, (uint16_t)(base + 19), &ports), 0);
	a = test_open_session(ports, 0x3a3a3a3a, 20, CWM_G711_ALAW);
	b = test_open_session(ports, 0x4b4b4b4b, 20, CWM_G711_ALAW);
	if (!CHECK(a && b))
		return check_done();
	struct sockaddr_in to_a = test_loopback(cwm_rtp_session_port(a));
	struct sockaddr_in to_b = test_loopback(cwm_rtp_session_port(b));

	CHECK_INT(cwm_rtp_session_set_remote(a, (struct sockaddr *)&to_b, sizeof(to_b)), 0);
	CHECK_INT(cwm_rtp_session_set_remote(b, (struct sockaddr *)&to_a, sizeof(to_a)), 0);
	CHECK_INT(cwm_dtmf_in_new(&(struct cwm_dtmf_in_config){ .suppress = true }, &din), 0);
	CHECK_INT(cwm_dtmf_out_new(NULL, &dout), 0);

	/* the phone on A's B-channel: the digits at 80 ms on, 80 ms off, -12 dBm0 */
	dtmf_tx_set_timing(phone, 80, 80);
	dtmf_tx_set_level(phone, -12, 0);
	dtmf_tx_put(phone, DIGITS, -1);
	for (unsigned t = 0; t < 150; t++, now += FRAME_US) {
		int16_t pcm[FRAME] = { 0 }, silence[FRAME] = { 0 };
		uint8_t codes[FRAME];
		struct cwm_dtmf_in_result r;
		struct cwm_rtp_event_report rep;

		/* gateway A, B-channel -> SIP */
		if (t >= 5)
			dtmf_tx(phone, pcm, FRAME);
		cwm_g711_encode(CWM_G711_ALAW, pcm, codes, FRAME);
		cwm_g711_decode(CWM_G711_ALAW, codes, pcm, FRAME);
		CHECK_INT(cwm_dtmf_in_frame(din, pcm, t * FRAME, &r), 0);
		if (r.end)
			cwm_rtp_session_event_end(a);
		if (r.begin) {
			CHECK_INT(cwm_rtp_session_event_begin(a, r.begin_code, r.begin_volume), 0);
			begins++;
		}
		packets += r.has_packet;
		CHECK_INT(cwm_rtp_session_put_frame(a, pcm, now), 0);
		cwm_rtp_session_put_frame(b, silence, now);
		usleep(200); /* loopback delivery */
		cwm_rtp_session_read_rtp(b, now);
		cwm_rtp_session_read_rtp(a, now);

		/* gateway B, SIP -> B-channel */
		while (cwm_rtp_session_next_event(b, &rep) == 1) {
			CHECK_INT(cwm_dtmf_out_report(dout, &rep), 0);
			reports++;
		}
		cwm_rtp_session_get_frame(b, pcm);
		dtmf_rx(rx_rtp, pcm, FRAME);
		cwm_dtmf_out_frame(dout, pcm);
		cwm_g711_encode(CWM_G711_ALAW, pcm, codes, FRAME);
		cwm_g711_decode(CWM_G711_ALAW, codes, pcm, FRAME);
		dtmf_rx(rx_b, pcm, FRAME);
	}
	struct cwm_rtp_session_stats sa;
	struct cwm_dtmf_out_stats so;

	cwm_rtp_session_stats(a, now, &sa);
	cwm_dtmf_out_stats(dout, &so);
	CHECK_INT(begins, strlen(DIGITS));
	CHECK_INT(sa.events_sent, packets); /* the session's sender, in step with dtmf_in */
	CHECK_INT(reports, 2 * strlen(DIGITS));
	CHECK_STR(at_b.digits, DIGITS);
	CHECK_STR(in_rtp.digits, ""); /* muted at A, replaced by the events */
	CHECK_INT(so.digits, strlen(DIGITS));
	CHECK_INT(so.timeouts, 0);

	dtmf_rx_free(rx_b);
	dtmf_rx_free(rx_rtp);
	dtmf_tx_free(phone);
	cwm_dtmf_in_free(din);
	cwm_dtmf_out_free(dout);
	cwm_rtp_session_free(a);
	cwm_rtp_session_free(b);
	cwm_rtp_ports_free(ports);
	return check_done();
}
