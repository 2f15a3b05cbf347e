/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/fax_detect.c — CED/ANS (with and without phase reversals,
 * ANSam) and the V.21 preamble by spandsp's modem_connect_tones_rx, CNG by a
 * Goertzel filter of its own (fax_detect.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <spandsp.h>

#include "fax_detect.h"

/*
 * CNG (T.30 §5.2: 1100 Hz ± 38 Hz, 0.5 s on, 3 s off) on one Goertzel filter, not spandsp's
 * modem_connect_tones_rx, whose state (2 272 bytes) carries a V.21 receiver CNG does not use.
 * In each 10 ms block (80 samples: the 1004 Hz test tone falls near a null of the filter's
 * response, 96 Hz away, while 1100 ± 38 Hz keeps over 60 % of its power) the tone is
 * present when the block's power is at least -43 dBm0 and the filter holds at least half of
 * it; CNG is heard after 40 blocks in a row, 0.4 s, within a burst of 0.425 s or more.
 */
#define CNG_BLOCK 80
#define CNG_BLOCKS 40
#define CNG_PURITY 0.5
/* the mean square of a -43 dBm0 sine: spandsp's 0 dBm0 sine peaks at 32767 * 10^(-3.14/20) */
#define CNG_MIN_POWER 12990.0

struct cng_detect {
	float coeff;          /* 2 cos(2 pi 1100 / 8000) */
	float s1, s2;         /* the filter's state */
	double energy;        /* sum of x^2 in the block */
	unsigned n;           /* samples in the block so far */
	unsigned run;         /* blocks in a row with the tone */
};

struct cwm_fax_detect {
	modem_connect_tones_rx_state_t *answer; /* 2100 Hz kinds and the V.21 preamble */
	struct cng_detect cng;                  /* 1100 Hz */
	unsigned heard, pending;                /* bit (1 << tone) */
	unsigned heard_all;                     /* every kind looked for */
};

static const char *const names[CWM_FAX_TONE_COUNT] = {
	[CWM_FAX_TONE_NONE] = "none",     [CWM_FAX_TONE_CNG] = "cng",
	[CWM_FAX_TONE_CED] = "ced",       [CWM_FAX_TONE_ANS_PR] = "ans-pr",
	[CWM_FAX_TONE_ANSAM] = "ansam",   [CWM_FAX_TONE_ANSAM_PR] = "ansam-pr",
	[CWM_FAX_TONE_PREAMBLE] = "v21-preamble",
};

static enum cwm_fax_tone from_spandsp(int code)
{
	switch (code) {
	case MODEM_CONNECT_TONES_FAX_CNG: return CWM_FAX_TONE_CNG;
	case MODEM_CONNECT_TONES_ANS: return CWM_FAX_TONE_CED;
	case MODEM_CONNECT_TONES_ANS_PR: return CWM_FAX_TONE_ANS_PR;
	case MODEM_CONNECT_TONES_ANSAM: return CWM_FAX_TONE_ANSAM;
	case MODEM_CONNECT_TONES_ANSAM_PR: return CWM_FAX_TONE_ANSAM_PR;
	case MODEM_CONNECT_TONES_FAX_PREAMBLE: return CWM_FAX_TONE_PREAMBLE;
	default: return CWM_FAX_TONE_NONE; /* a tone's end, and kinds not asked for */
	}
}

static void heard(struct cwm_fax_detect *d, enum cwm_fax_tone t)
{
	if (t != CWM_FAX_TONE_NONE && !(d->heard & (1u << t))) {
		d->heard |= 1u << t;
		d->pending |= 1u << t;
	}
}

/* spandsp's report, from within modem_connect_tones_rx(). */
static void on_tone(void *user, int code, int level, int delay)
{
	(void)level;
	(void)delay;
	heard(user, from_spandsp(code));
}

/* One block's verdict: 2|X|^2 / (N E) is 1 for a pure tone on the filter's frequency. */
static int cng_block_has_tone(const struct cng_detect *c)
{
	double power = (double)c->s1 * c->s1 + (double)c->s2 * c->s2 -
	               (double)c->coeff * c->s1 * c->s2;

	return c->energy >= CNG_MIN_POWER * CNG_BLOCK &&
	       2.0 * power >= CNG_PURITY * CNG_BLOCK * c->energy;
}

static void cng_feed(struct cwm_fax_detect *d, const int16_t *pcm, unsigned n)
{
	struct cng_detect *c = &d->cng;

	for (unsigned i = 0; i < n; i++) {
		float x = pcm[i];
		float s0 = x + c->coeff * c->s1 - c->s2;

		c->s2 = c->s1;
		c->s1 = s0;
		c->energy += (double)x * x;
		if (++c->n < CNG_BLOCK)
			continue;
		c->run = cng_block_has_tone(c) ? c->run + 1 : 0;
		if (c->run >= CNG_BLOCKS)
			heard(d, CWM_FAX_TONE_CNG);
		c->s1 = c->s2 = 0.0f;
		c->energy = 0.0;
		c->n = 0;
	}
}

int cwm_fax_detect_new(const struct cwm_fax_detect_config *cfg, struct cwm_fax_detect **out)
{
	bool preamble = !(cfg && cfg->no_preamble);

	if (!out)
		return -EINVAL;

	struct cwm_fax_detect *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->heard_all = ((1u << CWM_FAX_TONE_COUNT) - 1) & ~1u;
	/* ANS_PR: spandsp's 2100 Hz detector, which names ANS, /ANS, ANSam and
	 * /ANSam; CED_OR_PREAMBLE: the same plus a V.21 receiver for HDLC flags */
	d->answer = modem_connect_tones_rx_init(NULL, preamble ? MODEM_CONNECT_TONES_FAX_CED_OR_PREAMBLE
	                                                       : MODEM_CONNECT_TONES_ANS_PR,
	                                        on_tone, d);
	if (!preamble)
		d->heard_all &= ~(1u << CWM_FAX_TONE_PREAMBLE);
	d->cng.coeff = (float)(2.0 * cos(2.0 * M_PI * 1100.0 / 8000.0));
	if (!d->answer) {
		cwm_fax_detect_free(d);
		return -ENOMEM;
	}
	*out = d;
	return 0;
}

void cwm_fax_detect_free(struct cwm_fax_detect *d)
{
	if (!d)
		return;
	if (d->answer)
		modem_connect_tones_rx_free(d->answer);
	free(d);
}

int cwm_fax_detect_frame(struct cwm_fax_detect *d, const int16_t *pcm, unsigned n,
                         enum cwm_fax_tone *tone)
{
	if (!d || !pcm || !tone)
		return -EINVAL;
	/* Once every kind was heard there is nothing left to find. */
	if (d->heard != d->heard_all) {
		modem_connect_tones_rx(d->answer, pcm, (int)n);
		if (!(d->heard & (1u << CWM_FAX_TONE_CNG)))
			cng_feed(d, pcm, n);
	}
	*tone = CWM_FAX_TONE_NONE;
	for (int t = 1; t < CWM_FAX_TONE_COUNT; t++) {
		if (d->pending & (1u << t)) {
			d->pending &= ~(1u << t);
			*tone = (enum cwm_fax_tone)t;
			return 1;
		}
	}
	return 0;
}

unsigned cwm_fax_detect_heard(const struct cwm_fax_detect *d)
{
	return d->heard;
}

struct cwm_fax_action cwm_fax_tone_action(enum cwm_fax_tone tone)
{
	if (tone <= CWM_FAX_TONE_NONE || tone >= CWM_FAX_TONE_COUNT)
		return (struct cwm_fax_action){ 0 };
	return (struct cwm_fax_action){ .passthrough = true, .echo_off = true, .dtmf_off = true };
}

const char *cwm_fax_tone_name(enum cwm_fax_tone tone)
{
	if (tone < CWM_FAX_TONE_NONE || tone >= CWM_FAX_TONE_COUNT)
		return "?";
	return names[tone];
}
