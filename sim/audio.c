/* SPDX-License-Identifier: MIT */
/* audio.c — causeway-pstn-sim's B-channels and TDM clock (audio.h). */
#include "audio.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PERIOD_NS ((int64_t)CWI_BCHAN_PERIOD_MS * 1000000)
#define MAX_CATCH_UP 5 /* periods sent at once after a late wake-up; more are skipped */

int64_t sim_audio_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int sim_audio_listen(struct sim_audio *a, const char *path, enum cwi_bchan_law law)
{
	memset(a, 0, sizeof(*a));
	a->listen_fd = -1;
	a->next_tick_ns = -1;
	a->law = law;
	if (!path)
		return 0;
	a->listen_fd = cwi_bchan_socket_listen(path);
	if (a->listen_fd < 0)
		return a->listen_fd;
	a->path = path;
	return 0;
}

void sim_audio_pollfds(const struct sim_audio *a, struct pollfd *pfd)
{
	pfd[0] = (struct pollfd){ .fd = a ? a->listen_fd : -1, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = a && a->b ? cwi_bchan_fd(a->b, 1) : -1, .events = POLLIN };
}

static void to_linear(enum cwi_bchan_law law, const uint8_t *g711, int16_t *lin, int n)
{
	int i;

	for (i = 0; i < n; i++)
		lin[i] = law == CWI_BCHAN_ULAW ? ulaw_to_linear(g711[i]) : alaw_to_linear(g711[i]);
}

static void to_g711(enum cwi_bchan_law law, const int16_t *lin, uint8_t *g711, int n)
{
	int i;

	for (i = 0; i < n; i++)
		g711[i] = law == CWI_BCHAN_ULAW ? linear_to_ulaw(lin[i]) : linear_to_alaw(lin[i]);
}

static void on_frame(struct sim_audio *a, int channel, const uint8_t *frame)
{
	struct sim_audio_chan *c = &a->ch[channel];
	int16_t lin[CWI_BCHAN_FRAME];
	int slot;

	if (!c->active)
		return;
	to_linear(a->law, frame, lin, CWI_BCHAN_FRAME);
	sim_meter_feed(&c->meter, lin, CWI_BCHAN_FRAME);
	/* the echo queue: the oldest frame goes when full */
	if (c->echo_n == SIM_ECHO_DEPTH) {
		c->echo_head = (c->echo_head + 1) % SIM_ECHO_DEPTH;
		c->echo_n--;
	}
	slot = (c->echo_head + c->echo_n) % SIM_ECHO_DEPTH;
	memcpy(c->echo[slot], frame, CWI_BCHAN_FRAME);
	c->echo_n++;
}

/* A new peer replaces the old one; the calls' channels open on it. */
static void adopt_peer(struct sim_audio *a, struct cwi_bchan *b)
{
	int ch;

	cwi_bchan_free(a->b);
	a->b = b;
	for (ch = 1; ch <= CWI_BCHAN_MAX_CHANNEL; ch++)
		if (a->ch[ch].active)
			(void)cwi_bchan_open(b, ch);
}

void sim_audio_on_poll(struct sim_audio *a, const struct pollfd *pfd)
{
	uint8_t frame[CWI_BCHAN_FRAME];
	struct cwi_bchan *b;
	int channel, i;
	ssize_t n;

	if (!a)
		return;
	if ((pfd[0].revents & POLLIN) && cwi_bchan_socket_accept(a->listen_fd, a->law, &b) == 0)
		adopt_peer(a, b);
	if (pfd[1].fd < 0 || !pfd[1].revents || !a->b)
		return;
	/* bounded: the clock must not wait behind a flood */
	for (i = 0; i < 4 * (CWI_BCHAN_MAX_CHANNEL + 1); i++) {
		n = cwi_bchan_read(a->b, &channel, frame);
		if (n == CWI_BCHAN_LOST) {
			cwi_bchan_free(a->b);
			a->b = NULL;
			return;
		}
		if (n != CWI_BCHAN_FRAME)
			return;
		on_frame(a, channel, frame);
	}
}

int64_t sim_audio_next_ns(const struct sim_audio *a)
{
	return a && a->n_active > 0 ? a->next_tick_ns : -1;
}

/* One period of channel: the PLAY of the moment, or the oldest received frame (echo). */
static void send_frame(struct sim_audio *a, int channel)
{
	struct sim_audio_chan *c = &a->ch[channel];
	const struct sim_play *p = c->player.play;
	uint8_t frame[CWI_BCHAN_FRAME];
	int16_t lin[CWI_BCHAN_FRAME];

	if (p && p->kind == SIM_PLAY_ECHO) {
		if (c->echo_n > 0) {
			memcpy(frame, c->echo[c->echo_head], CWI_BCHAN_FRAME);
			c->echo_head = (c->echo_head + 1) % SIM_ECHO_DEPTH;
			c->echo_n--;
		} else {
			memset(frame, cwi_bchan_idle_octet(a->law), sizeof(frame));
		}
	} else {
		sim_player_frame(&c->player, lin, CWI_BCHAN_FRAME);
		to_g711(a->law, lin, frame, CWI_BCHAN_FRAME);
	}
	if (cwi_bchan_write(a->b, channel, frame) == 0)
		c->frames_sent++;
}

void sim_audio_run_due(struct sim_audio *a, int64_t now_ns)
{
	int periods = 0, ch;

	if (!a || a->n_active == 0)
		return;
	while (a->next_tick_ns <= now_ns) {
		if (++periods > MAX_CATCH_UP) {
			/* far behind (the machine stalled): skip to now, do not burst */
			int64_t behind = (now_ns - a->next_tick_ns) / PERIOD_NS + 1;

			a->late_periods += (uint64_t)behind;
			a->next_tick_ns += behind * PERIOD_NS;
			break;
		}
		for (ch = 1; a->b && ch <= CWI_BCHAN_MAX_CHANNEL; ch++)
			if (a->ch[ch].active)
				send_frame(a, ch);
		a->next_tick_ns += PERIOD_NS; /* absolute deadlines: no drift */
	}
}

static const struct sim_play *current_play(const struct sim_audio_chan *c)
{
	return c->answered ? c->play : c->early;
}

void sim_audio_start(struct sim_audio *a, int channel, const struct sim_play *early,
                     const struct sim_play *play)
{
	struct sim_audio_chan *c;

	if (!a || a->listen_fd < 0 || channel < 1 || channel > CWI_BCHAN_MAX_CHANNEL)
		return;
	c = &a->ch[channel];
	if (c->active) {
		sim_player_stop(&c->player);
		sim_meter_release(&c->meter);
	} else {
		a->n_active++;
	}
	memset(c, 0, sizeof(*c));
	c->active = 1;
	c->early = early;
	c->play = play;
	sim_meter_init(&c->meter);
	if (sim_player_start(&c->player, current_play(c)) < 0)
		fprintf(stderr, "causeway-pstn-sim: channel %d: no tone generator\n", channel);
	if (a->n_active == 1)
		a->next_tick_ns = sim_audio_now_ns() + PERIOD_NS;
	if (a->b)
		(void)cwi_bchan_open(a->b, channel);
}

void sim_audio_answered(struct sim_audio *a, int channel)
{
	struct sim_audio_chan *c;

	if (!a || channel < 1 || channel > CWI_BCHAN_MAX_CHANNEL || !a->ch[channel].active)
		return;
	c = &a->ch[channel];
	if (c->answered)
		return;
	c->answered = 1;
	if (sim_player_start(&c->player, current_play(c)) < 0)
		fprintf(stderr, "causeway-pstn-sim: channel %d: no tone generator\n", channel);
}

void sim_audio_stop(struct sim_audio *a, int channel, struct sim_audio_result *ret)
{
	struct cwi_bchan_stats st;
	struct sim_audio_chan *c;

	memset(ret, 0, sizeof(*ret));
	if (!a || a->listen_fd < 0)
		return;
	ret->valid = 1;
	if (channel < 1 || channel > CWI_BCHAN_MAX_CHANNEL || !a->ch[channel].active)
		return;
	c = &a->ch[channel];
	cwi_bchan_get_stats(a->b, channel, &st);
	ret->frames_received = st.rx_frames;
	ret->gaps = st.rx_gaps;
	ret->frames_sent = c->frames_sent;
	ret->has_tone = sim_meter_result(&c->meter, &ret->tone_hz, &ret->level_dbm0) == 0;
	snprintf(ret->dtmf, sizeof(ret->dtmf), "%s", sim_meter_dtmf(&c->meter));
	sim_meter_release(&c->meter);
	sim_player_stop(&c->player);
	c->active = 0;
	a->n_active--;
	cwi_bchan_close(a->b, channel);
}

void sim_audio_close(struct sim_audio *a)
{
	int ch;

	if (!a)
		return;
	for (ch = 1; ch <= CWI_BCHAN_MAX_CHANNEL; ch++)
		if (a->ch[ch].active) {
			sim_player_stop(&a->ch[ch].player);
			sim_meter_release(&a->ch[ch].meter);
		}
	cwi_bchan_free(a->b);
	a->b = NULL;
	if (a->listen_fd >= 0) {
		close(a->listen_fd);
		if (a->path)
			unlink(a->path);
	}
	a->listen_fd = -1;
}
