/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/fax_detect.h — fax and modem tones heard on a call's audio
 * (spandsp's modem_connect_tones_rx for the answer tones and the V.21
 * preamble, a Goertzel filter for CNG), one detector per direction: on the
 * B-channel's frames and on the frames from RTP. Pure: no I/O, no clock.
 *
 * The rule (README.md, "Fax and modems"): the first tone heard either way
 * switches the call to G.711 passthrough for the rest of the call (ITU-T
 * V.152 voiceband data): the playout buffer's passthrough mode
 * (cwm_rtp_session_set_passthrough()), no echo cancellation or adaptation,
 * no DTMF detection or muting.
 */
#ifndef BRIDGE_MEDIA_FAX_DETECT_H
#define BRIDGE_MEDIA_FAX_DETECT_H

#include <stdbool.h>
#include <stdint.h>

enum cwm_fax_tone {
	CWM_FAX_TONE_NONE = 0,
	CWM_FAX_TONE_CNG,      /* 1100 Hz, 0.5 s on 3 s off: a calling fax (T.30 §5.2) */
	CWM_FAX_TONE_CED,      /* 2100 Hz: ANS (V.25 §5.2.2), a fax answering (T.30 CED) */
	CWM_FAX_TONE_ANS_PR,   /* 2100 Hz, phase reversed every 450 ms: /ANS (V.25, G.168 disable) */
	CWM_FAX_TONE_ANSAM,    /* 2100 Hz amplitude-modulated at 15 Hz: ANSam (V.8 §5.3) */
	CWM_FAX_TONE_ANSAM_PR, /* ANSam with phase reversals: /ANSam (V.8) */
	CWM_FAX_TONE_PREAMBLE, /* V.21 HDLC flags (T.30 preamble): a fax answering without CED */
};
#define CWM_FAX_TONE_COUNT 7

/* What the media module does when a tone is heard: every tone asks for all
 * three (the call is voiceband data from then on). */
struct cwm_fax_action {
	bool passthrough; /* playout buffer: passthrough (rtp_jb.h) */
	bool echo_off;    /* echo cancellation off, adaptation stopped */
	bool dtmf_off;    /* DTMF detection and muting off (cwm_dtmf_in no longer fed) */
};

struct cwm_fax_detect_config {
	/* No V.21 preamble detection: a fax that answers without CED is then
	 * heard only by its peer's CNG, if any; it saves about two thirds of
	 * the detector's CPU (cw-dtmf-bench). */
	bool no_preamble;
};

struct cwm_fax_detect;

/* 0 or -ENOMEM (or -EINVAL for out NULL). cfg NULL: every tone. */
int cwm_fax_detect_new(const struct cwm_fax_detect_config *cfg, struct cwm_fax_detect **out);
void cwm_fax_detect_free(struct cwm_fax_detect *d);

/*
 * cwm_fax_detect_frame() - n linear samples (a 20 ms frame is 160). 1 with
 * *tone when a kind of tone is heard for the first time on this detector
 * (each kind is reported once per call; two in one frame come out one per
 * call), 0 when nothing new, -EINVAL for a NULL argument.
 */
int cwm_fax_detect_frame(struct cwm_fax_detect *d, const int16_t *pcm, unsigned n,
                         enum cwm_fax_tone *tone);

/* The kinds heard so far, bit (1 << tone). */
unsigned cwm_fax_detect_heard(const struct cwm_fax_detect *d);

/* The rule for a tone (NONE: nothing to do); a short name ("ced", "ans-pr",
 * ...) for logs and the CDR, "none" for NONE and "?" outside the enum. */
struct cwm_fax_action cwm_fax_tone_action(enum cwm_fax_tone tone);
const char *cwm_fax_tone_name(enum cwm_fax_tone tone);

#endif /* BRIDGE_MEDIA_FAX_DETECT_H */
