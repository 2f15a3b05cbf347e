/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/dtmf_in.c — TDM -> SIP: in-band DTMF heard on the B-channel
 * (spandsp dtmf_rx) sent as RFC 4733 telephone-events (dtmf.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <spandsp.h>

#include "dtmf.h"

#define DEFAULT_TWIST_DB 8
#define DEFAULT_REVERSE_TWIST_DB 4
#define DEFAULT_THRESHOLD_DBM0 (-32)
#define MAX_EDGES 4 /* spandsp's state changes within one frame: two are already unusual */

struct cwm_dtmf_in {
	dtmf_rx_state_t *rx;
	bool suppress;
	struct cwm_rtp_event_tx tx; /* the RFC 4733 schedule (rtp_event.h) */
	bool down;                  /* the current event's key is down */
	char digit;                 /* of the current event */
	char pending;               /* heard while the previous end packets go out, or 0 */
	uint8_t pending_volume;
	bool pending_ended;         /* ... and already over */
	bool end_next;              /* end the event begun last frame (it was over when begun) */
	struct { char code; int level; } edge[MAX_EDGES]; /* this frame's, from the callback */
	int16_t held[CWM_DTMF_FRAME]; /* suppress: the frame before, not yet handed back */
	bool held_tone;               /* ... and whether a tone was in it */
	unsigned nedges;
	struct cwm_dtmf_in_stats st;
};

/* spandsp's realtime report: a digit's ASCII code when a tone pair is
 * confirmed, 0 when it stops. Called from within dtmf_rx(). */
static void on_edge(void *user, int code, int level, int delay)
{
	struct cwm_dtmf_in *d = user;

	(void)delay;
	if (d->nedges < MAX_EDGES) {
		d->edge[d->nedges].code = (char)code;
		d->edge[d->nedges].level = level;
		d->nedges++;
	}
}

int cwm_dtmf_in_new(const struct cwm_dtmf_in_config *cfg, struct cwm_dtmf_in **out)
{
	struct cwm_dtmf_in_config c = cfg ? *cfg : (struct cwm_dtmf_in_config){ 0 };

	if (!out)
		return -EINVAL;
	if (c.twist_db == 0)
		c.twist_db = DEFAULT_TWIST_DB;
	if (c.reverse_twist_db == 0)
		c.reverse_twist_db = DEFAULT_REVERSE_TWIST_DB;
	if (c.threshold_dbm0 == 0)
		c.threshold_dbm0 = DEFAULT_THRESHOLD_DBM0;
	if (c.twist_db < 0 || c.twist_db > 20 || c.reverse_twist_db < 0 ||
	    c.reverse_twist_db > 20 || c.threshold_dbm0 < -60 || c.threshold_dbm0 > 0)
		return -EINVAL;

	struct cwm_dtmf_in *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->rx = dtmf_rx_init(NULL, NULL, NULL);
	if (!d->rx) {
		free(d);
		return -ENOMEM;
	}
	dtmf_rx_parms(d->rx, c.filter_dialtone, c.twist_db, c.reverse_twist_db, c.threshold_dbm0);
	dtmf_rx_set_realtime_callback(d->rx, on_edge, d);
	d->suppress = c.suppress;
	*out = d;
	return 0;
}

void cwm_dtmf_in_free(struct cwm_dtmf_in *d)
{
	if (!d)
		return;
	dtmf_rx_free(d->rx);
	free(d);
}

/* RFC 4733 §2.3.3: the volume is the tone's power in -dBm0, 0..63. */
static uint8_t volume_of(int level_dbm0)
{
	if (level_dbm0 >= 0)
		return 0;
	return level_dbm0 <= -63 ? 63 : (uint8_t)-level_dbm0;
}

static void begin(struct cwm_dtmf_in *d, char digit, uint8_t volume, uint32_t ts,
                  struct cwm_dtmf_in_result *res)
{
	uint8_t code;

	if (cwm_rtp_event_from_digit(digit, &code) < 0 ||
	    cwm_rtp_event_tx_begin(&d->tx, code, volume, ts) < 0)
		return;
	d->down = true;
	d->digit = digit;
	d->st.digits++;
	res->begin = digit;
	res->begin_code = code;
	res->begin_volume = volume;
}

static void end(struct cwm_dtmf_in *d, struct cwm_dtmf_in_result *res)
{
	cwm_rtp_event_tx_end(&d->tx);
	d->down = false;
	res->end = d->digit;
}

/* The current digit stops: its end packets start with this frame, or with
 * the next when it began in this one (an event has one packet before its
 * end, §2.5.1.4). */
static void stop_current(struct cwm_dtmf_in *d, struct cwm_dtmf_in_result *res)
{
	if (!d->down)
		return;
	if (res->begin)
		d->end_next = true;
	else
		end(d, res);
}

static void on_start(struct cwm_dtmf_in *d, char digit, uint8_t volume, uint32_t ts,
                     struct cwm_dtmf_in_result *res)
{
	stop_current(d, res); /* one pair straight to another: the first ends here */
	if (!d->tx.active && !res->begin) {
		begin(d, digit, volume, ts, res);
		return;
	}
	d->pending = digit; /* §2.5.1.4: the previous event's end packets first */
	d->pending_volume = volume;
	d->pending_ended = false;
}

/* A stop is the waiting digit's when there is one: the current one was
 * stopped (or its stop scheduled) when the waiting one started. */
static void on_stop(struct cwm_dtmf_in *d, struct cwm_dtmf_in_result *res)
{
	if (d->pending)
		d->pending_ended = true;
	else
		stop_current(d, res);
}

/*
 * Suppression. A digit is confirmed a frame after its first samples, so
 * the audio goes out one frame late: the frame handed back is the one
 * before, muted when a tone was in it or in this one (a digit being sent,
 * its end heard, or spandsp's "maybe", 'x'). The event's timestamp is this
 * frame's, where its first muted audio goes out.
 */
static void hold_back(struct cwm_dtmf_in *d, int16_t pcm[CWM_DTMF_FRAME],
                      struct cwm_dtmf_in_result *res)
{
	bool tone = d->down || d->pending || res->end || dtmf_rx_status(d->rx) != 0;
	int16_t in[CWM_DTMF_FRAME];

	memcpy(in, pcm, sizeof(in));
	if (tone || d->held_tone) {
		memset(pcm, 0, sizeof(in));
		res->muted = true;
		d->st.muted_frames++;
	} else {
		memcpy(pcm, d->held, sizeof(in));
	}
	memcpy(d->held, in, sizeof(in));
	d->held_tone = tone;
}

int cwm_dtmf_in_frame(struct cwm_dtmf_in *d, int16_t pcm[CWM_DTMF_FRAME], uint32_t ts,
                      struct cwm_dtmf_in_result *res)
{
	if (!d || !pcm || !res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	d->nedges = 0;
	dtmf_rx(d->rx, pcm, CWM_DTMF_FRAME);

	if (d->end_next && d->down)
		end(d, res);
	d->end_next = false;
	if (d->pending && !d->tx.active) {
		begin(d, d->pending, d->pending_volume, ts, res);
		d->end_next = d->pending_ended;
		d->pending = 0;
	}
	for (unsigned i = 0; i < d->nedges; i++) {
		if (d->edge[i].code)
			on_start(d, d->edge[i].code, volume_of(d->edge[i].level), ts, res);
		else
			on_stop(d, res);
	}

	bool marker;

	if (cwm_rtp_event_tx_next(&d->tx, CWM_DTMF_FRAME, &res->packet.ev, &res->packet.timestamp,
	                          &marker) == 1) {
		res->packet.marker = marker;
		cwm_rtp_event_encode(&res->packet.ev, res->packet.payload);
		res->has_packet = true;
		d->st.packets++;
	}

	if (d->suppress)
		hold_back(d, pcm, res);
	return 0;
}

void cwm_dtmf_in_stats(const struct cwm_dtmf_in *d, struct cwm_dtmf_in_stats *out)
{
	*out = d->st;
}
