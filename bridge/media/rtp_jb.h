/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/rtp_jb.h — the playout buffer toward the TDM side: audio in
 * as RTP packets (by timestamp, in any order), audio out at exactly 8000
 * samples/s in 20 ms frames, one frame each time the TDM clock asks for one.
 * Pure: the arrival time is the caller's `now_us`, no clock is read.
 *
 * Policy (README.md "The playout buffer"):
 *  - depth: the buffered audio is kept at a target; fixed mode keeps
 *    depth_ms, adaptive mode follows the jitter (one frame plus three times
 *    the RFC 3550 §A.8 estimate, within min_ms..max_ms), passthrough keeps
 *    depth_ms and never conceals (fax and modems, ITU-T V.152 §7);
 *  - drift between the sender's clock and the TDM clock: when over one
 *    second the buffered audio never fell below target + one frame, one
 *    frame is dropped; when it never reached the target, one frame is
 *    inserted (a concealed one);
 *  - loss: a frame with no audio is concealed by the last frame played,
 *    attenuated by a quarter more each frame, silent from the fourth
 *    (passthrough: silence);
 *  - the buffer running dry makes the playout point wait (up to two
 *    frames, concealed) for the late packet instead of skipping its audio;
 *    a longer pause of the sender (an event, silence suppression) is
 *    played through;
 *  - a packet whose audio was already played is late, one whose samples
 *    are all held a duplicate: both dropped and counted;
 *  - a new SSRC, or a timestamp more than half the buffer (512 ms) away
 *    from the playout point, restarts the buffer at the target depth.
 */
#ifndef BRIDGE_MEDIA_RTP_JB_H
#define BRIDGE_MEDIA_RTP_JB_H

#include <stdint.h>

#define CWM_JB_FRAME 160       /* samples of a 20 ms TDM frame at 8000/s */
#define CWM_JB_MAX_DEPTH_MS 400

enum cwm_jb_mode {
	CWM_JB_FIXED,
	CWM_JB_ADAPTIVE,
	CWM_JB_PASSTHROUGH,
};

struct cwm_jb_config {
	enum cwm_jb_mode mode;
	unsigned depth_ms; /* fixed and passthrough depth, the adaptive start; 0: 60 */
	unsigned min_ms;   /* adaptive bounds; 0: 20 and 200 */
	unsigned max_ms;
};

struct cwm_jb_stats {
	uint64_t frames_audio;     /* frames of received audio (whole or in part) */
	uint64_t frames_concealed; /* frames with no audio while the stream ran */
	uint64_t frames_silent;    /* frames before the first packet */
	uint64_t late, duplicates;
	uint64_t resyncs;          /* SSRC changes and timestamp jumps */
	uint64_t drift_drops, drift_inserts;
	int32_t level;             /* buffered samples at the last frame out */
	uint32_t target;           /* the depth aimed at, in samples */
};

enum cwm_jb_put_result { CWM_JB_STORED = 0, CWM_JB_LATE = 1, CWM_JB_DUPLICATE = 2 };
enum cwm_jb_frame_kind { CWM_JB_AUDIO = 0, CWM_JB_CONCEALED = 1, CWM_JB_SILENCE = 2 };

struct cwm_jb;

/* 0, -EINVAL for a depth outside 10..400 ms or min > max, -ENOMEM. */
int cwm_jb_new(const struct cwm_jb_config *cfg, struct cwm_jb **out);
void cwm_jb_free(struct cwm_jb *jb);

/*
 * cwm_jb_put() - n linear samples (1..480) with RTP timestamp ts of source
 * ssrc, arrived at now_us. A cwm_jb_put_result, -EINVAL, or -ENOMEM (the
 * ring, allocated at the first packet and grown as packets reach further
 * ahead, could not be: the packet is not stored).
 */
int cwm_jb_put(struct cwm_jb *jb, uint32_t ssrc, uint32_t ts, const int16_t *pcm, unsigned n,
              uint64_t now_us);

/* cwm_jb_get() - the next 20 ms frame for the TDM side: a cwm_jb_frame_kind. */
int cwm_jb_get(struct cwm_jb *jb, int16_t out[CWM_JB_FRAME]);

/* Switches the mode at run time (a fax or modem tone was heard, or the
 * call went back to voice); the buffered audio is kept. -EINVAL. */
int cwm_jb_set_mode(struct cwm_jb *jb, enum cwm_jb_mode mode);
enum cwm_jb_mode cwm_jb_mode(const struct cwm_jb *jb);

void cwm_jb_stats(const struct cwm_jb *jb, struct cwm_jb_stats *out);

#endif /* BRIDGE_MEDIA_RTP_JB_H */
