/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/rtp_echo_probe.c — one call's RTP against an echoing peer
 * (SIPp -rtp_echo, tests/test_rtp_sipp.py): prints "PORT p" once its pair
 * is open, reads "REMOTE ip port" on stdin (from the peer's SDP), then for
 * the given seconds sends a 1004 Hz tone and an RFC 4733 '5' on its 20 ms
 * clock, plays what comes back through the playout buffer and checks it:
 * every packet back, the tone's power (Goertzel), the event reported once.
 * Prints one line of figures; exit 0 when all hold, 1 otherwise.
 *
 *   rtp-echo-probe LOW-HIGH SECONDS
 */
#include <arpa/inet.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rtp_session.h"
#include "tone_check.h"

#define TONE_HZ 1004.0

static uint64_t monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int main(int argc, char **argv)
{
	uint16_t low, high;
	struct sockaddr_in any = { .sin_family = AF_INET }, remote = { .sin_family = AF_INET };
	struct cwm_rtp_ports *ports;
	struct cwm_rtp_session *s;
	char ip[64];
	unsigned rport, seconds;

	if (argc != 3 || cwm_rtp_ports_parse(argv[1], &low, &high) < 0 ||
	    (seconds = (unsigned)atoi(argv[2])) < 1 || seconds > 30) {
		fprintf(stderr, "usage: rtp-echo-probe LOW-HIGH SECONDS\n");
		return 2;
	}
	any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	uint64_t now = monotonic_us();
	struct cwm_rtp_session_config cfg = {
		.local = (struct sockaddr *)&any, .local_len = sizeof(any), .law = CWM_G711_ALAW,
		.event_pt = 101, .ptime_ms = 20, .jb = { .mode = CWM_JB_ADAPTIVE },
		.ssrc = (uint32_t)now * 2654435761u, .initial_seq = (uint32_t)now & 0xffff,
		.initial_ts = (uint32_t)(now >> 3), .cname = "probe@127.0.0.1", .seed = (uint32_t)now,
	};

	if (cwm_rtp_ports_new(low, high, &ports) < 0)
		return 2;
	cfg.ports = ports;
	if (cwm_rtp_session_new(&cfg, now, &s) < 0) {
		fprintf(stderr, "rtp-echo-probe: no free pair in %s\n", argv[1]);
		return 1;
	}
	printf("PORT %u\n", cwm_rtp_session_port(s));
	fflush(stdout);
	if (scanf("REMOTE %63s %u", ip, &rport) != 2 || inet_pton(AF_INET, ip, &remote.sin_addr) != 1)
		return 2;
	remote.sin_port = htons((uint16_t)rport);
	cwm_rtp_session_set_remote(s, (struct sockaddr *)&remote, sizeof(remote));

	unsigned frames = seconds * 50, phase = 0, begins = 0, ends = 0;
	int16_t *heard = calloc(frames, CWM_JB_FRAME * sizeof(int16_t)), pcm[CWM_JB_FRAME];
	uint64_t next = monotonic_us();
	int rtp_fd, rtcp_fd;
	struct cwm_rtp_event_report r;
	uint8_t five = 5;

	cwm_rtp_session_fds(s, &rtp_fd, &rtcp_fd);
	for (unsigned f = 0; f < frames;) {
		struct pollfd pfd[2] = { { .fd = rtp_fd, .events = POLLIN },
			                 { .fd = rtcp_fd, .events = POLLIN } };
		now = monotonic_us();
		int wait_ms = next > now ? (int)((next - now + 999) / 1000) : 0;

		poll(pfd, 2, wait_ms);
		now = monotonic_us();
		if (pfd[0].revents & POLLIN)
			cwm_rtp_session_read_rtp(s, now);
		if (pfd[1].revents & POLLIN)
			cwm_rtp_session_read_rtcp(s, now);
		if (now >= cwm_rtp_session_deadline_us(s))
			cwm_rtp_session_on_timer(s, now);
		while (cwm_rtp_session_next_event(s, &r) == 1) {
			begins += r.kind == CWM_RTP_EVENT_BEGIN && r.event == 5;
			ends += r.kind == CWM_RTP_EVENT_END && r.event == 5;
		}
		if (now < next)
			continue;
		next += 20000; /* the TDM clock: one frame each way */
		if (f == frames / 2)
			cwm_rtp_session_event_begin(s, five, 10);
		if (f == frames / 2 + 5)
			cwm_rtp_session_event_end(s);
		tone_fill(pcm, CWM_JB_FRAME, TONE_HZ, 8000, &phase);
		cwm_rtp_session_put_frame(s, pcm, now);
		cwm_rtp_session_get_frame(s, heard + (size_t)f * CWM_JB_FRAME);
		f++;
	}
	/* the last echoes */
	for (int i = 0; i < 10; i++) {
		struct pollfd pfd = { .fd = rtp_fd, .events = POLLIN };

		if (poll(&pfd, 1, 20) > 0)
			cwm_rtp_session_read_rtp(s, monotonic_us());
	}
	while (cwm_rtp_session_next_event(s, &r) == 1) {
		begins += r.kind == CWM_RTP_EVENT_BEGIN && r.event == 5;
		ends += r.kind == CWM_RTP_EVENT_END && r.event == 5;
	}
	struct cwm_rtp_session_stats st;

	cwm_rtp_session_stats(s, monotonic_us(), &st);
	/* the first second's tone, before the event (whose frames carry no audio) */
	double share = tone_share(heard + 10 * CWM_JB_FRAME, (frames / 2 - 10) * CWM_JB_FRAME,
	                              TONE_HZ);
	int ok = st.packets_received == st.packets_sent && share > 0.9 && begins == 1 &&
	         ends == 1 && st.latches == 1 && st.foreign == 0 && st.invalid == 0;

	printf("sent %llu received %llu tone %.3f event begins %u ends %u latches %llu "
	       "concealed %llu late %llu drops %llu inserts %llu target %u -> %s\n",
	       (unsigned long long)st.packets_sent, (unsigned long long)st.packets_received, share,
	       begins, ends, (unsigned long long)st.latches,
	       (unsigned long long)st.jb.frames_concealed, (unsigned long long)st.jb.late,
	       (unsigned long long)st.jb.drift_drops, (unsigned long long)st.jb.drift_inserts,
	       st.jb.target, ok ? "ok" : "FAILED");
	free(heard);
	cwm_rtp_session_bye(s, monotonic_us());
	cwm_rtp_session_free(s);
	cwm_rtp_ports_free(ports);
	return ok ? 0 : 1;
}
