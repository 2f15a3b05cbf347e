/* SPDX-License-Identifier: MIT */
/* bridge/media/test_rtp_jb.c — the playout buffer: in order, reordered,
 * lost, duplicated, late, SSRC change, timestamp wrap, clock drift both
 * ways, passthrough and the adaptive depth. */
#include <stdlib.h>

#include "check.h"
#include "rtp_jb.h"

#define FRAME_US 20000u

/* Packet k: 160 samples of the value k + 1, so a frame says which packet it played. */
static int put_packet(struct cwm_jb *jb, uint32_t ssrc, uint32_t ts0, unsigned k, uint64_t now)
{
	int16_t pcm[CWM_JB_FRAME];

	for (unsigned i = 0; i < CWM_JB_FRAME; i++)
		pcm[i] = (int16_t)(k + 1);
	return cwm_jb_put(jb, ssrc, ts0 + k * CWM_JB_FRAME, pcm, CWM_JB_FRAME, now);
}

static struct cwm_jb *fixed(unsigned depth_ms)
{
	struct cwm_jb *jb = NULL;
	struct cwm_jb_config cfg = { .mode = CWM_JB_FIXED, .depth_ms = depth_ms };

	CHECK_INT(cwm_jb_new(&cfg, &jb), 0);
	return jb;
}

/*
 * Runs n ticks of 20 ms: at tick t the packets order[t] (or none: -1) arrive,
 * then one frame is played; played[t] is the packet number the frame held
 * (-1 for silence or concealment).
 */
static void run(struct cwm_jb *jb, uint32_t ssrc, uint32_t ts0, const int *order, int n,
                int *played)
{
	int16_t out[CWM_JB_FRAME];

	for (int t = 0; t < n; t++) {
		if (order[t] >= 0)
			put_packet(jb, ssrc, ts0, (unsigned)order[t], (uint64_t)t * FRAME_US);
		int kind = cwm_jb_get(jb, out);

		played[t] = kind == CWM_JB_AUDIO ? out[0] - 1 : -1;
	}
}

static int first_audio(const int *played, int n)
{
	for (int t = 0; t < n; t++)
		if (played[t] >= 0)
			return t;
	return -1;
}

static void test_in_order_and_reordered(void)
{
	int order[100], played[100];
	struct cwm_jb *jb = fixed(60);
	struct cwm_jb_stats st;

	for (int t = 0; t < 100; t++)
		order[t] = t;
	run(jb, 1, 1000, order, 100, played);
	CHECK_INT(first_audio(played, 100), 3); /* 60 ms of depth */
	for (int t = 3; t < 100; t++)
		CHECK_INT(played[t], t - 3);
	cwm_jb_stats(jb, &st);
	CHECK_INT(st.frames_concealed, 0);
	CHECK_INT(st.frames_silent, 3);
	cwm_jb_free(jb);

	/* pairs swapped: 1 0 3 2 ... — the output is still in order */
	jb = fixed(60);
	for (int t = 0; t < 100; t++)
		order[t] = t ^ 1;
	run(jb, 1, 1000, order, 100, played);
	for (int t = 2; t < 100; t++) /* packet 1 came first: the depth counts from it */
		CHECK_INT(played[t], t - 2);
	cwm_jb_stats(jb, &st);
	CHECK_INT(st.frames_concealed, 0);
	CHECK_INT(st.late, 0);
	cwm_jb_free(jb);
}

static void test_lost_duplicated_late(void)
{
	int order[60], played[60];
	int16_t out[CWM_JB_FRAME];
	struct cwm_jb *jb = fixed(60);
	struct cwm_jb_stats st;

	for (int t = 0; t < 60; t++)
		order[t] = t;
	order[10] = -1; /* lost */
	run(jb, 1, 0, order, 40, played);
	CHECK_INT(played[13], -1);
	CHECK_INT(played[12], 9);
	CHECK_INT(played[14], 11);
	cwm_jb_stats(jb, &st);
	CHECK_INT(st.frames_concealed, 1);
	cwm_jb_free(jb);

	/* the lost frame is the one before, a quarter down (packet 10's value is 10) */
	jb = fixed(60);
	for (unsigned k = 0; k < 4; k++)
		put_packet(jb, 1, 0, k == 2 ? 3 : k, 0); /* packet 2 lost, 3 there */
	cwm_jb_get(jb, out); /* the 60 ms of depth */
	cwm_jb_get(jb, out);
	cwm_jb_get(jb, out);
	CHECK_INT(cwm_jb_get(jb, out), CWM_JB_AUDIO);
	CHECK_INT(cwm_jb_get(jb, out), CWM_JB_AUDIO);
	CHECK_INT(out[0], 2);
	CHECK_INT(cwm_jb_get(jb, out), CWM_JB_CONCEALED);
	CHECK_INT(out[0], 2 * 3 / 4);
	cwm_jb_free(jb);

	/* a duplicate is dropped and counted; the output is unchanged */
	jb = fixed(60);
	CHECK_INT(put_packet(jb, 1, 0, 0, 0), CWM_JB_STORED);
	CHECK_INT(put_packet(jb, 1, 0, 0, 0), CWM_JB_DUPLICATE);
	cwm_jb_stats(jb, &st);
	CHECK_INT(st.duplicates, 1);
	cwm_jb_free(jb);

	/* packet 10 comes 100 ms late, after its 60 ms of depth: late, and concealed */
	jb = fixed(60);
	for (int t = 0; t < 60; t++)
		order[t] = t;
	order[10] = -1;
	run(jb, 1, 0, order, 15, played);
	CHECK_INT(put_packet(jb, 1, 0, 10, 15 * FRAME_US), CWM_JB_LATE);
	run(jb, 1, 0, order + 15, 0, played);
	cwm_jb_stats(jb, &st);
	CHECK_INT(st.late, 1);
	CHECK_INT(st.frames_concealed, 1);
	cwm_jb_free(jb);
}

/* The sender pauses 200 ms (an event, silence suppression) with its clock
 * going on: the gap is played through, with at most two frames of waiting
 * added to the delay. */
static void test_pause(void)
{
	int order[80], played[80];
	struct cwm_jb *jb = fixed(60);
	struct cwm_jb_stats st;

	for (int t = 0; t < 80; t++)
		order[t] = t >= 20 && t < 30 ? -1 : t;
	run(jb, 1, 0, order, 80, played);
	cwm_jb_stats(jb, &st);
	CHECK_INT(st.frames_concealed, 10 + 2);
	CHECK_INT(st.level, 480 + CWM_JB_FRAME + 2 * CWM_JB_FRAME);
	CHECK_INT(played[79], 79 - 3 - 2);
	cwm_jb_free(jb);
}

static void test_ssrc_change_and_jump(void)
{
	struct cwm_jb *jb = fixed(40);
	int16_t out[CWM_JB_FRAME];
	struct cwm_jb_stats st;
	int audio_after = -1;

	for (unsigned k = 0; k < 20; k++) {
		put_packet(jb, 1, 5000, k, k * FRAME_US);
		cwm_jb_get(jb, out);
	}
	/* a new source (a transfer, a re-INVITE): another SSRC, another timestamp base */
	for (unsigned k = 0; k < 20; k++) {
		put_packet(jb, 2, 0x80000000u, 100 + k, (20 + k) * FRAME_US);
		if (cwm_jb_get(jb, out) == CWM_JB_AUDIO && out[0] > 100 && audio_after < 0)
			audio_after = (int)k;
	}
	cwm_jb_stats(jb, &st);
	CHECK_INT(st.resyncs, 1);
	CHECK_INT(audio_after, 2); /* 40 ms of depth after the change */
	/* the same SSRC jumps 10 s ahead (a sender that paused its clock): restart */
	put_packet(jb, 2, 0x80000000u + 80000, 0, 40 * FRAME_US);
	cwm_jb_stats(jb, &st);
	CHECK_INT(st.resyncs, 2);
	cwm_jb_free(jb);
}

static void test_timestamp_wrap(void)
{
	int order[200], played[200];
	struct cwm_jb *jb = fixed(60);
	struct cwm_jb_stats st;

	for (int t = 0; t < 200; t++)
		order[t] = t;
	run(jb, 3, 0xffffffffu - 100 * CWM_JB_FRAME, order, 200, played);
	for (int t = 3; t < 200; t++)
		CHECK_INT(played[t], t - 3);
	cwm_jb_stats(jb, &st);
	CHECK_INT(st.frames_concealed, 0);
	CHECK_INT(st.resyncs, 0);
	cwm_jb_free(jb);
}

/*
 * The sender's clock runs at rate_hz against the TDM clock's 8000/s for
 * seconds; the buffered audio must stay within bounds, frames dropped when
 * the sender is fast and inserted when it is slow.
 */
static void drift(unsigned rate_hz, unsigned seconds, struct cwm_jb_stats *st, int32_t *lo,
                  int32_t *hi)
{
	struct cwm_jb *jb = fixed(60);
	int16_t out[CWM_JB_FRAME];
	uint64_t end = seconds * 1000000ull, next_packet = 0, next_frame = 0;
	unsigned k = 0;

	*lo = INT32_MAX;
	*hi = INT32_MIN;
	while (next_frame < end) {
		if (next_packet <= next_frame) {
			put_packet(jb, 4, 0, k++, next_packet);
			next_packet = (uint64_t)k * CWM_JB_FRAME * 1000000u / rate_hz;
			continue;
		}
		cwm_jb_get(jb, out);
		next_frame += FRAME_US;
		cwm_jb_stats(jb, st);
		if (next_frame > 5000000) { /* after the start */
			if (st->level < *lo)
				*lo = st->level;
			if (st->level > *hi)
				*hi = st->level;
		}
	}
	cwm_jb_free(jb);
}

static void test_clock_drift(void)
{
	struct cwm_jb_stats st;
	int32_t lo, hi;

	/* +1000 ppm for 120 s: 960 samples too many, 6 frames to drop */
	drift(8008, 120, &st, &lo, &hi);
	CHECK(st.drift_drops >= 5 && st.drift_drops <= 7);
	CHECK_INT(st.drift_inserts, 0);
	CHECK(lo >= 480 && hi <= 480 + 2 * CWM_JB_FRAME);
	CHECK_INT(st.late, 0);
	/* -1000 ppm: 6 frames to insert, never running dry */
	drift(7992, 120, &st, &lo, &hi);
	CHECK(st.drift_inserts >= 5 && st.drift_inserts <= 7);
	CHECK_INT(st.drift_drops, 0);
	CHECK(lo >= 480 - CWM_JB_FRAME && hi <= 480 + 2 * CWM_JB_FRAME);
	CHECK_INT(st.late, 0);
	CHECK_INT(st.frames_concealed, st.drift_inserts);
}

static void test_passthrough(void)
{
	struct cwm_jb *jb = fixed(60);
	int order[20], played[20];
	int16_t out[CWM_JB_FRAME];

	for (int t = 0; t < 20; t++)
		order[t] = t == 10 ? -1 : t;
	CHECK_INT(cwm_jb_set_mode(jb, CWM_JB_PASSTHROUGH), 0);
	CHECK_INT(cwm_jb_mode(jb), CWM_JB_PASSTHROUGH);
	run(jb, 5, 0, order, 12, played);
	CHECK_INT(cwm_jb_get(jb, out), CWM_JB_AUDIO); /* packet 9 */
	CHECK_INT(cwm_jb_get(jb, out), CWM_JB_CONCEALED);
	CHECK_INT(out[0], 0); /* passthrough: silence, never a repetition */
	CHECK_INT(out[159], 0);
	CHECK(cwm_jb_set_mode(jb, (enum cwm_jb_mode)7) < 0);
	cwm_jb_free(jb);
}

static void test_adaptive(void)
{
	struct cwm_jb_config cfg = { .mode = CWM_JB_ADAPTIVE, .depth_ms = 60, .min_ms = 20,
		                    .max_ms = 200 };
	struct cwm_jb *jb;
	struct cwm_jb_stats st;
	int16_t out[CWM_JB_FRAME];

	CHECK_INT(cwm_jb_new(&cfg, &jb), 0);
	for (unsigned k = 0; k < 200; k++) { /* no jitter: the target goes to one frame */
		put_packet(jb, 6, 0, k, k * FRAME_US);
		cwm_jb_get(jb, out);
	}
	cwm_jb_stats(jb, &st);
	CHECK_INT(st.target, CWM_JB_FRAME);
	cwm_jb_free(jb);

	CHECK_INT(cwm_jb_new(&cfg, &jb), 0);
	srand(1);
	for (unsigned k = 0; k < 200; k++) { /* up to 40 ms of jitter: a deeper target */
		put_packet(jb, 6, 0, k, k * FRAME_US + (uint64_t)(rand() % 40000));
		cwm_jb_get(jb, out);
	}
	cwm_jb_stats(jb, &st);
	CHECK(st.target >= 2 * CWM_JB_FRAME && st.target <= 1600);
	cwm_jb_free(jb);
	cfg.min_ms = 300;
	CHECK(cwm_jb_new(&cfg, &jb) < 0);
}

/* A packet 440 ms ahead of the playout point (within the 512 ms that restart) makes the
 * ring grow past what a 60 ms depth needs: the audio held before moves with it, in order,
 * and across the timestamp wrap. */
static void test_ring_growth(void)
{
	const uint32_t ts0 = 0xffffffffu - 5 * CWM_JB_FRAME;
	struct cwm_jb *jb = fixed(60);
	int16_t out[CWM_JB_FRAME];
	struct cwm_jb_stats st;
	int t = 0;

	for (unsigned k = 0; k < 3; k++)
		CHECK_INT(put_packet(jb, 7, ts0, k, 0), CWM_JB_STORED);
	CHECK_INT(put_packet(jb, 7, ts0, 20, 0), CWM_JB_STORED);
	while (cwm_jb_get(jb, out) == CWM_JB_SILENCE && t < 10)
		t++;
	CHECK_INT(t, 3); /* 60 ms of depth, then packet 0 */
	CHECK_INT(out[0], 1);
	CHECK_INT(cwm_jb_get(jb, out), CWM_JB_AUDIO);
	CHECK_INT(out[0], 2);
	CHECK_INT(cwm_jb_get(jb, out), CWM_JB_AUDIO);
	CHECK_INT(out[0], 3);
	for (unsigned k = 3; k < 20; k++)
		CHECK_INT(put_packet(jb, 7, ts0, k, 0), CWM_JB_STORED);
	for (unsigned k = 3; k <= 20; k++) {
		CHECK_INT(cwm_jb_get(jb, out), CWM_JB_AUDIO);
		CHECK_INT(out[0], (int)k + 1);
	}
	cwm_jb_stats(jb, &st);
	CHECK_INT(st.frames_concealed, 0);
	CHECK_INT(st.resyncs, 0);
	cwm_jb_free(jb);
	/* a 400 ms depth: the first ring is big enough for it */
	jb = fixed(400);
	for (unsigned k = 0; k < 5; k++) /* 400 ms + 5 packets: within the 512 ms */
		CHECK_INT(put_packet(jb, 8, 0, k, 0), CWM_JB_STORED);
	t = 0;
	while (cwm_jb_get(jb, out) == CWM_JB_SILENCE && t < 40)
		t++;
	CHECK_INT(t, 20);
	CHECK_INT(out[0], 1);
	cwm_jb_free(jb);
}

int main(void)
{
	test_in_order_and_reordered();
	test_lost_duplicated_late();
	test_pause();
	test_ssrc_change_and_jump();
	test_timestamp_wrap();
	test_clock_drift();
	test_passthrough();
	test_adaptive();
	test_ring_growth();
	return check_done();
}
