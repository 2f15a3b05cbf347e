/* SPDX-License-Identifier: MIT */
/*
 * test_audio_cpe.c — test driver (tests only): a libpri CPE on
 * causeway-pstn-sim's span socket with the span's B-channels through the
 * bridge's audio interface (bridge/pri bchan.h). It places one call per
 * argument NUMBER:MODE and answers every frame the simulator sends, frame
 * for frame:
 *
 *   tone   1004 Hz at -10 dBm0 (the test tone of O.6 / G.712)
 *   echo   1209 Hz at -10 dBm0, each frame numbered in its first two octets,
 *          and counts the received frames that are one of the last sent
 *   skip   as tone, but skips 10 periods on purpose (the simulator counts gaps)
 *   dtmf   the digits 159# (100 ms on, 100 ms off, -10 dBm0), then silence
 *
 * It measures what it receives, before and after the answer, with the
 * simulator's meter (meter.h: Goertzel, and the DTMF digits), and clears HOLD_MS after the answer
 * unless the network clears first. With -i N it then answers N calls the
 * simulator originates, playing 1004 Hz into them.
 *
 * Output: one "result NUMBER key=value ..." line per call (test_audio.py
 * checks them), "incoming channel=C ..." per answered call, then PASSED or
 * FAILED (the D-channel or the audio socket failed).
 */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bchan.h"
#include "meter.h"
#include "play.h"
#include "span_impl.h" /* a libpri CPE of its own */

#define SKIP_FROM 50    /* skip mode: the frames 50..59 after the first are not sent */
#define SKIP_COUNT 10
#define ECHO_RING 16

enum mode { MODE_TONE, MODE_ECHO, MODE_SKIP, MODE_DTMF };

struct call {
	const char *number;
	enum mode mode;
	q931_call *call;
	int channel, proceeding, answered, done, incoming;
	long t_answer;
	struct sim_meter early, talk;
	uint64_t early_rx, talk_rx, sent, skipped;
	int silence_octet;          /* the first received octet, -1 = none yet */
	struct sim_player gen;
	uint8_t ring[ECHO_RING][CWI_BCHAN_FRAME];
	uint64_t echo_matched;
};

static struct sim_play tone1004 = { .kind = SIM_PLAY_TONE, .freq = { 1004, 0 }, .level = -10 };
static struct sim_play tone1209 = { .kind = SIM_PLAY_TONE, .freq = { 1209, 0 }, .level = -10 };
static struct sim_play digits = { .kind = SIM_PLAY_DTMF, .level = -10, .on_ms = 100,
	                          .off_ms = 100, .digits = "159#" };

static struct cwi_span *span;
static struct cwi_bchan *audio;
static struct call cur, in;
static int up, failures, incoming_done;
static long hold_ms = 2000;

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void call_begin(struct call *c, const char *number, enum mode mode)
{
	memset(c, 0, sizeof(*c));
	c->number = number;
	c->mode = mode;
	c->silence_octet = -1;
	sim_meter_init(&c->early);
	sim_meter_init(&c->talk);
	(void)sim_player_start(&c->gen, mode == MODE_ECHO ? &tone1209
	                                : mode == MODE_DTMF ? &digits : &tone1004);
}

static void call_channel(struct call *c, int channel)
{
	if (c->channel > 0 || channel <= 0)
		return;
	c->channel = channel;
	if (cwi_bchan_open(audio, channel) < 0) {
		printf("FAIL %s: cannot open B-channel %d\n", c->number, channel);
		failures++;
	}
}

static struct call *call_of(q931_call *call)
{
	if (cur.call && call == cur.call && !cur.done)
		return &cur;
	if (in.call && call == in.call && !in.done)
		return &in;
	return NULL;
}

static void on_event(struct cwi_span *sp, pri_event *ev, void *arg)
{
	struct pri *pri = cwi_span_pri(sp);
	struct call *c;

	(void)arg;
	switch (ev->e) {
	case PRI_EVENT_DCHAN_UP:
		up = 1;
		break;
	case PRI_EVENT_PROCEEDING:
		if ((c = call_of(ev->proceeding.call)) != NULL) {
			c->proceeding = 1;
			call_channel(c, ev->proceeding.channel & 0xff);
		}
		break;
	case PRI_EVENT_ANSWER:
		if ((c = call_of(ev->answer.call)) != NULL) {
			c->answered = 1;
			c->t_answer = now_ms();
			call_channel(c, ev->answer.channel & 0xff);
		}
		break;
	case PRI_EVENT_RING:
		/* a call from the simulator: answer it and play 1004 Hz into it */
		call_begin(&in, "incoming", MODE_TONE);
		in.incoming = 1;
		in.call = ev->ring.call;
		call_channel(&in, ev->ring.channel & 0xff);
		pri_proceeding(pri, ev->ring.call, ev->ring.channel, 0);
		pri_answer(pri, ev->ring.call, ev->ring.channel, 0);
		in.answered = 1;
		in.t_answer = now_ms();
		break;
	case PRI_EVENT_HANGUP_REQ:
		pri_hangup(pri, ev->hangup.call, ev->hangup.cause);
		break;
	case PRI_EVENT_HANGUP:
	case PRI_EVENT_HANGUP_ACK:
		/* RELEASE (answered with RELEASE COMPLETE) or RELEASE COMPLETE: the call is gone */
		if (ev->e == PRI_EVENT_HANGUP)
			pri_hangup(pri, ev->hangup.call, ev->hangup.cause);
		if ((c = call_of(ev->hangup.call)) != NULL)
			c->done = 1;
		break;
	default:
		break;
	}
}

static void on_lost(struct cwi_span *sp, void *arg)
{
	(void)sp;
	(void)arg;
	printf("FAIL span: D-channel source lost\n");
	exit(1);
}

static void to_linear(const uint8_t *g, int16_t *lin)
{
	int i;

	for (i = 0; i < CWI_BCHAN_FRAME; i++)
		lin[i] = cwi_bchan_law(audio) == CWI_BCHAN_ULAW ? ulaw_to_linear(g[i]) : alaw_to_linear(g[i]);
}

static void to_g711(const int16_t *lin, uint8_t *g)
{
	int i;

	for (i = 0; i < CWI_BCHAN_FRAME; i++)
		g[i] = cwi_bchan_law(audio) == CWI_BCHAN_ULAW ? linear_to_ulaw(lin[i]) : linear_to_alaw(lin[i]);
}

/* The answer to one received frame: measure it, then send ours (or skip a period). */
static void on_frame(struct call *c, const uint8_t *frame)
{
	int16_t lin[CWI_BCHAN_FRAME];
	uint8_t out[CWI_BCHAN_FRAME];
	int i;

	if (c->silence_octet < 0)
		c->silence_octet = frame[0];
	to_linear(frame, lin);
	if (c->answered) {
		sim_meter_feed(&c->talk, lin, CWI_BCHAN_FRAME);
		c->talk_rx++;
		for (i = 0; c->mode == MODE_ECHO && i < ECHO_RING; i++)
			if (memcmp(frame, c->ring[i], CWI_BCHAN_FRAME) == 0) {
				c->echo_matched++;
				break;
			}
	} else {
		sim_meter_feed(&c->early, lin, CWI_BCHAN_FRAME);
		c->early_rx++;
	}
	sim_player_frame(&c->gen, lin, CWI_BCHAN_FRAME);
	to_g711(lin, out);
	if (c->mode == MODE_SKIP && c->sent + c->skipped >= SKIP_FROM && c->skipped < SKIP_COUNT) {
		c->skipped++;
		(void)cwi_bchan_skip(audio, c->channel);
		return;
	}
	if (c->mode == MODE_ECHO) {
		/* a number per frame: an echo matches one frame only */
		out[0] = (uint8_t)(c->sent >> 8);
		out[1] = (uint8_t)c->sent;
		memcpy(c->ring[c->sent % ECHO_RING], out, CWI_BCHAN_FRAME);
	}
	if (cwi_bchan_write(audio, c->channel, out) == 0)
		c->sent++;
}

static void read_audio(void)
{
	uint8_t frame[CWI_BCHAN_FRAME];
	int channel;
	ssize_t n;

	while ((n = cwi_bchan_read(audio, &channel, frame)) == CWI_BCHAN_FRAME) {
		if (cur.channel == channel && !cur.done)
			on_frame(&cur, frame);
		else if (in.channel == channel && !in.done)
			on_frame(&in, frame);
	}
	if (n == CWI_BCHAN_LOST) {
		printf("FAIL audio: the simulator's audio socket closed\n");
		exit(1);
	}
}

/* Drives the span and the audio until *flag, clearing c HOLD_MS after its answer. */
static int run_until(const int *flag, long timeout_ms, struct call *c)
{
	long end = now_ms() + timeout_ms;

	while (!*flag && now_ms() < end) {
		struct pollfd p[2] = {
			{ .fd = cwi_span_fd(span), .events = POLLIN },
			{ .fd = cwi_bchan_fd(audio, 1), .events = POLLIN },
		};
		int t = cwi_span_next_timeout_ms(span, NULL);

		if (t < 0 || t > 20)
			t = 20;
		(void)poll(p, 2, t);
		if (p[0].revents)
			cwi_span_on_readable(span);
		if (p[1].revents)
			read_audio();
		cwi_span_run_timers(span);
		if (c && c->answered && c->t_answer && now_ms() - c->t_answer >= hold_ms && c->call) {
			pri_hangup(cwi_span_pri(span), c->call, 16);
			c->t_answer = 0; /* once */
		}
	}
	return *flag;
}

static void print_meter(const char *what, const struct sim_meter *m)
{
	double level;
	int hz;

	if (sim_meter_result(m, &hz, &level) == 0)
		printf(" %s_tone=%d %s_level=%.1f", what, hz, what, level);
	else
		printf(" %s_tone=none", what);
	printf(" %s_dtmf=%s", what, sim_meter_dtmf(m)[0] ? sim_meter_dtmf(m) : "none");
}

static void report(struct call *c)
{
	struct cwi_bchan_stats st;

	cwi_bchan_get_stats(audio, c->channel, &st);
	printf("result %s channel=%d answered=%d early_rx=%llu talk_rx=%llu sent=%llu skipped=%llu "
	       "echo_matched=%llu first_octet=%02x underruns=%llu", c->number, c->channel, c->answered,
	       (unsigned long long)c->early_rx, (unsigned long long)c->talk_rx,
	       (unsigned long long)c->sent, (unsigned long long)c->skipped,
	       (unsigned long long)c->echo_matched, c->silence_octet < 0 ? 0 : c->silence_octet,
	       (unsigned long long)st.underruns);
	print_meter("early", &c->early);
	print_meter("talk", &c->talk);
	printf("\n");
	fflush(stdout);
	sim_meter_release(&c->early);
	sim_meter_release(&c->talk);
	sim_player_stop(&c->gen);
	cwi_bchan_close(audio, c->channel);
}

static void place(const char *number, enum mode mode)
{
	struct pri *pri = cwi_span_pri(span);
	struct pri_sr *sr = pri_sr_new();
	char called[32], calling[] = "4930555";

	call_begin(&cur, number, mode);
	snprintf(called, sizeof(called), "%s", number);
	cur.call = pri_new_call(pri);
	pri_sr_set_channel(sr, 0, 0, 0); /* any channel: the network picks it */
	pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH,
	                  cwi_bchan_law(audio) == CWI_BCHAN_ULAW ? PRI_LAYER_1_ULAW : PRI_LAYER_1_ALAW);
	pri_sr_set_called(sr, called, PRI_UNKNOWN, 1);
	pri_sr_set_caller(sr, calling, NULL, PRI_UNKNOWN, PRES_ALLOWED_USER_NUMBER_NOT_SCREENED);
	if (pri_setup(pri, cur.call, sr) != 0) {
		printf("FAIL %s: pri_setup\n", number);
		failures++;
		pri_sr_free(sr);
		return;
	}
	pri_sr_free(sr);
	if (!run_until(&cur.done, hold_ms + 8000, &cur)) {
		printf("FAIL %s: call not finished\n", number);
		failures++;
	}
	report(&cur);
	cur.call = NULL;
}

static int parse_mode(const char *s, enum mode *ret)
{
	if (strcmp(s, "tone") == 0)
		*ret = MODE_TONE;
	else if (strcmp(s, "echo") == 0)
		*ret = MODE_ECHO;
	else if (strcmp(s, "skip") == 0)
		*ret = MODE_SKIP;
	else if (strcmp(s, "dtmf") == 0)
		*ret = MODE_DTMF;
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *span_path = NULL, *audio_path = NULL;
	enum cwi_bchan_law law = CWI_BCHAN_ALAW;
	int sw = PRI_SWITCH_EUROISDN_E1, incoming = 0, opt, r, i;
	struct cwi_dchan *d;
	long wait_end;

	while ((opt = getopt(argc, argv, "s:a:w:l:i:h:")) != -1) {
		if (opt == 's')
			span_path = optarg;
		else if (opt == 'a')
			audio_path = optarg;
		else if (opt == 'w' && cwi_switchtype_from_name(optarg, &sw) == 0)
			law = cwi_bchan_law_for_switchtype(sw);
		else if (opt == 'l' && cwi_bchan_law_from_name(optarg, &law) == 0)
			;
		else if (opt == 'i')
			incoming = atoi(optarg);
		else if (opt == 'h')
			hold_ms = atol(optarg);
		else
			goto usage;
	}
	if (!span_path || !audio_path)
		goto usage;
	for (wait_end = now_ms() + 3000; (r = cwi_dchan_socket_connect(span_path, &d)) < 0;) {
		if (now_ms() > wait_end) {
			printf("FAIL connect %s: %d\n", span_path, r);
			return 1;
		}
		usleep(20000);
	}
	if ((r = cwi_bchan_socket_connect(audio_path, law, &audio)) < 0) {
		printf("FAIL connect %s: %d\n", audio_path, r);
		return 1;
	}
	if (cwi_span_new_libpri(&span, "cpe", PRI_CPE, sw, d, NULL, on_event, NULL) < 0) {
		printf("FAIL span\n");
		return 1;
	}
	cwi_span_set_lost_cb(span, on_lost);
	if (!run_until(&up, 3000, NULL)) {
		printf("FAIL D-channel not up within 3 s\n");
		return 1;
	}
	printf("up\n");
	fflush(stdout);
	for (i = optind; i < argc; i++) {
		char number[32], *colon;
		enum mode mode;

		snprintf(number, sizeof(number), "%s", argv[i]);
		colon = strchr(number, ':');
		if (!colon || parse_mode(colon + 1, &mode) < 0)
			goto usage;
		*colon = '\0';
		place(number, mode);
	}
	printf("outgoing-done\n");
	fflush(stdout);
	while (incoming_done < incoming) {
		if (!run_until(&in.done, 15000, in.call ? &in : NULL) || !in.call) {
			printf("FAIL incoming: %d of %d calls\n", incoming_done, incoming);
			failures++;
			break;
		}
		report(&in);
		memset(&in, 0, sizeof(in));
		incoming_done++;
	}
	printf("%s\n", failures ? "FAILED" : "PASSED");
	return failures ? 1 : 0;
usage:
	fprintf(stderr, "usage: test_audio_cpe -s SPAN -a AUDIO [-w SWITCHTYPE] [-l alaw|ulaw] "
	        "[-h HOLD_MS] [-i INCOMING] NUMBER:tone|echo|skip|dtmf...\n");
	return 2;
}
