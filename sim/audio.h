/* SPDX-License-Identifier: MIT */
/*
 * audio.h — causeway-pstn-sim's B-channels: the span's audio socket
 * (bridge/pri bchan.h), the TDM clock, and per active channel what is
 * played (play.h) and what is measured from what comes back (meter.h).
 *
 * The simulator is the clock: every 20 ms, on absolute deadlines of
 * CLOCK_MONOTONIC (so it never drifts), it sends one frame on every active
 * channel; the peer answers frame for frame.
 */
#ifndef SIM_AUDIO_H
#define SIM_AUDIO_H

#include <poll.h>
#include <stdint.h>

#include "bchan.h"
#include "meter.h"
#include "play.h"

#define SIM_AUDIO_POLLFDS 2       /* the listening socket, the peer */
#define SIM_ECHO_DEPTH 4          /* frames an echo may be behind */

/* What a call's channel carried, for the report. */
struct sim_audio_result {
	int valid;                /* the simulator had an audio socket */
	uint64_t frames_received, frames_sent, gaps;
	int has_tone;             /* a tone louder than the meter's floor was received */
	int tone_hz;
	double level_dbm0;
	char dtmf[SIM_METER_DTMF_MAX + 1]; /* the DTMF digits received, in order */
};

struct sim_audio_chan {
	int active, answered;
	const struct sim_play *early, *play; /* before and after the answer, NULL = silence */
	struct sim_player player;
	struct sim_meter meter;
	uint8_t echo[SIM_ECHO_DEPTH][CWI_BCHAN_FRAME];
	int echo_head, echo_n;
	uint64_t frames_sent;
};

struct sim_audio {
	int listen_fd;            /* -1: no audio socket */
	const char *path;
	enum cwi_bchan_law law;
	struct cwi_bchan *b;       /* the peer, NULL until it connects */
	struct sim_audio_chan ch[CWI_BCHAN_MAX_CHANNEL + 1];
	int n_active;
	int64_t next_tick_ns;     /* absolute CLOCK_MONOTONIC deadline of the next period */
	uint64_t late_periods;    /* periods skipped because the loop was too late */
};

/* sim_audio_now_ns() - now on the monotonic clock, in ns. */
int64_t sim_audio_now_ns(void);

/* sim_audio_listen() - listen on path with this law. 0 or -errno. */
int sim_audio_listen(struct sim_audio *a, const char *path, enum cwi_bchan_law law);

/* sim_audio_pollfds() - fill pfd[SIM_AUDIO_POLLFDS] (fd -1 when unused). */
void sim_audio_pollfds(const struct sim_audio *a, struct pollfd *pfd);

/* sim_audio_on_poll() - accept a peer, read its frames (meters, echo queues). */
void sim_audio_on_poll(struct sim_audio *a, const struct pollfd *pfd);

/* sim_audio_next_ns() - the next period's absolute deadline, -1 while no channel is active. */
int64_t sim_audio_next_ns(const struct sim_audio *a);

/* sim_audio_run_due() - one frame per active channel for every period that is due. */
void sim_audio_run_due(struct sim_audio *a, int64_t now_ns);

/* sim_audio_start() - a call got channel: play early until the answer, then play. */
void sim_audio_start(struct sim_audio *a, int channel, const struct sim_play *early,
                     const struct sim_play *play);

/* sim_audio_answered() - the call on channel was answered: its after-answer PLAY starts. */
void sim_audio_answered(struct sim_audio *a, int channel);

/* sim_audio_stop() - the call on channel ended: what it carried into *ret. */
void sim_audio_stop(struct sim_audio *a, int channel, struct sim_audio_result *ret);

/* sim_audio_close() - the peer, the socket and its file; every channel stopped. */
void sim_audio_close(struct sim_audio *a);

#endif
