/* SPDX-License-Identifier: MIT */
/* bridge/media/rtp_jb.c — the playout buffer (policy in rtp_jb.h). */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rtcp.h"
#include "rtp_jb.h"

#define RING 8192u                 /* samples: 1.024 s, the most the ring grows to */
#define JUMP ((int32_t)RING / 2)   /* a timestamp this far from the playout point restarts */
#define MAX_PACKET 480u            /* 60 ms */
#define STEP 80u                   /* targets are whole 10 ms */
#define WINDOW_FRAMES 50           /* one second of frames between drift decisions */
#define CONCEAL_FRAMES 3           /* frames of fading repetition before silence */
#define MAX_HOLDS 2                /* frames the playout point waits for a dry buffer */
#define SAMPLES_PER_MS 8u
#define RING_MIN 1024u             /* samples: the smallest ring (a 60 ms depth and a packet) */

/*
 * The audio held is indexed by timestamp modulo the ring's size, a power of
 * two. Every held sample lies in [play_ts, play_ts + size): the ring is
 * allocated at the first packet, big enough for the target depth and a
 * packet, and doubles (up to RING) when a packet would reach past it, so a
 * call holds what its depth and jitter need, not the 1.024 s any call might.
 */
struct cwm_jb {
	enum cwm_jb_mode mode;
	uint32_t depth, min, max, target; /* in samples */
	bool started;
	uint32_t ssrc;
	uint32_t play_ts;                 /* the timestamp of the next sample out */
	uint32_t end_ts;                  /* one past the newest sample held */
	int32_t window_min, window_max;
	unsigned window_frames;
	unsigned conceal_run;
	bool played;                      /* audio went out since the restart */
	unsigned holds;                   /* frames waited since the last audio */
	struct cwm_rtp_jitter jitter;
	struct cwm_jb_stats stats;
	int16_t last[CWM_JB_FRAME];        /* the last frame out, for concealment */
	uint32_t size;                    /* samples of pcm[]; 0 before the first packet */
	uint64_t *held;                   /* one bit per sample of pcm[] */
	int16_t *pcm;
};

static bool is_held(const struct cwm_jb *jb, uint32_t ts)
{
	uint32_t i = ts & (jb->size - 1);

	return (jb->held[i / 64] >> (i % 64)) & 1;
}

static void set_held(struct cwm_jb *jb, uint32_t ts, bool on)
{
	uint32_t i = ts & (jb->size - 1);
	uint64_t bit = (uint64_t)1 << (i % 64);

	jb->held[i / 64] = on ? jb->held[i / 64] | bit : jb->held[i / 64] & ~bit;
}

/* A ring of at least want samples (want <= RING), the held audio moved into it. */
static int ring_grow(struct cwm_jb *jb, uint32_t want)
{
	uint32_t size = jb->size ? jb->size : RING_MIN;
	uint64_t *held;
	int16_t *pcm;

	while (size < want)
		size *= 2;
	if (size == jb->size)
		return 0;
	held = calloc(size / 64, sizeof(*held));
	pcm = malloc(size * sizeof(*pcm));
	if (!held || !pcm) {
		free(held);
		free(pcm);
		return -ENOMEM;
	}
	for (uint32_t k = 0; k < jb->size; k++) {
		uint32_t ts = jb->play_ts + k, i = ts & (size - 1);

		if (!is_held(jb, ts))
			continue;
		pcm[i] = jb->pcm[ts & (jb->size - 1)];
		held[i / 64] |= (uint64_t)1 << (i % 64);
	}
	free(jb->held);
	free(jb->pcm);
	jb->held = held;
	jb->pcm = pcm;
	jb->size = size;
	return 0;
}

static void window_reset(struct cwm_jb *jb)
{
	jb->window_min = INT32_MAX;
	jb->window_max = INT32_MIN;
	jb->window_frames = 0;
}

static void restart(struct cwm_jb *jb, uint32_t ssrc, uint32_t ts)
{
	if (jb->size)
		memset(jb->held, 0, jb->size / 8);
	jb->started = true;
	jb->ssrc = ssrc;
	jb->play_ts = ts - jb->target;
	jb->end_ts = ts;
	jb->played = false;
	jb->jitter = (struct cwm_rtp_jitter){ 0 };
	window_reset(jb);
}

static uint32_t clamp_step(uint32_t v, uint32_t lo, uint32_t hi)
{
	v = (v + STEP - 1) / STEP * STEP;
	return v < lo ? lo : v > hi ? hi : v;
}

static int check_config(const struct cwm_jb_config *cfg, uint32_t *depth, uint32_t *min,
                        uint32_t *max)
{
	unsigned d = cfg->depth_ms ? cfg->depth_ms : 60;
	unsigned lo = cfg->min_ms ? cfg->min_ms : 20, hi = cfg->max_ms ? cfg->max_ms : 200;

	if (d < 10 || d > CWM_JB_MAX_DEPTH_MS || lo < 10 || hi > CWM_JB_MAX_DEPTH_MS || lo > hi)
		return -EINVAL;
	*depth = d * SAMPLES_PER_MS;
	*min = lo * SAMPLES_PER_MS;
	*max = hi * SAMPLES_PER_MS;
	return 0;
}

int cwm_jb_new(const struct cwm_jb_config *cfg, struct cwm_jb **out)
{
	struct cwm_jb *jb;
	uint32_t depth, min, max;
	int err = check_config(cfg, &depth, &min, &max);

	if (err)
		return err;
	if (cfg->mode > CWM_JB_PASSTHROUGH)
		return -EINVAL;
	jb = calloc(1, sizeof(*jb));
	if (!jb)
		return -ENOMEM;
	jb->mode = cfg->mode;
	jb->depth = depth;
	jb->min = min;
	jb->max = max;
	jb->target = cfg->mode == CWM_JB_ADAPTIVE ? clamp_step(depth, min, max) : depth;
	window_reset(jb);
	*out = jb;
	return 0;
}

void cwm_jb_free(struct cwm_jb *jb)
{
	if (!jb)
		return;
	free(jb->held);
	free(jb->pcm);
	free(jb);
}

int cwm_jb_put(struct cwm_jb *jb, uint32_t ssrc, uint32_t ts, const int16_t *pcm, unsigned n,
              uint64_t now_us)
{
	int32_t d;
	unsigned fresh = 0;

	if (n == 0 || n > MAX_PACKET)
		return -EINVAL;
	/* media started: the ring for the depth and a packet, before anything is held */
	if (!jb->size && ring_grow(jb, jb->target + MAX_PACKET) != 0)
		return -ENOMEM;
	if (!jb->started || ssrc != jb->ssrc) {
		if (jb->started)
			jb->stats.resyncs++;
		restart(jb, ssrc, ts);
	}
	d = (int32_t)(ts - jb->play_ts);
	if (d < -JUMP || d > JUMP) {
		jb->stats.resyncs++;
		restart(jb, ssrc, ts);
		d = (int32_t)(ts - jb->play_ts);
	}
	if (d + (int32_t)n <= 0) {
		jb->stats.late++;
		return CWM_JB_LATE;
	}
	if ((int64_t)d + n > (int64_t)jb->size && ring_grow(jb, (uint32_t)d + n) != 0)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		if (d + (int32_t)i < 0 || is_held(jb, ts + i))
			continue; /* played already, or here already */
		jb->pcm[(ts + i) & (jb->size - 1)] = pcm[i];
		set_held(jb, ts + i, true);
		fresh++;
	}
	if (fresh == 0) {
		jb->stats.duplicates++;
		return CWM_JB_DUPLICATE;
	}
	if ((int32_t)(ts + n - jb->end_ts) > 0)
		jb->end_ts = ts + n;
	cwm_rtp_jitter_update(&jb->jitter, ts, (uint32_t)(now_us * SAMPLES_PER_MS / 1000u));
	if (jb->mode == CWM_JB_ADAPTIVE)
		jb->target = clamp_step(CWM_JB_FRAME + 3 * (jb->jitter.jitter_q4 >> 4), jb->min,
		                        jb->max);
	return CWM_JB_STORED;
}

static void skip_frame(struct cwm_jb *jb)
{
	for (unsigned i = 0; i < CWM_JB_FRAME; i++)
		set_held(jb, jb->play_ts + i, false);
	jb->play_ts += CWM_JB_FRAME;
}

/* The sample standing in for a missing one: the last frame, faded. */
static int16_t conceal_sample(const struct cwm_jb *jb, unsigned i)
{
	if (jb->mode == CWM_JB_PASSTHROUGH || jb->conceal_run > CONCEAL_FRAMES)
		return 0;
	return (int16_t)(jb->last[i] * (int)(CONCEAL_FRAMES + 1 - jb->conceal_run) /
	                 (CONCEAL_FRAMES + 1));
}

static int conceal(struct cwm_jb *jb, int16_t out[CWM_JB_FRAME])
{
	jb->conceal_run++;
	for (unsigned i = 0; i < CWM_JB_FRAME; i++)
		out[i] = conceal_sample(jb, i); /* jb->last stays the last audio frame */
	jb->conceal_run = jb->conceal_run > CONCEAL_FRAMES ? CONCEAL_FRAMES + 1 : jb->conceal_run;
	jb->stats.frames_concealed++;
	return CWM_JB_CONCEALED;
}

/* Once per window: the drift correction of rtp_jb.h. Returns true when a
 * frame is to be inserted now. */
static bool drift_step(struct cwm_jb *jb, int32_t level)
{
	if (level < jb->window_min)
		jb->window_min = level;
	if (level > jb->window_max)
		jb->window_max = level;
	if (++jb->window_frames < WINDOW_FRAMES)
		return false;
	int32_t lo = jb->window_min, hi = jb->window_max;

	window_reset(jb);
	if (lo > (int32_t)(jb->target + CWM_JB_FRAME)) {
		skip_frame(jb);
		jb->stats.drift_drops++;
		return false;
	}
	if (hi < (int32_t)jb->target) {
		jb->stats.drift_inserts++;
		return true;
	}
	return false;
}

int cwm_jb_get(struct cwm_jb *jb, int16_t out[CWM_JB_FRAME])
{
	int32_t level;
	unsigned got = 0;

	if (!jb->started) {
		memset(out, 0, CWM_JB_FRAME * sizeof(*out));
		jb->stats.frames_silent++;
		return CWM_JB_SILENCE;
	}
	level = (int32_t)(jb->end_ts - jb->play_ts);
	jb->stats.level = level;
	jb->stats.target = jb->target;
	if (drift_step(jb, level))
		return conceal(jb, out); /* the playout point waits: one frame longer */
	if (level <= 0 && jb->holds < MAX_HOLDS) {
		/* Dry: the next packet is late, so wait for it (the delay grows a frame),
		 * but not through a pause of the sender (an event, silence suppression). */
		jb->holds++;
		return conceal(jb, out);
	}
	for (unsigned i = 0; i < CWM_JB_FRAME; i++)
		got += is_held(jb, jb->play_ts + i);
	if (got == 0) {
		skip_frame(jb);
		if (!jb->played) { /* the start of the stream, not a loss */
			memset(out, 0, CWM_JB_FRAME * sizeof(*out));
			jb->stats.frames_silent++;
			return CWM_JB_SILENCE;
		}
		return conceal(jb, out);
	}
	jb->conceal_run = 0;
	jb->holds = 0;
	jb->played = true;
	for (unsigned i = 0; i < CWM_JB_FRAME; i++) {
		uint32_t ts = jb->play_ts + i;

		out[i] = is_held(jb, ts) ? jb->pcm[ts & (jb->size - 1)] : conceal_sample(jb, i);
	}
	skip_frame(jb);
	memcpy(jb->last, out, sizeof(jb->last));
	jb->stats.frames_audio++;
	return CWM_JB_AUDIO;
}

int cwm_jb_set_mode(struct cwm_jb *jb, enum cwm_jb_mode mode)
{
	if (mode > CWM_JB_PASSTHROUGH)
		return -EINVAL;
	jb->mode = mode;
	if (mode != CWM_JB_ADAPTIVE)
		jb->target = jb->depth;
	window_reset(jb);
	return 0;
}

enum cwm_jb_mode cwm_jb_mode(const struct cwm_jb *jb)
{
	return jb->mode;
}

void cwm_jb_stats(const struct cwm_jb *jb, struct cwm_jb_stats *out)
{
	*out = jb->stats;
}
