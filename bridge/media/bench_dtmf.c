/* SPDX-License-Identifier: MIT */
/*
 * bench_dtmf.c — cw-dtmf-bench: the CPU one call's DTMF and fax tone
 * detection take per 20 ms frame (dtmf.h, fax_detect.h), and so how many
 * calls one core carries. A benchmark: it prints figures, asserts none.
 *
 *   cw-dtmf-bench [--runs R] [--frames F] [--quick]
 *
 * Each run feeds F frames (default 3000: one minute of audio) to a fresh
 * object; the figure is the median over R runs (default 7) of the mean ns
 * per frame. The signals are those of the unit tests: a speech-like
 * signal (the usual case: nothing to find), DTMF digits, 2100 Hz (CED).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_stats.h"
#include "dtmf.h"
#include "fax_detect.h"
#include "test_signals.h"

#define FRAME CWM_DTMF_FRAME
#define MAX_RUNS 101

enum what {
	IN_SPEECH, IN_DIGITS_SUPPRESS, FAX_SPEECH, FAX_NO_PREAMBLE, FAX_CED, OUT_IDLE, OUT_PLAYING,
	CALL, CALL_NO_PREAMBLE
};

static const char *const names[] = {
	[IN_SPEECH] = "dtmf_in, speech",
	[IN_DIGITS_SUPPRESS] = "dtmf_in, digits, suppress",
	[FAX_SPEECH] = "fax_detect, speech",
	[FAX_NO_PREAMBLE] = "fax_detect, speech, no_preamble",
	[FAX_CED] = "fax_detect, CED",
	[OUT_IDLE] = "dtmf_out, no event",
	[OUT_PLAYING] = "dtmf_out, playing",
	[CALL] = "one call: dtmf_in + 2 fax_detect + dtmf_out",
	[CALL_NO_PREAMBLE] = "one call, no_preamble",
};

static int16_t *speech, *digits, *ced;

/* ns per frame of one run. */
static double run(enum what w, size_t frames)
{
	struct cwm_dtmf_in *din = NULL;
	struct cwm_dtmf_out *dout = NULL;
	struct cwm_fax_detect *f1 = NULL, *f2 = NULL;
	struct cwm_dtmf_in_result r;
	enum cwm_fax_tone tone;
	int16_t pcm[FRAME];
	const int16_t *src = w == IN_DIGITS_SUPPRESS ? digits : w == FAX_CED ? ced : speech;
	double t0, t;
	struct cwm_fax_detect_config fcfg = {
		.no_preamble = w == FAX_NO_PREAMBLE || w == CALL_NO_PREAMBLE
	};

	if (cwm_dtmf_in_new(&(struct cwm_dtmf_in_config){ .suppress = w == IN_DIGITS_SUPPRESS },
	                    &din) < 0 ||
	    cwm_dtmf_out_new(NULL, &dout) < 0 || cwm_fax_detect_new(&fcfg, &f1) < 0 ||
	    cwm_fax_detect_new(&fcfg, &f2) < 0) {
		fprintf(stderr, "cw-dtmf-bench: out of memory\n");
		exit(1);
	}
	t0 = bench_now_ns();
	for (size_t f = 0; f < frames; f++) {
		const int16_t *x = src + f * FRAME;

		if (w == OUT_PLAYING && f % 25 == 0) { /* a 400 ms event every 500 ms */
			struct cwm_rtp_event_report b = { .kind = CWM_RTP_EVENT_BEGIN, .event = 5,
				                          .volume = 10 };
			struct cwm_rtp_event_report e = b;

			e.kind = CWM_RTP_EVENT_END;
			e.duration = 3200;
			cwm_dtmf_out_report(dout, &b);
			cwm_dtmf_out_report(dout, &e);
		}
		switch (w) {
		case IN_SPEECH:
		case IN_DIGITS_SUPPRESS:
			memcpy(pcm, x, sizeof(pcm));
			cwm_dtmf_in_frame(din, pcm, (uint32_t)(f * FRAME), &r);
			break;
		case FAX_SPEECH:
		case FAX_NO_PREAMBLE:
		case FAX_CED:
			cwm_fax_detect_frame(f1, x, FRAME, &tone);
			break;
		case OUT_IDLE:
		case OUT_PLAYING:
			memcpy(pcm, x, sizeof(pcm));
			cwm_dtmf_out_frame(dout, pcm);
			break;
		case CALL:
		case CALL_NO_PREAMBLE:
			memcpy(pcm, x, sizeof(pcm));
			cwm_fax_detect_frame(f1, pcm, FRAME, &tone);
			cwm_dtmf_in_frame(din, pcm, (uint32_t)(f * FRAME), &r);
			memcpy(pcm, x, sizeof(pcm));
			cwm_fax_detect_frame(f2, pcm, FRAME, &tone);
			cwm_dtmf_out_frame(dout, pcm);
			break;
		}
	}
	t = bench_now_ns() - t0;
	cwm_dtmf_in_free(din);
	cwm_dtmf_out_free(dout);
	cwm_fax_detect_free(f1);
	cwm_fax_detect_free(f2);
	return t / (double)frames;
}

int main(int argc, char **argv)
{
	size_t runs = 7, frames = 3000;
	double v[MAX_RUNS];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			runs = strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc) {
			frames = strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--quick") == 0) {
			runs = 1;
			frames = 50;
		} else {
			fprintf(stderr, "usage: cw-dtmf-bench [--runs R] [--frames F] [--quick]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > MAX_RUNS || frames < 1 || frames > 1000000) {
		fprintf(stderr, "cw-dtmf-bench: runs 1..%d, frames 1..1000000\n", MAX_RUNS);
		return 2;
	}
	size_t n = frames * FRAME;

	speech = malloc(n * sizeof(*speech));
	digits = malloc(n * sizeof(*digits));
	ced = malloc(n * sizeof(*ced));
	if (!speech || !digits || !ced)
		return 1;
	sig_speech(speech, n, 1);
	sig_pair(ced, n, 2100, -12, 0, 0);
	{
		dtmf_tx_state_t *tx = dtmf_tx_init(NULL);

		memset(digits, 0, n * sizeof(*digits));
		for (size_t i = 0; i < n; i += FRAME) {
			if (i % 8000 == 0)
				dtmf_tx_put(tx, "1234567890*#ABCD", -1);
			dtmf_tx(tx, digits + i, FRAME);
		}
		dtmf_tx_free(tx);
	}
	printf("cw-dtmf-bench: %zu runs of %zu frames (20 ms each), median of the mean per frame\n",
	       runs, frames);
	for (enum what w = IN_SPEECH; w <= CALL_NO_PREAMBLE; w++) {
		for (size_t r = 0; r < runs; r++)
			v[r] = run(w, frames);
		double med = bench_median(v, runs);

		printf("  %-46s %9.0f ns/frame  %7.0f calls per core\n", names[w], med,
		       med > 0 ? 20e6 / med : 0);
	}
	free(speech);
	free(digits);
	free(ced);
	return 0;
}
