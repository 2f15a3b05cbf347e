/* SPDX-License-Identifier: MIT */
/*
 * test_fax_detect.c — the test media-fax-detect: the tones of
 * fax_detect.h from spandsp's generators are heard and named, each once; a
 * 1004 Hz test tone, DTMF, speech and noise are not fax tones.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fax_detect.h"
#include "test_signals.h"

#define FRAME 160

/* Feed n samples frame by frame: the tones reported, in order, and the
 * frame of the first. */
static unsigned feed_cfg(const struct cwm_fax_detect_config *cfg, const int16_t *x, size_t n,
                         enum cwm_fax_tone *got, unsigned max, long *first_frame)
{
	struct cwm_fax_detect *d;
	unsigned k = 0;

	*first_frame = -1;
	if (!CHECK(cwm_fax_detect_new(cfg, &d) == 0))
		return 0;
	for (size_t f = 0; f + FRAME <= n; f += FRAME) {
		enum cwm_fax_tone t;
		int rc = cwm_fax_detect_frame(d, x + f, FRAME, &t);

		CHECK(rc == 0 || rc == 1);
		if (rc == 1 && k < max) {
			if (k == 0)
				*first_frame = (long)(f / FRAME);
			got[k++] = t;
		}
	}
	cwm_fax_detect_free(d);
	return k;
}

static unsigned feed(const int16_t *x, size_t n, enum cwm_fax_tone *got, unsigned max,
                     long *first_frame)
{
	return feed_cfg(NULL, x, n, got, max, first_frame);
}

/* spandsp's own generator of the tone, for secs seconds, through law. */
static int16_t *connect_tone(int type, double secs, size_t *n)
{
	modem_connect_tones_tx_state_t *tx = modem_connect_tones_tx_init(NULL, type);

	*n = (size_t)(secs * 8000) / FRAME * FRAME;
	int16_t *x = calloc(*n, sizeof(*x));

	for (size_t i = 0; i < *n; i += FRAME)
		if (modem_connect_tones_tx(tx, x + i, FRAME) <= 0)
			break;
	modem_connect_tones_tx_free(tx);
	sig_law(x, *n, CWM_G711_ALAW);
	return x;
}

static void test_tones(void)
{
	static const struct { int type; enum cwm_fax_tone want; const char *name; } cases[] = {
		{ MODEM_CONNECT_TONES_FAX_CNG, CWM_FAX_TONE_CNG, "cng" },
		{ MODEM_CONNECT_TONES_ANS, CWM_FAX_TONE_CED, "ced" },
		{ MODEM_CONNECT_TONES_ANS_PR, CWM_FAX_TONE_ANS_PR, "ans-pr" },
		{ MODEM_CONNECT_TONES_ANSAM, CWM_FAX_TONE_ANSAM, "ansam" },
		{ MODEM_CONNECT_TONES_ANSAM_PR, CWM_FAX_TONE_ANSAM_PR, "ansam-pr" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n;
		/* CNG repeats every 3.5 s: 10 s hold three bursts, reported once */
		int16_t *x = connect_tone(cases[i].type, 10, &n);
		enum cwm_fax_tone got[8];
		long first;
		unsigned k = feed(x, n, got, 8, &first);

		if (!CHECK_INT(k, 1) || !CHECK_INT(got[0], cases[i].want))
			fprintf(stderr, "  %s: %u reports, first %s\n", cases[i].name, k,
			        k ? cwm_fax_tone_name(got[0]) : "-");
		CHECK_STR(cwm_fax_tone_name(got[0]), cases[i].name);
		/* heard within the tone's first 2 s (the phase reversals need two) */
		CHECK(first >= 0 && first < 100);
		struct cwm_fax_action a = cwm_fax_tone_action(got[0]);

		CHECK(a.passthrough && a.echo_off && a.dtmf_off);
		free(x);
	}
}

/* A plain 2100 Hz tone is CED; 1100 Hz CNG; 1004 Hz, the test tone, and
 * 2225 Hz (Bell answer) neither; nor DTMF, speech or noise. */
static void test_not_confused(void)
{
	size_t n = 8000 * 8;
	int16_t *x = calloc(n, sizeof(*x));
	enum cwm_fax_tone got[8];
	long first;

	sig_pair(x, n, 2100, -12, 0, 0);
	CHECK_INT(feed(x, n, got, 8, &first), 1);
	CHECK_INT(got[0], CWM_FAX_TONE_CED);
	sig_pair(x, n, 1100, -12, 0, 0);
	CHECK_INT(feed(x, n, got, 8, &first), 1);
	CHECK_INT(got[0], CWM_FAX_TONE_CNG);

	static const int not_fax[] = { 1004, 2225, 1800, 425 };

	for (size_t i = 0; i < sizeof(not_fax) / sizeof(not_fax[0]); i++) {
		sig_pair(x, n, not_fax[i], -10, 0, 0);
		sig_law(x, n, CWM_G711_ALAW);
		if (!CHECK_INT(feed(x, n, got, 8, &first), 0))
			fprintf(stderr, "  %d Hz heard as %s\n", not_fax[i], cwm_fax_tone_name(got[0]));
	}
	sig_pair(x, n, 852, -10, 1477, -10);
	CHECK_INT(feed(x, n, got, 8, &first), 0);
	for (unsigned seed = 1; seed <= 3; seed++) {
		sig_speech(x, n, seed);
		CHECK_INT(feed(x, n, got, 8, &first), 0);
	}
	sig_noise(x, n, 3, -15.0f);
	CHECK_INT(feed(x, n, got, 8, &first), 0);
	free(x);
}

/* V.21 channel 2 HDLC flags (0x7e, T.30 §5.3.1 preamble), by spandsp's FSK
 * modem: the answering fax that sends no CED. */
static int flag_bit(void *user)
{
	unsigned *k = user;

	return (0x7e >> ((*k)++ % 8)) & 1;
}

static void test_preamble(void)
{
	size_t n = 8000 * 3;
	int16_t *x = calloc(n, sizeof(*x));
	unsigned k = 0;
	fsk_tx_state_t *tx = fsk_tx_init(NULL, &preset_fsk_specs[FSK_V21CH2], flag_bit, &k);
	enum cwm_fax_tone got[8];
	long first;

	for (size_t i = 0; i < n; i += FRAME)
		fsk_tx(tx, x + i, FRAME);
	fsk_tx_free(tx);
	sig_law(x, n, CWM_G711_ALAW);
	CHECK_INT(feed(x, n, got, 8, &first), 1);
	CHECK_INT(got[0], CWM_FAX_TONE_PREAMBLE);
	CHECK(first >= 0 && first < 50); /* within 1 s */
	/* not asked for: nothing */
	CHECK_INT(feed_cfg(&(struct cwm_fax_detect_config){ .no_preamble = true }, x, n, got, 8,
	                   &first), 0);
	/* and CED still is */
	sig_pair(x, n, 2100, -12, 0, 0);
	CHECK_INT(feed_cfg(&(struct cwm_fax_detect_config){ .no_preamble = true }, x, n, got, 8,
	                   &first), 1);
	CHECK_INT(got[0], CWM_FAX_TONE_CED);
	free(x);
}

static void test_api(void)
{
	struct cwm_fax_detect *d;
	enum cwm_fax_tone t;
	int16_t pcm[FRAME] = { 0 };
	struct cwm_fax_action none = cwm_fax_tone_action(CWM_FAX_TONE_NONE);

	CHECK(cwm_fax_detect_new(NULL, NULL) == -EINVAL);
	CHECK(cwm_fax_detect_new(NULL, &d) == 0);
	CHECK(cwm_fax_detect_frame(d, NULL, FRAME, &t) == -EINVAL);
	CHECK(cwm_fax_detect_frame(d, pcm, FRAME, &t) == 0 && t == CWM_FAX_TONE_NONE);
	CHECK_INT(cwm_fax_detect_heard(d), 0);
	cwm_fax_detect_free(d);
	cwm_fax_detect_free(NULL);
	CHECK(!none.passthrough && !none.echo_off && !none.dtmf_off);
	CHECK_STR(cwm_fax_tone_name(CWM_FAX_TONE_NONE), "none");
	CHECK_STR(cwm_fax_tone_name(CWM_FAX_TONE_PREAMBLE), "v21-preamble");
	CHECK_STR(cwm_fax_tone_name((enum cwm_fax_tone)99), "?");
}

/* CNG's own detector: T.30's ±38 Hz, within the first 0.5 s burst, a level floor of
 * -43 dBm0, and no burst shorter than 0.4 s. */
static void test_cng(void)
{
	size_t n = 8000 * 2, k;
	int16_t *x = calloc(n, sizeof(*x));
	enum cwm_fax_tone got[8];
	long first;
	static const int hz[] = { 1062, 1100, 1138 };

	for (size_t i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
		sig_pair(x, n, hz[i], -20, 0, 0);
		sig_law(x, n, CWM_G711_ALAW);
		k = feed(x, n, got, 8, &first);
		if (!CHECK_INT(k, 1) || !CHECK_INT(got[0], CWM_FAX_TONE_CNG))
			fprintf(stderr, "  %d Hz: %zu reports\n", hz[i], k);
		CHECK(first >= 19 && first < 25); /* after 0.4 s of it, within 0.5 s */
	}
	/* spandsp's CNG: heard in its first burst */
	free(x);
	x = connect_tone(MODEM_CONNECT_TONES_FAX_CNG, 2, &n);
	CHECK_INT(feed(x, n, got, 8, &first), 1);
	CHECK(first >= 0 && first < 25);
	free(x);
	n = 8000 * 2;
	x = calloc(n, sizeof(*x));
	/* the level floor */
	sig_pair(x, n, 1100, -46, 0, 0);
	CHECK_INT(feed(x, n, got, 8, &first), 0);
	sig_pair(x, n, 1100, -40, 0, 0);
	CHECK_INT(feed(x, n, got, 8, &first), 1);
	/* 0.3 s of 1100 Hz, then silence: too short */
	sig_pair(x, n, 1100, -15, 0, 0);
	for (size_t i = 2400; i < n; i++)
		x[i] = 0;
	CHECK_INT(feed(x, n, got, 8, &first), 0);
	/* 1100 Hz under as loud a 1500 Hz: not a tone on its own */
	sig_pair(x, n, 1100, -15, 1500, -12);
	CHECK_INT(feed(x, n, got, 8, &first), 0);
	free(x);
}

int main(void)
{
	test_tones();
	test_cng();
	test_not_confused();
	test_preamble();
	test_api();
	return check_done();
}
