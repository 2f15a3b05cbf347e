/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/fax_detect.c — CNG, CED/ANS (with and without phase
 * reversals, ANSam) and the V.21 preamble, by spandsp's
 * modem_connect_tones_rx (fax_detect.h).
 */
#include <errno.h>
#include <stdlib.h>

#include <spandsp.h>

#include "fax_detect.h"

struct cwm_fax_detect {
	modem_connect_tones_rx_state_t *answer; /* 2100 Hz kinds and the V.21 preamble */
	modem_connect_tones_rx_state_t *cng;    /* 1100 Hz */
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

/* spandsp's report, from within modem_connect_tones_rx(). */
static void on_tone(void *user, int code, int level, int delay)
{
	struct cwm_fax_detect *d = user;
	enum cwm_fax_tone t = from_spandsp(code);

	(void)level;
	(void)delay;
	if (t != CWM_FAX_TONE_NONE && !(d->heard & (1u << t))) {
		d->heard |= 1u << t;
		d->pending |= 1u << t;
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
	d->cng = modem_connect_tones_rx_init(NULL, MODEM_CONNECT_TONES_FAX_CNG, on_tone, d);
	if (!d->answer || !d->cng) {
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
	if (d->cng)
		modem_connect_tones_rx_free(d->cng);
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
		modem_connect_tones_rx(d->cng, pcm, (int)n);
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
