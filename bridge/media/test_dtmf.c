/* SPDX-License-Identifier: MIT */
/*
 * test_dtmf.c — the test media-dtmf: in-band DTMF to RFC 4733 events and
 * back (dtmf.h). Tones come from spandsp's generators, what is played
 * toward the B-channel is checked with spandsp's receiver.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dtmf.h"
#include "test_signals.h"
#include "tone_check.h"

#define FRAME CWM_DTMF_FRAME
#define MAXPK 4000
#define TS0 0xfffff000u /* near the wrap: one timestamp per event across it */

/* What the TDM -> SIP side gave for a signal. */
struct run {
	char begins[64], ends[64];
	unsigned nbegins, nends;
	struct cwm_dtmf_packet pk[MAXPK];
	unsigned pk_frame[MAXPK];
	unsigned npk, muted;
	int16_t *out; /* the frames after muting */
};

/* Digits as spandsp's dtmf_tx sends them: on_ms / off_ms, level per tone. */
static int16_t *dtmf_signal(const char *digits, int on_ms, int off_ms, int level, size_t *n)
{
	dtmf_tx_state_t *tx = dtmf_tx_init(NULL);
	size_t cap = (strlen(digits) * (size_t)(on_ms + off_ms) + 400) * 8 / FRAME * FRAME + FRAME;
	int16_t *x = calloc(cap, sizeof(*x));

	dtmf_tx_set_timing(tx, on_ms, off_ms);
	dtmf_tx_set_level(tx, level, 0);
	dtmf_tx_put(tx, digits, -1);
	for (size_t i = 800; i < cap; i += FRAME) { /* 100 ms of silence first */
		int k = dtmf_tx(tx, x + i, FRAME);

		if (k <= 0)
			break;
	}
	dtmf_tx_free(tx);
	*n = cap;
	return x;
}

/*
 * A sender with a schedule of its own (cwm_rtp_session_event_begin() and
 * _end() drive one) given only the edges sends the very packets of
 * res->packet, and is never busy when a digit begins.
 */
static void mirror(struct cwm_rtp_event_tx *tx, const struct cwm_dtmf_in_result *res, uint32_t ts)
{
	struct cwm_rtp_event ev;
	uint32_t ets;
	bool marker;

	if (res->end)
		cwm_rtp_event_tx_end(tx);
	if (res->begin)
		CHECK(cwm_rtp_event_tx_begin(tx, res->begin_code, res->begin_volume, ts) == 0);
	int has = cwm_rtp_event_tx_next(tx, FRAME, &ev, &ets, &marker);

	if (!CHECK_INT(has, res->has_packet) || !has)
		return;
	CHECK(ev.event == res->packet.ev.event && ev.end == res->packet.ev.end &&
	      ev.volume == res->packet.ev.volume && ev.duration == res->packet.ev.duration &&
	      ets == res->packet.timestamp && marker == res->packet.marker);
}

static void run_in(const struct cwm_dtmf_in_config *cfg, const int16_t *x, size_t n, struct run *r)
{
	struct cwm_dtmf_in *d;
	struct cwm_rtp_event_tx tx = { 0 };

	memset(r, 0, sizeof(*r));
	r->out = calloc(n, sizeof(int16_t));
	memcpy(r->out, x, n * sizeof(int16_t));
	if (!CHECK(cwm_dtmf_in_new(cfg, &d) == 0))
		return;
	for (size_t f = 0; f + FRAME <= n; f += FRAME) {
		struct cwm_dtmf_in_result res;

		CHECK(cwm_dtmf_in_frame(d, r->out + f, TS0 + (uint32_t)f, &res) == 0);
		mirror(&tx, &res, TS0 + (uint32_t)f);
		if (res.begin && r->nbegins < sizeof(r->begins) - 1)
			r->begins[r->nbegins++] = res.begin;
		if (res.end && r->nends < sizeof(r->ends) - 1)
			r->ends[r->nends++] = res.end;
		if (res.has_packet && r->npk < MAXPK) {
			r->pk_frame[r->npk] = (unsigned)(f / FRAME);
			r->pk[r->npk++] = res.packet;
		}
		r->muted += res.muted;
	}
	cwm_dtmf_in_free(d);
}

/* The digits and the schedule of every event: one timestamp, the marker on
 * the first packet only, durations growing by 160, three end packets with
 * the final duration, one packet per frame. */
static void check_schedule(const struct run *r, const char *want, unsigned min_dur,
                           unsigned max_dur)
{
	CHECK_STR(r->begins, want);
	CHECK_STR(r->ends, want);
	unsigned i = 0, events = 0;

	while (i < r->npk) {
		const struct cwm_dtmf_packet *first = &r->pk[i];
		unsigned j = i, ends = 0;

		CHECK(first->marker);
		CHECK(!first->ev.end);
		CHECK_INT(first->ev.duration, FRAME);
		for (; j < r->npk && r->pk[j].timestamp == first->timestamp; j++) {
			const struct cwm_dtmf_packet *p = &r->pk[j];
			struct cwm_rtp_event back;

			CHECK(cwm_rtp_event_decode(p->payload, CWM_RTP_EVENT_LEN, &back) == 0);
			CHECK(back.event == p->ev.event && back.end == p->ev.end &&
			      back.duration == p->ev.duration && back.volume == p->ev.volume);
			if (j > i) {
				CHECK(!p->marker);
				CHECK_INT(r->pk_frame[j], r->pk_frame[j - 1] + 1);
				if (!p->ev.end)
					CHECK_INT(p->ev.duration, r->pk[j - 1].ev.duration + FRAME);
			}
			if (p->ev.end) {
				ends++;
				CHECK_INT(p->ev.duration, r->pk[i + (j - i) - ends + 1].ev.duration);
			}
			CHECK_INT(p->ev.event, first->ev.event);
		}
		CHECK_INT(ends, 3);
		CHECK(r->pk[j - 1].ev.end && r->pk[j - 2].ev.end && r->pk[j - 3].ev.end);
		unsigned dur = r->pk[j - 1].ev.duration;

		if (!CHECK(dur >= min_dur && dur <= max_dur))
			fprintf(stderr, "  event %u duration %u not in %u..%u\n", events, dur, min_dur,
			        max_dur);
		char digit;

		CHECK(cwm_rtp_event_to_digit(first->ev.event, &digit) == 0);
		CHECK(events < strlen(want) && digit == want[events]);
		/* the timestamp is the frame the digit was heard in */
		CHECK_INT(first->timestamp, TS0 + r->pk_frame[i] * FRAME);
		events++;
		i = j;
	}
	CHECK_INT(events, strlen(want));
}

static void test_digits(enum cwm_g711_law law)
{
	size_t n;
	int16_t *x = dtmf_signal("123#*0A9", 100, 100, -10, &n);
	struct run *r = malloc(sizeof(*r));

	sig_law(x, n, law);
	run_in(NULL, x, n, r);
	/* 100 ms of tone: 800 samples, give or take the frame it was heard in */
	check_schedule(r, "123#*0A9", 640, 960);
	CHECK_INT(r->muted, 0);
	for (unsigned i = 0; i < r->npk; i++) /* -10 dBm0 a tone: about -7 dBm0 the pair */
		if (!CHECK(r->pk[i].ev.volume >= 4 && r->pk[i].ev.volume <= 12))
			break;
	CHECK(memcmp(r->out, x, n * sizeof(*x)) == 0); /* no suppression: untouched */
	free(r->out);
	free(r);
	free(x);
}

/* Digits at on_ms / off_ms: each event's schedule, its final duration
 * within min_dur..max_dur. */
static void schedule_case(const char *digits, int on_ms, int off_ms, unsigned min_dur,
                          unsigned max_dur)
{
	size_t n;
	int16_t *x = dtmf_signal(digits, on_ms, off_ms, -10, &n);
	struct run *r = malloc(sizeof(*r));

	run_in(NULL, x, n, r);
	check_schedule(r, digits, min_dur, max_dur);
	free(r->out);
	free(r);
	free(x);
}

static void test_timing(void)
{
	/* fast dialling, 50 ms on and off: the tx is idle again in time */
	schedule_case("1234567890", 50, 50, 160, 640);
	/* digits closer than the end packets, 30 ms apart: the next event
	 * waits for the three end packets (two frames at most), none is lost */
	schedule_case("2580", 60, 30, 160, 640);
	/* a 2 s key press: one event, its duration growing all along */
	schedule_case("5", 2000, 100, 15680, 16320);
}

/* Twist: the low group up to 8 dB above the high one, the high group up
 * to 4 dB above the low one; beyond, no digit. */
static void test_twist(void)
{
	static const struct { int low, high; const char *want; } cases[] = {
		{ -10, -16, "1" }, /* low 6 dB above */
		{ -10, -21, "" },  /* low 11 dB above */
		{ -12, -10, "1" }, /* high 2 dB above */
		{ -17, -10, "" },  /* high 7 dB above */
		{ -28, -28, "1" }, /* quiet, above the threshold */
		{ -40, -40, "" },  /* below it */
	};
	size_t n = 8000;
	int16_t *x = calloc(n, sizeof(*x));
	struct run *r = malloc(sizeof(*r));

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sig_pair(x + 800, 1600, 697, cases[i].low, 1209, cases[i].high);
		run_in(NULL, x, n, r);
		if (!CHECK_STR(r->begins, cases[i].want))
			fprintf(stderr, "  low %d high %d dBm0\n", cases[i].low, cases[i].high);
		free(r->out);
	}
	/* a wider twist accepted when asked for */
	sig_pair(x + 800, 1600, 697, -10, 1209, -21);
	run_in(&(struct cwm_dtmf_in_config){ .twist_db = 12 }, x, n, r);
	CHECK_STR(r->begins, "1");
	free(r->out);
	free(r);
	free(x);
}

/*
 * The naive detector: per 205-sample block (Q.24 practice), the strongest
 * row and the strongest column frequency by Goertzel, each above -30 dBm0
 * (a sine's share of the block, tone_check.h) and within 8 dB of each
 * other. The blocks where that holds for two blocks running.
 */
static unsigned naive_hits(const int16_t *x, size_t n)
{
	static const double rows[] = { 697, 770, 852, 941 }, cols[] = { 1209, 1336, 1477, 1633 };
	unsigned hits = 0, run = 0;

	for (size_t b = 0; b + 205 <= n; b += 205) {
		double energy = 0, row = 0, col = 0;

		for (size_t i = 0; i < 205; i++)
			energy += (double)x[b + i] * x[b + i];
		for (int k = 0; k < 4; k++) {
			double pr = tone_share(x + b, 205, rows[k]) * energy / 205;
			double pc = tone_share(x + b, 205, cols[k]) * energy / 205;

			row = pr > row ? pr : row;
			col = pc > col ? pc : col;
		}
		/* mean power of a -30 dBm0 sine: 32767^2 / 2 at +3.14 dBm0 */
		double floor_ = 32767.0 * 32767.0 / 2 * pow(10, (-30 - 3.14) / 10);
		bool hit = row > floor_ && col > floor_ && row < col * 6.31 && col < row * 6.31;

		run = hit ? run + 1 : 0;
		hits += run == 2;
	}
	return hits;
}

/* Speech and noise are not digits (talk-off), though a detector that looks
 * only at the strongest row and column bins is taken in. */
static void test_talk_off(void)
{
	size_t n = 8000 * 30;
	int16_t *x = malloc(n * sizeof(*x));
	struct run *r = malloc(sizeof(*r));
	unsigned naive = 0;
	size_t nd;
	int16_t *digits = dtmf_signal("1593", 100, 100, -10, &nd);

	CHECK_INT(naive_hits(digits, nd), 4); /* the naive detector does hear digits */
	free(digits);
	for (unsigned seed = 1; seed <= 3; seed++) {
		sig_speech(x, n, seed);
		sig_law(x, n, CWM_G711_ALAW);
		naive += naive_hits(x, n);
		run_in(&(struct cwm_dtmf_in_config){ .suppress = true }, x, n, r);
		if (!CHECK_STR(r->begins, ""))
			fprintf(stderr, "  speech seed %u\n", seed);
		CHECK_INT(r->npk, 0);
		/* the "maybe" mute stays rare: under 1 % of the frames */
		CHECK(r->muted < n / FRAME / 100);
		free(r->out);
	}
	/* the signal is bait: the naive detector takes some of it for digits */
	if (!CHECK(naive >= 10))
		fprintf(stderr, "  speech: the naive detector found %u\n", naive);
	sig_noise(x, n, 7, -15.0f);
	run_in(NULL, x, n, r);
	CHECK_STR(r->begins, "");
	free(r->out);
	/* vowels on DTMF frequencies: digits to the naive detector, not here */
	for (unsigned seed = 1; seed <= 2; seed++) {
		sig_vowels_on_dtmf(x, n, seed);
		naive = naive_hits(x, n);
		if (!CHECK(naive >= 10))
			fprintf(stderr, "  vowels seed %u: the naive detector found %u\n", seed, naive);
		run_in(NULL, x, n, r);
		if (!CHECK_STR(r->begins, ""))
			fprintf(stderr, "  vowels seed %u\n", seed);
		free(r->out);
	}
	/* a digit within speech is still heard */
	sig_speech(x, n, 4);
	for (size_t i = 0; i < 1200; i++)
		x[8000 + i] = 0;
	sig_pair(x + 8000 + 200, 800, 852, -8, 1477, -8);
	run_in(NULL, x, 8000 * 3, r);
	CHECK_STR(r->begins, "9");
	free(r->out);
	free(r);
	free(x);
}

/* Suppression: the digit's frames are silent, the rest untouched and one
 * frame late. */
static void test_suppress(void)
{
	size_t n = 8000 * 2;
	int16_t *x = calloc(n, sizeof(*x));
	struct run *r = malloc(sizeof(*r));

	sig_speech(x, 3200, 9);
	sig_pair(x + 4000, 1600, 770, -10, 1336, -10); /* '5', 200 ms from frame 25 */
	sig_speech(x + 8000, 3200, 10);
	run_in(&(struct cwm_dtmf_in_config){ .suppress = true }, x, n, r);
	CHECK_STR(r->begins, "5");
	for (size_t i = 4000 + FRAME; i < 5600 + FRAME; i++)
		if (!CHECK(r->out[i] == 0))
			break;
	/* the tone's 10 frames, at most three more (the frame held back, its
	 * end heard a frame late) */
	if (!CHECK(r->muted >= 10 && r->muted <= 13))
		fprintf(stderr, "  %u frames muted\n", r->muted);
	CHECK(memcmp(r->out + FRAME, x, 3200 * sizeof(*x)) == 0);
	CHECK(memcmp(r->out + 8000 + FRAME, x + 8000, 3200 * sizeof(*x)) == 0);
	for (size_t i = 0; i < FRAME; i++)
		if (!CHECK(r->out[i] == 0))
			break;
	free(r->out);
	run_in(NULL, x, n, r);
	CHECK_INT(r->muted, 0);
	CHECK(memcmp(r->out, x, n * sizeof(*x)) == 0);
	free(r->out);
	free(r);
	free(x);
}

static void test_in_config(void)
{
	struct cwm_dtmf_in *d;

	CHECK(cwm_dtmf_in_new(&(struct cwm_dtmf_in_config){ .twist_db = 21 }, &d) == -EINVAL);
	CHECK(cwm_dtmf_in_new(&(struct cwm_dtmf_in_config){ .threshold_dbm0 = -61 }, &d) == -EINVAL);
	CHECK(cwm_dtmf_in_new(NULL, NULL) == -EINVAL);
	CHECK(cwm_dtmf_in_new(NULL, &d) == 0);
	CHECK(cwm_dtmf_in_frame(d, NULL, 0, NULL) == -EINVAL);
	cwm_dtmf_in_free(d);
	cwm_dtmf_in_free(NULL);
}

/* ---- SIP -> TDM ---- */

/* What was played toward the B-channel. */
struct played {
	struct sig_heard heard;
	size_t first, last; /* the first and the last non-zero sample */
	size_t written;     /* frames written */
};

/*
 * Packets of one or more events, one per frame slot: script[f] is the
 * packet arriving before frame f (duration 0: none). Plays nframes frames
 * and listens to them with spandsp's receiver.
 */
struct pkt {
	char digit;
	uint32_t ts;
	uint16_t duration;
	bool end;
};

static void play(struct cwm_dtmf_out *g, const struct pkt *script, size_t nscript, size_t nframes,
                 struct played *p)
{
	dtmf_rx_state_t *rx = dtmf_rx_init(NULL, sig_heard_digits, &p->heard);
	bool seen = false;

	memset(p, 0, sizeof(*p));
	for (size_t f = 0; f < nframes; f++) {
		int16_t pcm[FRAME] = { 0 };

		if (f < nscript && script[f].duration) {
			struct cwm_rtp_event ev = { .end = script[f].end, .volume = 10,
				                    .duration = script[f].duration };

			CHECK(cwm_rtp_event_from_digit(script[f].digit, &ev.event) == 0);
			CHECK(cwm_dtmf_out_packet(g, &ev, script[f].ts) == 0);
		}
		p->written += (size_t)cwm_dtmf_out_frame(g, pcm);
		for (int i = 0; i < FRAME; i++) {
			if (pcm[i] != 0 && !seen) {
				seen = true;
				p->first = f * FRAME + (size_t)i;
			}
			if (pcm[i] != 0)
				p->last = f * FRAME + (size_t)i;
		}
		dtmf_rx(rx, pcm, FRAME);
	}
	dtmf_rx_free(rx);
}

/* An event of dur samples at ts: updates each frame, three end packets. */
static size_t event_script(struct pkt *s, char digit, uint32_t ts, unsigned dur)
{
	size_t n = 0;

	for (unsigned d = FRAME; d < dur; d += FRAME)
		s[n++] = (struct pkt){ digit, ts, (uint16_t)d, false };
	for (int i = 0; i < 3; i++)
		s[n++] = (struct pkt){ digit, ts, (uint16_t)dur, true };
	return n;
}

static void test_out_event(void)
{
	struct cwm_dtmf_out *g;
	struct cwm_dtmf_out_stats st;
	struct pkt s[64];
	struct played p;
	size_t n = event_script(s, '7', 4242, 1600);

	s[n] = s[n - 1]; /* a fourth end packet, late */
	n++;
	CHECK(cwm_dtmf_out_new(NULL, &g) == 0);
	play(g, s, n, 40, &p);
	CHECK_STR(p.heard.digits, "7");
	/* the tone lasts the event's duration, to the sample (spandsp's tone may
	 * touch 0 on its first or last sample) */
	if (!CHECK(p.last - p.first + 1 >= 1598 && p.last - p.first + 1 <= 1600))
		fprintf(stderr, "  tone %zu..%zu\n", p.first, p.last);
	CHECK_INT(p.first / FRAME, 0); /* from the frame after the first packet */
	cwm_dtmf_out_stats(g, &st);
	CHECK_INT(st.digits, 1);
	CHECK_INT(st.timeouts, 0);
	/* after the tone and the 40 ms after it, the frames are the caller's */
	CHECK_INT(p.written, 10 + 2);
	cwm_dtmf_out_free(g);
}

/* The first three packets lost: the event begins with its fourth and
 * still plays for its duration. */
static void test_out_lost_start(void)
{
	struct cwm_dtmf_out *g;
	struct pkt s[64];
	struct played p;
	size_t n = event_script(s, '#', 100, 1600);

	for (int i = 0; i < 3; i++)
		s[i].duration = 0;
	CHECK(cwm_dtmf_out_new(NULL, &g) == 0);
	play(g, s, n, 40, &p);
	CHECK_STR(p.heard.digits, "#");
	CHECK_INT(p.first / FRAME, 3);
	CHECK(p.last - p.first + 1 >= 1598 && p.last - p.first + 1 <= 1600);
	cwm_dtmf_out_free(g);
}

/* Every end packet lost: the next event ends it (§2.5.2), and both play,
 * with silence between; lost and never followed: the idle time ends it. */
static void test_out_lost_end(void)
{
	struct cwm_dtmf_out *g;
	struct cwm_dtmf_out_stats st;
	struct pkt s[128];
	struct played p;
	size_t n = event_script(s, '1', 1000, 800);

	n -= 3; /* its end packets */
	n += event_script(s + n, '2', 1000 + 1600, 800);
	CHECK(cwm_dtmf_out_new(NULL, &g) == 0);
	play(g, s, n, 60, &p);
	CHECK_STR(p.heard.digits, "12");
	cwm_dtmf_out_free(g);

	n = event_script(s, '3', 5000, 800) - 3;
	CHECK(cwm_dtmf_out_new(&(struct cwm_dtmf_out_config){ .idle_ms = 200 }, &g) == 0);
	play(g, s, n, 100, &p);
	CHECK_STR(p.heard.digits, "3");
	cwm_dtmf_out_stats(g, &st);
	CHECK_INT(st.timeouts, 1);
	/* the tone ran from the first packet to 200 ms after the last one,
	 * within a frame (spandsp's first sample is 0) */
	CHECK(p.last - p.first + 1 >= (n - 1) * FRAME + 1600 - FRAME - 1 &&
	      p.last - p.first + 1 <= (n - 1) * FRAME + 1600 + FRAME);
	cwm_dtmf_out_free(g);
}

/* A 20 ms event plays min_on (40 ms); flash (16) is not played. */
static void test_out_short_and_flash(void)
{
	struct cwm_dtmf_out *g;
	struct played p;
	struct pkt s[8];
	size_t n = event_script(s, '0', 10, FRAME);

	CHECK(cwm_dtmf_out_new(NULL, &g) == 0);
	play(g, s, n, 20, &p);
	CHECK(p.last - p.first + 1 >= 318 && p.last - p.first + 1 <= 320);
	CHECK_STR(p.heard.digits, "0");

	struct cwm_rtp_event flash = { .event = 16, .volume = 10, .duration = 160 };
	int16_t pcm[FRAME] = { 1 };

	CHECK(cwm_dtmf_out_packet(g, &flash, 9999) == -EINVAL);
	CHECK_INT(cwm_dtmf_out_frame(g, pcm), 0);
	CHECK_INT(pcm[0], 1);
	cwm_dtmf_out_free(g);
}

/* From cwm_rtp_session_next_event()'s reports. */
static void test_out_reports(void)
{
	struct cwm_dtmf_out *g;
	struct cwm_rtp_event_report begin = { .kind = CWM_RTP_EVENT_BEGIN, .event = 12, .volume = 8,
		                               .timestamp = 1, .duration = 160 };
	struct cwm_rtp_event_report end = begin;
	int16_t pcm[FRAME];
	size_t tone = 0;

	end.kind = CWM_RTP_EVENT_END;
	end.duration = 960;
	CHECK(cwm_dtmf_out_new(NULL, &g) == 0);
	CHECK(cwm_dtmf_out_report(g, &begin) == 0);
	for (int f = 0; f < 20; f++) {
		memset(pcm, 0, sizeof(pcm));
		if (f == 3)
			CHECK(cwm_dtmf_out_report(g, &end) == 0);
		cwm_dtmf_out_frame(g, pcm);
		for (int i = 0; i < FRAME; i++)
			tone += pcm[i] != 0;
	}
	CHECK(tone >= 940 && tone <= 960);
	CHECK(cwm_dtmf_out_new(&(struct cwm_dtmf_out_config){ .max_ms = 60001 }, &g) == -EINVAL);
	cwm_dtmf_out_free(g);
}

/* TDM -> SIP -> TDM: the digits heard, sent as events, played again and
 * heard again. */
static void test_round_trip(void)
{
	size_t n;
	int16_t *x = dtmf_signal("159D*", 80, 80, -12, &n);
	struct run *r = malloc(sizeof(*r));
	struct cwm_dtmf_out *g;
	struct played p;
	dtmf_rx_state_t *rx = dtmf_rx_init(NULL, sig_heard_digits, &p.heard);

	sig_law(x, n, CWM_G711_ULAW);
	run_in(NULL, x, n, r);
	CHECK_STR(r->begins, "159D*");
	memset(&p, 0, sizeof(p));
	CHECK(cwm_dtmf_out_new(NULL, &g) == 0);
	unsigned k = 0;

	for (unsigned f = 0; f < n / FRAME + 20; f++) {
		int16_t pcm[FRAME] = { 0 };

		for (; k < r->npk && r->pk_frame[k] == f; k++)
			CHECK(cwm_dtmf_out_packet(g, &r->pk[k].ev, r->pk[k].timestamp) == 0);
		cwm_dtmf_out_frame(g, pcm);
		sig_law(pcm, FRAME, CWM_G711_ULAW);
		dtmf_rx(rx, pcm, FRAME);
	}
	CHECK_STR(p.heard.digits, "159D*");
	dtmf_rx_free(rx);
	cwm_dtmf_out_free(g);
	free(r->out);
	free(r);
	free(x);
}

int main(void)
{
	test_digits(CWM_G711_ALAW);
	test_digits(CWM_G711_ULAW);
	test_timing();
	test_twist();
	test_talk_off();
	test_suppress();
	test_in_config();
	test_out_event();
	test_out_lost_start();
	test_out_lost_end();
	test_out_short_and_flash();
	test_out_reports();
	test_round_trip();
	return check_done();
}
