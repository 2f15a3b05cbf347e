/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/dtmf_out.c — SIP -> TDM: RFC 4733 telephone-events received
 * played as in-band DTMF (spandsp dtmf_tx) toward the B-channel (dtmf.h).
 *
 * The digits wait in a short queue; the head plays from the frame after
 * its BEGIN until its final duration (at least min_on), then min_off of
 * silence before the next one (ITU-T Q.24: a receiver needs both).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <spandsp.h>

#include "dtmf.h"

#define QUEUE 8
#define SAMPLES_PER_MS 8
#define MAX_TIME_MS 60000
/* RFC 4733 §2.3.3 volume -> the level of each of the two tones: the pair's
 * power is the volume, each tone 3 dB below; kept within what a DTMF
 * receiver takes (about -30..-4 dBm0 a tone). */
#define TONE_LEVEL_MIN (-30)
#define TONE_LEVEL_MAX (-4)

struct digit {
	char digit;
	uint8_t volume;
	bool ended;        /* the final duration is known */
	bool via_packets;  /* its packets are seen, so their stopping is too */
	uint32_t duration; /* final, in samples (RFC 4733 timestamp units at 8000/s) */
	unsigned idle;     /* samples since its last packet */
};

enum state { IDLE, ON, OFF };

struct cwm_dtmf_out {
	dtmf_tx_state_t *tx;
	struct cwm_rtp_event_rx rx;
	struct digit q[QUEUE];
	unsigned head, count;
	enum state state;
	uint32_t played;   /* samples of the head digit so far */
	uint32_t off_left; /* samples of silence still owed after the last digit */
	uint32_t idle, max, min_on, min_off; /* in samples */
	struct cwm_dtmf_out_stats st;
};

int cwm_dtmf_out_new(const struct cwm_dtmf_out_config *cfg, struct cwm_dtmf_out **out)
{
	struct cwm_dtmf_out_config c = cfg ? *cfg : (struct cwm_dtmf_out_config){ 0 };

	if (!out || c.idle_ms > MAX_TIME_MS || c.max_ms > MAX_TIME_MS || c.min_on_ms > MAX_TIME_MS ||
	    c.min_off_ms > MAX_TIME_MS)
		return -EINVAL;

	struct cwm_dtmf_out *g = calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	g->tx = dtmf_tx_init(NULL);
	if (!g->tx) {
		free(g);
		return -ENOMEM;
	}
	g->idle = (c.idle_ms ? c.idle_ms : 300) * SAMPLES_PER_MS;
	g->max = (c.max_ms ? c.max_ms : 10000) * SAMPLES_PER_MS;
	g->min_on = (c.min_on_ms ? c.min_on_ms : 40) * SAMPLES_PER_MS;
	g->min_off = (c.min_off_ms ? c.min_off_ms : 40) * SAMPLES_PER_MS;
	*out = g;
	return 0;
}

void cwm_dtmf_out_free(struct cwm_dtmf_out *g)
{
	if (!g)
		return;
	dtmf_tx_free(g->tx);
	free(g);
}

static struct digit *tail(struct cwm_dtmf_out *g)
{
	return g->count ? &g->q[(g->head + g->count - 1) % QUEUE] : NULL;
}

static int on_report(struct cwm_dtmf_out *g, const struct cwm_rtp_event_report *r, bool packets)
{
	char digit;

	if (cwm_rtp_event_to_digit(r->event, &digit) < 0)
		return -EINVAL;
	if (r->kind == CWM_RTP_EVENT_BEGIN) {
		if (g->count == QUEUE) {
			g->st.dropped++;
			return 0;
		}
		g->q[(g->head + g->count++) % QUEUE] =
			(struct digit){ .digit = digit, .volume = r->volume, .via_packets = packets };
		return 0;
	}

	struct digit *t = tail(g);

	if (t && !t->ended && t->digit == digit) {
		t->ended = true;
		t->duration = r->duration;
	}
	return 0;
}

int cwm_dtmf_out_report(struct cwm_dtmf_out *g, const struct cwm_rtp_event_report *r)
{
	if (!g || !r)
		return -EINVAL;
	return on_report(g, r, false);
}

int cwm_dtmf_out_packet(struct cwm_dtmf_out *g, const struct cwm_rtp_event *ev,
                        uint32_t timestamp)
{
	struct cwm_rtp_event_report r[3];
	int rc = 0;

	if (!g || !ev)
		return -EINVAL;

	int n = cwm_rtp_event_rx_packet(&g->rx, ev, timestamp, r);

	for (int i = 0; i < n; i++) {
		int e = on_report(g, &r[i], true);

		if (e < 0)
			rc = e;
	}
	struct digit *t = tail(g);

	/* a packet of the event still going: it has not stopped */
	if (t && !t->ended && g->rx.active && g->rx.timestamp == timestamp)
		t->idle = 0;
	char digit;

	return rc < 0 ? rc : cwm_rtp_event_to_digit(ev->event, &digit);
}

/* The level of each tone for an RFC 4733 volume (-dBm0 of the pair). */
static int tone_level(uint8_t volume)
{
	int level = -(int)volume - 3;

	return level < TONE_LEVEL_MIN ? TONE_LEVEL_MIN : level > TONE_LEVEL_MAX ? TONE_LEVEL_MAX : level;
}

static void start_head(struct cwm_dtmf_out *g)
{
	const struct digit *d = &g->q[g->head];
	char s[2] = { d->digit, 0 };

	dtmf_tx_init(g->tx); /* a fresh generator: the tone starts at phase 0 */
	dtmf_tx_set_level(g->tx, tone_level(d->volume), 0);
	dtmf_tx_set_timing(g->tx, MAX_TIME_MS, 0); /* ended by us, not by spandsp */
	dtmf_tx_put(g->tx, s, 1);
	g->played = 0;
	g->state = ON;
}

/* Samples the head digit still plays: its final duration, within
 * min_on..max; unknown yet: up to max. */
static uint32_t head_left(const struct cwm_dtmf_out *g)
{
	const struct digit *d = &g->q[g->head];
	uint32_t target = g->max;

	if (d->ended) {
		target = d->duration < g->min_on ? g->min_on : d->duration;
		if (target > g->max)
			target = g->max;
	}
	return target > g->played ? target - g->played : 0;
}

static void finish_head(struct cwm_dtmf_out *g)
{
	if (!g->q[g->head].ended)
		g->st.timeouts++; /* max reached without an end */
	g->head = (g->head + 1) % QUEUE;
	g->count--;
	g->st.digits++;
	g->state = OFF;
	g->off_left = g->min_off;
}

/* Events whose packets stopped: ended where they are (§2.5.2; the idle
 * time is this gateway's choice). */
static void age(struct cwm_dtmf_out *g)
{
	for (unsigned i = 0; i < g->count; i++) {
		struct digit *d = &g->q[(g->head + i) % QUEUE];

		if (d->ended || !d->via_packets)
			continue;
		d->idle += CWM_DTMF_FRAME;
		if (d->idle >= g->idle) {
			d->ended = true;
			d->duration = i == 0 && g->state == ON ? g->played : 0;
			g->st.timeouts++;
		}
	}
}

int cwm_dtmf_out_frame(struct cwm_dtmf_out *g, int16_t pcm[CWM_DTMF_FRAME])
{
	unsigned pos = 0;
	int written = 0;

	if (!g || !pcm)
		return 0;
	age(g);
	while (pos < CWM_DTMF_FRAME) {
		unsigned room = CWM_DTMF_FRAME - pos;

		if (g->state == OFF) {
			unsigned n = g->off_left < room ? g->off_left : room;

			memset(pcm + pos, 0, n * sizeof(pcm[0]));
			pos += n;
			g->off_left -= n;
			written = 1;
			if (g->off_left == 0)
				g->state = IDLE;
			continue;
		}
		if (g->state == IDLE) {
			if (g->count == 0)
				break;
			start_head(g);
		}

		uint32_t left = head_left(g);

		if (left == 0) {
			finish_head(g);
			continue;
		}
		unsigned n = left < room ? left : room;
		int got = dtmf_tx(g->tx, pcm + pos, (int)n);

		if (got < 0)
			got = 0;
		if ((unsigned)got < n)
			memset(pcm + pos + got, 0, (n - (unsigned)got) * sizeof(pcm[0]));
		pos += n;
		g->played += n;
		written = 1;
		if (left == n && g->q[g->head].ended)
			finish_head(g);
	}
	return written;
}

void cwm_dtmf_out_stats(const struct cwm_dtmf_out *g, struct cwm_dtmf_out_stats *out)
{
	*out = g->st;
}
